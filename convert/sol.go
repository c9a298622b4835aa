package convert

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// AppendSOL appends the JSON form of a .sol file:
// {"sol": name, "version": 0|3, "data": {name: value, ...}}.
func AppendSOL(dst []byte, s *amf.SOL, o *Options) ([]byte, error) {
	return whole(appendSOL(dst, s, o))
}

// appendSOL is AppendSOL with the output up to the limit, as appendValue.
func appendSOL(dst []byte, s *amf.SOL, o *Options) ([]byte, error) {
	warnRepeated(s, o)
	w := newWriter(o)
	w.buf = dst
	if w.o.Typed {
		w.count(nil)
		if s.Data != nil {
			// The data object is written here, as "data": a value that
			// refers to it is a second occurrence.
			w.seen[s.Data] = 1
		}
		for _, m := range s.Members {
			w.count(m.Value)
		}
	}
	solEnvelope(w, s)
	w.base = "/data"
	var err error
	if w.o.Typed {
		err = w.solData(s)
	} else {
		// The data object is the root of the paths ("/data/name"), and
		// a value that refers to it is a cycle to "/data".
		var root any = s
		if s.Data != nil {
			root = s.Data
		}
		w.push(root, seg{})
		err = w.memberValues(s.Members, nil) // warnRepeated says a name given twice
		w.pop()
	}
	if err != nil {
		return w.partial(err)
	}
	w.close('}', false)
	return w.finish()
}

// solEnvelope writes the JSON of a .sol up to the data object's value:
// {"sol": name, "version": N, "data":
func solEnvelope(w *writer, s *amf.SOL) {
	w.open('{')
	w.key("sol", true)
	w.str(typedName(s.Name))
	w.key("version", false)
	w.numStart()
	w.buf = strconv.AppendInt(w.buf, int64(s.Version), 10)
	w.numEnd()
	w.key("data", false)
}

// solData writes the typed form of the data object: its members, and an
// $id when a value refers to it.
func (w *writer) solData(s *amf.SOL) error {
	var first bool
	if s.Data != nil {
		first = w.begin(s.Data)
	} else {
		w.open('{')
		first = true
	}
	for _, m := range s.Members {
		w.dataKey(m.Name, first)
		first = false
		if err := w.typed(m.Value); err != nil {
			return err
		}
	}
	w.close('}', first)
	return nil
}

// IsSOLJSON reports whether a JSON document is the JSON form of a .sol
// file (an object with "sol" and "data").
func IsSOLJSON(data []byte) bool {
	res := parseInPlace(data)
	return res.IsObject() && res.Get("sol").Type == gjson.String && res.Get("data").IsObject()
}

// SOLFromJSON turns the JSON form of a .sol file back into one.
func SOLFromJSON(data []byte) (_ *amf.SOL, err error) {
	return solFromJSON(data, nil)
}

// solFromJSON is SOLFromJSON noting keys given twice in dk.
func solFromJSON(data []byte, dk *dupKeys) (_ *amf.SOL, err error) {
	defer func() { err = locate(err, data) }()
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	if len(spans) != 1 {
		return nil, &Error{Err: errors.New("a .sol file is one JSON object")}
	}
	r := newReader(data)
	res := rebase(gjson.ParseBytes(data[spans[0].start:spans[0].end]), spans[0].start)
	s, err := r.sol(res)
	if err != nil {
		return nil, r.finish(err)
	}
	dk.take(&r.dups, 0)
	return s, nil
}

func (r *reader) sol(res gjson.Result) (*amf.SOL, error) {
	if !res.IsObject() {
		return nil, r.errAt(res, `a .sol file's JSON form is an object {"sol": name, "version": 0 or 3, "data": {...}}`)
	}
	s := &amf.SOL{Version: amf.AMF3}
	var data gjson.Result
	var err error
	var keys []string
	res.ForEach(func(k, v gjson.Result) bool {
		if err = r.twice(&keys, k.Str, v, ".sol"); err != nil {
			err = within(err, k.Str)
			return false
		}
		switch k.Str {
		case "sol":
			if v.Type != gjson.String {
				err = within(r.errAt(v, "sol must be the shared object's name"), "sol")
			}
			s.Name = dataName(v.Str)
		case "version":
			n, ok := wholeNumber(v)
			if !ok || (n != 0 && n != 3) {
				err = within(r.errAt(v, "version must be 0 or 3"), "version")
			}
			s.Version = amf.Version(n)
		case "data":
			if !v.IsObject() {
				err = within(r.errAt(v, "data must be an object"), "data")
			}
			data = v
		default:
			err = within(r.errAt(v, "unexpected member %q in a .sol (want sol, version, data)", k.Str), k.Str)
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if data.Exists() {
		r.all3 = s.Version == amf.AMF3 // its dates' "$tz" are dropped
		ms, err := r.solData(s, data)
		if err != nil {
			return nil, within(err, "data")
		}
		s.Members = ms
	}
	if s.Data == nil {
		s.Data = &amf.Object{}
	}
	s.Data.Members = s.Members
	return s, nil
}

// solData reads the data object of a .sol file. It is the file's data
// object (s.Data, reference 0 in an AMF0 file): a typed $id on it, or a
// plain $ref to "/data", gives a value that refers to it.
func (r *reader) solData(s *amf.SOL, data gjson.Result) ([]amf.Member, error) {
	s.Data = &amf.Object{}
	r.anc = append(r.anc[:0], ancestor{seg{}, s.Data})
	r.base = "/data"
	var ms []amf.Member
	var err error
	names := r.dups.namesAt(len(r.anc))
	idSeen := false
	data.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "$id" {
			if idSeen {
				// As an annotation given twice in any object is
				// (givenTwice): the first was taken, unsaid.
				err = within(r.errAt(v, "%q is given twice in a .sol's data object", k.Str), k.Str)
				return false
			}
			idSeen = true
			n, ok := wholeNumber(v)
			if !ok || n < 1 {
				err = within(r.errAt(v, "$id must be a positive integer"), k.Str)
				return false
			}
			if r.ids == nil {
				r.ids = make(map[int64]any)
			}
			r.ids[n] = s.Data
			return true
		}
		if k.Str == "$class" {
			r.dups.noteSOLClass(v.Index) // no class: a member, warned of
		}
		// A member given twice is written twice, as given (warned of).
		names.add(dataName(k.Str), k.Str, v.Index)
		var x any
		x, err = r.value(v, seg{name: k.Str})
		if err != nil {
			err = within(err, k.Str)
			return false
		}
		ms = append(ms, amf.Member{Name: dataName(k.Str), Value: x})
		return true
	})
	return ms, err
}

// warnRepeated warns when a member name of the .sol s comes more than
// once (the format does not forbid it): its JSON form has the key as
// often, which JSON readers may take as one member; amfcall converts it
// back with every member, in order (and a warning of its own).
func warnRepeated(s *amf.SOL, o *Options) {
	if o == nil || o.Warn == nil || len(s.Members) < 2 {
		return
	}
	seen := make(map[string]bool, len(s.Members))
	for _, m := range s.Members {
		if seen[m.Name] {
			o.Warn(fmt.Sprintf("the .sol holds the member %q more than once: its JSON has the key as often (converted back, each is written again, in order)", m.Name))
			return
		}
		seen[m.Name] = true
	}
}

package convert

import (
	"errors"
	"strconv"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// AppendSOL appends the JSON form of a .sol file:
// {"sol": name, "version": 0|3, "data": {name: value, ...}}.
func AppendSOL(dst []byte, s *amf.SOL, o *Options) ([]byte, error) {
	w := newWriter(o)
	w.buf = dst
	if w.o.Typed {
		for _, m := range s.Members {
			w.count(m.Value)
		}
	}
	w.open('{')
	w.key("sol", true)
	w.str(s.Name)
	w.key("version", false)
	w.numStart()
	w.buf = strconv.AppendInt(w.buf, int64(s.Version), 10)
	w.numEnd()
	w.key("data", false)
	w.base = "/data"
	var err error
	if w.o.Typed {
		err = w.typedMembers(s.Members)
	} else {
		err = w.members(s.Members, nil)
	}
	if err != nil {
		return nil, err
	}
	w.close('}', false)
	w.flushWarn()
	return w.buf, nil
}

// IsSOLJSON reports whether a JSON document is the JSON form of a .sol
// file (an object with "sol" and "data").
func IsSOLJSON(data []byte) bool {
	res := parseInPlace(data)
	return res.IsObject() && res.Get("sol").Type == gjson.String && res.Get("data").IsObject()
}

// SOLFromJSON turns the JSON form of a .sol file back into one.
func SOLFromJSON(data []byte) (*amf.SOL, error) {
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
	return s, nil
}

func (r *reader) sol(res gjson.Result) (*amf.SOL, error) {
	if !res.IsObject() {
		return nil, r.errAt(res, `a .sol file's JSON form is an object {"sol": name, "version": 0 or 3, "data": {...}}`)
	}
	s := &amf.SOL{Version: amf.AMF3}
	var data gjson.Result
	var err error
	res.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "sol":
			if v.Type != gjson.String {
				err = within(r.errAt(v, "sol must be the shared object's name"), "sol")
			}
			s.Name = v.Str
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
		r.anc = append(r.anc[:0], ancestor{seg{}, s})
		ms, err := r.members(data)
		if err != nil {
			return nil, within(err, "data")
		}
		s.Members = ms
	}
	return s, nil
}

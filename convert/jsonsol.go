package convert

import (
	"errors"
	"io"

	"github.com/amfcall/amfcall/amf"
)

// JSON -> .sol, streamed as packets are (jsonpacket.go): the JSON form
// {"sol": name, "version": 0 or 3, "data": {...}} is written from its
// text by the scanner through the Writer's .sol framing (BeginSOL), the
// file's length counted by a first pass for a large input. The data
// object is reference 0 of an AMF0 file, as SOLFromJSON and
// amf.MarshalSOL number it: a typed "$id" on it names that reference.
// Anything else, and every error, is the value model's, decided before
// anything is written (TestSOLJSONPaths, FuzzSOLJSON).

// jsol is the envelope of a .sol file's JSON form.
type jsol struct {
	name string
	ver  amf.Version
	data int // the data object's text; -1: none
}

// solEnvelope reads the envelope of the .sol whose JSON form is j.data,
// checking the whole text as splitValues does; false for anything the
// value model is to say.
func (j *jsonAMF) solEnvelope() (*jsol, bool) {
	data := j.data
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	s := &jsol{ver: amf.AMF3, data: -1}
	var seen [3]bool
	j.depth = 1
	end, ok := j.eachMember(i, func(k string, start int) (int, bool) {
		e, ok := j.check(start)
		if !ok {
			return e, false
		}
		x := -1
		switch k {
		case "sol":
			x = 0
			if data[start] != '"' {
				return e, false
			}
			s.name = dataName(j.strAt(start, e))
		case "version":
			x = 1
			n, ok := j.wholeAt(start, e)
			if !ok || n != 0 && n != 3 {
				return e, false
			}
			s.ver = amf.Version(n)
		case "data":
			x = 2
			if data[start] != '{' {
				return e, false
			}
			s.data = start
		default:
			return e, false
		}
		if seen[x] {
			return e, false
		}
		seen[x] = true
		return e, true
	})
	j.depth = 0
	if !ok || skipSpace(data, end) != len(data) {
		return nil, false
	}
	return s, true
}

// writeSOL writes the .sol s through j's Writer with the length field
// length (< 0: patched at the end, the output held).
func (j *jsonAMF) writeSOL(s *jsol, length int64, exact bool) bool {
	w := j.w
	w.BeginSOL(s.name, s.ver, length, exact)
	if s.data >= 0 {
		// The members of the data object, at the depth of its text.
		j.depth = 2
		names := j.dups.namesAt(j.depth)
		idSeen := false
		_, ok := j.eachMember(s.data, func(k string, start int) (int, bool) {
			if k == "$id" {
				// The data object itself: reference 0 of an AMF0 file; in
				// AMF3 it is in no table (the encoder writes it again).
				// Given twice: the value model's error.
				e, ok := j.check(start)
				n, whole := j.wholeAt(start, e)
				if !ok || !whole || n < 1 || idSeen {
					return e, false
				}
				idSeen = true
				idx := 0
				if s.ver != amf.AMF0 {
					idx = -1
				}
				j.ids.set(n, amf.AMF0, idx, amf.KindObject, 0)
				return e, true
			}
			if k == "$class" {
				j.dups.noteSOLClass(start) // no class: a member, warned of
			}
			// A member given twice is written twice, as given.
			names.add(dataName(k), k, start)
			w.WriteName(dataName(k))
			return j.value(start)
		})
		if !ok {
			return false
		}
		j.depth = 0
	}
	return w.End() == nil
}

// onePassSOL is the input size up to which a .sol's JSON is written in
// one pass, held, rather than counted first.
var onePassSOL = 4 << 20 // a variable for tests

// solDirect writes the .sol whose JSON form is data through the scanner:
// to out as it goes (out nil: appended to dst and returned). False, with
// nothing written: the value model's.
func solDirect(dst []byte, out io.Writer, data []byte, dk *dupKeys) ([]byte, bool, error) {
	return writeDirect(dst, out, data, onePassSOL, ".sol", func() directDoc { return &solDoc{} }, dk)
}

// solDoc is a .sol file for writeDirect: its length field (the file
// size less 6) is known once counted.
type solDoc struct {
	s *jsol
	n int64
}

func (d *solDoc) envelope(j *jsonAMF) (ok bool) {
	d.s, ok = j.solEnvelope()
	return ok
}

func (d *solDoc) hold(j *jsonAMF) bool { return j.writeSOL(d.s, -1, false) }

func (d *solDoc) count(j *jsonAMF, w *amf.Writer) bool {
	if !j.writeSOL(d.s, 0, false) {
		return false
	}
	d.n = w.Offset() - 6
	return true
}

func (d *solDoc) write(j *jsonAMF) bool { return j.writeSOL(d.s, d.n, true) }

// AppendSOLJSON appends the .sol whose JSON form (plain or typed) is
// data, as SOLFromJSON and amf.MarshalSOL would write it.
func AppendSOLJSON(dst, data []byte) ([]byte, error) {
	return appendSOLJSON(dst, data, nil)
}

// appendSOLJSON is AppendSOLJSON noting keys given twice in dk.
func appendSOLJSON(dst, data []byte, dk *dupKeys) ([]byte, error) {
	if b, ok, err := solDirect(dst, nil, data, dk); ok {
		return b, err
	}
	return appendSOLModel(dst, data, dk)
}

// appendSOLModel is AppendSOLJSON through the value model: the oracle of
// the direct path, and what says its errors.
func appendSOLModel(dst, data []byte, dk *dupKeys) ([]byte, error) {
	var note dupKeys
	s, err := solFromJSON(data, &note)
	if err != nil {
		return nil, err
	}
	b, err := amf.MarshalSOL(s)
	if err != nil {
		return nil, encodeAt(solJSONPath(err, s), data, 0)
	}
	dk.take(&note, 0)
	return append(dst, b...), nil
}

// solJSONPath puts the path of an error encoding the .sol s, read from
// JSON, in the terms of its JSON form: amf names the file's name
// "/name" and a member "/member", where the JSON has them at "/sol" and
// "/data/member". (A member may be called "name": the name is the
// culprit when the file fails without its members.)
func solJSONPath(err error, s *amf.SOL) error {
	var ee *amf.EncodeError
	if !errors.As(err, &ee) || ee.Path == "" {
		return err
	}
	if ee.Path == "/name" {
		if _, e := amf.MarshalSOL(&amf.SOL{Name: s.Name, Version: s.Version}); e != nil {
			return &amf.EncodeError{Version: ee.Version, Path: "/sol", Err: ee.Err, Segs: []string{"sol"}}
		}
	}
	return ee.Under("data") // cut at amf.MaxPath with "/data" in it
}

// WriteSOLJSON is AppendSOLJSON writing to out: a large .sol streams,
// its length counted first, so that memory does not grow with it. On an
// error nothing is written (but out's own).
func WriteSOLJSON(out io.Writer, data []byte) error {
	return writeSOLJSON(out, data, nil)
}

// writeSOLJSON is WriteSOLJSON noting keys given twice in dk.
func writeSOLJSON(out io.Writer, data []byte, dk *dupKeys) error {
	if _, ok, err := solDirect(nil, out, data, dk); ok {
		return err
	}
	b, err := appendSOLModel(nil, data, dk)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

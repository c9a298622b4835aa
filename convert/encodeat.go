package convert

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/textpos"
)

// encodeAtError is an error of the AMF encoder on a value read from
// JSON: the text parses, but AMF cannot hold the value (an empty dynamic
// member name, traits that do not name the members, a name over 64 KiB,
// more than 65535 messages). The encoder knows the value's path, not
// where it is in the text; this adds the place in the text its path
// leads to (the member's key for a name AMF cannot write), as every JSON
// reader's error names one. Its text is the encoder's followed by the
// place, and it unwraps to the *amf.EncodeError.
type encodeAtError struct {
	err          *amf.EncodeError
	offset       int64
	line, column int
}

func (e *encodeAtError) Error() string {
	return fmt.Sprintf("%v, at line %d, column %d (offset %d)", e.err, e.line, e.column, e.offset)
}

func (e *encodeAtError) Unwrap() error { return e.err }

// encodeAt places err, if it is the encoder's, in the JSON value that
// starts at offset start of data, following base (the segments from that
// value to the one encoded, outermost first) and the error's path; other
// errors, and ones placed already, are returned as they are.
func encodeAt(err error, data []byte, start int, base ...string) error {
	ee, ok := err.(*amf.EncodeError)
	if !ok {
		return err
	}
	return EncodeErrorAt(ee, data, start, append(base[:len(base):len(base)], ee.Segs...))
}

// EncodeErrorAt places ee, an error of the AMF encoder on a value read
// from the JSON text data, in that text, as convert's own JSON readers
// do: segs lead from the JSON value that starts at offset start of data
// (plain or typed JSON, as FromJSON reads it) to the culprit, outermost
// first; they are ee.Segs, or the part of them under that value when it
// was encoded inside something else (an argument of a call's message:
// ee.Segs without "messages", N, "value"). The error's text is ee's
// followed by ", at line L, column C (offset O)" (the key, for a name
// AMF cannot write), and it unwraps to ee. A start outside data gives
// ee as it is.
func EncodeErrorAt(ee *amf.EncodeError, data []byte, start int, segs []string) error {
	if start < 0 || start > len(data) {
		return ee
	}
	off := start + placeOf(data[start:], segs, errors.Is(ee.Err, amf.ErrLongName) || errors.Is(ee.Err, amf.ErrEmptyName))
	line, col := textpos.LineCol(data, int64(off))
	return &encodeAtError{err: ee, offset: int64(off), line: line, column: col}
}

// encodeAtValue is encodeAt on the i-th (from 0) top-level JSON value
// of data.
func encodeAtValue(err error, data []byte, i int) error {
	spans, serr := splitValues(data)
	if serr != nil || i < 0 || i >= len(spans) {
		return encodeAt(err, data, 0)
	}
	return encodeAt(err, data, spans[i].start)
}

// placeOf is the offset in doc (one JSON value, with white space around
// it) of what segs name, as far as they lead: the value there, or, for a
// name (name true), the key of the member the last segment names, or the
// "$class" of the object there whose class name AMF cannot write. A
// segment is a member name (data names as typed JSON writes them, "$$x"
// and "$latin1:..."), an index in an array, or either inside the wrappers
// of typed JSON ($amf3, $ecma, $assoc and $dense, a vector's items).
func placeOf(doc []byte, segs []string, name bool) int {
	v := parseInPlace(doc)
	if !v.Exists() {
		return skipSpace(doc, 0)
	}
	at := skipSpace(doc, 0) // the root's Index is 0 ("unknown")
	key := -1
	last := ""
	for _, seg := range segs {
		next, k, ok := jsonChild(v, seg)
		if !ok {
			return at
		}
		v, at, key, last = next, next.Index, k, seg
	}
	if name {
		if v.Type == gjson.String && len(v.Str) > 0xFFFF {
			return at // a name in a string: a target, a .sol's name
		}
		if key >= 0 && (last == "" || len(last) > 0xFFFF) {
			return key // the member's own name
		}
		for range 8 { // inside the wrappers of an array
			w := v.Get(`\$assoc`)
			if !w.Exists() {
				w = v.Get(`\$ecma`)
			}
			if !w.Exists() {
				w = v.Get(`\$amf3`)
			}
			if !w.IsObject() {
				break
			}
			v = w
		}
		if v.IsObject() {
			// The path ends at the object: its class name, or a key
			// its path leaves out (an empty one).
			found := -1
			v.ForEach(func(k, x gjson.Result) bool {
				dk, data := dataKey(k.Str)
				switch {
				case k.Str == "$class" && x.Type == gjson.String && len(x.Str) > 0xFFFF:
					found = x.Index
				case data && (dk == "" || len(dk) > 0xFFFF):
					found = k.Index
				}
				return found < 0
			})
			if found >= 0 {
				return found
			}
		}
	}
	return at
}

// jsonChild is the value seg names in v (see placeOf), and the offset of
// its key (-1: an array item).
func jsonChild(v gjson.Result, seg string) (gjson.Result, int, bool) {
	for range 8 { // wrappers inside wrappers: {"$amf3": {"$ecma": ...}}
		switch {
		case v.IsArray():
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 {
				return v, -1, false
			}
			var out gjson.Result
			n := 0
			v.ForEach(func(_, x gjson.Result) bool {
				if n == i {
					out = x
				}
				n++
				return n <= i
			})
			return out, -1, out.Exists()
		case v.IsObject():
			var out, key gjson.Result
			var wrapped gjson.Result
			v.ForEach(func(k, x gjson.Result) bool {
				if dk, ok := dataKey(k.Str); ok && dk == seg {
					out, key = x, k
					return false
				}
				switch k.Str {
				case "$amf3", "$ecma", "$assoc", "items":
					if !wrapped.Exists() {
						wrapped = x
					}
				case "$dense":
					if _, err := strconv.Atoi(seg); err == nil {
						wrapped = x // an index: the dense part first
					}
				}
				return true
			})
			if out.Exists() {
				return out, key.Index, true
			}
			if !wrapped.Exists() {
				return v, -1, false
			}
			v = wrapped
		default:
			return v, -1, false
		}
	}
	return v, -1, false
}

// dataKey is the AMF name a JSON key gives a data member: "$$x" is "$x",
// "$latin1:..." the bytes of its code points; false for an annotation
// ("$id", "$class"...), which is no member.
func dataKey(k string) (string, bool) {
	if !strings.HasPrefix(k, "$") {
		return k, true
	}
	if strings.HasPrefix(k, "$$") {
		return k[1:], true
	}
	if rest, ok := strings.CutPrefix(k, "$latin1:"); ok {
		b := make([]byte, 0, len(rest))
		for _, r := range rest {
			if r > 0xFF || r == utf8.RuneError {
				return "", false
			}
			b = append(b, byte(r))
		}
		return string(b), true
	}
	return "", false
}

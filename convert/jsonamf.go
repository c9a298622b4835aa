package convert

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// AppendJSONAsAMF converts JSON documents (one, or several one after
// another as in JSON lines; plain or typed) to AMF values of version ver
// written one after another, sharing one reference context, as
// [FromJSONLines] and an [amf.Encoder] would.
//
// Plain AMF3 documents (no member name starting with "$") are written
// from the JSON text through an [amf.Writer] without building the value
// model; anything else goes through the model, so the bytes and the
// errors are the same either way.
func AppendJSONAsAMF(dst, data []byte, ver amf.Version) (_ []byte, err error) {
	defer func() { err = locate(err, data) }()
	if ver == amf.AMF3 {
		w := amf.AppendWriter(dst, amf.AMF3)
		j := jsonAMF{w: w}
		if j.run(data) {
			return w.Bytes()
		}
		if j.err != nil {
			return nil, j.err
		}
	}
	vs, err := FromJSONLines(data)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	var buf bytes.Buffer
	buf.Write(dst)
	enc := amf.NewEncoder(&buf, ver)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// WriteJSONAsAMF is [AppendJSONAsAMF] writing to out as it goes: plain
// JSON to AMF3 is streamed (a long string goes straight through), so
// memory does not grow with the output. A string too long for AMF3 fails
// as soon as its length is known, with its position.
func WriteJSONAsAMF(out io.Writer, data []byte, ver amf.Version) (err error) {
	defer func() { err = locate(err, data) }()
	if ver == amf.AMF3 && !bytes.Contains(data, []byte(`"$`)) {
		w := amf.NewWriter(out, amf.AMF3)
		j := jsonAMF{w: w}
		if j.run(data) {
			return w.Flush()
		}
		if j.err != nil {
			return j.err
		}
		// Not for this path after all: only errors land here, and the
		// model says them.
		if _, err := AppendJSONAsAMF(nil, data, ver); err != nil {
			return err
		}
		return errors.New("internal error: the direct JSON path gave up on a valid document")
	}
	b, err := AppendJSONAsAMF(nil, data, ver)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

// jsonToAMF3 writes plain JSON as AMF3 with the encoder's rules; it
// reports false for anything it leaves to the value model (typed JSON,
// errors).
func jsonToAMF3(w *amf.Writer, data []byte) bool {
	j := jsonAMF{w: w}
	return j.run(data)
}

// jsonAMF walks JSON text into a token Writer.
type jsonAMF struct {
	w    *amf.Writer
	base int    // offset of the document in the input
	err  *Error // an error of this path's own (a string too long); its Path is built as it goes up

}

func (j *jsonAMF) run(data []byte) bool {
	spans, err := splitValues(data)
	if err != nil || len(spans) == 0 {
		return false
	}
	for _, sp := range spans {
		doc := data[sp.start:sp.end]
		j.base = sp.start
		// The text is read in place: gjson.ParseBytes would copy it.
		if !j.value(parseInPlace(doc)) {
			return false
		}
	}
	return j.w.Err() == nil
}

func (j *jsonAMF) value(res gjson.Result) bool {
	w := j.w
	switch res.Type {
	case gjson.Null:
		w.WriteNull()
	case gjson.False:
		w.WriteBool(false)
	case gjson.True:
		w.WriteBool(true)
	case gjson.String:
		// Only a string past the AMF3 limit can fail (CheckString).
		if len(res.Str) > amf.MaxInt {
			err := w.CheckString(int64(len(res.Str)))
			j.err = &Error{Offset: int64(j.base + res.Index), Err: errors.Unwrap(err)}
			return false
		}
		w.WriteString(res.Str)
	case gjson.Number:
		raw := res.Raw
		n, frac, kind := scanNumber(raw)
		switch kind {
		case numInt:
			if n > maxSafeInt || n < -maxSafeInt {
				return false // an error, said by the model path
			}
			if n == 0 && raw[0] == '-' {
				w.WriteDouble(negZero) // -0 keeps its sign, as in the model path
				break
			}
			w.WriteInt(n)
		case numDecimal:
			// n/10^frac, both exact: one correctly rounded division,
			// which is what ParseFloat gives (its own exact case).
			f := float64(n) / pow10[frac]
			if n == 0 && raw[0] == '-' {
				f = negZero
			}
			w.WriteDouble(f)
		case numLongInt:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n > maxSafeInt || n < -maxSafeInt {
				return false // an error, said by the model path
			}
			w.WriteInt(n)
		default:
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				return false
			}
			w.WriteDouble(f)
		}
	default:
		ok := true
		if res.IsArray() {
			w.BeginArray(-1)
			i := 0
			res.ForEach(func(_, v gjson.Result) bool {
				if ok = j.value(v); !ok && j.err != nil {
					j.err.Path = "/" + strconv.Itoa(i) + j.err.Path
				}
				i++
				return ok
			})
		} else {
			w.BeginObject(nil)
			res.ForEach(func(k, v gjson.Result) bool {
				if k.Str == "" || k.Str[0] == '$' {
					// Typed annotations, escaped names and the empty
					// name (an error) are the model's business.
					ok = false
					return false
				}
				w.WriteName(k.Str)
				if ok = j.value(v); !ok && j.err != nil {
					j.err.Path = "/" + escapePointer(k.Str) + j.err.Path
				}
				return ok
			})
		}
		if !ok {
			return false
		}
		w.End()
	}
	return w.Err() == nil
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// parseInPlace is gjson.ParseBytes without its copy of the text (which
// doubles the memory of a large input); the result aliases data.
func parseInPlace(data []byte) gjson.Result {
	return gjson.Parse(unsafe.String(unsafe.SliceData(data), len(data)))
}

const (
	numOther   = iota // for strconv: an exponent, many digits, or not a number
	numInt            // digits: n
	numDecimal        // digits with a fraction: n / 10^frac
	numLongInt        // more than 15 digits, no fraction or exponent
)

// pow10 holds the powers of ten a double holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// scanNumber reads a JSON number of at most 15 digits without an
// exponent: an integer, or a decimal whose digits as an integer and
// power of ten are both exact in a double (so that n/10^frac is
// correctly rounded). Anything else is numOther, for strconv.
func scanNumber(raw string) (n int64, frac int, kind int) {
	i := 0
	neg := false
	if i < len(raw) && raw[i] == '-' {
		neg, i = true, 1
	}
	digits, dot := 0, -1
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
		case c == '.' && dot < 0:
			dot = digits
		default:
			return 0, 0, numOther
		}
	}
	if digits > 15 && dot < 0 {
		return 0, 0, numLongInt
	}
	if digits == 0 || digits > 15 || dot == digits {
		return 0, 0, numOther
	}
	if neg {
		n = -n
	}
	if dot < 0 {
		return n, 0, numInt
	}
	return n, digits - dot, numDecimal
}

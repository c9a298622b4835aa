package convert

import (
	"bytes"
	"errors"
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
func AppendJSONAsAMF(dst, data []byte, ver amf.Version) ([]byte, error) {
	if ver == amf.AMF3 {
		w := amf.AppendWriter(dst, amf.AMF3)
		if jsonToAMF3(w, data) {
			return w.Bytes()
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

// jsonToAMF3 writes plain JSON as AMF3 with the encoder's rules; it
// reports false for anything it leaves to the value model (typed JSON,
// errors).
func jsonToAMF3(w *amf.Writer, data []byte) bool {
	spans, err := splitValues(data)
	if err != nil || len(spans) == 0 {
		return false
	}
	for _, sp := range spans {
		doc := data[sp.start:sp.end]
		// The text is read in place: gjson.ParseBytes would copy it.
		if !jsonValue(w, gjson.Parse(unsafe.String(unsafe.SliceData(doc), len(doc)))) {
			return false
		}
	}
	return w.Err() == nil
}

func jsonValue(w *amf.Writer, res gjson.Result) bool {
	switch res.Type {
	case gjson.Null:
		w.WriteNull()
	case gjson.False:
		w.WriteBool(false)
	case gjson.True:
		w.WriteBool(true)
	case gjson.String:
		w.WriteString(res.Str)
	case gjson.Number:
		raw := res.Raw
		if !strings.ContainsAny(raw, ".eE") {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n > maxSafeInt || n < -maxSafeInt {
				return false // an error, said by the model path
			}
			w.WriteInt(n)
			break
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return false
		}
		w.WriteDouble(f)
	default:
		ok := true
		if res.IsArray() {
			w.BeginArray(-1)
			res.ForEach(func(_, v gjson.Result) bool {
				ok = jsonValue(w, v)
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
				ok = jsonValue(w, v)
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

package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// AppendJSONAsAMF converts JSON documents (one, or several one after
// another as in JSON lines; plain or typed) to AMF values of version ver
// written one after another, sharing one reference context, as
// [FromJSONLines] and an [amf.Encoder] would.
//
// Plain AMF3 documents (no member name starting with "$") are written
// straight from the JSON text without building the value model; anything
// else goes through the model, so the bytes and the errors are the same
// either way.
func AppendJSONAsAMF(dst, data []byte, ver amf.Version) (_ []byte, err error) {
	defer func() { err = locate(err, data) }()
	if ver == amf.AMF3 {
		j := jsonAMF3{buf: dst}
		if j.run(data) {
			return j.buf, nil
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

// jsonAMF3 writes plain JSON as AMF3 with the encoder's rules: the string
// table by value, one traits entry shared by every (anonymous) object.
type jsonAMF3 struct {
	buf       []byte
	strs      map[string]int
	anonTrait bool // the anonymous traits were written (traits index 0)
	ok        bool
}

func (j *jsonAMF3) run(data []byte) bool {
	spans, err := splitValues(data)
	if err != nil || len(spans) == 0 {
		return false
	}
	j.ok = true
	for _, sp := range spans {
		j.value(gjson.ParseBytes(data[sp.start:sp.end]))
		if !j.ok {
			return false
		}
	}
	return true
}

func (j *jsonAMF3) u29(v uint32) { j.buf = amf.AppendU29(j.buf, v) }

func (j *jsonAMF3) str(s string) {
	if s == "" {
		j.buf = append(j.buf, 0x01)
		return
	}
	if i, ok := j.strs[s]; ok {
		j.u29(uint32(i) << 1)
		return
	}
	if len(s) > amf.MaxInt {
		j.ok = false
		return
	}
	j.u29(uint32(len(s))<<1 | 1)
	j.buf = append(j.buf, s...)
	if j.strs == nil {
		j.strs = make(map[string]int)
	}
	j.strs[s] = len(j.strs)
}

func (j *jsonAMF3) double(f float64) {
	j.buf = append(j.buf, 0x05)
	j.buf = binary.BigEndian.AppendUint64(j.buf, math.Float64bits(f))
}

func (j *jsonAMF3) value(res gjson.Result) {
	switch res.Type {
	case gjson.Null:
		j.buf = append(j.buf, 0x01)
	case gjson.False:
		j.buf = append(j.buf, 0x02)
	case gjson.True:
		j.buf = append(j.buf, 0x03)
	case gjson.String:
		j.buf = append(j.buf, 0x06)
		j.str(res.Str)
	case gjson.Number:
		raw := res.Raw
		if !strings.ContainsAny(raw, ".eE") {
			n, err := strconv.ParseInt(raw, 10, 64)
			switch {
			case err != nil || n > maxSafeInt || n < -maxSafeInt:
				j.ok = false // an error, said by the model path
			case n == 0 && raw[0] == '-':
				j.double(negZero) // -0 keeps its sign, as in the model path
			case n >= amf.MinInt && n <= amf.MaxInt:
				j.buf = append(j.buf, 0x04)
				j.u29(uint32(n) & (1<<29 - 1))
			default:
				j.double(float64(n))
			}
			return
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			j.ok = false
			return
		}
		j.double(f)
	default:
		if res.IsArray() {
			j.array(res)
		} else {
			j.object(res)
		}
	}
}

// array writes the items first and then slides them along to make room
// for the count, which is only known at the end.
func (j *jsonAMF3) array(res gjson.Result) {
	j.buf = append(j.buf, 0x09)
	at := len(j.buf)
	j.buf = append(j.buf, 0x01) // no associative part
	n := 0
	res.ForEach(func(_, v gjson.Result) bool {
		j.value(v)
		n++
		return j.ok
	})
	if !j.ok || n > amf.MaxInt {
		j.ok = false
		return
	}
	var tmp [4]byte
	hdr := amf.AppendU29(tmp[:0], uint32(n)<<1|1)
	end := len(j.buf)
	j.buf = append(j.buf, hdr...)
	copy(j.buf[at+len(hdr):], j.buf[at:end])
	copy(j.buf[at:], hdr)
}

func (j *jsonAMF3) object(res gjson.Result) {
	j.buf = append(j.buf, 0x0A)
	if j.anonTrait {
		j.buf = append(j.buf, 0x01) // traits reference 0
	} else {
		j.buf = append(j.buf, 0x0B, 0x01) // dynamic, no sealed members, anonymous
		j.anonTrait = true
	}
	res.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "" || k.Str[0] == '$' {
			// Typed annotations, escaped names and the empty name (an
			// error) are the model's business.
			j.ok = false
			return false
		}
		j.str(k.Str)
		j.value(v)
		return j.ok
	})
	j.buf = append(j.buf, 0x01)
}

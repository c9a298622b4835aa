package convert

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// bracketShapes is a list of the shapes writeFast's sep handles apart:
// empty objects and lists (an end right after the bracket), a
// container as the first member or item, names cached by the
// repetition, ints on both sides of 1000, and nesting three deep.
func bracketShapes(n int) []any {
	obj := func(ms ...any) *amf.Object {
		o := &amf.Object{}
		for i := 0; i+1 < len(ms); i += 2 {
			o.Members = append(o.Members, amf.Member{Name: ms[i].(string), Value: ms[i+1]})
		}
		return o
	}
	var v []any
	for i := range n {
		v = append(v,
			[]any{},
			obj(),
			[]any{[]any{}},
			[]any{obj()},
			obj("a", obj(), "b", []any{}),
			obj("a", []any{obj(), []any{}, obj("x", obj())}, "id", float64(i)),
			obj("k", obj("k", obj("k", []any{})), "n", float64(999+i%3), "m", float64(-i)),
			[]any{float64(i), obj("id", float64(i*1000)), []any{}, true, nil},
		)
	}
	return v
}

// TestPlainBracketsAsModelPerf18 holds the direct path to the value
// model on bracketShapes, cut by every output limit up to the whole:
// each cut stops writeFast at another token, so that it starts again
// (and stops) in a frame with nothing written yet, whose bracket it
// reads back from the output, and after a name whose value comes next.
func TestPlainBracketsAsModelPerf18(t *testing.T) {
	v := bracketShapes(3)
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(v, ver)
		if err != nil {
			t.Fatal(err)
		}
		full, err := AppendAMF(nil, data, ver, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		model, err := appendAMFModel(nil, data, ver, &Options{})
		if err != nil {
			t.Fatal(err)
		}
		sameAsModel(t, fmt.Sprint(ver), full, model)
		for limit := int64(1); limit <= int64(len(full))+1; limit++ {
			checkDirect(t, data, ver, &Options{MaxOutput: limit})
		}
	}
}

// TestWriteAMFBracketsAcrossFlushPerf18 streams bracketShapes through
// WriteAMF after a string of 8 lengths, so that the output is written
// out (flushAt) at 8 places among the shapes: writeFast starts again
// after each flush (on an emptied buffer, where it reads back no
// bracket) and the JSON is AppendAMF's.
func TestWriteAMFBracketsAcrossFlushPerf18(t *testing.T) {
	shapes := bracketShapes(1)
	one, err := AppendAMF(nil, marshalPerf18(t, shapes, amf.AMF3), amf.AMF3, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	copies := flushAt/len(one) + 2
	for pad := range 8 {
		v := []any{strings.Repeat("p", 7*pad)}
		for range copies {
			v = append(v, shapes...)
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			data := marshalPerf18(t, v, ver)
			want, err := AppendAMF(nil, data, ver, &Options{})
			if err != nil {
				t.Fatal(err)
			}
			var w bytes.Buffer
			if err := WriteAMF(&w, data, ver, &Options{}); err != nil {
				t.Fatal(err)
			}
			sameAsModel(t, fmt.Sprintf("%v pad %d: WriteAMF against AppendAMF", ver, pad), w.Bytes(), want)
		}
	}
}

func marshalPerf18(t *testing.T, v any, ver amf.Version) []byte {
	t.Helper()
	data, err := amf.Marshal(v, ver)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

package convert

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// What AMF cannot hold in JSON that parses (a target, response, header,
// .sol or member name over 65535 bytes, a class name as long, 65536
// messages) failed naming the encoder's path alone for a packet, a .sol
// and an FLV file's JSON ("within "/messages/0/target"", no line or
// column), and for bare values and frames where the document starts.
// Each now names the line, column and offset of the culprit, the place
// marked @ below (where the path leads: a member's key for its name, the
// string for a target), by every reader of that form.
func TestEncodeErrorPlace(t *testing.T) {
	long := strings.Repeat("k", 70000)
	x := func(s string) string { return strings.ReplaceAll(s, "L", long) }
	type reader struct {
		name string
		read func([]byte) error
	}
	render := func(format string) []reader {
		return []reader{
			{"Render", func(b []byte) error {
				_, err := (&Source{Name: "in", Kind: KindJSON, Data: b}).Render(Target{Format: format}, &Options{})
				return err
			}},
			{"RenderTo", func(b []byte) error {
				_, err := (&Source{Name: "in", Kind: KindJSON, Data: b}).RenderTo(&bytes.Buffer{}, Target{Format: format}, &Options{})
				return err
			}},
		}
	}
	packet := append(render("packet"),
		reader{"AppendPacketJSON", func(b []byte) error { _, err := AppendPacketJSON(nil, b); return err }},
		reader{"WritePacketJSON", func(b []byte) error { return WritePacketJSON(&bytes.Buffer{}, b) }})
	sol := append(render("sol"),
		reader{"AppendSOLJSON", func(b []byte) error { _, err := AppendSOLJSON(nil, b); return err }},
		reader{"WriteSOLJSON", func(b []byte) error { return WriteSOLJSON(&bytes.Buffer{}, b) }})
	flv := append(render("flv")[:1], reader{"FLVFromJSON", func(b []byte) error { _, err := FLVFromJSON(b); return err }})
	amf0 := append(render("amf0"),
		reader{"AppendJSONAsAMF", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF0); return err }},
		reader{"WriteJSONAsAMF", func(b []byte) error { return WriteJSONAsAMF(&bytes.Buffer{}, b, amf.AMF0) }})
	amf3 := append(render("amf3"),
		reader{"AppendJSONAsAMF", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF3); return err }})
	frames := append(render("socket"),
		reader{"FramesFromJSON", func(b []byte) error { _, err := FramesFromJSON(nil, b); return err }},
		reader{"WriteFramesFromJSON", func(b []byte) error { return WriteFramesFromJSON(&bytes.Buffer{}, b) }})

	var many strings.Builder
	many.WriteString(`{"version":0,"headers":[],"messages":@[`)
	for i := range 65536 {
		if i > 0 {
			many.WriteByte(',')
		}
		many.WriteString(`{"target":"a","response":"/1","value":[]}`)
	}
	many.WriteString(`]}`)

	for _, tc := range []struct {
		in      string // @ marks the culprit (and is not in the input)
		readers []reader
	}{
		{`{"version":0,"messages":[{"target":@"L","response":"/1","value":[1]}]}`, packet},
		{`{"version":0,"messages":[{"target":"a","response":@"L","value":[1]}]}`, packet},
		{"{\"version\":0,\n \"headers\":[{\"name\":@\"L\",\"mustUnderstand\":false,\"value\":1}],\"messages\":[]}", packet},
		{`{"version":0,"messages":[{"target":"a","response":"/1","value":[{"x":1,@"L":1}]}]}`, packet},
		{`{"version":0,"messages":[{"target":"a","response":"/1","value":[1,{"$class":@"L","x":1}]}]}`, packet},
		{`{"version":0,"messages":[{"target":"a","response":"/1","value":[{"a":{"$ecma":{"$$b":{@"L":1}}}}]}]}`, packet},
		{`{"version":0,"messages":[{"target":"a","response":"/1","value":[{"$amf3":{"$assoc":{"a":1},"$dense":[1,@{"$class":"x","$traits":{"sealed":["b"]},"a":1}]}}]}]}`, packet},
		{many.String(), packet},
		{`{"sol":@"L","version":0,"data":{}}`, sol},
		{`{"sol":"s","version":0,"data":{"name":{@"L":1}}}`, sol},
		{`{"sol":"s","version":0,"data":{"$latin1:caf\u00e9":{"a":[1,{@"L":2}]}}}`, sol},
		{`{"flv":[{"name":"onMetaData","value":{@"L":1}}]}`, flv},
		{`{"flv":[{"name":"a","value":1},{"name":"onCuePoint","value":1,"extra":[2,{"a":{@"L":1}}]}]}`, flv},
		{"1\n {\"x\":[{@\"L\":1}]}", amf0},
		{"[1,\n@{\"$class\":\"x\",\"$traits\":{\"sealed\":[\"b\"]},\"a\":1}]", amf3},
		{"{\"a\":1}\n{\"a\":{\"$assoc\":{\"b\":2,@\"\":1},\"$dense\":[]}}", frames},
		{"{\"a\":1}\n{\"a\":@{\"$class\":\"x\",\"$traits\":{\"sealed\":[\"b\"]},\"a\":1}}", frames},
	} {
		at := strings.Index(x(tc.in), "@")
		data := []byte(strings.Replace(x(tc.in), "@", "", 1))
		line := 1 + bytes.Count(data[:at], []byte("\n"))
		col := at - (bytes.LastIndexByte(data[:at], '\n') + 1) + 1
		want := fmt.Sprintf(", at line %d, column %d (offset %d)", line, col, at)
		for _, r := range tc.readers {
			err := r.read(data)
			var ee *amf.EncodeError
			if err == nil || !strings.HasSuffix(err.Error(), want) || !errors.As(err, &ee) {
				t.Errorf("%s(%.80s): %.300v\nwant ...%s, an *amf.EncodeError", r.name, tc.in, err, want)
			}
		}
	}
}

package convert

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestXMLRefsTypedRoundTripOpen11: the digest's AVM1 capture (§1.4),
// whose reference 07 00 02 points at the XML document, converts to typed
// JSON that says so ("xmlRefs": true, as "dateRefs" says how dates are
// numbered), and back to the same bytes by the streamed path and by the
// value model; without the flag the XML is written in full again.
func TestXMLRefsTypedRoundTripOpen11(t *testing.T) {
	data, err := os.ReadFile("../testdata/numbering/avm1-xml-ref.amf")
	if err != nil {
		t.Fatal(err)
	}
	src, err := Load(data, "avm1.amf", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := src.Target(OutSpec{Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	var typed bytes.Buffer
	if done, err := src.RenderTo(&typed, tg, &Options{Typed: true}); err != nil {
		t.Fatal(err)
	} else if !done {
		b, err := src.Render(tg, &Options{Typed: true})
		if err != nil {
			t.Fatal(err)
		}
		typed.Write(b)
	}
	if !strings.Contains(typed.String(), `"xmlRefs":true`) {
		t.Fatalf("typed JSON does not say xmlRefs: %s", typed.String())
	}
	// The same from the value model's packet.
	q, err := amf.UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	var model bytes.Buffer
	if err := WritePacket(&model, q, &Options{Typed: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(model.Bytes()), bytes.TrimSpace(typed.Bytes())) {
		t.Errorf("typed JSON differs:\n%s\n%s", model.Bytes(), typed.Bytes())
	}
	back, err := AppendPacketJSON(nil, typed.Bytes())
	if err != nil || !bytes.Equal(back, data) {
		t.Errorf("AppendPacketJSON = % X, %v\nwant % X", back, err, data)
	}
	p, err := PacketFromJSON(typed.Bytes())
	if err != nil || !p.Messages[0].XMLRefs {
		t.Fatalf("PacketFromJSON: %v, XMLRefs %v", err, err == nil && p.Messages[0].XMLRefs)
	}
	if out, err := amf.MarshalPacket(p); err != nil || !bytes.Equal(out, data) {
		t.Errorf("the value model's bytes = % X, %v\nwant % X", out, err, data)
	}

	plain := strings.Replace(typed.String(), `"xmlRefs":true,`, "", 1)
	out, err := AppendPacketJSON(nil, []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte{0x07, 0x00, 0x02}) || bytes.Count(out, []byte{0x0F, 0, 0, 0, 0x2A}) != 2 {
		t.Errorf("without xmlRefs: % X, want the XML document twice and no reference", out)
	}
}

// TestXMLRefsFromJSONOpen11: a value built from JSON with values shared
// after an XML document (audit9's examples) is written with no reference
// to the document or past it, by either path; shared values before it
// are still references. The typed JSON of those bytes reads them back
// as separate values: the sharing after the XML is what the
// recommendation gives up.
func TestXMLRefsFromJSONOpen11(t *testing.T) {
	for _, tc := range []struct {
		name, js string
		want     string // the message value
	}{
		{"an object after the XML",
			`{"messages":[{"target":"a.b","response":"/1","value":[{"$xmldoc":"<a/>"},{"$id":1,"k":"v"},{"$ref":1}]}]}`,
			"\x0A\x00\x00\x00\x03\x0F\x00\x00\x00\x04<a/>\x03\x00\x01k\x02\x00\x01v\x00\x00\x09\x03\x00\x01k\x02\x00\x01v\x00\x00\x09"},
		{"the XML itself",
			`{"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"$xmldoc":"<a/>"},{"$ref":1}]}]}`,
			"\x0A\x00\x00\x00\x02\x0F\x00\x00\x00\x04<a/>\x0F\x00\x00\x00\x04<a/>"},
		{"an object before the XML",
			`{"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"k":"v"},{"$xmldoc":"<a/>"},{"$ref":1}]}]}`,
			"\x0A\x00\x00\x00\x03\x03\x00\x01k\x02\x00\x01v\x00\x00\x09\x0F\x00\x00\x00\x04<a/>\x07\x00\x01"},
		{"with xmlRefs",
			`{"messages":[{"target":"a.b","response":"/1","xmlRefs":true,"value":[{"$xmldoc":"<a/>"},{"$id":1,"k":"v"},{"$ref":1}]}]}`,
			"\x0A\x00\x00\x00\x03\x0F\x00\x00\x00\x04<a/>\x03\x00\x01k\x02\x00\x01v\x00\x00\x09\x07\x00\x02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			streamed, err := AppendPacketJSON(nil, []byte(tc.js))
			if err != nil || !bytes.HasSuffix(streamed, []byte(tc.want)) {
				t.Fatalf("AppendPacketJSON = % X, %v\nwant the value % X", streamed, err, tc.want)
			}
			p, err := PacketFromJSON([]byte(tc.js))
			if err != nil {
				t.Fatal(err)
			}
			model, err := amf.MarshalPacket(p)
			if err != nil || !bytes.Equal(model, streamed) {
				t.Errorf("the value model's bytes = % X, %v\nwant % X", model, err, streamed)
			}
		})
	}
	// A bare AMF0 value, typed JSON to bytes.
	out, err := AppendJSONAsAMF(nil, []byte(`[{"$xmldoc":"<a/>"},{"$id":1,"k":"v"},{"$ref":1}]`), amf.AMF0)
	want := "\x0A\x00\x00\x00\x03\x0F\x00\x00\x00\x04<a/>\x03\x00\x01k\x02\x00\x01v\x00\x00\x09\x03\x00\x01k\x02\x00\x01v\x00\x00\x09"
	if err != nil || string(out) != want {
		t.Errorf("AppendJSONAsAMF = % X, %v\nwant % X", out, err, want)
	}
}

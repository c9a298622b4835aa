package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestAudit9CrossEscapeRefTyped holds the exception of
// protocol-digest.md §3.7: typed JSON that spells a reference to an
// object of an earlier 0x11 switch ($ref to an $id) is written back as
// that reference (0A 00), while strings and traits stay inline in each
// switch; reading those bytes gives the same $ref, and back the same
// bytes.
func TestAudit9CrossEscapeRefTyped(t *testing.T) {
	js := `{"version":3,"messages":[{"target":"a.b","response":"/1","value":[{"$id":1,"a":"s"},{"$ref":1},"s"]}]}`
	want := []byte("\x00\x03\x00\x00\x00\x01\x00\x03a.b\x00\x02/1\x00\x00\x00\x16" +
		"\x0A\x00\x00\x00\x03" +
		"\x11\x0A\x0B\x01\x03a\x06\x03s\x01" + // the object, inline
		"\x11\x0A\x00" + // object reference 0, across the switch
		"\x11\x06\x03s") // "s" inline again
	got, err := AppendPacketJSON(nil, []byte(js))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AppendPacketJSON = % X, %v\nwant % X", got, err, want)
	}
	p, err := amf.UnmarshalPacket(want)
	if err != nil {
		t.Fatal(err)
	}
	args := p.Messages[0].Value.(*amf.Array).Dense
	if amf.Unwrap(args[0]) != amf.Unwrap(args[1]) {
		t.Fatalf("the reference did not decode to the same object: %#v", args)
	}
	var typed bytes.Buffer
	if err := WritePacket(&typed, p, &Options{Typed: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(typed.String(), `"$ref":1`) {
		t.Errorf("typed JSON has no $ref: %s", typed.String())
	}
	back, err := AppendPacketJSON(nil, typed.Bytes())
	if err != nil || !bytes.Equal(back, want) {
		t.Errorf("typed JSON back = % X, %v\nwant % X\njson %s", back, err, want, typed.String())
	}
}

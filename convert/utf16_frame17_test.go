package convert

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// JSON in UTF-16 with no byte order mark (some tools write it so) is
// told by the zero bytes of its first characters, as RFC 4627 told
// JSON's encoding, and converts as its UTF-8 does. It was read as bare
// AMF3: "amf3: unknown or invalid marker 0x7b at offset 0".
func TestUTF16WithoutMark(t *testing.T) {
	const text = "{\"a\": 1, \"b\": \"caf\u00e9 \U0001F600\"}\r\n"
	want, err := Load([]byte(text), "in", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := want.Target(OutSpec{})
	wb, err := want.Render(wt, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, be := range []bool{false, true} {
		u := utf16Of(text, be)[2:]
		src, err := Load(u, "in", InSpec{})
		if err != nil || src.Kind != KindJSON || !src.UTF16 {
			t.Fatalf("big-endian %v: %v, kind %v", be, err, src.Kind)
		}
		if wantName := map[bool]string{false: "in (UTF-16LE, no byte order mark)", true: "in (UTF-16BE, no byte order mark)"}[be]; src.Name != wantName {
			t.Errorf("name %q, want %q", src.Name, wantName)
		}
		gt, _ := src.Target(OutSpec{})
		if gb, err := src.Render(gt, nil); err != nil || !bytes.Equal(gb, wb) {
			t.Errorf("big-endian %v: %x (%v), want %x", be, gb, err, wb)
		}
	}
	// AMF is never taken for it: its markers read as control
	// characters (a packet's 00 00 or 00 03 as NUL or U+0003).
	p, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Headers: []amf.Header{{Name: "a", Value: "b"}}, Messages: []amf.Message{{Target: "t", Response: "/1", Value: 1.0}}})
	o, _ := amf.Marshal(map[string]any{"a": "b"}, amf.AMF3)
	f, _ := amf.AppendFrame(nil, map[string]any{"a": "b"})
	for _, b := range [][]byte{p, o, f, []byte("{\x00a\x00\x01\x00}\x00"), []byte("x\x00y\x00"), {0x30, 0, 0x30, 0, 0x30, 0, 0, 0x30, 0x30, 0x30}} {
		if _, _, ok := decodeUTF16Text(b); ok {
			t.Errorf("% x taken for UTF-16 text", b)
		}
	}
}

// The place of a JSON error in UTF-16 input is the user's file's: the
// offset counts its bytes (after the mark, 2 a character, 4 a pair) and
// the column its characters. They were those of the UTF-8 copy read
// from it: "line 2, column 14 (offset 21)" for what an editor shows at
// column 12, 42 bytes into the file.
func TestUTF16ErrorPlace(t *testing.T) {
	const text = "{\"a\": 1,\n \"\u00e9\u00e9\U0001F600\": ,\n}"
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{utf16Of(text, false), "at line 2, column 9 (offset 38)"},
		{utf16Of(text, true), "at line 2, column 9 (offset 38)"},
		{utf16Of(text, false)[2:], "at line 2, column 9 (offset 36)"},
		{[]byte(text), "at line 2, column 14 (offset 22)"}, // UTF-8: bytes, as before
	} {
		src, err := Load(tc.data, "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		tg, _ := src.Target(OutSpec{})
		_, rerr := src.Render(tg, nil)
		_, werr := src.RenderTo(io.Discard, tg, nil)
		for _, err := range []error{rerr, werr} {
			var je *Error
			if err == nil || !strings.HasSuffix(err.Error(), tc.want) || !errors.As(err, &je) || !strings.HasPrefix(err.Error(), src.Name+": json: ") {
				t.Errorf("% x:\n got %v\nwant ... %s", tc.data[:6], err, tc.want)
			}
		}
	}
}

// Bytes that read as JSON in UTF-16 without a mark are read as what
// --from says when it says another kind (AMF0 values: 30 00 58 00).
func TestUTF16WithoutMarkNotWhenFromSays(t *testing.T) {
	d := []byte("0\x00X\x00")
	if src, _ := Load(d, "x", InSpec{}); src == nil || !src.UTF16 {
		t.Fatal("not read as UTF-16 when guessing")
	}
	for _, in := range []InSpec{{Kind: KindValue, KindSet: true, Version: amf.AMF0}, {Kind: KindPacket, KindSet: true}, {Kind: KindSocket, KindSet: true}} {
		if src, _ := Load(d, "x", in); src == nil || src.UTF16 || src.Name != "x" {
			t.Errorf("%+v: read as UTF-16", in)
		}
	}
	if src, _ := Load(d, "x", InSpec{Kind: KindJSON, KindSet: true}); src == nil || !src.UTF16 {
		t.Error("--from json: not read as UTF-16")
	}
}

package convert

import (
	"bytes"
	"testing"
)

// Bytes pasted as "\x0a\x0b" (Wireshark's "Copy as Escaped String",
// Python's and C's escapes), as 0x numbers (a C or Java byte array) or
// between colons (Wireshark's field bytes) were refused: "it is text,
// not AMF, JSON, hex or base64", or a JSON error at the 'x' or ':'.
// They are hex text now, guessed and with --from hex; anything that is
// not wholly one of these forms is read as before.
func TestHexFormsConv8(t *testing.T) {
	obj := []byte{0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x01, 0x01} // {"a":1}
	for _, in := range []string{
		`\x0a\x0b\x01\x03\x61\x04\x01\x01`,
		"\\x0a\\x0b\\x01\\x03\n\\x61\\x04\\x01\\x01\n",
		`\X0A\x0B\x01\x03\x61\x04\x01\x01`,
		"0x0a0b010361040101",
		"0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x01, 0x01",
		"0x0a,0x0b,0x01,0x03,\n0x61,0x04,0x01,0x01,",
		"0a:0b:01:03:61:04:01:01",
		"0a:0b:01:03\n61:04:01:01\n",
		// Wireshark's "Copy as Escaped String": 16 bytes a line.
		"\"\\x0a\\x0b\\x01\\x03\" \\\n\"\\x61\\x04\\x01\\x01\"\n",
		`"\x0a\x0b\x01\x03\x61\x04\x01\x01"`,
	} {
		g := Detect([]byte(in))
		if g.Encoding != Hex || g.Kind != KindValue || !bytes.Equal(g.Data, obj) {
			t.Errorf("%q: guessed %v %v % x, want hex text of % x", in, g.Kind, g.Encoding, g.Data, obj)
		}
		src, err := Load([]byte(in), "stdin", InSpec{Encoding: Hex, EncodingSet: true})
		if err != nil {
			t.Errorf("%q with --from hex: %v", in, err)
			continue
		}
		if !bytes.Equal(src.Data, obj) {
			t.Errorf("%q with --from hex: % x, want % x", in, src.Data, obj)
		}
		if out, err := src.Render(Target{Format: "json"}, &Options{}); err != nil || string(bytes.TrimSpace(out)) != `{"a":1}` {
			t.Errorf("%q: %q, %v; want {\"a\":1}", in, out, err)
		}
	}
	// Not wholly one form: as before (JSON, or an error).
	for _, in := range []string{
		`{"a": "0x0a"}`, "0x", `\x`, `\x0`, "0x0a0", "0x0a 0b", "0a:0b:1", "0a:0b:", "0a:0bcd", `\x0a 0b`, "12:34:", "[0x0a]", `"0a:0b"`, `"0x0a"`, `"\x0a" 0b`,
	} {
		if h := hexForm([]byte(in)); h != nil {
			t.Errorf("%q: read as the hex %q, want it left alone", in, h)
		}
	}
	if g := Detect([]byte(`{"a": "0x0a"}`)); g.Kind != KindJSON || g.Encoding != Raw {
		t.Errorf("JSON holding 0x0a: guessed %v %v", g.Kind, g.Encoding)
	}
}

// FuzzHexFormConv8: hexForm never panics, and what it gives is an even
// number of hex digits that DecodeHex reads, at most the text's length,
// the text's own digits (checkHexFormDigits).
func FuzzHexFormConv8(f *testing.F) {
	for _, s := range []string{`\x0a\x0b`, "\"\\x0a\" \\\n\"\\x0b\"", "0x0a, 0x0b", "0a:0b", "0x", `\x`, `"`, "0a:", ":"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		h := hexForm(text)
		if h == nil {
			return
		}
		if len(h)%2 != 0 || len(h) > len(text) {
			t.Fatalf("%q: %q", text, h)
		}
		if _, err := DecodeHex(h); err != nil {
			t.Fatalf("%q: %q: %v", text, h, err)
		}
		checkHexFormDigits(t, text, h)
	})
}

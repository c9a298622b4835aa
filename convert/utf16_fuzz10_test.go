package convert

import (
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzUTF16Text: any UTF-8 text saved as UTF-16 (with either byte order
// mark, as Windows PowerShell 5 and .NET write it) reads back as the
// same text, loads as the same kind, and converts to the same bytes as
// the UTF-8 text does, or fails where it fails. And whatever the bytes,
// DecodeUTF16 never panics, and text it accepts is exactly what the
// bytes say: encoded again with the same mark it gives the bytes back.
func FuzzUTF16Text(f *testing.F) {
	for _, s := range []string{
		`{"a":1}`, "{\r\n  \"b\": \"caf\u00e9 \U0001F600\"\r\n}\r\n",
		`{"amf":"packet","version":3,"headers":[],"messages":[{"target":"echo","response":"/1","body":["x"]}]}`,
		"0a0b010361040101\r\n", "CgsBA2EEAQE=\r\n", `\x0a\x0b\x01`, "0x0a0b01",
		"\u2028[1,2]", "\ufeff{}",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Add([]byte{0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE}, false) // a pair, little-endian
	f.Add([]byte{0xFE, 0xFF, 0xD8, 0x3D}, true)              // half a pair
	f.Fuzz(func(t *testing.T, data []byte, be bool) {
		if len(data) > 1<<16 {
			return
		}
		if text, ok := DecodeUTF16(data); ok {
			if !utf8.Valid(text) {
				t.Fatalf("%x: decoded text is not UTF-8: %x", data, text)
			}
			if back := utf16Of(string(text), data[0] == 0xFE); !bytes.Equal(back, data) {
				t.Fatalf("%x decodes to %q, which encodes back as %x", data, text, back)
			}
		}
		if !utf8.Valid(data) {
			return
		}
		if _, form, ok := decodeUTF16Text(data); ok && form.bom == 0 {
			// (frame17) Bytes that are JSON in UTF-16 without a mark
			// ("0\x00X\x00" is "0X") are read so, not as the UTF-8
			// text they also are.
			return
		}
		u := utf16Of(string(data), be)
		text, ok := DecodeUTF16(u)
		if !ok || !bytes.Equal(text, data) {
			t.Fatalf("%q as UTF-16 (big-endian %v) reads back as %q, %v", data, be, text, ok)
		}
		want, werr := Load(data, "in", InSpec{})
		got, gerr := Load(u, "in", InSpec{})
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: UTF-8 loads with %v, UTF-16 with %v", data, werr, gerr)
		}
		if werr != nil {
			return
		}
		if !got.UTF16 || got.Kind != want.Kind || got.Encoding != want.Encoding || !bytes.Equal(got.Data, want.Data) {
			t.Fatalf("%q: UTF-16 loads as %v/%v (UTF16 %v), UTF-8 as %v/%v", data, got.Kind, got.Encoding, got.UTF16, want.Kind, want.Encoding)
		}
		wt, werr := want.Target(OutSpec{})
		gt, gerr := got.Target(OutSpec{})
		if (werr == nil) != (gerr == nil) || wt != gt {
			t.Fatalf("%q: targets %+v (%v) and %+v (%v)", data, wt, werr, gt, gerr)
		}
		if werr != nil {
			return
		}
		o := func() *Options { return &Options{MaxOutput: 1 << 22} }
		wb, werr := want.Render(wt, o())
		gb, gerr := got.Render(gt, o())
		if (werr == nil) != (gerr == nil) || !bytes.Equal(wb, gb) {
			t.Fatalf("%q: UTF-8 converts to %x (%v), UTF-16 to %x (%v)", data, wb, werr, gb, gerr)
		}
	})
}

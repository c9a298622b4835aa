package convert

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// utf16Of is s as Windows PowerShell 5's > writes it: UTF-16 with a
// byte order mark, little-endian unless be.
func utf16Of(s string, be bool) []byte {
	var order binary.AppendByteOrder = binary.LittleEndian
	b := []byte{0xFF, 0xFE}
	if be {
		order, b = binary.BigEndian, []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

func TestDecodeUTF16(t *testing.T) {
	for _, s := range []string{"", "{\"a\": 1}\r\n", "caf\u00e9 \u2713 \U0001F600 \uFEFF"} {
		for _, be := range []bool{false, true} {
			got, ok := DecodeUTF16(utf16Of(s, be))
			if !ok || string(got) != s {
				t.Errorf("%q (big-endian %v): %q, %v", s, be, got, ok)
			}
		}
	}
	whole := utf16Of("a\U0001F600", false)
	for name, b := range map[string][]byte{
		"no mark":         []byte("{\"a\": 1}"),
		"UTF-8 mark":      []byte("\xEF\xBB\xBF{}"),
		"odd length":      whole[:len(whole)-1],
		"high half last":  whole[:len(whole)-2],
		"low half first":  append(utf16Of("a", false), 0x00, 0xDC),
		"two high halves": append(utf16Of("", false), 0x3D, 0xD8, 0x3D, 0xD8),
		"mark alone, odd": {0xFF, 0xFE, 0x00},
	} {
		if got, ok := DecodeUTF16(b); ok {
			t.Errorf("%s: read as %q", name, got)
		}
	}
}

// TestMisdecoded: UTF-8 that an OEM code page decoded on its way (what
// Windows PowerShell 5's > does to a program's output) is told from
// text that was UTF-16 from the start.
func TestMisdecoded(t *testing.T) {
	utf8Text := []byte("{\"name\": \"caf\u00e9 \u2713\"}")
	for _, cm := range []*charmap.Charmap{charmap.CodePage437, charmap.CodePage850} {
		seen, err := cm.NewDecoder().Bytes(utf8Text)
		if err != nil {
			t.Fatal(err)
		}
		if !Misdecoded(seen) {
			t.Errorf("%s: %s not seen as misdecoded", cm, seen)
		}
	}
	for _, s := range []string{"{\"a\": 1}", "{\"name\": \"caf\u00e9 \u2713 \u00fc\"}", "\u65e5\u672c\u8a9e", "\u00c3\u00a9t\u00e9"} {
		if Misdecoded([]byte(s)) {
			t.Errorf("%q seen as misdecoded", s)
		}
	}
}

// TestLoadUTF16: JSON, hex and base64 text in UTF-16 (Windows PowerShell
// 5's >, Out-File, .NET's "Unicode") converts as the same text in UTF-8;
// it was refused ("unknown or invalid marker 0xff at offset 0") with a
// hint to re-encode it with iconv, which Windows does not have.
func TestLoadUTF16(t *testing.T) {
	for _, text := range []string{"{\r\n  \"a\": [1, 2.5],\r\n  \"b\": \"caf\u00e9\"\r\n}\r\n", "0a0b010361040101\r\n", "CgsBA2EEAQE=\r\n"} {
		want, err := Load([]byte(text), "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		for _, be := range []bool{false, true} {
			src, err := Load(utf16Of(text, be), "in", InSpec{})
			if err != nil || !src.UTF16 || src.Kind != want.Kind || !bytes.Equal(src.Data, want.Data) || src.Misdecoded {
				t.Errorf("%q (big-endian %v): %v; kind %v, want %v", text, be, err, src.Kind, want.Kind)
			}
		}
	}
}

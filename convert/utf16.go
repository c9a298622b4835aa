package convert

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// DecodeUTF16 returns, as UTF-8 without the byte order mark, text that
// starts with a UTF-16 byte order mark (FF FE little-endian, as Windows
// PowerShell 5's > and Out-File write text, and .NET's "Unicode"; FE FF
// big-endian). ok is false when data does not start with one, has an odd
// length or holds half a surrogate pair: it is then not UTF-16 text. No
// AMF starts with FF or FE, so the mark tells text from AMF.
func DecodeUTF16(data []byte) (text []byte, ok bool) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return nil, false
	}
	if len(data)%2 != 0 {
		return nil, false
	}
	out := make([]byte, 0, len(data)/2)
	for i := 2; i < len(data); i += 2 {
		r := rune(order.Uint16(data[i:]))
		if utf16.IsSurrogate(r) {
			if r >= 0xDC00 || i+4 > len(data) {
				return nil, false // a low half first, or the text ends
			}
			r = utf16.DecodeRune(r, rune(order.Uint16(data[i+2:])))
			if r == utf8.RuneError {
				return nil, false
			}
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, true
}

// Misdecoded reports whether text, read from UTF-16, looks like UTF-8
// that was read as the console's OEM code page (437 or 850) on the way:
// Windows PowerShell 5 decodes a program's output that way before its >
// writes it as UTF-16, so amfcall's own "café" comes back as "cafÔö£ÔîÉ"
// (437) or "cafÃ©" (850). That is, text that has characters outside
// ASCII, all of which the code page has, whose bytes in that code page
// are UTF-8 with characters outside ASCII. The text read is then not
// what amfcall wrote, and cannot be told back for sure.
func Misdecoded(text []byte) bool {
	if isASCII(text) {
		return false
	}
	for _, cm := range []*charmap.Charmap{charmap.CodePage437, charmap.CodePage850} {
		b, err := cm.NewEncoder().Bytes(text)
		if err == nil && utf8.Valid(b) && !isASCII(b) {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Package termsafe knows the characters that the JSON amfcall prints
// escapes though JSON does not require it: what a terminal or an editor
// showing the output would act on. A server's or a file's text is written
// to stdout as JSON; C0 controls are escaped (\u001b) as JSON requires,
// and these are too:
//
//   - U+0080..U+009F, the C1 controls (U+009B is the 8-bit CSI, which
//     UTF-8 terminals that honour C1 controls run as ESC [);
//   - U+2028 and U+2029, line breaks to JavaScript and some editors;
//   - the bidi embeddings, overrides and isolates U+202A..U+202E and
//     U+2066..U+2069, which reorder what a terminal shows after them (the
//     "Trojan Source" trick).
//
// Not escaped: the bidi marks (U+200E, U+200F, U+061C) and other
// invisible format characters (U+200B, U+FEFF...), which only place or
// hide one character and occur in real text; messages on stderr
// (client/safetext) escape every non-printable rune. The output stays
// valid JSON that reads back to the same string, and is byte for byte
// what it was for text without these characters.
//
// The convert package's JSON writers and amf's dump both use it, so that
// the rule is written once.
package termsafe

// Rune reports the rune that valid UTF-8 s starts with, and its length,
// when it is one of the characters above; n is 0 for any other rune.
// Their UTF-8 forms all begin with 0xC2 or 0xE2.
func Rune(s []byte) (r rune, n int) {
	if len(s) >= 2 && s[0] == 0xc2 && s[1] >= 0x80 && s[1] < 0xa0 {
		return rune(s[1]), 2
	}
	if len(s) >= 3 && s[0] == 0xe2 {
		switch c := s[2]; s[1] {
		case 0x80:
			if c >= 0xa8 && c <= 0xae {
				return 0x2000 | rune(c&0x3f), 3
			}
		case 0x81:
			if c >= 0xa6 && c <= 0xa9 {
				return 0x2040 | rune(c&0x3f), 3
			}
		}
	}
	return 0, 0
}

// Is reports whether r is one of the characters above.
func Is(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

const hex = "0123456789abcdef"

// AppendEscape appends \uXXXX for r, a rune of the BMP.
func AppendEscape(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF])
}

// AppendJSON appends JSON text js (such as encoding/json writes) with the
// characters above escaped: they can only be inside its strings, so the
// result is the same JSON value. Other bytes, valid UTF-8 or not, are
// copied as they are.
func AppendJSON(dst, js []byte) []byte {
	start := 0
	for i := 0; i < len(js); i++ {
		if c := js[i]; c != 0xc2 && c != 0xe2 {
			continue
		}
		if r, n := Rune(js[i:]); n > 0 {
			dst = AppendEscape(append(dst, js[start:i]...), r)
			i += n - 1
			start = i + 1
		}
	}
	return append(dst, js[start:]...)
}

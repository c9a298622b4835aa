package convert

// The characters that the JSON this package writes escapes though JSON
// does not require it: what a terminal or an editor showing the output
// would act on (review F-A). A server's or a file's text is written to
// stdout as JSON; C0 controls were escaped (\u001b) as JSON requires, but
// the C1 controls reached the terminal raw (U+009B is the 8-bit CSI,
// which UTF-8 terminals that honour C1 controls run as ESC [).
//
// Escaped: U+0080..U+009F (C1 controls), U+2028 and U+2029 (line breaks
// to JavaScript and some editors; encoding/json escapes them too), and the
// bidi embeddings, overrides and isolates U+202A..U+202E and
// U+2066..U+2069 (they reorder what a terminal shows after them, the
// "Trojan Source" trick). Not escaped: the bidi marks (U+200E, U+200F,
// U+061C) and other invisible format characters (U+200B, U+FEFF...),
// which only place or hide one character and occur in real text; the
// messages on stderr (client/safetext) escape every non-printable rune.
// The output stays valid JSON that reads back to the same string, and is
// byte for byte what it was for text without these characters.

// escapeLead says which bytes of UTF-8 text appendEscaped looks at: the
// ASCII that JSON requires escaped, and the lead bytes of terminalRune's
// characters.
var escapeLead = func() (t [256]bool) {
	for i := 0; i < 0x20; i++ {
		t[i] = true
	}
	t['"'], t['\\'], t[0xc2], t[0xe2] = true, true, true, true
	return
}()

// terminalRune reports the rune that valid UTF-8 s starts with, and its
// length, when it is one that JSON output escapes though JSON does not
// require it, because a terminal or an editor would act on it: the C1
// controls U+0080..U+009F (U+009B is the 8-bit CSI), the line and
// paragraph separators U+2028 and U+2029 (line breaks to JavaScript and
// some editors), and the bidi embeddings, overrides and isolates
// U+202A..U+202E and U+2066..U+2069 (which reorder what is shown after
// them). n is 0 for any other rune.
func terminalRune(s []byte) (r rune, n int) {
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

// isTerminalRune reports whether appendEscaped escapes r (terminalRune).
func isTerminalRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f || r >= 0x2028 && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// appendRuneEscape appends \uXXXX for a rune of the BMP.
func appendRuneEscape(dst []byte, r rune) []byte {
	return append(dst, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// AppendTerminalSafe appends JSON text js (such as encoding/json writes)
// with the characters above escaped: they can only be inside its
// strings, so the result is the same JSON value. Other bytes, valid
// UTF-8 or not, are copied as they are.
func AppendTerminalSafe(dst, js []byte) []byte {
	start := 0
	for i := 0; i < len(js); i++ {
		if c := js[i]; c != 0xc2 && c != 0xe2 {
			continue
		}
		if r, n := terminalRune(js[i:]); n > 0 {
			dst = appendRuneEscape(append(dst, js[start:i]...), r)
			i += n - 1
			start = i + 1
		}
	}
	return append(dst, js[start:]...)
}

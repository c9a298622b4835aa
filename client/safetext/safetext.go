// Package safetext writes text that a server, a gateway or a file said
// so that it cannot drive a terminal: the one escaper of the client
// packages and of the gateway's log.
package safetext

import (
	"unicode"
	"unicode/utf8"
)

// Escape makes a string safe to write to a terminal: every rune that is not
// printable (control characters, C1 controls such as U+009B, bidi and
// other format characters) is written as an escape (\x1b, \u009b,
// \u202e), and so is each byte of invalid UTF-8 (\xff). A string longer
// than max bytes (0: no limit) is cut, with "..." after it.
func Escape(s string, max int) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean && (max <= 0 || len(s) <= max) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); {
		if max > 0 && len(b) >= max {
			b = append(b, "..."...)
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			b = append(b, `\x`...)
			b = append(b, hexDigits[s[i]>>4], hexDigits[s[i]&15])
		case r < 0x80 && (r < 0x20 || r == 0x7f):
			b = append(b, `\x`...)
			b = append(b, hexDigits[r>>4], hexDigits[r&15])
		case r >= 0x80 && !unicode.IsPrint(r):
			digits := 4
			b = append(b, `\u`...)
			if r > 0xFFFF {
				digits = 8
				b[len(b)-1] = 'U'
			}
			for k := digits - 1; k >= 0; k-- {
				b = append(b, hexDigits[(r>>(4*k))&15])
			}
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

const hexDigits = "0123456789abcdef"

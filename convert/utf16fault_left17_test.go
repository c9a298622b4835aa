package convert

import (
	"strings"
	"testing"
)

// TestUTF16FaultLeft17: JSON with a UTF-16 byte order mark that is not
// UTF-16 text (one odd byte at the end; a lone surrogate) is said so, at
// the bad unit's offset in the file. It was "invalid UTF-8 (JSON text
// must be UTF-8) at line 1, column 1 (offset 0)" (sec17).
func TestUTF16FaultLeft17(t *testing.T) {
	le := func(s string) []byte {
		var b []byte
		for _, c := range s {
			b = append(b, byte(c), 0)
		}
		return b
	}
	odd := append(append([]byte{0xFF, 0xFE}, le(`{"a":1}`)...), 0)
	sur := append(append(append([]byte{0xFF, 0xFE}, le(`{"a":"`)...), 0x00, 0xD8), le(`" x}`)...)
	be := []byte{0xFE, 0xFF, 0, '[', 0, '\n', 0xDC, 0x00, 0, ']'}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"odd", odd, "one byte (00) left over at the end, half a character (an odd number of bytes: cut short?) at line 1, column 8 (offset 16)"},
		{"surrogate", sur, "a high surrogate (U+D800) with no low surrogate after it (half a surrogate pair) at line 1, column 7 (offset 14)"},
		{"low first, BE", be, "(FE FF, big-endian): a low surrogate (U+DC00) with no high surrogate before it (half a surrogate pair) at line 2, column 1 (offset 6)"},
	} {
		_, err := Load(tc.b, tc.name, InSpec{Kind: KindJSON, KindSet: true})
		if err == nil || !strings.Contains(err.Error(), "not UTF-16 text after its byte order mark") || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

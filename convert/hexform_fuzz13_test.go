package convert

import (
	"strings"
	"testing"
)

// checkHexFormDigits (fuzz13): the digits hexForm gives are the text's
// own, in order, and all that is left of the text is what its forms
// write around them (escapes, 0x, colons, commas, quotes, white space).
func checkHexFormDigits(t *testing.T, text, h []byte) {
	t.Helper()
	j := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if j < len(h) && c == h[j] {
			j++
			continue
		}
		if !strings.ContainsRune("\\xX0:,\" \t\r\n", rune(c)) {
			t.Fatalf("%q: hexForm gives %q, leaving the byte %q at %d", text, h, c, i)
		}
	}
	if j != len(h) {
		t.Fatalf("%q: hexForm gives %q, whose digits from %d are not in the text", text, h, j)
	}
}

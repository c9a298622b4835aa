package safetext

import (
	"strings"
	"testing"
)

// TestEscapeCut: a long string is cut at a character boundary, never
// inside an escape or a rune, with "..." after it.
func TestEscapeCut(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{strings.Repeat("a", 10), 10, "aaaaaaaaaa"},
		{strings.Repeat("a", 11), 10, "aaaaaaaaaa..."},
		{"aaaaaaaaa\x1bbc", 10, `aaaaaaaaa\x1b...`},
		{"aaaaaaaaaé", 10, "aaaaaaaaaé"},
		{"aaaaaaaaaéb", 10, "aaaaaaaaaé..."},
		{"\xff", 0, `\xff`},
	}
	for _, tc := range tests {
		if got := Escape(tc.in, tc.max); got != tc.want {
			t.Errorf("Escape(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

package textcut

import (
	"testing"
	"unicode/utf8"
)

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc..."},
		{"", 0, ""},
		{"a", 0, "..."},
		// "é" is two bytes: a cut inside it keeps none of it.
		{"aé", 2, "a..."},
		{"aéb", 3, "aé..."},
		// A four-byte character cut anywhere inside.
		{"x😀y", 2, "x..."},
		{"x😀y", 4, "x..."},
		{"x😀y", 5, "x😀..."},
	} {
		got := Cut(tc.s, tc.n)
		if got != tc.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
		if utf8.ValidString(tc.s) && !utf8.ValidString(got) {
			t.Errorf("Cut(%q, %d) = %q: not valid UTF-8", tc.s, tc.n, got)
		}
	}
}

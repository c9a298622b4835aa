package termsafe

import (
	"encoding/json"
	"testing"
)

// Every rune Is names is escaped by AppendJSON and reads back the same;
// its neighbours are left as they are.
func TestAppendJSON(t *testing.T) {
	for _, tc := range []struct {
		r       rune
		escaped bool
	}{
		{0x7f, false}, {0x80, true}, {0x9b, true}, {0x9f, true}, {0xa0, false},
		{0x2027, false}, {0x2028, true}, {0x2029, true}, {0x202a, true}, {0x202e, true}, {0x202f, false},
		{0x2065, false}, {0x2066, true}, {0x2069, true}, {0x206a, false}, {0x200e, false}, {0xfeff, false},
	} {
		s := "a" + string(tc.r) + "b"
		js := []byte(`"` + s + `"`) // none of these needs escaping for JSON itself
		got := AppendJSON([]byte("x"), js)
		var back string
		if err := json.Unmarshal(got[1:], &back); err != nil || back != s {
			t.Errorf("%U: %q reads back %q (%v)", tc.r, got, back, err)
		}
		if escaped := string(got[1:]) != string(js); escaped != tc.escaped || Is(tc.r) != tc.escaped {
			t.Errorf("%U: escaped %v, Is %v, want %v (%q)", tc.r, escaped, Is(tc.r), tc.escaped, got)
		}
		if r, n := Rune([]byte(string(tc.r))); (n > 0) != tc.escaped || n > 0 && r != tc.r {
			t.Errorf("%U: Rune gives %U, %d", tc.r, r, n)
		}
	}
	// Not UTF-8, or cut short: copied as it is, no panic.
	for _, b := range [][]byte{{0xc2}, {0xe2, 0x80}, {0xe2}, {0xc2, 0x41}, {0xff, 0xe2, 0x81}} {
		if got := AppendJSON(nil, b); string(got) != string(b) {
			t.Errorf("% x became % x", b, got)
		}
	}
}

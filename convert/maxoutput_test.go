package convert

import "testing"

// TestMaxOutputAsGiven: a bound the caller gives is the bound, above the
// 1 GiB default too (--max-output 2G once stopped at 1 GiB, saying to
// raise --max-output); no bound is the default.
func TestMaxOutputAsGiven(t *testing.T) {
	for _, tc := range []struct {
		given int64
		want  int
	}{{0, 1 << 30}, {5, 5}, {1 << 30, 1 << 30}, {2 << 30, 2 << 30}, {1 << 40, 1 << 40}} {
		if got := newWriter(&Options{MaxOutput: tc.given}).maxOut; got != tc.want {
			t.Errorf("MaxOutput %d: the writers stop past %d bytes, want %d", tc.given, got, tc.want)
		}
	}
}

package convert

import (
	"bytes"
	"errors"
	"testing"
)

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

// TestLimitWriter: the first limit bytes pass, in whatever pieces they
// come; the write that passes the limit writes up to it and fails with
// the limit error (typed or plain as the options say), and so does
// every write after it.
func TestLimitWriter(t *testing.T) {
	for _, typed := range []bool{false, true} {
		var buf bytes.Buffer
		o := &Options{MaxOutput: 10, Typed: typed}
		lw := newLimitWriter(&buf, o)
		for _, p := range []string{"abc", "", "defg"} {
			if n, err := lw.Write([]byte(p)); n != len(p) || err != nil {
				t.Fatalf("Write(%q) = %d, %v within the limit", p, n, err)
			}
		}
		n, err := lw.Write([]byte("hijkl"))
		var le *OutputLimitError
		if n != 3 || !errors.As(err, &le) || le.Limit != 10 {
			t.Fatalf("Write past the limit = %d, %v; want 3 and the limit error", n, err)
		}
		if _, isTyped := err.(*TypedOutputLimitError); isTyped != typed {
			t.Errorf("typed %v: error %T", typed, err)
		}
		if n, err := lw.Write([]byte("x")); n != 0 || err == nil {
			t.Errorf("Write after the limit = %d, %v", n, err)
		}
		if buf.String() != "abcdefghij" {
			t.Errorf("passed %q, want the first 10 bytes", buf.String())
		}
	}
}

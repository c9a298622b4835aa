package client

import (
	"strings"
	"testing"
	"time"
)

// -vv's timings showed "sent 4.65ms, first byte 4.33ms" on 127.0.0.1:
// the hook that times the request's end ran after the reply's first
// byte was read. The trace never shows sent after first byte.
func TestTimingsNeverOutOfOrder(t *testing.T) {
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	for _, tc := range []struct {
		t    Timings
		want string
	}{
		{Timings{Connect: ms(0.2), Sent: ms(4.65), FirstByte: ms(4.33), Total: ms(5)}, "connect 200µs, first byte 4.33ms, total 5ms"},
		{Timings{Connect: ms(0.2), Sent: ms(1), FirstByte: ms(4.33), Total: ms(5)}, "connect 200µs, sent 1ms, first byte 4.33ms, total 5ms"},
		// No reply (a failed exchange): the request's end alone.
		{Timings{Sent: ms(1), Total: ms(2)}, "sent 1ms, total 2ms"},
	} {
		got := formatTimings(tc.t)
		if got != tc.want {
			t.Errorf("formatTimings(%+v) = %q, want %q", tc.t, got, tc.want)
		}
		if i, j := strings.Index(got, "sent"), strings.Index(got, "first byte"); i > j && j >= 0 {
			t.Errorf("%q: sent after first byte", got)
		}
	}
}

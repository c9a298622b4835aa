package convert

import (
	"strconv"
	"testing"
)

// TestAppendInt checks the shortcut integer writer of the plain path
// against strconv at the edges of its ranges.
func TestAppendInt(t *testing.T) {
	for _, i := range []int64{0, 1, 9, 10, 11, 99, 100, 127, 128, 999, 1000, 65535, 268435455, 99999999, 1e8, 1e8 + 1, -1, -10, -268435456, 1<<62 + 7, -1 << 63} {
		if got, want := string(appendInt([]byte("x"), i)), "x"+strconv.FormatInt(i, 10); got != want {
			t.Errorf("appendInt(%d) = %q, want %q", i, got, want)
		}
	}
}

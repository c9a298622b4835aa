package convert

import (
	"math"
	"strconv"
	"strings"
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

// TestPlainASCII checks the one-pass text test against its definition
// for every byte, in each position of a word and of the tail.
func TestPlainASCII(t *testing.T) {
	for c := 0; c < 256; c++ {
		want := c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
		for _, n := range []int{1, 7, 8, 9, 16, 19} {
			for at := 0; at < n; at++ {
				b := []byte(strings.Repeat("a", n))
				b[at] = byte(c)
				if got := plainASCII(b); got != want {
					t.Fatalf("plainASCII(%q) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// TestAppendPlainDouble checks the integral shortcut against the
// general double writer.
func TestAppendPlainDouble(t *testing.T) {
	xs := []float64{1, -1, 7, 1024, 48213, 1e14, 1e15 - 1, 1e15, 1e15 + 2, -1e15 + 1, 1e16, 1e21, 1e22, 0.5, -0.5, 2.002, 1e-7, 9007199254740993, math.MaxInt64, math.MinInt64, math.Copysign(0, -1), 0, 123456789012345}
	for _, x := range xs {
		if got, want := string(appendPlainDouble(nil, x)), string(appendDouble(nil, x, false)); got != want {
			t.Errorf("appendPlainDouble(%v) = %q, want %q", x, got, want)
		}
	}
}

package convert

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestAppendInt checks the shortcut integer writer of the plain path
// against strconv at the edges of its ranges.
func TestAppendInt(t *testing.T) {
	is := []int64{0, 1, 9, 10, 11, 99, 100, 127, 128, 999, 1000, 65535, 268435455, 99999999, 1e8, 1e8 + 1, -1, -10, -268435456, 1<<62 + 7, -1 << 63}
	for i := int64(0); i < 200000; i += 1 + i/1000 {
		is = append(is, i)
	}
	for _, i := range is {
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

// TestAppendShortDecimal holds the short-decimal writer to strconv (by
// way of appendDouble) for decimals of up to five fraction digits around
// the edges of its range, and for random doubles, which it mostly
// declines.
func TestAppendShortDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(x float64) {
		t.Helper()
		got, want := string(appendPlainDouble([]byte("x"), x)), "x"+string(appendDouble(nil, x, false))
		if got != want {
			t.Fatalf("appendPlainDouble(%v) = %q, want %q", x, got, want)
		}
	}
	for _, x := range []float64{0.1, 0.2, 0.3, 0.05, 0.0001, 0.00015, 1e-5, 999999999.9999, 999999999.99999, 1e9 - 0.5, 1e9 + 0.5,
		2.002, 29.97, 1000.96, 0.99, 1.005, 2.675, 1.0000001, 123456.7891, 5e-324, math.MaxFloat64, math.SmallestNonzeroFloat64} {
		check(x)
		check(-x)
	}
	for i := 0; i < 300000; i++ {
		k := rng.IntN(6)
		n := rng.Int64N(int64(math.Pow10(rng.IntN(14))) + 1)
		check(float64(n) / math.Pow10(k))
		check(-float64(n) / math.Pow10(k))
		check(math.Float64frombits(rng.Uint64()))
		check(rng.Float64() * math.Pow10(rng.IntN(12)))
	}
}

// TestAppendDate holds the date writer to the time package over the
// whole range it writes: both ends, leap days, and random instants.
func TestAppendDate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// The plain writer's, which keeps the last day's text: each check
	// runs it twice, after a date of another day and then of the same.
	p := &plainConv{day: math.MinInt64}
	check := func(ms int64) {
		t.Helper()
		want := `x"` + time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z") + `"`
		if got := string(appendDate([]byte("x"), ms)); got != want {
			t.Fatalf("appendDate(%d) = %s, want %s", ms, got, want)
		}
		for range 2 {
			if got := string(p.appendDate([]byte("x"), ms)); got != want {
				t.Fatalf("plainConv.appendDate(%d) = %s, want %s", ms, got, want)
			}
		}
	}
	for _, ms := range []int64{minDateMs, minDateMs + 1, maxDateMs, maxDateMs - 1, 0, -1, 1, 951782400000, 951868799999, 1700000000123,
		-62162121600000, -62135596800000, -86400000, 86399999} {
		check(ms)
	}
	for d := int64(minDateMs / 86400000); d <= maxDateMs/86400000; d += 1 + d&7 {
		check(d*86400000 + rng.Int64N(86400000))
	}
	for i := 0; i < 200000; i++ {
		check(minDateMs + rng.Int64N(maxDateMs-minDateMs+1))
	}
}

// TestScanNumber holds the JSON number shortcut of the direct JSON path
// to strconv: integers as ParseInt, decimals as ParseFloat, bit for bit.
func TestScanNumber(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	check := func(raw string) {
		t.Helper()
		n, frac, kind := scanNumber(raw)
		switch kind {
		case numInt:
			if want, err := strconv.ParseInt(raw, 10, 64); err != nil || want != n {
				t.Fatalf("scanNumber(%q) = int %d, ParseInt: %d, %v", raw, n, want, err)
			}
		case numDecimal:
			got := float64(n) / pow10[frac]
			if want, err := strconv.ParseFloat(raw, 64); err != nil || math.Float64bits(want) != math.Float64bits(got) && !(n == 0 && want == 0) {
				t.Fatalf("scanNumber(%q) = %d/10^%d = %v, ParseFloat: %v, %v", raw, n, frac, got, want, err)
			}
		}
	}
	for _, raw := range []string{"0", "-0", "1", "-1", "0.5", "-0.5", "123.99", "0.1", "0.30000000000000004", "999999999999999", "9999999999999999",
		"1.000000000000001", "123456789012345.6", "12345678901234.56", "1e5", "1.5e3", "-", "1.", ".5", "1.2.3", "9007199254740993"} {
		check(raw)
	}
	for i := 0; i < 300000; i++ {
		digits := strconv.FormatUint(rng.Uint64()>>rng.IntN(64), 10)
		check(digits)
		if k := rng.IntN(len(digits) + 1); k < len(digits) {
			check(digits[:k] + "." + digits[k:])
			check("-" + digits[:k] + "." + digits[k:])
		}
	}
}

// TestJSONAsAMFLongStringPath checks the position and path of a string
// too long for AMF3 on the direct JSON path, built as the error goes up
// through the arrays and objects. It needs 270 MB, so it runs only when
// AMFCALL_BIG_TESTS is set.
func TestJSONAsAMFLongStringPath(t *testing.T) {
	if os.Getenv("AMFCALL_BIG_TESTS") == "" {
		t.Skip("set AMFCALL_BIG_TESTS=1 to run (270 MB)")
	}
	prefix := `{"a":[1,{"b~/":"`
	data := make([]byte, 0, len(prefix)+amf.MaxInt+8)
	data = append(data, prefix...)
	data = append(data, bytes.Repeat([]byte("x"), amf.MaxInt+1)...)
	data = append(data, `"}]}`...)
	_, err := AppendJSONAsAMF(nil, data, amf.AMF3)
	var je *Error
	if !errors.As(err, &je) || je.Path != "/a/1/b~0~1" || je.Offset != int64(len(prefix)-1) {
		t.Fatalf("error %v (%#v), want one at offset %d, path /a/1/b~0~1", err, je, len(prefix)-1)
	}
}

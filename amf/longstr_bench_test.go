package amf_test

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

var sinkText string

// BenchmarkLongText times the copy of a long string out of the input
// with the search for 0xED (CESU-8) that decides whether it can be kept
// as it is: "scan+copy" (bytes.IndexByte, then string(s): the portable
// path), "onepass" (copyTextLong: one pass where the CPU has AVX2), and,
// as the floor both are held to, "copy" (string(s) alone, as a decoder
// that does not look at the bytes spends). Compare the three columns of
// one run (-count 6 or more, interleaved by benchstat -col /how).
func BenchmarkLongText(b *testing.B) {
	for _, n := range []int{1 << 10, 64 << 10, 4 << 20} {
		src := []byte(longString(n))
		for _, how := range []struct {
			name string
			f    func([]byte) (string, bool)
		}{
			{"copy", func(s []byte) (string, bool) { return string(s), false }},
			{"scan+copy", amf.CopyTextGeneric},
			{"onepass", amf.CopyTextLong},
		} {
			b.Run("n="+strconv.Itoa(n)+"/how="+how.name, func(b *testing.B) {
				runtime.GC()
				b.SetBytes(int64(n))
				loop(b, func() error {
					sinkText, _ = how.f(src)
					return nil
				})
			})
		}
	}
}

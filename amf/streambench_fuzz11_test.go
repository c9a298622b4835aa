package amf_test

import (
	"bytes"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// BenchmarkStreamReader (fuzz11) reads every token of each workload
// from a stream (an io.Reader), as BenchmarkReader does from bytes: the
// cost of the stream Reader's checks of lengths and counts against the
// bytes it has read (checkStream).
func BenchmarkStreamReader(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data, err := amf.Marshal(bc.make(), bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			var br bytes.Reader
			loop(b, func() error {
				br.Reset(data)
				return drainTokens(amf.NewStreamReader(&br, bc.ver))
			})
		})
	}
}

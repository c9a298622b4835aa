package convert

import (
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// BenchmarkLoadRender is what convert does with bare AMF3 values from
// a file (W1 x 30, about 1.7 MB): Load, then RenderTo as plain JSON,
// with the kind guessed from the content and with it given (--from).
// The two should cost about the same: guessing reads the first MiB
// only, and nothing else reads the whole input twice.
func BenchmarkLoadRender(b *testing.B) {
	data, err := amf.Marshal(amftest.W1(30000), amf.AMF3)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		in   InSpec
	}{
		{"guessed", InSpec{}},
		{"given", InSpec{Kind: KindValue, KindSet: true, Version: amf.AMF3}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				src, err := Load(data, "in", c.in)
				if err != nil {
					b.Fatal(err)
				}
				tg, err := src.Target(OutSpec{Format: "json"})
				if err != nil {
					b.Fatal(err)
				}
				if ok, err := src.RenderTo(io.Discard, tg, &Options{MaxOutput: 1 << 40}); !ok || err != nil {
					b.Fatal(ok, err)
				}
			}
		})
	}
}

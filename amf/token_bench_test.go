package amf_test

import (
	"io"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// BenchmarkReader reads every token of each workload, per byte of AMF:
// the token layer's own cost, under the direct JSON path.
func BenchmarkReader(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data, err := amf.Marshal(bc.make(), bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			var r amf.Reader
			loop(b, func() error {
				r.Reset(data, bc.ver)
				return drainTokens(&r)
			})
		})
	}
}

// BenchmarkReadBatch reads every token of each workload as the direct
// JSON path does, in runs (ReadBatch) and one at a time where a run
// stops, per byte of AMF.
func BenchmarkReadBatch(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data, err := amf.Marshal(bc.make(), bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			var r amf.Reader
			var batch [64]amf.BatchToken
			loop(b, func() error {
				r.Reset(data, bc.ver)
				for {
					if r.ReadBatch(batch[:]) > 0 {
						continue
					}
					if _, err := r.NextToken(); err != nil {
						if err == io.EOF {
							return nil
						}
						return err
					}
				}
			})
		})
	}
}

// BenchmarkWriter writes W1 through the token Writer, per byte of AMF.
func BenchmarkWriter(b *testing.B) {
	v := amftest.W1(1000)
	data, _ := amf.Marshal(v, amf.AMF3)
	b.SetBytes(int64(len(data)))
	var buf []byte
	loop(b, func() error {
		w := amf.AppendWriter(buf[:0], amf.AMF3)
		w.BeginArray(len(v.Dense))
		for _, it := range v.Dense {
			o := it.(*amf.Object)
			w.BeginObject(nil)
			for _, m := range o.Members {
				w.WriteName(m.Name)
				w.WriteValue(m.Value)
			}
			w.End()
		}
		w.End()
		var err error
		buf, err = w.Bytes()
		return err
	})
}

// drainTokens reads every token r has, as the benchmarks of the token
// layer do.
func drainTokens(r *amf.Reader) error {
	for {
		if _, err := r.NextToken(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

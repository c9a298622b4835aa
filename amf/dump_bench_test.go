package amf_test

import (
	"io"
	"runtime"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// BenchmarkDump explains the W1 result packet (1,000 objects of 8
// fields), AMF0 and AMF3, and writes its text form; DecodePacket on the
// same bytes is the yardstick (the dump reads them with the token Reader
// and also decodes the packet once to learn its reference numbering).
func BenchmarkDump(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.MarshalPacket(benchW1Packet(ver))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("W1/"+ver.String()+"/ranges", func(b *testing.B) {
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error { return amf.NewDump(data, amf.DumpPacket).Err })
		})
		b.Run("W1/"+ver.String()+"/text", func(b *testing.B) {
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error { return amf.NewDump(data, amf.DumpPacket).WriteText(io.Discard, nil, false) })
		})
	}
}

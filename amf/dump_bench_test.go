package amf_test

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// BenchmarkDump explains the W1 result packet (1,000 objects of 8
// fields), AMF0 and AMF3: "ranges" holds every range (NewDump), "text"
// streams the text form as amfcall dump does (WriteDumpText).
// BenchmarkDecodePacket on the same bytes is the yardstick; the dump also
// reads each message value once ahead with the token Reader, for its
// size and reference numbering.
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
			loop(b, func() error { return amf.WriteDumpText(io.Discard, data, amf.DumpPacket, nil, false) })
		})
	}
}

// BenchmarkDumpFLVAll explains an FLV file of one 4 MiB video tag as
// "amfcall dump --all" does, read as a stream: a line of hex for every 8
// bytes, the form whose cost grows with the input.
func BenchmarkDumpFLVAll(b *testing.B) {
	data := []byte{'F', 'L', 'V', 1, 1, 0, 0, 0, 9, 0, 0, 0, 0, 9, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	data = append(data, make([]byte, 4<<20)...)
	data = append(data, 0, 0x40, 0, 11)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	dm, err := amf.DecOptions{}.DecMode()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := dm.WriteFLVDumpText(io.Discard, bytes.NewReader(data), int64(len(data)), nil, true); err != nil {
			b.Fatal(err)
		}
	}
}

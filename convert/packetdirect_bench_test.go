package convert

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// convertPacketJSON converts data as "amfcall convert" does: Load, then
// RenderTo (the streamed paths), else Render.
func convertPacketJSON(b *testing.B, data []byte, o *Options) {
	src, err := Load(data, "in", InSpec{})
	if err != nil || src.Kind != KindPacket {
		b.Fatal(src.Kind, err)
	}
	tg := Target{Format: "json"}
	ok, err := src.RenderTo(io.Discard, tg, o)
	if !ok && err == nil {
		_, err = src.Render(tg, o)
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPacketJSON: a remoting reply whose one message holds W1
// (1000 objects, 56 KB) through the 0x11 switch, and the PyAMF captures
// (requests and replies of a few hundred bytes to a few KB, each
// converted in turn), to plain and typed JSON as "amfcall convert" does
// it (Load included), per input byte.
func BenchmarkPacketJSON(b *testing.B) {
	w1, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(1000)}}}})
	if err != nil {
		b.Fatal(err)
	}
	names, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	var captures [][]byte
	size := 0
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		if src, err := Load(data, name, InSpec{}); err != nil || src.Kind != KindPacket {
			continue // not guessed a packet
		}
		captures = append(captures, data)
		size += len(data)
	}
	if len(captures) == 0 {
		b.Fatal("no captures")
	}
	for _, form := range []struct {
		name string
		o    Options
	}{{"plain", Options{}}, {"typed", Options{Typed: true}}} {
		b.Run("W1/"+form.name, func(b *testing.B) {
			b.SetBytes(int64(len(w1)))
			b.ReportAllocs()
			for range b.N {
				convertPacketJSON(b, w1, &form.o)
			}
		})
		b.Run("captures/"+form.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for range b.N {
				for _, c := range captures {
					convertPacketJSON(b, c, &form.o)
				}
			}
		})
	}
}

package convert

import (
	"encoding/binary"
	"io"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// w1Frames is W1 (1000 objects, 55 KB of AMF3) as n AMF Socket frames,
// and its plain JSON lines.
func w1Frames(b *testing.B, n int) (frames, lines []byte) {
	one, err := amf.Marshal(amftest.W1(1000), amf.AMF3)
	if err != nil {
		b.Fatal(err)
	}
	for range n {
		frames = binary.BigEndian.AppendUint32(frames, uint32(len(one)))
		frames = append(frames, one...)
	}
	if lines, err = AppendFrames(nil, frames, &Options{}); err != nil {
		b.Fatal(err)
	}
	return frames, lines
}

// BenchmarkFramesPlain: 20 frames of W1 to plain JSON, streamed
// (RenderTo) and through the value model (Render), per input byte.
func BenchmarkFramesPlain(b *testing.B) {
	frames, _ := w1Frames(b, 20)
	src := &Source{Name: "frames", Kind: KindSocket, Data: frames}
	b.Run("streamed", func(b *testing.B) {
		b.SetBytes(int64(len(frames)))
		b.ReportAllocs()
		for range b.N {
			if ok, err := src.RenderTo(io.Discard, Target{Format: "json"}, &Options{}); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("model", func(b *testing.B) {
		b.SetBytes(int64(len(frames)))
		b.ReportAllocs()
		for range b.N {
			if _, err := src.Render(Target{Format: "json"}, &Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkFramesFromJSON: the plain JSON lines of 100 frames of W1 (18
// MB, past holdFrames) to frames, streamed (RenderTo) and whole
// (Render), per input byte.
func BenchmarkFramesFromJSON(b *testing.B) {
	_, lines := w1Frames(b, 100)
	src := &Source{Name: "lines", Kind: KindJSON, Data: lines}
	b.Run("streamed", func(b *testing.B) {
		b.SetBytes(int64(len(lines)))
		b.ReportAllocs()
		for range b.N {
			if ok, err := src.RenderTo(io.Discard, Target{Format: "socket"}, &Options{}); !ok || err != nil {
				b.Fatal(ok, err)
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(len(lines)))
		b.ReportAllocs()
		for range b.N {
			if _, err := src.Render(Target{Format: "socket"}, &Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// smallLines is n JSON lines of one small RPC object each, as a client
// script writes them for `convert --to socket` (review2 F21).
func smallLines(n int) []byte {
	return []byte(strings.Repeat(`{"command":"echo","params":{"a":1}}`+"\n", n))
}

// BenchmarkSmallLinesToFrames: 20,000 one-line documents to as many
// frames, each its own reference context (WriteFramesFromJSON), and the
// same lines to AMF3 values sharing one (WriteJSONAsAMF), per input
// byte. Each frame once cost a new Writer and scanner, some 20 KB.
func BenchmarkSmallLinesToFrames(b *testing.B) {
	lines := smallLines(20000)
	b.Run("frames", func(b *testing.B) {
		b.SetBytes(int64(len(lines)))
		b.ReportAllocs()
		for b.Loop() {
			if err := WriteFramesFromJSON(io.Discard, lines); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("amf3", func(b *testing.B) {
		b.SetBytes(int64(len(lines)))
		b.ReportAllocs()
		for b.Loop() {
			if err := WriteJSONAsAMF(io.Discard, lines, amf.AMF3); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package amf_test

import (
	"bytes"
	"runtime"
	"runtime/metrics"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// The workloads of issue 2 ("Speed"), shared with the convert benchmarks
// through package amftest:
//
//	W1  a remoting result of 1,000 anonymous objects of 8 fields
//	W2  one 4 MiB ByteArray
//	W3  100,000 small ints and short strings in one array
//	W4  an FLV onMetaData ECMA array with a keyframes object

// loop runs f under b.Loop and also reports the process CPU time per
// operation ("cpu-ns/op", GC workers included; on a shared machine it is
// steadier than the wall-clock ns/op) and what the runtime counts as the
// garbage collector's CPU time ("gc-cpu-ns/op": mark workers, assists,
// pauses; not the write barriers the code runs while marking), and the
// GC cycles per operation ("gcs/op"). The
// runtime's count is an estimate that includes mark workers run on idle
// Ps: on a loaded machine it can exceed cpu-ns/op, and only a quiet one
// gives a figure to compare (callgrind with GOGC=off and on is steadier).
func loop(b *testing.B, f func() error) {
	b.ReportAllocs()
	c0, g0, k0 := cpuTime(), gcCPU(), gcCycles()
	n := 0
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if c := cpuTime() - c0; c > 0 && n > 0 {
		b.ReportMetric(float64(c.Nanoseconds())/float64(n), "cpu-ns/op")
		b.ReportMetric((gcCPU()-g0)*1e9/float64(n), "gc-cpu-ns/op")
		b.ReportMetric(float64(gcCycles()-k0)/float64(n), "gcs/op")
	}
}

// gcCPU is the runtime's estimate of the CPU seconds spent in the garbage
// collector so far (runtime/metrics; updated at each GC cycle's end).
func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// gcCycles is the number of GC cycles completed so far: with the bytes
// allocated per operation and the heap left live, it sets how often the
// collector's fixed costs (roots, stacks, sweeping) are paid.
func gcCycles() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

type benchCase struct {
	name string
	ver  amf.Version
	make func() any
}

// benchCases builds each workload on demand, so that no benchmark runs
// with the others' values alive (their GC scanning would be measured too).
var benchCases = []benchCase{
	{"W1/amf0", amf.AMF0, func() any { return amftest.W1(1000) }},
	{"W1/amf3", amf.AMF3, func() any { return amftest.W1(1000) }},
	{"typed/amf3", amf.AMF3, func() any { return typed(amftest.W1(1000)) }},
	{"W2/amf0", amf.AMF0, func() any { return longString(4 << 20) }},
	{"W2/amf3", amf.AMF3, func() any { return amftest.W2(4 << 20) }},
	{"W3/amf0", amf.AMF0, func() any { return amftest.W3(100000) }},
	{"W3/amf3", amf.AMF3, func() any { return amftest.W3(100000) }},
	{"W4/amf0", amf.AMF0, func() any { return amftest.W4() }},
}

// typed is W1 with class names (benchmark "typed", not "W1typed", so that
// a -bench pattern for W1 does not match it), as a BlazeDS reply holds
// typed objects (in AMF3 their members are sealed).
func typed(a *amf.Array) *amf.Array {
	for _, it := range a.Dense {
		o := it.(*amf.Object)
		o.Class = "com.example.Product"
		for _, m := range o.Members {
			if s, ok := m.Value.(*amf.Object); ok {
				s.Class = "com.example.Supplier"
			}
		}
	}
	return a
}

// longString is W2 for AMF0, which has no ByteArray: an AMF0 long
// string of n printable ASCII bytes (as in testdata/bench/peers).
func longString(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(' ' + i%95)
	}
	return string(b)
}

func BenchmarkDecode(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data, err := amf.Marshal(bc.make(), bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				var v any
				return amf.Unmarshal(data, bc.ver, &v)
			})
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			v := bc.make()
			data, err := amf.Marshal(v, bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				_, err := amf.Marshal(v, bc.ver)
				return err
			})
		})
	}
}

// BenchmarkAppend is BenchmarkEncode into a reused buffer: the encoder
// allocates nothing at all.
func BenchmarkAppend(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			v := bc.make()
			buf, err := amf.Marshal(v, bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			b.SetBytes(int64(len(buf)))
			loop(b, func() error {
				buf, err = amf.Append(buf[:0], v, bc.ver)
				return err
			})
		})
	}
}

// benchW1Packet is W1 as the response packet a gateway sends: amf.AMF0 result
// or, for amf.AMF3, the result through the 0x11 switch.
func benchW1Packet(ver amf.Version) *amf.Packet {
	var v any = amftest.W1(1000)
	if ver == amf.AMF3 {
		v = amf.AVMPlus{v}
	}
	return &amf.Packet{Version: uint16(ver), Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: v}}}
}

func BenchmarkDecodePacket(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.MarshalPacket(benchW1Packet(ver))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("W1/"+ver.String(), func(b *testing.B) {
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				_, err := amf.UnmarshalPacket(data)
				return err
			})
		})
	}
}

func BenchmarkEncodePacket(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		p := benchW1Packet(ver)
		data, err := amf.MarshalPacket(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("W1/"+ver.String(), func(b *testing.B) {
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				_, err := amf.MarshalPacket(p)
				return err
			})
		})
	}
}

// BenchmarkCopyBaseline is the memory-copy speed W2 decoding is held to:
// copying 4 MiB into a fresh slice (a decoded ByteArray owns its bytes),
// with make and copy and with bytes.Clone.
func BenchmarkCopyBaseline(b *testing.B) {
	src := amftest.W2(4 << 20).Data
	runtime.GC()
	b.Run("make+copy", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		loop(b, func() error {
			dst := make([]byte, len(src))
			copy(dst, src)
			return nil
		})
	})
	b.Run("bytes.Clone", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		loop(b, func() error {
			_ = bytes.Clone(src)
			return nil
		})
	})
}

// BenchmarkDecodeArena is BenchmarkDecode into an amf.Arena, which
// reuses the memory of the last decode's values.
func BenchmarkDecodeArena(b *testing.B) {
	for _, bc := range benchCases {
		b.Run(bc.name, func(b *testing.B) {
			data, err := amf.Marshal(bc.make(), bc.ver)
			if err != nil {
				b.Fatal(err)
			}
			a := amf.NewArena()
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				var v any
				return a.Unmarshal(data, bc.ver, &v)
			})
		})
	}
}

// BenchmarkDecodePacketArena is BenchmarkDecodePacket into an amf.Arena.
func BenchmarkDecodePacketArena(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		b.Run("W1/"+ver.String(), func(b *testing.B) {
			data, err := amf.MarshalPacket(benchW1Packet(ver))
			if err != nil {
				b.Fatal(err)
			}
			a := amf.NewArena()
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error {
				_, err := a.UnmarshalPacket(data)
				return err
			})
		})
	}
}

// BenchmarkMarkDecoded is the garbage collector's work for decoded
// values that are kept: a full collection (runtime.GC) with 16 decoded
// W1 results alive, per result. What the collector does per pointer of
// the value model (the chunks, the strings, the boxed values they point
// to) shows here without the decoder's own time; with callgrind it is
// steady where BenchmarkDecode's GC share is not.
func BenchmarkMarkDecoded(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		b.Run("W1/"+ver.String(), func(b *testing.B) {
			data, err := amf.Marshal(amftest.W1(1000), ver)
			if err != nil {
				b.Fatal(err)
			}
			kept := make([]any, 16)
			for i := range kept {
				if err := amf.Unmarshal(data, ver, &kept[i]); err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			b.ReportAllocs()
			for b.Loop() {
				runtime.GC()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(kept)), "ns/value")
			runtime.KeepAlive(kept)
		})
	}
}

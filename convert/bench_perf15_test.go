//go:build unix

package convert

import (
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// cpuNow is the CPU time of the process so far (user and system).
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchDirectCPU is benchDirect reporting the CPU time per operation and
// the rate it gives (cpu-MB/s) besides the wall time: on a shared
// machine a benchmark descheduled part of the time reads slower by the
// wall clock, not by the CPU it used.
func benchDirectCPU(b *testing.B, data []byte, ver amf.Version) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out []byte
	c0, n := cpuNow(), 0
	for b.Loop() {
		var err error
		out, err = AppendAMF(out[:0], data, ver, &Options{})
		if err != nil {
			b.Fatal(err)
		}
		n++
	}
	if c := cpuNow() - c0; c > 0 && n > 0 {
		ns := float64(c.Nanoseconds()) / float64(n)
		b.ReportMetric(ns, "cpu-ns/op")
		b.ReportMetric(float64(len(data))*1e3/ns, "cpu-MB/s")
	}
}

// BenchmarkDirectCPU_W1_AMF3 is BenchmarkDirect_W1_AMF3 with the CPU
// time (benchDirectCPU); the others are the same for the workloads a
// change to the W1 path must not slow.
func BenchmarkDirectCPU_W1_AMF3(b *testing.B) {
	benchDirectCPU(b, mustMarshal(b, amftest.W1(1000), amf.AMF3), amf.AMF3)
}

func BenchmarkDirectCPU_W1_AMF0(b *testing.B) {
	benchDirectCPU(b, mustMarshal(b, amftest.W1(1000), amf.AMF0), amf.AMF0)
}

func BenchmarkDirectCPU_W3(b *testing.B) {
	benchDirectCPU(b, mustMarshal(b, amftest.W3(100000), amf.AMF3), amf.AMF3)
}

func BenchmarkDirectCPU_W4(b *testing.B) {
	benchDirectCPU(b, mustMarshal(b, amftest.W4(), amf.AMF0), amf.AMF0)
}

func BenchmarkDirectCPU_W1Sealed_AMF3(b *testing.B) {
	benchDirectCPU(b, mustMarshal(b, sealedW1(1000), amf.AMF3), amf.AMF3)
}

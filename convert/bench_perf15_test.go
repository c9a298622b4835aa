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

// BenchmarkDirectCPU_W1_AMF3 is BenchmarkDirect_W1_AMF3 reporting the
// CPU time per operation and the rate it gives (cpu-MB/s) besides the
// wall time: on a shared machine a benchmark descheduled part of the time
// reads slower by the wall clock, not by the CPU it used.
func BenchmarkDirectCPU_W1_AMF3(b *testing.B) {
	data := mustMarshal(b, amftest.W1(1000), amf.AMF3)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out []byte
	c0, n := cpuNow(), 0
	for b.Loop() {
		var err error
		out, err = AppendAMF(out[:0], data, amf.AMF3, &Options{})
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

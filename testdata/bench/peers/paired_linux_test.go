//go:build linux

package peers

import (
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// threadCPU is the CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkPaired is BenchmarkDecode measured in pairs, for a machine too
// busy for separate runs to compare closely: each op decodes the
// workload once with every peer that decodes it correctly, back to back
// on one locked thread, each peer first in turn, and times each decode
// by that thread's CPU time (the decoder's own work, page faults on its
// memory included; the collector's work on other threads is not). The
// metric PEER/amfcall is the median over ops of that peer's time over
// amfcall's in the same op: above 1, amfcall was quicker. A slow spell
// of the machine falls on every peer of an op alike.
func BenchmarkPaired(b *testing.B) {
	for _, spec := range Workloads() {
		b.Run("work="+spec.Name, func(b *testing.B) {
			w, err := spec.Build()
			if err != nil {
				b.Fatal(err)
			}
			var ps []*Peer
			for _, p := range Peers() {
				if p.Speaks(w) && Verdict(p, w) == "ok" {
					ps = append(ps, p)
				}
			}
			if len(ps) < 2 || ps[0].Name != "amfcall" {
				b.Skip("no peer to pair amfcall with")
			}
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			runtime.GC()
			b.SetBytes(int64(len(w.Data) * len(ps)))
			ratios := make([][]float64, len(ps))
			t := make([]time.Duration, len(ps))
			for i := 0; b.Loop(); i++ {
				for k := range ps {
					j := (i + k) % len(ps)
					t0 := threadCPU()
					if _, err := ps[j].Decode(w.Data, w.AMF3); err != nil {
						b.Fatal(err)
					}
					t[j] = threadCPU() - t0
				}
				if t[0] > 0 {
					for j := 1; j < len(ps); j++ {
						ratios[j] = append(ratios[j], float64(t[j])/float64(t[0]))
					}
				}
			}
			for j := 1; j < len(ps); j++ {
				if r := ratios[j]; len(r) > 0 {
					slices.Sort(r)
					b.ReportMetric(r[len(r)/2], ps[j].Name+"/amfcall")
				}
			}
		})
	}
}

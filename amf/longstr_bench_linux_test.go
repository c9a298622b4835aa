//go:build linux

package amf_test

import (
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
)

// threadCPU is the CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkLongTextPaired is BenchmarkLongText measured in pairs, for a
// machine too busy for separate runs to compare: each op copies the same
// string three ways back to back on one thread (copy alone, scan+copy,
// onepass; each first in turn), and the metrics are the medians of each way's thread CPU
// time over that of the copy alone in the same op (1.00: as quick as a
// bare copy). A slow spell falls on all three alike.
func BenchmarkLongTextPaired(b *testing.B) {
	for _, n := range []int{64 << 10, 4 << 20} {
		src := []byte(longString(n))
		b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			runtime.GC()
			b.SetBytes(3 * int64(n))
			ways := [3]func([]byte) (string, bool){
				func(s []byte) (string, bool) { return string(s), false },
				amf.CopyTextGeneric,
				amf.CopyTextLong,
			}
			var scan, one []float64
			for i := 0; b.Loop(); i++ {
				var t [3]time.Duration
				for k := range 3 { // in turn, each way first
					w := (i + k) % 3
					t0 := threadCPU()
					sinkText, _ = ways[w](src)
					t[w] = threadCPU() - t0
				}
				if t[0] > 0 {
					scan = append(scan, float64(t[1])/float64(t[0]))
					one = append(one, float64(t[2])/float64(t[0]))
				}
			}
			if len(scan) > 0 {
				slices.Sort(scan)
				slices.Sort(one)
				b.ReportMetric(scan[len(scan)/2], "scan+copy/copy")
				b.ReportMetric(one[len(one)/2], "onepass/copy")
			}
		})
	}
}

//go:build unix

package peers

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used, all
// threads together: the garbage collector's background work included;
// and the minor page faults it has taken (a page of a fresh or released
// heap span touched for the first time: the kernel's zeroing is in the
// system time).
func cpuTime() (time.Duration, int64) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), int64(ru.Minflt)
}

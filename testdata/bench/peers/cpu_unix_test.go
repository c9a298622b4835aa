//go:build unix

package peers

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the process has used, all
// threads together: the garbage collector's background work included.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

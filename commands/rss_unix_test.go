//go:build unix

package commands

import (
	"os"
	"runtime"
	"syscall"
)

// childPeakRSS is the peak resident set size of the exited child ps, in
// bytes; ok is false where the system does not say.
func childPeakRSS(ps *os.ProcessState) (rss int64, ok bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, false
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss), true // bytes there
	}
	return int64(ru.Maxrss) * 1024, true // KiB on Linux and the BSDs
}

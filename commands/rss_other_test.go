//go:build !unix

package commands

import "os"

// childPeakRSS reports false: only Unix's getrusage is read.
func childPeakRSS(ps *os.ProcessState) (int64, bool) { return 0, false }

//go:build unix

package commands

import (
	"os"
	"syscall"
)

// mapFile maps size bytes of f from offset 0, copy-on-write (Load may
// blank a byte order mark in place), or reports false. The mapping is
// never unmapped: what is made of the input (errors, sources) may point
// into it until the process ends.
func mapFile(f *os.File, size int64) ([]byte, bool) {
	if size <= 0 || size != int64(int(size)) {
		return nil, false
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return b, true
}

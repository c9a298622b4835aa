//go:build unix

package commands

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// mapSupported says whether mapFile can map a file here.
const mapSupported = true

// dropPages tells the kernel that the process needs none of the pages
// of m, a mapping of a file it has not written to, for now: they leave
// its resident set, and a page read again comes back from the page
// cache (or the file) as it was.
func dropPages(m []byte) { _ = unix.Madvise(m, unix.MADV_DONTNEED) }

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

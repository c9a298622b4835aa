//go:build linux

package commands

import (
	"fmt"
	"io"
	"syscall"
)

// readReserved reads r to its end into an anonymous private mapping of
// n+1 bytes of address space (MAP_NORESERVE), of which only the pages
// written to take memory: a stream of unknown length read into one
// buffer, without the copy and the chunks readAtMost needs to join it
// (W1 x 100 from a pipe: 5.6 MB less copied, 5.6 MB less resident). ok
// is false, having read nothing, when the address space is refused
// (a strict overcommit policy, a ulimit -v); the caller then reads.
// The mapping is never unmapped: its pages are the input.
func readReserved(r io.Reader, n int64) (data []byte, ok bool, err error) {
	if n+1 != int64(int(n+1)) {
		return nil, false, nil
	}
	mem, err := syscall.Mmap(-1, 0, int(n+1), syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		return nil, false, nil
	}
	total := 0
	for total < len(mem) {
		k, err := r.Read(mem[total:min(total+readChunkMax, len(mem))])
		total += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, true, err
		}
	}
	if int64(total) > n {
		return nil, true, withCode(exitInput, fmt.Errorf("input is larger than %d bytes", n))
	}
	return mem[:total:total], true, nil
}

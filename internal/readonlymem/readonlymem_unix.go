//go:build unix

package readonlymem

import (
	"runtime/debug"
	"syscall"
	"testing"
)

// Copy returns a copy of data in memory that takes no writes, unmapped
// when the test ends; it skips the test where the system gives no such
// memory.
func Copy(tb testing.TB, data []byte) []byte {
	tb.Helper()
	b, err := syscall.Mmap(-1, 0, max(len(data), 1), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		tb.Skip("no anonymous mapping:", err)
	}
	copy(b, data)
	if err := syscall.Mprotect(b, syscall.PROT_READ); err != nil {
		tb.Skip("no mprotect:", err)
	}
	tb.Cleanup(func() { _ = syscall.Munmap(b) })
	return b[:len(data)]
}

// NoWrite runs f, failing the test when f writes into memory from Copy
// (debug.SetPanicOnFault makes the fault a panic, recovered here).
func NoWrite(tb testing.TB, what string, f func()) {
	tb.Helper()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			tb.Errorf("%s wrote into its input: %v", what, r)
		}
	}()
	f()
}

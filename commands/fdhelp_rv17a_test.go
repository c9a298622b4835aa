//go:build linux

package commands

import (
	"os"
	"syscall"
	"testing"
)

// shellGiven makes f's descriptor as one a shell gives amfcall with
// "3>FILE": inherited through exec, so without close-on-exec (Go opens
// every file with it).
func shellGiven(t *testing.T, f *os.File) {
	t.Helper()
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), syscall.F_SETFD, 0); errno != 0 {
		t.Fatal(errno)
	}
}

//go:build unix

package commands

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// "amfcall demo | head -3": the reader went away, SIGPIPE ended demo at
// its next write, and its temporary folder (the gateway's images) was
// left in $TMPDIR, where --help says nothing is left behind. It now ends
// with 141, as a broken pipe ends a program, and its folder removed.
func TestDemoReaderGoneLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close() // the reader is gone before the first line
	cmd := exec.Command(os.Args[0], "demo")
	cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "TMPDIR="+tmp)
	var stderr syncBuffer
	cmd.Stdout, cmd.Stderr = pw, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a hang, not a timing
		cmd.Process.Kill()
		t.Fatal("demo did not end when its reader went away")
	}
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !(ws.Signaled() && ws.Signal() == syscall.SIGPIPE) && ws.ExitStatus() != exitBrokenPipe {
		t.Errorf("demo with its reader gone: %v, want 141 (SIGPIPE); stderr %q", cmd.ProcessState, stderr.b.String())
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("demo left %s in $TMPDIR", e.Name())
	}
}

//go:build unix

package commands

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// --sample to a file that is no regular file (/dev/null, /dev/stdout, a
// FIFO) writes the sample there, as > does. It read the file to compare
// it with the sample: /dev/null was "the file exists, and is not the
// sample image" (exit 2), and "demo --sample /dev/stdout | ..." read its
// own pipe and hung for ever.
func TestDemoSampleNotRegular(t *testing.T) {
	if _, stderr, code := runCLI(t, nil, "demo", "--sample", os.DevNull); code != 0 {
		t.Errorf("--sample %s: exit %d: %s", os.DevNull, code, stderr)
	}

	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	done := make(chan int, 1)
	go func() {
		_, _, code := runCLI(t, nil, "demo", "--sample", fifo)
		done <- code
	}()
	select {
	case code := <-done:
		if b := <-got; code != 0 || !bytes.Equal(b, sampleJPEG) {
			t.Errorf("--sample FIFO: exit %d, %d bytes through the FIFO", code, len(b))
		}
	case <-time.After(10 * time.Second): // a hang, not a timing
		t.Fatal("--sample FIFO did not end")
	}
}

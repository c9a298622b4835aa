package commands

import (
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// serve --socket had no bound on a frame's total time: one trickled a
// byte at a time, never idle for --socket-idle-timeout, held its
// connection (and its budget) for hours. --max-body-time, HTTP's bound
// on a whole body, now bounds a socket frame too: the connection is
// dropped, and logged, once a frame begun is not whole within it.
func TestServeSocketMaxFrameTime(t *testing.T) {
	sock := make(chan string, 1)
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { socketServeStarted = nil })
	_, stop := startServe(t, "--socket", "127.0.0.1:0", "--max-body-time", "300ms")
	addr := <-sock
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], 1000) // 1000 bytes, 50 s at this pace
	if _, err := nc.Write(hdr[:]); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if _, err := nc.Write([]byte{0x02}); err != nil {
				return
			}
		}
	}()
	nc.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err = io.Copy(io.Discard, nc)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a frame trickled steadily still open after 3s, with --max-body-time 300ms")
	}
	_, log := stop()
	if !strings.Contains(log, "frame 1 (1000 bytes) not whole within 300ms") {
		t.Errorf("serve's log lacks the frame dropped:\n%s", log)
	}
}

package commands

import (
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// serve --socket's bound on a frame's time (--max-body-time) ran from
// the frame's whole length header: a header trickled a byte at a time,
// each within --socket-idle-timeout, added up to four idle timeouts
// before it began, and a header left at 3 of its 4 bytes was bound by
// the idle timeout alone. It now runs from the frame's first byte.
func TestServeSocketFrameTimeFromFirstByte(t *testing.T) {
	sock := make(chan string, 1)
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { socketServeStarted = nil })
	_, stop := startServe(t, "--socket", "127.0.0.1:0", "--max-body-time", "300ms", "--socket-idle-timeout", "30s")
	addr := <-sock
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	for _, b := range []byte{0, 0, 3} { // 3 bytes of a header, then nothing
		if _, err := nc.Write([]byte{b}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	nc.SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err = io.Copy(io.Discard, nc)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a frame of 3 header bytes still open after 3s, with --max-body-time 300ms")
	}
	_, log := stop()
	if !strings.Contains(log, "frame 1 not whole (its 4-byte length header had not come) within 300ms") {
		t.Errorf("serve's log lacks the frame dropped:\n%s", log)
	}
}

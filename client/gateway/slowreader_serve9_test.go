package gateway

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSlowImageReaderDropped: a client that reads an image slower than
// the minimum rate (after the grace of the body timeout) loses its
// connection, as a slow request body does. Before, only each write's
// timeout bounded it: a client reading a little now and then held its
// connection (and a place of --max-conns) for as long as the image
// lasted at its pace, days for a large one.
func TestSlowImageReaderDropped(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{MinBodyRate: 8 << 20, Log: &logBuf})
	g.idle = 100 * time.Millisecond
	const size = 64 << 20 // more than the socket buffers of both ends
	f, err := os.Create(filepath.Join(g.ImagesDir(), "big.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	addr := startServe(t, g)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /images/big.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	// 16 KiB every 20 ms: about 800 KB/s, a tenth of the minimum; the
	// whole image would take 80 s.
	got := int64(0)
	buf := make([]byte, 16<<10)
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(buf)
		got += int64(n)
		if err != nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got >= size {
		t.Fatalf("the slow client read the whole image (%d bytes)", got)
	}
	want := "GET /images/big.jpg -> 200, "
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logBuf.String(), "dropped, the client reads too slowly"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("read %d bytes; the log does not say the client was dropped:\n%s", got, logBuf.String())
		}
	}
	if !strings.Contains(logBuf.String(), want) {
		t.Errorf("log:\n%s", logBuf.String())
	}
}

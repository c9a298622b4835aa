package gateway

import (
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestCutBodyLogged: a client that closes its connection in the middle
// of its body (an upload given up with Ctrl-C) is logged as such, with
// how much of the body came. Before, the log said "400 The request body
// was unable to be successfully decoded: reading the ByteArray:
// unexpected EOF" for an upload streamed to disk, which reads as a
// malformed request.
func TestCutBodyLogged(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{Log: &logBuf})
	srv := httptest.NewServer(g)
	defer srv.Close()
	for _, size := range []int{1000, 1 << 20} { // read whole, and streamed
		body := packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: bigImage(size)}, "jpg")
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(body))
		conn.Write(body[:600])
		conn.Close()
		want := fmt.Sprintf("POST / -> 400 The request body was cut short: the client closed the connection after 600 of the %d bytes of the body.\n", len(body))
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logBuf.String(), want); {
			if time.Now().After(deadline) {
				t.Fatalf("size %d: no line %q in the log:\n%s", size, want, logBuf.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if strings.Contains(logBuf.String(), "unable to be successfully decoded") {
		t.Errorf("a body cut short was logged as one that does not decode:\n%s", logBuf.String())
	}
	if parts := partFiles(t, g.ImagesDir()); len(parts) != 0 {
		t.Fatalf("left behind: %v", parts)
	}
}

package gateway

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestShutdownCutsOff: Serve, told to stop while an upload is under
// way, says in the log that it waits for it, and when the wait runs out
// returns a *ShutdownError counting the requests cut off; the upload's
// temporary file goes. Before, the log said nothing while it waited,
// and Serve returned "gateway: shutdown: context deadline exceeded",
// which serve made exit 3 with an error, for a Ctrl-C.
func TestShutdownCutsOff(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{Log: &logBuf})
	g.shutdownWait = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, ln) }()

	body := packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: bigImage(1 << 20)}, "jpg")
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(body))
	conn.Write(body[:len(body)/2])
	for deadline := time.Now().Add(10 * time.Second); len(partFiles(t, g.ImagesDir())) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the upload's temporary file never appeared")
		}
	}
	cancel()
	var se *ShutdownError
	select {
	case err := <-done:
		if !errors.As(err, &se) || se.Requests != 1 || se.Wait != 200*time.Millisecond {
			t.Fatalf("Serve returned %v, want a *ShutdownError of 1 request after 200ms", err)
		}
		if want := "gateway: 1 request still under way after 200ms cut off as the gateway stopped"; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not return")
	}
	if !strings.Contains(logBuf.String(), " stopping: waiting up to 200ms for the 1 request under way\n") {
		t.Errorf("the log does not say it waits:\n%s", logBuf.String())
	}
	// The request's own line says why it ended (it was "400 The request
	// body was unable to be successfully decoded: ... use of closed
	// network connection").
	cutLine := "POST / -> 503 The request was cut off: the gateway is stopping.\n"
	for deadline := time.Now().Add(10 * time.Second); len(partFiles(t, g.ImagesDir())) != 0 || !strings.Contains(logBuf.String(), cutLine); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("left behind: %v; log:\n%s", partFiles(t, g.ImagesDir()), logBuf.String())
		}
	}
}

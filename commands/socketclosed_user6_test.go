package commands

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// socket call to a port that closes on the first bytes it cannot read (a
// TLS port of Java, Python or openssl does) said only "the peer closed
// the connection". It now says that the server closed without a byte,
// and what that may mean; a server that answered first and then closed
// gets no such hint. An HTTP server that answers a page with no status
// line (HTTP/0.9, as Python's http.server answers a frame) is named as
// an HTTP port, as one sending "HTTP/1.1 ..." was.
func TestSocketClosedWithoutAByte(t *testing.T) {
	t.Parallel()
	hint := func(addr string) string {
		return "amfcall: hint: the server closed the connection without sending a byte: if " + addr + " is no AMF Socket server (a TLS or HTTP port closes on bytes it cannot read), check the port; if it is one, it may be at its connection limit (amfcall serve refuses past --socket-max-conns): try again later; -v shows each frame sent\n"
	}
	closing := acceptAll(t, func(nc net.Conn) {
		var v any
		amf.NewFrameReader(bufio.NewReader(nc)).Decode(&v) // the request, read whole
		nc.Close()
	})
	checkCase(t, cliCase{args: []string{"socket", "call", closing, "add", "{}"}, code: 3,
		stderr: "amfcall: error: socket: read " + closing + ": the peer closed the connection\n" + hint(closing)})
	// Closed with the request unread: a reset, as often from a TLS port.
	resetting := acceptAll(t, func(nc net.Conn) {
		io.ReadFull(nc, make([]byte, 4))
		nc.(*net.TCPConn).SetLinger(0)
		nc.Close()
	})
	_, stderr, code := run(t, []string{"socket", "call", resetting, "add", "{}"}, "", nil, false)
	if code != 3 || !strings.HasSuffix(stderr, hint(resetting)) {
		t.Errorf("reset: code %d\n%s", code, stderr)
	}
	// A frame, then the close: no hint about the port.
	spoke := acceptAll(t, func(nc net.Conn) {
		fr := amf.NewFrameReader(bufio.NewReader(nc))
		var v any
		fr.Decode(&v)
		nc.Write(frameOf(t, socket.RequestObject("m1", "hello", &amf.Object{})))
		nc.Close()
	})
	_, stderr, code = run(t, []string{"socket", "call", spoke, "add", "{}"}, "", nil, false)
	// The peer's close may come as a reset (the client's answer to the
	// request met a closed socket): either way, no hint about the port.
	if code != 3 || strings.Contains(stderr, "without sending a byte") ||
		!strings.Contains(stderr, "the peer closed the connection") && !strings.Contains(stderr, "reset by peer") {
		t.Errorf("after a frame: code %d\n%s", code, stderr)
	}
	page := acceptAll(t, func(nc net.Conn) {
		io.ReadFull(nc, make([]byte, 4))
		io.WriteString(nc, "<!DOCTYPE HTML>\n<html><body>Error code: 400</body></html>\n")
		nc.Close()
	})
	_, stderr, code = run(t, []string{"socket", "call", page, "add", "{}"}, "", nil, false)
	if code != 4 || !strings.Contains(stderr, "amfcall: hint: an AMF gateway over HTTP is called with: amfcall call http://"+page+"/ TARGET\n") {
		t.Errorf("an HTTP/0.9 page: code %d\n%s", code, stderr)
	}
}

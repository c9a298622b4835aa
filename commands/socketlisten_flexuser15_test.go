package commands

import (
	"net"
	"strings"
	"testing"
)

// socket listen with nothing to send, left by a server that stopped
// (amfcall serve --socket restarted under it, before its first ping),
// was told to check the port: "if ADDR is no AMF Socket server (a TLS or
// HTTP port closes on bytes it cannot read), check the port; ... -v shows
// each frame sent", though it had listened there fine and sent nothing.
// It is now told that the server stopped, restarted or refused it. A
// listen that sent a request keeps the hint about the port.
func TestSocketListenServerGoneHint(t *testing.T) {
	t.Parallel()
	closing := acceptAll(t, func(nc net.Conn) { nc.Close() })
	_, stderr, code := run(t, []string{"socket", "listen", closing}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "amfcall: error: socket: read "+closing+": the peer closed the connection\n") ||
		!strings.Contains(stderr, " after it was made, having sent nothing, and amfcall had sent it nothing (no --send, no --message): the server stopped or restarted, or it refused the connection") ||
		strings.Contains(stderr, "check the port") {
		t.Errorf("listen, nothing sent: code %d\n%s", code, stderr)
	}
	_, stderr, code = run(t, []string{"socket", "listen", closing, "--send", "add={}"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "check the port") {
		t.Errorf("listen --send: code %d\n%s", code, stderr)
	}
}

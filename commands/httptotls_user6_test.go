package commands

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// http:// to a TLS port whose server closes the connection without a
// byte of reply, as Java's (BlazeDS behind Tomcat), Python's and
// openssl s_server's TLS servers do when the first bytes are no TLS
// record: the error said "the connection closed before the reply was
// complete; the gateway may have crashed; try again or check its log",
// and trying again did the same. curl says "Empty reply from server".
// Now the message says no reply came, and the hint names https://.
func TestHTTPToTLSPortClosedWithoutReply(t *testing.T) {
	t.Parallel()
	u := "http://" + acceptAll(t, func(conn net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(conn))
		if err == nil {
			io.Copy(io.Discard, req.Body)
		}
		conn.Close()
	}) + "/"
	_, stderr, code := run(t, []string{"call", u, "echo.echo", "1"}, "", nil, false)
	want := "amfcall: error: connection failed (" + u + "): the server closed the connection without a reply; " +
		"if the port speaks TLS, try https:// instead of http://; if it is an AMF Socket server's, it speaks frames, not HTTP; else the gateway may have crashed: check its log\n"
	if code != 3 || stderr != want {
		t.Errorf("code %d, stderr:\n%s\nwant exit 3 and:\n%s", code, stderr, want)
	}
	// A reply cut short is still one cut short.
	cut := "http://" + acceptAll(t, func(conn net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(conn))
		if err == nil {
			io.Copy(io.Discard, req.Body)
		}
		io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Length: 100\r\n\r\n\x00\x00")
		conn.Close()
	}) + "/"
	_, stderr, code = run(t, []string{"call", cut, "echo.echo", "1"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "closed before the reply was complete") || strings.Contains(stderr, "https://") {
		t.Errorf("a reply cut short: code %d, stderr:\n%s", code, stderr)
	}
}

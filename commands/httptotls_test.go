package commands

import (
	"bufio"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TLS server answers 400; other servers send a TLS alert, or reset.
func TestHTTPToTLSPort(t *testing.T) {
	t.Parallel()
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	// A TLS server that is not Go's: it finds no TLS record, answers a
	// TLS alert (unexpected_message) and closes, or resets the
	// connection. Real ones do so after 5 bytes, while the client may
	// still be writing, which makes net/http report the failed write
	// or the answer as it happens; this one reads the whole request
	// first, so that each case is the one named.
	raw := func(reset bool) string {
		return "http://" + acceptAll(t, func(conn net.Conn) {
			req, err := http.ReadRequest(bufio.NewReader(conn))
			if err == nil {
				io.Copy(io.Discard, req.Body)
			}
			if reset {
				conn.(*net.TCPConn).SetLinger(0)
			} else {
				conn.Write([]byte{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a})
			}
			conn.Close()
		}) + "/"
	}
	for _, tc := range []struct{ name, url string }{
		{"Go's TLS server", strings.Replace(tlsSrv.URL, "https://", "http://", 1) + "/"},
		{"a TLS alert", raw(false)},
		{"a reset", raw(true)},
	} {
		_, stderr, code := run(t, []string{"call", tc.url, "a.b"}, "", nil, false)
		if code != 3 || !strings.Contains(stderr, "try https:// instead of http://") || strings.Contains(stderr, "--amf3") {
			t.Errorf("%s: code %d, stderr:\n%s\nwant exit 3 and a hint to try https://", tc.name, code, stderr)
		}
	}
}

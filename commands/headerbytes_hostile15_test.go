package commands

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// amfcall probe against a gateway that answers each request with 10 MiB
// of header fields "a:b" (2 million of them, net/http's own bound then):
// each was a string in the header map, some 110 MB per reply, and probe
// sends three requests at once (peak RSS 211 MB). The reply's header
// fields are now bounded at 256 KiB: probe stops at the first such
// reply, exit 3, in about 21 MB. Run in a child process for its own
// peak RSS (Linux).
func TestProbeTinyHeaderFieldsChild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs amfcall in a child process")
	}
	addr := acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		req, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		nc.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\n"))
		chunk := bytes.Repeat([]byte("a:b\r\n"), 64<<10/5)
		for sent := 0; sent < 10<<20-len(chunk); sent += len(chunk) {
			if _, err := nc.Write(chunk); err != nil {
				return // the client gave up
			}
		}
		nc.Write([]byte("Content-Length: 0\r\n\r\n"))
	})
	url := "http://" + addr + "/gw"
	out, code := runPeak(t, 60, "probe", url)
	if code != exitNetwork || !strings.Contains(out, "header fields exceed the 256 KiB read of them") {
		t.Errorf("probe: exit %d, output %.1500q; want exit 3 and the header fields too large", code, out)
	}
}

package commands

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// amfcall bench -c 200 against a gateway whose every reply has 250 KB of
// header fields: each connection read them whole (up to 256 KiB, outside
// bench's share of reply bytes), some 750 KB each in memory once read,
// and the run peaked at 180-200 MB. Each connection's bound now shrinks
// with -c (20 KiB at 200): the run ends with every request "reply header
// fields too large", exit 3, in about 45 MB, and a hint that names the
// bound. Run in a child process for its own peak RSS (Linux).
func TestBenchHeaderFieldsChild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs amfcall in a child process")
	}
	var fields bytes.Buffer
	for i := 0; fields.Len() < 250_000; i++ {
		fmt.Fprintf(&fields, "X-A%d: %s\r\n", i, strings.Repeat("b", 56))
	}
	addr := acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		req, err := http.ReadRequest(bufio.NewReader(nc))
		if err != nil {
			return
		}
		io.Copy(io.Discard, req.Body)
		io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nConnection: close\r\nContent-Length: 1\r\n")
		nc.Write(fields.Bytes())
		io.WriteString(nc, "\r\nx")
	})
	url := "http://" + addr + "/gw"
	out, code := runPeak(t, 100, "bench", "-c", "200", "-n", "400", url, "echo.echo", "1")
	if code != exitNetwork || !strings.Contains(out, "400  reply header fields too large") ||
		!strings.Contains(out, "hint: each of the 200 connections reads 20 KiB of a reply's HTTP header fields") {
		t.Errorf("bench: exit %d, output %.1500q; want exit 3, every request's header fields too large, and the bound", code, out)
	}
}

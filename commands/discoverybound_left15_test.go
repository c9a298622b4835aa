package commands

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/discover"
)

// endlessAMFGateway answers each POST with an AMF reply that never ends.
func endlessAMFGateway(t *testing.T) string {
	t.Helper()
	return acceptAll(t, func(nc net.Conn) {
		defer nc.Close()
		nc.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(nc)
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			if req.Method == http.MethodGet {
				io.WriteString(nc, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
				continue
			}
			io.WriteString(nc, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nConnection: close\r\n\r\n")
			chunk := make([]byte, 64<<10)
			for {
				if _, err := nc.Write(chunk); err != nil {
					return // the client gave up
				}
			}
		}
	})
}

// amfcall probe against a gateway whose replies never end read each of
// its three probes up to --max-response-size's 64M, and peaked at 229 MB
// (each read grows to about 96 MB, the next before the garbage collector
// frees it). list, describe and probe now read replies of up to 8M
// unless --max-response-size is given, and say so: about 42 MB. Run in a
// child process for its own peak RSS (Linux).
func TestProbeEndlessRepliesChild(t *testing.T) {
	if testing.Short() {
		t.Skip("runs amfcall in a child process")
	}
	url := "http://" + endlessAMFGateway(t) + "/gw"
	out, code := runPeak(t, 100, "probe", url)
	if code != exitNetwork || strings.Count(out, "the limit is 8388608 bytes") != 3 ||
		!strings.Contains(out, "hint: probe reads replies of up to 8M (--max-response-size's default here; call's is 64M)") {
		t.Errorf("probe: exit %d, output %.1500q; want exit 3, three replies over 8M, and the hint naming the bound", code, out)
	}
}

// list and describe: the same bound, named in a hint that replaces
// "raise --max-response-size"; given, the flag's own bound and hint.
func TestDiscoveryReplyBoundHint(t *testing.T) {
	t.Parallel()
	if n, err := parseSize(discoveryReplySize); err != nil || n != discover.MaxReplySize {
		t.Fatalf("discoveryReplySize %q = %d, %v; want discover.MaxReplySize %d", discoveryReplySize, n, err, discover.MaxReplySize)
	}
	url := "http://" + endlessAMFGateway(t) + "/gw"
	for _, tc := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"list", url}, "the limit is 8388608 bytes\n" + "amfcall: hint: list reads replies of up to 8M", "raise --max-response-size"},
		{[]string{"describe", url, "svc"}, "the limit is 8388608 bytes\n" + "amfcall: hint: describe reads replies of up to 8M", "raise --max-response-size"},
		{[]string{"list", "--max-response-size", "1M", url}, "the limit is 1048576 bytes\n" + "amfcall: hint: raise --max-response-size", "reads replies of up to"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != exitNetwork || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, tc.not) {
			t.Errorf("%q: exit %d; want 3 and %q, not %q; stderr:\n%s", tc.args, code, tc.want, tc.not, stderr)
		}
	}
}

package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// list, describe and probe take call's HTTP flags and -v, as cli.md's
// conventions say every command does: -v shows the packets on stderr,
// --proxy sends the request through the proxy (here one that refuses:
// exit 3, and the error names the proxy), --idle-timeout and
// --max-response-size are read. Before, each was an unknown flag (exit 2).
func TestGatewayCommandsHTTPFlags(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	proxy := "http://" + closedPort(t)
	for _, cmd := range [][]string{{"list", url}, {"describe", url, "echo"}, {"probe", url}} {
		name := cmd[0]
		stdout, stderr, code := run(t, append([]string{cmd[0], "-v"}, cmd[1:]...), "", nil, false)
		if code != 0 || stdout == "" || !strings.Contains(stderr, "* request packet:\n") || !strings.Contains(stderr, "* reply packet (") {
			t.Errorf("%s -v: code %d\nstderr:\n%s", name, code, stderr)
		}
		_, stderr, code = run(t, append([]string{cmd[0], "--proxy", proxy}, cmd[1:]...), "", nil, false)
		if code != 3 || !strings.Contains(stderr, "connection refused ("+url+"): through the proxy "+proxy+"; is the proxy running?") {
			t.Errorf("%s --proxy: code %d, stderr %q", name, code, stderr)
		}
		_, stderr, code = run(t, append([]string{cmd[0], "--idle-timeout", "soon"}, cmd[1:]...), "", nil, false)
		if code != 2 || stderr != "amfcall: error: --idle-timeout: invalid duration \"soon\"\namfcall: hint: give a duration such as 60s or 5m\n" {
			t.Errorf("%s --idle-timeout soon: code %d, stderr %q", name, code, stderr)
		}
		stdout, stderr, code = run(t, append([]string{cmd[0], "--max-response-size", "1M", "--connect-timeout", "5s", "--referer", "http://swf.example/app.swf"}, cmd[1:]...), "", nil, false)
		if code != 0 || stdout == "" {
			t.Errorf("%s with the HTTP flags: code %d, stderr %q", name, code, stderr)
		}
	}
}

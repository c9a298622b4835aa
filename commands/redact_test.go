package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A gateway URL's password is never printed: not in errors, -v/-vv
// lines, hints, bench's summary or notes, whatever the command and
// whether the gateway works, fails or is not there; nor when a flag took
// the URL as its value, nor when the URL is malformed.
func TestURLPasswordNeverPrinted(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	withPass := func(u string) string { return strings.Replace(u, "http://", "http://bob:"+secret+"@", 1) }
	_, working := startGateway(t, gateway.Options{})
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down for maintenance", http.StatusInternalServerError)
	}))
	t.Cleanup(failing.Close)
	file := writeFile(t, "f.txt", []byte("hi"))
	gateways := []string{withPass(working), withPass(failing.URL + "/gw"), withPass("http://" + closedPort(t) + "/")}
	for _, u := range gateways {
		for _, args := range [][]string{
			{"call", "-vv", u, "echo.echo", "1"},
			{"call", "-v", u, "nosuch.method"},
			{"call", "-vv", "--destination", "echo", u, "echo", "1"},
			{"call", "--offline", "-v", u, "a.b"},
			{"upload", "-vv", u, "ByteArray.saveSnapshot", file},
			{"snapshots", "-vv", u},
			{"bench", "-n", "2", "-vv", u, "echo.echo"},
			{"bench", "-n", "2", "--format", "json", u, "echo.fail", `"x"`},
			{"list", "-vv", u},
			{"describe", "-vv", u, "echo"},
			{"describe", u, "nosuch"},
			{"describe", u, "echo.nosuch"},
			{"probe", "-vv", u},
			{"logout", "-vv", u},
			{"publish", "-vv", u, "chat", "{}"},
			// A flag written without its value took the URL.
			{"call", "--timeout", u, "a.b"},
			{"call", "-H", u, "a.b"},
			{"bench", "-n", u, "a.b"},
			{"bench", "--for", u, "a.b"},
			{"list", "--timeout", u},
			{"call", "--timeout=" + u, u, "a.b"},
			{"call", "--proxy=" + u + "x:y", u, "a.b"},
		} {
			stdout, stderr, _ := run(t, args, "", nil, false)
			if strings.Contains(stdout+stderr, secret) {
				t.Errorf("%q printed the password:\nstdout:\n%s\nstderr:\n%s", args, stdout, stderr)
			}
		}
	}
	// Malformed gateway URLs with a password.
	for _, u := range []string{"http://bob:" + secret + "@127.0.0.1:bad/", "bob:" + secret + "@127.0.0.1:1/", "http://bob:" + secret + "@[::1/"} {
		for _, cmd := range []string{"call", "bench", "list", "probe"} {
			args := []string{cmd, u}
			if cmd == "call" || cmd == "bench" {
				args = append(args, "a.b")
			}
			stdout, stderr, code := run(t, args, "", nil, false)
			if code != exitUsage || strings.Contains(stdout+stderr, secret) {
				t.Errorf("%q: exit %d, printed:\n%s%s", args, code, stdout, stderr)
			}
		}
	}
}

package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// call -vv through a gateway URL that redirects (307) to another
// loopback server: the header fields of both requests were listed
// together under "> POST /" (two Host fields), and one line of timings
// measured the second request from the first one's start. Each request
// is now shown on its own, with its timings, then the total.
func TestCallVerboseRedirectTimings(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	b := httptest.NewServer(g)
	defer b.Close()
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+"/gateway", http.StatusTemporaryRedirect)
	}))
	defer a.Close()
	stdout, stderr, code := run(t, []string{"call", "-vv", a.URL + "/", "echo.echo", `"hi"`}, "", nil, false)
	hostA, hostB := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	order := []string{
		"> POST /\n", "> Host: " + hostA + "\n", "< HTTP/1.1 307 Temporary Redirect\n", "* timings of request 1 of 2: connect ",
		"* following the redirect to " + b.URL + "/gateway\n",
		"> POST /gateway\n", "> Host: " + hostB + "\n", "< HTTP/1.1 200 OK\n", "* timings of request 2 of 2: connect ",
		"* timings of the 2 requests: total ",
	}
	at, ok := 0, code == 0 && stdout == "\"hi\"\n" && strings.Count(stderr, "> Host: ") == 2
	for _, w := range order {
		i := strings.Index(stderr[at:], w)
		if i < 0 {
			ok = false
			break
		}
		at += i + len(w)
	}
	if !ok {
		t.Errorf("exit %d, stdout %q; want in order %q; stderr:\n%s", code, stdout, order, stderr)
	}
}

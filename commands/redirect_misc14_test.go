package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// call -v against a gateway URL that redirects (307 to its own host,
// then 308 to a gateway on another loopback server) said nothing of the
// redirects: only -vv showed them. As curl -v does, -v now has one line
// per hop, and a hop to another host says what of the credentials goes
// there: sent too (--location-trusted), held back (the warning that
// names them, the hop's only line), or nothing to hold back.
func TestCallVerboseRedirectHops(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/two" {
			http.Redirect(w, r, gw+"gateway", http.StatusPermanentRedirect)
			return
		}
		http.Redirect(w, r, "/two", http.StatusTemporaryRedirect)
	}))
	defer a.Close()
	first := "* following the redirect (HTTP 307 Temporary Redirect) to " + a.URL + "/two\n"
	second := "* following the redirect (HTTP 308 Permanent Redirect) to " + gw + "gateway, another host: "
	for _, tc := range []struct {
		name string
		args []string
		want []string // in order
	}{
		{"no credentials", nil, []string{first, second + "nothing to hold back"}},
		{"trusted", []string{"-u", "bob:pw", "--location-trusted"}, []string{first, second + "sending it the credentials and header fields given too, as trusted\n"}},
		{"held back", []string{"-u", "bob:pw"}, []string{first, "amfcall: warning: the gateway redirects to another host (" + gw + "gateway): not sending the AMF Credentials header there\n"}},
	} {
		args := append(append([]string{"call", "-v"}, tc.args...), a.URL+"/", "echo.echo", `"hi"`)
		stdout, stderr, code := run(t, args, "", nil, false)
		at, ok := 0, code == 0 && stdout == "\"hi\"\n"
		for _, w := range tc.want {
			i := strings.Index(stderr[at:], w)
			if i < 0 {
				ok = false
				break
			}
			at += i + len(w)
		}
		if !ok || strings.Count(stderr, gw+"gateway") != 1 {
			t.Errorf("%s: exit %d, stdout %q; want in order %q, the second hop named once; stderr:\n%s", tc.name, code, stdout, tc.want, stderr)
		}
	}
}

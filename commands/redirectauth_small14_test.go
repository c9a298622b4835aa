package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A gateway URL that redirects to another host: the client holds -u's
// credentials (the AMF Credentials header) back there, and the new host
// refuses the call. The hint said "the gateway refused the credentials
// given with -u ... check the user name and password", though they were
// never sent; it now says they were held back, and that
// --location-trusted sends them (which then works).
func TestCallAuthAfterRedirectHeldBack(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{User: "bob", Password: "pw"})
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, gw+"gateway", http.StatusPermanentRedirect)
	}))
	defer a.Close()

	_, stderr, code := run(t, []string{"call", "-u", "bob:pw", a.URL + "/", "secure.whoami"}, "", nil, false)
	if code == 0 || !strings.Contains(stderr, "not sending the AMF Credentials header there") ||
		!strings.Contains(stderr, "the credentials given with -u were not sent there") ||
		!strings.Contains(stderr, "("+gw+"gateway)") || !strings.Contains(stderr, "--location-trusted") ||
		strings.Contains(stderr, "check the user name and password") {
		t.Errorf("held back: exit %d; want the hint that -u's credentials were not sent to %s; stderr:\n%s", code, gw+"gateway", stderr)
	}

	stdout, stderr, code := run(t, []string{"call", "-u", "bob:pw", "--location-trusted", a.URL + "/", "secure.whoami"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "bob") {
		t.Errorf("--location-trusted: exit %d, stdout %q; stderr:\n%s", code, stdout, stderr)
	}

	// Sent, and wrong: the hint is still about the user name and password.
	_, stderr, code = run(t, []string{"call", "-u", "bob:nope", gw + "gateway", "secure.whoami"}, "", nil, false)
	if code == 0 || !strings.Contains(stderr, "check the user name and password") || strings.Contains(stderr, "not sent there") {
		t.Errorf("wrong password, no redirect: exit %d; stderr:\n%s", code, stderr)
	}
}

package commands

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call -vv against a gateway whose redirect the client does not follow
// (a 302 would turn the POST into a GET): the trace showed the request
// and its timings but not the reply that ended the exchange (its status,
// Location, Set-Cookie), which only the error line named in part. It now
// shows it, as it shows a redirect followed.
func TestCallVerboseUnfollowedRedirect(t *testing.T) {
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "JSESSIONID=abc")
		http.Redirect(w, r, "/login", http.StatusFound)
	}))
	defer a.Close()
	_, stderr, code := run(t, []string{"call", "-vv", a.URL + "/", "echo.echo", `"hi"`}, "", nil, false)
	order := []string{"> POST /\n", "< HTTP/1.1 302 Found\n", "< Location: /login\n", "* timings: connect ", "amfcall: error: redirect refused"}
	at, ok := 0, code == exitNetwork
	for _, w := range order {
		i := strings.Index(stderr[at:], w)
		if i < 0 {
			ok = false
			break
		}
		at += i + len(w)
	}
	if !ok || !strings.Contains(stderr, "< Set-Cookie: JSESSIONID=") {
		t.Errorf("exit %d; want in order %q; stderr:\n%s", code, order, stderr)
	}
}

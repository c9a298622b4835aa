package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// URL; it now says the server refused them. The same for -H Authorization.
func TestUnauthorizedWithCredentialsGiven(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("WWW-Authenticate", `Basic realm="gw"`)
		http.Error(w, "no", http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	withUser := strings.Replace(srv.URL, "http://", "http://alice:secret@", 1)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"none", []string{srv.URL, "a.b"}, "the server wants HTTP authentication: put user:password@ in the URL or send an Authorization header\namfcall: hint: -H 'Authorization: ...' sends one as it is\n"},
		{"in the URL", []string{withUser, "a.b"}, "the server refused the user and password in the URL (user:password@): check them"},
		{"a header", []string{"-H", "Authorization: Bearer x", srv.URL, "a.b"}, "the server refused the Authorization header sent: check it"},
	} {
		_, stderr, code := run(t, append([]string{"call"}, tc.args...), "", nil, false)
		if code != 3 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "secret") {
			t.Errorf("%s: code %d, stderr:\n%s\nwant %q", tc.name, code, stderr, tc.want)
		}
	}
}

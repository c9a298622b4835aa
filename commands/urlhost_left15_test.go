package commands

import (
	"strings"
	"testing"
)

// A gateway URL with no host ("http://", "http:///gw") got the generic
// hint "write the gateway URL with its scheme, e.g. ...", which it has.
// The hint now says the host is missing, with the user's path kept.
func TestNoHostHint(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "http://", "echo.echo", "1"}, "hint: the URL has no host: write the host (and port) after http://, e.g. http://localhost:8000/gateway\n"},
		{[]string{"call", "http:///gw", "echo.echo", "1"}, "hint: the URL has no host: write the host (and port) after http://, e.g. http://localhost:8000/gw\n"},
		{[]string{"list", "https://bob:pw@/amf"}, "hint: the URL has no host: write the host (and port) after https://, e.g. https://localhost:8000/amf\n"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 2 || !strings.Contains(stderr, "no host") || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "pw") {
			t.Errorf("%q: exit %d; want 2 and %q; stderr:\n%s", tc.args, code, tc.want, stderr)
		}
	}
}

package commands

import (
	"strings"
	"testing"
)

// trusted", which it may well be: the error now says which names it is for.
func TestTLSHostnameMismatchSaysTheNames(t *testing.T) {
	t.Parallel()
	url, ca := tlsGateway(t)
	local := strings.Replace(url, "127.0.0.1", "localhost", 1)
	_, stderr, code := run(t, []string{"call", "--cacert", ca, local, "echo.echo", "1"}, "", nil, false)
	first, _, _ := strings.Cut(stderr, "\n")
	want := "; the server's certificate is for example.com, *.example.com, 127.0.0.1, ::1, not localhost"
	if code != 3 || !strings.HasSuffix(first, want) || strings.Contains(stderr, "not trusted") {
		t.Errorf("code %d, stderr:\n%s\nwant the error line to end %q and nothing of trust", code, stderr, want)
	}
}

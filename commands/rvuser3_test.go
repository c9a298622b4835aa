package commands

import (
	"strings"
	"testing"
)

// A gateway whose certificate is trusted (--cacert) but names other
// hosts: the hint said to pass its CA with --cacert, which had been
// given; it now names the certificate's hosts, which the URL must use.
// httptest's certificate is for example.com, 127.0.0.1 and ::1, so
// https://localhost:PORT/ mismatches.
func TestTLSHostnameHint(t *testing.T) {
	t.Parallel()
	url, ca := tlsGateway(t)
	local := strings.Replace(url, "127.0.0.1", "localhost", 1)
	stdout, stderr, code := run(t, []string{"call", "--cacert", ca, local, "echo.echo", "1"}, "", nil, false)
	want := "amfcall: hint: the certificate is for example.com, *.example.com, 127.0.0.1, ::1, not localhost: put one of those names in the URL instead of localhost (--cacert does not change the names), or skip the check with --insecure\n"
	if code != 3 || stdout != "" || !strings.HasSuffix(stderr, want) || strings.Contains(stderr, "pass its CA") {
		t.Errorf("code %d\nstdout: %s\nstderr:\n%s\nwant the hint:\n%s", code, stdout, stderr, want)
	}
	// The same certificate by a name it holds is answered.
	stdout, stderr, code = run(t, []string{"call", "--cacert", ca, url, "echo.echo", "1"}, "", nil, false)
	if code != 0 || stdout != "1\n" || stderr != "" {
		t.Errorf("by its IP: code %d\nstdout: %s\nstderr:\n%s", code, stdout, stderr)
	}
}

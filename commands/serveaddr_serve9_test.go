package commands

import (
	"strings"
	"testing"
)

// TestServeAddrHints: an --addr that is not HOST:PORT is told the
// address it may have meant, with the port or host it named. Every one
// was told "for example --addr 127.0.0.1:8000": --addr 9000 (a bare
// port), the URL serve prints, a host without a port; and a port out of
// range was "want HOST:PORT", which it was.
func TestServeAddrHints(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ addr, err, hint string }{
		{"9000", `invalid --addr "9000": want HOST:PORT`, "did you mean --addr 127.0.0.1:9000? (--addr 127.0.0.1:0 picks a free port)"},
		{"http://127.0.0.1:18394/", `invalid --addr "http://127.0.0.1:18394/": want HOST:PORT`, "did you mean --addr 127.0.0.1:18394? (--addr 127.0.0.1:0 picks a free port)"},
		{"https://[::1]:8443/gw", `invalid --addr "https://[::1]:8443/gw": want HOST:PORT`, "did you mean --addr [::1]:8443? (--addr 127.0.0.1:0 picks a free port)"},
		{"localhost", `invalid --addr "localhost": want HOST:PORT`, "did you mean --addr localhost:8000? (--addr 127.0.0.1:0 picks a free port)"},
		{"::1", `invalid --addr "::1": want HOST:PORT`, "did you mean --addr [::1]:8000? (--addr 127.0.0.1:0 picks a free port)"},
		{"127.0.0.1:99999", `invalid --addr "127.0.0.1:99999": want HOST:PORT, PORT from 0 to 65535`, "for example --addr 127.0.0.1:8000, or --addr 127.0.0.1:0 for a free port"},
		{"http://x", `invalid --addr "http://x": want HOST:PORT`, "for example --addr 127.0.0.1:8000, or --addr 127.0.0.1:0 for a free port"},
	} {
		stdout, stderr, code := runCLI(t, nil, "serve", "--addr", tc.addr, "--images", t.TempDir())
		want := "amfcall: error: " + tc.err + "\namfcall: hint: " + tc.hint + "\n"
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("--addr %s: exit %d, stdout %q, stderr\n%s\nwant exit 2 and\n%s", tc.addr, code, stdout, stderr, want)
		}
		// The address the hint suggests is one serve takes: it gets past
		// --addr to --socket-max-conns, checked next.
		if a, ok := strings.CutPrefix(tc.hint, "did you mean --addr "); ok {
			a, _, _ = strings.Cut(a, "?")
			if _, stderr, _ := runCLI(t, nil, "serve", "--addr", a, "--images", t.TempDir(), "--socket-max-conns", "0"); !strings.Contains(stderr, "invalid --socket-max-conns") {
				t.Errorf("--addr %s (the hint's): %s", a, stderr)
			}
		}
	}
}

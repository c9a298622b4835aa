package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Numbered --save-request files (req.1.amf, req.2.amf) that the run did
// not write (an earlier Flex run's, which sent more requests) stayed
// without a word, and were taken for this run's. They are kept, and a
// warning names them, with the rm to remove them; those the run wrote
// are not named.
func TestSaveRequestStaleNumbered_net17(t *testing.T) {
	u := serveGateway(t)
	for _, tc := range []struct {
		name  string
		args  []string
		stale []string // of req.1.amf .. req.3.amf made before
		fresh string   // a numbered file the run writes
	}{
		{name: "plain call", args: []string{"call", u, "echo.echo", "1"}, stale: []string{"req.1.amf", "req.3.amf"}},
		{name: "offline", args: []string{"call", "--offline", u, "echo.echo", "1"}, stale: []string{"req.1.amf", "req.3.amf"}},
		{name: "flex ping and call", args: []string{"call", "--destination", "echo", u, "echo", "1"}, stale: []string{"req.3.amf"}, fresh: "req.1.amf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, n := range []string{"req.1.amf", "req.3.amf"} {
				os.WriteFile(filepath.Join(dir, n), []byte("old"), 0o600)
			}
			req := filepath.Join(dir, "req.amf")
			_, stderr, code := run(t, append(tc.args, "--save-request", req), "", nil, false)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var names []string
			for _, n := range tc.stale {
				names = append(names, filepath.Join(dir, n))
			}
			want := "amfcall: warning: --save-request: " + strings.Join(names, ", ") + ", beside " + req + ", not written by this run"
			if strings.Count(stderr, want) != 1 || strings.Count(stderr, "warning") != 1 {
				t.Errorf("stderr lacks %q once:\n%s", want, stderr)
			}
			for _, n := range tc.stale {
				if b, _ := os.ReadFile(filepath.Join(dir, n)); string(b) != "old" {
					t.Errorf("%s: %q, not kept as it was", n, b)
				}
			}
			if tc.fresh != "" {
				if b, _ := os.ReadFile(filepath.Join(dir, tc.fresh)); string(b) == "old" {
					t.Errorf("%s not written", tc.fresh)
				}
			}
		})
	}
}

package commands

import (
	"os"
	"strings"
	"testing"
)

// The warning's rm of stale numbered --save-request files names them as
// given: a name starting with '-' needs "rm --", or rm takes it for an
// option (and `rm -x.1.amf` fails, or worse, `rm -rf.1.amf` is options).
func TestSaveRequestStaleDash(t *testing.T) {
	u := serveGateway(t)
	t.Chdir(t.TempDir())
	os.WriteFile("-rf.1.amf", []byte("old"), 0o600)
	_, stderr, code := run(t, []string{"call", u, "echo.echo", "1", "--save-request=-rf.amf"}, "", nil, false)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "(rm -- " + shellWord("-rf.1.amf") + ")"; !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %s:\n%s", want, stderr)
	}
	if b, _ := os.ReadFile("-rf.1.amf"); string(b) != "old" {
		t.Errorf("-rf.1.amf: %q, not kept", b)
	}
}

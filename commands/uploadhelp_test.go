package commands

import (
	"strings"
	"testing"
)

// upload shares call's -q and -r, but not --packet, --from-har, --offline
// or --batch: its help must not send a user to flags it refuses.
func TestUploadHelpNamesOnlyItsFlags(t *testing.T) {
	stdout, _, code := run(t, []string{"upload", "--help"}, "", nil, false)
	if code != 0 {
		t.Fatalf("upload --help: exit %d", code)
	}
	for _, l := range strings.Split(stdout, "\n") {
		if !strings.Contains(l, "--query") && !strings.Contains(l, "--raw") {
			continue
		}
		for _, other := range []string{"--packet", "--from-har", "--offline", "--batch"} {
			if strings.Contains(l, other) {
				t.Errorf("upload --help speaks of %s, which upload does not take:\n%s", other, l)
			}
		}
	}
	for _, f := range []string{"--packet", "--from-har", "--offline", "--batch"} {
		_, stderr, code := run(t, []string{"upload", f, "x", "http://127.0.0.1:1/", "a.b", "-"}, "", nil, false)
		if code != 2 || !strings.Contains(stderr, f[2:]) {
			t.Errorf("upload %s: exit %d, %s", f, code, stderr)
		}
	}
}

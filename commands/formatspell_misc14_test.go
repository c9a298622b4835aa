package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// list, describe and probe took --format text and refused table, which
// snapshots takes (and it refused text): one spelling now works in all
// four, each default kept.
func TestFormatTextOrTable(t *testing.T) {
	g, url := startGateway(t, gateway.Options{})
	os.WriteFile(filepath.Join(g.ImagesDir(), "a.png"), []byte("\x89PNG\r\n\x1a\nxyz"), 0o644)
	for _, args := range [][]string{{"list", url}, {"describe", url, "echo"}, {"probe", url}, {"snapshots", url}} {
		var outs []string
		for _, f := range []string{"text", "table"} {
			a := append([]string{args[0], "--format", f}, args[1:]...)
			stdout, stderr, code := runCLI(t, nil, a...)
			if code != 0 || stderr != "" || stdout == "" || strings.HasPrefix(stdout, "[") || strings.HasPrefix(stdout, "{") {
				t.Errorf("%v: exit %d, stderr %q, stdout:\n%s", a, code, stderr, stdout)
			}
			outs = append(outs, stdout)
		}
		if outs[0] != outs[1] {
			t.Errorf("%s: --format text printed\n%s\n--format table\n%s", args[0], outs[0], outs[1])
		}
	}
	// The message names the spelling given.
	_, stderr, code := runCLI(t, nil, "list", "--format", "table", "--pretty", url)
	if code != exitUsage || !strings.Contains(stderr, "not --format table\n") || !strings.Contains(stderr, "drop --format table, or give --format json") {
		t.Errorf("list --format table --pretty: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI(t, nil, "snapshots", "--format", "text", "-r", url)
	if code != exitUsage || !strings.Contains(stderr, "not --format text\n") {
		t.Errorf("snapshots --format text -r: exit %d, stderr %q", code, stderr)
	}
	// Completion offers each command's own word only: "--format t" TAB
	// still completes at once.
	for cmd, want := range map[string]string{"list": "text json", "describe": "text json", "probe": "text json", "snapshots": "auto table json"} {
		stdout, _, _ := run(t, []string{cmd, "--format", "", "--generate-bash-completion"}, "", nil, false)
		if got := strings.Join(strings.Fields(stdout), " "); got != want {
			t.Errorf("complete %s --format: %q, want %q", cmd, got, want)
		}
	}
}

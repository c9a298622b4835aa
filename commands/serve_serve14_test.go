package commands

import (
	"testing"
)

// TestServeMaxBodyTime: --max-body-time takes a duration, 0 for no
// limit; anything else is a usage error with a hint.
func TestServeMaxBodyTime(t *testing.T) {
	for _, v := range []string{"0", "2s"} {
		_, stop := startServe(t, "--max-body-time", v)
		if code, stderr := stop(); code != 0 {
			t.Errorf("serve --max-body-time %s: exit %d, stderr:\n%s", v, code, stderr)
		}
	}
	_, stderr, code := runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--images", t.TempDir(), "--max-body-time", "soon")
	if want := "amfcall: error: invalid --max-body-time \"soon\"\namfcall: hint: give a duration such as 10m or 1h; 0 turns the limit off\n"; code != exitUsage || stderr != want {
		t.Errorf("serve --max-body-time soon: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}

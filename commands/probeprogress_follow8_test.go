package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestProbeGuessProgress: probe --enumerate/--wordlist said nothing while
// it guessed, minutes at a low --rate. On a terminal stderr now has a
// progress line (requests sent of --max, names found), taken off before
// each name printed and at the end; in a pipe there is none.
func TestProbeGuessProgress(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	words := writeFile(t, "words.txt", []byte("echo\nnosuch\nwhoami\n"))
	args := []string{"probe", "--wordlist", words, "--rate", "1000", "--max", "500", url}
	out, stderr, code := runTTY(t, args...)
	if code != 0 || !strings.Contains(out, "echo.echo (method)") {
		t.Fatalf("probe on a terminal: code %d, stdout:\n%s\nstderr:\n%q", code, out, stderr)
	}
	if !strings.Contains(stderr, "\rguessing: 1 of at most 500 requests, 0 names found\x1b[K") ||
		!strings.Contains(stderr, "names found\x1b[K") || !strings.Contains(stderr, ", 1 name found\x1b[K") ||
		!strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("probe on a terminal: stderr %q, want progress lines, the last taken off", stderr)
	}
	out2, stderr, code := runCLI(t, nil, args...)
	if code != 0 || strings.Contains(stderr, "guessing:") || strings.Contains(stderr, "\x1b") || !strings.Contains(out2, "echo.echo (method)") {
		t.Errorf("probe in a pipe: code %d, stderr %q, want no progress", code, stderr)
	}
}

package commands

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// dump --charset changes the JSON dump's paths only: given with the
// text dump, where it would change nothing, it is warned about.
func TestDumpCharsetTextWarns(t *testing.T) {
	file := filepath.Join(t.TempDir(), "n.amf3")
	// {"caf\xe9": 1}: a member name that is not UTF-8.
	if err := os.WriteFile(file, []byte("\x0a\x0b\x01\x09caf\xe9\x04\x01\x01"), 0o644); err != nil {
		t.Fatal(err)
	}
	const warning = "amfcall: warning: --charset names members in the JSON dump's paths only"
	stdout, stderr, code := run(t, []string{"dump", "--charset", "koi8-r", file}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `name "caf\xe9"`) || !strings.Contains(stderr, warning) {
		t.Fatalf("text with --charset: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"dump", file},
		{"dump", "--format", "json", "--charset", "koi8-r", file},
		{"dump", "--compact", "--charset", "koi8-r", file},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || strings.Contains(stderr, "warning") {
			t.Fatalf("%q: code %d\nstdout:\n%s\nstderr:\n%s", args, code, stdout, stderr)
		}
		if args[1] != file && !strings.Contains(stdout, `"path":"/cafИ"`) {
			t.Fatalf("%q: no koi8-r path in\n%s", args, stdout)
		}
	}
}

// The error line of a run gives its count with grouped digits, as the
// summary above it does.
func TestBenchSocketCountGrouped(t *testing.T) {
	addr := benchPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		for peerRequest(fr) != nil {
		}
	})
	stdout, stderr, code := run(t, []string{"bench", "-c", "4", "-n", "1200", "--timeout", "1ms", "socket://" + addr, "add"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  requests   1,200 (") ||
		!strings.Contains(stderr, "amfcall: error: no call was answered (1,200 requests)\n") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

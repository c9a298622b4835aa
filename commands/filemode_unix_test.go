//go:build unix

package commands

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// Files amfcall writes for the user (replies, saved requests and
// responses, sessions, downloaded snapshots) are created readable by
// the user only, whatever the umask lets through; a file that exists
// keeps its permissions.
func TestNewFilesAreOwnersOnly(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	g, url := startGateway(t, gateway.Options{})
	if err := os.WriteFile(filepath.Join(g.ImagesDir(), "b.jpg"), sampleJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	kept := p("kept.json")
	if err := os.WriteFile(kept, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"call", "--save-request", p("req.amf"), "--save-response", p("resp.amf"), "--session", p("s.json"), url, "echo.echo", "1"},
		{"convert", "-o", p("conv.json"), p("req.amf")},
		{"convert", "-o", kept, p("req.amf")},
		{"dump", "-o", p("dump.txt"), p("resp.amf")},
		{"snapshots", "--download", p("dl"), url},
	} {
		if _, stderr, code := runCLI(t, nil, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	for name, want := range map[string]os.FileMode{
		"dump.txt": 0o600, "req.amf": 0o600, "resp.amf": 0o600, "s.json": 0o600,
		"conv.json": 0o600, "dl/b.jpg": 0o600, "kept.json": 0o644,
	} {
		st, err := os.Stat(p(name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", name, st.Mode().Perm(), want)
		}
	}
}

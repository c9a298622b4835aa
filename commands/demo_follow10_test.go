package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoClosingLinesRun: the commands the demo suggests at its end run
// as printed in an empty folder of a machine that has no image of its
// own (they suggested "upload ... photo.jpg", a file a fresh machine
// does not have), and run again as printed. Only the port is changed:
// serve is started here on a free one rather than on 8000.
func TestDemoClosingLinesRun(t *testing.T) {
	t.Chdir(t.TempDir())
	stdout, stderr, code := runCLI(t, nil, "demo")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	_, tail, ok := strings.Cut(stdout, "Try it yourself")
	if !ok {
		t.Fatalf("no closing lines:\n%s", stdout)
	}
	var lines []string
	for _, l := range strings.Split(tail, "\n") {
		if cmd, ok := strings.CutPrefix(l, "  amfcall "); ok {
			lines = append(lines, cmd)
		}
	}
	if len(lines) < 3 || lines[0] != "serve" {
		t.Fatalf("closing lines %q", lines)
	}
	addr, stop := startServe(t)
	for round := range 2 {
		for _, l := range lines[1:] {
			if strings.ContainsAny(l, `'"\$`) {
				t.Fatalf("%q needs a shell to read it; this test splits on spaces", l)
			}
			args := strings.Fields(strings.ReplaceAll(l, "127.0.0.1:8000", addr))
			out, errs, code := runCLI(t, nil, args...)
			if code != 0 {
				t.Errorf("round %d: amfcall %s: exit %d\n%s%s", round+1, l, code, out, errs)
			}
		}
	}
	if code, serveErr := stop(); code != 0 || strings.Count(serveErr, "ByteArray.saveSnapshot /1 -> onResult") != 2 {
		t.Errorf("serve: exit %d, want 2 images saved; stderr:\n%s", code, serveErr)
	}
}

// TestDemoSample: --sample writes the demo's JPEG, to a file or a pipe,
// never over another file, and not to a terminal.
func TestDemoSample(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "s.jpg")
	if _, stderr, code := runCLI(t, nil, "demo", "--sample", name); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, sampleJPEG) {
		t.Fatalf("%s: %d bytes, %v", name, len(b), err)
	}
	other := filepath.Join(dir, "other.jpg")
	os.WriteFile(other, []byte("mine"), 0o644)
	_, stderr, code := runCLI(t, nil, "demo", "--sample", other)
	if b, _ := os.ReadFile(other); code != exitUsage || string(b) != "mine" || !strings.Contains(stderr, "the file exists, and is not the sample image") {
		t.Errorf("over another file: exit %d, file %q, stderr %q", code, b, stderr)
	}
	stdout, stderr, code := runCLI(t, nil, "demo", "--sample", "-")
	if code != 0 || stdout != string(sampleJPEG) {
		t.Errorf("--sample -: exit %d, %d bytes out, stderr %q", code, len(stdout), stderr)
	}
	_, stderr, code = run(t, []string{"demo", "--sample", "-"}, "", nil, true)
	if code != exitUsage || !strings.Contains(stderr, "would write a JPEG to the terminal") {
		t.Errorf("--sample - on a terminal: exit %d, stderr %q", code, stderr)
	}
}

package commands

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestOutputHeldOpen: on Windows, -o onto a file that another program
// holds open (Excel, a viewer: opened without FILE_SHARE_DELETE, as
// most programs open files) cannot be replaced. amfcall tries for about
// a second, then says so with exit 2 and a hint, naming the file, not
// its temporary file; the file is as it was and no temporary file is
// left. It said "-o held.amf: rename .held.amf2ghnwgej6d8pz held.amf:
// Access denied." with no hint.
func TestOutputHeldOpen(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Skip("only Windows refuses to replace a file held open")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.json"), filepath.Join(dir, "held.amf")
	if err := os.WriteFile(in, []byte("{\"a\": 1}\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	h, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	_, stderr, code := run(t, []string{"convert", in, "-o", out}, "", nil, false)
	want := "amfcall: hint: close it in the program that has it open and run the command again, or write to another file; " + out + " is as it was\n"
	if code != exitUsage || !strings.HasPrefix(stderr, "amfcall: error: -o "+out+": another program has it open") || !strings.HasSuffix(stderr, want) || strings.Contains(stderr, ".held.amf") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	h.Close()
	if b, _ := os.ReadFile(out); string(b) != "old" {
		t.Errorf("held.amf holds %q, want it as it was", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("left in the folder: %v", ents)
	}
}

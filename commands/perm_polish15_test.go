package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A file this user may not read (mode 000) was given the hint "check the
// file name", which sent the user looking for a typo in a right name
// (--session gave no hint). The hint now says it is the permissions.
// Root reads any file: the test needs another user.
func TestUnreadableFileHint(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads a file of mode 000")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "x.json")
	if err := os.WriteFile(p, []byte("[1]"), 0o000); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("this user reads a file of mode 000")
	}
	const want = "hint: this user may not read it: check the permissions of the file and of its folders"
	for _, args := range [][]string{
		{"call", "http://127.0.0.1:1/", "echo.echo", "-d", "@" + p},
		{"call", "http://127.0.0.1:1/", "echo.echo", "@" + p},
		{"call", "--batch", p, "http://127.0.0.1:1/"},
		{"call", "--session", p, "http://127.0.0.1:1/", "echo.echo"},
		{"upload", "http://127.0.0.1:1/", "ByteArray.saveSnapshot", p},
		{"logout", "--session", p, "http://127.0.0.1:1/"},
	} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 2 || !strings.Contains(stderr, "permission denied") || !strings.Contains(stderr, want) || strings.Contains(stderr, "check the file name") {
			t.Errorf("%q: exit %d; want 2, permission denied and %q; stderr:\n%s", args, code, want, stderr)
		}
	}
}

//go:build unix

package commands

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOutputReadOnlyFile: -o, --save-request and --save-response replaced
// a file its owner had made read-only (chmod 444), which "> FILE"
// refuses: the rename of the atomic write does not look at the file's
// mode. They refuse it now, leave it as it was, and a call sends
// nothing. Root writes any file (as with the shell), so as root the test
// runs again as nobody, in a child process.
func TestOutputReadOnlyFile(t *testing.T) {
	if os.Geteuid() == 0 {
		runAsNobody(t, "TestOutputReadOnlyFile")
		return
	}
	checkReadOnlyOutput(t, "chmod u+w")
}

// runAsNobody runs the test named again in a child process as the user
// nobody (65534), from a copy of the test binary that nobody can run,
// and fails unless it ran and passed there.
func runAsNobody(t *testing.T, name string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "amfcall-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "commands.test")
	src, err := os.Open(self)
	if err != nil {
		t.Fatal(err)
	}
	dst, err := os.OpenFile(exe, os.O_CREATE|os.O_WRONLY, 0o755)
	if err == nil {
		_, err = io.Copy(dst, src)
		dst.Close()
	}
	src.Close()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "TMPDIR=" + os.TempDir(), "HOME=" + dir}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("%s as nobody: %v\n%s", name, err, out)
	}
}

//go:build windows

package commands

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHintPastesIntoCmd: the file name a hint writes, pasted into
// cmd.exe, names the file. The hint of "convert @FILE" is "write FILE",
// and that of "call ... @@FILE" is "write @FILE"; each is run through
// cmd /c as a user pastes it, with this test binary as amfcall. Before,
// the names were in POSIX single quotes, which cmd.exe passes on as part
// of the name ("open 'C:\...\my pics\a b.json': file not found").
func TestHintPastesIntoCmd(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "my pics (2)")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "it's a b.json")
	if err := os.WriteFile(file, []byte("[1]\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hinted := func(args []string, prefix string) string {
		t.Helper()
		_, stderr, err := asAmfcall(t, nil, nil, args...)
		if err == nil {
			t.Fatalf("%q: no error", args)
		}
		for _, line := range strings.Split(string(stderr), "\n") {
			if w, ok := strings.CutPrefix(strings.TrimSuffix(line, "\r"), prefix); ok {
				return w
			}
		}
		t.Fatalf("%q: no hint %q in\n%s", args, prefix, stderr)
		return ""
	}
	// cmd /s /c "...": the line between the outer quotes is run as it
	// is, as if typed.
	viaCmd := func(line string) (string, string, error) {
		cmd := exec.Command(os.Getenv("COMSPEC"))
		if cmd.Path == "" {
			cmd = exec.Command("cmd.exe")
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `cmd /d /s /c "` + line + `"`}
		cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1")
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		return out.String(), errb.String(), err
	}
	self := `"` + exe + `"`

	word := hinted([]string{"convert", "@" + file}, "amfcall: hint: the file name comes without @ here (@FILE is for call's arguments and -d): write ")
	out, stderr, err := viaCmd(self + " convert --to hex:amf3 " + word)
	if err != nil || strings.TrimSpace(out) != "0903010401" {
		t.Errorf("cmd.exe with the hint's %s: %v, stdout %q, stderr %q", word, err, out, stderr)
	}

	at := hinted([]string{"call", "--offline", "http://127.0.0.1:1/", "echo.echo", "@@" + file}, "amfcall: hint: one @ is enough: write ")
	out, stderr, err = viaCmd(self + " call --offline http://127.0.0.1:1/ echo.echo " + at)
	if err != nil || !strings.Contains(out, `"$bytes":"WzFdDQo="`) {
		t.Errorf("cmd.exe with the hint's %s: %v, stdout %q, stderr %q", at, err, out, stderr)
	}
}

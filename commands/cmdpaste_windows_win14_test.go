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

	"github.com/amfcall/amfcall/client/gateway"
)

// TestDemoHintPastesIntoCmdWin14: the two commands of demo --sample -'s
// Windows hint (on a console), pasted into cmd.exe in turn with this test
// binary as amfcall and a gateway's URL for URL, leave the demo's JPEG
// among the gateway's images. The hint was a pipe with '"jpg"', which
// cmd.exe passes on with its single quotes.
func TestDemoHintPastesIntoCmdWin14(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	images := t.TempDir()
	_, url := startGateway(t, gateway.Options{ImagesDir: images})
	_, stderr, code := run(t, []string{"demo", "--sample", "-"}, "", nil, true)
	const pre = "amfcall: hint: give a file name: "
	i := strings.LastIndex(stderr, pre)
	first, second, ok := strings.Cut(strings.TrimSuffix(stderr[max(i, 0)+len(pre):], "\n"), ", then ")
	if code != exitUsage || i < 0 || !ok {
		t.Fatalf("demo --sample - on a console: exit %d, stderr %q", code, stderr)
	}
	dir := t.TempDir()
	for _, line := range []string{first, strings.Replace(second, " URL ", " "+url+" ", 1)} {
		line, ok := strings.CutPrefix(line, "amfcall ")
		if !ok {
			t.Fatalf("the hint's command %q is not amfcall's", line)
		}
		cmd := exec.Command(os.Getenv("COMSPEC"))
		if cmd.Path == "" {
			cmd = exec.Command("cmd.exe")
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{CmdLine: `cmd /d /s /c ""` + exe + `" ` + line + `"`}
		cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1")
		cmd.Dir = dir
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("cmd.exe with the hint's %q: %v, stdout %q, stderr %q", line, err, out.String(), errb.String())
		}
	}
	saved, _ := filepath.Glob(filepath.Join(images, "*.jpg"))
	if len(saved) != 1 {
		t.Fatalf("the gateway's images after the hint's commands: %q, want one .jpg", saved)
	}
	if b, err := os.ReadFile(saved[0]); err != nil || !bytes.Equal(b, sampleJPEG) {
		t.Errorf("%s: %v, %d bytes, want the demo's %d", saved[0], err, len(b), len(sampleJPEG))
	}
}

package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Names from a hostile gateway's listing reached bash's command line as
// they were (svc.$(touch PWNED), run when the line is), and a method
// named * was expanded to the files of the folder (review F-L). The bash
// script now reads one candidate a line with no expansion and drops those
// holding a blank or a shell metacharacter.
func TestBashCompletionDropsShellMetacharacters(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, _, code := run(t, []string{"completion", "bash"}, "", nil, false)
	if code != 0 {
		t.Fatal("completion bash failed")
	}
	dir := t.TempDir()
	// A stand-in for amfcall that prints the candidates of a hostile
	// listing, and files that svc.* would match.
	cands := []string{"svc.ok", "svc.$(touch PWNED)", "svc.`touch PWNED`", "svc.*", "svc.a b", "svc.x;y", "svc.q'", "svc.é-ü_1"}
	fake := "#!/bin/sh\ncat <<'EOF'\n" + strings.Join(cands, "\n") + "\nEOF\n"
	for name, body := range map[string]string{"amfcall": fake, "svc.x": "", "svc.yy": "", "script.bash": script} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bash, "-c", `source ./script.bash
COMP_LINE="amfcall call http://127.0.0.1:1/ svc"; COMP_POINT=${#COMP_LINE}; _amfcall
printf "[%s]\n" "${COMPREPLY[@]}"`)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if got, want := string(out), "[svc.ok]\n[svc.é-ü_1]\n"; err != nil || got != want {
		t.Errorf("COMPREPLY:\n%s(%v)\nwant\n%s", got, err, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Error("a candidate ran a command")
	}
}

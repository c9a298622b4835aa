package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The install lines of "amfcall completion --help", run as written in a
// new account's HOME: the bash and fish lines wrote into folders that do
// not exist there ("No such file or directory"), and the zsh line into
// "${fpath[1]}", /usr/local/share/zsh/site-functions, which only root
// may write. Each shell's lines now make their folder, and the shell
// then completes "amfcall ca" to call.
func TestCompletionInstallAsWritten(t *testing.T) {
	t.Parallel()
	help, _, code := run(t, []string{"completion", "--help"}, "", nil, false)
	if code != 0 {
		t.Fatalf("completion --help: exit %d", code)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		shell   string
		install []string // as the help writes them
		rc      string   // the shell's start-up file, as the help says
		check   string   // prints the completions of "amfcall ca"
	}{
		{shell: "bash", install: []string{
			"mkdir -p ~/.local/share/bash-completion/completions",
			"amfcall completion bash > ~/.local/share/bash-completion/completions/amfcall"},
			check: `source ~/.local/share/bash-completion/completions/amfcall; COMP_LINE="amfcall ca"; COMP_POINT=${#COMP_LINE}; _amfcall; printf '%s\n' "${COMPREPLY[@]}"`},
		{shell: "zsh", install: []string{
			"mkdir -p ~/.zfunc",
			"amfcall completion zsh > ~/.zfunc/_amfcall"},
			rc:    "fpath=(~/.zfunc $fpath)\nautoload -Uz compinit && compinit -u\n",
			check: `print -r -- ${_comps[amfcall]}`},
		{shell: "fish", install: []string{
			"mkdir -p ~/.config/fish/completions",
			"amfcall completion fish > ~/.config/fish/completions/amfcall.fish"},
			check: `complete -C "amfcall ca"`},
	} {
		t.Run(tc.shell, func(t *testing.T) {
			sh, err := exec.LookPath(tc.shell)
			if err != nil {
				t.Skip("no " + tc.shell)
			}
			home := t.TempDir()
			bin := filepath.Join(home, "bin")
			if err := os.Mkdir(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(self, filepath.Join(bin, "amfcall")); err != nil {
				t.Fatal(err)
			}
			env := []string{"HOME=" + home, "PATH=" + bin + ":/usr/bin:/bin", "AMFCALL_TEST_AS_AMFCALL=1", "TERM=dumb"}
			for _, line := range tc.install {
				if !strings.Contains(help, line) {
					t.Fatalf("completion --help does not say %q:\n%s", line, help)
				}
				cmd := exec.Command(sh, "-c", line)
				cmd.Env, cmd.Dir = env, home
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s -c %q: %v\n%s", tc.shell, line, err, out)
				}
			}
			var cmd *exec.Cmd
			switch tc.shell {
			case "zsh":
				if err := os.WriteFile(filepath.Join(home, ".zshrc"), []byte(tc.rc), 0o644); err != nil {
					t.Fatal(err)
				}
				cmd = exec.Command(sh, "-i", "-c", tc.check)
			case "bash":
				cmd = exec.Command(sh, "--norc", "-c", tc.check)
			default:
				cmd = exec.Command(sh, "-c", tc.check)
			}
			cmd.Env, cmd.Dir = env, home
			out, err := cmd.CombinedOutput()
			want := "call"
			if tc.shell == "zsh" {
				want = "_amfcall"
			}
			if err != nil || strings.TrimSpace(string(out)) != want {
				t.Errorf("%s after the install: %v\n%q, want %q", tc.shell, err, out, want)
			}
		})
	}
}

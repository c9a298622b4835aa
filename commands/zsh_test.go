package commands

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestZshCompletion types into a real zsh (on a pseudo-terminal, with
// compinit and completions/_amfcall loaded) and checks what TAB offers, as
// TestFishCompletion does with fish. .ci/run installs zsh; without it the
// test skips.
func TestZshCompletion(t *testing.T) {
	t.Parallel()
	checkZshLines(t, []struct{ line, want string }{
		{"amfcall c", "call completion convert"},
		{"amfcall convert --f", "--from"},
		{"amfcall snapshots --format ", "auto json table"},
		{"amfcall snapshots --format 'j", "json"}, // inside a quote
		{"amfcall convert --to hex\\:a", "hex:amf0 hex:amf3"},
		{"amfcall convert --to=base64:", "--to=base64:amf0 --to=base64:amf3 --to=base64:flv --to=base64:frames --to=base64:packet --to=base64:socket --to=base64:sol"},
		{"amfcall --color ", "always auto never"},
		{"amfcall call -vv http://h/ echo.echo --he", "--header --help"},
		{"amfcall convert in", "in.amf"}, // no candidates: file names
		{"amfcall convert zsh-", "zsh-complete.zsh"},
	})
}

// zshComplete types line and a TAB into an interactive zsh (the driver
// script, with the completion script) whose PATH starts with bin, in the
// folder files, and returns the matches the completion added, sorted,
// each once. env is added to the environment.
func zshComplete(t *testing.T, zsh, driver, script, bin, files, line string, env ...string) []string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "matches")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, zsh, "-f", driver, script, line, out)
	cmd.Dir = files
	cmd.Env = append(append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files), env...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", line, err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(data) == 0 {
		got = nil
	}
	// zsh orders the matches by its own rules, and shows each once
	// (_files adds file names more than once).
	slices.Sort(got)
	return slices.Compact(got)
}

// zshScripts copies the completion script and the driver into files;
// the test reads both itself, so that go test's cache knows them (it
// does not see what zsh reads).
func zshScripts(t *testing.T, files string) (script, driver string) {
	t.Helper()
	script, driver = filepath.Join(files, "_amfcall"), filepath.Join(files, "zsh-complete.zsh")
	for src, dst := range map[string]string{"../completions/_amfcall": script, "testdata/zsh-complete.zsh": driver} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return script, driver
}

// Method names from a hostile gateway's listing (amfcall list keeps them
// for completion) in a real interactive zsh: TAB runs none of them and
// offers none holding a blank or a shell metacharacter, as in bash and
// PowerShell (compadd quoted them, but offered them all: svc.$(touch
// x), svc.*, svc.a;b); the plain names are offered.
func TestZshCompletionHostileNames(t *testing.T) {
	t.Parallel()
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	bin, files := completionDirs(t)
	script, driver := zshScripts(t, files)
	url, cache, pwned := hostileListing(t, bin, files)
	for _, tc := range []struct{ line, want string }{
		{"amfcall call " + url + " svc.", "svc.ok svc.okTwo svc.é-ü_1"},
		{"amfcall call " + url + " 'svc.o", "svc.ok svc.okTwo"},
		{"amfcall bench " + url + " svc.", "svc.ok svc.okTwo svc.é-ü_1"},
	} {
		if s := strings.Join(zshComplete(t, zsh, driver, script, bin, files, tc.line, cache), " "); s != tc.want {
			t.Errorf("zsh completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
	ranNone(t, pwned)
}

// completionDirs makes what a shell completion test runs in: bin, a
// folder where "amfcall" is this test binary (AMFCALL_TEST_AS_AMFCALL
// makes it act as amfcall), and files, a folder holding in.amf for file
// name completion.
func completionDirs(t *testing.T) (bin, files string) {
	t.Helper()
	bin = t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(bin, "amfcall")); err != nil {
		t.Fatal(err)
	}
	files = t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "in.amf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return bin, files
}

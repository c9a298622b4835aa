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
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	bin, files := completionDirs(t)
	// The test reads both scripts itself, so that go test's cache knows
	// them (it does not see what zsh reads).
	script, driver := filepath.Join(files, "_amfcall"), filepath.Join(files, "zsh-complete.zsh")
	for src, dst := range map[string]string{"../completions/_amfcall": script, "testdata/zsh-complete.zsh": driver} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ line, want string }{
		{"amfcall c", "call completion convert"},
		{"amfcall convert --f", "--from"},
		{"amfcall snapshots --format ", "auto json table"},
		{"amfcall snapshots --format 'j", "json"}, // inside a quote
		{"amfcall convert --to hex\\:a", "hex:amf0 hex:amf3"},
		{"amfcall convert --to=base64:", "--to=base64:amf0 --to=base64:amf3 --to=base64:flv --to=base64:packet --to=base64:sol"},
		{"amfcall --color ", "always auto never"},
		{"amfcall call -vv http://h/ echo.echo --he", "--header --help"},
		{"amfcall convert in", "in.amf"}, // no candidates: file names
		{"amfcall convert zsh-", "zsh-complete.zsh"},
	} {
		out := filepath.Join(t.TempDir(), "matches")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := exec.CommandContext(ctx, zsh, "-f", driver, script, tc.line, out)
		cmd.Dir = files
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files)
		msg, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, msg)
		}
		data, err := os.ReadFile(out)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		got := strings.Fields(string(data))
		// zsh orders the matches by its own rules, and shows each once
		// (_files adds file names more than once).
		slices.Sort(got)
		got = slices.Compact(got)
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("zsh completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
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

package commands

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCompleteValueNoFiles: where the word is the value of a flag that
// takes no file name (--timeout, -u, bench's -c), amfcall adds
// noFilesMark to its candidates when the script asks (noFilesEnv), so that the scripts offer no file
// names there (they did: no candidates meant file names). A flag that
// takes a file (-o, --cacert), a flag's fixed values and the positional
// arguments are as before.
func TestCompleteValueNoFiles(t *testing.T) {
	t.Parallel()
	asked := map[string]string{"NO_COLOR": "1", "TERM": "xterm", noFilesEnv: "1"}
	for _, tc := range []struct {
		words string
		mark  bool
		cands string
	}{
		{"call --timeout |", true, ""},
		{"call --timeout 3|", true, ""},
		{"call -u |", true, ""},
		{"call -ku |", true, ""}, // -k then -u's value
		{"call --timeout=|", true, ""},
		{"call -d |", true, ""},
		{"bench -c |", true, ""},
		{"snapshots -q |", true, ""},
		{"serve --addr |", true, ""},
		{"call -H |", true, ""},
		{"--color |", true, "auto always never"},
		{"convert --to hex:a|", true, "hex:amf0 hex:amf3"},
		{"convert --to zz|", true, ""},
		{"convert -o |", false, ""},
		{"convert --output=|", false, ""},
		{"call --cacert |", false, ""},
		{"snapshots --download |", false, ""},
		{"convert x.amf |", false, ""},
		{"convert --pretty |", false, ""}, // not call: its arguments take no file (TestCompleteCallArgsNoFiles)
		{"convert --t|", false, "--to --typed"},
	} {
		line := strings.TrimSuffix(tc.words, "|")
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		stdout, stderr, code := run(t, append(words, "--generate-bash-completion"), "", asked, false)
		var cands []string
		mark := false
		for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
			switch {
			case l == noFilesMark:
				mark = true
			case l != "":
				cands = append(cands, l)
			}
		}
		if code != 0 || stderr != "" || mark != tc.mark || strings.Join(cands, " ") != tc.cands {
			t.Errorf("complete %q: code %d, stderr %q, candidates %q, no-files mark %v; want %q, %v",
				tc.words, code, stderr, cands, mark, tc.cands, tc.mark)
		}
	}
	// Unasked (a script from before it), the candidates are as they were.
	for _, words := range [][]string{{"call", "--timeout", ""}, {"--color", ""}} {
		stdout, _, _ := run(t, append(words, "--generate-bash-completion"), "", nil, false)
		if strings.Contains(stdout, noFilesMark) {
			t.Errorf("complete %q, not asked for the mark: %q", words, stdout)
		}
	}
}

// completionLines are the lines typed into bash, zsh and fish, each
// shell's test the same: flag values (noFileLines) and arguments
// (argLines, in polish4_completion_test.go).
func completionLines() []struct{ line, want string } {
	return slices.Concat(noFileLines, argLines)
}

// noFileLines are typed into each shell, in a folder holding in.amf:
// the values of flags that take no file complete to nothing (fish, zsh
// and bash completed in.amf), those of -o still to file names.
var noFileLines = []struct{ line, want string }{
	{"amfcall call --timeout ", ""},
	{"amfcall call --timeout i", ""},
	{"amfcall call -u ", ""},
	{"amfcall bench -c ", ""},
	{"amfcall snapshots -q i", ""},
	{"amfcall convert --to i", ""},
	{"amfcall convert --to hex:amf", "hex:amf0 hex:amf3"},
	{"amfcall convert -o i", "in.amf"},
	{"amfcall convert i", "in.amf"},
}

func TestFishCompletionLines(t *testing.T) {
	t.Parallel()
	checkFishLines(t, completionLines())
}

func TestZshCompletionLines(t *testing.T) {
	t.Parallel()
	checkZshLines(t, completionLines())
}

// checkFishLines types each line and a TAB into a real fish with the
// fish script, in a folder holding in.amf, and checks what it offers.
func checkFishLines(t *testing.T, lines []struct{ line, want string }) {
	t.Helper()
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	bin, files := completionDirs(t)
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range lines {
		if s := strings.Join(fishComplete(t, fish, script, bin, files, tc.line), " "); s != tc.want {
			t.Errorf("fish completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
}

// checkZshLines is checkFishLines for zsh, on a pseudo-terminal with
// compinit and completions/_amfcall loaded.
func checkZshLines(t *testing.T, lines []struct{ line, want string }) {
	t.Helper()
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	bin, files := completionDirs(t)
	script, driver := zshScripts(t, files)
	for _, tc := range lines {
		if s := strings.Join(zshComplete(t, zsh, driver, script, bin, files, tc.line), " "); s != tc.want {
			t.Errorf("zsh completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
}

package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The README and every --help example write the gateway as $URL
// ("amfcall call $URL echo.echo"), but completion passed the words as
// typed: amfcall looked up the targets of a gateway called "$URL", found
// none, and "amfcall call $URL <TAB>" offered nothing in bash, zsh or
// fish, though "amfcall list $URL" had listed them. A word before the
// one completed that is a variable ($URL, ${URL}, "$URL", "${URL}") now
// goes to amfcall as its value. Only a name's value is read: a command
// substitution is passed as typed and never runs.
// bash offers svc.c^x, svc.h#x and svc.~root too: inside a word none
// of ^, # and ~ means anything to it (TestBashCompletionDropsShellMetacharacters).
var variableURLLines = []struct{ line, want, bash string }{
	{"amfcall call $URL svc.", "svc.ok svc.okTwo svc.é-ü_1", "svc.c^x svc.h#x svc.ok svc.okTwo svc.~root svc.é-ü_1"},
	{`amfcall call "$URL" svc.o`, "svc.ok svc.okTwo", ""},
	{"amfcall call ${URL} svc.o", "svc.ok svc.okTwo", ""},
	{`amfcall call "${URL}" svc.o`, "svc.ok svc.okTwo", ""},
	{"amfcall describe $URL sv", "svc svc.ok svc.okTwo svc.é-ü_1", "svc svc.c^x svc.h#x svc.ok svc.okTwo svc.~root svc.é-ü_1"},
	{"amfcall call -v $URL svc.okT", "svc.okTwo", ""},
	// A variable that is not set is empty, as the command will get it:
	// no gateway, no names.
	{"amfcall call $AMFCALL_TEST_NO_SUCH_VARIABLE svc.", "", ""},
}

// variableURLSetup lists a gateway (hostileListing) and returns what
// the shells run with: the folders, the URL, the cache's variable and
// the file a name or word that ran would make.
func variableURLSetup(t *testing.T) (bin, files, url, cache, pwned string) {
	t.Helper()
	bin, files = completionDirs(t)
	url, cache, pwned = hostileListing(t, bin, files)
	return
}

// TestBashCompletionVariableURL types the lines into bash's completion
// function with URL a shell variable (not exported, as "URL=..." at the
// prompt makes it).
func TestBashCompletionVariableURL(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	bin, files, url, cache, pwned := variableURLSetup(t)
	script, _ := filepath.Abs("../completions/amfcall.bash")
	lines := append(variableURLLines, struct{ line, want, bash string }{"amfcall call $(touch " + pwned + "7) svc.", "", ""})
	for _, tc := range lines {
		cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1"
compopt() { :; }
COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
URL=$3
COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; _amfcall
printf 'reply %s\n' "${COMPREPLY[@]}"`, "bash", script, tc.line, url)
		cmd.Dir = files
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files, cache)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", tc.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if r, ok := strings.CutPrefix(l, "reply "); ok {
				got = append(got, r)
			}
		}
		want := tc.want
		if tc.bash != "" {
			want = tc.bash
		}
		if s := strings.Join(got, " "); s != want {
			t.Errorf("bash completion of %q = %q, want %q", tc.line, s, want)
		}
	}
	ranNone(t, pwned)
	if _, err := os.Stat(pwned + "7"); err == nil {
		t.Errorf("a word of the line ran a command")
	}
}

// TestZshCompletionVariableURL types the lines and a TAB into a real
// interactive zsh, URL in its environment.
func TestZshCompletionVariableURL(t *testing.T) {
	t.Parallel()
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	bin, files, url, cache, pwned := variableURLSetup(t)
	script, driver := zshScripts(t, files)
	for _, tc := range variableURLLines {
		if s := strings.Join(zshComplete(t, zsh, driver, script, bin, files, tc.line, cache, "URL="+url), " "); s != sortedWords(tc.want) {
			t.Errorf("zsh completion of %q = %q, want %q", tc.line, s, sortedWords(tc.want))
		}
	}
	ranNone(t, pwned)
}

// TestFishCompletionVariableURL asks a real fish for the completions of
// the lines, URL in its environment (fish writes no ${URL}: its lines
// are left out).
func TestFishCompletionVariableURL(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	bin, files, url, cache, pwned := variableURLSetup(t)
	t.Setenv("URL", url)
	name, dir, _ := strings.Cut(cache, "=")
	t.Setenv(name, dir)
	t.Setenv("HOME", files)
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range variableURLLines {
		if strings.Contains(tc.line, "{") {
			continue
		}
		if s := strings.Join(fishComplete(t, fish, script, bin, files, tc.line), " "); s != tc.want {
			t.Errorf("fish completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
	ranNone(t, pwned)
}

// sortedWords is s's blank-separated words in zsh's order (zshComplete
// sorts them).
func sortedWords(s string) string {
	ws := strings.Fields(s)
	slices.Sort(ws)
	return strings.Join(ws, " ")
}

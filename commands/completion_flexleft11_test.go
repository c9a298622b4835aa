package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inlineURLLines are command lines that give the gateway as AMFCALL_URL
// assigned in front of the command, as one does for a single command:
// "AMFCALL_URL=http://... amfcall call ec<TAB>" completed nothing in zsh
// (only an exported AMFCALL_URL reached amfcall). bash 5.2 gives a
// completion function neither the assignment (COMP_LINE starts at the
// command) nor its value: not done there. The value is
// read as typed, its quotes taken off; nothing is expanded: a value
// holding $ or ` is not used, and a command substitution never runs.
// {U} is the gateway's URL, {P} the file a command that ran would make.
var inlineURLLines = []struct{ line, want string }{
	{"AMFCALL_URL={U} amfcall call svc.o", "svc.ok svc.okTwo"},
	{"AMFCALL_URL='{U}' amfcall call svc.o", "svc.ok svc.okTwo"},
	{`AMFCALL_URL="{U}" amfcall describe sv`, "svc svc.ok svc.okTwo svc.é-ü_1"},
	{"LANG=C AMFCALL_URL={U} TZ=UTC amfcall call -v svc.okT", "svc.okTwo"},
	// The URL typed after all: it is the gateway, AMFCALL_URL is not.
	{"AMFCALL_URL=http://127.0.0.1:1/ amfcall call {U} svc.okT", "svc.okTwo"},
	{"AMFCALL_URL=$(touch {P}) amfcall call svc.o", ""},
	{"AMFCALL_URL=`touch {P}` amfcall call svc.o", ""},
	{`AMFCALL_URL="$(touch {P})" amfcall call svc.o`, ""},
}

func inlineURLLine(line, url, pwned string) string {
	return strings.NewReplacer("{U}", url, "{P}", pwned+"9").Replace(line)
}

func checkInlineRanNone(t *testing.T, pwned string) {
	t.Helper()
	ranNone(t, pwned)
	if _, err := os.Stat(pwned + "9"); err == nil {
		t.Errorf("the value of AMFCALL_URL on the line ran a command")
	}
}

// TestZshCompletionInlineURL types the lines and a TAB into a real
// interactive zsh, with no AMFCALL_URL in its environment.
func TestZshCompletionInlineURL(t *testing.T) {
	t.Parallel()
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		t.Skip("no zsh")
	}
	if os.Getenv("AMFCALL_URL") != "" {
		t.Skip("AMFCALL_URL is set")
	}
	bin, files, url, cache, pwned := variableURLSetup(t)
	script, driver := zshScripts(t, files)
	for _, tc := range inlineURLLines {
		line := inlineURLLine(tc.line, url, pwned)
		if s := strings.Join(zshComplete(t, zsh, driver, script, bin, files, line, cache), " "); s != sortedWords(tc.want) {
			t.Errorf("zsh completion of %q = %q, want %q", line, s, sortedWords(tc.want))
		}
	}
	checkInlineRanNone(t, pwned)
}

// TestFishCompletionInlineURL: fish (3.1 and later) gives a completion
// the variables assigned in front of the command, without running what
// is in them; this keeps it so.
func TestFishCompletionInlineURL(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	t.Setenv("AMFCALL_URL", "")
	os.Unsetenv("AMFCALL_URL")
	bin, files, url, cache, pwned := variableURLSetup(t)
	name, dir, _ := strings.Cut(cache, "=")
	t.Setenv(name, dir)
	t.Setenv("HOME", files)
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range inlineURLLines {
		if strings.Contains(tc.line, "`") {
			continue // not fish's syntax
		}
		line := inlineURLLine(tc.line, url, pwned)
		if s := strings.Join(fishComplete(t, fish, script, bin, files, line), " "); s != tc.want {
			t.Errorf("fish completion of %q = %q, want %q", line, s, tc.want)
		}
	}
	checkInlineRanNone(t, pwned)
}

package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Method names with C1 controls or bidi and other format characters
// (a gateway's listing chose them) were offered by completion: the
// scripts drop shell metacharacters only, and the cache's filter dropped
// C0 controls and DEL. A name with U+202E shows reversed on the command
// line, one with U+009B can be read as a CSI by a terminal. They are
// dropped now; a printable non-ASCII name is still offered.
func TestCompletionDropsC1AndBidiNames(t *testing.T) {
	t.Parallel()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	methods := []string{"ok", "é-ü_1", "nel\u0085x", "csi\u009b31m", "rlo\u202egpj.exe", "lri\u2066x", "lrm\u200ex",
		"alm\u061cx", "zwj\u200dx", "bom\ufeffx", "ls\u2028x", "nbsp\u00a0x"}
	url, _ := snapshotGateway(t, func(string) any {
		return []any{&amf.Object{Members: []amf.Member{{Name: "name", Value: "svc"}, {Name: "methods", Value: names(methods...)}}}}
	}, nil)
	cache := t.TempDir() // the user's cache folder, on each system
	env := append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files, "XDG_CACHE_HOME="+cache, "LocalAppData="+cache)
	list := exec.Command(self, "list", url)
	list.Env = env
	if out, err := list.CombinedOutput(); err != nil || string(out) != "svc\n" {
		t.Fatalf("amfcall list: %v\n%s", err, out)
	}
	comp := exec.Command(self, "call", url, "svc.", "--generate-bash-completion")
	comp.Env = env
	out, err := comp.Output()
	if got, want := string(out), "svc.ok\nsvc.é-ü_1\n"; err != nil || got != want {
		t.Errorf("candidates %q (%v), want %q", got, err, want)
	}
}

// TestCompleteCallArgsNoFiles: call's and bench's arguments (URL,
// TARGET, ARG) completed to file names, though a file goes there only as
// @FILE: amfcall now says "no file names" there (noFilesMark), and still
// lists the files after @. Flag values that are files (--cacert,
// --batch), upload's FILE and convert's are as they were.
func TestCompleteCallArgsNoFiles(t *testing.T) {
	t.Parallel()
	asked := map[string]string{"NO_COLOR": "1", "TERM": "xterm", noFilesEnv: "1"}
	for _, tc := range []struct {
		words string
		mark  bool
	}{
		{"call |", true},
		{"call ht|", true},
		{"call http://h/ |", true},
		{"call http://h/ a.b |", true},
		{"call http://h/ a.b i|", true},
		{"call -v http://h/ a.b 1 |", true},
		{"call --pretty http://h/ a.b |", true},
		{"call -k http://h/ |", true},
		{"bench -n 5 http://h/ a.b |", true},
		{"call http://h/ a.b @|", false},
		{"call http://h/ a.b @zz-none|", false},
		{"call --cacert |", false},
		{"call --batch |", false},
		{"call -o|", false},
		{"upload http://h/ a.b |", false},
		{"convert |", false},
		{"describe http://h/ |", true}, // a SERVICE: no file names either (polish4_completion_test.go)
	} {
		line := strings.TrimSuffix(tc.words, "|")
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		stdout, stderr, code := run(t, append(words, "--generate-bash-completion"), "", asked, false)
		if mark := strings.Contains(stdout, noFilesMark+"\n"); code != 0 || stderr != "" || mark != tc.mark {
			t.Errorf("complete %q: code %d, stderr %q, stdout %q; want the no-files mark %v", tc.words, code, stderr, stdout, tc.mark)
		}
	}
}

// bashComplete runs the bash script's _amfcall on line, in files, with
// amfcall (this test binary) first on PATH, as bash runs it on TAB, and
// returns COMPREPLY and the options the script turned off (compopt +o
// default: no file names), read through a compopt that logs its calls.
func bashComplete(t *testing.T, bash, bin, files, line string) (reply, off string) {
	t.Helper()
	script, _ := filepath.Abs("../completions/amfcall.bash")
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", `source "$1"
compopt() { while [ $# -gt 0 ]; do [ "$1" = +o ] && printf 'off %s\n' "$2"; shift; done; }
COMP_WORDBREAKS=$' \t\n"'"'"'><=;|&(:'
COMP_LINE=$2; COMP_POINT=${#COMP_LINE}; _amfcall
printf 'reply %s\n' "${COMPREPLY[@]}"`, "bash", script, line)
	cmd.Dir = files
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", line, err, out)
	}
	var replies, offs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if r, ok := strings.CutPrefix(l, "reply "); ok {
			replies = append(replies, r)
		} else if o, ok := strings.CutPrefix(l, "off "); ok {
			offs = append(offs, o)
		}
	}
	return strings.Join(replies, " "), strings.Join(offs, " ")
}

// TestFishCompletionRunsOnce: the fish script ran amfcall three times a
// TAB (a condition, the candidates, the no-files condition), each run a
// start of amfcall and, for a target, a read of the listing's cache. It
// now runs it once, through a stand-in that logs each run, whatever the
// outcome: candidates, no file names, or file names.
func TestFishCompletionRunsOnce(t *testing.T) {
	t.Parallel()
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	_, files := completionDirs(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	runs := filepath.Join(t.TempDir(), "runs")
	wrapper := "#!/bin/sh\necho run >>'" + runs + "'\nexec '" + self + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "amfcall"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range []struct{ line, want string }{
		{"amfcall convert --to hex:amf", "hex:amf0 hex:amf3"},
		{"amfcall call --timeout ", ""},
		{"amfcall convert i", "in.amf"},
	} {
		os.Remove(runs)
		got := strings.Join(fishComplete(t, fish, script, bin, files, tc.line), " ")
		data, _ := os.ReadFile(runs)
		if n := strings.Count(string(data), "run\n"); got != tc.want || n != 1 {
			t.Errorf("fish completion of %q = %q, amfcall run %d times; want %q, once", tc.line, got, n, tc.want)
		}
	}
}

// TestPowerShellCompletionNoFiles: the PowerShell script did not ask for
// the no-files mark, so every flag value and call argument fell back to
// PowerShell's path completion. PowerShell cannot be installed here, so
// this checks the script's text where it speaks amfcall's protocol (it
// sets noFilesEnv to 1 for amfcall's run only, looks for noFilesMark
// exactly, and answers one empty string, which PowerShell takes as "no
// completion, no paths", only when there is no candidate and the mark),
// then follows its steps in Go, with its own filter, over amfcall's real
// output for the lines the other shells are tested on.
func TestPowerShellCompletionNoFiles(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../completions/amfcall.ps1")
	if err != nil {
		t.Fatal(err)
	}
	script := string(data)
	set := strings.Index(script, "$env:"+noFilesEnv+" = '1'")
	call := strings.Index(script, "& $exe @words '--generate-bash-completion'")
	restore := strings.Index(script, "finally {\n        $env:"+noFilesEnv+" = $before")
	if set < 0 || call < set || restore < call || !strings.Contains(script, "$before = $env:"+noFilesEnv+"\n") {
		t.Fatalf("the script does not set %s for amfcall's run only:\n%s", noFilesEnv, script)
	}
	if !strings.Contains(script, "$noFiles = $out -contains '"+noFilesMark+"'") ||
		!strings.Contains(script, "if ($results.Count -eq 0 -and $noFiles) {") || strings.Count(script, "return ''") != 1 {
		t.Fatalf("the script does not answer '' on the mark:\n%s", script)
	}
	// The filter, a single-quoted PowerShell string ('' is a quote).
	_, rest, _ := strings.Cut(script, "-notmatch '")
	pattern, _, _ := strings.Cut(strings.ReplaceAll(rest, "''", "\x00"), "'")
	unsafe := regexp.MustCompile(strings.ReplaceAll(pattern, "\x00", "'"))
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "in.amf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	complete := func(line string) string {
		words := strings.Fields(line)
		if strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		word := strings.TrimLeft(words[len(words)-1], `'"`)
		cmd := exec.Command(self, append(slices.Clone(words[1:len(words)-1]), word, "--generate-bash-completion")...)
		cmd.Dir = files
		cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", noFilesEnv+"=1")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var results []string
		noFiles := false
		for _, c := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			noFiles = noFiles || c == noFilesMark
			if c != "" && strings.HasPrefix(c, word) && !unsafe.MatchString(strings.TrimPrefix(c, "@")) {
				if strings.HasPrefix(c, "@") {
					c = "'" + c + "'"
				}
				results = append(results, c)
			}
		}
		switch {
		case len(results) > 0:
			return strings.Join(results, " ")
		case noFiles:
			return ""
		}
		return "(paths)"
	}
	for _, tc := range slices.Concat(noFileLines, argLines) {
		want := tc.want
		switch {
		case want == "in.amf":
			want = "(paths)"
		case strings.HasPrefix(want, "@"):
			want = "'" + want + "'"
		}
		if got := complete(tc.line); got != want {
			t.Errorf("PowerShell completion of %q = %q, want %q", tc.line, got, want)
		}
	}
}

package commands

import (
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// argLines are typed into each shell, in a folder holding in.amf. Only
// call's and bench's arguments had stopped completing to file names: the
// arguments of list, describe, probe, snapshots, socket, logout,
// publish, subscribe, serve, demo, completion and help (and the command
// name itself) still fell back to them, though none is a file. After
// "--" every command completed file names, call's ARGs included. Now an
// argument completes to files only where a file goes: convert's and
// dump's FILE, upload's FILE, and after @ where @FILE is taken (call,
// bench, upload's ARGs, publish's BODY); flag values that are files
// (--cacert, --batch, --wordlist, --images) as before.
var argLines = []struct{ line, want string }{
	{"amfcall i", ""},
	{"amfcall help i", ""},
	{"amfcall list i", ""},
	{"amfcall describe http://h/ i", ""},
	{"amfcall probe i", ""},
	{"amfcall snapshots i", ""},
	{"amfcall socket i", ""},
	{"amfcall socket call i", ""},
	{"amfcall socket call 127.0.0.1:9001 add i", ""},
	{"amfcall socket listen i", ""},
	{"amfcall logout i", ""},
	{"amfcall subscribe http://h/ i", ""},
	{"amfcall publish http://h/ chat i", ""},
	{"amfcall serve i", ""},
	{"amfcall demo i", ""},
	{"amfcall completion i", ""},
	{"amfcall upload http://h/ a.b in.amf i", ""},
	// Where a file goes.
	{"amfcall convert i", "in.amf"},
	{"amfcall dump i", "in.amf"},
	{"amfcall upload http://h/ a.b i", "in.amf"},
	{"amfcall upload http://h/ a.b in.amf @i", "@in.amf"},
	{"amfcall publish http://h/ chat @i", "@in.amf"},
	{"amfcall list --cacert i", "in.amf"},
	{"amfcall probe --wordlist i", "in.amf"},
	{"amfcall serve --images i", "in.amf"},
	{"amfcall call --batch i", "in.amf"},
	// call's and bench's arguments: no file names but after @.
	{"amfcall call i", ""},
	{"amfcall call http://h/ a.b i", ""},
	{"amfcall call http://h/ a.b ", ""},
	{"amfcall bench http://h/ a.b i", ""},
	{"amfcall call http://h/ a.b @i", "@in.amf"},
	{"amfcall call --cacert i", "in.amf"},
	// After "--", the same rule: every word is an argument.
	{"amfcall call -- i", ""},
	{"amfcall call http://h/ a.b -- i", ""},
	{"amfcall call http://h/ a.b -- -5 i", ""},
	{"amfcall call http://h/ a.b -- @i", "@in.amf"},
	{"amfcall list -- i", ""},
	{"amfcall convert -- i", "in.amf"},
	{"amfcall dump -- i", "in.amf"},
}

// TestCompleteArgsNoFilesEveryCommand: the first argument of every
// command (and subcommand) carries the no-files mark, but for the
// commands whose argument is a file. A new command is a word-only one
// until argKinds says otherwise, so this fails if it is not so.
func TestCompleteArgsNoFilesEveryCommand(t *testing.T) {
	t.Parallel()
	asked := map[string]string{"NO_COLOR": "1", "TERM": "xterm", noFilesEnv: "1"}
	files := map[string]bool{"convert": true, "dump": true, "gen-docs": true}
	var paths [][]string
	for _, c := range commands {
		paths = append(paths, []string{c.Name})
		for _, sc := range c.Subcommands {
			paths = append(paths, []string{c.Name, sc.Name})
		}
	}
	paths = append(paths, []string{"help"}, nil)
	for _, path := range paths {
		for _, words := range [][]string{
			append(append([]string{}, path...), "zz"),
			append(append([]string{}, path...), "--", "zz"),
		} {
			stdout, stderr, code := run(t, append(words, "--generate-bash-completion"), "", asked, false)
			want := !files[strings.Join(path, " ")]
			if mark := strings.Contains(stdout, noFilesMark+"\n"); code != 0 || stderr != "" || mark != want {
				t.Errorf("complete %q: code %d, stderr %q, stdout %q; want the no-files mark %v", words, code, stderr, stdout, want)
			}
		}
	}
	// After "--" no flag is offered, and no flag's value is completed:
	// "-d" and "--t" are arguments there.
	for _, words := range [][]string{
		{"call", "--", "--t"},
		{"call", "http://h/", "a.b", "--", "-d", ""},
		{"convert", "--", "--t"},
	} {
		stdout, _, _ := run(t, append(words, "--generate-bash-completion"), "", asked, false)
		if strings.Contains(stdout, "--to") || strings.Contains(stdout, "--timeout") || strings.Contains(stdout, "@") {
			t.Errorf("complete %q after --: %q", words, stdout)
		}
	}
}

func TestBashCompletionLines(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("no bash")
	}
	bin, files := completionDirs(t)
	for _, tc := range completionLines() {
		reply, off := bashComplete(t, bash, bin, files, tc.line)
		// No candidates from amfcall: bash's default of file names
		// completes the word, unless the script turned it off.
		if tc.want == "in.amf" && reply == "" && off == "" {
			reply = "in.amf"
		}
		want := tc.want
		if strings.Contains(want, ":") {
			// bash breaks words at ':' (COMP_WORDBREAKS): a reply
			// completes what follows it.
			ws := strings.Fields(want)
			for i, w := range ws {
				ws[i] = w[strings.LastIndex(w, ":")+1:]
			}
			want = strings.Join(ws, " ")
		}
		if reply != want || (want == "" && off != "default bashdefault") {
			t.Errorf("bash completion of %q = %q (turned off: %q), want %q and no file names", tc.line, reply, off, want)
		}
	}
}

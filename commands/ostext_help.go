package commands

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// osHelpCommands gives the commands copied for a run (args: its words)
// the help text of this system (osHelp). The man page's application
// (docsApp, no args) keeps the text as written: the committed man page
// is the same whatever system generates it.
func osHelpCommands(cmds []*cli.Command, args []string) []*cli.Command {
	if len(args) == 0 {
		return cmds
	}
	for _, c := range cmds {
		c.Description = osHelp(c.Description)
		osHelpCommands(c.Subcommands, args)
	}
	return cmds
}

// osHelp is a command's help text as a Windows user pastes its examples:
// into PowerShell (7.3 or later, as completion powershell says; the
// examples' '...' words and $URL are PowerShell's too), where printf is
// no command, and $TMPDIR is no folder Windows uses. Elsewhere it is
// the text as written.
func osHelp(s string) string {
	if !windowsShell {
		return s
	}
	return windowsHelp.Replace(s)
}

var windowsHelp = strings.NewReplacer(windowsHelpPairs...)

// windowsHelpPairs are the help's words and what Windows's help says in
// their place (a test checks that each is still in the help).
var windowsHelpPairs = []string{
	// call: a batch on stdin. PowerShell writes each string piped to a
	// program as a line, its double quotes kept.
	`printf '%s\n' '{"target":"a.b","args":[1]}' '{"target":"c.d"}' | amfcall call --batch - $URL`,
	`'{"target":"a.b","args":[1]}', '{"target":"c.d"}' | amfcall call --batch - $URL`,
	// dump: Go's temporary folder on Windows is %TMP% (else %TEMP%), and
	// the spool is removed when the dump ends, not at once (a file open
	// there is not removed; dumpspool.go).
	`copied to a temporary file in $TMPDIR, removed at once, and dumped from`,
	`copied to a temporary file in %TMP%, removed when the dump ends, and dumped from`,
	// demo: PowerShell before 7.4 passes a program's output to the next
	// as text (a JPEG comes out changed), and cmd.exe keeps '...' as part
	// of the word; upload reads the file and names its extension itself.
	`amfcall demo --sample - | amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot - '"jpg"'`,
	`amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot sample.jpg`,
}

package commands

// The command line's words before urfave/cli reads them: one reordering
// step (flags written after positional arguments), the answers to shell
// completion, and typo suggestions. urfave/cli does the rest: it splits
// groups of one-letter flags (UseShortOptionHandling) and calls each
// command's BashComplete hook.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// reorder moves the flags written after a command's positional arguments
// in front of them, because urfave/cli, like the flag package, stops at
// the first positional argument and cli.md promises
// "amfcall convert in.amf -o out.json". Which words a flag takes is
// decided by the flag itself (TakesValue), for every command and flag
// alike: a value flag takes the next word, unless that word is one of the
// command's flags (its value was left out: a usage error, see
// takesFlagAsValue), and a value flag with no word after it is a usage
// error, never a reason to take a positional argument as its value. Words after "--" stay
// positional; a word that is not a flag of the command but reads as a
// negative number ("-5") is positional. An unknown command is left for
// urfave/cli to report.
func reorder(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 {
		return args, nil
	}
	out := []string{args[0]}
	flags, subs, where := app.Flags, app.Commands, "amfcall"
	var flagPart, posPart []string
	dashdash := false
	words := args[1:]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" {
			posPart = append(posPart, words[i+1:]...)
			dashdash = true
			break
		}
		if isFlagWord(w, flags) {
			takes, err := flagTakesValue(w, flags)
			if err != nil {
				return nil, err
			}
			flagPart = append(flagPart, w)
			if takes {
				if i+1 >= len(words) {
					e := usageErrorf("flag %s needs a value", w)
					if h := quietHint(flags, w); h != "" {
						e.hint(h) // upload ... -q: quiet in wget, apt, grep
					}
					return nil, e.hint(fmt.Sprintf("run %q for the flags", where+" --help"))
				}
				if next := words[i+1]; takesFlagAsValue(next, flags) {
					return nil, usageErrorf("flag %s needs a value: the next word is the flag %s", w, next).
						hint(fmt.Sprintf("give %s its value before %s (a value that starts with - is written %s=VALUE)", w, next, w)).
						hint(fmt.Sprintf("run %q for the flags", where+" --help"))
				}
				flagPart = append(flagPart, words[i+1])
				i++
			}
			continue
		}
		if len(subs) > 0 {
			sub := findCommand(subs, w)
			if sub == nil || len(posPart) > 0 {
				return args, nil // not a command: urfave/cli reports it
			}
			out = append(append(out, flagPart...), w)
			flagPart = nil
			flags, subs, where = sub.Flags, sub.Subcommands, where+" "+sub.Name
			continue
		}
		posPart = append(posPart, w)
	}
	out = append(out, flagPart...)
	if len(posPart) > 0 {
		needDash := dashdash
		for _, p := range posPart {
			needDash = needDash || (strings.HasPrefix(p, "-") && p != "-")
		}
		if needDash {
			out = append(out, "--")
		}
		out = append(out, posPart...)
	}
	return out, nil
}

// takesFlagAsValue reports whether w, the word after a value flag, is
// itself a flag of the command as written ("--for", "-r", "--for=1s",
// "-kv"): the value was left out ("subscribe --subtopic --for 1s URL
// DEST", "call URL TARGET -q -r"), and taking the flag as the value
// would run with a wrong value and leave the flag unread, silently. A
// word that only starts with "-" ("-", "-5", "-nosuch") stays a value,
// as does any value written --flag=VALUE.
func takesFlagAsValue(w string, flags []cli.Flag) bool {
	if !strings.HasPrefix(w, "-") || w == "-" || w == "--" || looksNumeric(w) {
		return false
	}
	name := flagName(w)
	if name == "help" || findFlag(flags, name) != nil {
		return true
	}
	if strings.HasPrefix(w, "--") || strings.Contains(w, "=") || len(name) < 2 {
		return false
	}
	for i := 0; i < len(name); i++ { // a group of one-letter flags: -kv
		if findFlag(flags, name[i:i+1]) == nil {
			return false
		}
	}
	return true
}

// commandPath returns args[0] and the command and subcommand names in
// args, without flags, their values or positional arguments.
func commandPath(app *cli.App, args []string) []string {
	out := []string{args[0]}
	flags, subs := app.Flags, app.Commands
	for i := 1; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			break
		}
		if isFlagWord(w, flags) {
			if takes, err := flagTakesValue(w, flags); err == nil && takes {
				i++
			}
			continue
		}
		sub := findCommand(subs, w)
		if sub == nil {
			break
		}
		out = append(out, w)
		flags, subs = sub.Flags, sub.Subcommands
	}
	return out
}

// flagName returns the name in a flag word: "--out=x" gives "out".
func flagName(w string) string {
	name := strings.TrimLeft(w, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name
}

// isFlagWord reports whether w is a flag for a command with flags: a
// known name, the help flag, a group of one-letter flags, or anything
// starting with "-" that is not a negative number (urfave/cli reports it
// as unknown).
func isFlagWord(w string, flags []cli.Flag) bool {
	if !strings.HasPrefix(w, "-") || w == "-" {
		return false
	}
	name := flagName(w)
	if name == "help" || name == "h" || findFlag(flags, name) != nil {
		return true
	}
	return !looksNumeric(w)
}

// flagTakesValue reports whether the flag word w wants the next word as
// its value. A group of one-letter flags ("-kv", "-xo FILE") takes one
// when its last letter does; a value flag inside a group ("-qr") is a
// usage error, since "-q" would read "r" as its value.
func flagTakesValue(w string, flags []cli.Flag) (bool, error) {
	if strings.Contains(w, "=") {
		return false, nil
	}
	name := flagName(w)
	if f := findFlag(flags, name); f != nil {
		return valueFlag(f), nil
	}
	if strings.HasPrefix(w, "--") || len(name) < 2 {
		return false, nil // unknown: urfave/cli says so
	}
	for i := 0; i < len(name); i++ {
		f := findFlag(flags, name[i:i+1])
		if f == nil {
			return false, nil // not a group: urfave/cli says it is unknown
		}
		if valueFlag(f) && i < len(name)-1 {
			l := name[i : i+1]
			return false, usageErrorf("-%s: -%s takes a value, so it can only end a group of one-letter flags", name, l).
				hint(fmt.Sprintf("write it on its own, e.g. -%s VALUE", l))
		}
	}
	return valueFlag(findFlag(flags, name[len(name)-1:])), nil
}

// valueFlag reports whether a flag takes a value (a word after it).
func valueFlag(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	return ok && d.TakesValue()
}

// looksNumeric reports whether w reads as a negative number (-5, -1.5e3).
func looksNumeric(w string) bool {
	s := strings.TrimPrefix(w, "-")
	digits := false
	for _, c := range s {
		switch {
		case '0' <= c && c <= '9':
			digits = true
		case c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-':
		default:
			return false
		}
	}
	return digits
}

// suggest returns the name nearest to s when it is near enough to be a
// likely typo (Jaro-Winkler similarity, as urfave/cli's own suggestions
// measure it, of at least 0.85), else "".
func suggest(s string, names []string) string {
	best, score := "", 0.85
	for _, n := range names {
		if len(n) < 2 {
			continue
		}
		if d := smetrics.JaroWinkler(s, n, 0.7, 4); d >= score {
			best, score = n, d
		}
	}
	return best
}

// shells are the shells "amfcall completion" writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// Completion: our scripts call amfcall with the words typed so far, then
// the word being completed (empty right after a space), then urfave/cli's
// hidden --generate-bash-completion flag. Run takes the word being
// completed off (urfave/cli reads os.Args for it, and cannot tell
// "--to <TAB>" from "--to<TAB>"), lets urfave/cli find the command as it
// would run it, and urfave/cli calls completeHook there. Candidates are
// printed one per line; none means "complete file names", unless the
// script asked for noFilesMark and it is printed (see completion.go).

// completeHook is the BashComplete of the app and of every command.
func completeHook(c *cli.Context) {
	e := envOf(c)
	words := e.args[1:]
	prev := ""
	if n := len(words); n > 0 {
		prev = words[n-1]
	}
	writeCandidates(c.App.Writer, candidates(c, prev, e.completing), e.completing)
	if valueNoFile(c, prev, e.completing) {
		writeNoFilesMark(c)
	}
}

// writeNoFilesMark prints noFilesMark when the script asked for it.
func writeNoFilesMark(c *cli.Context) {
	if envOf(c).getenv(noFilesEnv) == "1" {
		fmt.Fprintln(c.App.Writer, noFilesMark)
	}
}

// candidates lists what may follow prev at the context's command: the
// values of a value flag, flags, subcommands or the command's arguments.
// After "--" every word is an argument: no flags, no flag values.
func candidates(c *cli.Context, prev, cur string) []string {
	var flags []cli.Flag
	var subs []*cli.Command
	root := isRoot(c)
	if root {
		flags, subs = c.App.Flags, c.App.Commands
	} else {
		flags = c.Command.Flags
		for _, sc := range c.Command.Subcommands {
			if sc.Name != "help" {
				subs = append(subs, sc)
			}
		}
	}
	pos, dashdash := typedArgs(c)
	if !dashdash && strings.HasPrefix(prev, "-") && !strings.Contains(prev, "=") {
		if takes, err := flagTakesValue(prev, flags); err == nil && takes {
			if f := findFlag(flags, flagName(prev)); strings.HasPrefix(cur, "@") && f != nil && f.Names()[0] == "data" {
				return atFiles(cur) // -d @FILE
			}
			return choicesOf(c, flagName(prev))
		}
	}
	if !root && strings.HasPrefix(cur, "@") && argKindAt(c, pos) == argAtFile {
		return atFiles(cur) // an @FILE argument: the file's bytes
	}
	switch {
	case dashdash && root:
		return nil
	case dashdash:
		return append(argChoices[commandKey(c)], targetChoices(commandKey(c), pos)...)
	case strings.HasPrefix(cur, "-") && strings.Contains(cur, "="):
		head := cur[:strings.IndexByte(cur, '=')+1]
		var out []string
		for _, v := range choicesOf(c, flagName(cur)) {
			out = append(out, head+v)
		}
		return out
	case strings.HasPrefix(cur, "-"):
		var out []string
		for _, f := range flags {
			// Hidden flags are not offered, but for each command's hidden
			// copy of the global --color, which may follow the command.
			if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() && f.Names()[0] != "color" {
				continue
			}
			for _, n := range f.Names() {
				out = append(out, dashed(n))
			}
		}
		if !slices.Contains(out, "--help") { // urfave/cli adds it to some commands' flags
			out = append(out, "--help")
		}
		if root {
			out = append(out, "--version")
		}
		return out
	case len(subs) > 0:
		var out []string
		for _, sc := range visibleCommands(subs) {
			if sc.Name != "help" {
				out = append(out, sc.Names()...)
			}
		}
		if root {
			out = append(out, "help")
		}
		return out
	case !root:
		return append(argChoices[commandKey(c)], targetChoices(commandKey(c), pos)...)
	}
	return nil
}

// isRoot reports whether the context is amfcall's own, before any
// command.
func isRoot(c *cli.Context) bool {
	return c.Command == nil || c.Command.Name == c.App.Name
}

// commandKey names the context's command by its path under amfcall
// ("socket call", which is not "call"), for the tables keyed by command.
func commandKey(c *cli.Context) string {
	var names []string
	for _, l := range c.Lineage() {
		if l.Command != nil && l.Command.Name != c.App.Name {
			names = append([]string{l.Command.Name}, names...)
		}
	}
	return strings.Join(names, " ")
}

// typedArgs returns the positional arguments typed before the word being
// completed (the command path, flags and their values left out), and
// whether a "--" came before that word: every word after it is an
// argument. At a command, the URL left out is that of AMFCALL_URL, as the
// command will call it: it is counted as the first argument.
func typedArgs(c *cli.Context) (pos []string, dashdash bool) {
	e := envOf(c)
	args := e.args
	flags, subs := c.App.Flags, c.App.Commands
	inPath := true
	for i := 1; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			pos, dashdash = append(pos, args[i+1:]...), true
			break
		}
		if isFlagWord(w, flags) {
			if takes, err := flagTakesValue(w, flags); err == nil && takes {
				i++
			}
			continue
		}
		if inPath {
			if sub := findCommand(subs, w); sub != nil {
				flags, subs = sub.Flags, sub.Subcommands
				continue
			}
			inPath = false
		}
		pos = append(pos, w)
	}
	if u := e.getenv("AMFCALL_URL"); u != "" && !isRoot(c) && (len(pos) == 0 || !isGatewayArg(pos[0], true)) {
		pos = append([]string{u}, pos...)
	}
	return pos, dashdash
}

// atFiles lists the files and folders whose names complete cur, an
// @FILE word, each with its @ (a folder's with a / after it): the
// shells complete file names only for words without one. Names starting
// with a dot are listed when cur's name does too, as shells do; at most
// 1000 are.
func atFiles(cur string) []string {
	dir, base := filepath.Split(cur[1:])
	list := dir
	if list == "" {
		list = "."
	}
	ents, err := os.ReadDir(list)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, base) || strings.HasPrefix(n, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		w := "@" + dir + n
		if st, err := os.Stat(filepath.Join(list, n)); err == nil && st.IsDir() {
			w += "/"
		}
		if out = append(out, w); len(out) == 1000 {
			break
		}
	}
	return out
}

func writeCandidates(w io.Writer, cands []string, cur string) {
	for _, s := range cands {
		if strings.HasPrefix(s, cur) {
			fmt.Fprintln(w, s)
		}
	}
}

// choicesOf lists the values of the flag name at the context's command:
// flagChoices["COMMAND.FLAG"] where a command's flag differs from the
// flag of that name elsewhere, else flagChoices["FLAG"].
func choicesOf(c *cli.Context, name string) []string {
	if c.Command != nil {
		if v, ok := flagChoices[c.Command.Name+"."+name]; ok {
			return v
		}
	}
	return flagChoices[name]
}

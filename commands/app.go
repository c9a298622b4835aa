package commands

import (
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// commands lists every command, one per line; each lives in its own file.
var commands = []*cli.Command{
	callCommand,
	convertCommand,
	dumpCommand,
	uploadCommand,
	snapshotsCommand,
	serveCommand,
	demoCommand,
	completionCommand,
	genDocsCommand,
}

// Flag categories, shown as headings in the help of each command.
const (
	catInput  = "INPUT"
	catOutput = "OUTPUT"
	catJSON   = "JSON"
	catMisc   = "MISC"
)

// flagChoices lists the values of flags that take one of a few words, by
// flag name; shell completion offers them.
var flagChoices = map[string][]string{
	"color":  {"auto", "always", "never"},
	"format": {"text", "json"},
	"from": {"auto", "json", "packet", "amf0", "amf3", "sol", "flv", "hex", "base64",
		"hex:packet", "hex:amf0", "hex:amf3", "base64:packet", "base64:amf0", "base64:amf3"},
	"to": {"json", "amf0", "amf3", "packet", "hex", "base64",
		"hex:amf0", "hex:amf3", "hex:packet", "base64:amf0", "base64:amf3", "base64:packet"},
}

// argChoices lists the words a command takes as its positional arguments,
// by command name; shell completion offers them.
var argChoices = map[string][]string{
	"completion": shells,
}

const appDescription = `amfcall speaks AMF (Action Message Format), the binary format of Flash
remoting: it calls methods on AMF gateways the way curl calls URLs, and
converts between AMF and JSON.

stdout carries data only (JSON, or AMF bytes when asked for them);
messages, warnings and -v traces go to stderr. JSON on stdout is indented
on a terminal and compact in a pipe; colour is used on terminals only
(--color, NO_COLOR).

Exit status: 0 success; 1 the remote method answered with a fault; 2 a
usage error; 3 the network or HTTP failed; 4 malformed input (AMF or JSON
that cannot be decoded).`

// colorFlag is the global --color flag. newApp also gives each command a
// hidden copy, so that it may be written after the command name too.
func colorFlag(hidden bool) cli.Flag {
	return &cli.StringFlag{
		Name:     "color",
		Usage:    "colour the output: `WHEN` is auto (on terminals, unless NO_COLOR is set or TERM=dumb), always or never",
		Value:    "auto",
		Category: catMisc,
		Hidden:   hidden,
		Action: func(c *cli.Context, v string) error {
			if !slices.Contains(flagChoices["color"], v) {
				return usageErrorf("invalid --color value %q", v).hint("use --color=auto, --color=always or --color=never")
			}
			return nil
		},
	}
}

// newApp builds the application around one run's environment. The
// package-level commands are copied so that urfave/cli, which writes into
// the commands it runs, never changes them between runs.
func newApp(e *runEnv) *cli.App {
	app := &cli.App{
		Name:                 "amfcall",
		HelpName:             "amfcall",
		Usage:                "call AMF (Flash remoting) gateways and convert AMF to and from JSON",
		Description:          appDescription,
		Reader:               e.stdin,
		Writer:               e.stdout,
		ErrWriter:            e.stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      false,
		Suggest:              true,
		Flags:                []cli.Flag{colorFlag(false)},
		Commands:             copyCommands(commands, true),
		Metadata:             map[string]any{envKey: e},
		// Errors are printed, and turned into exit codes, by Run alone.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
		Action:         rootAction,
		CommandNotFound: func(c *cli.Context, name string) {
			// Reached through "amfcall help NAME".
			e.pending = unknownCommand(c.App.Commands, name)
		},
	}
	return app
}

// version is the module version when built with go install, else "dev".
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func copyCommands(cmds []*cli.Command, leafColor bool) []*cli.Command {
	out := make([]*cli.Command, len(cmds))
	for i, c := range cmds {
		cp := *c
		cp.Flags = slices.Clone(c.Flags)
		cp.Subcommands = copyCommands(c.Subcommands, leafColor)
		if cp.OnUsageError == nil {
			cp.OnUsageError = onUsageError
		}
		if leafColor && len(cp.Subcommands) == 0 && findFlag(cp.Flags, "color") == nil {
			cp.Flags = append(cp.Flags, colorFlag(true))
		}
		out[i] = &cp
	}
	return out
}

func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// rootAction runs when no command was named, or an unknown one.
func rootAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return unknownCommand(c.App.Commands, c.Args().First())
	}
	// The help goes to stderr: stdout is for data.
	w := c.App.Writer
	c.App.Writer = c.App.ErrWriter
	_ = cli.ShowAppHelp(c)
	c.App.Writer = w
	return usageErrorf("missing command").hint(`run "amfcall help COMMAND" for the usage of a command`)
}

func unknownCommand(cmds []*cli.Command, name string) error {
	err := usageErrorf("unknown command %q", name)
	var names []string
	for _, c := range visibleCommands(cmds) {
		names = append(names, c.Names()...)
	}
	if s := closest(name, names); s != "" {
		err.hint(fmt.Sprintf("did you mean %q?", s))
	}
	return err.hint(`run "amfcall help" for the list of commands`)
}

func visibleCommands(cmds []*cli.Command) []*cli.Command {
	var out []*cli.Command
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, c)
		}
	}
	return out
}

// onUsageError turns a flag parsing failure into a usage error (exit 2)
// with hints.
func onUsageError(c *cli.Context, err error, _ bool) error {
	name := "amfcall"
	var flags []cli.Flag
	if c.Command != nil && c.Command.HelpName != "" && c.Command.HelpName != "amfcall" {
		name = c.Command.HelpName
		flags = c.Command.Flags
	} else {
		flags = c.App.Flags
	}
	msg := err.Error()
	const undefined = "flag provided but not defined: -"
	if f, ok := strings.CutPrefix(msg, undefined); ok {
		if letters := shortGroup(f, flags); letters != "" {
			// "-qr": a group whose value-taking flag is not last.
			return usageErrorf("unknown flag -%s for %s", f, name).
				hint(fmt.Sprintf("-%s takes a value: write it on its own, e.g. -%s VALUE", letters, letters))
		}
		ue := usageErrorf("unknown flag %s for %s", dashed(f), name)
		var names []string
		for _, fl := range flags {
			if v, ok := fl.(cli.VisibleFlag); !ok || v.IsVisible() {
				names = append(names, fl.Names()...)
			}
		}
		if s := closest(f, names); s != "" {
			ue.hint(fmt.Sprintf("did you mean %s?", dashed(s)))
		}
		return ue.hint(fmt.Sprintf("run %q for the flags", name+" --help"))
	}
	if f, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return usageErrorf("flag %s needs a value", dashed(strings.TrimLeft(f, "-"))).
			hint(fmt.Sprintf("run %q for the flags", name+" --help"))
	}
	return usageErrorf("%s", msg).hint(fmt.Sprintf("run %q for the usage", name+" --help"))
}

// shortGroup returns the first value-taking flag letter of name when name
// is a group of one-letter flags ("qr" for -qr) that splitShortFlags
// refused because a value-taking flag is not last; else "".
func shortGroup(name string, flags []cli.Flag) string {
	if len(name) < 2 {
		return ""
	}
	first := ""
	for i := 0; i < len(name); i++ {
		l := name[i : i+1]
		if findFlag(flags, l) == nil {
			return ""
		}
		if first == "" && i < len(name)-1 && takesValue("-"+l, flags) {
			first = l
		}
	}
	return first
}

// closest returns the name nearest to s by edit distance, if it is near
// enough to be a likely typo, else "".
func closest(s string, names []string) string {
	best, bestD := "", len(s)/3+1
	if bestD > 3 {
		bestD = 3
	}
	for _, n := range names {
		if len(n) < 2 {
			continue
		}
		if d := editDistance(s, n); d <= bestD && (best == "" || d < editDistance(s, best)) {
			best = n
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// dashed writes a flag name the way it is typed: -v, --verbose.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// checkArgs fails with a usage error when a command got fewer than min or
// more than max positional arguments (max < 0: no limit). what names them
// in the message, as in the usage line ("FILE").
func checkArgs(c *cli.Context, min, max int, what string) error {
	n := c.NArg()
	usage := strings.TrimSpace(fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage))
	switch {
	case n < min:
		return usageErrorf("%s: missing %s", c.Command.HelpName, what).hint(usage)
	case max == 0 && n > 0:
		return usageErrorf("%s takes no arguments (got %s)", c.Command.HelpName, quoteList(c.Args().Slice(), 3)).
			hint(usage)
	case max >= 0 && n > max:
		return usageErrorf("%s: too many arguments (want at most %d, got %d: %s)",
			c.Command.HelpName, max, n, quoteList(c.Args().Slice(), 3)).hint(usage)
	}
	return nil
}

func quoteList(items []string, n int) string {
	var b strings.Builder
	for i, s := range items {
		if i == n {
			fmt.Fprintf(&b, ", ... (%d more)", len(items)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}

// permuteArgs moves the flags that follow a command's positional
// arguments in front of them, so that "amfcall convert in.amf -o out.json"
// works: urfave/cli, like the flag package, stops at the first positional
// argument. Words after "--" stay positional; a word that is not a known
// flag but reads as a negative number ("-5", a JSON argument) is
// positional. Anything it does not understand is left as it is.
func permuteArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	words := args[1:]
	flags, subs := app.Flags, app.Commands
	var flagPart, posPart []string
	dashdash := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" {
			posPart = append(posPart, words[i+1:]...)
			dashdash = true
			break
		}
		if parts := splitShortFlags(w, flags); parts != nil {
			// "-vv", "-xr": one word of one-letter flags, as getopt
			// reads it. The rest of the loop sees them one by one.
			words = append(append(append([]string(nil), words[:i]...), parts...), words[i+1:]...)
			w = words[i]
		}
		if isFlagWord(w, flags) {
			flagPart = append(flagPart, w)
			if takesValue(w, flags) && i+1 < len(words) {
				flagPart = append(flagPart, words[i+1])
				i++
			}
			continue
		}
		if len(subs) > 0 {
			sub := findCommand(subs, w)
			if sub == nil || len(posPart) > 0 {
				return args // unknown command: let the app report it
			}
			out = append(out, flagPart...)
			out = append(out, w)
			flagPart = nil
			flags, subs = sub.Flags, sub.Subcommands
			continue
		}
		posPart = append(posPart, w)
	}
	out = append(out, flagPart...)
	if len(posPart) > 0 {
		needDash := dashdash
		for _, p := range posPart {
			if strings.HasPrefix(p, "-") && p != "-" {
				needDash = true
			}
		}
		if needDash {
			out = append(out, "--")
		}
		out = append(out, posPart...)
	}
	return out
}

// splitShortFlags splits a word of several one-letter flags ("-vv",
// "-xr", "-kv") into one word per flag, as getopt does, and returns nil
// for any other word. Every letter must be a one-letter flag of flags, and
// only the last may take a value (it is then the next word): "-qr" is not
// split, since -q takes a value and getopt would read "r" as that value.
func splitShortFlags(w string, flags []cli.Flag) []string {
	if len(w) < 3 || w[0] != '-' || w[1] == '-' || strings.Contains(w, "=") || findFlag(flags, w[1:]) != nil {
		return nil
	}
	parts := make([]string, 0, len(w)-1)
	for i := 1; i < len(w); i++ {
		name := w[i : i+1]
		if findFlag(flags, name) == nil || (i < len(w)-1 && takesValue("-"+name, flags)) {
			return nil
		}
		parts = append(parts, "-"+name)
	}
	return parts
}

// flagName returns the name in a flag word: "--out=x" gives "out".
func flagName(w string) string {
	name := strings.TrimLeft(w, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		name = name[:i]
	}
	return name
}

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

func takesValue(w string, flags []cli.Flag) bool {
	if strings.Contains(w, "=") {
		return false
	}
	f, ok := findFlag(flags, flagName(w)).(cli.DocGenerationFlag)
	return ok && f.TakesValue()
}

// looksNumeric reports whether w reads as a negative number (-5, -1.5e3).
func looksNumeric(w string) bool {
	s := strings.TrimPrefix(w, "-")
	if s == "" {
		return false
	}
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

// shells are the shells "amfcall completion" writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// complete answers a shell's request for completions: args end with
// urfave/cli's hidden --generate-bash-completion flag, and the word before
// it is the word being completed (empty after a space). Our scripts always
// pass that word, so that "--to <TAB>" and "--to<TAB>" can be told apart;
// urfave's own completer reads os.Args and cannot. Candidates are printed
// one per line: subcommands, flags, or the values a flag or command takes;
// nothing means "complete file names".
func complete(app *cli.App, args []string, w io.Writer) {
	words := args[1 : len(args)-1]
	cur := ""
	if len(words) > 0 {
		cur = words[len(words)-1]
		words = words[:len(words)-1]
	}
	flags, subs := app.Flags, app.Commands
	var node *cli.Command
	prevFlag := ""
	dashdash := false
	for i := 0; i < len(words); i++ {
		w := words[i]
		prevFlag = ""
		if w == "--" {
			dashdash = true
			continue
		}
		if !dashdash && isFlagWord(w, flags) {
			if takesValue(w, flags) {
				if i+1 == len(words) {
					prevFlag = flagName(w)
				}
				i++
			}
			continue
		}
		if sub := findCommand(subs, w); sub != nil && !dashdash {
			node, flags, subs = sub, sub.Flags, sub.Subcommands
		}
	}
	var cands []string
	switch {
	case prevFlag != "":
		cands = flagChoices[prevFlag]
	case !dashdash && strings.HasPrefix(cur, "-") && strings.Contains(cur, "="):
		name := flagName(cur)
		for _, v := range flagChoices[name] {
			cands = append(cands, cur[:strings.IndexByte(cur, '=')+1]+v)
		}
	case !dashdash && strings.HasPrefix(cur, "-"):
		for _, f := range flags {
			if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
				continue
			}
			for _, n := range f.Names() {
				cands = append(cands, dashed(n))
			}
		}
		cands = append(cands, "--help")
		if node == nil {
			cands = append(cands, "--version")
		}
	case len(subs) > 0:
		for _, c := range visibleCommands(subs) {
			cands = append(cands, c.Names()...)
		}
		if node == nil {
			cands = append(cands, "help")
		}
	case node != nil:
		cands = argChoices[node.Name]
	}
	for _, c := range cands {
		if strings.HasPrefix(c, cur) {
			fmt.Fprintln(w, c)
		}
	}
}

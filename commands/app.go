package commands

import (
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// commands lists every command, one per line; each lives in its own file.
var commands = []*cli.Command{
	callCommand,
	convertCommand,
	dumpCommand,
	listCommand,
	describeCommand,
	probeCommand,
	uploadCommand,
	snapshotsCommand,
	socketCommand,
	serveCommand,
	logoutCommand,
	publishCommand,
	subscribeCommand,
	benchCommand,
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
	"color":            {"auto", "always", "never"},
	"format":           {"text", "json"},
	"snapshots.format": {"auto", "table", "json"},
	// The charsets such gateways' data is in (the WHATWG names; any
	// other of those names is taken too).
	"charset": {"windows-1252", "iso-8859-1", "iso-8859-15", "utf-8", "windows-1250", "windows-1251",
		"koi8-r", "shift_jis", "euc-jp", "gbk", "gb18030", "big5", "euc-kr"},
	"from": {"auto", "json", "packet", "amf0", "amf3", "sol", "flv", "har", "socket", "frames", "hex", "base64",
		"hex:packet", "hex:amf0", "hex:amf3", "hex:sol", "hex:flv", "hex:socket", "hex:frames",
		"base64:packet", "base64:amf0", "base64:amf3", "base64:sol", "base64:flv", "base64:socket", "base64:frames"},
	// dump reads AMF only: no json, no har.
	"dump.from": {"auto", "packet", "amf0", "amf3", "sol", "flv", "socket", "frames", "hex", "base64",
		"hex:packet", "hex:amf0", "hex:amf3", "hex:sol", "hex:flv", "hex:socket", "hex:frames",
		"base64:packet", "base64:amf0", "base64:amf3", "base64:sol", "base64:flv", "base64:socket", "base64:frames"},
	"to": {"json", "amf0", "amf3", "packet", "sol", "flv", "socket", "frames", "hex", "base64",
		"hex:amf0", "hex:amf3", "hex:packet", "hex:sol", "hex:flv", "hex:socket", "hex:frames",
		"base64:amf0", "base64:amf3", "base64:packet", "base64:sol", "base64:flv", "base64:socket", "base64:frames"},
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

Environment: AMFCALL_URL is the gateway URL of every command that takes
one (call, upload, snapshots, bench, list, describe, probe, logout, publish,
subscribe) when the command line gives none; AMFCALL_PASSWORD the password
of -u USER given without :PASSWORD; HTTPS_PROXY, HTTP_PROXY and NO_PROXY
are honoured (--proxy overrides them).

Exit status: 0 success; 1 the remote method answered with a fault; 2 a
usage error; 3 the network or HTTP failed; 4 malformed input (AMF or JSON
that cannot be decoded); 130 interrupted (Ctrl-C; 143 for SIGTERM); 141
stdout's reader went away (SIGPIPE).`

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
	e.appOut = &stickyWriter{w: e.stdout}
	app := &cli.App{
		Name:                 "amfcall",
		HelpName:             "amfcall",
		Usage:                "call AMF (Flash remoting) gateways and convert AMF to and from JSON",
		Description:          appDescription,
		Reader:               e.stdin,
		Writer:               e.appOut,
		ErrWriter:            e.stderr,
		EnableBashCompletion: true,
		BashComplete:         completeHook,
		// -vv, -kv: urfave/cli splits groups of one-letter flags itself.
		UseShortOptionHandling: true,
		Flags:                  []cli.Flag{colorFlag(false), helpFlag(), versionFlag()},
		HideVersion:            true, // versionFlag and helpBefore answer --version
		HideHelpCommand:        true, // helpCommand is made for each run
		Before:                 helpBefore,
		Commands:               append(osHelpCommands(copyCommands(withFlagsNamed(e.commandList(), e.args), true), e.args), newHelpCommand()),
		Metadata:               map[string]any{envKey: e},
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

// helpFlag and versionFlag are made for each run (see init in run.go).
func helpFlag() cli.Flag {
	return &cli.BoolFlag{Name: "help", Aliases: []string{"h"}, Usage: "show help", Category: catMisc, DisableDefaultText: true}
}

func versionFlag() cli.Flag {
	return &cli.BoolFlag{Name: "version", Usage: "print the version and exit", DisableDefaultText: true}
}

// newHelpCommand is "amfcall help [COMMAND]", made for each run: urfave's
// own is a package variable it writes into.
func newHelpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Aliases:   []string{"h"},
		Usage:     "show the commands, or the help of one command",
		ArgsUsage: "[COMMAND]",
		Flags:     []cli.Flag{helpFlag()},
		BashComplete: func(c *cli.Context) {
			var names []string
			for _, sc := range visibleCommands(c.App.Commands) {
				if sc.Name != "help" {
					names = append(names, sc.Names()...)
				}
			}
			writeCandidates(c.App.Writer, names, envOf(c).completing)
			writeNoFilesMark(c) // command names, not files
		},
		Action: func(c *cli.Context) error {
			name := c.Args().First()
			if name == "" {
				return cli.ShowAppHelp(c)
			}
			cmd := findCommand(c.App.Commands, name)
			if cmd == nil {
				return unknownCommand(c.App.Commands, name)
			}
			if sub := c.Args().Get(1); sub != "" && len(cmd.Subcommands) > 0 {
				// "help socket call": the help of socket call, as
				// "socket call --help" gives it (the subcommand's help
				// name and flag categories are set up when it runs).
				if findCommand(cmd.Subcommands, sub) == nil {
					return usageErrorf("no command %q in amfcall %s", sub, cmd.Name).hint("amfcall help " + cmd.Name + " lists them")
				}
				return c.App.RunContext(c.Context, []string{c.App.Name, cmd.Name, sub, "--help"})
			}
			return cli.ShowCommandHelp(c.Lineage()[1], name)
		},
	}
}

// errHelpShown ends a run that printed the help or the version (exit 0).
var errHelpShown = errors.New("help shown")

// helpBefore answers --help and --version before a command runs.
func helpBefore(c *cli.Context) error {
	root := c.Command == nil || c.Command.Name == c.App.Name
	if !root {
		envOf(c).ran = c.Command // the last is the subcommand that runs
		envOf(c).ranVerbose = c.Count("verbose")
	}
	switch {
	case c.Bool("help") && root:
		_ = cli.ShowAppHelp(c)
	case c.Bool("help"):
		_ = cli.ShowCommandHelp(c.Lineage()[1], c.Command.Name)
	case root && c.Bool("version"):
		fmt.Fprintf(c.App.Writer, "%s version %s\n", c.App.Name, c.App.Version)
	case !root && len(c.Command.Subcommands) == 0:
		// The command that runs: its flags are read, its action not yet.
		if err := flagTookURL(c); err != nil {
			return err
		}
		return emptyFileFlag(c)
	default:
		return nil
	}
	return errHelpShown
}

// commandList is the run's commands: the package's list unless a test
// gave its own.
func (e *runEnv) commandList() []*cli.Command {
	if e.commands != nil {
		return e.commands
	}
	return commands
}

// version is the module version when built with go install, else "dev".
func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// withFlagsNamed returns cmds with the flags of every command that args
// do not name (as a word anywhere in them) left out; with no args (the
// man page's app) cmds as they are. urfave/cli's App.Setup files every
// command's flags under their help categories, writing out the help
// line of each (and copyCommands copies each flag): for a command that
// is neither run nor asked for help, nor completed, that was about half
// the instructions of a small "amfcall convert" (callgrind: 7.95 M of
// the process's, 2.4 M of them for the categories).
func withFlagsNamed(cmds []*cli.Command, args []string) []*cli.Command {
	if len(args) == 0 {
		return cmds
	}
	out := make([]*cli.Command, len(cmds))
	for i, c := range cmds {
		out[i] = c
		if slices.ContainsFunc(args[1:], c.HasName) {
			continue
		}
		cp := *c
		cp.Flags = nil
		cp.Subcommands = withFlagsNamed(c.Subcommands, args)
		out[i] = &cp
	}
	return out
}

func copyCommands(cmds []*cli.Command, leafColor bool) []*cli.Command {
	out := make([]*cli.Command, len(cmds))
	for i, c := range cmds {
		cp := *c
		cp.Flags = make([]cli.Flag, len(c.Flags))
		for j, f := range c.Flags {
			cp.Flags[j] = cloneFlag(f)
		}
		cp.Subcommands = copyCommands(c.Subcommands, leafColor)
		if cp.OnUsageError == nil {
			cp.OnUsageError = onUsageError
		}
		if cp.BashComplete == nil {
			cp.BashComplete = completeHook
		}
		if findFlag(cp.Flags, "help") == nil {
			cp.Flags = append(cp.Flags, helpFlag())
		}
		if before := cp.Before; before != nil {
			cp.Before = func(c *cli.Context) error {
				if err := helpBefore(c); err != nil {
					return err
				}
				return before(c)
			}
		} else {
			cp.Before = helpBefore
		}
		if interruptible[cp.Name] && len(cp.Subcommands) == 0 && cp.Action != nil {
			cp.Action = catchInterrupt(cp.Action)
		}
		cp.UseShortOptionHandling = true
		cp.HideHelpCommand = true // "amfcall help CMD" is the way
		if leafColor && len(cp.Subcommands) == 0 && findFlag(cp.Flags, "color") == nil {
			cp.Flags = append(cp.Flags, colorFlag(true))
		}
		out[i] = &cp
	}
	return out
}

// cloneFlag copies a flag: urfave/cli writes into the flags it parses
// (Apply keeps the default and whether it was set), so each run gets its
// own, and runs can go on in parallel.
func cloneFlag(f cli.Flag) cli.Flag {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return f
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	return c.Interface().(cli.Flag)
}

// findFlag returns the flag of flags that has name among its names, or
// nil. It runs for every flag word of every run (and at start-up, for
// the flags commands share): the flag types used here are asked for
// their Name and Aliases fields, because urfave/cli's Names() runs a
// regular expression over each name (measured: 12% of the CPU time of
// a small "amfcall convert", start-up included).
func findFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if hasFlagName(f, name) {
			return f
		}
	}
	return nil
}

func hasFlagName(f cli.Flag, name string) bool {
	var n string
	var aliases []string
	switch f := f.(type) {
	case *cli.StringFlag:
		n, aliases = f.Name, f.Aliases
	case *cli.BoolFlag:
		n, aliases = f.Name, f.Aliases
	case *cli.IntFlag:
		n, aliases = f.Name, f.Aliases
	case *cli.Int64Flag:
		n, aliases = f.Name, f.Aliases
	case *cli.Float64Flag:
		n, aliases = f.Name, f.Aliases
	case *cli.DurationFlag:
		n, aliases = f.Name, f.Aliases
	case *repeatFlag:
		n, aliases = f.Name, f.Aliases
	default:
		return slices.Contains(f.Names(), name)
	}
	for i := 0; i < len(n); i++ {
		if c := n[i]; c == ',' || c == ' ' || c == '\t' {
			// A name urfave/cli would trim: let it.
			return slices.Contains(f.Names(), name)
		}
	}
	return n == name || slices.Contains(aliases, name)
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
	if name == "version" {
		// go version, kubectl version: amfcall has the flag only.
		return err.hint("the version is printed by amfcall --version")
	}
	if name == "login" {
		// logout is a command, login a call: a Flex login is made by
		// call with -u, kept by --session.
		return err.hint("a login is made by a call: amfcall call --session FILE -u USER:PASSWORD --destination DEST URL OPERATION logs in to Flex (later calls with --session FILE stay logged in; amfcall logout --session FILE URL ends it); -u without --destination sends the AMF Credentials header with each call")
	}
	if s := suggest(name, names); s != "" {
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

// stdoutCommands are the commands whose data is on stdout with no -o.
var stdoutCommands = []string{"amfcall call", "amfcall upload", "amfcall bench", "amfcall snapshots",
	"amfcall list", "amfcall describe", "amfcall probe", "amfcall subscribe",
	"amfcall socket call", "amfcall socket listen"}

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
	if f, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		typed := dashed(f)
		if slices.Contains(envOf(c).args, "-"+f) {
			typed = "-" + f // "-vz": a group with an unknown letter
		}
		ue := usageErrorf("unknown flag %s for %s", typed, name)
		var names []string
		for _, fl := range flags {
			if v, ok := fl.(cli.VisibleFlag); !ok || v.IsVisible() {
				names = append(names, fl.Names()...)
			}
		}
		if (f == "o" || f == "output") && slices.Contains(stdoutCommands, name) {
			// curl's -o: this command's output is stdout (--output is
			// not a misspelt --max-output).
			h := name + " writes its output on stdout: redirect it with > FILE"
			if slices.Contains(names, "save-response") {
				h += ", or keep the reply's AMF bytes with --save-response FILE"
			}
			ue.hint(h)
		} else if (f == "q" || f == "query" || f == "r" || f == "raw") && name != "amfcall" && !slices.Contains(names, "query") {
			// call's -q and -r, tried on convert or dump: jq does
			// what they do, on any JSON.
			json := "its JSON"
			if findFlag(flags, "format") != nil {
				json = "its JSON (--format json)"
			}
			h := fmt.Sprintf("%s has no %s (call, upload, snapshots and subscribe have -q and -r): pipe %s into jq instead (| jq '.a.b', or jq -r for text)", name, typed, json)
			ue.hint(h)
		} else if name == "amfcall upload" && findFlag(callCommand.Flags, f) != nil {
			// --session, --destination...: call's, not upload's.
			ue.hint(fmt.Sprintf("upload does not take %s; amfcall call URL TARGET @FILE [ARG...] does, and sends the file as a ByteArray (read whole, up to 256 MiB - 1)", dashed(f)))
		} else if h := commandFlagHint(c, typed, f); name == "amfcall" && h != "" {
			// amfcall -v call URL...: curl takes its flags anywhere,
			// amfcall takes a command's flags after the command.
			ue.hint(h)
			return ue
		} else if isRegularFile(typed) {
			// upload URL T -photo.jpg: a file whose name starts with -.
			ue.hint(fmt.Sprintf("%s is a file here: write %s (or put -- before it) to give it as an argument", shellWord(typed), shellWord("./"+typed)))
		} else if h := habitHint(name, f, names); h != "" {
			ue.hint(h)
		} else if s := suggest(f, names); s != "" {
			ue.hint(fmt.Sprintf("did you mean %s?", dashed(s)))
		}
		return ue.hint(fmt.Sprintf("run %q for the flags", name+" --help"))
	}
	if f, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return usageErrorf("flag %s needs a value", dashed(strings.TrimLeft(f, "-"))).
			hint(fmt.Sprintf("run %q for the flags", name+" --help"))
	}
	if rest, ok := strings.CutPrefix(msg, "Cannot use two forms of the same flag: "); ok {
		// urfave/cli's words for "-a ... --all": the names, undashed.
		var forms []string
		for _, f := range strings.Fields(rest) {
			forms = append(forms, dashed(f))
		}
		return usageErrorf("%s are the same flag, given twice", strings.Join(forms, " and ")).
			hint("give it once, in either form")
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// The flag package's `invalid value "V" for flag -NAME: why`:
		// the flag as it is typed (--rate, not -rate), and why when the
		// flag, written without its value, took the next word, such as
		// the URL: "bench -n http://host/ echo.echo".
		if q, err := strconv.QuotedPrefix(rest); err == nil {
			if tail, ok := strings.CutPrefix(rest[len(q):], " for flag -"); ok {
				if name, why, ok := strings.Cut(tail, ": "); ok {
					msg = fmt.Sprintf("invalid value %s for flag %s: %s", q, dashed(name), why)
				}
			}
			if v, err := strconv.Unquote(q); err == nil {
				// A URL taken as the value: shown without its password.
				msg = strings.Replace(msg, q, strconv.Quote(redactURL(v)), 1) + tookArgument(v)
			}
		}
	}
	return usageErrorf("%s", msg).hint(fmt.Sprintf("run %q for the usage", name+" --help"))
}

// commandFlagHint says where a command's flag goes when it was written
// before the command (amfcall -v call ...): "" when no command has it.
// The command is the first argument naming one (and its subcommand).
func commandFlagHint(c *cli.Context, typed, f string) string {
	if strings.HasPrefix(typed, "-") && !strings.HasPrefix(typed, "--") && len(f) > 1 {
		f = f[:1] // -vv, -xq: a group of short flags; the first says where
	}
	args := envOf(c).args
	var cmd *cli.Command
	path := "amfcall"
	for i := 1; i < len(args); i++ {
		if cmd = findCommand(c.App.Commands, args[i]); cmd != nil {
			path += " " + cmd.Name
			if i+1 < len(args) {
				if sub := findCommand(cmd.Subcommands, args[i+1]); sub != nil {
					cmd, path = sub, path+" "+sub.Name
				}
			}
			break
		}
	}
	if cmd != nil {
		if findFlag(cmd.Flags, f) == nil {
			return ""
		}
		return fmt.Sprintf("%s is a flag of %s, not of amfcall: write it after the command name (%s %s ...)", typed, path, path, typed)
	}
	var with []string
	// The commands as defined: c.App's lost the flags of the commands
	// the line does not name (withFlagsNamed).
	for _, cmd := range visibleCommands(envOf(c).commandList()) {
		if findFlag(cmd.Flags, f) != nil {
			with = append(with, cmd.Name)
		}
	}
	if len(with) == 0 {
		return ""
	}
	if len(with) > 3 {
		with = append(with[:3], "...")
	}
	return fmt.Sprintf("%s is a flag of commands (%s), not of amfcall: write it after the command name (amfcall %s %s ...)", typed, strings.Join(with, ", "), with[0], typed)
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
		if err := flagTookArgument(c, what); err != nil {
			return err
		}
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

// habitHint is the hint for an unknown flag f (undashed) of command name
// that another tool has, or that names what amfcall does by default,
// where "did you mean" would guess wrong: --amf0 got "did you mean
// --amf3?", the opposite of what was asked; curl's -b/--cookie and
// wrk's -d (hey's -z, --duration) got nothing. names are the command's
// flags. "" when none applies.
func habitHint(name, f string, names []string) string {
	has := func(n string) bool { return slices.Contains(names, n) }
	switch {
	case f == "amf0" && has("amf3"):
		return "AMF0 is the default: leave --amf0 out (--amf3 sends a version 3 packet)"
	case (f == "b" || f == "cookie" || f == "cookie-jar") && has("header"):
		h := "amfcall has no cookie flag: send one with -H 'Cookie: NAME=VALUE'"
		if has("session") {
			h += ", or keep the gateway's cookies from run to run with --session FILE (curl's -b and -c in one)"
		}
		return h
	case (f == "d" || f == "z" || f == "t" || f == "duration" || f == "time") && name == "amfcall bench":
		return "bench runs for a time with --for DURATION (wrk's -d, hey's -z), or for a number of calls with -n N; the call's arguments are ARGs after TARGET"
	case f == "call" && name == "amfcall socket listen":
		return "amfcall socket listen sends a request with --send COMMAND=JSON (amfcall socket call's --call)"
	case f == "send" && name == "amfcall socket call":
		return "amfcall socket call sends a request with --call COMMAND=JSON, or COMMAND [PARAMS] after HOST:PORT (amfcall socket listen's --send)"
	case f == "duration" && has("for"):
		return "--for DURATION stops after DURATION"
	case (f == "listen" || f == "bind" || f == "port" || f == "l" || f == "p" || f == "host") && has("addr"):
		return "the address to listen on is --addr HOST:PORT (for example --addr 127.0.0.1:8080; port 0 picks a free one)"
	}
	return ""
}

package commands

import (
	"fmt"
	"net"
	"strings"

	"github.com/urfave/cli/v2"
)

// needArgs is checkArgs for a command whose positional arguments are
// names, in order, the first min of them required: the error names only
// those that are missing ("missing SERVICE" when the URL is there).
func needArgs(c *cli.Context, min, max int, names ...string) error {
	missing := ""
	if n := c.NArg(); n < min && min <= len(names) {
		missing = strings.Join(names[n:min], " and ")
	}
	return checkArgs(c, min, max, missing)
}

// isGatewayArg reports whether the first positional argument arg is the
// gateway URL. Without a default (AMFCALL_URL unset) anything with a / or
// : is taken as one, so that a URL written without its scheme gets a clear
// error. With a default, a Flex destination or a target may hold / or :
// ("chat/room", "ns:Service.method"): only a URL with a scheme
// (http://...) or a HOST:PORT start (localhost:8000/gateway) is taken.
func isGatewayArg(arg string, haveDefault bool) bool {
	if !haveDefault {
		return strings.ContainsAny(arg, "/:")
	}
	if strings.Contains(arg, "://") {
		return true
	}
	host, rest, ok := strings.Cut(arg, ":")
	if !ok || host == "" || strings.ContainsAny(host, "/") {
		return false
	}
	port, _, _ := strings.Cut(rest, "/")
	if port == "" {
		return false
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// flagTookArgument is the usage error for a command that lacks its
// positional argument what ("URL", "HOST:PORT", or the first of "URL and
// TARGET") because a value flag written before it without its value took
// it ("socket call --timeout 127.0.0.1:9001 echo"): the first such flag
// on the command line whose value, a separate word, is a URL with its
// scheme or a HOST:PORT, and is not meant to be an address (--proxy URL
// is). A value written --flag=VALUE took nothing. nil when there is none.
func flagTookArgument(c *cli.Context, what string) *exitError {
	arg, _, _ := strings.Cut(what, " and ")
	var looks func(string) bool
	switch arg {
	case "URL":
		looks = hasScheme
	case "HOST:PORT":
		looks = func(v string) bool {
			host, port, err := net.SplitHostPort(v)
			return err == nil && host != "" && validPort(port)
		}
	default:
		return nil
	}
	for _, fv := range flagValues(c.Command.Flags, envOf(c).args) {
		if fv.attached || takesAddress(fv.placeholder) || !looks(fv.value) {
			continue
		}
		return usageErrorf("%s: missing %s: the flag %s took %q as its value", c.Command.HelpName, what, fv.word, redactURL(fv.value)).
			hint(fmt.Sprintf("the flag's own value is missing: write %s %s before the %s", fv.word, fv.placeholder, arg))
	}
	return nil
}

// flagValue is one value flag of a command line and its value.
type flagValue struct {
	word        string // the flag as written: "-H", "--header", "-kH"; "--header=" for an attached value
	name        string // the flag's name (the last of a group of short flags)
	placeholder string // its value's name in the help: FILE, URL...
	value       string
	attached    bool // written --flag=VALUE or -f=VALUE, not as the next word
	at          int  // the index of the word that holds the value in args
}

// flagValues lists the value flags of args (a whole command line, the
// program's name first) that are flags, as urfave/cli reads them: the
// flag and its value in the next word (--flag VALUE, -f VALUE, -kf
// VALUE, the last of a group taking it), or in the same word after "="
// (--flag=VALUE, -f=VALUE). -fVALUE is not a spelling urfave/cli reads
// (flagTakesValue refuses it before). It stops at "--". It never
// panics, whatever the words (FuzzFlagValues).
func flagValues(flags []cli.Flag, args []string) []flagValue {
	var out []flagValue
	for i := 1; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			break
		}
		if !isFlagWord(w, flags) {
			continue
		}
		if head, v, ok := strings.Cut(w, "="); ok {
			name := flagName(head)
			if f := findFlag(flags, name); f != nil && valueFlag(f) {
				out = append(out, flagValue{word: head, name: name, placeholder: flagPlaceholder(f), value: v, attached: true, at: i})
			}
			continue
		}
		takes, err := flagTakesValue(w, flags)
		if err != nil || !takes || i+1 >= len(args) {
			continue
		}
		i++
		name := flagName(w)
		if findFlag(flags, name) == nil {
			name = name[len(name)-1:] // the last of a group takes the value
		}
		out = append(out, flagValue{word: w, name: name, placeholder: flagPlaceholder(findFlag(flags, name)), value: args[i], at: i})
	}
	return out
}

// hasScheme reports whether s starts as a URL with a scheme does
// ("http://", "https://", "ftp://").
func hasScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return false
	}
	for i, r := range scheme {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || !('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// flagPlaceholder is the word that names a flag's value in its help
// ("FILE", "URL"): urfave/cli takes it from the usage's `quoted` word
// (its unquoteUsage is not exported). "VALUE" when there is none.
func flagPlaceholder(f cli.Flag) string {
	if d, ok := f.(cli.DocGenerationFlag); ok {
		if _, rest, ok := strings.Cut(d.GetUsage(), "`"); ok {
			if p, _, ok := strings.Cut(rest, "`"); ok && p != "" {
				return p
			}
		}
	}
	return "VALUE"
}

// takesAddress reports whether a flag whose value is named placeholder
// takes an address (--proxy URL, --referer URL, --addr HOST:PORT).
func takesAddress(placeholder string) bool {
	return strings.Contains(placeholder, "URL") || strings.Contains(placeholder, "HOST:PORT")
}

// flagTookURL is the usage error for a value flag whose value is a URL
// (http:// or https://) although the flag does not take one, in every
// spelling. Written as a word of its own, its own value was left out and
// it took the gateway URL that followed ("call -H http://host/ a.b" sent
// the header "Http: //host/"; with AMFCALL_URL set, to that other
// gateway); cli.md: a value flag never takes the next argument when its
// value is missing. Written --flag=URL (or -f=URL), the URL is what was
// typed, and still a mistake: --cacert=http://host/ would be a file
// named so, -H=http://host/ the header "Http: //host/". Which flags take
// a URL is read from the flag (its help names the value URL or
// HOST:PORT: --proxy, --referer, --addr), not guessed from the value.
// nil when no flag has one.
func flagTookURL(c *cli.Context) error {
	for _, fv := range flagValues(c.Command.Flags, envOf(c).args) {
		if takesAddress(fv.placeholder) || !isHTTPURL(fv.value) {
			continue
		}
		if fv.attached {
			return usageErrorf("%s: %s=%q: %s does not take a URL", c.Command.HelpName, fv.word, redactURL(fv.value), dashed(fv.name)).
				hint(fmt.Sprintf("give %s its own value: %s %s", fv.word, fv.word, fv.placeholder))
		}
		err := usageErrorf("%s: the flag %s took the URL %q as its value; %s does not take a URL",
			c.Command.HelpName, fv.word, redactURL(fv.value), dashed(fv.name)).
			hint(fmt.Sprintf("the flag's own value is missing: write %s %s before the URL", fv.word, fv.placeholder))
		if (fv.name == "q" || fv.name == "query") && findFlag(c.Command.Flags, "quiet") != nil {
			// upload -q URL ...: -q is quiet in wget, apt, grep.
			err.hint("-q is --query here; --quiet draws no progress bar")
		}
		return err
	}
	return nil
}

// quietTookWord is the usage error for a command with --quiet whose -q
// (--query), written as a word of its own, took the next word as its
// PATH, and which then lacks a positional argument: -q is quiet in wget,
// apt and grep. took says whether the value, its index in args given,
// is a positional argument the command lacks. nil when -q was not
// written so.
func quietTookWord(c *cli.Context, took func(value string, at int) bool) *exitError {
	if findFlag(c.Command.Flags, "quiet") == nil {
		return nil
	}
	for _, fv := range flagValues(c.Command.Flags, envOf(c).args) {
		if fv.attached || (fv.name != "q" && fv.name != "query") || !took(fv.value, fv.at) {
			continue
		}
		return usageErrorf("%s: missing an argument: the flag %s took %q as its PATH", c.Command.HelpName, fv.word, fv.value).
			hint(quietHint(c.Command.Flags, fv.word)).
			hint(fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage))
	}
	return nil
}

// quietHint is the hint for the flag word w of a command of flags that
// lacks its value: -q is --query, and the command has --quiet ("upload
// URL TARGET FILE -q", where wget, apt and grep read -q as quiet). ""
// when w is another flag.
func quietHint(flags []cli.Flag, w string) string {
	name := flagName(w)
	if !strings.HasPrefix(w, "--") && name != "" {
		name = name[len(name)-1:] // the last of a group (-kq) takes the value
	}
	if (name != "q" && name != "query") || findFlag(flags, "quiet") == nil {
		return ""
	}
	return "-q is --query here; --quiet draws no progress bar"
}

// isHTTPURL reports whether s starts with http:// or https://, in any
// case.
func isHTTPURL(s string) bool {
	for _, p := range []string{"http://", "https://"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return true
		}
	}
	return false
}

// emptyFileFlag is the usage error for a file flag given an empty value
// (--session "$S" with S unset): it was taken as not given, and the call
// ran without its session (exit 0, the login saved nowhere), with no
// --cacert, or failed on something else ("missing TARGET" for --packet
// ""). nil when there is none.
func emptyFileFlag(c *cli.Context) error {
	for _, f := range c.Command.Flags {
		sf, ok := f.(*cli.StringFlag)
		if !ok || !sf.TakesFile || !c.IsSet(sf.Name) || c.String(sf.Name) != "" {
			continue
		}
		return usageErrorf("--%s: the file name is empty", sf.Name).hint("was a shell variable empty? give a file name")
	}
	return nil
}

package commands

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

var genDocsCommand = &cli.Command{
	Name:      "gen-docs",
	Usage:     "write the completion scripts and the man page",
	ArgsUsage: "[DIR]",
	Hidden:    true,
	Description: `Writes completions/amfcall.bash, completions/_amfcall,
completions/amfcall.fish, completions/amfcall.ps1 and doc/amfcall.1 under
DIR (default: the current directory, meant to be the source tree). A test
fails when the committed files differ from what this writes; "go test
./commands -update" rewrites them too.`,
}

func runGenDocs(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 1, "DIR"); err != nil {
		return err
	}
	dir := c.Args().First()
	if dir == "" {
		dir = "."
	}
	return writeDocs(dir, c.App.ErrWriter)
}

// docsApp is a fresh application, not yet run (running one adds the help
// command and flags), from which the man page is generated, so that it is
// the same however it is asked for.
func docsApp() *cli.App {
	app := newApp(&runEnv{stdin: nil, stdout: io.Discard, stderr: io.Discard,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }})
	// Each command's section starts with its usage line and its
	// description, examples included (shown as typed).
	for _, c := range app.Commands {
		c.UsageText = fmt.Sprintf("amfcall %s [OPTIONS] %s\n\n%s", c.Name, c.ArgsUsage, c.Description)
		for _, sc := range c.Subcommands {
			sc.UsageText = fmt.Sprintf("amfcall %s %s [OPTIONS] %s\n\n%s", c.Name, sc.Name, sc.ArgsUsage, sc.Description)
		}
	}
	return app
}

// manPage is the man page: urfave/cli's, with a SYNOPSIS of every
// command's usage line, and EXAMPLES and ENVIRONMENT sections.
func manPage() (string, error) {
	app := docsApp()
	man, err := app.ToManWithSection(1)
	if err != nil {
		return "", err
	}
	var syn strings.Builder
	syn.WriteString(".SH SYNOPSIS\n")
	for i, c := range app.Commands {
		if c.Hidden {
			continue
		}
		if i > 0 {
			syn.WriteString(".br\n")
		}
		subs := 0
		for _, sc := range c.Subcommands {
			// socket call, socket listen: each its own line, as a
			// command of its own.
			if sc.Hidden || sc.Name == "help" {
				continue
			}
			if subs > 0 {
				syn.WriteString(".br\n")
			}
			subs++
			fmt.Fprintf(&syn, "\\fBamfcall\\fP [\\fB\\-\\-color\\fP \\fIWHEN\\fP] \\fB%s %s\\fP [\\fIOPTIONS\\fP] %s\n", c.Name, sc.Name, roffEscape(sc.ArgsUsage))
		}
		if subs == 0 {
			fmt.Fprintf(&syn, "\\fBamfcall\\fP [\\fB\\-\\-color\\fP \\fIWHEN\\fP] \\fB%s\\fP [\\fIOPTIONS\\fP] %s\n", c.Name, roffEscape(c.ArgsUsage))
		}
	}
	syn.WriteString("\n")
	start := strings.Index(man, ".SH SYNOPSIS\n")
	end := strings.Index(man, ".SH DESCRIPTION\n")
	if start < 0 || end < start {
		return "", fmt.Errorf("gen-docs: no SYNOPSIS section in urfave/cli's man page")
	}
	return man[:start] + syn.String() + manFlagValues(man[end:]) + manExtra, nil
}

// manFlagLine is a value flag's line as urfave/cli's man page writes it:
// its names, then ="" (an empty default, whatever the flag's) and its
// usage, in which the value's name is bold.
var manFlagLine = regexp.MustCompile(`(?m)^\\fB(-[^\\]*)\\fP="": (.*)$`)

// manPlaceholder is the first bold word of a usage: the value's name, as
// "amfcall CMD --help" shows it after the flag.
var manPlaceholder = regexp.MustCompile(`\\fB(.*?)\\fR`)

// manFlagValues writes each value flag as --help does, with its value's
// name after each of its names (--data JSON, -d JSON), not as --data,
// -d="" (which reads as a default of "").
func manFlagValues(man string) string {
	return manFlagLine.ReplaceAllStringFunc(man, func(line string) string {
		m := manFlagLine.FindStringSubmatch(line)
		value := "VALUE"
		if p := manPlaceholder.FindStringSubmatch(m[2]); p != nil {
			value = p[1]
		}
		names := strings.Split(m[1], ", ")
		for i, n := range names {
			names[i] = `\fB` + n + `\fP \fI` + value + `\fP`
		}
		return strings.Join(names, ", ") + ": " + m[2]
	})
}

// roffEscape escapes the characters roff reads as commands.
func roffEscape(s string) string {
	return strings.NewReplacer(`\`, `\e`, "-", `\-`).Replace(s)
}

const manExtra = `.SH EXAMPLES
.EX
amfcall call http://localhost:8000/gateway echo.echo '"hello"' '{"a": [1, 2.5]}'
amfcall call \-u alice:wonderland "$URL" secure.whoami
amfcall call \-\-session s.json "$URL" login '"bob"' '"secret"'
amfcall upload "$URL" ByteArray.saveSnapshot photo.jpg
amfcall snapshots \-\-download ./shots "$URL"
amfcall convert reply.amf                  # AMF to JSON
amfcall convert \-\-typed reply.amf \-o reply.json
amfcall convert reply.json \-o reply.amf    # and back, byte for byte
echo '{"a": 1}' | amfcall convert \-\-to hex:amf3
amfcall serve                              # a gateway to try it on
.EE

.SH ENVIRONMENT
.TP
.B AMFCALL_URL
The gateway URL that \fBcall\fP, \fBupload\fP, \fBsnapshots\fP, \fBbench\fP,
\fBlist\fP, \fBdescribe\fP, \fBprobe\fP, \fBlogout\fP, \fBpublish\fP and
\fBsubscribe\fP use when the command line gives none (the first argument is
then the target, service or destination).
.TP
.B AMFCALL_PASSWORD
The password for \fB\-u USER\fP given without \fB:PASSWORD\fP, which keeps
it out of \fBps\fP and shell history. Unset, the password is asked for on
the terminal without echo; with no terminal, \fB\-u USER\fP is a usage error.
.TP
.B NO_COLOR
When set and not empty, no colour, unless \fB\-\-color=always\fP.
\fBTERM=dumb\fP turns colour off too.
.TP
.B HTTPS_PROXY, HTTP_PROXY, NO_PROXY \fR(and their lower-case forms)\fP
The proxy for https and http gateway URLs, and the hosts to reach
directly, as Go's net/http reads them; \fB\-\-proxy URL\fP overrides them.
Credentials in a proxy URL are sent to the proxy only.

.SH EXIT STATUS
0 success; 1 the remote method answered with a fault (or amfcall itself
failed: the message then says "internal error"); 2 a usage error; 3 the
network or HTTP failed (a timeout, a refused connection, an HTTP error
status); 4 malformed input (AMF or JSON that cannot be decoded); 130
interrupted by Ctrl-C (SIGINT; 143 for SIGTERM), any partial output file
removed. Where Ctrl-C is the normal way to stop (\fBbench\fP,
\fBsubscribe\fP, \fBsocket listen\fP, \fBserve\fP) the command ends
cleanly and exits 0. 141 (SIGPIPE): stdout's reader went away (\fB| head\fP),
as for any program; \fBsubscribe\fP unsubscribes first.
`

// generatedDocs returns every generated file by its path in the tree.
func generatedDocs() (map[string][]byte, error) {
	files := map[string][]byte{}
	for sh, path := range map[string]string{
		"bash":       "completions/amfcall.bash",
		"zsh":        "completions/_amfcall",
		"fish":       "completions/amfcall.fish",
		"powershell": "completions/amfcall.ps1",
	} {
		s, err := completionScript(sh)
		if err != nil {
			return nil, err
		}
		files[path] = []byte(s)
	}
	man, err := manPage()
	if err != nil {
		return nil, err
	}
	files["doc/amfcall.1"] = []byte(man)
	return files, nil
}

// writeDocs writes the generated files under dir, reporting each on log.
func writeDocs(dir string, log io.Writer) error {
	files, err := generatedDocs()
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return withCode(exitUsage, err)
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return withCode(exitUsage, err)
		}
		fmt.Fprintf(log, "amfcall: wrote %s\n", full)
	}
	return nil
}

package commands

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/discover"
	"github.com/amfcall/amfcall/client/safetext"
)

var describeCommand = &cli.Command{
	Name:      "describe",
	Usage:     "show the methods and parameters of a service, as the gateway's discovery service tells them",
	ArgsUsage: "URL SERVICE[.METHOD]",
	Description: `Shows what the gateway's discovery service says of SERVICE: each method with
its parameters (and their types where the gateway gives them), what it
returns, and its description; with SERVICE.METHOD, that method only.
--format json prints one document.

The discovery services are those of "amfcall list" (amfcall serve, AMFPHP 2,
AMFPHP 1.x) and Zend_Amf's introspector (Zend_Amf_Adobe_Introspector),
which describes one service at a time and cannot list them. Zend's answer
is XML: amfcall reads the operation and argument names out of it without
an XML parser.

A gateway that offers none of them is reported on stderr, as by list: with
exit status 1 when it answered each discovery call with a "not found"
fault, 4 when it answered one with something that is not a listing (a
gateway that answers any call alike); try "amfcall probe URL".

Examples:

  amfcall describe http://127.0.0.1:8000/ echo
  amfcall describe http://127.0.0.1:8000/ ByteArray.saveSnapshot
  amfcall describe --format json $URL UserService`,
	Flags:  gatewayFlags(),
	Action: runDescribe,
}

// methodDoc is describe's JSON document for one method.
type methodDoc struct {
	Dialect discover.Dialect `json:"dialect"`
	Service string           `json:"service"`
	Method  discover.Method  `json:"method"`
}

// serviceDoc is describe's JSON document for one service.
type serviceDoc struct {
	Dialect discover.Dialect `json:"dialect"`
	Service discover.Service `json:"service"`
}

func runDescribe(c *cli.Context) error {
	setColor(c)
	// --cacert '' was dropped unsaid, as call refuses it.
	gateway, args, err := flexArgs(c, "SERVICE") // the URL, or AMFCALL_URL
	if err != nil {
		// The URL alone: which services there are is list's to say.
		var ee *exitError
		a := c.Args().Slice()
		switch {
		case !errors.As(err, &ee):
		case len(a) == 1 && isGatewayArg(a[0], false):
			ee.hint(fmt.Sprintf("amfcall list %s shows the services", shellWord(redactURL(a[0]))))
		case len(a) == 0 && envOf(c).getenv("AMFCALL_URL") != "":
			ee.hint("amfcall list shows the services (of AMFCALL_URL's gateway)")
		}
		return err
	}
	s, err := readGatewayFlags(c, gateway)
	if err != nil {
		return err
	}
	name := args[0]
	cl, err := s.newClient()
	if err != nil {
		return err
	}
	ctx := c.Context
	// One listing for each name tried below (S.M, then S).
	d := discover.NewDescriber(cl)
	svc, dialect, err := d.Describe(ctx, name)
	method := ""
	var none *discover.NoDiscoveryError
	var he *client.HTTPError
	var nf *discover.NotFoundError
	if err != nil && strings.Contains(name, ".") && !strings.HasSuffix(name, ".") && !errors.As(err, &none) && !errors.As(err, &he) {
		// SERVICE.METHOD: the service is what comes before the last dot.
		// "echo." names no method: it is not taken for the service echo
		// (which showed that service without a word), but refused as a
		// name not listed, with the name meant offered.
		i := strings.LastIndexByte(name, '.')
		if s2, d2, err2 := d.Describe(ctx, name[:i]); err2 == nil {
			svc, dialect, err, method = s2, d2, nil, name[i+1:]
		}
	} else if errors.As(err, &nf) && name != "" {
		// A method called without a service name: list shows those by
		// their method name.
		if s2, d2, err2 := d.Describe(ctx, ""); err2 == nil && slices.ContainsFunc(s2.Methods, func(m discover.Method) bool { return m.Name == name }) {
			svc, dialect, err, method = s2, d2, nil, name
		}
	}
	if err != nil {
		return withDiscoveryTooLarge(c, discoveryError(err, s.url), "describe")
	}
	out := c.App.Writer
	if method != "" {
		for _, m := range svc.Methods {
			if m.Name != method {
				continue
			}
			if s.json {
				return writeJSON(c, methodDoc{Dialect: dialect, Service: svc.Name, Method: m})
			}
			_, err := fmt.Fprint(out, formatMethod(svc.Name, m, ""))
			return err
		}
		// No fault: the method named is not one the gateway lists (2).
		err := withCode(exitUsage, fmt.Errorf("service %q has no method %q in what the gateway's discovery service (%s) says", svc.Name, method, dialect))
		var names []string
		for _, m := range svc.Methods {
			names = append(names, m.Name)
		}
		if near := suggest(method, names); near != "" {
			// echo.ech: the listing is at hand.
			err = err.hint("did you mean " + nameText(svc.Name+"."+near) + "?")
		}
		// The service as a shell word: "" (the methods called
		// without one) is '', not nothing, when the line is pasted.
		if w, ok := hintWord(svc.Name); ok {
			return err.hint("amfcall describe " + shellWord(redactURL(s.url)) + " " + w + " lists its methods")
		}
		return err.hint("amfcall list " + shellWord(redactURL(s.url)) + " lists the services and their methods")
	}
	if s.json {
		return writeJSON(c, serviceDoc{Dialect: dialect, Service: *svc})
	}
	var b strings.Builder
	title := nameText(svc.Name)
	if title == "" {
		title = "(methods called without a service)"
	}
	b.WriteString(title)
	if svc.Description != "" {
		b.WriteString(": " + nameText(svc.Description))
	}
	b.WriteString("\n")
	if len(svc.Methods) == 0 {
		b.WriteString("  (the discovery service names no methods)\n")
	}
	for _, m := range svc.Methods {
		b.WriteString(formatMethod("", m, "  "))
	}
	_, err = fmt.Fprint(out, b.String())
	return err
}

// formatMethod writes "name(param: type, ...) -> returns" and the
// description under it.
func formatMethod(service string, m discover.Method, indent string) string {
	var b strings.Builder
	t := nameText
	b.WriteString(indent)
	if service != "" {
		b.WriteString(t(service) + ".")
	}
	b.WriteString(t(m.Name) + "(")
	for i, p := range m.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(t(p.Name))
		if p.Type != "" {
			b.WriteString(": " + t(p.Type))
		}
		if p.Default != "" {
			b.WriteString(" = " + t(p.Default))
		}
	}
	b.WriteString(")")
	if m.Returns != "" {
		b.WriteString(" -> " + t(m.Returns))
	}
	b.WriteString("\n")
	if m.Description != "" {
		b.WriteString(indent + "    " + nameText(m.Description) + "\n")
	}
	for _, p := range m.Params {
		if p.Example != "" {
			b.WriteString(indent + "    " + t(p.Name) + ", for example: " + nameText(p.Example) + "\n")
		}
	}
	return b.String()
}

// oneLineText is terminalText with runs of white space folded, so that a
// gateway's text cannot move the terminal's cursor or colour.
func oneLineText(s string) string {
	return strings.Join(strings.Fields(terminalText(s)), " ")
}

// nameText is a gateway's name or text as list and describe print it,
// on one line, as dump and the client libraries (safetext) show text: runs
// of white space (newlines, tabs) fold to a space, and control and
// format characters and bytes that are not UTF-8 are written as escapes
// that read back as the name's bytes (\x01, \x1b, \u202e, \xff), not as a
// lossy '?' that named another service or method.
//
// A backslash that would read as the start of an escape (followed by x,
// u, U, a backslash, or a character written as an escape) is written
// \\, so that a name holding the text \x01 does not print as one holding
// the byte 01; any other (a PHP namespace's App\Service) as it is.
func nameText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '\\')
		if i < 0 {
			b.WriteString(safetext.Escape(s, 0))
			return b.String()
		}
		b.WriteString(safetext.Escape(s[:i], 0))
		s = s[i+1:]
		b.WriteByte('\\')
		_, n := utf8.DecodeRuneInString(s)
		if n > 0 && (strings.ContainsAny(s[:n], `\xuU`) || safetext.Escape(s[:n], 0) != s[:n]) {
			b.WriteByte('\\')
		}
	}
}

// hintWord is s as a word of a hint's command line that runs as printed
// and cannot drive the terminal: shellWord's quoting when s is
// printable; else, for a POSIX shell, bash's and zsh's $'...' with the
// control characters (and the bytes that are not UTF-8) as escapes
// (terminalText's "?" in their place named another service). ok is
// false where no such word can be printed (cmd.exe and PowerShell):
// the caller then names no command.
func hintWord(s string) (word string, ok bool) {
	if terminalText(s) == s {
		return shellWord(s), true
	}
	if windowsShell {
		return "", false
	}
	var b strings.Builder
	b.WriteString("$'")
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\'' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80 && unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			// \U with its eight digits: one character (in a UTF-8
			// locale), whatever follows.
			fmt.Fprintf(&b, `\U%08x`, r)
		}
		i += n
	}
	b.WriteByte('\'')
	return b.String(), true
}

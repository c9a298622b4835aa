package commands

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/discover"
	"github.com/amfcall/amfcall/convert"
)

var listCommand = &cli.Command{
	Name:      "list",
	Usage:     "list the services a gateway's discovery service offers",
	ArgsUsage: "URL",
	Description: `Asks the gateway at URL what it offers, through whichever discovery service
it speaks: amfcall serve's (amfcall.discover), AMFPHP 2's
(AmfphpDiscoveryService.discover, which by default needs a user with the
amfphp_admin role: give -u), or AMFPHP 1.x's (amfphp.DiscoveryService).
Prints one service name per line (methods called without a service by their
own names); --format json prints one document with every service, method
and parameter. "amfcall describe URL SERVICE" shows one service's methods.

The names found are kept in the user's cache folder, for shell completion
of "amfcall call URL <TAB>" (completion reads only that cache, never the
network).

A gateway that offers no discovery service is reported on stderr: with exit
status 1 when it answered each discovery call with a "not found" fault, 4
when it answered one with something that is not a listing (a gateway that
answers any call alike). "amfcall probe URL" then tells what the gateway
is, and "probe --wordlist" guesses names from its faults. A service or
method that describe does not find in the listing is exit status 2.

Examples:

  amfcall list http://127.0.0.1:8000/
  amfcall list -u admin:secret https://example.com/amfphp/Amfphp/
  amfcall list --format json $URL | jq '.services[].name'`,
	Flags:  gatewayFlags(),
	Action: runList,
}

// gatewayFlags are the flags of the commands that ask a gateway about
// itself (list, describe, probe): -u, call's HTTP flags and -v.
// --max-response-size is 8M there (discover.MaxReplySize), not 64M:
// their replies are small, and probe's three against a gateway whose
// replies never end peaked at 229 MB with 64M.
func gatewayFlags() []cli.Flag {
	return append(append([]cli.Flag{
		&cli.StringFlag{Name: "user", Aliases: []string{"u"}, Category: catCall,
			Usage: "send the Credentials header with `USER[:PASSWORD]`; with no :PASSWORD, from $AMFCALL_PASSWORD, else asked for on the terminal"},
	}, append(pickFlags(httpFlags, "header", "user-agent", "referer", "timeout", "connect-timeout", "idle-timeout",
		"insecure", "cacert", "proxy", "location-trusted"), discoveryReplySizeFlag())...),
		&cli.StringFlag{Name: "format", Category: catOutput, Value: "text",
			Usage: "print `text` for people (table is the same, as snapshots has it) or json for tools"},
		&cli.BoolFlag{Name: "pretty", Category: catJSON, DisableDefaultText: true,
			Usage: "indent the JSON (the default on a terminal); implies --format json"},
		&cli.BoolFlag{Name: "compact", Category: catJSON, DisableDefaultText: true,
			Usage: "write compact JSON, one document per line (the default in a pipe or a file); implies --format json"},
		verboseFlag("print each request and reply packet as typed JSON on stderr; -vv adds the HTTP headers and timings"),
	)
}

// discoveryReplySize is the default of list's, describe's and probe's
// --max-response-size: discover.MaxReplySize, as the flag writes it.
const discoveryReplySize = "8M"

// discoveryReplySizeFlag is call's --max-response-size with the default
// of discovery (discoveryReplySize).
func discoveryReplySizeFlag() cli.Flag {
	f := *findFlag(httpFlags, "max-response-size").(*cli.StringFlag)
	f.Value = discoveryReplySize
	f.Usage += "; a discovery reply is small"
	return &f
}

// discoveryTooLarge is the hint for a discovery reply over
// --max-response-size when the flag was not given: the bound is
// discovery's own, smaller than call's.
func discoveryTooLarge(c *cli.Context, cmd string) string {
	return cmd + " reads replies of up to " + discoveryReplySize + " (--max-response-size's default here; call's is 64M): a discovery reply is small, so this gateway may not be answering as one does; if the reply is real, give --max-response-size 64M"
}

// withDiscoveryTooLarge is err with discoveryTooLarge's hint when it is
// a reply over the bound on its bytes (or values) and the flag was not
// given.
func withDiscoveryTooLarge(c *cli.Context, err error, cmd string) error {
	var he *client.HTTPError
	if c.IsSet("max-response-size") || !errors.As(err, &he) || !errors.Is(err, client.ErrTooLarge) || he.Reason == client.ReasonHeaderTooLarge {
		return err
	}
	code, hints := classify(err)
	hints = slices.DeleteFunc(slicesClone(hints), func(h string) bool { return h == "raise --max-response-size" })
	return &exitError{code: code, err: err, hints: append(hints, discoveryTooLarge(c, cmd))}
}

// gatewaySettings are the read gateway flags.
type gatewaySettings struct {
	c    *cli.Context
	url  string
	cfg  client.Config
	user *[2]string
	json bool
}

// readGatewayFlags checks the flags of list, describe and probe; url is
// the gateway's (the first argument, or AMFCALL_URL).
func readGatewayFlags(c *cli.Context, url string) (*gatewaySettings, error) {
	s := &gatewaySettings{c: c, url: url}
	// table is text's other name: snapshots' word for it (its --format
	// table), taken here too so that one spelling works in all four.
	f := c.String("format")
	switch f {
	case "text", "table":
	case "json":
		s.json = true
	default:
		return nil, usageErrorf("invalid --format value %q", f).hint("use --format text or --format json")
	}
	// --pretty and --compact ask for JSON, as bench's and dump's do:
	// "list --pretty URL" printed the text, the flag unread.
	switch pretty, compact := c.Bool("pretty"), c.Bool("compact"); {
	case pretty && compact:
		return nil, usageErrorf("--pretty can't be used with --compact")
	case (pretty || compact) && c.IsSet("format") && !s.json:
		return nil, usageErrorf("--pretty and --compact lay out JSON, not --format %s", f).
			hint("drop --format " + f + ", or give --format json")
	case pretty || compact:
		s.json = true
	}
	cfg, err := httpConfig(c)
	if err != nil {
		return nil, err
	}
	s.cfg = cfg
	s.cfg.Events = newTrace(c, verbosity(c)) // warnings, and -v's packets
	if s.user, err = readUser(c); err != nil {
		return nil, err
	}
	return s, nil
}

// newClient makes the client for the gateway.
func (s *gatewaySettings) newClient() (*client.Client, error) {
	cl, err := client.New(s.url, s.cfg)
	if err != nil {
		return nil, gatewayURLError(s.c, err, s.url)
	}
	if s.user != nil {
		cl.SetCredentials(s.user[0], s.user[1])
	}
	return cl, nil
}

// discoveryError adds the hints for the errors of list and describe.
func discoveryError(err error, url string) error {
	// The hints are command lines: no password in them, and the URL a
	// shell word ("?a=1&b=2" of a PHP gateway's URL ran in the
	// background, as pasted).
	url = shellWord(redactURL(url))
	var none *discover.NoDiscoveryError
	var refused *discover.RefusedError
	var notFound *discover.NotFoundError
	switch {
	case errors.As(err, &notFound):
		// No fault: the name given is not one the gateway lists, a
		// wrong argument (cli.md's 2), not the remote's fault (1).
		e := withCode(exitUsage, err)
		near := notFound.Near
		if near == "" {
			var names []string
			for _, n := range append(append([]string(nil), notFound.Known...), notFound.Loose...) {
				if n != "..." {
					names = append(names, n)
				}
			}
			near = suggest(notFound.Name, names)
		}
		if near != "" {
			if w, ok := hintWord(near); ok {
				e.hint("did you mean " + w + "? amfcall describe " + url + " " + w)
			} else {
				e.hint("did you mean " + nameText(near) + "? (its name holds control characters, shown as escapes)")
			}
		}
		return e.hint("amfcall list " + url + " shows every service")
	case errors.As(err, &none):
		// cli.md's 1 is for a fault: only when every discovery target
		// was answered with a "not found" fault. A gateway that
		// answered one with something that is no listing (any call
		// answered alike) gave an answer of the wrong shape: 4, as
		// ErrShape below.
		code := exitFault
		for _, a := range none.Tried { // "not found": discover.Attempt's word for that fault
			if a.Outcome != "not found" {
				code = exitInput
			}
		}
		e := withCode(code, err)
		if none.Wording == discover.ZendAmf {
			e.hint("Zend_Amf's introspector, where the gateway has it, describes one service: amfcall describe " + url + " SERVICE")
		}
		return e.hint("amfcall probe " + url + " tells what the gateway is").
			hint("amfcall probe --wordlist FILE " + url + " guesses service and method names from its faults")
	case errors.As(err, &refused) && len(refused.Alike) > 0:
		// The same fault for every discovery target: the gateway's
		// answer to any call, not a discovery service's refusal.
		return withCode(exitFault, err).hint("if every call needs a login, give -u USER:PASSWORD, or -H 'Cookie: ...' of a logged-in session").
			hint("amfcall probe " + url + " tells what the gateway is")
	case errors.As(err, &refused):
		return withCode(exitFault, err).hint("the discovery service may need a login: give -u USER:PASSWORD, or -H 'Cookie: ...' of a logged-in session (AMFPHP 2's needs the amfphp_admin role)")
	case errors.Is(err, discover.ErrShape):
		// The gateway's answer, not amfcall, is at fault.
		return withCode(exitInput, err).hint("see the answer itself with: amfcall call " + url + " TARGET, the target named in the error")
	}
	return err
}

func runList(c *cli.Context) error {
	setColor(c)
	// --cacert '' was dropped unsaid, as call refuses it.
	gateway, _, err := flexArgs(c) // the URL, or AMFCALL_URL
	if err != nil {
		return err
	}
	s, err := readGatewayFlags(c, gateway)
	if err != nil {
		return err
	}
	cl, err := s.newClient()
	if err != nil {
		return err
	}
	cat, err := discover.List(c.Context, cl)
	if err != nil {
		return withDiscoveryTooLarge(c, discoveryError(err, s.url), "list")
	}
	if err := discover.SaveTargets(s.url, cat.Targets()); err != nil {
		warnf(c, "could not keep the names for shell completion: %v", err)
	}
	out := c.App.Writer
	if s.json {
		return writeJSON(c, cat)
	}
	if len(cat.Services) == 0 {
		warnf(c, "the gateway's discovery service (%s) lists no services", cat.Dialect)
	}
	var b strings.Builder
	for _, svc := range cat.Services {
		if svc.Name == "" {
			for _, m := range svc.Methods {
				b.WriteString(nameText(m.Name) + "\n")
			}
			continue
		}
		b.WriteString(nameText(svc.Name) + "\n")
	}
	_, err = fmt.Fprint(out, b.String())
	return err
}

// writeJSON prints v as one JSON document on stdout, laid out as call
// lays out its JSON (jsonOutput, convert.Layout): compact in a pipe,
// indented and coloured on a terminal, --pretty and --compact force
// either (cli.md).
func writeJSON(c *cli.Context, v any) error {
	data, err := safeJSON(v)
	if err != nil {
		return err
	}
	out, opts, err := jsonOutput(c)
	if err != nil {
		return err
	}
	if _, err := out.Write(append(convert.Layout(data, opts), '\n')); err != nil {
		return err
	}
	return out.commit()
}

// safeJSON is v as compact JSON, with the C1 controls and bidi controls
// a server's text may hold escaped (convert.AppendTerminalSafe).
func safeJSON(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return convert.AppendTerminalSafe(nil, data), nil
}

// targetChoices are the completion candidates of a command's positional
// argument after URL: for call, describe, bench and upload, the names that "amfcall
// list URL" last found (read from the cache only).
func targetChoices(command string, pos []string) []string {
	switch command {
	case "call", "describe", "bench", "upload":
	default:
		return nil
	}
	if len(pos) != 1 || !strings.Contains(pos[0], "://") {
		return nil
	}
	targets := discover.CachedTargets(pos[0])
	if command == "describe" {
		// describe takes a service alone too.
		seen := map[string]bool{}
		var svcs []string
		for _, t := range targets {
			if i := strings.LastIndexByte(t, '.'); i > 0 && !seen[t[:i]] {
				seen[t[:i]] = true
				svcs = append(svcs, t[:i])
			}
		}
		targets = append(svcs, targets...)
	}
	return targets
}

package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/bench"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/client/socket"
	"github.com/amfcall/amfcall/convert"
)

const catBench = "BENCH"

var benchCommand = &cli.Command{
	Name:      "bench",
	Usage:     "load-test an AMF gateway or AMF Socket server: call a method from many connections, report calls/s and latencies",
	ArgsUsage: "URL TARGET [ARG...]",
	UsageText: "amfcall bench [command options] URL TARGET [ARG...]\n" +
		"amfcall bench [command options] socket://HOST:PORT COMMAND [PARAMS]",
	Description: `Calls TARGET at the gateway URL again and again from -c connections at
once, until -n requests have been sent or --for has passed (whichever comes
first; with neither, 200 requests), then prints a summary on stdout: calls
per second, latency percentiles (p50, p90, p99, max) and the faults, HTTP
errors and transport errors by kind. Ctrl-C stops the run and prints the
summary so far. On a terminal a progress line is shown on stderr.

ARGs are JSON values (or @FILE for a ByteArray), as for "amfcall call".
--batch FILE sends the calls of a JSON-lines file ({"target": ..., "args":
[...]} per line) as one packet per request. The packet is built and
encoded once and the same bytes are sent each time. When AMFCALL_URL is
set, URL may be left out.

Latencies are measured per request (HTTP exchange and decoding of the
reply) in an HdrHistogram: 3 significant digits, from 1 µs to one hour.
They are of the requests that got a reply (an HTTP error status or a
reply that does not decode included); a request that failed without one
(timed out, refused, reset, a reply too large) is counted among the
transport errors and has no latency: the summary then says of how many
requests the latencies are (latency_count in JSON). There is no warm-up:
each connection's first request includes connecting (and the TLS
handshake), but with Flex, whose handshake before the run connects.
The run ends at --for: requests still in flight then are cancelled and
not counted, and the summary is printed without waiting for them. A
connection whose request could not reach the server (refused, reset or
closed, host not found, a failed TLS handshake) waits before its next
one, in one queue for all the connections: they try again one at a
time, 1 ms apart, doubling to 10 ms while the failures go on, so that a
server that is down sees about 120 attempts a second whatever -c (after
each connection's first); once one gets through, the others follow, two
more for each that does. Each failure is still a request, counted among
the transport errors.

Memory stays bounded whatever -c is, as with wrk or hey: a reply is
checked (a valid packet with an answer for each call) and then dropped,
and the connections share the reply limit (--max-response-size, 64 MiB by
default): each reads a reply of up to that limit / -c freely, and larger
ones are read one at a time, so the replies held at once take at most
about twice the limit (128 MiB). A reply over the limit counts as a
"reply too large" transport error. Latencies of large replies include
the wait for their turn. A reply's HTTP header fields are read whole by
each connection: they get 1/16 of the limit shared among the
connections (256 KiB each up to -c 16, 20 KiB at -c 200, never under 8
KiB); more counts as "reply header fields too large". The HTTP flags (-H, --insecure, --proxy,
--timeout...), -u, --amf3, --amf-header, --must-understand, --debug-events
and the Flex flags (--flex, --destination, --source, --remote-user,
--endpoint) are those of "amfcall call". With Flex, each connection pings
the gateway (or logs in, with -u) once before the run; those exchanges
are neither timed nor counted, and a refused login ends the run (exit 1).
--session FILE is only read: each connection starts with its cookies, AMF
headers, gateway URL and DSId, and the file is never written. -v shows
one exchange of the run on stderr (the first connection's handshake and
first request, whose latency includes the printing), -vv with its HTTP
headers; --debug-events prints the debug events of that one reply.

An AMF Socket server ("amfcall serve --socket", amf_socket_ruby) is
load-tested with socket://HOST:PORT COMMAND [PARAMS], PARAMS one JSON
object as for "amfcall socket call" (which, with socket listen, takes
socket://HOST:PORT too; a bare HOST:PORT is no target for bench). Each
connection is one AMF Socket connection, made at its first request (whose
latency includes connecting) and made again when the server ends it
(counted: reconnects); the server's pings are answered. A result
{"error": {"code": ...}} is a fault, counted by its code; closed, reset and
refused connections, frames that do not decode and timeouts are transport
errors. --timeout bounds each response (a late one is ignored, and the
connection stays), --connect-timeout connecting, --idle-timeout a server
that sends nothing, not even a ping, and --max-response-size a frame. The
flags of HTTP, AMF packets and Flex (-H, --user-agent, --referer,
--insecure, --cacert, --proxy, --location-trusted, --amf3, --amf-header,
--must-understand, -u, the Flex flags, --debug-events, --session, --batch)
are usage errors there. The connections' frames share one memory budget
(six times --max-response-size, charged three times a frame's bytes and
what its values decode to): each connection reads frames up to its share
at once, larger ones take turns (their latency includes the wait, and one
that waits longer than --timeout ends its connection). A frame is refused
(reply too large) as socket call refuses it: over --max-response-size, or
with values that would take more than 8 times that once decoded.

Exit status: 0 when calls were answered with results (faults among them
are counted, not failures of the run); 1 when every answer was a fault (a
wrong password, say); 3 when no call was answered (the network or HTTP
failed, none finished within --for, or no reply was an AMF packet that
decodes, as call exits for one); 2 for usage errors; 130 (143 for
SIGTERM) for Ctrl-C before the run began (during the Flex handshakes):
Ctrl-C during the run prints the summary so far and exits as above.

Examples:

  amfcall bench -c 32 --for 20s http://127.0.0.1:8000/ echo.echo '"x"'
  amfcall bench -c 8 -n 1000 --amf3 $URL ByteArray.saveSnapshot @photo.jpg '"jpg"'
  amfcall bench -c 4 --for 1m --flex --format json $URL echo.echo '[1, 2]' | jq .latency_ms
  amfcall bench -c 16 --destination secure -u alice:wonderland -v $URL whoami
  amfcall call --session s.json $URL login '"bob"' '"secret"'
  amfcall bench -c 16 --session s.json $URL session.whoami
  amfcall bench -c 16 --for 10s socket://127.0.0.1:9001 add '{"a": 2, "b": 3}'`,
	Flags: append([]cli.Flag{
		&cli.IntFlag{Name: "concurrency", Aliases: []string{"c"}, Value: 8, Category: catBench,
			Usage: "`N` connections calling at once"},
		&cli.Int64Flag{Name: "count", Aliases: []string{"n"}, Category: catBench, DefaultText: "200 when --for is not given",
			Usage: "stop after `N` requests"},
		&cli.StringFlag{Name: "for", Category: catBench,
			Usage: "stop after `DURATION` (20s, 1m; a plain number is seconds)"},
		&cli.StringFlag{Name: "format", Category: catBench, Value: "text",
			Usage: "summary `FORMAT`: text, or json for scripts (indented on a terminal; --pretty and --compact ask for JSON laid out so)"},
		pickFlags(jsonFlags(), "pretty")[0], pickFlags(jsonFlags(), "compact")[0],
		&cli.StringFlag{Name: "batch", Category: catCall, TakesFile: true,
			Usage: `send the calls of JSON-lines ` + "`FILE`" + ` ({"target": ..., "args": [...]} per line) in each packet`},
	}, benchSharedFlags()...),
	Action: runBench,
}

// benchSharedFlags are the flags bench has as call has them: call's own
// definitions (callFlags), but --session, which bench only reads, and
// -v, which shows one exchange of the run.
func benchSharedFlags() []cli.Flag {
	flags := callFlags("amf3", "flex", "amf-header", "must-understand", "user",
		"destination", "source", "remote-user", "endpoint", "debug-events")
	flags = append(flags, withUsage(findFlag(callCommand.Flags, "session"),
		"use the cookies, persistent AMF headers, gateway-URL change and Flex DSId kept in `FILE` by amfcall call --session (read only: a run never writes it)"))
	flags = append(flags, pickFlags(httpFlags, "header", "user-agent", "referer", "timeout", "connect-timeout",
		"idle-timeout", "insecure", "cacert", "proxy", "location-trusted", "max-response-size")...)
	return append(flags, verboseFlag("print the first request and its reply (and a Flex handshake) as typed JSON on stderr, once per run; -vv adds the HTTP headers and timings"))
}

// benchStarted, when set (by tests), gets the function that stops a run
// as Ctrl-C does.
var benchStarted func(stop context.CancelFunc)

func runBench(c *cli.Context) error {
	setColor(c)
	e := envOf(c)
	format := c.String("format")
	if format != "text" && format != "json" {
		return usageErrorf("invalid --format %q: want text or json", format)
	}
	// JSON is indented on a terminal and compact in a pipe, as cli.md
	// has it for every command; --pretty and --compact force either.
	pretty, compact := c.Bool("pretty"), c.Bool("compact")
	switch {
	case pretty && compact:
		return usageErrorf("--pretty can't be used with --compact")
	case (pretty || compact) && c.IsSet("format") && format == "text":
		return usageErrorf("--pretty and --compact lay out JSON, not --format text")
	case pretty || compact:
		format = "json"
	}
	indent := pretty || (!compact && e.isTerminal(e.stdout))
	cfg := bench.Config{Concurrency: c.Int("concurrency"), Count: c.Int64("count")}
	if cfg.Concurrency < 1 || cfg.Concurrency > 10000 {
		return usageErrorf("invalid -c/--concurrency %d: want 1 to 10000", cfg.Concurrency)
	}
	if c.IsSet("count") && cfg.Count < 1 {
		return usageErrorf("invalid -n/--count %d: want at least 1", cfg.Count)
	}
	if v := c.String("for"); v != "" {
		d, err := parseDuration(v)
		if err != nil || d <= 0 {
			return usageErrorf("invalid --for %q: want a duration such as 20s or 1m%s", redactURL(v), tookArgument(v))
		}
		cfg.Duration = d
	}
	if cfg.Count == 0 && cfg.Duration == 0 {
		cfg.Count = 200
	}
	if addr, rest, ok := socketTarget(c); ok {
		return runBenchSocket(c, addr, rest, cfg, format, indent)
	}
	// The HTTP flags are call's, read the same way; the reply limit
	// (--max-response-size) is shared by the connections (bench.Run).
	var err error
	if cfg.Client, err = httpConfig(c); err != nil {
		return err
	}
	cfg.Client.AMF3 = c.Bool("amf3")
	cfg.Client.Flex = c.Bool("flex")
	// Each distinct warning once; with -v, one exchange whole.
	level := verbosity(c)
	var flushDebug func()
	cfg.Client.Events, flushDebug = debugEvents(c, newTrace(c, level))
	cfg.ShowFirst = level > 0 || c.Bool("debug-events")
	user, err := readUser(c)
	if err != nil {
		return err
	}
	headers, err := readAMFHeaders(c)
	if err != nil {
		return err
	}

	// [URL] TARGET [ARG...]: URL may come from AMFCALL_URL, as for call.
	args := c.Args().Slice()
	var callArgs []string // TARGET [ARG...] as given, for the all-faults hint
	usage := fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage)
	cfg.URL = envOf(c).getenv("AMFCALL_URL")
	if len(args) > 0 && isGatewayArg(args[0], cfg.URL != "") {
		cfg.URL, args = args[0], args[1:]
	}
	if cfg.URL == "" {
		what := "URL and TARGET"
		if len(args) > 0 || c.String("batch") != "" {
			what = "URL"
		}
		if err := flagTookArgument(c, "URL"); err != nil {
			return err
		}
		return usageErrorf("%s: missing %s", c.Command.HelpName, what).hint(usage).
			hint("the URL starts with http:// or https://; AMFCALL_URL gives a default")
	}
	// How the arguments are written: a date's "$tz" is dropped in AMF3.
	ver := amf.AMF0
	if cfg.Client.AMF3 || cfg.Client.Flex || c.IsSet("destination") { // Flex: --flex or --destination
		ver = amf.AMF3
	}
	// Where the calls' JSON is, to place a value AMF cannot write.
	place := &callSettings{cfg: cfg.Client}
	if batch := c.String("batch"); batch != "" {
		if len(args) > 0 {
			return usageErrorf("--batch can't be used with TARGET and ARG arguments (got %s)", quoteList(args, 3)).
				hint("the batch file names the targets")
		}
		if cfg.Calls, place.argText, place.argSrc, err = readBatchText(c, batch, ver); err != nil {
			return err
		}
		place.batch = batch
	} else {
		if len(args) == 0 || args[0] == "" {
			return usageErrorf("%s: missing TARGET", c.Command.HelpName).hint(usage)
		}
		callArgs = args
		place.args = args[1:]
		call := client.Call{Target: args[0]}
		for i, a := range args[1:] {
			v, err := benchArg(c, i+1, a, ver)
			if err != nil {
				return err
			}
			call.Args = append(call.Args, v)
		}
		cfg.Calls = []client.Call{call}
	}
	// --destination, --source, --remote-user, --endpoint, and -u as a
	// Flex login, read as call reads them.
	fx := &callSettings{batch: c.String("batch"), cfg: cfg.Client, user: user}
	if fx.batch == "" {
		fx.target = cfg.Calls[0].Target
	}
	if err := readFlexFlags(c, fx); err != nil {
		return err
	}
	cfg.Client, user = fx.cfg, fx.user
	if fx.batch == "" {
		cfg.Calls[0].Target = fx.target
	}
	session, err := readBenchSession(c)
	if err != nil {
		return err
	}
	cfg.Setup = func(cl *client.Client) error {
		if session != nil {
			if err := cl.LoadSession(session); err != nil {
				return fmt.Errorf("--session %s: %w", c.String("session"), err)
			}
		}
		if user != nil {
			cl.SetCredentials(user[0], user[1])
		}
		for _, h := range headers {
			cl.SetHeader(h.Name, h.MustUnderstand, h.Value)
		}
		askDebugEvents(c, cl)
		return nil
	}
	if cfg.Client.Flex && cfg.Client.FlexSource == "" {
		// As for call: a RemotingMessage to no destination gets only
		// "unknown method" faults, counted as if the run had worked.
		for _, call := range cfg.Calls {
			if !strings.Contains(call.Target, ".") {
				return usageErrorf("--flex %s: want DESTINATION.OPERATION", call.Target).
					hint(fmt.Sprintf("name the destination: DEST.%s", call.Target))
			}
		}
	}

	cfg.Progress = benchProgress(e, format)
	ctx, stop, interrupt := signalContext()
	defer stop()
	if benchStarted != nil {
		benchStarted(func() { interrupt(os.Interrupt) })
	}
	maxResponse := cfg.Client.MaxResponseSize
	if maxResponse == 0 {
		maxResponse = client.DefaultMaxResponseSize
	}
	defer limitBenchHeap(e.getenv, maxResponse, cfg.Concurrency)()
	s, err := bench.Run(ctx, cfg)
	stop()
	if cfg.Progress != nil {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	var setup *bench.SetupError
	switch {
	case err != nil && errors.As(context.Cause(ctx), new(*signalled)):
		// Ctrl-C before the run began (a Flex handshake under way): no
		// summary to print, so 130 (143 for SIGTERM) as call's Ctrl-C,
		// not a failed connection (exit 3, "cancelled").
		code, serr, _ := signalledExit(ctx, "before the run began", err)
		return withCode(code, serr)
	case errors.As(err, &setup) && setup.What == "setup":
		return setup.Err // --session's
	case errors.As(err, &setup):
		// The Flex ping or login before the run: its own exit code
		// (3 for the network, 1 for a refused login).
		return loginHint(fmt.Errorf("%s before the run: %w", setup.What, setup.Err), cfg.Client.FlexUser != "", "", "")
	case errors.As(err, new(*amf.EncodeError)):
		// A value of the arguments AMF cannot write: malformed input
		// (4), placed in the ARG or --batch file, as call says it.
		place.cfg = cfg.Client // Flex as --destination made it
		return place.placeEncodeError(err)
	case err != nil:
		err = gatewayURLError(c, err, cfg.URL)
		var ee *exitError
		if host, port, serr := net.SplitHostPort(cfg.URL); serr == nil && host != "" && validPort(port) && c.Args().First() == cfg.URL && errors.As(err, &ee) {
			// HOST:PORT is how an AMF Socket server is named: bench
			// takes one as socket://HOST:PORT, and http:// alone would
			// not reach one. The line is the run's, to paste.
			ee.hint("for an AMF Socket server at HOST:PORT, write: " + benchSocketLine(c, "socket://"+cfg.URL, c.Args().Tail()))
		}
		return err
	}
	if s.Interrupted {
		infof(c, "interrupted: the summary so far")
	}
	if format == "json" {
		err = writeBenchJSON(e.stdout, s, indent)
	} else {
		err = writeBenchText(e.stdout, s)
	}
	flushDebug()
	if err != nil {
		return err
	}
	if s.Requests == 0 && !s.Interrupted && cfg.Duration > 0 {
		// --for ended before any request did (a gateway slower than
		// the run, or one that never answers): the summary is all
		// zeros, and exit 0 read as a run that worked.
		h := benchCallHint(c, cfg.URL, callArgs, "raise --for if the gateway is only slow; see one exchange with ", true)
		return withCode(exitNetwork, fmt.Errorf("no request finished within --for %s: the gateway answered none in that time", durationText(c.String("for")))).hint(h)
	}
	if s.Calls == 0 && s.Requests > 0 {
		// No reply answered: 3, also when every reply was an AMF
		// packet that does not decode, as call gives for one (cli.md:
		// "a reply that is not AMF").
		err := withCode(exitNetwork, fmt.Errorf("no call was answered (%s)", groupPlural(s.Requests, "request")))
		if h := benchHint(c, s); h != "" {
			err = err.hint(h)
		}
		// The call bench made, to run by hand (with -vv, each step of
		// the exchange): "amfcall call -vv" alone was no command.
		return err.hint(benchCallHint(c, cfg.URL, callArgs, "check the URL; see one exchange with ", true))
	}
	if s.OK == 0 && s.Faults > 0 {
		// Every answer a fault: a script must not read that as success
		// (cli.md's 1, the remote method answered with a fault).
		what := groupPlural(s.Faults, "fault")
		if codes := bench.SortedCounts(s.FaultCodes); len(codes) > 0 {
			// Escaped as call escapes a fault's code (\x07, not \a).
			what += "; the commonest " + safetext.Escape(codes[0].What, 200)
		}
		h := benchCallHint(c, cfg.URL, callArgs, "see one with: ", false)
		return withCode(exitFault, fmt.Errorf("every call answered with a fault (%s)", what)).hint(h)
	}
	return nil
}

// maxCallLineHint bounds the call line a hint writes out: an ARG of 100
// KB made a hint of 100 KB, the whole argument again on stderr.
const maxCallLineHint = 1000

// benchCallHint is lead followed by the amfcall call line of the run
// (benchCallLine), with -vv when verbose, and the note of a masked URL
// password; a line over maxCallLineHint bytes is described instead.
func benchCallHint(c *cli.Context, url string, args []string, lead string, verbose bool) string {
	line, redacted := benchCallLine(c, url, args)
	call := "amfcall call"
	if verbose {
		call = "amfcall call -vv"
		line = strings.Replace(line, "amfcall call", call, 1)
	}
	if len(line) > maxCallLineHint {
		return lead + call + ", given the same flags, URL and call (its arguments are too long to write out here)"
	}
	h := lead + line
	if redacted {
		h += " (with the URL's password in place of xxxxx)"
	}
	return h
}

// benchCallLine is the amfcall call command line that makes the call a
// run of bench made, for a POSIX shell: the flags bench shares with
// call as given (but -v; --batch FILE), then the URL and TARGET [ARG...]
// (args). No credential is written: -u gives the user alone (call asks
// for the password, or reads AMFCALL_PASSWORD), the values of -H fields
// and AMF headers that look secret are ***, and a password in the URL or
// --proxy is xxxxx (redacted says so for the URL).
func benchCallLine(c *cli.Context, url string, args []string) (line string, redacted bool) {
	words := []string{"amfcall", "call"}
	flags := append(benchSharedFlags(), findFlag(c.Command.Flags, "batch"))
	for _, f := range flags {
		name := f.Names()[0]
		if name == "verbose" || !c.IsSet(name) {
			continue
		}
		switch f.(type) {
		case *cli.BoolFlag:
			if c.Bool(name) {
				words = append(words, "--"+name)
			} else {
				words = append(words, "--"+name+"=false")
			}
			continue
		case *repeatFlag:
			for _, v := range repeated(c, name) {
				words = append(words, "--"+name, shellWord(maskRepeated(name, v)))
			}
			continue
		}
		v := c.String(name)
		switch name {
		case "user":
			v, _, _ = strings.Cut(v, ":")
		case "proxy":
			v = redactURL(v)
		}
		words = append(words, "--"+name, shellWord(v))
	}
	shown := redactURL(url)
	redacted = shown != url
	rest := append([]string{url}, args...)
	for _, a := range rest {
		if strings.HasPrefix(a, "-") {
			words = append(words, "--") // an argument such as -1 is no flag
			break
		}
	}
	words = append(words, shellWord(shown))
	for _, a := range args {
		words = append(words, shellWord(a))
	}
	return strings.Join(words, " "), redacted
}

// benchSocketLine is the bench command line of the run against the AMF
// Socket server target, for a POSIX shell: bench's flags as given (but
// those a socket target refuses, benchHTTPOnly), target, and args
// (COMMAND [PARAMS]; written so when there are none).
func benchSocketLine(c *cli.Context, target string, args []string) string {
	return commandLine(c, []string{"amfcall", "bench"}, benchHTTPOnly, target, args, "COMMAND [PARAMS]")
}

// commandLine is lead (the command's words), the flags of c as given
// (but skip), target and args, for a POSIX shell: a hint that runs as
// pasted. none is written in place of args when there are none; a line
// over maxCallLineHint bytes is described instead.
func commandLine(c *cli.Context, lead, skip []string, target string, args []string, none string) string {
	words := append([]string(nil), lead...)
	for _, f := range c.Command.Flags {
		name := f.Names()[0]
		if !c.IsSet(name) || slices.Contains(skip, name) {
			continue
		}
		switch f.(type) {
		case *cli.BoolFlag:
			switch {
			case name == "verbose":
				words = append(words, "-"+strings.Repeat("v", max(c.Count(name), 1)))
			case c.Bool(name):
				words = append(words, "--"+name)
			default:
				words = append(words, "--"+name+"=false")
			}
		case *repeatFlag:
			for _, v := range repeated(c, name) {
				words = append(words, "--"+name, shellWord(v))
			}
		default:
			words = append(words, "--"+name, shellWord(c.String(name)))
		}
	}
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		words = append(words, "--")
	}
	words = append(words, shellWord(target))
	if len(args) == 0 && none != "" {
		return strings.Join(words, " ") + " " + none
	}
	for _, a := range args {
		words = append(words, shellWord(a))
	}
	line := strings.Join(words, " ")
	if len(line) > maxCallLineHint {
		return strings.Join(lead, " ") + " " + shellWord(target) + ", given the same flags and arguments (they are too long to write out here)"
	}
	return line
}

// maskRepeated is the value of a -H or --amf-header flag as the
// all-faults hint shows it: a secret's value is *** (an AMF header's is
// the JSON string "***", so that the line still runs).
func maskRepeated(name, v string) string {
	switch name {
	case "header":
		k, val, ok := strings.Cut(v, ":")
		if !ok {
			return v
		}
		if m := client.MaskHeader(strings.TrimSpace(k), strings.TrimSpace(val)); m != strings.TrimSpace(val) {
			return k + ": " + m
		}
	case "amf-header":
		k, _, ok := strings.Cut(v, "=")
		if ok && (k == "Credentials" || client.MaskHeader(k, "") == "***") {
			return k + `="***"`
		}
	}
	return v
}

// benchHint names the flag that helps with the commonest transport
// error of a run in which no call was answered ("" when none does):
// the summary keeps only the kinds, not the errors call's hints read.
func benchHint(c *cli.Context, s *bench.Summary) string {
	counts := bench.SortedCounts(s.TransportErrors)
	if len(counts) == 0 {
		return ""
	}
	switch counts[0].What {
	case bench.KindHeaderTooLarge:
		// The bound that -c shares out, not --max-response-size's
		// own: say what it was and what moves it.
		mr, _ := parseSize(c.String("max-response-size"))
		return fmt.Sprintf("each of the %d connections reads %d KiB of a reply's HTTP header fields (1/16 of --max-response-size shared among them, from %d KiB to %d KiB each): the gateway sends more than an AMF gateway does; if they are real, lower -c or raise --max-response-size",
			s.Concurrency, bench.HeaderBytes(mr, s.Concurrency)>>10, bench.MinHeaderBytes>>10, client.MaxHeaderBytes>>10)
	case client.ErrTooLarge.Error():
		// Over the bytes, or over client.MaxValueFactor times them once
		// decoded (refused before decoding): the same flag raises both.
		return fmt.Sprintf("the replies are over --max-response-size (%s), or would take more than %d times that once decoded; raise it", c.String("max-response-size"), client.MaxValueFactor)
	case client.ErrTimeout.Error():
		return "no reply came within --timeout (" + durationText(c.String("timeout")) + ") or --idle-timeout (" + durationText(c.String("idle-timeout")) + "); raise them if the gateway is only slow (0 is no limit)"
	case client.ErrTLS.Error():
		return "if the certificate is not trusted, pass its CA with --cacert FILE, or skip the check with --insecure"
	}
	return ""
}

// durationText is a duration flag's value as given, with its unit when
// it was a plain number of seconds ("1" is "1s").
func durationText(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil {
		return v + "s"
	}
	return v
}

// benchArg reads one ARG: JSON, or @FILE for a ByteArray (refused, as
// call refuses it, from its size when over 256 MiB - 1). ver: how the
// arguments are written (AMF3 with --amf3 or --flex: a date's "$tz" is
// dropped, with a warning).
func benchArg(c *cli.Context, n int, a string, ver amf.Version) (any, error) {
	if name, ok := strings.CutPrefix(a, "@"); ok {
		return byteArrayArg(c, fmt.Sprintf("argument %d", n), name)
	}
	v, err := convert.FromJSONWarnIn([]byte(a), ver, func(m string) { warnf(c, "argument %d: %s", n, m) })
	if err != nil {
		return nil, argJSONHint(fmt.Errorf("argument %d: %w", n, err), a)
	}
	return v, nil
}

func writeBenchText(w io.Writer, s *bench.Summary) error {
	var b strings.Builder
	conns := "connections"
	if s.Concurrency == 1 {
		conns = "connection"
	}
	what := s.Target
	if s.CallsPer > 1 {
		what = fmt.Sprintf("%d calls per packet", s.CallsPer)
	}
	fmt.Fprintf(&b, "%s %s, %d %s, %s\n", s.URL, what, s.Concurrency, conns, fmtSeconds(s.Elapsed))
	fmt.Fprintf(&b, "  requests   %s (%s/s)\n", group(s.Requests), fmtRate(s.RequestsPerSecond()))
	fmt.Fprintf(&b, "  calls      %s answered (%s/s): %s results, %s faults", group(s.Calls), fmtRate(s.CallsPerSecond()), group(s.OK), group(s.Faults))
	if s.NoReply > 0 {
		fmt.Fprintf(&b, ", %s without an answer", group(s.NoReply))
	}
	b.WriteString("\n")
	if n := s.Latency.TotalCount(); n > 0 {
		fmt.Fprintf(&b, "  latency    p50 %s  p90 %s  p99 %s  max %s  (mean %s)\n",
			fmtLatency(s.Percentile(50)), fmtLatency(s.Percentile(90)), fmtLatency(s.Percentile(99)), fmtLatency(s.Percentile(100)), fmtLatency(s.Mean()))
		if n < s.Requests {
			// Timeouts and resets have no latency: percentiles of the
			// rest alone looked as good as a run with no failure.
			fmt.Fprintf(&b, "             of the %s requests with a reply; the %s that failed without one (transport errors) are not in it\n", group(n), group(s.Requests-n))
		}
	}
	if s.Reconnects > 0 {
		// AMF Socket: connections the server ended, dialled again.
		fmt.Fprintf(&b, "  reconnects %s (connections dialled again after one ended)\n", group(s.Reconnects))
	}
	for _, sec := range []struct {
		name string
		m    map[string]int64
	}{{"faults", s.FaultCodes}, {"HTTP errors", s.HTTPErrors}, {"transport errors", s.TransportErrors}} {
		if len(sec.m) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", sec.name)
		for _, c := range bench.SortedCounts(sec.m) {
			// What the gateway or the network said, escaped as the other
			// commands escape it (\x1b): two codes never look the same.
			fmt.Fprintf(&b, "    %8s  %s\n", group(c.N), safetext.Escape(c.What, 0))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeBenchJSON(w io.Writer, s *bench.Summary, indent bool) error {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	out := struct {
		*bench.Summary
		ElapsedS     float64            `json:"elapsed_s"`
		RequestsPerS float64            `json:"requests_per_s"`
		CallsPerS    float64            `json:"calls_per_s"`
		LatencyMs    map[string]float64 `json:"latency_ms"`
		// LatencyCount is the requests latency_ms is of: those with a
		// reply (transport errors have none).
		LatencyCount int64 `json:"latency_count"`
		// Reconnects, for an AMF Socket server only: the connections
		// dialled again after one had ended.
		Reconnects *int64 `json:"reconnects,omitempty"`
	}{
		Summary:      s,
		ElapsedS:     s.Elapsed.Seconds(),
		RequestsPerS: s.RequestsPerSecond(),
		CallsPerS:    s.CallsPerSecond(),
		LatencyMs: map[string]float64{
			"p50": ms(s.Percentile(50)), "p90": ms(s.Percentile(90)), "p99": ms(s.Percentile(99)),
			"max": ms(s.Percentile(100)), "mean": ms(s.Mean()),
		},
	}
	if s.Latency != nil {
		out.LatencyCount = s.Latency.TotalCount()
	}
	if hasSocketScheme(s.URL) {
		out.Reconnects = &s.Reconnects
	}
	marshal := json.Marshal
	if indent {
		marshal = func(v any) ([]byte, error) { return json.MarshalIndent(v, "", "  ") }
	}
	b, err := marshal(out)
	if err != nil {
		return err
	}
	_, err = w.Write(append(convert.AppendTerminalSafe(nil, b), '\n'))
	return err
}

// group writes n with thousands separators: 12,345.
// groupPlural is plural with n's digits grouped as the summary prints
// them ("27,151 requests", not "27151 requests" under "requests 27,151").
func groupPlural(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return group(n) + " " + what + "s"
}

func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func fmtRate(r float64) string {
	if r >= 100 {
		return group(int64(r + 0.5))
	}
	return strconv.FormatFloat(r, 'f', 1, 64)
}

func fmtSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
}

func fmtLatency(d time.Duration) string {
	switch {
	case d < time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 3, 64) + "ms"
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 2, 64) + "s"
}

// readBenchSession reads --session FILE: bench uses what it holds in
// every connection and never writes it (many connections, one file).
// nil without --session.
func readBenchSession(c *cli.Context) ([]byte, error) {
	name := c.String("session")
	if name == "" {
		return nil, nil
	}
	if name == "-" {
		// As call refuses it (checkOutputPath): bench would read a file
		// named "-".
		return nil, usageErrorf("--session needs a file name, not -").
			hint("bench reads the session file that amfcall call --session FILE wrote")
	}
	data, err := readSessionFile(c, name)
	if err == nil && data == nil {
		return nil, usageErrorf("--session %s: no such file", name).
			hint("bench only reads a session: make it first, e.g. amfcall call --session " + name + " URL login ...")
	}
	return data, err
}

// socketScheme names an AMF Socket server where a URL is expected:
// socket://HOST:PORT.
const socketScheme = "socket://"

// socketTarget reports whether the run is against an AMF Socket server:
// a first argument socket://HOST:PORT, or AMFCALL_URL written so when
// the first argument is no gateway. It returns the address as given
// (scheme included) and the other arguments.
func socketTarget(c *cli.Context) (addr string, rest []string, ok bool) {
	args := c.Args().Slice()
	if len(args) > 0 && hasSocketScheme(args[0]) {
		return args[0], args[1:], true
	}
	if env := envOf(c).getenv("AMFCALL_URL"); hasSocketScheme(env) && (len(args) == 0 || !isGatewayArg(args[0], true)) {
		return env, args, true
	}
	return "", nil, false
}

func hasSocketScheme(s string) bool {
	return len(s) >= len(socketScheme) && strings.EqualFold(s[:len(socketScheme)], socketScheme)
}

// socketAddr is HOST:PORT out of socket://HOST:PORT (a trailing / is
// allowed), or s itself when it has no such scheme.
func socketAddr(s string) string {
	if !hasSocketScheme(s) {
		return s
	}
	return strings.TrimSuffix(s[len(socketScheme):], "/")
}

// benchHTTPOnly are bench's flags that mean nothing for an AMF Socket
// server: HTTP, TLS, AMF packets (headers, AMF0 or AMF3: frames are
// always AMF3), Flex and sessions (cookies), and --batch (one command a
// request).
var benchHTTPOnly = []string{"header", "user-agent", "referer", "insecure", "cacert", "proxy", "location-trusted",
	"amf3", "amf-header", "must-understand", "user", "flex", "destination", "source", "remote-user", "endpoint",
	"debug-events", "session", "batch"}

// runBenchSocket is bench socket://HOST:PORT COMMAND [PARAMS]: the load
// test of an AMF Socket server (bench.RunSocket), with -c, -n, --for and
// the output already read into cfg.
func runBenchSocket(c *cli.Context, target string, args []string, cfg bench.Config, format string, indent bool) error {
	e := envOf(c)
	for _, name := range benchHTTPOnly {
		if c.IsSet(name) {
			f := findFlag(c.Command.Flags, name)
			spelled := "--" + name
			for _, a := range f.Names() {
				if len(a) == 1 {
					spelled = "-" + a + "/" + spelled
				}
			}
			return usageErrorf("%s can't be used with an AMF Socket server (%s)", spelled, target).
				hint("AMF Socket is AMF3 frames over one plain TCP connection: no HTTP headers, TLS, proxy, cookies, AMF packet headers or Flex; those flags are for gateways over http:// or https://")
		}
	}
	addr := socketAddr(target)
	if host, port, err := net.SplitHostPort(addr); err != nil || host == "" || !validPort(port) || port == "0" {
		return usageErrorf("invalid address %q: want socket://HOST:PORT", target).hint("for example socket://127.0.0.1:9001")
	}
	usage := fmt.Sprintf("usage: %s socket://HOST:PORT COMMAND [PARAMS]", c.Command.HelpName)
	switch {
	case len(args) == 0 || args[0] == "":
		return usageErrorf("%s: missing COMMAND", c.Command.HelpName).hint(usage)
	case len(args) > 2:
		return usageErrorf("%s: too many arguments for an AMF Socket request (got %s)", c.Command.HelpName, quoteList(args, 4)).
			hint(usage).hint(`PARAMS is one JSON object, e.g. '{"a": 2, "b": 3}'`)
	}
	sc := bench.SocketConfig{Addr: addr, Command: args[0], Concurrency: cfg.Concurrency, Count: cfg.Count, Duration: cfg.Duration}
	if len(args) == 2 {
		v, err := socketJSON(c, "PARAMS", args[1], true)
		if err != nil {
			return err
		}
		sc.Params = v
	}
	// --timeout bounds each response (0: none), --connect-timeout the
	// dial (else --timeout, at most 10 s, as socket call's),
	// --idle-timeout a silent server, --max-response-size a frame.
	var err error
	if sc.Timeout, err = parseDuration(c.String("timeout")); err != nil || sc.Timeout < 0 {
		return usageErrorf("invalid --timeout %q", c.String("timeout")).hint("give a duration such as 30s, 2m or 500ms, or 0 for no limit")
	}
	sc.Options.DialTimeout = 10 * time.Second
	if sc.Timeout > 0 {
		sc.Options.DialTimeout = min(sc.Timeout, 10*time.Second)
	}
	if v := c.String("connect-timeout"); v != "" {
		d, err := parseDuration(v)
		if err != nil || d <= 0 {
			return usageErrorf("invalid --connect-timeout %q", v).hint("give a duration such as 5s")
		}
		sc.Options.DialTimeout = d
	}
	idle, err := parseDuration(c.String("idle-timeout"))
	if err != nil || idle < 0 {
		return usageErrorf("invalid --idle-timeout %q", c.String("idle-timeout")).hint("give a duration such as 60s, or 0 for none")
	}
	sc.Options.IdleTimeout = idle
	if idle == 0 {
		sc.Options.IdleTimeout = -1
	}
	maxFrame, err := parseSize(c.String("max-response-size"))
	if err != nil || maxFrame < 1 || maxFrame > 1<<32 {
		return usageErrorf("invalid --max-response-size %q", c.String("max-response-size")).
			hint("give a size from 1 byte to 4G (the largest a frame's 4-byte length can say), such as 64M")
	}
	sc.Options.MaxFrame = int(min(maxFrame, 1<<32-1, math.MaxInt))
	// Warnings once each; with -v, the frames of one exchange (the
	// first connection's first request), -vv with timings.
	level := verbosity(c)
	sc.Events = &socketTrace{c: c, level: level}
	sc.ShowFirst = level > 0

	sc.Progress = benchProgress(e, format)
	ctx, stop, interrupt := signalContext()
	defer stop()
	if benchStarted != nil {
		benchStarted(func() { interrupt(os.Interrupt) })
	}
	// The heap's soft limit as for HTTP (twice the frame limit, and
	// some): the frame with the turn and its values, and what the
	// others have read. Against 64 MiB frames of junk at -c 8 the peak
	// was 335 MB with 4 times the limit, 236 MB so.
	defer limitBenchHeap(e.getenv, int64(sc.Options.MaxFrame), sc.Concurrency)()
	s, err := bench.RunSocket(ctx, sc)
	stop()
	if sc.Progress != nil {
		fmt.Fprint(e.stderr, "\r\x1b[K")
	}
	if err != nil {
		return err
	}
	if s.Interrupted {
		infof(c, "interrupted: the summary so far")
	}
	if format == "json" {
		err = writeBenchJSON(e.stdout, s, indent)
	} else {
		err = writeBenchText(e.stdout, s)
	}
	if err != nil {
		return err
	}
	callLine := func(lead string, verbose bool) string {
		words := []string{"amfcall", "socket", "call"}
		if verbose {
			words = append(words, "-v")
		}
		for _, name := range []string{"timeout", "idle-timeout"} {
			if c.IsSet(name) {
				words = append(words, "--"+name, shellWord(c.String(name)))
			}
		}
		if c.IsSet("max-response-size") {
			words = append(words, "--max-frame", shellWord(c.String("max-response-size")))
		}
		words = append(words, shellWord(addr))
		for _, a := range args {
			words = append(words, shellWord(a))
		}
		line := strings.Join(words, " ")
		if len(line) > maxCallLineHint {
			return lead + "amfcall socket call, given the same address, command and params (they are too long to write out here)"
		}
		return lead + line
	}
	if s.Requests == 0 && !s.Interrupted && sc.Duration > 0 {
		return withCode(exitNetwork, fmt.Errorf("no request finished within --for %s: the server answered none in that time", durationText(c.String("for")))).
			hint(callLine("raise --for if the server is only slow; see one exchange with ", true))
	}
	if s.Calls == 0 && s.Requests > 0 {
		err := withCode(exitNetwork, fmt.Errorf("no call was answered (%s)", groupPlural(s.Requests, "request")))
		if h := benchSocketHint(c, s, addr); h != "" {
			err = err.hint(h)
		}
		return err.hint(callLine("see one exchange with ", true))
	}
	if s.OK == 0 && s.Faults > 0 {
		what := groupPlural(s.Faults, "fault")
		if codes := bench.SortedCounts(s.FaultCodes); len(codes) > 0 {
			what += "; the commonest " + safetext.Escape(codes[0].What, 200)
		}
		return withCode(exitFault, fmt.Errorf("every call answered with an error result (%s)", what)).hint(callLine("see one with: ", false))
	}
	return nil
}

// benchSocketHint names what helps with the commonest failure of a run
// against an AMF Socket server in which no call was answered ("" when
// nothing does).
func benchSocketHint(c *cli.Context, s *bench.Summary, addr string) string {
	counts := bench.SortedCounts(s.TransportErrors)
	if len(counts) == 0 {
		return ""
	}
	switch counts[0].What {
	case client.ErrRefused.Error():
		return "is the server running? try one with: amfcall serve --socket " + addr
	case client.ErrTimeout.Error():
		return "no response came within --timeout (" + durationText(c.String("timeout")) + "); raise it if the server is only slow (0 is no limit)"
	case bench.KindIdle:
		return "the server sent nothing (not even a ping) within --idle-timeout (" + durationText(c.String("idle-timeout")) + "); check that it is an AMF Socket server"
	case client.ErrTooLarge.Error():
		return fmt.Sprintf("the replies are frames over --max-response-size (%s), or whose values would take more than %d times that once decoded; raise it if they are real", c.String("max-response-size"), socket.MaxValueFactor)
	case bench.ErrBudgetWait.Error():
		return "large replies waited for their turn in the memory budget longer than --timeout; raise --timeout or lower -c"
	case bench.KindPeerClosed:
		return "the server closed each connection: it may drop a request it cannot read, or be at its connection limit (amfcall serve: --socket-max-conns); see one exchange with -v"
	}
	return ""
}

// benchProgress is the progress line bench keeps on a terminal's stderr
// for the text summary, whatever the target; nil otherwise.
func benchProgress(e *runEnv, format string) func(bench.Progress) {
	if !e.isTerminal(e.stderr) || format != "text" {
		return nil
	}
	return func(p bench.Progress) {
		fmt.Fprintf(e.stderr, "\r%6.1fs  %s calls  %s/s  %s faults  %s errors\x1b[K",
			p.Elapsed.Seconds(), group(p.Calls), group(int64(float64(p.Calls)/max(p.Elapsed.Seconds(), 1e-9))), group(p.Faults), group(p.Errors))
	}
}

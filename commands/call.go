package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/atomicfile"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textpos"
)

// Flag categories of the call command (besides those in app.go).
const (
	catCall = "CALL"
	catHTTP = "HTTP"
)

var callCommand = &cli.Command{
	Name:      "call",
	Usage:     "call a remote method on an AMF gateway and print its result as JSON",
	ArgsUsage: "URL TARGET [ARG...]",
	Description: `Calls TARGET ("Service.method", or "method") at the AMF gateway URL and
prints the result as JSON on stdout. Each ARG is one JSON value (typed JSON,
as "amfcall convert --typed" writes it, is accepted too); "@FILE" sends the
bytes of FILE as a ByteArray ("@-" reads stdin). -d gives the whole argument
list as one JSON array instead: -d '[...]', -d @FILE or -d - (stdin).

When the environment variable AMFCALL_URL is set, URL may be left out: the
first argument is then TARGET unless it is a URL with its scheme
(http://...) or starts with HOST:PORT, so a target or a Flex destination
may hold / or :.

A fault (an /onStatus reply, or a Flex ErrorMessage) is printed as JSON on
stdout and as one line "code: description" on stderr, with exit status 1.
Network and HTTP failures exit with 3, JSON or AMF that cannot be decoded
with 4, usage errors with 2.

The result is written as it is rendered, so a large one costs no memory
for its JSON. A small reply can name one string or object many times
(each use is written out): past --max-output (by default 1000 times the
reply's bytes, at most 1G) the output stops, exit status 4, with what was
written up to there on stdout. -q and -r hold the whole JSON to select
from: at most 16 times the reply's bytes plus 64M, unless --max-output
is given.

--from-har FILE#N re-sends the N-th AMF request of a HAR file byte for byte
(to its own URL unless URL is given); the captured HTTP headers (cookies,
Authorization) are not sent, and a note names them: give those the gateway
needs with -H or --session. --packet FILE sends a whole packet
written as typed JSON (as "amfcall convert --typed" prints one), or a
packet's AMF bytes (raw, hex or base64) as they are. Both print
the reply packet as JSON, and exit with 1 if a reply body is a fault.
--packet FILE --unchecked sends FILE's bytes as the request body as they
are, read as nothing (no JSON, hex or HTTP head), even when they are no
valid packet: to test how a gateway reads a malformed request; the reply
is decoded, traced and bounded as usual.

--batch FILE reads JSON lines {"target": "svc.m", "args": [...]} and sends
them as one packet; each reply is printed as one JSON line
{"target": ..., "result": ...} (or "fault", or "error" when the gateway did
not answer that call), in the order of the calls. -q then applies to these
lines.

The gateway's AMF headers are honoured as Flash Player does
(AppendToGatewayUrl, ReplaceGatewayUrl, RequestPersistentHeader); with
--session FILE they are kept, with the cookies, for the next run (without
it, a note says which persistent header the run drops).

Examples:

  amfcall call http://localhost:8000/gateway echo.echo '"hello"' '{"a": [1, 2.5]}'
  amfcall call http://localhost:8000/gateway getSnapshots -q 2.0.name -r
  amfcall call -u alice:wonderland $URL secure.whoami
  amfcall call --amf3 $URL ByteArray.saveSnapshot @photo.jpg '"jpg"'
  amfcall call --flex $URL echo.echo '[1, "two"]'      # Flex RemoteObject
  amfcall call --destination echo -u alice:wonderland $URL echo '"hi"'
  amfcall call --session s.json -vv $URL login '"bob"' '"secret"'
  amfcall call --offline --amf3 $URL svc.m 1 | amfcall convert -o req.amf
  printf '%s\n' '{"target":"a.b","args":[1]}' '{"target":"c.d"}' | amfcall call --batch - $URL
  amfcall call --from-har session.har#2                # re-send a captured request as it was
  amfcall call --packet request.json $URL               # a whole packet, as typed JSON`,
	Flags: append([]cli.Flag{
		&cli.StringFlag{Name: "data", Aliases: []string{"d"}, Category: catCall,
			Usage: "the whole argument list as one JSON array: `JSON`, @FILE, or - for stdin"},
		&cli.StringFlag{Name: "batch", Category: catCall, TakesFile: true,
			Usage: `send the calls of JSON-lines ` + "`FILE`" + ` ({"target": ..., "args": [...]} per line; - is stdin) in one packet`},
		&cli.BoolFlag{Name: "amf3", Category: catCall, DisableDefaultText: true,
			Usage: "send an AMF3 packet (version 3, every value through the AMF3 switch), as Flash with objectEncoding 3 does"},
		&cli.BoolFlag{Name: "flex", Category: catCall, DisableDefaultText: true,
			Usage: "call as a Flex RemoteObject: a RemotingMessage to destination and operation TARGET = DESTINATION.OPERATION"},
		&repeatFlag{cli.StringFlag{Name: "amf-header", Category: catCall,
			Usage: "send the AMF packet header `NAME=JSON` (repeatable)"}},
		&cli.BoolFlag{Name: "must-understand", Category: catCall, DisableDefaultText: true,
			Usage: "mark the --amf-header headers must-understand"},
		&cli.StringFlag{Name: "user", Aliases: []string{"u"}, Category: catCall,
			Usage: "send the Credentials header with `USER[:PASSWORD]` (as NetConnection.setCredentials does); with no :PASSWORD, from $AMFCALL_PASSWORD, else asked for on the terminal"},
		&cli.BoolFlag{Name: "offline", Category: catCall, DisableDefaultText: true,
			Usage: "print the request packet as typed JSON on stdout and send nothing"},
		destinationFlag, sourceFlag, remoteUserFlag, endpointFlag,
		&cli.StringFlag{Name: "from-har", Category: catCall, TakesFile: true,
			Usage: "re-send, byte for byte, the N-th AMF request of a HAR file: `FILE#N` (N counts AMF requests from 1; URL defaults to the request's)"},
		&cli.StringFlag{Name: "packet", Category: catCall, TakesFile: true,
			Usage: "send the whole packet in `FILE` (typed JSON as convert writes it, or AMF bytes sent as they are; - is stdin) and print the reply packet"},
		&cli.BoolFlag{Name: "unchecked", Category: catCall, DisableDefaultText: true,
			Usage: "with --packet, send the file's bytes as they are, even when they are no valid AMF packet (to test a gateway's parser)"},
		debugEventsFlag,

		&cli.StringFlag{Name: "session", Category: catHTTP, TakesFile: true,
			Usage: "keep cookies, persistent AMF headers and gateway-URL changes in `FILE` (read at the start, written at the end, merged with what another command wrote there meanwhile)"},
		httpFlag("header"), httpFlag("user-agent"), httpFlag("referer"), httpFlag("timeout"),
		httpFlag("connect-timeout"), httpFlag("idle-timeout"), httpFlag("insecure"), httpFlag("cacert"),
		httpFlag("proxy"), httpFlag("location-trusted"), httpFlag("max-response-size"),

		&cli.StringFlag{Name: "query", Aliases: []string{"q"}, Category: catOutput,
			Usage: "print only the part of the result at gjson `PATH` (e.g. items.0.name, items.#.name; a path that matches nothing prints null); with --packet or --from-har, of the reply packet (messages.0.value); with --offline, of the request packet; with --batch, of each line (target, then result, fault or error); else a fault is printed whole (exit 1)"},
		&cli.BoolFlag{Name: "raw", Aliases: []string{"r"}, Category: catOutput, DisableDefaultText: true,
			Usage: "print a string result as raw text, without JSON quotes, and an array of strings one string a line, as jq -r '.[]' does (an empty array prints nothing); anything else stays JSON; on a terminal, control characters are escaped; with --batch, one line a call, so an array stays JSON"},
		&cli.StringFlag{Name: "save-request", Category: catOutput, TakesFile: true,
			Usage: "write the request's AMF bytes to `FILE`; with --destination or --flex, the requests sent before it (the ping for the DSId, the login) go to FILE's name numbered in the order sent (req.1.amf, req.2.amf for req.amf), as stderr says"},
		&cli.StringFlag{Name: "save-response", Category: catOutput, TakesFile: true,
			Usage: "write the reply's bytes, as received, to `FILE`; a reply cut short (timeout, lost connection, too large) leaves FILE as it was, with a warning"},
		verboseFlag("print the request and reply packets as typed JSON on stderr; -vv adds the HTTP headers and timings"),
	}, jsonFlags()...),
	Action: runCall,
}

// repeatFlag is a string flag that may be given several times. Unlike
// cli.StringSliceFlag it never splits a value at commas (header values and
// JSON have commas), and its values live in the flag set of one run.
type repeatFlag struct {
	cli.StringFlag
}

type repeatValue []string

// aliasCopy is what urfave/cli sets a flag's other names to after parsing
// (cli.Serializer); the value is registered under all of them already, so
// Set ignores it. A NUL byte cannot come from the command line.
const aliasCopy = "\x00alias"

func (r *repeatValue) Set(s string) error {
	if s != aliasCopy {
		*r = append(*r, s)
	}
	return nil
}
func (r *repeatValue) String() string    { return strings.Join(*r, ", ") }
func (r *repeatValue) Get() any          { return []string(*r) }
func (r *repeatValue) Serialize() string { return aliasCopy }

// Apply registers one fresh value, under every name of the flag, for this
// run.
func (f *repeatFlag) Apply(set *flag.FlagSet) error {
	v := &repeatValue{}
	for _, name := range f.Names() {
		set.Var(v, name, f.Usage)
	}
	return nil
}

func repeated(c *cli.Context, name string) []string {
	v, _ := c.Value(name).([]string)
	return v
}

// callSettings are the flags of one call, read and checked before any I/O.
type callSettings struct {
	gateway  string
	target   string
	args     []string
	cfg      client.Config
	user     *[2]string
	headers  []amf.Header
	offline  bool
	batch    string
	data     string
	dataSet  bool
	query    string
	querySet bool
	raw      bool
	// rawTerminal: stdout is a terminal, where -r's text has its
	// control characters escaped (a gateway's string must not drive it).
	rawTerminal bool
	session     string
	sessionUser string // the Flex login the session file held
	saveReq     string
	saveResp    string
	level       int
	maxOutSet   bool
	// replySize is the reply's size in bytes once known (0 before),
	// which bounds the JSON -q and -r hold (heldLimit).
	replySize int64
	flex      *flexFlags // Flex settings, with --flex or --destination
	fromHAR   string     // --from-har FILE#N
	// gatewayFromEnv: the URL is AMFCALL_URL's, which messages name.
	gatewayFromEnv bool
	packet         string // --packet FILE
	unchecked      bool   // --unchecked: --packet's bytes sent unread
	// argText is the JSON text the arguments were read from: -d's, named
	// argSrc ("-d args.json"), or nil for ARGs (s.args); a --batch file's
	// text when argSrc is "--batch FILE". placeEncodeError follows it.
	argText []byte
	argSrc  string
	// argsFrom is the index in the message's argument list of the first
	// argument read from -d or s.args: 1 for upload, whose FILE is 0.
	argsFrom int
	// lineEach: one JSON document a line (subscribe; --batch also), where
	// -r does not print an array of strings one a line (rawText).
	lineEach bool
}

func runCall(c *cli.Context) error {
	setColor(c)
	s, err := readCallFlags(c)
	if err != nil {
		return err
	}
	out, opts, err := jsonOutput(c)
	if err != nil {
		return err
	}
	s.rawTerminal = out.terminal()

	// The inputs: arguments, batch, CA file, session.
	var calls []client.Call
	if s.batch != "" {
		calls, s.argText, s.argSrc, err = readBatchText(c, s.batch, s.argsVersion())
	} else {
		var args []any
		args, err = callArgs(c, s)
		calls = []client.Call{{Target: s.target, Args: args}}
	}
	if err != nil {
		return err
	}
	trace := newTrace(c, s.level)
	var flushDebug func()
	events, kept := keepFlexRequests(s, trace) // the ping and login too
	s.cfg.Events, flushDebug = debugEvents(c, events)
	defer flushDebug()
	gateway := s.gateway
	whole, err := loadWholePacket(c, s)
	if err != nil {
		return err
	}
	if gateway == "" && whole != nil {
		gateway = whole.url
	}
	if gateway == "" {
		gateway = "http://offline.invalid/" // --offline without a URL: never contacted
	}
	cl, err := s.newClient(gateway)
	if err != nil {
		return err
	}
	askDebugEvents(c, cl)
	if s.session != "" {
		if err := sessionWrittenBack(s.session); err != nil {
			return err
		}
		data, err := readSessionFile(c, s.session)
		switch {
		case err != nil:
			return err
		case data == nil:
			if s.level > 0 {
				infof(c, "session %s does not exist yet; it will be written at the end", s.session)
			}
		case len(data) == 0:
			if s.level > 0 {
				infof(c, "session %s is empty: a new session; it will be written at the end", s.session)
			}
		default:
			if err := cl.LoadSession(data); err != nil {
				return fmt.Errorf("--session %s: %w", s.session, err)
			}
			s.sessionUser = cl.FlexUser()
		}
	}

	if whole != nil {
		err := replyError(sendWholePacket(c, cl, s, whole, out, opts, trace), cl, s, trace)
		var he *client.HTTPError
		if s.gateway == "" && whole.url != "" && errors.As(err, &he) && he.Status == "" {
			// No answer from the URL the HAR holds (a production
			// host, a port long closed): it was not given, so the
			// user may not know that another can be.
			err = withHint(err, "the URL is the HAR's; to send the request to another gateway, give one: amfcall call --from-har "+shellWord(s.fromHAR)+" URL")
		}
		return err
	}
	if s.offline {
		built := cl.BuildPacket(calls)
		b, err := amf.MarshalPacket(built)
		if err != nil {
			return s.placeEncodeError(err)
		}
		if s.saveReq != "" {
			if err := saveFile(c, "--save-request", s.saveReq, b); err != nil {
				return err
			}
			staleNumbered(c, s, nil)
		}
		// Print the bytes that would be sent, decoded again, as -v does.
		p, err := amf.UnmarshalPacket(b)
		if err != nil {
			p = built
		}
		// -q and -r pick from the request packet, as from --packet's
		// reply packet.
		po := *opts
		po.Typed = true
		if err := printPacket(out, p, &po, s); err != nil {
			return err
		}
		return out.commit()
	}

	ctx := c.Context
	var results []client.Result
	var single any
	if s.batch != "" {
		results, err = cl.Batch(ctx, calls)
	} else {
		single, err = cl.Call(ctx, calls[0].Target, calls[0].Args)
	}
	err = flexHint(s, s.placeEncodeError(err))

	// Keep what happened, whatever the outcome.
	var saveErrs []error
	if s.saveReq != "" && trace.RequestBody != nil {
		serr := saveRequests(c, s, kept, trace.RequestBody)
		if serr == nil {
			staleNumbered(c, s, kept)
		}
		saveErrs = append(saveErrs, serr)
	}
	saveErrs = append(saveErrs, saveResponse(c, s, trace, err))
	if s.session != "" {
		saveErrs = append(saveErrs, saveSession(c, cl, s.session))
	} else if names := persistentHeaders(cl); len(names) > 0 {
		// "call login", then "call session.whoami": Session.Required,
		// with nothing said of the header the first run dropped.
		infof(c, "the gateway asked for the header %s on every later request (RequestPersistentHeader); it is lost when amfcall exits: keep it with --session FILE",
			strings.Join(names, ", "))
	}
	saveErr := errors.Join(saveErrs...)
	if saveErr != nil && err != nil {
		warnf(c, "%v", saveErr)
	}
	replyLimits(opts, s, trace)

	var fault *client.Fault
	switch {
	case s.batch != "" && err == nil:
		err = printBatch(c, out, opts, s, results)
	case errors.As(err, &fault):
		if perr := printCallValue(out, opts, s, amf.Unwrap(fault.Value), false); perr != nil {
			return perr
		}
	case err == nil:
		err = printCallValue(out, opts, s, single, true)
	}
	if cerr := out.commit(); err == nil {
		err = cerr
	}
	if err == nil {
		err = saveErr
	}
	return replyError(err, cl, s, trace)
}

// replyError says more about an error of call: where, when the reply's
// JSON passed --max-output (the error alone did not say whether the
// request, the reply or a file blew up: F-D), and no "try --amf3" hint
// for a 400 when the request was AMF3 already or a whole packet of the
// user's (F-E).
func replyError(err error, cl *client.Client, s *callSettings, trace *client.TraceHandler) error {
	var limit *convert.OutputLimitError
	var typedLimit *convert.TypedOutputLimitError
	var httpErr *client.HTTPError
	var decErr *client.DecodeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &decErr) && s.saveResp != "" && trace.GotReply:
		// The reply was saved: say where, not "keep it with
		// --save-response FILE".
		// A reply that starts as a packet does (version 0 or 3) is
		// dumped as one: cut short, dump's guess took it for bare AMF3
		// values ("undefined, true, undefined..."). One that starts
		// with text (a PHP notice) is left to the guess, which skips
		// the text to the packet after it.
		from := ""
		if b := trace.ResponseBody; len(b) >= 2 && b[0] == 0 && (b[1] == 0 || b[1] == 3) {
			from = "--from packet "
		}
		return withCode(exitNetwork, err).hint(fmt.Sprintf("the reply's %d bytes are in %s: amfcall dump %s%s shows each byte up to the fault", len(trace.ResponseBody), s.saveResp, from, shellWord(s.saveResp)))
	case errors.As(err, &limit), errors.As(err, &typedLimit):
		return fmt.Errorf("the reply from %s: %w", redactURL(cl.URL()), err)
	case errors.As(err, &httpErr) && errors.Is(httpErr, client.ErrStatus) && strings.HasPrefix(httpErr.Status, "400"):
		sent := trace.RequestBody
		// The client's words ("it may expect AMF3") are about a
		// request amfcall built in AMF0: not about the user's own
		// bytes, nor an AMF3 request.
		switch {
		case s.packet != "":
			httpErr.Hint = fmt.Sprintf("the gateway could not read the request: the packet of %s, sent as it is", shellWord(s.packet))
		case s.fromHAR != "":
			httpErr.Hint = fmt.Sprintf("the gateway could not read the request: the packet of %s, sent as captured", shellWord(s.fromHAR))
		case len(sent) >= 2 && sent[1] == 3:
			httpErr.Hint = "the gateway could not read the request (AMF3, as --amf3 or the Flex flags ask)"
		default:
			return err
		}
		return withCode(exitNetwork, err).hint("see what was sent with -v")
	}
	return err
}

// authHint is the hint of a fault f that refused the call for want of
// credentials, for call, upload and snapshots alike. user says that -u
// gave some: the client held them back at a redirect to another host
// (f.CredentialsNotSentTo), or the gateway refused them.
func authHint(f *client.Fault, user bool, err error) error {
	switch {
	case isLoginMethod(f.Target):
		// call URL login '"bob"' '"pw"': the method's own arguments
		// were refused; -u (a header) is not what it reads.
		return withHint(err, "the gateway refused the login: check the user name and password given as its arguments")
	case user && f.CredentialsNotSentTo != "":
		// The client held -u's credentials back at a redirect to
		// another host: that host refused a call without them.
		return withHint(err, "the gateway redirected to another host ("+oneLineText(f.CredentialsNotSentTo)+") and the credentials given with -u were not sent there: if that host is trusted, add --location-trusted to send them, or use the new location as the gateway URL")
	case user:
		return withHint(err, "the gateway refused the credentials given with -u (sent as the AMF Credentials header): check the user name and password")
	}
	return withHint(err, "the method wants credentials: add -u USER:PASSWORD (the AMF Credentials header, as NetConnection.setCredentials sends it)")
}

// gatewayCommand is "amfcall call URL" (or upload...) for a hint's command
// line: the gateway URL as given (no password in it), none when it came
// from AMFCALL_URL.
func gatewayCommand(c *cli.Context, s *callSettings) string {
	if s.gatewayFromEnv || s.gateway == "" {
		return c.Command.HelpName
	}
	return c.Command.HelpName + " " + shellWord(redactURL(s.gateway))
}

// isLoginMethod reports whether target is a login method (login,
// Auth.login, logIn, authenticate), whose arguments are the credentials.
func isLoginMethod(target string) bool {
	switch strings.ToLower(methodOf(target)) {
	case "login", "logon", "signin", "authenticate":
		return true
	}
	return false
}

// emptyNameHint is the hint of a file name left empty (a shell variable
// that was): form is how a file is given, stdin how stdin is.
func emptyNameHint(form, stdin string) string {
	return fmt.Sprintf("was a shell variable empty? give %s, or %s for stdin", form, stdin)
}

// fileKind names the kind of a file that is not a regular one.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeCharDevice != 0, m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// permissionHint is the hint of a file that did not open because this
// user may not read it (its name is right: "check the file name" sent
// the user looking for a typo), "" for another error.
func permissionHint(err error) string {
	if !errors.Is(err, fs.ErrPermission) {
		return ""
	}
	return "this user may not read it: check the permissions of the file and of its folders"
}

// readCallFlags reads and checks the flags and positional arguments.
// newClient makes the client for gateway from the settings: its
// configuration, credentials and packet headers.
func (s *callSettings) newClient(gateway string) (*client.Client, error) {
	cl, err := newGatewayClient(gateway, s.cfg)
	if err != nil {
		if s.gatewayFromEnv && gateway == s.gateway {
			// The user typed no URL: say where it came from.
			return nil, usageErrorf("AMFCALL_URL: %w", err).hint("set AMFCALL_URL to the gateway URL, e.g. http://localhost:8000/gateway, or give the URL first")
		}
		return nil, err
	}
	if s.user != nil {
		cl.SetCredentials(s.user[0], s.user[1])
	}
	for _, h := range s.headers {
		cl.SetHeader(h.Name, h.MustUnderstand, h.Value)
	}
	return cl, nil
}

func readCallFlags(c *cli.Context) (*callSettings, error) {
	e := envOf(c)
	s := &callSettings{
		offline:   c.Bool("offline"),
		batch:     c.String("batch"),
		data:      c.String("data"),
		dataSet:   c.IsSet("data"),
		query:     c.String("query"),
		querySet:  c.IsSet("query"),
		raw:       c.Bool("raw"),
		session:   c.String("session"),
		saveReq:   c.String("save-request"),
		saveResp:  c.String("save-response"),
		level:     verbosity(c),
		maxOutSet: c.String("max-output") != "",
		fromHAR:   c.String("from-har"),
		packet:    c.String("packet"),
		unchecked: c.Bool("unchecked"),
	}
	if err := checkWholePacketFlags(c, s); err != nil {
		return nil, err
	}
	cfg, err := httpConfig(c)
	if err != nil {
		return nil, err
	}
	s.cfg = cfg
	s.cfg.AMF3 = c.Bool("amf3")
	s.cfg.Flex = c.Bool("flex")

	switch {
	case s.batch != "" && s.dataSet:
		return nil, usageErrorf("--batch can't be used with -d/--data").hint("give each call's arguments in the batch file")
	case s.offline && s.saveResp != "":
		return nil, usageErrorf("--offline can't be used with --save-response").hint("nothing is received with --offline")
	case s.saveReq == "-" || s.saveResp == "-":
		return nil, usageErrorf("--save-request/--save-response need a file name, not -").hint("stdout carries the JSON result")
	}

	for _, f := range []struct{ flag, path string }{
		{"--save-request", s.saveReq}, {"--save-response", s.saveResp}, {"--session", s.session},
	} {
		if err := envOf(c).checkSavePath(f.flag, f.path); err != nil {
			if hasScheme(f.path) {
				// "call --session http://host/ a.b": the flag took the URL.
				if err := flagTookArgument(c, "URL"); err != nil {
					return nil, err
				}
			}
			return nil, err
		}
	}
	if err := checkSavesNotInputs(e, s); err != nil {
		return nil, err
	}

	// Positional arguments: [URL] TARGET [ARG...].
	args := c.Args().Slice()
	env := e.getenv("AMFCALL_URL")
	if len(args) > 0 && isGatewayArg(args[0], env != "") {
		s.gateway, args = args[0], args[1:]
	} else {
		s.gateway, s.gatewayFromEnv = env, env != ""
	}
	usage := fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage)
	switch {
	case s.packet != "":
		usage = fmt.Sprintf("usage: %s --packet FILE URL", c.Command.HelpName)
	case s.batch != "":
		usage = fmt.Sprintf("usage: %s --batch FILE URL", c.Command.HelpName)
	}
	if s.gateway == "" && !s.offline && s.fromHAR == "" {
		what := "URL and TARGET"
		if len(args) > 0 || s.packet != "" || s.batch != "" {
			// --packet and --batch name their targets.
			what = "URL"
		}
		if err := flagTookArgument(c, "URL"); err != nil {
			return nil, err
		}
		for i, a := range args {
			if i > 0 && hasScheme(a) {
				// "call echo.echo http://host/ 1": not missing, late.
				return nil, usageErrorf("%s: the URL %s comes after %q: it goes first", c.Command.HelpName, redactURL(a), args[0]).hint(usage)
			}
		}
		return nil, usageErrorf("%s: missing %s", c.Command.HelpName, what).hint(usage).
			hint("the URL starts with http:// or https://; AMFCALL_URL gives a default")
	}
	if s.fromHAR != "" || s.packet != "" {
		if len(args) > 0 {
			// The hint's commands name the user's packet: they work
			// as written, but for the edit.
			get := "amfcall call --offline --from-har " + shellWord(s.fromHAR) + " > packet.json"
			if s.packet != "" && s.packet != "-" {
				get = "amfcall convert --typed " + shellWord(s.packet) + " > packet.json"
			}
			if s.packet == "-" {
				get = "amfcall convert --typed > packet.json (from the same stdin)"
			}
			gw := "URL" // the HAR's, which call --packet does not know
			if s.gateway != "" {
				gw = shellWord(redactURL(s.gateway))
			}
			return nil, usageErrorf("--from-har/--packet send a whole packet: no TARGET or ARG arguments (got %s)", quoteList(args, 3)).
				hint("to change its target or arguments, edit it as typed JSON: " + get + ", edit packet.json, then amfcall call --packet packet.json " + gw)
		}
	} else if s.batch != "" {
		if len(args) > 0 {
			return nil, usageErrorf("--batch can't be used with TARGET and ARG arguments (got %s)", quoteList(args, 3)).
				hint("the batch file names the targets")
		}
	} else {
		if len(args) == 0 || args[0] == "" {
			return nil, usageErrorf("%s: missing TARGET", c.Command.HelpName).hint(usage)
		}
		s.target, s.args = args[0], args[1:]
		if s.dataSet && len(s.args) > 0 {
			return nil, usageErrorf("-d/--data can't be used with ARG arguments").
				hint("put every argument in the -d array, or give them all as ARGs")
		}
	}

	// AMF headers.
	if s.user, err = readUser(c); err != nil {
		return nil, err
	}
	if s.headers, err = readAMFHeaders(c); err != nil {
		return nil, err
	}
	for _, h := range s.headers {
		if s.user != nil && h.Name == "Credentials" {
			// One replaced the other, silently (-u lost).
			return nil, usageErrorf("-u and --amf-header Credentials both set the Credentials header").
				hint("give one: -u USER:PASSWORD sends {userid, password}; --amf-header 'Credentials=JSON' any other value")
		}
	}
	if s.raw && s.batch != "" && !s.querySet {
		return nil, usageErrorf("-r/--raw with --batch needs -q").hint("select a string from each line, e.g. -q result")
	}
	if s.querySet {
		if why := badQuery(s.query); why != "" {
			return nil, usageErrorf("-q %q: %s", s.query, why).hint("write a gjson path such as items.0.name or items.#.name")
		}
	}
	if err := readFlexFlags(c, s); err != nil {
		return nil, err
	}
	return s, nil
}

// parseDuration reads a duration: Go syntax (30s, 1m30s, 500ms), or a
// plain number of seconds.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || f > 1e9 {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid duration %q%s", redactURL(s), tookArgument(s))
	}
	return d, nil
}

// tookArgument explains a flag value that is not one but the next
// argument, a URL or a HOST:PORT, taken because the value was left out
// ("--timeout http://host/ echo.echo").
func tookArgument(v string) string {
	if strings.Contains(v, "://") || isGatewayArg(v, true) {
		return " (the flag's value is missing: it took the next argument)"
	}
	return ""
}

// argsVersion is how the arguments are written: a date's "$tz" is
// dropped in AMF3.
func (s *callSettings) argsVersion() amf.Version {
	if s.cfg.AMF3 || s.cfg.Flex {
		return amf.AMF3
	}
	return amf.AMF0
}

// callArgs reads the arguments: -d, or each ARG as JSON or @FILE.
func callArgs(c *cli.Context, s *callSettings) ([]any, error) {
	ver := s.argsVersion()
	if s.dataSet {
		text, src := trimBOM([]byte(s.data)), "-d" // "$(cat args.json)" keeps a file's BOM
		if s.data == "@" {
			// -d "@$FILE" with $FILE empty read stdin, as if -d - was meant.
			return nil, usageErrorf("-d @: no file name after the @").hint(emptyNameHint("-d @FILE", "-d -"))
		}
		if s.data == "-" || strings.HasPrefix(s.data, "@") {
			name := strings.TrimPrefix(s.data, "@")
			data, n, err := readInputFor(c, "-d", name, "use -d - for stdin")
			if err != nil {
				return nil, err
			}
			text, src = trimBOM(data), "-d "+n
			if n == "stdin" {
				src = "-d -"
			}
		}
		s.argText, s.argSrc = text, src
		v, err := convert.FromJSONWarnIn(text, ver, func(m string) { warnf(c, "%s: %s", src, m) })
		if err != nil {
			err = fmt.Errorf("%s: %w", src, err)
			if s.data != "-" && s.data != "@-" {
				if h := binaryDataHint(text, strings.TrimPrefix(s.data, "@")); h != "" {
					return nil, withHint(err, h)
				}
			}
			if !strings.HasPrefix(s.data, "@") && isRegularFile(s.data) {
				// curl's -d @FILE: -d FILE is the JSON text "FILE".
				return nil, withHint(err, fmt.Sprintf("%s is a file: read the argument list from it with -d %s", s.data, atWord(s.data)))
			}
			return nil, jsonHint(err, string(text))
		}
		a, ok := v.(*amf.Array)
		if !ok || len(a.Assoc) > 0 {
			return nil, usageErrorf("%s: the argument list must be a JSON array", src).
				hint(`wrap the arguments in [...]: -d '["hello", 1]'`)
		}
		return a.Dense, nil
	}
	args := make([]any, 0, len(s.args))
	for i, a := range s.args {
		if name, ok := strings.CutPrefix(a, "@"); ok {
			if name == "" {
				// "@$FILE" with $FILE empty sent stdin (empty in a
				// script), exit 0.
				return nil, usageErrorf("argument %d: @: no file name after the @", i+1).hint(emptyNameHint("@FILE", "@-"))
			}
			ba, err := byteArrayArg(c, fmt.Sprintf("argument %d", i+1), name)
			if err != nil {
				return nil, err
			}
			args = append(args, ba)
			continue
		}
		text := trimBOM([]byte(a))
		v, err := convert.FromJSONWarnIn(text, ver, func(m string) { warnf(c, "argument %d: %s", i+1, m) })
		if err != nil {
			err = fmt.Errorf("argument %d: %w", i+1, err)
			if i == 0 && s.argsFrom == 0 && isRegularFile(s.target) && !isRegularFile(a) {
				// call URL photo.jpg ByteArray.saveSnapshot: the file
				// taken for the TARGET, the method for a JSON argument.
				line := []string{gatewayCommand(c, s), shellWord(a), atWord(s.target)}
				for _, rest := range s.args[1:] {
					line = append(line, shellWord(rest))
				}
				return nil, withHint(err, fmt.Sprintf("%s, given as the TARGET, is a file: the TARGET (the method) comes first, and a file's bytes go as @FILE: %s", shellWord(s.target), strings.Join(line, " ")))
			}
			return nil, argJSONHint(err, string(text))
		}
		args = append(args, v)
	}
	return args, nil
}

// byteArrayArg reads the argument @FILE (what: "argument 2") as a
// ByteArray. A ByteArray holds at most 256 MiB - 1: a larger file is
// refused from its size before it is read (it was read whole, then
// failed to encode naming neither the argument nor the file), stdin
// once read.
func byteArrayArg(c *cli.Context, what, name string) (*amf.ByteArray, error) {
	if st, err := os.Stat(name); err == nil && st.Mode().IsRegular() && st.Size() > maxByteArray {
		return nil, tooBig(what+": "+name, st.Size())
	}
	data, _, err := readInputFor(c, what, name, "use @- for stdin")
	if err != nil {
		return nil, err
	}
	if len(data) > maxByteArray {
		return nil, tooBig(what+": "+fileLabel(name), int64(len(data)))
	}
	return &amf.ByteArray{Data: data}, nil
}

// argJSONHint is jsonHint for an ARG, which may be a file's name given
// without its @ (call URL ByteArray.saveSnapshot photo.jpg '"jpg"').
func argJSONHint(err error, arg string) error {
	if arg == "-" {
		// curl's and convert's stdin: here one ARG is one JSON value.
		// The second hint is call's alone: ownHints drops it elsewhere.
		return withHint(withHint(err, "an ARG is a JSON value, not stdin; @- sends stdin's bytes as a ByteArray"),
			"--data - (-d -) reads the argument list, a JSON array, from stdin")
	}
	if isRegularFile(arg) {
		return withHint(err, fmt.Sprintf("%s is a file: send its bytes as a ByteArray with %s (or, for the text, %s)", arg, atWord(arg), shellQuote(fmt.Sprintf("%q", arg))))
	}
	return jsonHint(err, arg)
}

// isRegularFile reports whether name is a regular file (a link to one).
func isRegularFile(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular()
}

// jsonHint adds a hint for a likely mistake in a JSON argument: a bare
// word where a JSON string was meant.
func jsonHint(err error, text string) error {
	t := strings.TrimSpace(text)
	if h := foreignLiteralHint(err, text); h != "" {
		return withHint(err, h)
	}
	if t == "" || strings.ContainsAny(t[:1], `{["-0123456789`) || t == "true" || t == "false" || t == "null" {
		return err
	}
	if len(t) > 200 || !utf8.ValidString(t) || strings.ContainsFunc(t, unicode.IsControl) {
		// Not text one would quote (a binary file): no example.
		return withHint(err, "arguments are JSON; a file's bytes go as a ByteArray with @FILE as an argument")
	}
	return withHint(err, "arguments are JSON: write a string with its quotes, e.g. "+shellQuote(fmt.Sprintf("%q", t)))
}

// jsonSpelling is how JSON (or typed JSON) writes the literals that
// Python (PyAMF's language), JavaScript and others spell another way.
var jsonSpelling = map[string]string{
	"True": "true", "False": "false", "None": "null",
	"TRUE": "true", "FALSE": "false", "NULL": "null", "Null": "null", "nil": "null",
	"NaN": `{"$double": "NaN"}`, "Infinity": `{"$double": "Infinity"}`,
	"-Infinity": `{"$double": "-Infinity"}`, "undefined": `{"$undefined": true}`,
}

// foreignLiteralHint says how JSON writes what a JSON error's position
// holds when it is another language's literal (None, True, NaN) or a
// single-quoted string, "" otherwise. text is the JSON as given.
func foreignLiteralHint(err error, text string) string {
	var je *convert.Error
	if !errors.As(err, &je) || je.Offset < 0 || je.Offset >= int64(len(text)) {
		return ""
	}
	off := int(je.Offset)
	whole := strings.TrimSpace(text)
	if text[off] == '\'' {
		// The string itself is shown only when short, as jsonHint's
		// example is: of a whole file, the hint was the file again
		// (100 MB in single quotes: 100 MB on stderr, 527 MB peak).
		if len(whole) >= 2 && len(whole) <= 200 && whole[0] == '\'' && whole[len(whole)-1] == '\'' && !strings.Contains(whole[1:len(whole)-1], "'") {
			return "JSON strings take double quotes, not single: " + shellQuote(fmt.Sprintf("%q", whole[1:len(whole)-1]))
		}
		return `JSON strings and member names take double quotes, not single: {"name": "value"}`
	}
	if c := text[off]; c == ']' || c == '}' {
		// [1, 2,] and {"a": 1,}, as JavaScript and Python take them.
		p := off - 1
		for p >= 0 && strings.IndexByte(" \t\r\n", text[p]) >= 0 {
			p--
		}
		if open := map[byte]byte{']': '[', '}': '{'}[c]; p >= 0 && text[p] == ',' && innermostOpen(text[:p]) == open {
			// On the error's line (a --batch line is read on its own:
			// its "line 1" is the file's line N), its column alone.
			line, col := textpos.LineCol([]byte(text), int64(p))
			if errLine, _ := textpos.LineCol([]byte(text), int64(off)); line == errLine {
				return fmt.Sprintf("JSON takes no comma before %c: remove the one at column %d", c, col)
			}
			return fmt.Sprintf("JSON takes no comma before %c: remove the one at line %d, column %d", c, line, col)
		}
	}
	start, end := off, off
	for start > 0 && isWordByte(text[start-1]) {
		start--
	}
	for end < len(text) && isWordByte(text[end]) {
		end++
	}
	if start > 0 && text[start-1] == '-' {
		start--
	}
	word := text[start:end]
	spelt, ok := jsonSpelling[word]
	if !ok {
		return ""
	}
	h := fmt.Sprintf("%s is not JSON: write %s", word, spelt)
	if word == whole {
		h += fmt.Sprintf(" (or %s for the string)", shellQuote(fmt.Sprintf("%q", word)))
	}
	return h
}

// innermostOpen is the bracket ([ or {) of the innermost container still
// open at the end of text, a JSON text cut short; 0 if none. A comma
// before a ] is a trailing comma only where a [ is open: in {"a": [1, }
// the array is left open, and no comma is to blame.
func innermostOpen(text string) byte {
	var stack []byte
	inString, escaped := false, false
	for i := 0; i < len(text); i++ {
		b := text[i]
		switch {
		case inString && escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case inString:
		case b == '[' || b == '{':
			stack = append(stack, b)
		case (b == ']' || b == '}') && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 {
		return 0
	}
	return stack[len(stack)-1]
}

func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// shellWord is s as a shell word: as it is when it needs no quotes. On
// Windows it is quoted for cmd.exe and PowerShell (windowsWord), where
// the POSIX shell's single quotes are no quotes in cmd.exe: a hint's
// 'C:\Users\me\reply.amf' pasted there named a file with quotes in it.
func shellWord(s string) string {
	if windowsShell {
		return windowsWord(s)
	}
	if plainWord.MatchString(s) {
		return s
	}
	return shellQuote(s)
}

var plainWord = regexp.MustCompile(`^[A-Za-z0-9_./@%+=:,-]+$`)

// windowsShell says that the hints' commands are pasted into cmd.exe or
// PowerShell, not a POSIX shell.
var windowsShell = runtime.GOOS == "windows"

// shellQuote quotes s for a POSIX shell (the hint's example is pasted
// into one): in single quotes, each single quote of s closed, escaped
// and opened again. On Windows it is PowerShell's single quotes, where
// a single quote is doubled (cmd.exe has no quotes that keep a JSON
// text's double quotes; PowerShell 7.3 and later pass them on as they
// are).
func shellQuote(s string) string {
	if windowsShell {
		return powerShellQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// atWord is @FILE as a shell word: call's ByteArray argument, -d @FILE.
// On Windows the @ goes inside the quotes: PowerShell reads a bare @
// before a name as splatting, and @' or @" as the start of a here-string.
func atWord(name string) string {
	if windowsShell {
		return windowsWord("@" + name)
	}
	return "@" + shellWord(name)
}

// plainWindowsWord is a word that cmd.exe and PowerShell both take as it
// is: no blank, no ; & | < > ( ) { } , $ ` ' " % ! ^ # [ ], and no @ or -
// that starts it (PowerShell's splatting, and its parameters).
var plainWindowsWord = regexp.MustCompile(`^[A-Za-z0-9_./\\:+=][A-Za-z0-9_./\\:+=@-]*$`)

// windowsWord quotes s for both cmd.exe and PowerShell where one quoting
// serves both: in double quotes, when s has none of the characters either
// shell reads inside them ($ and ` in PowerShell; % and ! in cmd.exe;
// " itself, which no Windows file name holds). A backslash that ends it is
// doubled, as a program's command line reads \" as a quote kept. Else s
// is in PowerShell's single quotes, PowerShell being the shell Windows
// opens today.
func windowsWord(s string) string {
	if plainWindowsWord.MatchString(s) {
		return s
	}
	if s == "" {
		return `""`
	}
	if strings.ContainsAny(s, "\"$`%!\r\n\u201c\u201d\u201e") {
		// (PowerShell takes the typographic double quotes for " too.)
		return powerShellQuote(s)
	}
	trail := len(s) - len(strings.TrimRight(s, `\`))
	return `"` + s + strings.Repeat(`\`, trail) + `"`
}

// powerShellQuote is s in PowerShell's single quotes: nothing in them is
// read but a single quote, which is doubled (as are the typographic ones
// PowerShell takes for quotes too).
func powerShellQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// binaryDataHint says what to do with -d @FILE whose FILE is no JSON but
// an AMF packet (send it with --packet) or other bytes (a ByteArray
// argument), or "" when it looks like text.
func binaryDataHint(data []byte, name string) string {
	if packetErr(data) == nil {
		return fmt.Sprintf("%s is an AMF packet: send it as it is with --packet %s", name, shellWord(name))
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return fmt.Sprintf("-d takes JSON; to send the bytes of %s as a ByteArray, give %s as an argument", name, atWord(name))
	}
	return ""
}

// readBatch reads the calls of a JSON-lines batch file, whose arguments
// are written in ver.
func readBatch(c *cli.Context, name string, ver amf.Version) ([]client.Call, error) {
	calls, _, _, err := readBatchText(c, name, ver)
	return calls, err
}

// readBatchText is readBatch that also returns the file's text (its BOM
// cut) and "--batch NAME", for placeEncodeError.
func readBatchText(c *cli.Context, name string, ver amf.Version) ([]client.Call, []byte, string, error) {
	data, src, err := readInputFor(c, "--batch", name, "use --batch - for stdin")
	if err != nil {
		return nil, nil, "", err
	}
	data = trimBOM(data)
	calls, err := client.ParseBatchIn(data, ver, func(m string) { warnf(c, "--batch %s: %s", src, m) })
	var be *client.BatchError
	switch {
	case errors.Is(err, client.ErrEmptyBatch):
		return nil, nil, "", usageErrorf("--batch %s: no calls in it", src).hint(`write one {"target": ..., "args": [...]} per line`)
	case errors.As(err, &be):
		err := withCode(exitInput, fmt.Errorf("--batch %s %w", src, err))
		// Each line is read on its own: a JSON error's offset is in it.
		if lines := bytes.Split(data, []byte("\n")); be.Line >= 1 && be.Line <= len(lines) {
			if h := foreignLiteralHint(be.Err, strings.TrimSuffix(string(lines[be.Line-1]), "\r")); h != "" {
				err.hint(h)
			}
		}
		return nil, nil, "", err
	case err != nil:
		return nil, nil, "", err
	}
	return calls, data, "--batch " + src, nil
}

// placeEncodeError names where in the user's JSON a value is that the
// AMF encoder could not write (a member name over 65535 bytes, an empty
// dynamic member name in AMF3, a target as long in --batch): the input
// (-d's file, the ARG, the --batch file) and the line and column, as
// convert's errors do. The encoder's path leads from the packet: a
// message's "target", or its "value", the argument list (a Flex
// RemotingMessage's "body" in it, value/0/body). Other errors are
// returned as they are.
func (s *callSettings) placeEncodeError(err error) error {
	var ee *amf.EncodeError
	if !errors.As(err, &ee) || len(ee.Segs) < 3 || ee.Segs[0] != "messages" {
		return err
	}
	msg, aerr := strconv.Atoi(ee.Segs[1])
	if aerr != nil {
		return err
	}
	rest := ee.Segs[2:] // in the message
	var inArgs []string // from the argument list
	switch {
	case rest[0] == "value" && !s.cfg.Flex:
		inArgs = rest[1:]
	case rest[0] == "value" && len(rest) >= 3 && rest[1] == "0" && rest[2] == "body":
		inArgs = rest[3:]
	case rest[0] == "target" && s.batch == "" && msg == 0:
		return fmt.Errorf("TARGET: %w", err) // no JSON: no line to name
	case rest[0] != "target" || s.batch == "":
		return err
	}
	if s.batch != "" {
		start := nthLine(s.argText, msg)
		if start < 0 {
			return err
		}
		segs := []string{"target"}
		if inArgs != nil {
			segs = append([]string{"args"}, inArgs...)
		}
		return fmt.Errorf("%s: %w", s.argSrc, convert.EncodeErrorAt(ee, s.argText, start, segs))
	}
	if msg != 0 || len(inArgs) == 0 {
		return err
	}
	i, aerr := strconv.Atoi(inArgs[0])
	if i -= s.argsFrom; aerr != nil || i < 0 {
		return err
	}
	if s.argText != nil {
		return fmt.Errorf("%s: %w", s.argSrc, convert.EncodeErrorAt(ee, s.argText, 0, append([]string{strconv.Itoa(i)}, inArgs[1:]...)))
	}
	if i >= len(s.args) || strings.HasPrefix(s.args[i], "@") {
		return err
	}
	return fmt.Errorf("argument %d: %w", i+1, convert.EncodeErrorAt(ee, []byte(s.args[i]), 0, inArgs[1:]))
}

// nthLine is the offset in data of the n-th (from 0) line that is not
// blank, as client.ParseBatch counts a batch's calls, or -1.
func nthLine(data []byte, n int) int {
	for start := 0; start < len(data); {
		end := bytes.IndexByte(data[start:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		if len(bytes.TrimSpace(data[start:end])) > 0 {
			if n == 0 {
				return start
			}
			n--
		}
		start = end + 1
	}
	return -1
}

// printValue prints one result (or fault) value on stdout, selecting
// with -q and unquoting with -r where asked.
//
// The whole value is streamed to out as it is written (convert.WriteValue):
// memory does not grow with its JSON, which --max-output bounds. With -q
// or -r the JSON must be held whole to select from: heldLimit bounds it.
// Past a bound the error is a convert output limit error.
func printCallValue(out io.Writer, opts *convert.Options, s *callSettings, v any, query bool) error {
	if (!s.querySet || !query) && !s.raw {
		return convert.WriteValue(out, v, opts)
	}
	buf, err := selectRendered(rendering{
		write:  func(w io.Writer, o *convert.Options) error { return convert.WriteValue(w, v, o) },
		append: func(b []byte, o *convert.Options) ([]byte, error) { return convert.AppendValue(b, v, o) },
	}, opts, s, query)
	if err != nil {
		return err
	}
	_, err = out.Write(buf)
	return err
}

// replyLimits sizes the bounds of a reply's JSON from the reply the trace
// holds last: --max-output's default of 1000 times its bytes (at most
// 1 GiB), and that of the JSON -q and -r hold (heldLimit). A flag given
// is kept.
func replyLimits(opts *convert.Options, s *callSettings, trace *client.TraceHandler) {
	n := int64(len(trace.ResponseBody))
	if n == 0 {
		return
	}
	s.replySize = n
	if !s.maxOutSet {
		opts.MaxOutput = min(1<<30, 1000*n)
	}
}

// The JSON that -q and -r hold whole to select from is bounded, unless
// --max-output is given, by heldPerByte times the reply's bytes plus
// heldBase (and by --max-output's default): a list of records is some 8
// times its AMF3 bytes as compact JSON, while a 1 MB reply that names one
// big string 20,000 times would be 1 GiB of it.
const (
	heldPerByte = 16
	heldBase    = 64 << 20
)

// heldLimit is the bound on the JSON held for -q and -r: --max-output
// when given, else the smaller of its default and what heldPerByte and
// heldBase allow for the reply's size (s.replySize; none when unknown).
func heldLimit(opts *convert.Options, s *callSettings) int64 {
	limit := opts.MaxOutput
	if limit <= 0 {
		limit = 1 << 30 // convert's default
	}
	if s.maxOutSet || s.replySize <= 0 {
		return limit
	}
	return min(limit, heldBase+heldPerByte*s.replySize)
}

// rendering is a value or packet to write as JSON: by convert's Write
// function for it (a newline ends the JSON) or its Append function.
type rendering struct {
	write  func(io.Writer, *convert.Options) error
	append func([]byte, *convert.Options) ([]byte, error)
}

// selectRendered writes r as compact JSON, held whole within heldLimit,
// then picks the -q path from it and writes that part with the layout
// and colours of opts (or raw with -r).
//
// The JSON is written twice: first counted, not held, so that JSON past
// the bound fails having held none of it (a reply naming one string
// many times), then into a buffer of its exact size. Grown as it was
// written, the buffer and its copies held up to some 4 times the JSON
// (323 MB of RSS for the 84 MB bound).
func selectRendered(r rendering, opts *convert.Options, s *callSettings, query bool) ([]byte, error) {
	plain := *opts
	plain.Indent, plain.Palette = "", nil
	plain.MaxOutput = heldLimit(opts, s)
	counted := plain
	counted.Warn = nil // given by the second pass
	var n byteCounter
	err := r.write(&n, &counted)
	var js []byte
	if err == nil {
		if n > heldCollect {
			// The count's garbage (a large string or ByteArray is
			// written whole into its buffer) is freed for the JSON
			// to use: else the two are held at once.
			runtime.GC()
		}
		// The count has the newline that ends a document.
		js, err = r.append(make([]byte, 0, max(int(n)-1, 0)), &plain)
	}
	if err != nil {
		if errors.As(err, new(*convert.OutputLimitError)) && plain.MaxOutput < heldLimit(opts, &callSettings{maxOutSet: true}) {
			// Not --max-output's default: say which bound it is.
			return nil, withCode(exitInput, fmt.Errorf("%w: -q and -r hold the whole JSON to select from, at most %d times the reply's bytes plus %d MiB", err, heldPerByte, heldBase>>20)).
				hint("raise --max-output to let them hold more, e.g. --max-output 2G")
		}
		return nil, err
	}
	return selectFrom(js, opts, s, query), nil
}

// heldCollect is the size of JSON held for -q and -r past which the
// memory its count used is collected before it is written.
const heldCollect = 16 << 20

// byteCounter counts the bytes written to it.
type byteCounter int

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

// badQuery says why path is no gjson path that -q can use, or "": gjson
// answers a malformed path (unbalanced brackets, an empty path, a
// dangling separator) as one with no value, null, and exit 0, which a
// script cannot tell from a value that is missing.
func badQuery(path string) string {
	if strings.TrimSpace(path) == "" {
		return "the path is empty"
	}
	var open []byte
	quoted := false
	for i := 0; i < len(path); i++ {
		switch ch := path[i]; {
		case ch == '\\':
			i++ // the next character is taken as it is
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == '[' || ch == '(' || ch == '{':
			open = append(open, ch)
		case ch == ']' || ch == ')' || ch == '}':
			want := map[byte]byte{']': '[', ')': '(', '}': '{'}[ch]
			if len(open) == 0 || open[len(open)-1] != want {
				return fmt.Sprintf("%q at %d closes nothing", ch, i)
			}
			open = open[:len(open)-1]
		}
	}
	switch {
	case quoted:
		return "a quote is not closed"
	case len(open) > 0:
		return fmt.Sprintf("%q is not closed", open[len(open)-1])
	case strings.HasSuffix(path, ".") && !strings.HasSuffix(path, "\\."), strings.HasSuffix(path, "|"):
		return "the path ends with a separator"
	}
	return ""
}

// selectFrom picks the -q path from the compact JSON js and returns
// that part, a newline after it, with the layout and colours of opts (or
// raw with -r: a string as its text, an array of strings one a line).
func selectFrom(js []byte, opts *convert.Options, s *callSettings, query bool) []byte {
	res := gjson.ParseBytes(js)
	if s.querySet && query {
		res = res.Get(s.query)
		if !res.Exists() {
			return []byte("null\n")
		}
	}
	if s.raw {
		if text, ok := rawText(res, s.rawTerminal, s.lineEach || s.batch != ""); ok {
			return text
		}
	}
	return append(convert.Layout([]byte(res.Raw), opts), '\n')
}

// maxNearHints bounds the "did you mean" hints of a --batch run, one per
// call of an unknown name near a known one.
const maxNearHints = 5

// printBatch prints one line per call and returns the error for the
// exit status: 3 if a call got no reply, else 1 if one failed.
// --max-output (or its default, 1000 times the reply) bounds the lines
// together: each line had the whole bound to itself, so a hostile
// gateway's answers to a batch of K calls printed K times as much (one
// 12 KB body of a 2 KiB string named 4,000 times is 8 MB of JSON, and it
// may answer each call so).
func printBatch(c *cli.Context, out *output, opts *convert.Options, s *callSettings, results []client.Result) error {
	faults, missing := 0, 0
	var near []string // "did you mean" for the calls of unknown names
	limit := opts.MaxOutput
	if limit <= 0 {
		limit = 1 << 30 // convert's default
	}
	lineOpts := *opts
	w := &countingWriter{w: out}
	// A warning of the JSON (strings not UTF-8, a cycle) is given once
	// for the batch, naming the call of its first, and how many more
	// calls' lines had the same (one a line made 100 warnings of 100
	// calls of a Latin-1 gateway).
	warns := batchWarnings{warn: opts.Warn}
	for _, r := range results {
		lineOpts.Warn = warns.forCall(r)
		line := &amf.Object{Members: []amf.Member{{Name: "target", Value: r.Call.Target}}}
		var f *client.Fault
		switch {
		case r.Err == nil:
			line.Members = append(line.Members, amf.Member{Name: "result", Value: r.Value})
		case errors.As(r.Err, &f):
			faults++
			line.Members = append(line.Members, amf.Member{Name: "fault", Value: amf.Unwrap(f.Value)})
			infof(c, "%s (%s): %s", r.Call.Target, r.Response, f.Error())
			if f.IsNotFound() || isMethodNotFound(f) {
				if n := nearTarget(s.gateway, r.Call.Target); n != "" {
					near = append(near, fmt.Sprintf("%s (%s): did you mean %s? (amfcall list found it at this gateway)", oneLineText(r.Call.Target), r.Response, oneLineText(n)))
				}
			}
		default:
			missing++
			line.Members = append(line.Members, amf.Member{Name: "error", Value: r.Err.Error()})
			infof(c, "%s (%s): %v", r.Call.Target, r.Response, r.Err)
		}
		if lineOpts.MaxOutput = limit - w.n; lineOpts.MaxOutput <= 0 {
			return outputLimit(opts, limit)
		}
		client.ShareAnonymousTraits(line) // -x: no "inline" traits for a Flex result's objects
		if err := printCallValue(w, &lineOpts, s, line, true); err != nil {
			if errors.As(err, new(*convert.OutputLimitError)) {
				return outputLimit(opts, limit)
			}
			return err
		}
	}
	warns.summary()
	switch {
	case missing > 0:
		err := withCode(exitNetwork, fmt.Errorf("%d of %d calls got no reply", missing, len(results))).
			hint("see the reply with -v")
		if f := stoppedAt(results); f != nil {
			err = err.hint(fmt.Sprintf("the gateway answered no call after the fault of %s (%s): some gateways stop a batch at its first fault; send the calls after it in a batch of their own",
				oneLineText(f.Call.Target), f.Response))
		}
		return err
	case faults > 0:
		err := withCode(exitFault, fmt.Errorf("%d of %d calls answered with a fault", faults, len(results)))
		if len(results) == 1 {
			err = withCode(exitFault, errors.New("the call was answered with a fault")) // not "1 of 1 calls"
		}
		for i, h := range near {
			if i == maxNearHints {
				err = err.hint(fmt.Sprintf("and %d more calls of names near those amfcall list found", len(near)-i))
				break
			}
			err = err.hint(h)
		}
		return err
	}
	return nil
}

// stoppedAt is the call answered with a fault after which no call got
// an answer, when calls before it all did and one after it did not:
// the gateway stopped the batch there. Nil otherwise.
func stoppedAt(results []client.Result) *client.Result {
	last := -1
	for i, r := range results {
		if !errors.Is(r.Err, client.ErrNoReply) {
			if last != i-1 {
				return nil // an answer after a call without one
			}
			last = i
		}
	}
	if last < 0 || last == len(results)-1 {
		return nil
	}
	var f *client.Fault
	if !errors.As(results[last].Err, &f) {
		return nil
	}
	return &results[last]
}

// batchWarnings gives the warnings of a batch's lines once each.
type batchWarnings struct {
	warn  func(string)
	lines int // the lines given a Warn so far
	kinds map[string]*batchWarning
	order []*batchWarning
}

// batchWarning is a kind of warning of a batch's lines: the calls after
// the first that had it.
type batchWarning struct {
	first string // the call of the first line that had it
	line  int    // that line's number (batchWarnings.lines)
	last  int    // the line last counted in more
	more  int
	calls []string // the first few of the others
}

// warnShape is what a warning says, its numbers and quoted parts (paths,
// counts) left out.
var warnShape = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|[0-9]+`)

// forCall is the Warn of call r's line.
func (b *batchWarnings) forCall(r client.Result) func(string) {
	if b.warn == nil {
		return nil
	}
	b.lines++
	line := b.lines
	call := fmt.Sprintf("%s (%s)", oneLineText(r.Call.Target), r.Response)
	return func(msg string) {
		k := warnShape.ReplaceAllString(msg, "#")
		if w := b.kinds[k]; w != nil {
			switch {
			case w.line == line:
				// The same call's line again, of another path (two
				// cycles in one result): said as it was before
				// batches were summed, not counted as another call.
				b.warn(call + ": " + msg)
			case w.last != line:
				w.last = line
				w.more++
				if len(w.calls) < 3 {
					w.calls = append(w.calls, call)
				}
			}
			return
		}
		if b.kinds == nil {
			b.kinds = map[string]*batchWarning{}
		}
		w := &batchWarning{first: call, line: line, last: line}
		b.kinds[k] = w
		b.order = append(b.order, w)
		b.warn(w.first + ": " + msg)
	}
}

// summary says, of each kind of warning, how many more calls had it.
func (b *batchWarnings) summary() {
	for _, w := range b.order {
		if w.more == 0 {
			continue
		}
		list := strings.Join(w.calls, ", ")
		if w.more > len(w.calls) {
			list += fmt.Sprintf(" and %d more", w.more-len(w.calls))
		}
		calls := "calls"
		if w.more == 1 {
			calls = "call"
		}
		b.warn(fmt.Sprintf("the warning of %s holds for %d more %s too: %s", w.first, w.more, calls, list))
	}
}

// outputLimit is the error of output that passed limit, in the form of
// opts (typed or plain).
func outputLimit(opts *convert.Options, limit int64) error {
	if opts.Typed {
		return &convert.TypedOutputLimitError{OutputLimitError: convert.OutputLimitError{Limit: limit}}
	}
	return &convert.OutputLimitError{Limit: limit}
}

// saveResponse writes the reply's bytes to --save-response's file when
// the reply came back whole: the call succeeded, answered with a fault,
// or failed after the body was read to its end (not AMF, an HTTP error
// status with a short body, no body). A reply cut short (a timeout, a
// lost connection, a reply over --max-response-size, a refused reply of
// which only the start was kept) leaves the file as it was, and a
// warning says so: a partial reply must not replace what the file held.
func saveResponse(c *cli.Context, s *callSettings, trace *client.TraceHandler, err error) error {
	if s.saveResp == "" || !trace.GotReply {
		return nil
	}
	if !replyWhole(err, trace.ResponseBody) {
		state := "left as it was"
		if _, serr := os.Lstat(s.saveResp); serr != nil {
			state = "not written"
		}
		warnf(c, "--save-response %s %s: the reply was not received whole (%d bytes of it were read)", s.saveResp, state, len(trace.ResponseBody))
		return nil
	}
	return saveFile(c, "--save-response", s.saveResp, trace.ResponseBody)
}

// replyWhole reports whether body, the reply the trace kept of an
// exchange that ended with err, is the whole reply body.
func replyWhole(err error, body []byte) bool {
	var httpErr *client.HTTPError
	if !errors.As(err, &httpErr) {
		// Success, a fault, or a DecodeError: the body was read whole.
		return true
	}
	switch {
	case errors.Is(httpErr, client.ErrStatus), errors.Is(httpErr, client.ErrContentType):
		// The client keeps the first 4 KiB of a refused reply.
		return len(body) < refusedKept
	case errors.Is(httpErr, client.ErrEmptyBody), errors.Is(httpErr, client.ErrNoReply):
		return true
	}
	return false // a timeout, a broken connection, too large
}

// refusedKept is how much of a refused reply (an HTTP error status,
// another content type) the client keeps (client.ResponseEvent.Body).
const refusedKept = 4096

// staleNumbered warns of the numbered --save-request files beside FILE
// (req.1.amf, req.2.amf: the requests of a Flex call before its last)
// that this run did not write: an earlier run that sent more requests
// left them, and they were taken for this run's. They are not removed,
// as curl and wget remove no file they did not write: the warning names
// them and how to remove them. kept is the Flex call's requests (nil:
// one request was sent).
func staleNumbered(c *cli.Context, s *callSettings, kept *flexRequests) {
	if !numberedBeside(c, s.saveReq) {
		return
	}
	wrote := 0
	if kept != nil && len(kept.bodies) > 1 {
		wrote = len(kept.bodies) - 1
	}
	var stale []string
	for n := wrote + 1; n <= maxKeptRequests+1; n++ {
		name := numberedName(s.saveReq, n)
		if savedByOther(s, name) != "" {
			continue // --save-response or --session of this run
		}
		if st, err := os.Lstat(name); err == nil && st.Mode().IsRegular() {
			stale = append(stale, name)
		}
	}
	if len(stale) == 0 {
		return
	}
	words := make([]string, len(stale))
	rm := "rm"
	for i, n := range stale {
		words[i] = shellWord(n)
		if strings.HasPrefix(n, "-") {
			rm = "rm --" // a name rm would take for an option
		}
	}
	what, it := stale[0], "it"
	if len(stale) > 1 {
		what, it = strings.Join(stale, ", "), "them"
	}
	sent := fmt.Sprintf("this run saved its request as %s", s.saveReq)
	switch {
	case wrote == 1:
		sent = fmt.Sprintf("this run saved its 2 requests as %s and %s", numberedName(s.saveReq, 1), s.saveReq)
	case wrote > 1:
		sent = fmt.Sprintf("this run saved its %d requests as %s to %s and %s", wrote+1, numberedName(s.saveReq, 1), numberedName(s.saveReq, wrote), s.saveReq)
	}
	warnf(c, "--save-request: %s, beside %s, not written by this run (an earlier one's?): %s; kept: remove %s (%s %s) so as not to take %s for this run's",
		what, s.saveReq, sent, it, rm, strings.Join(words, " "), it)
}

// saveFile writes the bytes of flag (--save-request, --save-response)
// atomically.
func saveFile(c *cli.Context, flag, path string, data []byte) error {
	out, err := createOutputFor(c, flag, path, false)
	if err != nil {
		return err
	}
	defer out.abort()
	if _, err := out.Write(data); err != nil {
		return out.failed(err) // a full disk: exit 2, naming the file, which is as it was
	}
	if err := out.commit(); err != nil {
		return err
	}
	if verbosity(c) > 0 {
		// -v says what each step did; the bytes saved are the ones
		// -v showed as JSON.
		infof(c, "%s: %s written to %s", flag, plural(len(data), "byte"), path)
	}
	return nil
}

// saveSession writes the session file atomically, readable by its owner
// only (it holds cookies and may hold credentials).
//
// The file is read again first: when another command (a subscribe left
// running in another shell, a login there) wrote it since this one read
// it, what this run did not change is kept as the other wrote it, and a
// warning says so (client.MergeSession). Before, the last command to end
// wrote back only what it knew, and a login made meanwhile was lost.
func saveSession(c *cli.Context, cl *client.Client, path string) error {
	// Read, merge and write under the session file's lock (rvflex7).
	if unlock, err := client.LockSessionFile(path); err == nil {
		defer unlock()
	} else if errors.Is(err, client.ErrSessionLocked) {
		warnf(c, "--session %s: written without its lock (%v)", path, err)
	}
	disk, rerr := readSmallFile(c, "--session", path)
	if rerr != nil {
		disk = nil // missing, or unreadable: written as before
	}
	data, merged, clashes, err := cl.SaveSessionOver(disk)
	if err != nil {
		return err
	}
	if merged {
		msg := "--session " + path + " was changed by another command while this one ran: what this one did not change is kept as the other wrote it"
		if len(clashes) > 0 {
			msg += "; both changed " + strings.Join(clashes, ", ") + ": this one's is kept"
		}
		warnf(c, "%s", msg)
	}
	f, err := createAtomic(path, 0o600)
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("--session %s: %w", path, unwrapPath(err))).
			hint(createHint(err))
	}
	defer f.Cleanup()
	_, werr := f.Write(append(data, '\n'))
	if err := errors.Join(werr, f.Chmod(0o600), f.CloseAtomicallyReplace()); err != nil {
		return inUseHint(withCode(exitUsage, fmt.Errorf("--session %s: %w", path, unwrapPath(err))), err, path)
	}
	return nil
}

// newTrace makes the trace handler of a command: -v and -vv on stderr,
// indented and coloured when stderr is a terminal, warnings as
// "amfcall: warning:" lines.
func newTrace(c *cli.Context, level int) *client.TraceHandler {
	e := envOf(c)
	t := &client.TraceHandler{Out: e.stderr, VerbosityLevel: level, Warn: func(n client.Notice) { warnf(c, "%s", noticeText(n)) }}
	if e.isTerminal(e.stderr) {
		t.JSON.Indent = "  "
	}
	if e.colorOn(colorMode(c), e.stderr) {
		t.JSON.Palette = convert.DefaultPalette
	}
	return t
}

// noticeText is a client notice with the flag that bears on it: the
// client knows its settings, not the flags that set them.
func noticeText(n client.Notice) string {
	switch n.Kind {
	case client.NoticePollHeld:
		return n.Msg + " (--timeout)"
	}
	return n.Msg
}

// checkSavesNotInputs refuses --save-request and --save-response naming
// a file the call reads (-d @FILE, --packet, --from-har, --batch, the
// --session file, or standard input's file) or each other: the saved
// bytes would replace what the user gave, or one save the other.
func checkSavesNotInputs(e *runEnv, s *callSettings) error {
	type file struct{ flag, path string }
	var ins []file
	if s.dataSet && (s.data == "-" || strings.HasPrefix(s.data, "@")) {
		ins = append(ins, file{"-d", strings.TrimPrefix(s.data, "@")})
	}
	if s.fromHAR != "" {
		if name, _, err := parseHARSpec(s.fromHAR); err == nil {
			ins = append(ins, file{"--from-har", name})
		}
	}
	ins = append(ins, file{"--packet", s.packet}, file{"--batch", s.batch}, file{"--session", s.session})
	saves := []file{{"--save-request", s.saveReq}, {"--save-response", s.saveResp}}
	for i, out := range saves {
		if out.path == "" {
			continue
		}
		for _, in := range ins {
			if in.path == "" {
				continue
			}
			// The session file may not exist yet; it is written at the end.
			if e.sameFile(in.path, out.path) || in.flag == "--session" && samePath(in.path, out.path) {
				what := in.path
				if what == "-" {
					what = "standard input's file"
				}
				return usageErrorf("%s %s is the file %s reads (%s): saving would replace it", out.flag, out.path, in.flag, what).
					hint("save to another file")
			}
		}
		if i == 1 && saves[0].path != "" && samePath(saves[0].path, out.path) {
			return usageErrorf("--save-request and --save-response name the same file %s: the response would replace the request", out.path).
				hint("give each its own file")
		}
	}
	return nil
}

// samePath reports whether a and b name one file, whether or not it
// exists yet.
func samePath(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, errA := filepath.Abs(a)
	ab, errB := filepath.Abs(b)
	return errA == nil && errB == nil && aa == ab
}

// checkInputSize refuses, from its size alone before a byte is read, a
// regular file over maxInput (1 GiB) that a command would read whole
// (-d @FILE, an @FILE argument, --packet, --batch, --from-har, --session,
// --cacert): exit 4, the input is unusable as it is, naming the file and
// the limit. upload streams its FILE and never comes here.
func checkInputSize(what, name string, st fs.FileInfo) error {
	if !st.Mode().IsRegular() || st.Size() <= maxInput {
		return nil
	}
	prefix := ""
	if what != "" {
		prefix = what + ": "
	}
	err := withCode(exitInput, fmt.Errorf("%s%s is %d bytes, over the limit of %d bytes (1 GiB) for an input read whole into memory",
		prefix, name, st.Size(), int64(maxInput)))
	// No "use upload" hint: upload streams a file, but as one ByteArray,
	// at most 256 MiB - 1, far less than this.
	return err
}

// persistentHeaders names the AMF headers the gateway asked the client
// to send from now on (RequestPersistentHeader), read from its session.
func persistentHeaders(cl *client.Client) []string {
	data, err := cl.SaveSession()
	if err != nil {
		return nil
	}
	var sf struct {
		Headers []struct {
			Name string `json:"name"`
		} `json:"headers"`
	}
	if json.Unmarshal(data, &sf) != nil {
		return nil
	}
	var names []string
	for _, h := range sf.Headers {
		names = append(names, fmt.Sprintf("%q", h.Name))
	}
	return names
}

// sessionWrittenBack refuses, for a command that writes --session's file
// back at its end (call, the Flex commands), a device, FIFO or socket:
// --session /dev/null read as empty, and the session written back
// replaced the device with a regular file (as root: /dev/null itself); a
// FIFO blocked the read. bench only reads the file, so it takes a
// session from a pipe (--session <(ssh host cat s.json), /dev/stdin).
func sessionWrittenBack(name string) error {
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		return usageErrorf("--session %s: %s, not a regular file: the session is read from it at the start and written back at the end, which would replace it", name, fileKind(st.Mode())).
			hint("give a file name, e.g. --session s.json (leave --session out to keep no session); nothing was sent")
	}
	return nil
}

// readSessionFile reads --session's file for call, bench and the Flex
// commands: nil data and no error when the file does not exist yet (each
// command says what that means), a usage error when it cannot be read,
// and the size error of readSmallFile.
func readSessionFile(c *cli.Context, name string) ([]byte, error) {
	if err := atomicfile.CheckShared(name); err != nil {
		// Another user's file (or link) in /tmp: its cookies and
		// headers would be used as ours (a session fixed for us).
		return nil, withCode(exitUsage, fmt.Errorf("--session %s: %w", name, unwrapPath(err))).hint(createHint(err))
	}
	data, err := readSmallFile(c, "--session", name)
	var big *exitError
	switch {
	case errors.As(err, &big):
		return nil, err
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		ee := withCode(exitUsage, fmt.Errorf("--session %s: %w", name, unwrapPath(err)))
		if h := permissionHint(err); h != "" {
			ee.hint(h)
		}
		return nil, ee
	case len(bytes.TrimSpace(trimBOM(data))) == 0:
		// An empty file (S=$(mktemp), as for curl's cookie jar) is a
		// new session, as a missing one is: not a malformed session.
		return []byte{}, nil
	}
	return trimBOM(data), nil
}

// readSmallFile is os.ReadFile for a file a flag names (--session,
// --cacert), with checkInputSize's refusal of a file over 1 GiB before
// reading it. The other errors are os.ReadFile's.
func readSmallFile(c *cli.Context, what, name string) ([]byte, error) {
	if st, err := os.Stat(name); err == nil {
		if err := checkInputSize(what, name, st); err != nil {
			return nil, err
		}
	}
	return os.ReadFile(name)
}

// readAMFHeaders reads --amf-header NAME=JSON (and --must-understand),
// for call and bench.
func readAMFHeaders(c *cli.Context) ([]amf.Header, error) {
	mu := c.Bool("must-understand")
	hs := repeated(c, "amf-header")
	if mu && len(hs) == 0 {
		return nil, usageErrorf("--must-understand needs --amf-header")
	}
	var out []amf.Header
	for i, h := range hs {
		name, text, ok := strings.Cut(h, "=")
		if !ok || name == "" {
			return nil, usageErrorf("--amf-header %q: want NAME=JSON", h).hint(`for example --amf-header 'Token="abc"'`)
		}
		// Written through the switch with --amf3 or --flex: AMF3 drops a date's "$tz".
		ver := amf.AMF0
		if c.Bool("amf3") || c.Bool("flex") || c.IsSet("destination") {
			ver = amf.AMF3
		}
		text = string(trimBOM([]byte(text))) // "$(cat v.json)" keeps its BOM
		v, err := convert.FromJSONWarnIn([]byte(text), ver, func(m string) { warnf(c, "--amf-header %s: %s", name, m) })
		if err != nil {
			return nil, jsonHint(fmt.Errorf("--amf-header %s: %w", name, err), text)
		}
		if err := valueEncodes(v, ver, true, []byte(text)); err != nil {
			return nil, fmt.Errorf("--amf-header %s: %w", name, err)
		}
		if len(name) > 0xFFFF {
			// The packet's encoder would name "/headers/N/name" alone.
			// N is where the client puts it: after -u's Credentials
			// (not a header with --flex or --destination), after the
			// names before it (one given again takes its first place).
			at := 0
			if c.IsSet("user") && !c.Bool("flex") && !c.IsSet("destination") {
				at++
			}
			for j, h := range out {
				if !slices.ContainsFunc(out[:j], func(o amf.Header) bool { return o.Name == h.Name }) {
					at++
				}
			}
			_, err := amf.MarshalPacket(&amf.Packet{Headers: append(make([]amf.Header, at), amf.Header{Name: name})})
			return nil, fmt.Errorf("--amf-header %d (its NAME, %d bytes): %w", i+1, len(name), err)
		}
		out = append(out, amf.Header{Name: name, MustUnderstand: mu, Value: v})
	}
	return out, nil
}

// valueEncodes checks that a value read from the JSON text is one AMF
// can write in ver (with inPacket, in an AMF0 packet: AMF3 through the
// switch, as the client writes it, and the error says amf0 as the
// packet's encoder would):
// one that is not (an empty member name in AMF3, a name over 65535 bytes)
// is said here, with its line and column in text, where the encoder of
// the packet or frame would name only its path there. For values written
// inside something whose encoder's path commands cannot follow back to
// the text (--amf-header, socket params, a Flex message's body and
// headers); they are small, and encoding one twice costs little.
func valueEncodes(v any, ver amf.Version, inPacket bool, text []byte) error {
	if ver == amf.AMF3 && inPacket {
		v, ver = amf.AVMPlus{Value: v}, amf.AMF0
	}
	err := amf.NewEncoder(io.Discard, ver).Encode(v)
	var ee *amf.EncodeError
	if errors.As(err, &ee) {
		return convert.EncodeErrorAt(ee, text, 0, ee.Segs)
	}
	return err
}

// callFlags returns call's own flags of those names, for a command that
// has them too (bench): one definition, the same help.
func callFlags(names ...string) []cli.Flag {
	return pickFlags(callCommand.Flags, names...)
}

// withUsage returns a copy of the string or bool flag f with another help
// text, for a command that shares the flag but not all its help says.
func withUsage(f cli.Flag, usage string) cli.Flag {
	if bf, ok := f.(*cli.BoolFlag); ok {
		c := *bf
		c.Usage = usage
		return &c
	}
	sf := *f.(*cli.StringFlag)
	sf.Usage = usage
	return &sf
}

// checkStdinSize is checkInputSize for stdin when it is a regular file
// ("< FILE"): what is left of it from where it stands.
func checkStdinSize(e *runEnv, what string) error {
	f, ok := e.stdin.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() <= maxInput {
		return nil
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil || st.Size()-off <= maxInput {
		return nil
	}
	return checkInputSize(what, "stdin", sizedInfo{st, st.Size() - off})
}

// sizedInfo is a FileInfo with another size.
type sizedInfo struct {
	fs.FileInfo
	size int64
}

func (s sizedInfo) Size() int64 { return s.size }

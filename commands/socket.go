package commands

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/client/socket"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textcut"
)

var socketCommand = &cli.Command{
	Name:      "socket",
	Usage:     "call commands on an AMF Socket server (RPC over one TCP connection) and watch what it pushes",
	UsageText: "amfcall socket COMMAND [command options] [ARG...] (COMMAND is call or listen)",
	Description: `AMF Socket (amf_socket, amf_socket_ruby) is RPC between a Flash program and
a server over one TCP connection: length-prefixed AMF3 frames carrying
requests, responses and one-way messages, in both directions. The server
pings every few seconds; amfcall answers the pings while it waits.

Try it with nothing else installed:

  amfcall serve --socket 127.0.0.1:9001          # in one terminal
  amfcall socket call 127.0.0.1:9001 add '{"a": 2, "b": 3}'
  amfcall socket listen 127.0.0.1:9001 --send 'push={"count": 3}' --count 3`,
	Subcommands: []*cli.Command{socketCallCommand, socketListenCommand},
	Action:      runSocket,
}

// runSocket runs when no subcommand (or an unknown one) was named.
func runSocket(c *cli.Context) error {
	if c.Args().First() == "help" {
		// "socket help call", as git and go take it: what "amfcall
		// help socket call" gives.
		return c.App.RunContext(c.Context, append([]string{c.App.Name, "help", "socket"}, c.Args().Tail()...))
	}
	if c.NArg() > 0 {
		return usageErrorf("unknown socket command %q", c.Args().First()).
			hint(`use "amfcall socket call" or "amfcall socket listen"`)
	}
	// The help goes to stderr: stdout is for data.
	w := c.App.Writer
	c.App.Writer = c.App.ErrWriter
	_ = cli.ShowSubcommandHelp(c)
	c.App.Writer = w
	return usageErrorf("missing socket command").hint(`use "amfcall socket call" or "amfcall socket listen"`)
}

var socketCallCommand = &cli.Command{
	Name:      "call",
	Usage:     "send requests and print their results",
	ArgsUsage: "HOST:PORT [COMMAND [PARAMS]]",
	Description: `Connects to HOST:PORT, sends the request COMMAND with PARAMS (a JSON object,
default {}), answers the server's pings while it waits, prints the result
as JSON and exits. HOST:PORT may be written socket://HOST:PORT, as
"amfcall bench" takes it.

With several --call COMMAND=JSON (and no COMMAND argument) the requests go
out together over one connection, and the results print one JSON line each,
in the order of the --call flags, whatever order the server answers in.

Messages the server pushes while the requests wait show on stderr, one
line each: push: COMMAND: JSON (-q hides them; "socket listen" prints them
on stdout).

The server may send requests of its own: --answer COMMAND=JSON gives the
result for COMMAND; any other request is answered with the conventional
error result {"error": {"code": "unanswered", ...}} and a warning on
stderr. The protocol has no error reply, so a result is always exit 0.

Exit status: 0 the results are printed; 2 usage; 3 refused, disconnected
or no answer in time (--timeout, --idle-timeout); 4 a frame that is too
large (--max-frame) or does not decode, a result whose JSON passes
--max-output (written as it is rendered, it stops there), or PARAMS,
--call or --answer JSON that does not parse.

Examples:

  amfcall socket call 127.0.0.1:9001 echo '{"hello": "world"}'
  amfcall socket call 127.0.0.1:9001 --call 'sleep={"ms": 300}' --call 'add={"a": 1, "b": 2}'
  amfcall socket call 127.0.0.1:9001 ask --answer 'question="Brian"'
  amfcall socket call -v 127.0.0.1:9001 add '{"a": 1, "b": 2}'    # each frame on stderr`,
	Flags: append([]cli.Flag{
		&repeatFlag{cli.StringFlag{Name: "call", Category: catInput,
			Usage: "send the request `COMMAND=JSON` (JSON an object; COMMAND alone sends {}); repeat for several over one connection"}},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Category: catOutput, DisableDefaultText: true,
			Usage: `do not show the messages the server pushes while the requests wait ("push: COMMAND: JSON" lines on stderr)`},
	}, socketFlags()...),
	Action: runSocketCall,
}

var socketListenCommand = &cli.Command{
	Name:      "listen",
	Usage:     "stay connected and print what the server pushes",
	ArgsUsage: "HOST:PORT",
	Description: `Connects to HOST:PORT (or socket://HOST:PORT, as "amfcall bench" takes it),
sends the --send requests and --message messages, and prints every frame
the server pushes as one JSON line as it arrives: its one-way messages,
its own requests and the responses to --send. It answers pings, and the
server's requests as --answer says, until Ctrl-C, --count N messages
(responses, requests and pings are not counted), --for DURATION, or the
server closing the connection.

Each line is the frame's RPC object as sent, for example
  {"message":{"command":"tick","messageId":"...","params":{"n":1}},"type":"rpcMessage"}

Exit status: 0 when stopped by --count, --for or Ctrl-C (130, 143 for SIGTERM,
when interrupted before it connected); 2 usage; 3 refused,
disconnected by the server, or no response to a --send in time; 4 a frame
that is too large (--max-frame) or does not decode, a frame whose JSON
passes --max-output (its line is cut there, and listening stops), or
--send or --answer JSON that does not parse.

Examples:

  amfcall socket listen 127.0.0.1:9001 --send 'push={"count": 5, "interval": 1000}' --count 5
  amfcall socket listen 127.0.0.1:9001 --for 30s | jq -c .message.params`,
	Flags: append([]cli.Flag{
		&repeatFlag{cli.StringFlag{Name: "send", Category: catInput,
			Usage: "send the request `COMMAND=JSON` once connected, and print its response; repeatable"}},
		&cli.IntFlag{Name: "count", Aliases: []string{"n"}, Category: catMisc,
			Usage: "stop after `N` messages pushed by the server"},
		&cli.StringFlag{Name: "for", Category: catMisc,
			Usage: "stop after `DURATION` (30s, 2m, or seconds)"},
	}, lineJSONFlags(socketFlags())...),
	Action: runSocketListen,
}

func socketFlags() []cli.Flag {
	return append([]cli.Flag{
		&repeatFlag{cli.StringFlag{Name: "answer", Category: catInput,
			Usage: "answer the server's request COMMAND with the result JSON, given as `COMMAND=JSON`; repeatable"}},
		&repeatFlag{cli.StringFlag{Name: "message", Category: catInput,
			Usage: "send the one-way message `COMMAND=JSON` once connected; repeatable"}},
		&cli.StringFlag{Name: "timeout", Value: "30s", Category: catMisc,
			Usage: "wait at most `DURATION` for each response, and for the connection (at most 10 s for that); 0 is no limit on the responses"},
		&cli.StringFlag{Name: "idle-timeout", Value: "15s", Category: catMisc,
			Usage: "give up when the server sends nothing for `DURATION` (servers ping every 5 s); 0 waits for ever"},
		&cli.StringFlag{Name: "max-frame", Value: "64M", Category: catMisc,
			Usage: "refuse a frame larger than `SIZE` bytes (K, M, G suffixes; at most 4G, the frame length limit), checked before reading it, or whose values would take more than 8 times that once decoded"},
		verboseFlag("show each frame on stderr as typed JSON with its direction; -vv adds timings"),
	}, socketJSONFlags()...)
}

// socketJSONFlags are the JSON flags, with the default of --max-output
// said as these commands scale it: by the frame being written.
func socketJSONFlags() []cli.Flag {
	flags := jsonFlags()
	for i, f := range flags {
		if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "max-output" {
			cp := *sf
			cp.DefaultText = "1000 times the frame, at most 1G"
			flags[i] = &cp
		}
	}
	return flags
}

// frameOutput is the JSON options for a frame of size bytes: --max-output
// when given, else 1000 times the frame's bytes, at most 1 GiB, as call
// bounds the JSON of a reply by the reply's size.
func (s *socketSettings) frameOutput(size int) *convert.Options {
	if s.maxOutSet || size <= 0 {
		return s.jsonOpt
	}
	o := *s.jsonOpt
	o.MaxOutput = min(1<<30, 1000*int64(size))
	return &o
}

// lineJSONFlags is flags with --pretty and --compact said as they work for
// a command that writes one JSON document a line (subscribe, socket
// listen): compact even on a terminal, unless --pretty.
func lineJSONFlags(flags []cli.Flag) []cli.Flag {
	out := make([]cli.Flag, len(flags))
	for i, f := range flags {
		out[i] = f
		if bf, ok := f.(*cli.BoolFlag); ok && (bf.Name == "pretty" || bf.Name == "compact") {
			cp := *bf
			cp.Usage = "indent each JSON document (they are one a line otherwise, on a terminal too)"
			if bf.Name == "compact" {
				cp.Usage = "write each JSON document on one line (the default)"
			}
			out[i] = &cp
		}
	}
	return out
}

// socketRPC is one COMMAND=JSON.
type socketRPC struct {
	command string
	params  any
}

// parseRPCFlag reads COMMAND=JSON. With object set, JSON must be an
// object and COMMAND alone means {}.
func parseRPCFlag(c *cli.Context, flag, s string, object bool) (socketRPC, error) {
	cmd, text, hasJSON := strings.Cut(s, "=")
	cmd = strings.TrimSpace(cmd)
	if cmd == "" {
		return socketRPC{}, usageErrorf("--%s %q: missing COMMAND", flag, s).hint(fmt.Sprintf(`write --%s 'COMMAND={"key": "value"}'`, flag))
	}
	if !hasJSON {
		if !object {
			return socketRPC{}, usageErrorf("--%s %q: missing =JSON", flag, s).hint(fmt.Sprintf(`write --%s '%s="the result"'`, flag, cmd))
		}
		return socketRPC{command: cmd, params: &amf.Object{}}, nil
	}
	v, err := socketJSON(c, "--"+flag+" "+cmd, text, object)
	if err != nil {
		return socketRPC{}, err
	}
	return socketRPC{command: cmd, params: v}, nil
}

// socketJSON reads a JSON value; with object set it must be an object,
// since servers drop the connection on anything else as params.
func socketJSON(c *cli.Context, what, text string, object bool) (any, error) {
	v, err := convert.FromJSONWarnIn([]byte(text), amf.AMF3, func(m string) { warnf(c, "%s: %s", what, m) })
	if err != nil {
		// Malformed JSON is malformed input (exit 4), as call's ARGs are.
		return nil, withCode(exitInput, fmt.Errorf("%s: %w", what, err)).hint(`give JSON, such as '{"a": 1}' (quote it for the shell)`)
	}
	if err := valueEncodes(v, amf.AMF3, false, []byte(text)); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err) // its line and column
	}
	if o, ok := v.(*amf.Object); object && (!ok || o.Traits != nil && o.Traits.Externalizable) {
		return nil, usageErrorf("%s: params must be a JSON object, not %s", what, strings.TrimSpace(textcut.Cut(text, 30))).
			hint(`servers drop the connection on other params; wrap the value, e.g. '{"value": 5}'`)
	}
	return v, nil
}

// socketSettings are the flags shared by call and listen.
type socketSettings struct {
	addr     string
	answers  map[string]any
	messages []socketRPC
	timeout  time.Duration
	opt      socket.Options
	jsonOpt  *convert.Options
	// maxOutSet: --max-output was given; else a frame's JSON is bounded
	// by the frame's size (frameOutput).
	maxOutSet bool
	trace     *socketTrace
	// sendsNothing: the command sends the server no frame of its own
	// (socket listen with no --send or --message), so a server that
	// closes without a byte did not close on bytes it could not read;
	// connected is when the connection was made.
	sendsNothing bool
	connected    time.Time
}

func readSocketFlags(c *cli.Context) (*socketSettings, error) {
	// socket://HOST:PORT is HOST:PORT, as bench takes an AMF Socket
	// server: one spelling works everywhere.
	s := &socketSettings{addr: socketAddr(c.Args().First()), answers: map[string]any{}}
	if host, port, err := net.SplitHostPort(s.addr); err != nil || host == "" || !validPort(port) || port == "0" {
		if err := flagTookArgument(c, "HOST:PORT"); err != nil {
			return nil, err
		}
		e := usageErrorf("invalid address %q: want HOST:PORT", c.Args().First())
		if u, err := url.Parse(c.Args().First()); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Port() != "" {
			// An http:// URL where HOST:PORT is meant: the command
			// with the address so written, to paste.
			return nil, e.hint("for an AMF Socket server at " + u.Host + ", write: " +
				commandLine(c, []string{"amfcall", "socket", c.Command.Name}, nil, u.Host, c.Args().Tail(), ""))
		}
		return nil, e.hint("for example 127.0.0.1:9001")
	}
	for _, a := range repeated(c, "answer") {
		r, err := parseRPCFlag(c, "answer", a, false)
		if err != nil {
			return nil, err
		}
		s.answers[r.command] = r.params
	}
	for _, m := range repeated(c, "message") {
		r, err := parseRPCFlag(c, "message", m, true)
		if err != nil {
			return nil, err
		}
		s.messages = append(s.messages, r)
	}
	var err error
	if s.timeout, err = parseDuration(c.String("timeout")); err != nil {
		return nil, usageErrorf("invalid --timeout %q", c.String("timeout")).hint("give a duration such as 30s, 2m or 500ms, or 0 for no limit")
	}
	// 0 is no limit on the responses, as call's --timeout 0; connecting
	// still takes at most 10 s, and --idle-timeout still ends a silent
	// server.
	s.opt.DialTimeout = 10 * time.Second
	if s.timeout > 0 {
		s.opt.DialTimeout = min(s.timeout, 10*time.Second)
	}
	idle, err := parseDuration(c.String("idle-timeout"))
	if err != nil {
		return nil, usageErrorf("invalid --idle-timeout %q", c.String("idle-timeout")).hint("give a duration such as 15s, or 0 for none")
	}
	s.opt.IdleTimeout = idle
	if idle == 0 {
		s.opt.IdleTimeout = -1
	}
	n, err := parseSize(c.String("max-frame"))
	if err != nil || n > 1<<32 {
		return nil, usageErrorf("invalid --max-frame %q", c.String("max-frame")).hint("give a size from 1 byte to 4G (the largest a frame's 4-byte length can say), such as 64M")
	}
	// 4G itself means every length the prefix can hold (4G less a byte).
	s.opt.MaxFrame = int(min(n, 1<<32-1, math.MaxInt))
	if s.jsonOpt, err = jsonOptions(c, &output{env: envOf(c)}, 0); err != nil {
		return nil, err
	}
	s.maxOutSet = c.String("max-output") != ""
	return s, nil
}

// responseWait is the context a wait for one response runs under:
// --timeout, or no limit for --timeout 0.
func (s *socketSettings) responseWait(ctx context.Context) (context.Context, context.CancelFunc) {
	if s.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.timeout)
}

// answer returns the handler of the server's requests.
func (s *socketSettings) answer() func(*socket.Request) {
	return func(req *socket.Request) {
		if v, ok := s.answers[req.Command]; ok {
			_ = req.Reply(v)
		}
	}
}

// socketTrace shows frames (-v, -vv) and notices on stderr.
type socketTrace struct {
	c     *cli.Context
	level int
	unans bool // a warning about an unanswered request was shown

	// The sizes of frames received, which bound their JSON
	// (frameOutput); the client reports them in its events only.
	mu sync.Mutex
	// responses holds the bytes of each response to a request of ours
	// by message ID, until responseSize takes it (pings' stay: one each
	// ping interval).
	responses map[string]int
	// lastIn is the bytes of the frame received last; the connection's
	// reader sets it before it hands the frame's RPC to OnReceive.
	lastIn int
}

// responseSize takes the size in bytes of the response frame to the
// request id; 0 when it is not known.
func (t *socketTrace) responseSize(id string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := t.responses[id]
	delete(t.responses, id)
	return n
}

// frameSize is the size in bytes of the frame received last.
func (t *socketTrace) frameSize() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lastIn
}

func (t *socketTrace) OnFrame(ev *socket.FrameEvent) {
	if ev.Dir == socket.In {
		t.mu.Lock()
		t.lastIn = ev.Size
		if ev.RPC != nil && ev.RPC.Kind == socket.KindResponse && ev.RoundTrip > 0 {
			if t.responses == nil {
				t.responses = map[string]int{}
			}
			t.responses[ev.RPC.MessageID] = ev.Size
		}
		t.mu.Unlock()
	}
	if t.level < 1 {
		return
	}
	e := envOf(t.c)
	o := &convert.Options{Typed: true}
	if e.colorOn(colorMode(t.c), e.stderr) {
		o.Palette = convert.DefaultPalette
	}
	dir := "<"
	if ev.Dir == socket.Out {
		dir = ">"
	}
	what := "frame"
	if ev.RPC != nil {
		what = ev.RPC.Kind.String()
		if ev.RPC.Command != "" {
			what += fmt.Sprintf(" %q", ev.RPC.Command)
		}
	}
	timing := ""
	if t.level >= 2 {
		timing = fmt.Sprintf(" at +%.3fs", ev.At.Seconds())
		if ev.RoundTrip > 0 {
			timing += fmt.Sprintf(", %.1f ms after the request", float64(ev.RoundTrip)/float64(time.Millisecond))
		}
	}
	// Typed JSON writes a string sent by reference at each use (a frame
	// of 1 MB can be 20 GB of it): the trace shows a frame in 16 times
	// its bytes and 16 MiB at most, as call's trace a packet.
	o.MaxOutput = min(16*int64(ev.Size)+16<<20, 1<<30)
	buf, err := convert.AppendValue(nil, ev.Value, o)
	if err != nil {
		buf = []byte(fmt.Sprintf("(cannot show it: %v)", err))
	}
	fmt.Fprintf(e.stderr, "%s %s, %d bytes%s: %s\n", dir, what, ev.Size, timing, buf)
}

func (t *socketTrace) OnNotice(n socket.Notice) {
	switch {
	case n.Warning:
		warnf(t.c, "%s", n.Msg)
		if n.Unanswered && !t.unans {
			t.unans = true
			infof(t.c, "hint: answer it with --answer COMMAND=JSON")
		}
	case t.level >= 1:
		fmt.Fprintf(envOf(t.c).stderr, "* %s\n", n.Msg)
	}
}

// socketErr gives the exit code of a socket failure, with hints.
func socketErr(err error, s *socketSettings) error {
	var (
		ne *socket.NetError
		te *socket.TimeoutError
		se *amf.FrameSizeError
		fe *amf.FrameError
	)
	switch {
	case errors.As(err, &ne) && ne.Op == "dial":
		e := withCode(exitNetwork, err)
		if connRefused(err) {
			e.hint("is the server running? try one with: amfcall serve --socket " + s.addr)
		}
		return e
	case errors.As(err, &ne) && ne.Unheard && s.sendsNothing && !s.connected.IsZero():
		// socket listen, told nothing to send, is left by a server
		// that stops or restarts before its first ping (5s): the hint
		// below (bytes it could not read, try another port) sent a
		// user who had listened fine to the wrong place.
		return withCode(exitNetwork, err).hint("the server closed the connection " + time.Since(s.connected).Round(time.Millisecond).String() +
			" after it was made, having sent nothing, and amfcall had sent it nothing (no --send, no --message): the server stopped or restarted, or it refused the connection (amfcall serve closes one past --socket-max-conns at once); listen again once it is back")
	case errors.As(err, &ne) && ne.Unheard:
		// A TLS port (Java's, Python's, openssl's) and many servers of
		// other protocols close on the first bytes they cannot read;
		// the error alone said only that the peer closed.
		return withCode(exitNetwork, err).hint("the server closed the connection without sending a byte: if " + s.addr +
			" is no AMF Socket server (a TLS or HTTP port closes on bytes it cannot read), check the port; if it is one, it may be at its connection limit (amfcall serve refuses past --socket-max-conns): try again later; -v shows each frame sent")
	case errors.As(err, &ne):
		// The server ended the connection after it had spoken: the error
		// said where, not what to do next.
		return withCode(exitNetwork, err).hint("the server ended the connection (it may have dropped it on a frame of ours, or stopped): run again with -v to see each frame sent and received up to then")
	case errors.As(err, &te):
		e := withCode(exitNetwork, err)
		switch te.Wait {
		case socket.WaitResponse:
			// The wait that ran out is --timeout, not the time the
			// scheduler happened to take (1.001s for 1s).
			te.After = s.timeout
			e.hint("wait longer with --timeout DURATION")
		case socket.WaitIdle:
			e.hint("wait longer with --idle-timeout DURATION (0 for ever)")
		case socket.WaitWrite:
			// Its answers to the server's pings and requests, or ours:
			// a server that sends and never reads.
			e.hint("the server stopped reading what amfcall sends (the answers to its pings and requests, the requests); it may be stuck or overloaded: try again later, -v shows each frame")
		}
		return e
	case errors.Is(err, context.Canceled):
		return withCode(exitNetwork, err) // Ctrl-C
	case errors.As(err, &se):
		if text := frameHeaderText(se); text != "" {
			e := withCode(exitInput, err).hint(fmt.Sprintf("the server's first bytes are the text %q, not a frame length: it is not an AMF Socket server", text))
			if text == "HTTP" || strings.HasPrefix(text, "<") { // a status line, or a page (HTTP/0.9's answer)
				e.hint("an AMF gateway over HTTP is called with: amfcall call http://" + s.addr + "/ TARGET")
			}
			return e
		}
		if se.Offset == 0 {
			// The first bytes of another protocol (a banner with escape
			// codes, binary) read as a huge length: raising the limit
			// would only wait for bytes that never come.
			hdr := binary.BigEndian.AppendUint32(nil, se.Size)
			return withCode(exitInput, err).hint(fmt.Sprintf("the server's first 4 bytes (hex % x) claim the first frame is that large: check that %s is an AMF Socket server; if it is and the frame is real, raise the limit with --max-frame SIZE", hdr, s.addr))
		}
		return withCode(exitInput, err).hint("raise the limit with --max-frame SIZE if the frame is real")
	case errors.As(err, &fe):
		return withCode(exitInput, err)
	}
	return err
}

// frameHeaderText returns the length header of the first frame as text
// when it is printable ASCII ("HTTP" from a web server, "SSH-"), else "".
func frameHeaderText(e *amf.FrameSizeError) string {
	if e.Offset != 0 {
		return ""
	}
	b := binary.BigEndian.AppendUint32(nil, e.Size)
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return ""
		}
	}
	return string(b)
}

// dialSocket connects and sends the --message messages. The server's
// requests go to onRequest, which may be nil.
func dialSocket(ctx context.Context, c *cli.Context, s *socketSettings) (*socket.Conn, error) {
	if s.opt.OnRequest == nil {
		s.opt.OnRequest = s.answer()
	}
	s.trace = &socketTrace{c: c, level: verbosity(c)}
	s.opt.Events = s.trace
	conn, err := socket.Dial(ctx, s.addr, s.opt)
	if err != nil {
		return nil, socketErr(err, s)
	}
	s.connected = time.Now()
	for _, m := range s.messages {
		if err := conn.Send(m.command, m.params); err != nil {
			conn.Close()
			return nil, socketErr(err, s)
		}
	}
	return conn, nil
}

func runSocketCall(c *cli.Context) error {
	setColor(c)
	calls := make([]socketRPC, 0, 1)
	for _, f := range repeated(c, "call") {
		r, err := parseRPCFlag(c, "call", f, true)
		if err != nil {
			return err
		}
		calls = append(calls, r)
	}
	if len(calls) > 0 {
		if err := checkArgs(c, 1, 1, "HOST:PORT"); err != nil {
			return withHint(err, "with --call, the commands are given by --call only")
		}
	} else {
		if a := c.Args().First(); c.NArg() == 1 && !strings.Contains(a, ":") {
			// "socket call echo": the one argument is the command.
			if err := flagTookArgument(c, "HOST:PORT"); err != nil {
				return err
			}
			return usageErrorf("%s: missing HOST:PORT (%q is not one)", c.Command.HelpName, a).
				hint(fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage))
		}
		if err := needArgs(c, 2, 3, "HOST:PORT", "COMMAND"); err != nil {
			var ee *exitError
			if c.NArg() > 3 && c.Bool("quiet") && errors.As(err, &ee) {
				// "-q PATH", as call, upload and subscribe take it.
				return ee.hint("-q is --quiet here (it hides the messages the server pushes) and takes no PATH: pick a part of the result with jq, e.g. | jq .a")
			}
			return err
		}
		r := socketRPC{command: c.Args().Get(1), params: &amf.Object{}}
		if c.NArg() == 3 {
			v, err := socketJSON(c, "PARAMS", c.Args().Get(2), true)
			if err != nil {
				return err
			}
			r.params = v
		}
		calls = append(calls, r)
	}
	s, err := readSocketFlags(c)
	if err != nil {
		return err
	}
	if len(calls) > 1 && !c.Bool("pretty") {
		s.jsonOpt.Indent = "" // one line each, unless asked
	}
	if !c.Bool("quiet") {
		s.opt.OnMessage = pushPrinter(c, s)
	}
	// Ctrl-C stops it as it stops call (catchInterrupt): "interrupted",
	// status 130 (not "stopped waiting for the response: context
	// canceled", exit 3).
	ctx := c.Context
	conn, err := dialSocket(ctx, c, s)
	if err != nil {
		return err
	}
	defer conn.Close()
	pend := make([]*socket.Pending, len(calls))
	for i, r := range calls {
		if pend[i], err = conn.Start(r.command, r.params); err != nil {
			return socketErr(err, s)
		}
	}
	out := envOf(c).stdout
	for _, p := range pend {
		wctx, cancel := s.responseWait(ctx)
		res, err := p.Wait(wctx)
		cancel()
		if err != nil {
			return socketErr(err, s)
		}
		// Written as it is rendered: memory does not grow with the
		// JSON, which --max-output bounds (by default 1000 times the
		// response frame's bytes).
		if err := convert.WriteValue(out, res, s.frameOutput(s.trace.responseSize(p.ID))); err != nil {
			if errors.As(err, new(*convert.OutputLimitError)) {
				return fmt.Errorf("the response from %s: %w", s.addr, err)
			}
			return err
		}
	}
	return nil
}

// maxPushLine bounds the JSON of a message pushed during "socket call",
// shown on stderr.
const maxPushLine = 16 << 20

// pushPrinter shows each message the server pushes during "socket call"
// as one line on stderr: push: COMMAND: JSON (compact, escaped).
func pushPrinter(c *cli.Context, s *socketSettings) func(*socket.Request) {
	e := envOf(c)
	o := *s.jsonOpt
	o.Indent, o.Palette = "", nil
	// A line on stderr, held whole to be escaped: bounded as the
	// trace's lines are, whatever --max-output says of stdout.
	o.MaxOutput = min(s.jsonOpt.MaxOutput, maxPushLine)
	if o.MaxOutput <= 0 {
		o.MaxOutput = maxPushLine
	}
	return func(m *socket.Request) {
		buf, err := convert.AppendValue(nil, m.Params, &o)
		if err != nil {
			buf = []byte(fmt.Sprintf("(cannot show it: %v)", err))
		}
		// The reader goroutine calls this, one message at a time.
		fmt.Fprintf(e.stderr, "push: %s: %s\n", safetext.Escape(m.Command, 200), safetext.Escape(string(buf), 0))
	}
}

// listenStarted, when set (by tests), gets the function that interrupts
// socket listen as a signal would, before it connects.
var listenStarted func(interrupt func(os.Signal))

func runSocketListen(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 1, 1, "HOST:PORT"); err != nil {
		return err
	}
	var sends []socketRPC
	for _, f := range repeated(c, "send") {
		r, err := parseRPCFlag(c, "send", f, true)
		if err != nil {
			return err
		}
		sends = append(sends, r)
	}
	count := c.Int("count")
	if count < 0 {
		return usageErrorf("invalid --count %d", count).hint("give a number of messages, 1 or more")
	}
	var dur time.Duration
	if f := c.String("for"); f != "" {
		var err error
		if dur, err = parseDuration(f); err != nil || dur == 0 {
			return usageErrorf("invalid --for %q", f).hint("give a duration such as 30s or 2m")
		}
	}
	s, err := readSocketFlags(c)
	if err != nil {
		return err
	}
	if !c.Bool("pretty") {
		s.jsonOpt.Indent = "" // one line each, unless asked
	}

	ctx, stop, interrupt := signalContext()
	defer stop()
	if listenStarted != nil {
		listenStarted(interrupt)
	}
	sigCtx := ctx
	if dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, dur)
		defer cancel()
	}
	e := envOf(c)
	var (
		mu     sync.Mutex // one line at a time
		seen   int
		enough = make(chan struct{})
		failed = make(chan error, 1)
	)
	// A frame's line is written as it is rendered. One that passes
	// --max-output is cut there: listening stops with that error, as a
	// JSON-lines reader could not go on past it.
	cut := false // a line was cut: nothing more is printed
	printLine := func(v any, size int) {
		if cut {
			return
		}
		if err := convert.WriteValue(e.stdout, v, s.frameOutput(size)); err != nil {
			if errors.As(err, new(*convert.OutputLimitError)) {
				cut = true
				select {
				case failed <- fmt.Errorf("a frame from %s: %w", s.addr, err):
				default:
				}
				return
			}
			warnf(c, "cannot print a frame: %v", err)
		}
	}
	// Lines print in the order the frames arrive: one-way messages
	// (counted), responses and the server's own requests (not pings).
	s.opt.OnReceive = func(r *socket.RPC) {
		mu.Lock()
		defer mu.Unlock()
		if count > 0 && seen >= count || r.Kind == socket.KindRequest && r.Command == socket.PingCommand {
			return
		}
		printLine(r.Value, s.trace.frameSize())
		if r.Kind == socket.KindMessage {
			seen++
			if count > 0 && seen == count {
				close(enough)
			}
		}
	}
	s.sendsNothing = len(sends) == 0 && len(s.messages) == 0
	conn, err := dialSocket(ctx, c, s)
	if err != nil {
		if code, serr, ok := signalledExit(sigCtx, "before the connection to "+s.addr+" was made", err); ok {
			// Ctrl-C while connecting: nothing was listened to, so
			// not the 0 of a Ctrl-C that ends listening, nor the 3
			// of a failed connection.
			return withCode(code, serr)
		}
		return err
	}
	defer conn.Close()
	for _, r := range sends {
		p, err := conn.Start(r.command, r.params)
		if err != nil {
			return socketErr(err, s)
		}
		go func() {
			wctx, cancel := s.responseWait(ctx)
			defer cancel()
			if _, err := p.Wait(wctx); err != nil && ctx.Err() == nil {
				select {
				case failed <- err:
				default:
				}
			}
		}()
	}
	var failure error
	select {
	case <-ctx.Done():
	case <-enough:
	case <-conn.Done():
	case failure = <-failed:
	}
	conn.Close()
	if failure != nil {
		return socketErr(failure, s)
	}
	select {
	case <-enough:
		return nil
	default:
	}
	if ctx.Err() != nil {
		return nil // Ctrl-C or --for
	}
	if err := conn.Err(); err != nil && !errors.Is(err, socket.ErrClosed) {
		return socketErr(err, s)
	}
	return nil
}

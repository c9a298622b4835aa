package commands

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/discover"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textcut"
)

var probeCommand = &cli.Command{
	Name:      "probe",
	Usage:     "tell which gateway software answers at a URL, and guess its service names",
	ArgsUsage: "URL",
	Description: `Sends a few harmless requests to the gateway at URL: a call of a service no
gateway has, as an AMF0 and as an AMF3 packet; a Flex ping (a
CommandMessage, as a Flex client sends first); and a GET. From the fault
codes and fields, the envelope, the ping's answer and the HTTP headers it
names the gateway: PyAMF, AMFPHP 1, AMFPHP 2, BlazeDS/LiveCycle,
GraniteDS, Zend_Amf, RubyAMF, ColdFusion, Red5, amfcall serve, or
"unknown". The name is the first line of stdout; the evidence follows,
strongest first, one line each ("gateway +weight: why"), then what each
probe that failed got, and for an "unknown" gateway what each AMF reply
said (its targets, a fault's code and description) and each Server header
field it sent ("(Server: ...)"). --format json prints
one document instead: the gateway, the evidence, and each exchange with its
HTTP status, Server header, error, and what an AMF reply said ("reply":
its count of bodies and the first three's target, faultCode, description).

With --wordlist FILE (one name per line) or --enumerate, it then guesses
which services and methods exist from the difference between "no such
service", "no such method" and any other answer, trying the words of FILE
and a small built-in list, first as services, then as methods of each
service found and without a service. Each name found is printed on a line
of its own after the report: "TARGET (KIND): ANSWER", or with --format json
a JSON line {"target", "kind", "answer"} after the document (a stream jq
reads whole). FILE - reads the names from stdin. The requests go one at a
time, at most --rate a second and --max in all; on a terminal a progress
line on stderr counts them and the names found. Method guesses call the
method with no arguments, so a method that takes none runs: enumerate only
gateways you may test.

Examples:

  amfcall probe http://127.0.0.1:8000/
  amfcall probe --format json https://example.com/messagebroker/amf
  amfcall probe --wordlist names.txt --rate 2 --max 200 $URL
  amfcall probe --format json --enumerate $URL | jq -c 'select(.target)'`,
	Flags: append(gatewayFlags(),
		&cli.StringFlag{Name: "wordlist", Category: catCall, TakesFile: true,
			Usage: "guess services and methods from the names in `FILE` (one a line) and a built-in list"},
		&cli.BoolFlag{Name: "enumerate", Category: catCall, DisableDefaultText: true,
			Usage: "guess services and methods from the built-in list of common names"},
		&cli.BoolFlag{Name: "flex", Category: catCall, DisableDefaultText: true,
			Usage: "guess with Flex RemoteObject calls (RemotingMessage to DESTINATION.OPERATION), for gateways that take no plain calls"},
		&cli.Float64Flag{Name: "rate", Category: catCall, Value: 5,
			Usage: "send at most `N` guessing requests a second"},
		&cli.IntFlag{Name: "max", Category: catCall, Value: 500,
			Usage: "send at most `N` guessing requests in all"},
	),
	Action: runProbe,
}

// probeDoc is probe's JSON document.
type probeDoc struct {
	URL string `json:"url"`
	*discover.Report
	Exchanges []exchangeDoc `json:"exchanges"`
}

type exchangeDoc struct {
	Probe  string `json:"probe"`
	Status int    `json:"status"`
	Server string `json:"server,omitempty"`
	Error  string `json:"error,omitempty"`
	// Reply is what an AMF reply said, as the text report tells it of
	// an unknown gateway: its bodies' targets and faults.
	Reply *replyDoc `json:"reply,omitempty"`
}

// replyDoc is an AMF reply in probe's JSON: the number of bodies, and
// the first three, each text cut at maxSummaryText bytes.
type replyDoc struct {
	Count  int            `json:"count"`
	Bodies []replyBodyDoc `json:"bodies"`
}

type replyBodyDoc struct {
	Target      string `json:"target"`
	FaultCode   string `json:"faultCode,omitempty"`
	Description string `json:"description,omitempty"`
}

// newReplyDoc is p in probe's JSON, nil for no packet.
func newReplyDoc(p *amf.Packet) *replyDoc {
	if p == nil {
		return nil
	}
	d := &replyDoc{Count: len(p.Messages), Bodies: []replyBodyDoc{}}
	for i, m := range p.Messages {
		if i == 3 {
			break
		}
		b := replyBodyDoc{Target: textcut.Cut(m.Target, maxSummaryText)}
		if strings.HasSuffix(m.Target, "/onStatus") {
			f := client.NewFault("", m.Target, m.Value)
			b.FaultCode, b.Description = textcut.Cut(f.Code, maxSummaryText), textcut.Cut(f.Description, maxSummaryText)
			if b.FaultCode == "" {
				b.FaultCode = "-"
			}
		}
		d.Bodies = append(d.Bodies, b)
	}
	return d
}

func runProbe(c *cli.Context) error {
	setColor(c)
	// --wordlist "$W" with W unset was taken as not given: the built-in
	// list was guessed, silently, exit 0; --cacert '' was dropped.
	gateway, _, err := flexArgs(c) // the URL, or AMFCALL_URL
	if err != nil {
		return err
	}
	s, err := readGatewayFlags(c, gateway)
	if err != nil {
		return err
	}
	rate, max := c.Float64("rate"), c.Int("max")
	if rate <= 0 || rate > 1000 {
		return usageErrorf("--rate %g: want a number of requests a second in (0, 1000]", rate)
	}
	if max < 1 {
		return usageErrorf("--max %d: want at least 1", max)
	}
	enumerate := c.Bool("enumerate") || c.IsSet("wordlist")
	if !enumerate {
		// They shape the guessing, which only --enumerate and
		// --wordlist start: "probe --flex URL" probed, said nothing of
		// --flex and guessed no name, exit 0, for a user who meant to
		// guess Flex destinations.
		for _, f := range []string{"flex", "rate", "max"} {
			if c.IsSet(f) {
				return usageErrorf("--%s is for guessing names, which needs --enumerate or --wordlist FILE", f).
					hint("add --enumerate (a built-in list of common names) or --wordlist FILE; without either, probe only tells which gateway answers")
			}
		}
	}
	words := append([]string(nil), discover.BuiltinWords...)
	if path := c.String("wordlist"); path != "" {
		var extra []string
		if path == "-" {
			// - is stdin, as for --batch and --packet.
			data, _, err := readInputFor(c, "--wordlist", "-", "")
			if err != nil {
				return err
			}
			if extra, err = discover.ReadWords(bytes.NewReader(data)); err != nil {
				return withCode(exitInput, fmt.Errorf("--wordlist stdin: %w", err))
			}
		} else {
			f, err := os.Open(path)
			if err != nil {
				return withCode(exitUsage, fmt.Errorf("--wordlist %s: %w", path, unwrapPath(err))).hint("give a file with one name a line; - reads stdin")
			}
			if st, err := f.Stat(); err == nil && st.IsDir() {
				// It said "line 1: read DIR: is a directory", exit 4,
				// as if the file held a bad line.
				f.Close()
				return usageErrorf("--wordlist: %s is a directory", path).hint("give a file with one name a line; - reads stdin")
			}
			extra, err = discover.ReadWords(f)
			f.Close()
			if err != nil {
				return withCode(exitInput, fmt.Errorf("--wordlist %s: %w", path, err))
			}
		}
		words = append(extra, words...)
	}
	if _, err := s.newClient(); err != nil { // checks the URL before any request
		return err
	}
	ctx := c.Context
	xs, err := discover.Probe(ctx, s.url, s.cfg)
	if err != nil {
		return err
	}
	rep := discover.Identify(xs)
	out := c.App.Writer
	if s.json {
		doc := probeDoc{URL: redactURL(s.url), Report: rep}
		for _, x := range xs {
			doc.Exchanges = append(doc.Exchanges, exchangeDoc{Probe: x.Probe, Status: x.Status, Server: x.Header.Get("Server"), Error: x.Err, Reply: newReplyDoc(x.Packet)})
		}
		if err := writeJSON(c, doc); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		b.WriteString(rep.Gateway + "\n")
		for _, f := range rep.Evidence {
			fmt.Fprintf(&b, "  %s +%d: %s\n", f.Gateway, f.Weight, oneLineText(f.Why))
		}
		for _, x := range xs {
			if x.Err != "" {
				fmt.Fprintf(&b, "  (%s: %s)\n", x.Probe, oneLineText(x.Err))
			}
			if x.Packet != nil && rep.Gateway == discover.Unknown {
				// No evidence names the gateway: what it answered
				// is the only lead the user has.
				fmt.Fprintf(&b, "  (%s: %s)\n", x.Probe, oneLineText(replySummary(x.Packet)))
			}
		}
		if rep.Gateway == discover.Unknown {
			// The Server field a gateway sent is a lead when no
			// evidence names it (it was in --format json only).
			var seen []string
			for _, x := range xs {
				if v := x.Header.Get("Server"); v != "" && !slices.Contains(seen, v) {
					seen = append(seen, v)
					fmt.Fprintf(&b, "  (Server: %s)\n", oneLineText(safetext.Escape(v, maxSummaryText)))
				}
			}
		}
		if _, err := fmt.Fprint(out, b.String()); err != nil {
			return err
		}
	}
	amfReplies, tooLarge := 0, false
	for _, x := range xs {
		if x.Packet != nil {
			amfReplies++
		}
		tooLarge = tooLarge || x.TooLarge
	}
	if amfReplies == 0 {
		// The report stays on stdout, but no probe got an AMF reply:
		// cli.md's exit 3, "a reply that is not AMF".
		e := withCode(exitNetwork, fmt.Errorf("no probe got an AMF reply from %s", redactURL(s.url))).
			hint("check that the URL is the AMF gateway (the path matters); the lines above say what each probe got")
		if tooLarge && !c.IsSet("max-response-size") {
			e.hint(discoveryTooLarge(c, "probe"))
		}
		return e
	}
	if !enumerate {
		return nil
	}
	s.cfg.Flex = c.Bool("flex")
	// On a terminal, a progress line on stderr (as bench shows), taken
	// off before each name found is printed, before what the client
	// writes to stderr (its warnings, -v's trace) and at the end: the
	// guessing takes minutes at a low --rate.
	e := envOf(c)
	shown := false
	clear := func() {
		if shown {
			fmt.Fprint(e.stderr, "\r\x1b[K")
			shown = false
		}
	}
	if s.cfg.Events != nil {
		s.cfg.Events = clearFirst{next: s.cfg.Events, clear: clear, trace: verbosity(c) > 0}
	}
	cl, err := s.newClient()
	if err != nil {
		return err
	}
	n := 0
	opts := discover.EnumOptions{Rate: rate, Max: max}
	if e.isTerminal(e.stderr) {
		opts.Progress = func(sent, max, found int) {
			fmt.Fprintf(e.stderr, "\rguessing: %s of at most %s requests, %s found\x1b[K", group(int64(sent)), group(int64(max)), plural(found, "name"))
			shown = true
		}
	}
	defer clear()
	err = discover.Enumerate(ctx, cl, words, opts, func(h discover.Hit) error {
		clear()
		n++
		if !s.json {
			// Text, as the report above: JSON lines after it made a
			// stream that neither people nor jq read (--format json
			// is for tools).
			_, err := fmt.Fprintf(out, "%s (%s): %s\n", oneLineText(h.Target), oneLineText(h.Kind), oneLineText(h.Answer))
			return err
		}
		data, err := json.Marshal(h)
		if err != nil {
			return err
		}
		_, err = out.Write(append(convert.AppendTerminalSafe(nil, data), '\n'))
		return err
	})
	clear()
	if errors.Is(err, discover.ErrBudget) {
		warnf(c, "stopped after %d guessing requests (--max); %s found so far", max, plural(n, "name"))
		return nil
	}
	return err
}

// clearFirst passes the client's events on to next, the progress line
// taken off first when next may write: a notice (a warning written
// after the line landed on it), and with -v (trace) each exchange.
type clearFirst struct {
	next  client.EventHandler
	clear func()
	trace bool
}

func (h clearFirst) OnRequest(ev *client.RequestEvent) {
	if h.trace {
		h.clear()
	}
	h.next.OnRequest(ev)
}

func (h clearFirst) OnResponse(ev *client.ResponseEvent) {
	if h.trace {
		h.clear()
	}
	h.next.OnResponse(ev)
}

func (h clearFirst) OnNotice(n client.Notice) {
	h.clear()
	h.next.OnNotice(n)
}

// replySummary tells in a few words what a reply packet that named no
// gateway said: each body's target, and a fault's code and description.
func replySummary(p *amf.Packet) string {
	if len(p.Messages) == 0 {
		return "an AMF reply with no body"
	}
	var parts []string
	for i, m := range p.Messages {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(p.Messages)-i))
			break
		}
		part := quoteCut(m.Target, maxSummaryText)
		if strings.HasSuffix(m.Target, "/onStatus") {
			f := client.NewFault("", m.Target, m.Value)
			part += fmt.Sprintf(" fault %s %s", orDashText(safetext.Escape(f.Code, maxSummaryText)), quoteCut(f.Description, maxSummaryText))
			if d := faultMember(m.Value, "description"); d != "" && d != f.Description {
				// A Flex-style fault (faultString) that has a
				// description too: gateways put the longer text there.
				part += " description " + quoteCut(d, maxSummaryText)
			}
		}
		parts = append(parts, part)
	}
	return "an AMF reply, not one amfcall knows: " + strings.Join(parts, ", ")
}

// faultMember is the string member name of a fault object, or "".
func faultMember(v any, name string) string {
	var ms []amf.Member
	switch x := amf.Unwrap(v).(type) {
	case *amf.Object:
		ms = x.Members
	case *amf.ECMAArray:
		ms = x.Members
	}
	for _, m := range ms {
		if m.Name == name {
			s, _ := amf.Unwrap(m.Value).(string)
			return s
		}
	}
	return ""
}

// maxSummaryText bounds each text of the gateway's that replySummary
// quotes (a target, a fault's code or description): a line is at most
// some 300 bytes for each of the three bodies it names, as each
// finding is cut at 300 (the gateway's 100 KB fault descriptions were
// quoted whole).
const maxSummaryText = 100

// quoteCut is s quoted as Go quotes a string (control characters and
// bytes that are not UTF-8 escaped), cut on a character's start once
// max bytes of it are quoted, with "..." after the quote.
func quoteCut(s string, max int) string {
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:textcut.At(s, max)]) + textcut.Mark
}

// orDashText is s, or "-" when it is empty.
func orDashText(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// redactURL hides a password in a URL: client.RedactURL, under the name
// the commands used before it was exported.
func redactURL(u string) string { return client.RedactURL(u) }

package commands

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/textcut"
)

// debugEventsFlag is call's --debug-events.
var debugEventsFlag = &cli.BoolFlag{Name: "debug-events", Category: catCall, DisableDefaultText: true,
	Usage: `ask the gateway for remoting debug events (the amf_server_debug header) and print each on stderr as "debug: TYPE: ..." (-v: the whole event as typed JSON)`}

// debugRequest is the amf_server_debug header's value: the settings
// Flash Remoting's NetConnection Debugger sent, asking for the server's
// traces and errors.
func debugRequest() *amf.Object {
	return &amf.Object{Members: []amf.Member{
		{Name: "amf", Value: false},
		{Name: "amfheaders", Value: false},
		{Name: "coldfusion", Value: true},
		{Name: "error", Value: true},
		{Name: "httpheaders", Value: false},
		{Name: "recordset", Value: true},
		{Name: "trace", Value: true},
	}}
}

// debugEvents returns the event handler of a call: with --debug-events,
// one that also keeps the debug events of each reply; else h. flush
// prints the events kept on stderr: call it once the result is printed,
// so that the result comes first, whole, as on a gateway's own console
// (on a terminal, stdout and stderr share the screen).
func debugEvents(c *cli.Context, h client.EventHandler) (handler client.EventHandler, flush func()) {
	if !c.Bool("debug-events") {
		return h, func() {}
	}
	d := &debugPrinter{EventHandler: h, c: c}
	return d, d.flush
}

// askDebugEvents makes cl send the amf_server_debug header when
// --debug-events is set.
func askDebugEvents(c *cli.Context, cl *client.Client) {
	if c.Bool("debug-events") {
		cl.SetHeader("amf_server_debug", false, debugRequest())
	}
}

type debugPrinter struct {
	client.EventHandler
	c     *cli.Context
	lines []string
	// more counts the events past maxDebugEvents, not shown.
	more int
}

// Bounds of what a gateway's debug events may make amfcall keep and
// print: the events are kept until the result is printed, and a reply
// of one event referenced 20,000 times (an array of references to one
// object holding a 1 MB string) made 20,000 lines of a megabyte each.
const (
	maxDebugEvents = 1000     // events shown per call; the rest are counted
	maxDebugLine   = 16 << 10 // bytes of one event's line, and of a value's JSON in it
)

// flush prints the lines kept, once.
func (d *debugPrinter) flush() {
	e := envOf(d.c)
	for _, l := range d.lines {
		fmt.Fprintln(e.stderr, l)
	}
	if d.more > 0 {
		fmt.Fprintf(e.stderr, "debug: (%d more debug events not shown: at most %d are)\n", d.more, maxDebugEvents)
	}
	d.lines, d.more = nil, 0
}

func (d *debugPrinter) OnResponse(ev *client.ResponseEvent) {
	d.EventHandler.OnResponse(ev)
	if ev.Packet == nil {
		return
	}
	n := 0
	for _, m := range ev.Packet.Messages {
		if !strings.HasSuffix(m.Target, "/onDebugEvents") {
			continue
		}
		var events []any
		switch x := amf.Unwrap(m.Value).(type) {
		case *amf.Array:
			events = x.Dense
		default:
			events = []any{x}
		}
		for _, ev := range events {
			n++
			if len(d.lines) >= maxDebugEvents {
				d.more++
				continue
			}
			d.lines = append(d.lines, debugLine(ev, verbosity(d.c) > 0))
		}
	}
	if n == 0 {
		d.lines = append(d.lines, "debug: (the reply has no debug events: the gateway ignores amf_server_debug)")
	}
}

// debugLine renders one debug event: "debug: TYPE: " and its message
// (a Message, message or Trace member) or its other members as
// NAME=JSON; whole as typed JSON when verbose. Whatever the gateway sent,
// the line holds no control characters.
//
// A line is cut to maxDebugLine bytes, and a value whose JSON would be
// longer is not shown: a shared value or a string sent by reference is
// written out at each use.
func debugLine(ev any, verbose bool) string {
	return cutText(debugLineWhole(ev, verbose))
}

// cutText cuts s to maxDebugLine bytes (at a character's start), saying
// how many more there were.
func cutText(s string) string {
	if len(s) <= maxDebugLine {
		return s
	}
	cut := textcut.At(s, maxDebugLine)
	return s[:cut] + fmt.Sprintf("... (%d more bytes)", len(s)-cut)
}

// debugLineWhole is debugLine before the line is cut.
func debugLineWhole(ev any, verbose bool) string {
	typ := "event"
	var members []amf.Member
	switch x := amf.Unwrap(ev).(type) {
	case *amf.Object:
		members = x.Members
	case *amf.ECMAArray:
		members = x.Members
	}
	for _, m := range members {
		if m.Name == "EventType" {
			if s, ok := amf.Unwrap(m.Value).(string); ok && s != "" {
				typ = cutText(s)
			}
		}
	}
	if verbose || members == nil {
		js, err := convert.AppendValue(nil, ev, &convert.Options{Typed: true, MaxOutput: maxDebugLine})
		if err != nil {
			return "debug: " + terminalText(typ) + ": (cannot show it: " + err.Error() + ")"
		}
		return "debug: " + terminalText(typ) + ": " + terminalText(string(js))
	}
	get := func(name string) any {
		for _, m := range members {
			if m.Name == name {
				return amf.Unwrap(m.Value)
			}
		}
		return nil
	}
	// The trace events of amfcall serve: "echo.echo (/1) onResult in 0.42ms".
	if target, ok := get("Target").(string); ok {
		if ms, ok := get("Duration").(float64); ok {
			outcome, _ := get("Outcome").(string)
			uri, _ := get("ResponseURI").(string)
			return terminalText(fmt.Sprintf("debug: %s: %s (%s) %s in %sms", typ, cutText(target), cutText(uri), cutText(outcome), strconv.FormatFloat(ms, 'f', -1, 64)))
		}
	}
	var parts []string
	for _, m := range members {
		switch m.Name {
		case "Message", "message", "Trace", "trace":
			if s, ok := amf.Unwrap(m.Value).(string); ok {
				return "debug: " + terminalText(typ) + ": " + terminalText(cutText(s))
			}
		}
	}
	for _, m := range members {
		switch m.Name {
		case "EventType", "Source", "Time", "Date":
			continue
		}
		js, err := convert.AppendValue(nil, m.Value, &convert.Options{MaxOutput: maxDebugLine})
		if err != nil {
			js = []byte("?")
			var ol *convert.OutputLimitError
			if errors.As(err, &ol) {
				js = []byte(fmt.Sprintf("(over %d bytes of JSON, not shown)", maxDebugLine))
			}
		}
		parts = append(parts, cutText(m.Name)+"="+string(js))
		if len(parts) > 64 {
			parts = append(parts, "...")
			break
		}
	}
	return "debug: " + terminalText(typ) + ": " + terminalText(strings.Join(parts, " "))
}

package commands

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
)

// This file holds HAR input (convert of a HAR file, call --from-har) and
// call --packet: the ways of sending a whole packet as it is.

// convertHAR prints each AMF exchange of a HAR file as one JSON line:
// {"n", "entry", "method", "url", "status", "request", "response"}, with
// "request_error"/"response_error" in place of a body that is not there
// or does not decode. One exchange's bodies are decoded at a time, and
// their JSON streamed out (a HAR holding a 100 MB body in base64 once
// peaked at 5.5 times its size: the text copied, the body decoded, its
// value model, its JSON and two copies of the line).
func convertHAR(c *cli.Context, src *convert.Source, to convert.OutSpec, outPath string) error {
	if to.Format != "" && to.Format != "json" || to.Encoding != convert.Raw {
		// (--to hex or base64, whose Format is left to the guess, was
		// dropped unsaid: the JSON lines came out as if it were not
		// given.)
		what := to.Format
		if to.Encoding != convert.Raw {
			what = c.String("to")
		}
		return usageErrorf("a HAR file converts to JSON lines only, not to %s", what).
			hint("write the bytes of its N-th AMF request: amfcall call --offline --from-har " + inputArg(c) + "#N --save-request req.amf; or leave out --to for JSON lines")
	}
	// A first pass without the bodies: the count, and the file's own
	// errors before any output.
	count, skipped, err := convert.CountHAR(src.Data)
	if err != nil {
		return fmt.Errorf("%s: %w", src.Name, err)
	}
	out, err := createOutput(c, outPath, false)
	if err != nil {
		return err
	}
	defer out.abort()
	opts, err := jsonOptions(c, out, int64(len(src.Data)))
	if err != nil {
		return err
	}
	if verbosity(c) > 0 {
		infof(c, "input: %s, %d bytes: a HAR file with %d AMF exchanges; %s", src.Name, len(src.Data), count, src.How)
	}
	// Entries of type application/x-amf that cannot hold a packet.
	skips := fmt.Sprintf("%d entries of type application/x-amf carry", skipped)
	if skipped == 1 {
		skips = "1 entry of type application/x-amf carries"
	}
	const noPacket = "no packet (a HEAD, GET or OPTIONS request, or a 1xx, 204 or 304 reply)"
	if count == 0 && skipped > 0 {
		return withCode(exitInput, fmt.Errorf("%s: no AMF exchange in this HAR file: %s %s", src.Name, skips, noPacket)).
			hint("export the HAR from the page that talks to the gateway, with its POST requests kept")
	}
	if skipped > 0 {
		infof(c, "note: %s: skipped, as %s %s", src.Name, skips, noPacket)
	}
	if count == 0 {
		return withCode(exitInput, fmt.Errorf("%s: no AMF exchange in this HAR file (no request or reply of type application/x-amf)", src.Name)).
			hint("export the HAR from the page that talks to the gateway, with the requests kept")
	}
	lineOpts := *opts
	lineOpts.Indent, lineOpts.Palette = "", nil
	failed := 0
	bw := bufio.NewWriterSize(out, 64<<10)
	err = convert.ScanHAR(src.Data, nil, func(x convert.HARExchange) error {
		bad, err := writeHARLine(bw, fmt.Sprintf("%s#%d", src.Name, x.N), x, &lineOpts)
		for _, msg := range bad {
			warnf(c, "%s: AMF exchange %d (entry %d): %s", src.Name, x.N, x.Entry, msg)
		}
		failed += len(bad)
		return err
	})
	// What was written before an error goes out too (the output up to
	// --max-output, as convert writes it).
	if ferr := bw.Flush(); err == nil && ferr != nil {
		err = fmt.Errorf("writing %s: %w", out.name(), ferr)
	}
	if err != nil {
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	if failed > 0 {
		return withCode(exitInput, fmt.Errorf("%s: %d AMF bodies could not be read (see the *_error members)", src.Name, failed))
	}
	return nil
}

// writeHARLine writes one exchange as a JSON object on a line of its
// own, each body's JSON streamed from its bytes, and returns the problems
// met; name (FILE#N) names the exchange in errors. An error is the
// output's (a write, --max-output), which ends the conversion.
func writeHARLine(w io.Writer, name string, x convert.HARExchange, opts *convert.Options) ([]string, error) {
	var bad []string
	b := []byte(`{"n":`)
	b = strconv.AppendInt(b, int64(x.N), 10)
	b = append(b, `,"entry":`...)
	b = strconv.AppendInt(b, int64(x.Entry), 10)
	b = append(b, `,"method":`...)
	// As the HAR holds it, which may be anything: Go's quoting wrote
	// \x00 for a NUL, which is no JSON.
	b = appendJSONString(b, x.Method)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, client.RedactURL(x.URL))
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(x.Status), 10)
	for _, part := range []struct {
		name string
		body convert.HARBody
	}{{"request", x.Request}, {"response", x.Response}} {
		msg := part.body.Problem
		if msg == "" {
			ok, err := writeHARBody(w, &b, name+" "+part.name, part.name, part.body.Data, opts)
			if ok || err != nil {
				if err != nil {
					return bad, err
				}
				continue
			}
			// Not a packet: the value decoder's error, as it was.
			err = packetErr(part.body.Data)
			msg = "the body is not an AMF packet: " + fmt.Sprint(err)
			if !isAMFMIME(part.body.MIME) {
				msg = fmt.Sprintf("the body (%s) is not an AMF packet: %v", orNone(part.body.MIME), err)
			}
		}
		bad = append(bad, part.name+": "+msg)
		b = append(b, `,"`+part.name+`_error":`...)
		b = appendJSONString(b, msg)
	}
	b = append(b, '}', '\n')
	_, err := w.Write(b)
	return bad, err
}

// writeHARBody writes, after the line so far (*b, then emptied), the
// member part with the JSON of the packet data, streamed from its
// tokens; false, with nothing written, when data is not a packet.
func writeHARBody(w io.Writer, b *[]byte, name, part string, data []byte, opts *convert.Options) (bool, error) {
	src, err := convert.Load(data, name, convert.InSpec{Kind: convert.KindPacket, KindSet: true})
	if err != nil || len(src.Skipped) > 0 {
		return false, nil
	}
	*b = append(*b, `,"`+part+`":`...)
	if _, err := w.Write(*b); err != nil {
		return true, err
	}
	*b = (*b)[:0]
	// The packet's JSON is a line: its newline is the HAR line's to end.
	nw := &noFinalNewline{w: w}
	target := convert.Target{Format: "json"}
	streamed, err := src.RenderTo(nw, target, opts)
	if err == nil && !streamed {
		var js []byte
		js, err = src.Render(target, opts)
		if len(js) > 0 {
			// All of it, or the start up to --max-output before the
			// limit error, as the streamed packets write it.
			if _, werr := nw.Write(js); err == nil {
				err = werr
			}
		}
	}
	return true, err
}

// noFinalNewline passes on what is written to it but a final newline,
// held back until more comes.
type noFinalNewline struct {
	w    io.Writer
	held bool
}

func (n *noFinalNewline) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if n.held {
		if _, err := n.w.Write([]byte{'\n'}); err != nil {
			return 0, err
		}
		n.held = false
	}
	k := len(p)
	if p[k-1] == '\n' {
		n.held, p = true, p[:k-1]
	}
	if _, err := n.w.Write(p); err != nil {
		return 0, err
	}
	return k, nil
}

func isAMFMIME(s string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), client.ContentType)
}

func orNone(s string) string {
	if s == "" {
		return "no media type"
	}
	return s
}

// appendJSONString appends s as a JSON string (strconv.Quote writes Go
// escapes such as \x00 that JSON does not have).
func appendJSONString(b []byte, s string) []byte {
	js, err := convert.AppendValue(nil, s, &convert.Options{})
	if err != nil {
		return strconv.AppendQuoteToASCII(b, s)
	}
	return append(b, js...)
}

// checkWholePacketFlags refuses the flags that build a packet when the
// packet is given whole.
func checkWholePacketFlags(c *cli.Context, s *callSettings) error {
	if s.unchecked && s.packet == "" {
		return usageErrorf("--unchecked applies to --packet FILE only").
			hint("amfcall call --packet FILE --unchecked URL sends FILE's bytes as they are")
	}
	if s.fromHAR == "" && s.packet == "" {
		return nil
	}
	if s.fromHAR != "" && s.packet != "" {
		return usageErrorf("--from-har can't be used with --packet").hint("send one packet at a time")
	}
	flag := "--packet"
	if s.fromHAR != "" {
		flag = "--from-har"
	}
	for _, f := range []struct{ name, spelled string }{
		{"batch", "--batch"}, {"data", "-d/--data"}, {"amf3", "--amf3"}, {"flex", "--flex"},
		{"user", "-u/--user"}, {"amf-header", "--amf-header"}, {"must-understand", "--must-understand"},
		// These change the packet too (a header, a Flex message): they
		// were ignored, and --debug-events then blamed the gateway.
		{"debug-events", "--debug-events"}, {"destination", "--destination"}, {"source", "--source"},
		{"endpoint", "--endpoint"}, {"remote-user", "--remote-user"},
	} {
		if c.IsSet(f.name) {
			return usageErrorf("%s can't be used with %s", flag, f.spelled).
				hint("the packet is sent as it is; to change it, convert it to typed JSON, edit it, and send it with --packet")
		}
	}
	return nil
}

// wholePacket is a packet to send as it is.
type wholePacket struct {
	url    string      // the HAR request's URL ("" for --packet)
	raw    []byte      // the bytes to send (HAR), or nil
	packet *amf.Packet // the packet (decoded from raw, or from JSON); see decoded
	what   string      // for messages
	text   []byte      // the JSON text packet was read from (--packet), or nil
	header []string    // the HAR request's HTTP header names
	// src is raw read as a packet by the streamed reader (HAR), which
	// checked it and writes its JSON without the value model; packet is
	// then decoded only when asked for.
	src *convert.Source
	// unchecked: raw is --packet --unchecked's file, which may be no
	// packet at all.
	unchecked bool
}

// decoded returns w's packet, decoding raw the first time.
func (w *wholePacket) decoded() (*amf.Packet, error) {
	if w.packet == nil {
		p, err := (*amf.Packet)(nil), packetErr(w.raw)
		if err == nil {
			p, err = amf.UnmarshalPacket(w.raw)
		}
		if err != nil {
			return nil, withCode(exitInput, fmt.Errorf("%s: the request is not an AMF packet: %w", w.what, err))
		}
		w.packet = p
	}
	return w.packet, nil
}

// loadWholePacket reads --from-har or --packet; nil when neither is set.
func loadWholePacket(c *cli.Context, s *callSettings) (*wholePacket, error) {
	switch {
	case s.packet != "":
		data, name, err := readInputFor(c, "--packet", s.packet, "use --packet - for stdin")
		if err != nil {
			return nil, err
		}
		if s.unchecked {
			return &wholePacket{raw: data, what: name, unchecked: true}, nil
		}
		g := convert.Detect(data)
		if g.Kind == convert.KindPacket && g.Packet != nil {
			// AMF bytes (or their hex or base64): sent as they are.
			return &wholePacket{raw: g.Data, packet: g.Packet, what: name}, nil
		}
		if g.Kind != convert.KindJSON && g.Kind != convert.KindEmpty && g.Kind != convert.KindHAR {
			// A request saved with its HTTP head (a proxy's "save
			// request", curl --trace-ascii's body after the head), or a
			// reply with a PHP notice: convert and dump read the packet
			// after the text, and so does --packet, saying so.
			if src, err := convert.Load(data, name, convert.InSpec{}); err == nil && src.Kind == convert.KindPacket && len(src.Skipped) > 0 {
				warnf(c, "--packet %s: %d bytes before the AMF packet, skipped: \"%s\"; the %d bytes of the packet after them are sent",
					name, len(src.Skipped), safetext.Escape(string(src.Skipped), 160), len(src.Data))
				return &wholePacket{raw: src.Data, what: name}, nil
			}
		}
		if err := notJSONPacket(g, name, s.packet); err != nil {
			return nil, err
		}
		p, err := convert.PacketFromJSONWarn(trimBOM(data), func(m string) { warnf(c, "--packet %s: %s", name, m) })
		if err != nil {
			return nil, withHint(fmt.Errorf("--packet %s: %w", name, err),
				`write the packet as amfcall convert --typed prints one: {"version": 0, "headers": [], "messages": [...]}`)
		}
		return &wholePacket{packet: p, what: name, text: trimBOM(data)}, nil
	case s.fromHAR != "":
		file, n, err := parseHARSpec(s.fromHAR)
		if err != nil {
			return nil, err
		}
		data, name, err := readInputFor(c, "--from-har", file, "use --from-har -#N for stdin")
		if err != nil {
			return nil, err
		}
		data = trimBOM(data)
		// Only the exchange asked for (the first, to be told there is
		// one only) has its bodies decoded.
		var x convert.HARExchange
		count := 0
		err = convert.ScanHAR(data, func(k int) bool { return k == max(n, 1) }, func(e convert.HARExchange) error {
			if count++; e.N == max(n, 1) {
				x = e
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("--from-har %s: %w", name, err)
		}
		if count == 0 {
			return nil, withCode(exitInput, fmt.Errorf("--from-har %s: no AMF request in this HAR file", name))
		}
		// The hints' commands run as printed: the file's name quoted
		// for the shell ("amfcall convert my session.har" named two
		// files).
		list := "amfcall convert " + shellWord(file)
		if file == "-" {
			list = "amfcall convert, given the same HAR on stdin"
		}
		if n == 0 {
			if count > 1 {
				return nil, usageErrorf("--from-har %s: the file holds %d AMF requests; say which with %s#N", name, count, shellWord(file)).
					hint("list them with: " + list)
			}
			n = 1
		}
		if n > count {
			return nil, usageErrorf("--from-har %s#%d: the file holds %d AMF requests", name, n, count).
				hint("N counts the AMF requests from 1; list them with: " + list)
		}
		if x.Request.Problem != "" {
			return nil, withCode(exitInput, fmt.Errorf("--from-har %s#%d: %s", name, n, x.Request.Problem))
		}
		to := x.URL
		if s.gateway == "" && s.offline && harURLProblem(to) != "" {
			to = "" // never contacted: --offline needs no URL
		}
		if s.gateway == "" && !s.offline {
			// The HAR's URL is the gateway: one that is not there, or
			// not http(s), was told as the user's ("invalid gateway
			// URL ...: write the gateway URL with its scheme"), and a
			// request with no URL went to --offline's placeholder,
			// looking up the host offline.invalid ("host not found").
			if why := harURLProblem(x.URL); why != "" {
				return nil, withCode(exitInput, fmt.Errorf("--from-har %s#%d: %s", name, n, why)).
					hint("give the gateway URL to send it to: amfcall call --from-har " + shellWord(fmt.Sprintf("%s#%d", file, n)) + " URL")
			}
		}
		w := &wholePacket{url: to, raw: x.Request.Data, what: fmt.Sprintf("%s#%d", name, n), header: x.RequestHeaders}
		// Checked by the streamed reader: the value model would copy
		// each ByteArray (100 MB more for a 100 MB upload).
		src, err := convert.Load(w.raw, w.what, convert.InSpec{Kind: convert.KindPacket, KindSet: true})
		if err == nil && len(src.Skipped) == 0 {
			w.src = src
		} else if err := packetErr(w.raw); err != nil {
			return nil, fmt.Errorf("--from-har %s#%d: the request is not an AMF packet: %w", name, n, err)
		}
		return w, nil
	}
	return nil, nil
}

// harURLProblem says why the URL of a HAR's request is not one to send
// the request to, or "" when it is.
func harURLProblem(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return "the request has no URL in the HAR file"
	}
	shown := safetext.Escape(client.RedactURL(raw), 200)
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which may hold a password
		}
		return fmt.Sprintf("the request's URL \"%s\" does not parse: %v", shown, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Sprintf("the request's URL \"%s\" is not an http:// or https:// URL", shown)
	case u.Host == "":
		return fmt.Sprintf("the request's URL \"%s\" has no host", shown)
	}
	return ""
}

// parseHARSpec splits FILE#N; N is 0 when not given.
func parseHARSpec(spec string) (string, int, error) {
	i := strings.LastIndexByte(spec, '#')
	if i < 0 {
		return spec, 0, nil
	}
	n, err := strconv.Atoi(spec[i+1:])
	if err != nil || n < 1 {
		return "", 0, usageErrorf("--from-har %q: want FILE#N with N a number from 1", spec).
			hint("N counts the AMF requests of the file from 1, e.g. --from-har session.har#2")
	}
	return spec[:i], n, nil
}

// sendWholePacket sends a whole packet (or prints it with --offline) and
// prints the reply packet as JSON. A reply with a fault body exits 1.
func sendWholePacket(c *cli.Context, cl *client.Client, s *callSettings, w *wholePacket, out *output, opts *convert.Options, trace *client.TraceHandler) error {
	body := w.raw
	if body == nil {
		var err error
		if body, err = amf.MarshalPacket(w.packet); err != nil {
			if ee := (*amf.EncodeError)(nil); w.text != nil && errors.As(err, &ee) {
				err = convert.EncodeErrorAt(ee, w.text, 0, ee.Segs) // its line and column
			}
			return withCode(exitInput, fmt.Errorf("--packet %s: %w", w.what, err))
		}
	}
	if s.saveReq != "" {
		if err := saveFile(c, "--save-request", s.saveReq, body); err != nil {
			return err
		}
	}
	if s.offline {
		po := *opts
		po.Typed = true
		if w.src != nil && !s.querySet && !s.raw {
			// Streamed from the bytes, as convert --typed writes it.
			if ok, err := w.src.RenderTo(out, convert.Target{Format: "json"}, &po); ok {
				if err != nil {
					return err
				}
				return out.commit()
			}
		}
		p, err := w.decoded()
		if err != nil {
			return err
		}
		if err := printPacket(out, p, &po, s); err != nil {
			return err
		}
		return out.commit()
	}
	if left := headersNotReplayed(c, w.header); len(left) > 0 {
		what := "HTTP headers are"
		if len(left) == 1 {
			what = "HTTP header is"
		}
		infof(c, "note: --from-har %s: the captured request's %s not sent: %s (give those the gateway needs with -H, or keep a session with --session)",
			w.what, what, strings.Join(left, ", "))
	}
	var reply *amf.Packet
	var err error
	if w.raw == nil {
		reply, err = cl.Send(c.Context, w.packet)
	} else {
		// The HAR's bytes as they are, not encoded again.
		if s.level > 0 {
			infof(c, "sending %s: %d bytes, as they are, to %s", w.what, len(body), redactURL(cl.URL()))
			if perr := packetErr(w.raw); perr != nil && w.unchecked {
				// Sent all the same: what -v can show is why it is
				// no packet.
				infof(c, "%s is not an AMF packet (sent all the same, --unchecked): %v", w.what, perr)
			} else {
				p, err := w.decoded()
				if err != nil {
					return err
				}
				trace.DumpPacket("request packet", p)
			}
		}
		reply, err = cl.PostStream(c.Context, bytes.NewReader(body), int64(len(body)))
	}
	var saveErrs []error
	saveErrs = append(saveErrs, saveResponse(c, s, trace, err))
	if s.session != "" {
		saveErrs = append(saveErrs, saveSession(c, cl, s.session))
	}
	if err != nil {
		if serr := errors.Join(saveErrs...); serr != nil {
			warnf(c, "%v", serr)
		}
		return err
	}
	replyLimits(opts, s, trace)
	if err := printPacket(out, reply, opts, s); err != nil {
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	if err := errors.Join(saveErrs...); err != nil {
		return err
	}
	faults := 0
	for _, m := range reply.Messages {
		if strings.HasSuffix(m.Target, "/onStatus") {
			faults++
			f := client.NewFault("", m.Target, m.Value)
			infof(c, "%s: %s", m.Target, f.Error())
		}
	}
	if faults > 0 {
		return withCode(exitFault, errors.New(faultBodies(faults, len(reply.Messages))))
	}
	return nil
}

// printPacket prints p as JSON on out, written as it is rendered
// (convert.WritePacket), or with -q/-r the part of that JSON they select:
// they pick from the output, whatever was sent, held whole within
// heldLimit.
func printPacket(out io.Writer, p *amf.Packet, opts *convert.Options, s *callSettings) error {
	if !s.querySet && !s.raw {
		return convert.WritePacket(out, p, opts)
	}
	buf, err := selectRendered(rendering{
		write:  func(w io.Writer, o *convert.Options) error { return convert.WritePacket(w, p, o) },
		append: func(b []byte, o *convert.Options) ([]byte, error) { return convert.AppendPacket(b, p, o) },
	}, opts, s, true)
	if err != nil {
		return err
	}
	_, err = out.Write(buf)
	return err
}

// headersNotReplayed returns the names of a HAR request's HTTP headers
// that call --from-har does not send: all of them (their values, cookies
// and Authorization among them, are the capture's, not this run's) but
// those amfcall sends its own of (Host, Content-Type, Content-Length,
// Accept-Encoding, Connection, HTTP/2's :pseudo-headers) and those -H
// gives.
func headersNotReplayed(c *cli.Context, names []string) []string {
	var given []string
	for _, h := range repeated(c, "header") {
		name, _, _ := strings.Cut(h, ":")
		given = append(given, strings.TrimSpace(name))
	}
	var left []string
	for _, n := range names {
		switch {
		case strings.HasPrefix(n, ":"):
			continue
		case slices.ContainsFunc(given, func(g string) bool { return strings.EqualFold(g, n) }):
			continue
		}
		switch strings.ToLower(n) {
		case "host", "content-type", "content-length", "accept-encoding", "connection":
			continue
		}
		left = append(left, n)
	}
	return left
}

// packetErr is the error amf.UnmarshalPacket gives of data, nil when it
// decodes, found with the token pass (amf.PacketError) wherever that can
// tell: a hostile body (millions of empty objects, then one over the
// reference limit) costs a pass over its bytes, not the gigabytes of
// values decoded before its error. Only a request whose references need
// another numbering is left to the value decoder.
// inputArg is the FILE argument of convert or dump as a hint writes it
// in a command to copy: the file's name, or FILE for stdin (which the
// command has read).
func inputArg(c *cli.Context) string {
	if f := c.Args().First(); f != "" && f != "-" {
		return shellWord(f)
	}
	return "FILE"
}

// pipedCommand is a command to read the input, for a hint of the form
// "CMD | amfcall ...": "CMD FILE" for a file, "... | CMD" when the input
// came on stdin (where "CMD FILE" named a file the user does not have).
func pipedCommand(c *cli.Context, cmd string) string {
	if f := c.Args().First(); f != "" && f != "-" {
		return cmd + " " + shellWord(f)
	}
	return "... | " + cmd
}

// notJSONPacket is the error of a --packet input that is neither typed
// JSON nor a packet that decodes, nil for JSON (read as such next). Bytes
// that are no JSON text were said to be bad JSON ("invalid character
// '\x00' looking for beginning of value"): they are AMF, and the error
// says where they fail as a packet, as convert --from packet does.
func notJSONPacket(g convert.Guess, name, file string) error {
	switch g.Kind {
	case convert.KindJSON:
		return nil
	case convert.KindEmpty:
		// As convert and dump say it (the JSON reader said "no JSON
		// value at line 1, column 1").
		return withCode(exitInput, fmt.Errorf("--packet %s: the input is empty", name)).
			hint("give the packet to send: AMF bytes, or typed JSON as amfcall convert --typed prints one")
	case convert.KindHAR:
		return usageErrorf("--packet %s: this is a HAR file, not a packet", name).
			hint("re-send its N-th AMF request with --from-har " + shellWord(file) + "#N; amfcall convert " + shellWord(file) + " lists them")
	}
	what := name
	if g.Encoding != convert.Raw {
		what = fmt.Sprintf("%s (%s-decoded)", name, g.Encoding)
	}
	var kind string
	switch g.Kind {
	case convert.KindSOL:
		kind = "is a .sol file"
	case convert.KindFLV:
		kind = "is an FLV file"
	case convert.KindSocket:
		kind = "holds AMF Socket frames"
	}
	arg := shellWord(file)
	if file == "-" {
		arg = "FILE"
	}
	if kind != "" {
		return withCode(exitInput, fmt.Errorf("--packet %s: the input %s, not an AMF packet", what, kind)).
			hint("amfcall convert " + arg + " shows what it holds")
	}
	perr := packetErr(g.Data)
	if perr == nil {
		return nil
	}
	return withCode(exitInput, fmt.Errorf("--packet %s: not typed JSON, and not an AMF packet: %w", what, perr)).
		hint("amfcall dump --from packet " + arg + " shows each byte up to where it stops being a packet")
}

func packetErr(data []byte) error {
	if err, known := amf.PacketError(data); known {
		return err
	}
	_, err := amf.UnmarshalPacket(data)
	return err
}

// faultBodies says how many of a reply's n bodies were faults, in words
// that fit the counts ("1 of 1 reply bodies are faults" before).
func faultBodies(faults, n int) string {
	switch {
	case n == 1:
		return "the reply body is a fault"
	case faults == n:
		return fmt.Sprintf("all %d reply bodies are faults", n)
	case faults == 1:
		return fmt.Sprintf("1 of %d reply bodies is a fault", n)
	}
	return fmt.Sprintf("%d of %d reply bodies are faults", faults, n)
}

package client

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
	"github.com/amfcall/amfcall/convert"
)

// CutBytes is the size over which [TraceHandler] shows a ByteArray
// abbreviated at verbosity 1: {"$bytes": <its first 48 bytes>, "$size": N,
// "$cut": true}, as the JSON mapping defines it.
const CutBytes = 1024

// cutHead is how many bytes an abbreviated ByteArray shows.
const cutHead = 48

// TraceHandler is the default [EventHandler], for people: like grpcurl's
// default event handler, it writes what the client does to Out. At
// VerbosityLevel 1 it shows the request and reply packets as typed JSON
// (ByteArrays over [CutBytes] abbreviated); at 2 also the HTTP header
// fields as sent and received, the timings, and ByteArrays whole. The
// password of a Credentials header, cookie values and header fields that
// look secret are always masked. It also keeps the request and reply
// bytes (RequestBody, ResponseBody) for callers that save them.
type TraceHandler struct {
	// Out receives the trace; nil writes nothing.
	Out io.Writer
	// VerbosityLevel is 0 (nothing but warnings), 1 or 2.
	VerbosityLevel int
	// JSON lays out the packets (indent, palette); Typed is always on.
	JSON convert.Options
	// Warn receives warnings (Notice.Warning), whatever the level. Nil
	// writes them to Out as "warning: ..." lines.
	Warn func(n Notice)
	// Streamed describes the request packet of a streamed request
	// ([Client.PostStream]), whose bytes the handler never sees: Packet is
	// shown in its place, with its ByteArray Hole (the streamed bytes,
	// Size of them, starting with Head) abbreviated.
	Streamed *StreamedRequest

	// RequestBody is the last request's body (nil when streamed).
	RequestBody []byte
	// ResponseBody is the last reply's body as read.
	ResponseBody []byte
	// GotReply is set once a reply came back, whatever its status.
	GotReply bool

	reqURL *url.URL
}

// StreamedRequest describes a request whose body is streamed: see
// [TraceHandler.Streamed].
type StreamedRequest struct {
	Packet *amf.Packet
	Hole   *amf.ByteArray
	Head   []byte
	Size   int64
	Source string // where the bytes come from, for the trace
}

var _ EventHandler = (*TraceHandler)(nil)

// OnRequest shows the request: its URL and size, and the packet as sent.
func (t *TraceHandler) OnRequest(ev *RequestEvent) {
	t.RequestBody = ev.Body
	t.reqURL = ev.HTTP.URL
	if t.VerbosityLevel < 1 || t.Out == nil {
		return
	}
	if ev.Packet == nil && t.Streamed != nil {
		fmt.Fprintf(t.Out, "* POST %s (%d bytes, streamed)\n", esc(ev.HTTP.URL.Redacted()), ev.HTTP.ContentLength)
		s := t.Streamed
		t.dump(fmt.Sprintf("request packet (the ByteArray holds the %d bytes of %s)", s.Size, s.Source), s.Packet,
			map[*amf.ByteArray]streamedBytes{s.Hole: {s.Head, s.Size}}, 0)
		return
	}
	switch n := ev.HTTP.ContentLength; {
	case ev.Body != nil || n == 0:
		fmt.Fprintf(t.Out, "* POST %s (%d bytes)\n", esc(ev.HTTP.URL.Redacted()), len(ev.Body))
	case n > 0:
		// A body sent with PostStream: the handler sees only its length.
		fmt.Fprintf(t.Out, "* POST %s (%d bytes)\n", esc(ev.HTTP.URL.Redacted()), n)
	default:
		fmt.Fprintf(t.Out, "* POST %s (length unknown, sent chunked)\n", esc(ev.HTTP.URL.Redacted()))
	}
	if ev.Packet != nil {
		// The bytes as sent, decoded again, so that what the encoder
		// decided (0x11 switches, references) is visible too.
		p := ev.Packet
		if sent, err := amf.UnmarshalPacket(ev.Body); err == nil {
			p = sent
		}
		t.dump("request packet", p, nil, len(ev.Body))
	}
}

// OnResponse shows the HTTP exchange (level 2) and the reply packet.
func (t *TraceHandler) OnResponse(ev *ResponseEvent) {
	t.ResponseBody = ev.Body
	t.GotReply = ev.HTTP != nil
	if t.Out == nil {
		return
	}
	if t.VerbosityLevel >= 2 {
		t.writeExchange(ev)
	}
	if t.VerbosityLevel >= 1 && ev.Packet != nil && ev.Skipped > 0 {
		fmt.Fprintf(t.Out, "* the reply's first %d bytes are not AMF and were skipped: %s\n", ev.Skipped, SkippedText(ev.Body[:ev.Skipped]))
		t.dump(fmt.Sprintf("reply packet (%d bytes, after the %d skipped)", len(ev.Body)-ev.Skipped, ev.Skipped), ev.Packet, nil, len(ev.Body))
	} else if t.VerbosityLevel >= 1 && ev.Packet != nil {
		t.dump(fmt.Sprintf("reply packet (%d bytes)", len(ev.Body)), ev.Packet, nil, len(ev.Body))
	}
}

// writeExchange shows the HTTP exchange: each request's header fields
// as sent, the reply's status and fields, and its timings. A redirect
// followed is shown as a request of its own, with its own timings, then
// the total of them all. (The fields of every request were mixed in one
// list, under the first request's path and over the last reply's
// status, and one line of timings measured the last request from the
// first one's start.)
func (t *TraceHandler) writeExchange(ev *ResponseEvent) {
	n := len(ev.Redirects) + 1
	url := t.reqURL
	for i, r := range ev.Redirects {
		if r.HTTP.Request != nil {
			url = r.HTTP.Request.URL
		}
		if url != nil {
			fmt.Fprintf(t.Out, "> POST %s\n", esc(url.RequestURI()))
		}
		writeHeaders(t.Out, "> ", r.SentHeader)
		fmt.Fprintf(t.Out, "< %s %s\n", esc(r.HTTP.Proto), esc(r.HTTP.Status))
		writeHeaders(t.Out, "< ", r.HTTP.Header)
		fmt.Fprintf(t.Out, "* timings of request %d of %d: %s\n", i+1, n, formatTimings(r.Timings))
		if loc, err := r.HTTP.Location(); err == nil {
			url = loc
			fmt.Fprintf(t.Out, "* following the redirect to %s\n", esc(loc.Redacted()))
		}
	}
	if ev.HTTP != nil && ev.HTTP.Request != nil && ev.HTTP.Request.URL != nil {
		url = ev.HTTP.Request.URL
	}
	if url != nil {
		fmt.Fprintf(t.Out, "> POST %s\n", esc(url.RequestURI()))
	}
	writeHeaders(t.Out, "> ", ev.SentHeader)
	if last := ev.HTTP; last != nil || ev.Unfollowed != nil {
		if last == nil {
			last = ev.Unfollowed // the redirect not followed, which the error names
		}
		fmt.Fprintf(t.Out, "< %s %s\n", esc(last.Proto), esc(last.Status))
		writeHeaders(t.Out, "< ", last.Header)
	}
	if n == 1 {
		fmt.Fprintf(t.Out, "* timings: %s\n", formatTimings(ev.Timings))
		return
	}
	fmt.Fprintf(t.Out, "* timings of request %d of %d: %s\n", n, n, formatTimings(ev.Timings))
	fmt.Fprintf(t.Out, "* timings of the %d requests: total %s\n", n, ev.Elapsed.Round(10*time.Microsecond))
}

// OnNotice shows information at level 1, and warnings always.
func (t *TraceHandler) OnNotice(n Notice) {
	switch {
	case n.Warning && t.Warn != nil:
		t.Warn(n)
	case n.Warning && t.Out != nil:
		fmt.Fprintf(t.Out, "warning: %s\n", esc(n.Msg))
	case t.VerbosityLevel >= 1 && t.Out != nil:
		fmt.Fprintf(t.Out, "* %s\n", esc(n.Msg))
	}
}

type streamedBytes struct {
	head []byte
	size int64
}

// dump writes a packet as typed JSON, masked and abbreviated.
// DumpPacket prints p as typed JSON, secrets masked, headed by what: for a
// packet that is sent some other way than through the client's events.
func (t *TraceHandler) DumpPacket(what string, p *amf.Packet) { t.dump(what, p, nil, 0) }

// dump writes p, of wire bytes on the wire (0: not known), as
// packetJSON renders it.
func (t *TraceHandler) dump(what string, p *amf.Packet, streamed map[*amf.ByteArray]streamedBytes, wire int) {
	js, err := t.packetJSON(p, streamed, traceJSONLimit(wire))
	if err != nil {
		fmt.Fprintf(t.Out, "* %s: (cannot show it: %s)\n", what, esc(err.Error()))
		return
	}
	fmt.Fprintf(t.Out, "* %s:\n%s\n", what, js)
}

// traceJSONLimit bounds the typed JSON a trace builds of a packet of
// wire bytes: 16 times them and 16 MiB more, at most convert's default
// of 1 GiB. Typed JSON writes a string sent by reference at each use,
// so that a reply of 1 MB (a 1 MB string and 20,000 references) is 20
// GB of it: amfcall call -v built it until it ran out of memory.
func traceJSONLimit(wire int) int64 {
	return min(16*int64(wire)+16<<20, 1<<30)
}

// packetJSON renders p as the trace shows it at the handler's level,
// its typed JSON up to limit bytes.
func (t *TraceHandler) packetJSON(p *amf.Packet, streamed map[*amf.ByteArray]streamedBytes, limit int64) ([]byte, error) {
	p = MaskPacket(p)
	cut := &cutter{limit: CutBytes, streamed: streamed, done: map[any]any{}}
	if t.VerbosityLevel >= 2 {
		cut.limit = -1 // whole, but a streamed ByteArray is never in memory
	}
	q := *p
	q.Headers = slices.Clone(p.Headers)
	for i := range q.Headers {
		q.Headers[i].Value = cut.value(q.Headers[i].Value)
	}
	q.Messages = slices.Clone(p.Messages)
	for i := range q.Messages {
		q.Messages[i].Value = cut.value(q.Messages[i].Value)
	}
	js, err := convert.AppendPacket(nil, &q, &convert.Options{Typed: true, MaxOutput: limit})
	if err != nil {
		return nil, err
	}
	js = cut.replaceMarks(js)
	o := t.JSON
	o.Typed = true
	return convert.Layout(js, &o), nil
}

// cutter copies a value with the large ByteArrays replaced by their
// first bytes and a marker, keeping shared values shared (and cycles).
type cutter struct {
	limit    int
	streamed map[*amf.ByteArray]streamedBytes
	done     map[any]any
	marks    []cutMark
	n        uint32
	// nonce makes this trace's markers: random, drawn at the first
	// cut, so that no reply's bytes can hold one (a ByteArray shown
	// whole that ended with a fixed marker's bytes took the "$size"
	// and "$cut" of one cut, and the one cut showed the marker).
	nonce [markerNonce]byte
}

type cutMark struct {
	marker []byte
	size   int64
}

// markerPrefix is how the base64 of every marker ("\x00cu", the
// cutter's random nonce and a 4-byte count: 22 bytes) begins: of its
// first three bytes, "\x00cu".
var markerPrefix = []byte(base64.StdEncoding.EncodeToString([]byte("\x00cu")))

// markerNonce is the size of a cutter's random nonce: 120 bits, which a
// reply cannot guess.
const markerNonce = 15

// marker is the n-th marker of c.
func (c *cutter) marker(n uint32) []byte {
	if n == 1 {
		rand.Read(c.nonce[:]) // never fails (it crashes the program instead)
	}
	m := append([]byte("\x00cu"), c.nonce[:]...)
	return binary.BigEndian.AppendUint32(m, n)
}

// replaceMarks turns each marker's base64 in js, and the quote that
// ends the ByteArray's string, into its "$size" and "$cut" members, in
// one pass: the head's base64 ends at a 3-byte boundary, so the
// marker's base64 follows it unchanged. (One bytes.Replace a marker
// copied the whole JSON each time: 20,000 ByteArrays cut took 31 s.)
func (c *cutter) replaceMarks(js []byte) []byte {
	if len(c.marks) == 0 {
		return js
	}
	size := make(map[string]int64, len(c.marks))
	markLen := 0 // every marker's base64, and the quote
	for _, m := range c.marks {
		k := base64.StdEncoding.EncodeToString(m.marker) + `"`
		size[k] = m.size
		markLen = len(k)
	}
	out := make([]byte, 0, len(js)+len(c.marks)*len(`","$size":,"$cut":true`))
	for len(js) > 0 {
		i := bytes.Index(js, markerPrefix)
		if i < 0 || len(js)-i < markLen {
			break
		}
		n, ok := size[string(js[i:i+markLen])]
		if !ok {
			out = append(out, js[:i+1]...)
			js = js[i+1:]
			continue
		}
		delete(size, string(js[i:i+markLen])) // each marker once, as before
		out = append(out, js[:i]...)
		out = append(out, `","$size":`...)
		out = strconv.AppendInt(out, n, 10)
		out = append(out, `,"$cut":true`...)
		js = js[i+markLen:]
	}
	return append(out, js...)
}

func (c *cutter) value(v any) any {
	if c.limit < 0 && len(c.streamed) == 0 {
		return v
	}
	switch x := v.(type) {
	case amf.AVMPlus:
		return amf.AVMPlus{Value: c.value(x.Value)}
	case *amf.ByteArray:
		if y, ok := c.done[x]; ok {
			return y
		}
		head, size := x.Data, int64(len(x.Data))
		if s, ok := c.streamed[x]; ok {
			head, size = s.head, s.size
			if int64(len(head)) == size && size <= CutBytes {
				// Small enough to be shown whole, and all there.
				return &amf.ByteArray{Data: head}
			}
		} else if c.limit < 0 || size <= int64(c.limit) {
			return x
		}
		c.n++
		marker := c.marker(c.n) // 22 bytes: 32 base64 characters
		head = head[:min(len(head), cutHead)]
		if len(head)%3 != 0 {
			head = head[:len(head)-len(head)%3]
		}
		y := &amf.ByteArray{Data: append(slices.Clone(head), marker...)}
		c.marks = append(c.marks, cutMark{marker, size})
		c.done[x] = y
		return y
	case *amf.Object:
		if y, ok := c.done[x]; ok {
			return y
		}
		y := &amf.Object{Class: x.Class, Traits: x.Traits}
		c.done[x] = y
		y.Members = c.members(x.Members)
		return y
	case *amf.ECMAArray:
		if y, ok := c.done[x]; ok {
			return y
		}
		y := &amf.ECMAArray{Count: x.Count}
		c.done[x] = y
		y.Members = c.members(x.Members)
		return y
	case *amf.Array:
		if y, ok := c.done[x]; ok {
			return y
		}
		y := &amf.Array{}
		c.done[x] = y
		y.Dense = make([]any, len(x.Dense))
		for i, e := range x.Dense {
			y.Dense[i] = c.value(e)
		}
		y.Assoc = c.members(x.Assoc)
		return y
	case *amf.Vector:
		if x.Type != amf.VectorObject {
			return x
		}
		if y, ok := c.done[x]; ok {
			return y
		}
		y := *x
		c.done[x] = &y
		y.Objects = make([]any, len(x.Objects))
		for i, e := range x.Objects {
			y.Objects[i] = c.value(e)
		}
		return &y
	case *amf.Dictionary:
		if y, ok := c.done[x]; ok {
			return y
		}
		y := &amf.Dictionary{WeakKeys: x.WeakKeys}
		c.done[x] = y
		y.Entries = make([]amf.DictEntry, len(x.Entries))
		for i, e := range x.Entries {
			y.Entries[i] = amf.DictEntry{Key: c.value(e.Key), Value: c.value(e.Value)}
		}
		return y
	}
	return v
}

func (c *cutter) members(ms []amf.Member) []amf.Member {
	if ms == nil {
		return nil
	}
	out := make([]amf.Member, len(ms))
	for i, m := range ms {
		out[i] = amf.Member{Name: m.Name, Value: c.value(m.Value)}
	}
	return out
}

// MaskPacket returns p with the password of a Credentials header
// replaced by "***", and so the whole value of a header whose name looks
// secret (SessionToken, AuthKey...), and of a RequestPersistentHeader
// asking for one.
func MaskPacket(p *amf.Packet) *amf.Packet {
	p = maskFlex(p)
	var hs []amf.Header
	for i, h := range p.Headers {
		if h.Name != "Credentials" && (secretName(h.Name) || persistentSecret(h.Value)) {
			if hs == nil {
				hs = slices.Clone(p.Headers)
			}
			hs[i].Value = "***"
			continue
		}
		o, ok := amf.Unwrap(h.Value).(*amf.Object)
		if h.Name != "Credentials" || !ok {
			continue
		}
		if _, has := o.Get("password"); !has {
			continue
		}
		if hs == nil {
			hs = slices.Clone(p.Headers)
		}
		m := &amf.Object{Class: o.Class, Traits: o.Traits, Members: slices.Clone(o.Members)}
		m.Set("password", "***")
		hs[i].Value = m
		if w, ok := h.Value.(amf.AVMPlus); ok {
			w.Value = m
			hs[i].Value = w
		}
	}
	if hs == nil {
		return p
	}
	q := *p
	q.Headers = hs
	return &q
}

// persistentSecret reports a RequestPersistentHeader value {name, data}
// whose name looks secret.
func persistentSecret(v any) bool {
	o, ok := amf.Unwrap(v).(*amf.Object)
	if !ok {
		return false
	}
	name, _ := o.Get("name")
	s, _ := amf.Unwrap(name).(string)
	return s != "" && secretName(s)
}

// esc is what the trace writes of a text it did not make (a URL, a
// status line, header fields, notices that quote the gateway): net/http
// lets C1 controls and bidi overrides through in header values, and C0
// controls in the status line's reason, so each is escaped as the error
// lines are (\x1b, \u009b).
func esc(s string) string { return safetext.Escape(s, 0) }

// maxTraceFields bounds the header fields writeHeaders prints of one
// request or reply: a hostile gateway's reply of 256 KiB (MaxHeaderBytes)
// of fields "a:b" printed 50,000 lines with -vv (2 million before that
// bound). Real ones have a few dozen.
const maxTraceFields = 200

// writeHeaders prints HTTP header fields sorted by name, secrets masked,
// at most maxTraceFields of them.
func writeHeaders(w io.Writer, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	shown, more := 0, 0
	for _, k := range keys {
		for _, v := range h[k] {
			if shown == maxTraceFields {
				more++
				continue
			}
			shown++
			fmt.Fprintf(w, "%s%s: %s\n", prefix, esc(k), esc(MaskHeader(k, v)))
		}
	}
	if more > 0 {
		fmt.Fprintf(w, "%s(%d more header fields, not shown)\n", prefix, more)
	}
}

// MaskHeader hides the secret in a header field: the credentials of
// Authorization-like fields, the values of cookies, and the whole value
// of fields whose names look like they hold a secret (keys, tokens,
// passwords, sessions).
func MaskHeader(name, value string) string {
	k := http.CanonicalHeaderKey(name)
	switch k {
	case "Authorization", "Proxy-Authorization":
		if scheme, _, ok := strings.Cut(value, " "); ok {
			return scheme + " ***"
		}
		return "***"
	case "Cookie":
		parts := strings.Split(value, ";")
		for i, p := range parts {
			if n, _, ok := strings.Cut(p, "="); ok {
				parts[i] = n + "=***"
			}
		}
		return strings.Join(parts, ";")
	case "Set-Cookie":
		pair, attrs, _ := strings.Cut(value, ";")
		if n, _, ok := strings.Cut(pair, "="); ok {
			pair = n + "=***"
		}
		if attrs != "" {
			return pair + ";" + attrs
		}
		return pair
	}
	if secretName(k) {
		return "***"
	}
	return value
}

// secretName reports whether a header's name (HTTP or AMF) says its
// value is a secret: keys, tokens, passwords, sessions, signatures.
func secretName(name string) bool {
	lk := strings.ToLower(name)
	for _, w := range []string{"auth", "token", "secret", "password", "passwd", "session", "cookie", "credential", "signature"} {
		if strings.Contains(lk, w) {
			return true
		}
	}
	return strings.HasSuffix(lk, "-key") || strings.HasSuffix(lk, "apikey") || strings.HasPrefix(lk, "x-api")
}

func formatTimings(t Timings) string {
	var parts []string
	add := func(name string, d time.Duration) {
		if d > 0 {
			parts = append(parts, name+" "+d.Round(10*time.Microsecond).String())
		}
	}
	add("dns", t.DNS)
	add("connect", t.Connect)
	add("tls", t.TLS)
	if t.FirstByte <= 0 || t.Sent <= t.FirstByte {
		// Sent is taken when the transport's hook runs, after the
		// write; on a fast link the reply's first byte can be read
		// (and timed) before that hook runs, though the request was
		// written first. Which came first is then unknown: "sent"
		// after "first byte" would show an order that may not have
		// happened, so it is left out.
		add("sent", t.Sent)
	}
	add("first byte", t.FirstByte)
	add("total", t.Total)
	s := strings.Join(parts, ", ")
	if t.Reused {
		s += " (reused connection)"
	}
	return s
}

// maskFlex returns p with the secrets of Flex messages replaced by "***":
// the body of a login and the DSRemoteCredentials header.
func maskFlex(p *amf.Packet) *amf.Packet {
	var msgs []amf.Message
	for i, m := range p.Messages {
		v := m.Value
		if a, ok := v.(*amf.Array); ok && len(a.Dense) == 1 {
			v = a.Dense[0]
		}
		o, ok := amf.Unwrap(v).(*amf.Object)
		if !ok || !amf.IsFlexMessage(o.Class) {
			continue
		}
		masked := maskFlexMessage(o)
		if masked == o {
			continue
		}
		if msgs == nil {
			msgs = slices.Clone(p.Messages)
		}
		msgs[i].Value = &amf.Array{Dense: []any{amf.AVMPlus{Value: masked}}}
	}
	if msgs == nil {
		return p
	}
	q := *p
	q.Messages = msgs
	return &q
}

func maskFlexMessage(o *amf.Object) *amf.Object {
	var out *amf.Object
	clone := func() {
		if out == nil {
			out = &amf.Object{Class: o.Class, Traits: o.Traits, Members: slices.Clone(o.Members)}
		}
	}
	if op, _ := amf.FlexField(o, "operation").(amf.Int); op == OpLogin && (o.Class == amf.ClassCommandMessage || o.Class == amf.ClassDSC) {
		clone()
		out.Set("body", "***")
	}
	if h, ok := amf.FlexField(o, "headers").(*amf.Object); ok {
		if _, has := h.Get("DSRemoteCredentials"); has {
			clone()
			mh := &amf.Object{Class: h.Class, Traits: h.Traits, Members: slices.Clone(h.Members)}
			mh.Set("DSRemoteCredentials", "***")
			out.Set("headers", mh)
		}
	}
	if out == nil {
		return o
	}
	return out
}

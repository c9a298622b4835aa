package amf

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Packet is an AMF remoting packet (the body of an application/x-amf HTTP
// request or response).
type Packet struct {
	Version  uint16
	Headers  []Header
	Messages []Message
}

// Header is a packet header. Length is the length field as read when it is
// not the value's exact length (0xFFFFFFFF, 0 and 1 are common); nil means
// exact, which is what the encoder writes.
//
// CrossEscapeRefs records that the value's AMF3 strings or traits refer to
// entries made in an earlier 0x11 switch of the same value, as BlazeDS and
// Flash write them (digest §3.7): the decoder sets it when it reads such a
// reference, and the encoder then writes the value that way (as
// [EncOptions].CrossEscapeRefs does for every value), so the bytes come
// back the same. Messages have it too.
//
// XMLRefs records that the value's AMF0 references count an XML
// document's slot, as Flash Player numbers them (digest §1.4): the
// decoder sets it when it reads a reference to an XML document or to an
// entry made after one, which only Flash's numbering resolves so. The
// encoder then numbers as Flash does, so the bytes come back the same;
// without it, it follows the digest's recommendation, since BlazeDS and
// RocketAMF give XML no slot: after an XML document that takes a slot
// (the default [ProfileFlash]) no reference is written to the document
// or to any entry made after it, the value being written in full again
// (a value that contains itself there excepted: its reference is
// Flash's). Messages have it too.
type Header struct {
	Name            string
	MustUnderstand  bool
	Length          *uint32
	Value           any
	CrossEscapeRefs bool
	XMLRefs         bool
}

// Message is a packet body: a request (Target "Service.method" or "null",
// Response "/1") or a response (Target "/1/onResult", "/1/onStatus").
//
// UnregisteredArgs and DateRefs record how a request's AMF0 reference
// table was numbered, since players disagree (digest §1.4): Flash Player
// (AVM1) gives the argument array (the top-level strict array) the first
// slot and dates none; PyAMF's client gives the argument array no slot
// (UnregisteredArgs); Flash Player 9 requests, as Red5 answers them, give
// the argument array no slot and each date one (UnregisteredArgs and
// DateRefs). The decoder reads Flash's way unless a reference is then
// unresolved or makes an argument list (a strict array being read)
// contain itself; then it uses the other numbering under which every
// reference resolves and no argument list contains itself, when exactly
// one does. The encoder numbers the way the fields say, so the bytes come
// back the same. CrossEscapeRefs and XMLRefs are as in [Header].
type Message struct {
	Target           string
	Response         string
	Length           *uint32
	Value            any
	UnregisteredArgs bool
	DateRefs         bool
	CrossEscapeRefs  bool
	XMLRefs          bool
}

// IsRequest reports whether m is a request (its target is not a reply's
// "/N/onResult", "/N/onStatus" or "/N/onDebugEvents").
func (m *Message) IsRequest() bool { return !isReplyTarget(m.Target) }

// Numbering names, for people, the reference numbering of a request
// message that UnregisteredArgs and DateRefs give, and says what it
// means.
func (m *Message) Numbering() string {
	switch {
	case m.UnregisteredArgs && m.DateRefs:
		return "Flash Player 9 as Red5 reads it (the argument array takes no slot, dates take one)"
	case m.UnregisteredArgs:
		return "PyAMF (the argument array takes no slot)"
	case m.DateRefs:
		return "Flash with dates (the argument array is reference 0, dates take a slot)"
	}
	return "Flash (the argument array is reference 0)"
}

// UnknownLength is the length field value meaning "not given".
const UnknownLength = 0xFFFFFFFF

// UnmarshalPacket decodes a whole remoting packet.
func UnmarshalPacket(data []byte) (*Packet, error) {
	return defaultDecMode.UnmarshalPacket(data)
}

// MarshalPacket encodes a remoting packet, writing exact lengths unless a
// header or message says otherwise.
func MarshalPacket(p *Packet) ([]byte, error) {
	return defaultEncMode.MarshalPacket(p)
}

// AppendPacket appends the encoding of p to dst.
func AppendPacket(dst []byte, p *Packet) ([]byte, error) {
	return defaultEncMode.AppendPacket(dst, p)
}

// UnmarshalPacket decodes a whole remoting packet with the mode's limits.
// Each header value and each message value is its own reference context
// (AMF0 and AMF3 tables start empty); inside one value, the AMF3 tables
// carry across 0x11 switches.
func (m *DecMode) UnmarshalPacket(data []byte) (*Packet, error) {
	return m.unmarshalPacket(nil, data)
}

// unmarshalPacket is UnmarshalPacket, into a's memory when a is not nil.
func (m *DecMode) unmarshalPacket(a *Arena, data []byte) (*Packet, error) {
	b := a.builder(m, data, AMF0)
	b.watchCross = true
	p, err := b.packet()
	off := b.r.off
	a.done(b)
	if err != nil {
		return nil, err
	}
	if off != len(data) {
		return nil, &TrailingDataError{N: len(data) - off, Offset: int64(off)}
	}
	return p, nil
}

// envErr is an error of the packet envelope, or of a value inside it,
// with the path to it.
func envErr(err error, path ...string) error {
	var b []byte
	for _, s := range path {
		b = append(b, '/')
		b = append(b, escapePointer(s)...)
	}
	switch e := err.(type) {
	case *decErr:
		return &SyntaxError{Version: e.ver, Offset: e.offset, Path: string(b), Err: e.err}
	case *SyntaxError:
		c := *e
		c.Path = string(b) + c.Path
		return &c
	}
	return err
}

// str0 reads a U16-prefixed string of the envelope (or a .sol name).
func (b *builder) str0() (string, error) {
	r := b.r
	lenOff := r.off
	n, err := r.u16(AMF0)
	if err != nil || n == 0 {
		return "", err
	}
	k, err := r.take(AMF0, lenOff, int64(n))
	if err != nil {
		return "", err
	}
	return b.cachedText(k).(string), nil
}

// valueAt reads one whole value at r.off, in the current context.
func (b *builder) valueAt() (any, error) {
	r := b.r
	if r.off >= len(r.data) {
		return nil, r.finish(r.fail(r.ver, len(r.data), io.ErrUnexpectedEOF))
	}
	return b.top()
}

func (b *builder) packet() (*Packet, error) {
	r := b.r
	ver, err := r.u16(AMF0)
	if err != nil {
		return nil, envErr(err, "version")
	}
	if ver != 0 && ver != 1 && ver != 3 {
		return nil, &SyntaxError{Version: "amf", Offset: 0, Err: fmt.Errorf("%w %d (want 0, 1 or 3)", ErrVersion, ver)}
	}
	p := &Packet{Version: uint16(ver)}
	off := r.off
	hc, err := r.count16(false)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(hc), 8)
	}
	if err != nil {
		return nil, envErr(err, "headers")
	}
	p.Headers = make([]Header, hc)
	for i := range p.Headers {
		h := &p.Headers[i]
		if err := b.packetPart(&h.Name, nil, &h.MustUnderstand, &h.Length, &h.Value, nil, nil, &h.CrossEscapeRefs, &h.XMLRefs); err != nil {
			return nil, envErr(err, "headers", strconv.Itoa(i))
		}
	}
	off = r.off
	mc, err := r.count16(true)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(mc), 9)
	}
	if err != nil {
		return nil, envErr(err, "messages")
	}
	p.Messages = make([]Message, mc)
	for i := range p.Messages {
		m := &p.Messages[i]
		if err := b.packetPart(&m.Target, &m.Response, nil, &m.Length, &m.Value, &m.UnregisteredArgs, &m.DateRefs, &m.CrossEscapeRefs, &m.XMLRefs); err != nil {
			return nil, envErr(err, "messages", strconv.Itoa(i))
		}
	}
	return p, nil
}

func (b *builder) packetPart(name, resp *string, mu *bool, length **uint32, value *any, unregArgs, dateRefs, crossRefs, xmlRefs *bool) error {
	r := b.r
	var err error
	if resp == nil {
		if *name, err = b.str0(); err != nil {
			return envErr(err, "name")
		}
		c, err := r.u8(AMF0)
		if err != nil {
			return envErr(err, "mustUnderstand")
		}
		*mu = c != 0
	} else {
		if *name, err = b.str0(); err != nil {
			return envErr(err, "target")
		}
		if *resp, err = b.str0(); err != nil {
			return envErr(err, "response")
		}
	}
	n, err := r.u32(AMF0)
	if err != nil {
		return envErr(err, "length")
	}
	start := r.off
	// Only a request's value is an argument array; a reply's value may
	// well contain itself.
	var v any
	if unregArgs != nil && !isReplyTarget(*name) {
		var nb numbering
		v, nb, err = b.request(start)
		*unregArgs, *dateRefs = nb.unregArgs, nb.dateRefs
	} else {
		b.restart(start)
		v, err = b.valueAt()
	}
	if err != nil {
		return envErr(err, "value")
	}
	if int64(n) != int64(r.off-start) {
		*length = &n
	}
	*value = v
	*crossRefs, *xmlRefs = b.crossRefs, b.xmlRefs
	return nil
}

// numbering is one way of numbering a request's AMF0 references.
type numbering struct{ unregArgs, dateRefs bool }

// requestNumbering is the numbering UnmarshalPacket reads the request
// value at start of data with.
func (m *DecMode) requestNumbering(data []byte, start int) numbering {
	b := getBuilder(m, data, AMF0)
	_, nb, _ := b.request(start)
	putBuilder(b)
	return nb
}

// request reads a request message's value, which starts at start, with
// the reference numbering that fits it (see Message.UnregisteredArgs).
// Flash Player's AVM1 numbering is the default; when it leaves a
// reference unresolved or makes an argument list contain itself, the
// numberings in which the argument array takes no slot are tried (dates
// taking no slot, as PyAMF's client writes, or one, as Flash Player 9
// requests answered by Red5 read), and the one that fits is used. When
// none or several fit, the first that decodes is used (Flash's first).
// Each try reads the bytes again from start with the Reader.
func (b *builder) request(start int) (any, numbering, error) {
	defer b.endRequest()
	if b.m.unregArgs {
		v, _, err := b.tryNumbering(start, pyamfNumbering)
		return v, pyamfNumbering, err
	}
	v, fits, err := b.tryNumbering(start, flashNumbering)
	if fits || (err != nil && !isRef0Err(err)) || IsLimit(err) {
		// Another numbering changes what references point at, nothing
		// else: it cannot help any other error.
		return v, flashNumbering, err
	}
	sawDate := b.sawDate
	var fit, decodes []numbering
	if err == nil {
		decodes = append(decodes, flashNumbering)
	}
	for _, nb := range []numbering{pyamfNumbering, red5Numbering} {
		if nb.dateRefs && (!sawDate || b.m.profile.registersDates() || (len(decodes) > 0 && decodes[len(decodes)-1] == pyamfNumbering && !b.refAfterDate)) {
			// Dates already take a slot, or none comes before a
			// reference: the same reading as PyAMF's.
			continue
		}
		_, ok, err := b.tryNumbering(start, nb)
		if IsLimit(err) {
			return nil, nb, err
		}
		if ok {
			fit = append(fit, nb)
		}
		if err == nil {
			decodes = append(decodes, nb)
		}
	}
	choice := flashNumbering
	switch {
	case len(fit) == 1:
		choice = fit[0]
	case len(decodes) > 0:
		choice = decodes[0]
	}
	// Read again with the choice, so that the value, the offset and any
	// error are its own.
	v, _, err = b.tryNumbering(start, choice)
	return v, choice, err
}

var (
	flashNumbering = numbering{}
	pyamfNumbering = numbering{unregArgs: true}
	red5Numbering  = numbering{unregArgs: true, dateRefs: true}
)

// isRef0Err reports whether err is an AMF0 reference out of range.
func isRef0Err(err error) bool {
	var se *SyntaxError
	var re *refError
	return errors.As(err, &se) && se.Version == "amf0" && errors.As(se.Err, &re)
}

// tryNumbering reads the value at start with the numbering nb, and
// reports whether it fits: it decodes and no argument list contains
// itself.
func (b *builder) tryNumbering(start int, nb numbering) (any, bool, error) {
	r := b.r
	b.restart(start)
	b.watchArgs, b.selfList, b.sawDate, b.refAfterDate = true, false, false, false
	clear(b.open)
	b.open = b.open[:0]
	r.dateRefs = nb.dateRefs
	if r.off >= len(r.data) {
		return nil, false, r.finish(r.fail(AMF0, len(r.data), io.ErrUnexpectedEOF))
	}
	if err := b.next(); err != nil {
		return nil, false, r.failed(err)
	}
	if t := &r.t; nb.unregArgs && t.Kind == KindArray && t.Version == AMF0 && len(r.refs0) == 1 {
		// PyAMF's numbering: the argument array takes no slot.
		r.refs0 = r.refs0[:0]
		t.Index = -1
	}
	v, err := b.value()
	if err != nil {
		return nil, false, r.failed(err)
	}
	return v, !b.selfList, nil
}

// endRequest ends the watching of a request's numbering.
func (b *builder) endRequest() {
	b.watchArgs, b.selfList, b.sawDate, b.refAfterDate = false, false, false, false
	b.r.dateRefs = false
	clear(b.open)
	b.open = b.open[:0]
}

// MarshalPacket encodes a remoting packet with the mode's options.
func (m *EncMode) MarshalPacket(p *Packet) ([]byte, error) {
	e := getEncoder(m)
	defer putEncoder(e)
	e.buf = e.out[:0]
	if err := e.packet(p); err != nil {
		e.out = e.buf[:0]
		return nil, err
	}
	return e.result(), nil
}

// AppendPacket appends the encoding of p to dst. On error it returns dst
// as it was.
func (m *EncMode) AppendPacket(dst []byte, p *Packet) ([]byte, error) {
	e := getEncoder(m)
	defer putEncoder(e)
	e.buf = dst
	if err := e.packet(p); err != nil {
		return dst, err
	}
	return e.buf, nil
}

// packet writes p through the encoder's Writer, the one packet framing
// ([Writer.WritePacket]).
func (e *encoder) packet(p *Packet) error {
	return e.WritePacket(p)
}

// isReplyTarget reports whether a message target is a reply's
// ("/1/onResult", "/1/onStatus", "/1/onDebugEvents").
func isReplyTarget(t string) bool {
	return strings.HasPrefix(t, "/") && (strings.HasSuffix(t, "/onResult") || strings.HasSuffix(t, "/onStatus") || strings.HasSuffix(t, "/onDebugEvents"))
}

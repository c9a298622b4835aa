package amf

import (
	"fmt"
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
type Header struct {
	Name            string
	MustUnderstand  bool
	Length          *uint32
	Value           any
	CrossEscapeRefs bool
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
// back the same. CrossEscapeRefs is as in [Header].
type Message struct {
	Target           string
	Response         string
	Length           *uint32
	Value            any
	UnregisteredArgs bool
	DateRefs         bool
	CrossEscapeRefs  bool
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
	d := getDecoder(m, data)
	p, err := d.packet()
	off := d.off
	putDecoder(d)
	if err != nil {
		return nil, finishDecErr(err, 0)
	}
	if off != len(data) {
		return nil, &TrailingDataError{N: len(data) - off, Offset: int64(off)}
	}
	return p, nil
}

func (d *decoder) pstr(what string) (string, error) {
	s, err := d.key0()
	if err != nil {
		return "", withSeg(err, what)
	}
	return s, nil
}

func (d *decoder) packet() (*Packet, error) {
	ver, err := d.u16(AMF0)
	if err != nil {
		return nil, withSeg(err, "version")
	}
	if ver != 0 && ver != 1 && ver != 3 {
		return nil, &decErr{ver: "amf", offset: 0, err: fmt.Errorf("%w %d (want 0, 1 or 3)", ErrVersion, ver)}
	}
	p := &Packet{Version: ver}
	off := d.off
	hc, err := d.u16(AMF0)
	if err != nil {
		return nil, withSeg(err, "headers")
	}
	if err := d.checkCount(AMF0, off, int64(hc), 8); err != nil {
		return nil, withSeg(err, "headers")
	}
	p.Headers = make([]Header, hc)
	for i := range p.Headers {
		h := &p.Headers[i]
		if err := d.packetPart(&h.Name, nil, &h.MustUnderstand, &h.Length, &h.Value, nil, nil, &h.CrossEscapeRefs); err != nil {
			return nil, withSeg(withSeg(err, idxSeg(i)), "headers")
		}
	}
	off = d.off
	mc, err := d.u16(AMF0)
	if err != nil {
		return nil, withSeg(err, "messages")
	}
	if err := d.checkCount(AMF0, off, int64(mc), 9); err != nil {
		return nil, withSeg(err, "messages")
	}
	p.Messages = make([]Message, mc)
	for i := range p.Messages {
		m := &p.Messages[i]
		if err := d.packetPart(&m.Target, &m.Response, nil, &m.Length, &m.Value, &m.UnregisteredArgs, &m.DateRefs, &m.CrossEscapeRefs); err != nil {
			return nil, withSeg(withSeg(err, idxSeg(i)), "messages")
		}
	}
	return p, nil
}

func (d *decoder) packetPart(name, resp *string, mu *bool, length **uint32, value *any, unregArgs, dateRefs, crossRefs *bool) error {
	var err error
	if resp == nil {
		if *name, err = d.pstr("name"); err != nil {
			return err
		}
		b, err := d.u8(AMF0)
		if err != nil {
			return withSeg(err, "mustUnderstand")
		}
		*mu = b != 0
	} else {
		if *name, err = d.pstr("target"); err != nil {
			return err
		}
		if *resp, err = d.pstr("response"); err != nil {
			return err
		}
	}
	n, err := d.u32(AMF0)
	if err != nil {
		return withSeg(err, "length")
	}
	start := d.off
	// Only a request's value is an argument array; a reply's value may
	// well contain itself.
	var v any
	if unregArgs != nil && !isReplyTarget(*name) {
		var nb numbering
		v, nb, err = d.request(start)
		*unregArgs, *dateRefs = nb.unregArgs, nb.dateRefs
	} else {
		d.reset()
		v, err = d.value0()
	}
	if err != nil {
		return withSeg(err, "value")
	}
	if int64(n) != int64(d.off-start) {
		*length = &n
	}
	*value = v
	*crossRefs = d.crossRefs
	return nil
}

// numbering is one way of numbering a request's AMF0 references.
type numbering struct{ unregArgs, dateRefs bool }

// request reads a request message's value, which starts at start, with
// the reference numbering that fits it (see Message.UnregisteredArgs).
// Flash Player's AVM1 numbering is the default; when it leaves a
// reference unresolved or makes an argument list contain itself, the
// numberings in which the argument array takes no slot are tried (dates
// taking no slot, as PyAMF's client writes, or one, as Flash Player 9
// requests answered by Red5 read), and the one that fits is used. When
// none or several fit, the first that decodes is used (Flash's first).
func (d *decoder) request(start int) (any, numbering, error) {
	defer func() {
		d.watchArgs, d.selfList, d.skipArgs, d.dateRefs, d.sawDate, d.refAfterDate, d.ref0Err = false, false, false, false, false, false, false
		clear(d.open)
		d.open = d.open[:0]
	}()
	if d.m.unregArgs {
		v, _, err := d.tryNumbering(start, pyamfNumbering)
		return v, pyamfNumbering, err
	}
	v, fits, err := d.tryNumbering(start, flashNumbering)
	if fits || (err != nil && !d.ref0Err) || IsLimit(err) {
		// Another numbering changes what references point at, nothing
		// else: it cannot help any other error.
		return v, flashNumbering, err
	}
	sawDate := d.sawDate
	var fit, decodes []numbering
	if err == nil {
		decodes = append(decodes, flashNumbering)
	}
	for _, nb := range []numbering{pyamfNumbering, red5Numbering} {
		if nb.dateRefs && (!sawDate || d.m.profile.registersDates() || (len(decodes) > 0 && decodes[len(decodes)-1] == pyamfNumbering && !d.refAfterDate)) {
			// Dates already take a slot, or none comes before a
			// reference: the same reading as PyAMF's.
			continue
		}
		_, ok, err := d.tryNumbering(start, nb)
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
	v, _, err = d.tryNumbering(start, choice)
	return v, choice, err
}

var (
	flashNumbering = numbering{}
	pyamfNumbering = numbering{unregArgs: true}
	red5Numbering  = numbering{unregArgs: true, dateRefs: true}
)

// tryNumbering reads the value at start with the numbering nb, and
// reports whether it fits: it decodes and no argument list contains
// itself.
func (d *decoder) tryNumbering(start int, nb numbering) (any, bool, error) {
	d.reset()
	d.off = start
	d.watchArgs, d.selfList, d.skipArgs, d.dateRefs = true, false, nb.unregArgs, nb.dateRefs
	d.sawDate, d.refAfterDate, d.ref0Err = false, false, false
	clear(d.open)
	d.open = d.open[:0]
	v, err := d.value0()
	return v, err == nil && !d.selfList, err
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

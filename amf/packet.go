package amf

import (
	"encoding/binary"
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
type Header struct {
	Name           string
	MustUnderstand bool
	Length         *uint32
	Value          any
}

// Message is a packet body: a request (Target "Service.method" or "null",
// Response "/1") or a response (Target "/1/onResult", "/1/onStatus").
//
// UnregisteredArgs records how the AMF0 reference table was numbered: Flash
// Player gives a request's argument array (the top-level strict array) the
// first slot, PyAMF's client does not. The decoder reads Flash's way unless
// a reference then points at the argument array itself (something no Flash
// request can contain), in which case it reads the message again PyAMF's
// way and sets UnregisteredArgs, so that the encoder numbers the same way.
type Message struct {
	Target           string
	Response         string
	Length           *uint32
	Value            any
	UnregisteredArgs bool
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
		if err := d.packetPart(&h.Name, nil, &h.MustUnderstand, &h.Length, &h.Value, nil); err != nil {
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
		if err := d.packetPart(&m.Target, &m.Response, nil, &m.Length, &m.Value, &m.UnregisteredArgs); err != nil {
			return nil, withSeg(withSeg(err, idxSeg(i)), "messages")
		}
	}
	return p, nil
}

func (d *decoder) packetPart(name, resp *string, mu *bool, length **uint32, value *any, unregArgs *bool) error {
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
	d.reset()
	start := d.off
	// Only a request's value is an argument array; a reply's value may
	// well contain itself.
	request := unregArgs != nil && !isReplyTarget(*name)
	d.watchArgs = request
	d.skipArgs = request && d.m.unregArgs
	v, err := d.value0()
	if d.skipArgs {
		*unregArgs = err == nil
	} else if d.argsRef {
		// A reference to the argument array itself: PyAMF's numbering.
		d.reset()
		d.off, d.skipArgs = start, true
		v, err = d.value0()
		*unregArgs = err == nil
	}
	d.watchArgs, d.argsRef, d.skipArgs, d.args = false, false, false, nil
	if err != nil {
		return withSeg(err, "value")
	}
	if int64(n) != int64(d.off-start) {
		*length = &n
	}
	*value = v
	return nil
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

func (e *encoder) packet(p *Packet) error {
	if len(p.Headers) > 0xFFFF || len(p.Messages) > 0xFFFF {
		return &EncodeError{Version: "amf", Err: fmt.Errorf("%w: more than 65535 headers or messages", ErrUnencodable)}
	}
	e.u16(p.Version)
	e.u16(uint16(len(p.Headers)))
	for i := range p.Headers {
		h := &p.Headers[i]
		if err := e.packetPart(h.Name, nil, h.MustUnderstand, h.Length, h.Value, false); err != nil {
			return finishEncErr(withSeg(withSeg(err, idxSeg(i)), "headers"), AMF0)
		}
	}
	e.u16(uint16(len(p.Messages)))
	for i := range p.Messages {
		msg := &p.Messages[i]
		if err := e.packetPart(msg.Target, &msg.Response, false, msg.Length, msg.Value, msg.UnregisteredArgs); err != nil {
			return finishEncErr(withSeg(withSeg(err, idxSeg(i)), "messages"), AMF0)
		}
	}
	return nil
}

func (e *encoder) packetPart(name string, resp *string, mu bool, length *uint32, v any, unregArgs bool) error {
	what := "name"
	if resp != nil {
		what = "target"
	}
	if err := e.str0raw(name); err != nil {
		return withSeg(err, what)
	}
	if resp == nil {
		if mu {
			e.u8(1)
		} else {
			e.u8(0)
		}
	} else if err := e.str0raw(*resp); err != nil {
		return withSeg(err, "response")
	}
	at := len(e.buf)
	e.u32(0)
	e.reset()
	start := len(e.buf)
	var err error
	if a, ok := v.(*Array); ok && unregArgs && len(a.Assoc) == 0 {
		// PyAMF's numbering: the argument array takes no slot.
		err = e.strict0(a.Dense)
	} else if l, ok := v.([]any); ok && unregArgs {
		err = e.strict0(l)
	} else {
		err = e.value0(v)
	}
	if err != nil {
		return withSeg(err, "value")
	}
	n := uint32(len(e.buf) - start)
	if length != nil {
		n = *length
	}
	binary.BigEndian.PutUint32(e.buf[at:], n)
	return nil
}

// isReplyTarget reports whether a message target is a reply's
// ("/1/onResult", "/1/onStatus", "/1/onDebugEvents").
func isReplyTarget(t string) bool {
	return strings.HasPrefix(t, "/") && (strings.HasSuffix(t, "/onResult") || strings.HasSuffix(t, "/onStatus") || strings.HasSuffix(t, "/onDebugEvents"))
}

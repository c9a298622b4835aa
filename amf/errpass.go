package amf

// The error of a packet or .sol file that does not decode, found with
// the token Reader: UnmarshalPacket and UnmarshalSOL build every value
// before the one that fails, which hostile input makes gigabytes (issue
// 7: 50 MB of empty objects over the reference limit took 2.4 GB before
// its error).

import (
	"fmt"
	"io"
	"strconv"
)

// PacketError reports, without building the values, the error
// [DecMode.UnmarshalPacket] returns for data: the same error (text,
// offset, path), or nil when it decodes. known is false when only the
// value model can tell: a request message whose AMF0 references do not
// resolve with Flash's numbering, which UnmarshalPacket then tries
// others for (see Message.UnregisteredArgs), one of which reads it (or
// stops at a limit) with the tokens alone.
func PacketError(data []byte) (err error, known bool) {
	return defaultDecMode.PacketError(data)
}

// PacketError is [PacketError] with the mode's limits and numbering.
func (m *DecMode) PacketError(data []byte) (err error, known bool) {
	b := getBuilder(m, data, AMF0)
	defer putBuilder(b)
	r := b.r
	ver, err := r.u16(AMF0)
	if err != nil {
		return envErr(err, "version"), true
	}
	if ver != 0 && ver != 1 && ver != 3 {
		return &SyntaxError{Version: "amf", Offset: 0, Err: fmt.Errorf("%w %d (want 0, 1 or 3)", ErrVersion, ver)}, true
	}
	off := r.off
	hc, err := r.count16(false)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(hc), 8)
	}
	if err != nil {
		return envErr(err, "headers"), true
	}
	for i := 0; i < hc; i++ {
		if err, known := b.checkPart(false); err != nil || !known {
			return envErr(err, "headers", strconv.Itoa(i)), known
		}
	}
	off = r.off
	mc, err := r.count16(true)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(mc), 9)
	}
	if err != nil {
		return envErr(err, "messages"), true
	}
	for i := 0; i < mc; i++ {
		if err, known := b.checkPart(true); err != nil || !known {
			return envErr(err, "messages", strconv.Itoa(i)), known
		}
	}
	if r.off != len(data) {
		return &TrailingDataError{N: len(data) - r.off, Offset: int64(r.off)}, true
	}
	return nil, true
}

// checkPart is packetPart reading the value with the token Reader only.
func (b *builder) checkPart(message bool) (error, bool) {
	r := b.r
	name, err := b.str0()
	if !message {
		if err != nil {
			return envErr(err, "name"), true
		}
		if _, err := r.u8(AMF0); err != nil {
			return envErr(err, "mustUnderstand"), true
		}
	} else {
		if err != nil {
			return envErr(err, "target"), true
		}
		if _, err = b.str0(); err != nil {
			return envErr(err, "response"), true
		}
	}
	if _, err := r.u32(AMF0); err != nil {
		return envErr(err, "length"), true
	}
	start := r.off
	known := true
	if message && !isReplyTarget(name) {
		err, known = b.checkRequest(start)
	} else {
		err = b.skipNumbering(start, flashNumbering)
	}
	if err != nil || !known {
		return envErr(err, "value"), known
	}
	return nil, true
}

// checkRequest is request with the token Reader: Flash's numbering, and
// when an AMF0 reference does not resolve with it, the others that
// request tries; their error is Flash's when none reads the value.
func (b *builder) checkRequest(start int) (error, bool) {
	if b.m.unregArgs {
		return b.skipNumbering(start, pyamfNumbering), true
	}
	err := b.skipNumbering(start, flashNumbering)
	if err == nil || !isRef0Err(err) || IsLimit(err) {
		return err, true
	}
	for _, nb := range []numbering{pyamfNumbering, red5Numbering} {
		if e := b.skipNumbering(start, nb); e == nil || IsLimit(e) {
			return nil, false // it may decode (or stop at the limit) another way
		}
	}
	// None fits and none decodes: request reads Flash's again.
	return b.skipNumbering(start, flashNumbering), true
}

// skipNumbering is tryNumbering reading the value's tokens only: its
// error, nil when it decodes.
func (b *builder) skipNumbering(start int, nb numbering) error {
	r := b.r
	b.restart(start)
	r.dateRefs = nb.dateRefs
	defer func() { r.dateRefs = false }()
	if r.off >= len(r.data) {
		return r.finish(r.fail(AMF0, len(r.data), io.ErrUnexpectedEOF))
	}
	return b.skipOne(nb.unregArgs)
}

// skipOne reads the tokens of the value at r.off, as valueAt reads it,
// building nothing: its error, nil when it decodes. unregArgs: PyAMF's
// numbering of a request (the argument array takes no slot).
func (b *builder) skipOne(unregArgs bool) error {
	r := b.r
	if r.off >= len(r.data) {
		return r.finish(r.fail(r.ver, len(r.data), io.ErrUnexpectedEOF))
	}
	depth := 0
	for first := true; ; first = false {
		if r.body > 0 {
			if err := r.discardBody(); err != nil {
				return r.failed(err)
			}
		}
		if err := r.next(); err != nil {
			return r.failed(err)
		}
		t := &r.t
		if first && unregArgs && t.Kind == KindArray && t.Version == AMF0 && len(r.refs0) == 1 {
			// PyAMF's numbering: the argument array takes no slot.
			r.refs0 = r.refs0[:0]
			t.Index = -1
		}
		switch t.Kind {
		case KindSwitch, KindName:
			continue
		case KindObject, KindECMAArray, KindArray, KindVector, KindDictionary:
			depth++
		case KindEnd:
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// SOLError reports, without building the values, the error
// [DecMode.UnmarshalSOL] returns for data: the same error (text, offset,
// path), or nil when it decodes.
func SOLError(data []byte) error { return defaultDecMode.SOLError(data) }

// SOLError is [SOLError] with the mode's limits.
func (m *DecMode) SOLError(data []byte) error {
	b := getBuilder(m, data, AMF0)
	defer putBuilder(b)
	r := b.r
	_, ver, err := b.solHead()
	if err != nil {
		return err
	}
	if ver == AMF0 {
		r.refs0 = append(r.refs0, -1) // the data object, reference 0 (as sol)
	}
	for n := 0; r.off < len(data); n++ {
		if n >= b.m.maxElements {
			return envErr(r.fail(ver, r.off, &MaxElementsError{Limit: b.m.maxElements, Count: int64(n) + 1}))
		}
		k, err := b.solName(ver)
		if err != nil {
			return envErr(err)
		}
		if err := b.skipOne(false); err != nil {
			return envErr(err, k)
		}
		if err := b.solEnd(ver, k); err != nil {
			return err
		}
	}
	return nil
}

package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// A PHP gateway (AMFPHP, Zend_Amf) often prints something before its
// AMF bytes: a notice or warning ("Notice: Undefined index: x in
// /var/www/gateway.php on line 12<br />"), a UTF-8 byte order mark or
// white space left in an included file. FindPacket finds the packet
// after such text.
const (
	// MaxPacketPrefix is the most text FindPacket skips: the packet must
	// start within the first 64 KiB.
	MaxPacketPrefix = 64 << 10
	// maxPrefixTries bounds the decodes tried: text seldom holds a zero
	// byte, so the first place that starts a packet is nearly always it.
	maxPrefixTries = 16
)

// StartsPacket reports whether b starts as a remoting packet does: a
// version of 0, 1 or 3.
func StartsPacket(b []byte) bool {
	return len(b) >= 2 && b[0] == 0 && (b[1] == 0 || b[1] == 1 || b[1] == 3)
}

// FindPacket looks for a remoting packet that starts after some bytes
// that are not AMF and decodes to the end of b, with the default
// options. See [DecMode.FindPacket].
func FindPacket(b []byte) (int, *Packet) { return defaultDecMode.FindPacket(b) }

// FindPacket looks for a remoting packet that starts after some bytes
// that are not AMF and decodes to the end of b. It returns where the
// packet starts and the packet, or 0 and nil. The bytes before it are
// never interpreted. Offsets are tried in order, up to
// [MaxPacketPrefix], and at most 16 of them are decoded: each must hold
// a zero byte, version 0 or 3, and a header count that the bytes left
// can hold.
func (m *DecMode) FindPacket(b []byte) (int, *Packet) {
	for _, i := range PacketStarts(b) {
		rest := b[i:]
		if err, known := m.PacketError(rest); known && err != nil {
			continue // told by the tokens, building no value (hostile input)
		}
		if p, err := m.UnmarshalPacket(rest); err == nil {
			return i, p
		}
	}
	return 0, nil
}

// PacketStarts are the offsets at which [FindPacket] tries to decode a
// packet after text, in its order, and no more of them (at most 16):
// those up to [MaxPacketPrefix] that hold a zero byte, version 0 or 3,
// and a header count that the bytes left can hold. A caller that bounds
// what a packet may cost can check each before FindPacket decodes it.
func PacketStarts(b []byte) []int { return packetStarts(b, false) }

// packetStarts is PacketStarts; cut takes a header count that the bytes
// left cannot hold too, up to maxCutCount (a packet cut short).
func packetStarts(b []byte, cut bool) []int {
	var out []int
	end := min(len(b), MaxPacketPrefix+1)
	for i := 1; i < end && len(out) < maxPrefixTries; i++ {
		j := bytes.IndexByte(b[i:end], 0)
		if j < 0 {
			break
		}
		i += j
		rest := b[i:]
		if len(rest) < 6 || (rest[1] != 0 && rest[1] != 3) {
			continue
		}
		// Each header takes 8 bytes at least, and the message count 2.
		if hc := int(binary.BigEndian.Uint16(rest[2:])); 4+8*hc+2 > len(rest) && !(cut && hc <= maxCutCount) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// PacketCutShort reports, with the default options, whether b is a
// remoting packet cut short. See [DecMode.PacketCutShort].
func PacketCutShort(b []byte) error { return defaultDecMode.PacketCutShort(b) }

// PacketCutShort reports whether b is a remoting packet cut short (a
// capture or a download that stopped): it starts as a packet does, at
// least the six bytes of version and counts, and reads as one up to its
// last byte, where it needs more. It returns the error reading it gives
// (the one [DecMode.UnmarshalPacket] returns, which wraps
// io.ErrUnexpectedEOF), or nil when b is not a packet cut short: a
// whole packet, or bytes that fail as a packet before their end, or AMF
// Socket frames cut short ([DecMode.FramesCutShort]) that would be a
// packet of more headers than its bytes can hold, or with a first header
// name of 256 bytes or more. Bytes cut short that read as both otherwise
// give a *CutShortReadingsError. It is told with the token Reader,
// building no value.
func (m *DecMode) PacketCutShort(b []byte) error {
	if len(b) < 6 || !StartsPacket(b) {
		return nil
	}
	err, known := m.PacketError(b)
	if !known || err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		// (Not known: a request whose references only another
		// numbering resolves, so not cut short with Flash's.)
		return nil
	}
	var se *SyntaxError
	if errors.As(err, &se) && (se.Path == "/headers" || se.Path == "/messages") && se.Offset+2 <= int64(len(b)) {
		// A header or message count that the bytes left cannot hold:
		// cut short only when it is one a packet has. Two bytes of
		// text after 00 03 ("garbage") count thousands.
		if binary.BigEndian.Uint16(b[se.Offset:]) > maxCutCount {
			return nil
		}
	}
	if ferr := m.FramesCutShort(b); ferr != nil {
		// 00 00 00 05 06 07 61 62 is a socket frame of 5 bytes cut
		// short (a string) and a packet of 5 headers cut short.
		if errors.As(err, &se) && (se.Path == "/headers" || se.Path == "/headers/0/name") {
			// As a packet it holds more headers than the bytes
			// left can (a frame cut short has fewer than its length
			// left; a packet needs 8 a header), or its first
			// header's name is 256 bytes or more (an AMF3 marker,
			// not 00, read as a length's first byte): a frame.
			return nil
		}
		return &CutShortReadingsError{Packet: err, Frames: ferr}
	}
	return err
}

// CutShortReadingsError is the error of bytes cut short that read both as
// a remoting packet and as AMF Socket frames, each cut short, when they
// do not tell which ([DecMode.PacketCutShort] gives it; a dump of them
// as a packet fails with it). It unwraps to the packet's error.
type CutShortReadingsError struct {
	Packet error // the packet's, as UnmarshalPacket gives it
	Frames error // the frames', a *SyntaxError of Version "socket"
}

func (e *CutShortReadingsError) Error() string {
	return e.Packet.Error() + "; read as AMF Socket frames, they are cut short too: " + e.Frames.Error()
}

func (e *CutShortReadingsError) Unwrap() error { return e.Packet }

// FramesCutShort reports, with the default options, whether b is AMF
// Socket frames cut short. See [DecMode.FramesCutShort].
func FramesCutShort(b []byte) error { return defaultDecMode.FramesCutShort(b) }

// FramesCutShort reports whether b is AMF Socket frames (each a 4-byte
// big-endian length, 1 to [DefaultMaxFrame], and one AMF3 value that
// fills it, not undefined) of which the last is cut short: in its
// length, or with a value that reads up to the last byte of b and needs
// more there. It
// returns the error of the frame cut short (a *SyntaxError of Version
// "socket", at the frame's offset, wrapping io.ErrUnexpectedEOF, as a
// dump of the frames gives it), or nil: frames that are all whole, or
// bytes that fail as frames before their end. It is told with the
// token Reader, building no value.
func (m *DecMode) FramesCutShort(b []byte) error {
	pos := 0
	for index := 1; ; index++ {
		rest := b[pos:]
		switch {
		case len(rest) == 0:
			return nil // whole frames
		case len(rest) < 4 && index == 1:
			return nil
		case len(rest) < 4:
			return &SyntaxError{Version: "socket", Offset: int64(pos),
				Err: fmt.Errorf("frame %d: %d bytes of a 4-byte length: %w", index, len(rest), io.ErrUnexpectedEOF)}
		}
		size := int64(binary.BigEndian.Uint32(rest))
		if size == 0 || size > DefaultMaxFrame {
			return nil
		}
		payload := rest[4:]
		whole := int64(len(payload)) >= size
		if whole {
			payload = payload[:size]
		}
		switch {
		case len(payload) == 0 && index == 1:
			return nil // four bytes alone
		case len(payload) == 0:
			break // cut just after its length
		case payload[0] == 0:
			// AMF3 undefined: no peer sends it as a frame; a
			// packet's zero bytes (a name's length) read so.
			return nil
		}
		r := m.NewReader(payload, AMF3)
		err := r.Skip()
		if whole {
			if err != nil || r.InputOffset() != size {
				return nil
			}
			pos += 4 + int(size)
			continue
		}
		if len(payload) > 0 && (err == nil || !errors.Is(err, io.ErrUnexpectedEOF)) {
			return nil // a value that ends before the cut, or fails
		}
		return &SyntaxError{Version: "socket", Offset: int64(pos),
			Err: fmt.Errorf("frame %d: length %d exceeds the %d bytes left: %w", index, size, len(payload), io.ErrUnexpectedEOF)}
	}
}

// CutShortFrames reports, with the default options, whether b is AMF
// Socket frames cut short and no remoting packet cut short. See
// [DecMode.CutShortFrames].
func CutShortFrames(b []byte) bool { return defaultDecMode.CutShortFrames(b) }

// CutShortFrames reports whether b is AMF Socket frames cut short
// ([DecMode.FramesCutShort]) and not a remoting packet cut short
// ([DecMode.PacketCutShort] says no, also when b reads as both but the
// packet would hold more headers than its bytes can, or a first header
// name of 256 bytes or more). A guess of what an input is takes it for
// frames then.
func (m *DecMode) CutShortFrames(b []byte) bool {
	return m.FramesCutShort(b) != nil && m.PacketCutShort(b) == nil
}

// maxCutCount is the largest header or message count that a packet cut
// short, whose bytes left cannot hold that many, is taken to have: a
// gateway's packets have a few headers and seldom more than a few dozen
// messages, and two bytes of text read as a count are 8224 (0x2020) or
// more, those of AMF3 markers (00 to 0x11) up to 4369.
const maxCutCount = 1024

// FindPacketStart is [DecMode.FindPacket] building no value, and
// taking a packet cut short too: it returns where the packet after the
// text starts, at the first of the offsets FindPacket tries
// ([PacketStarts]; a packet cut short may claim more headers than the
// bytes left can hold) at which b decodes as a whole packet to its end
// ([DecMode.PacketDecodes]) or reads as a packet cut short
// ([DecMode.PacketCutShort]), with the error reading it gives. ok is
// false when there is neither. Unlike FindPacket, a whole packet further
// on is not taken over a packet cut short before it: it is the cut
// packet's own bytes (a reply cut just after six zero bytes, which read
// as an empty packet). Only a packet cut short at its header or message
// count (a count that the bytes left cannot hold, which two bytes of
// text make as well: "a\x00\x00\x01" then a packet counts 256 headers)
// gives way to a whole packet further on.
func (m *DecMode) FindPacketStart(b []byte) (i int, cut error, ok bool) {
	atCount, atCountErr := -1, error(nil)
	for _, i := range packetStarts(b, true) {
		if m.PacketDecodes(b[i:]) {
			return i, nil, true
		}
		err := m.PacketCutShort(b[i:])
		var both *CutShortReadingsError
		if errors.As(err, &both) {
			err = both.Packet // (frames after text are none)
		}
		switch {
		case err == nil:
		case atCount >= 0:
			// Cut short in the bytes of the one cut at its count
			// (a real packet's header, cut at its message count).
			return atCount, atCountErr, true
		case cutAtCount(err):
			atCount, atCountErr = i, err
		default:
			return i, err, true
		}
	}
	if atCount >= 0 {
		return atCount, atCountErr, true
	}
	return 0, nil, false
}

// PacketThenText finds, before offset end of b, a packet that decodes
// whole and is followed by more bytes (a PHP notice, the packet, then a
// closing "?>"): where FindPacketStart finds only a packet cut short,
// because the whole packet before it does not decode to the end of b.
// It tries at most 16 offsets that start a packet and returns the first
// whose error (found without building values) is trailing data after
// more than six bytes (six are a packet of no header and no message:
// zero bytes in the text, not the packet), with that error; or 0, nil.
func (m *DecMode) PacketThenText(b []byte, end int) (int, *TrailingDataError) {
	tries := 0
	for j := 0; j < min(end, len(b)) && tries < 16; j++ {
		if !StartsPacket(b[j:]) {
			continue
		}
		tries++
		var te *TrailingDataError
		if err, known := m.PacketError(b[j:]); known && errors.As(err, &te) && te.Offset > 6 {
			return j, te
		}
	}
	return 0, nil
}

// cutAtCount reports whether err, of a packet cut short, is that of a
// header or message count that the bytes left cannot hold.
func cutAtCount(err error) bool {
	var se *SyntaxError
	return errors.As(err, &se) && (se.Path == "/headers" || se.Path == "/messages")
}

// Gateways that write their packets by hand (AMFPHP, ColdFusion, Red5
// plug-ins, home-made PHP) get a count of a reply's envelope wrong: the
// message count of a batch's first answer only, or of the answers
// planned, or a header count of 0 with a header (AppendToGatewayUrl)
// after it. The bodies are all there: [DecMode.Recount] reads them as the
// bytes say and reports the count it made right as a *CountFix.

// CountFix is a count of a packet's envelope that does not say what the
// packet's bytes hold, as [DecMode.Recount] made it right.
type CountFix struct {
	// Messages: the message count was made right; else the header
	// count.
	Messages bool
	// Offset is where the count stands, counted from the packet's first
	// byte (2 for the header count).
	Offset int
	// Said is what the count said; Found, what it says now.
	Said, Found int
	// More (a message count made larger): a reply body follows the
	// 65,535th, the most a count says; it and what follows are bytes
	// after the packet.
	More bool
	// End is where the last body counted ends (a message count), or
	// the last header counted (a header count). Bytes after the last
	// body, when a message count was made smaller, are text (no zero
	// byte), for the caller to leave out as text after a packet.
	End int
	// Held is how many bodies the bytes hold when More: Found, and
	// those after, which no count can say.
	Held int
	// Then is the message count made right too, of a header count made
	// right after which the message count is wrong as well (both counts
	// of a hand-written envelope wrong); nil otherwise. Each has its
	// own warning ([CountFix.Warnings]).
	Then *CountFix
}

// At returns the fix, f or f.Then, of the count at off of the packet
// (messages: the message count) that says n, or nil: a decoder reads
// that count as its Found. A nil f gives nil.
func (f *CountFix) At(off int, messages bool, n int) *CountFix {
	for ; f != nil; f = f.Then {
		if off == f.Offset && f.Messages == messages && n == f.Said {
			return f
		}
	}
	return nil
}

// Warnings is [CountFix.Warning] of f and of f.Then, one each.
func (f *CountFix) Warnings(at, n int) []string {
	var out []string
	for ; f != nil; f = f.Then {
		out = append(out, f.Warning(at, n))
	}
	return out
}

// String says the correction in a line: "message count at byte 4:
// 1, made 2".
func (f *CountFix) String() string {
	what := "header"
	if f.Messages {
		what = "message"
	}
	return fmt.Sprintf("%s count at byte %d: %d, made %d", what, f.Offset, f.Said, f.Found)
}

const (
	// maxCount is the most a header or message count says.
	maxCount = 0xFFFF
	// maxRecountHeaders bounds the headers Recount reads after the
	// header count.
	maxRecountHeaders = 16
)

// Recount reads the packet at the start of b as its bytes say, with the
// default options. See [DecMode.Recount].
func Recount(b []byte) ([]byte, *CountFix) { return defaultDecMode.Recount(b) }

// Recount returns a copy of b, a remoting packet, with its header count,
// or else its message count, made to say what the bytes hold, and what
// it changed; nil, nil when b does not start as a packet or no count
// alone is wrong. b is not changed, and is copied only for a count made
// right. The caller decodes the copy (Recount does not: its values are
// read with the token Reader and [Reader.Skip], building none; a copy
// that still does not decode is the caller's to leave).
//
// A header count is made to say the fewest headers, of the first 16,
// after which come a message count of 1 or more and a reply body's
// start (its target "/N/onResult", "/N/onStatus" or "/N/onDebugEvents").
//
// Else a message count is made:
//   - larger, when reply bodies follow the bodies it counts (at most
//     65,535 bodies in all: [CountFix.More] says when one more follows);
//   - smaller, when fewer bodies than it counts, one or more, read whole
//     and the packet ends after them, or text follows them (no zero
//     byte, which a body's target length would hold). A packet cut
//     short in a body is not such a packet: it keeps its error.
//
// Each header, body and count is read once, with the mode's limits: the
// work is linear in len(b), and nothing past b is read.
func (m *DecMode) Recount(b []byte) ([]byte, *CountFix) {
	fix := m.CountFixOf(b)
	if fix == nil {
		return nil, nil
	}
	fixed := bytes.Clone(b)
	for f := fix; f != nil; f = f.Then {
		binary.BigEndian.PutUint16(fixed[f.Offset:], uint16(f.Found))
	}
	return fixed, fix
}

// CountFixOf is [DecMode.CountFixOf] with the default options.
func CountFixOf(b []byte) *CountFix { return defaultDecMode.CountFixOf(b) }

// CountFixOf is [DecMode.Recount] without the copy: the count that is
// wrong in b, and what it should say, or nil. A caller reads b as its
// bytes say with the mode [DecMode.WithCount] gives: b is not written
// to (a reply of 60 MB is not held twice, and a read-only or shared
// mapping of a file may be read so).
func (m *DecMode) CountFixOf(b []byte) *CountFix {
	if !StartsPacket(b) || len(b) < 6 {
		return nil
	}
	if fix := m.recountHeaders(b); fix != nil {
		return fix
	}
	return m.recountMessages(b)
}

// WithCount returns a copy of m that reads the count f made right in
// the packet f was found in as f.Found, not as its bytes say: the
// packet's decoders (UnmarshalPacket, ScanPacket, PacketDecodes, an
// Arena's [Arena.UnmarshalPacketCount]) and a Reader's ReadPacketStart
// and ReadMessagesStart, on data that starts with that packet. Only the
// count at f.Offset that says f.Said is read so. A nil f gives m.
func (m *DecMode) WithCount(f *CountFix) *DecMode {
	if f == nil {
		return m
	}
	c := *m
	c.count = f
	return &c
}

// UnmarshalPacketCount is [Arena.UnmarshalPacket] with the count f made
// right ([DecMode.WithCount]); data is not written to.
func (a *Arena) UnmarshalPacketCount(data []byte, f *CountFix) (*Packet, error) {
	return a.m.WithCount(f).unmarshalPacket(a, data)
}

// count16 reads a packet's header count (messages false) or message
// count, as the mode's count made right says it ([DecMode.WithCount]).
func (r *Reader) count16(messages bool) (int, error) {
	at := r.InputOffset()
	n, err := r.u16(AMF0)
	if f := r.m.count.At(int(at), messages, n); f != nil && err == nil {
		n = f.Found
	}
	return n, err
}

// countRead is what dump's PacketDecodes reads for the count at off
// (messages or headers) that says n: as the mode's count made right
// says it.
func (m *DecMode) countRead(off int, messages bool, n int) int {
	if f := m.count.At(off, messages, n); f != nil {
		return f.Found
	}
	return n
}

// Warning words f as a warning, of a packet of n bytes at byte at of a
// reply (0 when the reply starts with it): the count, where it stands in
// the reply, and what the bytes hold. The client and convert give the
// same words.
func (f *CountFix) Warning(at, n int) string {
	if !f.Messages {
		counts := fmt.Sprintf("%d headers", f.Said)
		switch f.Said {
		case 0:
			counts = "no header"
		case 1:
			counts = "1 header"
		}
		what := fmt.Sprintf("%d headers follow", f.Found)
		switch {
		case f.Found < f.Said && f.Found == 0:
			what = "holds none"
		case f.Found < f.Said:
			what = fmt.Sprintf("holds %d", f.Found)
		case f.Found == 1:
			what = "1 header follows"
		}
		return fmt.Sprintf("the reply's packet counts %s (its header count, at byte %d) but %s: read as such", counts, at+f.Offset, what)
	}
	if f.Found > f.Said {
		follow := fmt.Sprintf("%d follow: all are read", f.Found)
		switch {
		case f.More:
			// (What follows the most a count says is left out as text
			// after the packet.)
			follow = fmt.Sprintf("%d follow: the first %d, the most a packet counts, are read", f.Held, f.Found)
		case f.Found == 1:
			follow = "1 follows: it is read"
		}
		return fmt.Sprintf("the reply's packet counts %s (its message count, at byte %d) but %s",
			nBodies(f.Said), at+f.Offset, follow)
	}
	ends := fmt.Sprintf("the reply ends at byte %d", at+f.End)
	if f.End < n {
		ends = fmt.Sprintf("what follows at byte %d is no body", at+f.End)
	}
	return fmt.Sprintf("the reply's packet counts %s (its message count, at byte %d) but holds %d: %s",
		nBodies(f.Said), at+f.Offset, f.Found, ends)
}

// nBodies is "no body", "1 body" or "N bodies".
func nBodies(n int) string {
	switch n {
	case 0:
		return "no body"
	case 1:
		return "1 body"
	}
	return fmt.Sprintf("%d bodies", n)
}

func (m *DecMode) recountMessages(b []byte) *CountFix {
	r := m.NewReader(b, AMF0)
	r.UncheckedCounts = true
	_, headers, err := r.ReadPacketStart()
	if err != nil {
		return nil
	}
	for range headers {
		if _, _, _, err := r.ReadHeaderStart(); err != nil {
			return nil
		}
		if err := r.Skip(); err != nil {
			return nil
		}
	}
	return m.recountMessagesAt(b, int(r.InputOffset()))
}

// recountMessagesAt is recountMessages of the packet b whose message
// count stands at countAt.
func (m *DecMode) recountMessagesAt(b []byte, countAt int) *CountFix {
	r := m.NewReader(b[countAt:], AMF0)
	r.UncheckedCounts = true
	declared, err := r.ReadMessagesStart()
	if err != nil {
		return nil
	}
	n, end := 0, countAt+int(r.InputOffset())
	for n < maxCount {
		target, _, _, err := r.ReadMessageStart()
		if err != nil || r.Skip() != nil || (n >= declared && !isReplyTarget(target)) {
			break
		}
		n++
		end = countAt + int(r.InputOffset())
	}
	more, held := false, n // a reply body past the most a count says
	for held >= maxCount {
		target, _, _, err := r.ReadMessageStart()
		if err != nil || r.Skip() != nil || !isReplyTarget(target) {
			break
		}
		more = true
		held++
	}
	fix := &CountFix{Messages: true, Offset: countAt, Said: declared, Found: n, More: more, End: end}
	if more {
		fix.Held = held
	}
	switch {
	case n > declared:
		return fix
	case n < declared && n > 0 && (end == len(b) || bytes.IndexByte(b[end:], 0) < 0):
		return fix
	}
	return nil
}

func (m *DecMode) recountHeaders(b []byte) *CountFix {
	// The headers are read whatever the count says (ReadHeaderStart
	// does not check it).
	r := m.NewReader(b, AMF0)
	r.UncheckedCounts = true
	_, declared, err := r.ReadPacketStart()
	if err != nil {
		return nil
	}
	// ends[k] is where the k-th header ends (ends[0], the header count).
	ends := []int{int(r.InputOffset())}
	for len(ends) <= maxRecountHeaders {
		name, _, _, err := r.ReadHeaderStart()
		if err != nil || name == "" || r.Skip() != nil {
			break
		}
		ends = append(ends, int(r.InputOffset()))
	}
	// The fewest headers after which come a message count and a reply
	// body's start: the caller decodes the rest.
	for k, end := range ends {
		if k != declared && m.bodyAt(b[end:]) {
			// The message count after them may be wrong too: read
			// as its bytes say from there (the headers are settled).
			return &CountFix{Offset: 2, Said: declared, Found: k, End: end, Then: m.recountMessagesAt(b, end)}
		}
	}
	return nil
}

// bodyAt reports whether b starts with a message count of 1 or more and
// the start of a reply body. It reads no more than those take.
func (m *DecMode) bodyAt(b []byte) bool {
	b = b[:min(len(b), 2+2*(2+maxCount)+4)]
	r := m.NewReader(b, AMF0)
	r.UncheckedCounts = true
	if n, err := r.ReadMessagesStart(); err != nil || n == 0 {
		return false
	}
	target, _, _, err := r.ReadMessageStart()
	return err == nil && isReplyTarget(target)
}

// HeaderCountError is a packet whose header count says fewer or more
// headers than its bytes hold, and which does not read with it made
// right ([DecMode.CountFixOf] looks at the first 16 headers, and a count
// says 65,535 at most): read as counted, a header's bytes were read as
// the message count and bodies, and failed somewhere that is not the
// fault ([DecMode.HeadersMiscounted] says where the headers end). It
// unwraps to that error.
type HeaderCountError struct {
	Said, Held int   // what the count (at byte 2) says; the headers the bytes hold
	End        int64 // where the last header ends: the message count
	Err        error // the packet's error, read as counted
}

func (e *HeaderCountError) Error() string {
	over := ""
	if e.Held > maxCount {
		over = fmt.Sprintf(", more than a count can say (%d at most)", maxCount)
	}
	return fmt.Sprintf("amf0: the packet's header count (at byte 2) says %d, but its bytes hold %d headers, up to the message count at offset %d%s; read as counted, the bytes fail: %v",
		e.Said, e.Held, e.End, over, e.Err)
}

func (e *HeaderCountError) Unwrap() error { return e.Err }

// HeadersMiscounted returns, for b, a packet that fails to decode with
// err, a *HeaderCountError when its bytes hold other than as many
// headers as its count says, followed by a message count of 1 or more
// and a reply body's start; else err. Each header is read once (the
// work is linear in len(b)); no value is built.
func (m *DecMode) HeadersMiscounted(b []byte, err error) error {
	if err == nil || !StartsPacket(b) || len(b) < 6 {
		return err
	}
	r := m.NewReader(b, AMF0)
	r.UncheckedCounts = true
	_, declared, rerr := r.ReadPacketStart()
	if rerr != nil {
		return err
	}
	held, end := 0, r.InputOffset()
	for {
		name, _, _, herr := r.ReadHeaderStart()
		if herr != nil || name == "" || r.Skip() != nil {
			break
		}
		held++
		end = r.InputOffset()
		if held > declared && mayBeBody(b[end:]) && m.bodyAt(b[end:]) {
			// (The fewest after which a body comes, as CountFixOf.)
			break
		}
	}
	if held == declared || !m.bodyAt(b[end:]) {
		return err
	}
	return &HeaderCountError{Said: declared, Held: held, End: end, Err: err}
}

// HeadersMiscounted is [DecMode.HeadersMiscounted] with the default
// options.
func HeadersMiscounted(b []byte, err error) error { return defaultDecMode.HeadersMiscounted(b, err) }

// mayBeBody is a quick look before bodyAt (which makes a Reader): a
// message count of 1 or more, then a target that starts with '/'.
func mayBeBody(b []byte) bool {
	return len(b) >= 5 && (b[0] != 0 || b[1] != 0) && (b[2] != 0 || b[3] != 0) && b[4] == '/'
}

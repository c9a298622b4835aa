package convert

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// JSON -> remoting packet, streamed (issue 7): the packet's JSON form is
// written from its text by the one-pass scanner (jsonamf.go, plain and
// typed) through the token Writer's packet framing, without the value
// model. A packet gives each header and message value's length before
// it, so a large input is run through twice: once to a Writer that only
// counts (the lengths), then to the output with those lengths written
// first (BeginMessageLength checks them). A small one is written once,
// held, with the lengths patched in. Anything the scanner leaves to the
// value model, and every error, goes through PacketFromJSON and
// MarshalPacket instead, decided before anything is written: the bytes
// and the errors are the same either way (TestPacketJSONPaths,
// FuzzPacketJSON).

// jpart is a header or message of a packet's JSON form, found in the
// text.
type jpart struct {
	msg       bool
	name      string // the header's name or the message's target
	resp      string
	mu        bool
	hasLength bool   // "length" given: written as it is
	length    uint32 // its value (-1: amf.UnknownLength)
	amf0      bool
	cross     bool
	xmlRefs   bool
	unreg     bool
	dateRefs  bool
	start     int // the value's text; -1: none (null)
	end       int
	wrapped   bool // the value says where it switches to AMF3 (hasAMF3Wrapper)
}

// jpacket is the envelope of a packet's JSON form.
type jpacket struct {
	version uint16
	headers int
	parts   []jpart // the headers, then the messages
}

// envelope reads the envelope of the packet whose JSON form is data,
// checking the whole text as splitValues does; false for anything the
// value model is to say or read (an error, a member it reads in its own
// way, a second value after it).
func (j *jsonAMF) envelope() (*jpacket, bool) {
	data := j.data
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	pk := &jpacket{}
	var seen [3]bool
	var msgs []jpart
	j.depth = 1
	end, ok := j.eachMember(i, func(k string, start int) (int, bool) {
		var e int
		var ok bool
		switch k {
		case "version":
			if seen[0] {
				return start, false
			}
			seen[0] = true
			if e, ok = j.check(start); !ok {
				return e, false
			}
			n, ok := j.wholeAt(start, e)
			if !ok || n != 0 && n != 1 && n != 3 {
				return e, false
			}
			pk.version = uint16(n)
			return e, true
		case "headers", "messages":
			msg := k == "messages"
			x := 1
			if msg {
				x = 2
			}
			if seen[x] || data[start] != '[' {
				return start, false
			}
			seen[x] = true
			e, ok = j.eachItem(start, func(at int) (int, bool) {
				if data[at] != '{' {
					return at, false
				}
				p, e, ok := j.part(at, msg)
				if ok {
					if msg {
						msgs = append(msgs, p)
					} else {
						pk.parts = append(pk.parts, p)
					}
				}
				return e, ok
			})
			return e, ok
		}
		return start, false
	})
	j.depth = 0
	if !ok || skipSpace(data, end) != len(data) {
		return nil, false
	}
	pk.headers = len(pk.parts)
	if pk.headers > math.MaxUint16 || len(msgs) > math.MaxUint16 {
		return nil, false // the encoder's error
	}
	pk.parts = append(pk.parts, msgs...)
	return pk, true
}

// eachItem walks the items of the array at data[i] ('[', at depth
// j.depth+1): fn gets where each starts and returns the offset after
// it. It returns the offset after the array.
func (j *jsonAMF) eachItem(i int, fn func(start int) (int, bool)) (int, bool) {
	data := j.data
	j.depth++
	defer func() { j.depth-- }()
	if j.depth > MaxJSONDepth {
		return i, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return i + 1, true
	}
	for {
		if i >= len(data) {
			return i, false
		}
		var ok bool
		if i, ok = fn(i); !ok {
			return i, false
		}
		if i = skipSpace(data, i); i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// part reads the header or message object at data[i] ('{', at depth
// j.depth+1), as the value model's part, header and message read it.
func (j *jsonAMF) part(i int, msg bool) (jpart, int, bool) {
	p := jpart{msg: msg, start: -1}
	var seen uint16
	j.depth++
	defer func() { j.depth-- }()
	if j.depth > MaxJSONDepth {
		return p, i, false
	}
	named := false
	end, ok := j.eachMember(i, func(k string, start int) (int, bool) {
		var e int
		var ok bool
		if k == "value" {
			e, p.wrapped, ok = j.checkWrapped(start)
		} else {
			e, ok = j.check(start)
		}
		if !ok {
			return e, false
		}
		raw := j.text[start:e]
		isBool := raw == "true" || raw == "false"
		var bit uint16
		switch {
		case k == "value":
			bit = 1
			p.start, p.end = start, e
		case k == "length":
			bit = 2
			n, ok := j.wholeAt(start, e)
			if !ok || n < -1 || n > math.MaxUint32 {
				return e, false
			}
			p.hasLength, p.length = true, uint32(n)
			if n == -1 {
				p.length = amf.UnknownLength
			}
		case k == "crossEscapeRefs" && isBool:
			bit, p.cross = 4, raw == "true"
		case k == "xmlRefs" && isBool:
			bit, p.xmlRefs = 512, raw == "true"
		case k == "amf0" && isBool:
			bit, p.amf0 = 8, raw == "true"
		case !msg && k == "name" || msg && k == "target":
			bit = 16
			if raw[0] != '"' {
				return e, false
			}
			p.name, named = dataName(j.strAt(start, e)), true
		case !msg && k == "mustUnderstand" && isBool:
			bit, p.mu = 32, raw == "true"
		case msg && k == "response":
			bit = 64
			if raw[0] != '"' {
				return e, false
			}
			p.resp = dataName(j.strAt(start, e))
		case msg && k == "unregisteredArgs" && isBool:
			bit, p.unreg = 128, raw == "true"
		case msg && k == "dateRefs" && isBool:
			bit, p.dateRefs = 256, raw == "true"
		default:
			return e, false // an error, said by the value model
		}
		if seen&bit != 0 {
			return e, false // read twice by the value model
		}
		seen |= bit
		return e, true
	})
	return p, end, ok && named
}

// pktMode is how writePacket writes the lengths.
type pktMode uint8

const (
	pktHold  pktMode = iota // held and patched (a Writer that keeps its output)
	pktCount                // written as 0 and not held: a pass that counts them
	pktWrite                // as counted, written first: the output streams
)

// writePacket writes the packet pk through j's Writer; lengths holds the
// lengths of its values (pktWrite), or gets them (pktCount). False: left
// to the value model (j.surprise: run again with look).
func (j *jsonAMF) writePacket(pk *jpacket, mode pktMode, lengths *[]uint32) bool {
	w := j.w
	w.BeginPacket(pk.version, pk.headers)
	for k := range pk.parts {
		p := &pk.parts[k]
		if k == pk.headers {
			w.BeginMessages(len(pk.parts) - pk.headers)
		}
		// A new reference context: a $ref to an $id of an earlier part
		// is the value model's (which refuses it, naming both parts);
		// the $id stays taken.
		j.ids.forget()
		j.depth = 0
		length, exact := p.length, false
		if !p.hasLength && mode == pktWrite {
			length, exact = (*lengths)[k], true
		}
		switch {
		case mode == pktHold && !p.hasLength && p.msg:
			w.BeginMessage(p.name, p.resp)
		case mode == pktHold && !p.hasLength:
			w.BeginHeader(p.name, p.mu)
		case p.msg:
			w.BeginMessageLength(p.name, p.resp, length, exact)
		default:
			w.BeginHeaderLength(p.name, p.mu, length, exact)
		}
		at := w.Offset()
		w.SetPartNumbering(p.msg && p.dateRefs, p.cross)
		w.SetXMLRefs(p.xmlRefs)
		if !j.partValue(pk, p) {
			return false
		}
		n := w.Offset() - at
		if n > math.MaxUint32 {
			return false // the encoder's error
		}
		if mode == pktCount {
			*lengths = append(*lengths, uint32(n))
		}
		if w.EndPart() != nil {
			return false
		}
	}
	if len(pk.parts) == pk.headers {
		w.BeginMessages(0)
	}
	return w.Err() == nil
}

// partValue writes the value of part p as the value model reads it and
// the encoder writes it: switched to AMF3 the way Flash Player writes it
// in a version 3 packet (see PacketFromJSON), a request's argument
// array with no slot (unregisteredArgs).
func (j *jsonAMF) partValue(pk *jpacket, p *jpart) bool {
	w, data := j.w, j.data
	if p.start < 0 {
		return w.WriteNull() == nil // no "value": nil
	}
	switch3 := pk.version == 3 && !p.amf0 && !p.wrapped
	args := p.msg && p.unreg
	c := data[p.start]
	if c == '{' && (switch3 || args) && j.arrayLike(p.start) {
		// An array in the value model ($dense, $assoc, or what a $ref
		// names): its rules.
		return false
	}
	if c == '[' && (switch3 || args) {
		n, ok := j.countItems(p.start)
		if !ok {
			return false
		}
		if args {
			w.BeginArgs(n)
		} else {
			w.BeginArray(n)
		}
		j.depth++
		next := skipSpace(data, p.start+1)
		for k := 0; k < n; k++ {
			if switch3 {
				w.Switch() // each item switches, as Flash writes arguments
			}
			if next, ok = j.value(next); !ok {
				return false
			}
			next = skipSpace(data, next)
			if next < len(data) && data[next] == ',' {
				next = skipSpace(data, next+1)
			}
		}
		j.depth--
		return w.End() == nil
	}
	if switch3 {
		w.Switch()
	}
	_, ok := j.value(p.start)
	return ok && w.Err() == nil
}

// checkWrapped checks the value at data[i] as check does and reports, as
// hasAMF3Wrapper does, whether it is an object with a member "$amf3" or
// an array with such an object among its items.
func (j *jsonAMF) checkWrapped(i int) (end int, wrapped, ok bool) {
	switch j.data[i] {
	case '{':
		return j.checkHas(i, "$amf3")
	case '[':
		end, ok = j.eachItem(i, func(at int) (int, bool) {
			if j.data[at] != '{' {
				return j.check(at)
			}
			e, has, ok := j.checkHas(at, "$amf3")
			wrapped = wrapped || has
			return e, ok
		})
		return end, wrapped, ok
	}
	end, ok = j.check(i)
	return end, false, ok
}

// checkHas checks the object at data[i] as check does and reports
// whether it has a member named key.
func (j *jsonAMF) checkHas(i int, key string) (end int, has, ok bool) {
	j.depth++
	defer func() { j.depth-- }()
	if j.depth > MaxJSONDepth {
		return i, false, false
	}
	end, ok = j.eachMember(i, func(k string, start int) (int, bool) {
		has = has || k == key
		return j.check(start)
	})
	return end, has, ok
}

// arrayLike reports whether the object at data[i] has a member the value
// model reads it as an array by, or as another value ($ref).
func (j *jsonAMF) arrayLike(i int) bool {
	found := false
	j.eachMember(i, func(k string, start int) (int, bool) {
		found = found || k == "$dense" || k == "$assoc" || k == "$ref"
		return j.check(start)
	})
	return found
}

// forget keeps the $ids set since the last forget (t.track) taken but
// no longer to be referred to (a new reference context: the encoder
// writes their values again).
func (t *idTable) forget() {
	t.track = true
	for _, id := range t.added {
		if id >= 1 && id-1 < int64(len(t.dense)) && t.dense[id-1] != 0 {
			t.dense[id-1] |= idNoIndex
		} else if e, ok := t.sparse[id]; ok {
			t.sparse[id] = e | idNoIndex
		}
	}
	t.added = t.added[:0]
}

// partIDs are the $ids of the headers and messages of a packet read
// before the one being read. Each header and message value is an AMF
// reference context of its own (AMF0 and the AMF3 inside it: BlazeDS
// resets both before each, PyAMF before each message, and an encoder
// must never refer across them, protocol-digest.md 3.7), so a $ref to
// one of them cannot be written as a reference; nor is it copied: it is
// an error naming both parts. The $ids stay taken, as convert --typed
// numbers them through the whole packet.
type partIDs struct {
	of   map[int64]string // by $id: "message 1", "header 2"
	name string           // the part being read
}

func (p *partIDs) has(id int64) bool {
	_, ok := p.of[id]
	return ok
}

// crossRef says why a $ref to the $id id of an earlier part is refused.
func (p *partIDs) crossRef(id int64) string {
	kind := "messages"
	if strings.HasPrefix(p.name, "header") || strings.HasPrefix(p.of[id], "header") {
		kind = "headers and messages"
	}
	return fmt.Sprintf("%s: $ref %d refers to $id %d of %s, but references do not cross %s (each header and message value is its own AMF reference context: give the value again, or an $id of its own %s)",
		p.name, id, id, p.of[id], kind, strings.Fields(p.name)[0])
}

// newPart starts the header or message i (from 0) of a packet: the
// $ids read so far belong to the parts before it.
func (r *reader) newPart(what string, i int) {
	if len(r.ids) > 0 {
		if r.parts.of == nil {
			r.parts.of = make(map[int64]string, len(r.ids))
		}
		for id := range r.ids {
			r.parts.of[id] = r.parts.name
		}
		clear(r.ids)
	}
	r.parts.name = what + " " + strconv.Itoa(i+1)
}

// reset empties t for a new reference context, keeping its room unless
// it is large.
func (t *idTable) reset() {
	if cap(t.dense) > 4096 {
		t.dense = nil
	}
	t.dense, t.sparse = t.dense[:0], nil // set appends zeros up to an id
	t.track, t.added = false, t.added[:0]
}

// onePassPacket is the input size up to which a packet's JSON is written
// in one pass, held (its output is about as large as the input or
// smaller), rather than counted first.
var onePassPacket = 4 << 20 // a variable for tests

// packetDirect writes the packet whose JSON form is data through the
// scanner: to out as it goes (out nil: appended to dst and returned).
// False, with nothing written: the value model's.
func packetDirect(dst []byte, out io.Writer, data []byte, dk *dupKeys) ([]byte, bool, error) {
	return writeDirect(dst, out, data, onePassPacket, "packet", func() directDoc { return &packetDoc{} }, dk)
}

// directDoc is a document with an envelope that the scanner writes (a
// packet, a .sol file): its envelope read, then written held in one
// pass, or counted and then written with its lengths first.
type directDoc interface {
	envelope(j *jsonAMF) bool
	hold(j *jsonAMF) bool
	count(j *jsonAMF, w *amf.Writer) bool
	write(j *jsonAMF) bool
}

// writeDirect writes the document whose JSON form is data through the
// scanner: to out as it goes (out nil: appended to dst and returned),
// held in one pass up to onePass bytes of text, else counted first. A
// text that surprises the scanner is read again with names looked up
// first. False, with nothing written: the value model's.
// Keys given twice are noted in dk (if not nil).
func writeDirect(dst []byte, out io.Writer, data []byte, onePass int, what string, newDoc func() directDoc, dk *dupKeys) ([]byte, bool, error) {
	for _, look := range []bool{false, true} {
		d := newDoc()
		if out == nil || len(data) <= onePass {
			w := amf.AppendWriter(dst, amf.AMF0)
			j := newTypedJSONAMF(w, data, amf.AMF0, look)
			if !d.envelope(&j) {
				return nil, false, nil
			}
			if d.hold(&j) {
				dk.take(&j.dups, 0)
				b, err := w.Bytes()
				if err != nil || out == nil {
					return b, err == nil, err
				}
				_, err = out.Write(b)
				return nil, true, err
			}
			if j.surprise && !look {
				continue
			}
			return nil, false, nil
		}
		// Counted first, then written with the lengths first.
		w := amf.NewCountingWriter(amf.AMF0)
		j := newTypedJSONAMF(w, data, amf.AMF0, look)
		j.counts, j.record = map[int]int{}, true
		if !d.envelope(&j) {
			return nil, false, nil
		}
		if !d.count(&j, w) || w.Flush() != nil {
			if j.surprise && !look {
				continue
			}
			return nil, false, nil
		}
		w = amf.NewWriter(out, amf.AMF0)
		counts := j.counts
		j = newTypedJSONAMF(w, data, amf.AMF0, look)
		j.counts = counts
		if !d.write(&j) {
			if err := w.Err(); err != nil && !isEncodeError(err) {
				return nil, true, err // out's
			}
			return nil, true, errors.New("internal error: the direct JSON " + what + " path gave up on its second pass")
		}
		dk.take(&j.dups, 0)
		return nil, true, w.Flush()
	}
	return nil, false, nil
}

// packetDoc is a packet for writeDirect.
type packetDoc struct {
	pk      *jpacket
	lengths []uint32
}

func (d *packetDoc) envelope(j *jsonAMF) (ok bool) {
	d.pk, ok = j.envelope()
	return ok
}

func (d *packetDoc) hold(j *jsonAMF) bool { return j.writePacket(d.pk, pktHold, nil) }

func (d *packetDoc) count(j *jsonAMF, _ *amf.Writer) bool {
	d.lengths = make([]uint32, 0, len(d.pk.parts))
	return j.writePacket(d.pk, pktCount, &d.lengths)
}

func (d *packetDoc) write(j *jsonAMF) bool { return j.writePacket(d.pk, pktWrite, &d.lengths) }

func isEncodeError(err error) bool {
	var ee *amf.EncodeError
	return errors.As(err, &ee)
}

// AppendPacketJSON appends the packet whose JSON form (plain or typed)
// is data, as PacketFromJSON and amf.MarshalPacket would write it.
func AppendPacketJSON(dst, data []byte) ([]byte, error) {
	return appendPacketJSON(dst, data, nil)
}

// appendPacketJSON is AppendPacketJSON noting keys given twice in dk.
func appendPacketJSON(dst, data []byte, dk *dupKeys) ([]byte, error) {
	if b, ok, err := packetDirect(dst, nil, data, dk); ok {
		return b, encodeAt(err, data, 0)
	}
	return appendPacketModel(dst, data, dk)
}

// appendPacketModel is AppendPacketJSON through the value model: the
// oracle of the direct path, and what says its errors.
func appendPacketModel(dst, data []byte, dk *dupKeys) ([]byte, error) {
	var note dupKeys
	p, err := packetFromJSON(data, &note)
	if err != nil {
		return nil, err
	}
	b, err := amf.AppendPacket(dst, p)
	if err == nil {
		dk.take(&note, 0)
	}
	return b, encodeAt(err, data, 0)
}

// WritePacketJSON is AppendPacketJSON writing to out: a large packet
// streams, its values' lengths counted first, so that memory does not
// grow with it. On an error nothing is written (but out's own).
func WritePacketJSON(out io.Writer, data []byte) error {
	return writePacketJSON(out, data, nil)
}

// writePacketJSON is WritePacketJSON noting keys given twice in dk.
func writePacketJSON(out io.Writer, data []byte, dk *dupKeys) error {
	if _, ok, err := packetDirect(nil, out, data, dk); ok {
		return encodeAt(err, data, 0)
	}
	b, err := appendPacketModel(nil, data, dk)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

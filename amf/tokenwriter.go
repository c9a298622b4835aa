package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unsafe"
)

// Writer writes AMF as tokens, the counterpart of [Reader]: scalars,
// strings, containers opened and closed, member names, and a ByteArray
// streamed from an io.Reader of known length. It keeps the AMF3 string
// and traits tables (strings are written once, then referenced, as the
// value encoder does), counts the object tables so that callers can write
// references, and writes exact counts and lengths, patching them in when
// they are only known at the end ([Writer.BeginArray] with -1, packet
// message lengths).
//
// The Writer is the one writer of the wire format in this package: the
// value encoder ([Marshal], [Encoder], [MarshalPacket], [MarshalSOL])
// walks the value model and writes through the Writer's own primitives
// and tables, so both write the same bytes by construction.
//
// Output is buffered while a count or length is still open and written
// to the destination as soon as nothing is; a Writer with no destination
// keeps it, to be read with [Writer.Bytes], [Writer.WriteTo] or
// [Writer.Reader] (which also stream ByteArrays given as readers).
type Writer struct {
	ver   Version
	buf   []byte
	dst   io.Writer // nil: the output is kept
	err   error
	total int64 // bytes before buf (written out, or held in parts)

	parts []part // held output: bytes and streamed pieces, in order

	stack []wframe

	// The reference tables, as a reader of the output builds them.
	strs   strTable        // AMF3 strings
	nstrs  int             // AMF3 string table entries
	recent [256]recentStr  // a cache in front of strs
	names  [8][16]nameHint // member names by depth and position, in front of recent
	gen    uint32          // generation of the entries of recent
	traits []traitEntry    // AMF3 traits table, from index traitOff
	// traitOff is the index of traits[0]: the entries of earlier 0x11
	// switches, which the value being written cannot refer to, are
	// dropped (see switch0), while the numbering goes on.
	traitOff int
	tByPtr   map[*Traits]int  // explicit traits, by identity
	tByCls   map[string][]int // traits entries by class name
	anon1    int              // 1 + index of the anonymous dynamic traits; 0 none
	objs     int              // AMF3 object table entries
	refs0    int              // AMF0 object table entries

	// String and traits entries below these indices were made in an
	// earlier 0x11 switch of the same AMF0 value and are not referred to
	// (see EncOptions.CrossEscapeRefs).
	strBase, traitBase int

	// flushAt is the buffer length from which a token looks whether the
	// buffer can be written out (see maybeFlush).
	flushAt int

	dateRefs  bool // AMF0 dates take a slot (see Message.DateRefs)
	crossRefs bool // this value refers across switches (see Message.CrossEscapeRefs)
	xmlRefs   bool // AMF0 references may point at or past an XML document (see Message.XMLRefs)

	// xml0 is 1 + the AMF0 table index of the first XML document
	// written in this reference context (0: none). Peers disagree on
	// whether it takes a slot (digest §1.4), so unless xmlRefs is set
	// no reference is written to it or to any entry after it (see
	// refOK0); open0 holds the AMF0 values registered after it that are
	// still being written, the one kind of value a reference must then
	// still point at (a cycle).
	xml0  int
	open0 []any

	m *EncMode

	// The value encoder's state (see encode.go): which values (pointers)
	// were written, at which index, so that meeting one again writes a
	// reference.
	ids0    idTable  // AMF0 values by identity: index in the AMF0 object table
	ids3    idTable  // AMF3 values by identity: index in the AMF3 object table
	depth   int      // nesting of the value being written
	scratch []Member // members of Go maps being written, a stack
	streams bool     // a ByteArrayStream may be written (not Marshal)
	out     []byte   // a pooled Writer's output buffer, kept across uses (Marshal)

	counting bool // keep no output, only its length (NewCountingWriter)
}

type part struct {
	b []byte
	r io.Reader
	n int64
}

type wframe struct {
	kind    byte    // 'a' AMF3 array (dense), 'x' its associative part, 'v' vector (hdrSize: its type), 'd' dictionary, 'A' AMF0 strict array, 'o' object, 'e' ECMA array, 'E' AMF0 object, 'm' message/header value, 's' switch
	ver     Version // the version of the values inside
	count   int     // items written
	n       int     // declared count, -1 unknown
	start   int64   // output offset of the value (lengths)
	hdrSize int     // bytes reserved for the count
	dynamic bool    // an AMF3 object ends with the empty name
}

// recentStr caches a string table entry: most strings an encoder meets
// are member names and values it has just written, and comparing one
// string (often the same pointer) is cheaper than a map lookup.
type recentStr struct {
	s   string
	i   int
	gen uint32
}

func recentSlot(s string) uint8 {
	n := len(s)
	// The last two bytes apart: names and values often differ in a
	// counter at the end (product-07, product-12).
	return uint8(n*31 + int(s[0])*7 + int(s[n/2])*3 + int(s[n-1-min(n-1, 1)])*13 + int(s[n-1]))
}

// traitEntry is an entry of the AMF3 traits table.
type traitEntry struct {
	class        string
	sealed       []string
	dynamic, ext bool
}

// AppendWriter returns a Writer with no destination whose output is
// appended to dst.
func AppendWriter(dst []byte, ver Version) *Writer {
	w := defaultEncMode.NewWriter(nil, ver)
	w.buf = dst
	return w
}

// ResetAppend readies w, a Writer with no destination (AppendWriter), to
// append to dst as AppendWriter(dst, ver) would: a new value in a new
// reference context, with no error, keeping the room of w's tables
// unless the last value filled them past a few thousand entries (their
// clearing would then cost each small value after it more than making
// them again). A run of values that are each their own context (AMF
// Socket frames) so costs no new Writer each.
func (w *Writer) ResetAppend(dst []byte) {
	if w.nstrs+w.objs+w.refs0+len(w.traits)+len(w.stack) > 4096 || len(w.strs.slots) > 8192 {
		*w = Writer{ver: w.ver, m: w.m, streams: true, stack: w.stack[:0]}
	} else {
		w.resetTables()
	}
	w.buf, w.err, w.total, w.parts = dst, nil, 0, nil
	w.stack, w.depth, w.flushAt = w.stack[:0], 0, 0
	w.dateRefs, w.crossRefs, w.xmlRefs = false, false, false
}

// NewWriter returns a Writer of values of version ver to w (nil: keep the
// output) with the default options.
func NewWriter(w io.Writer, ver Version) *Writer { return defaultEncMode.NewWriter(w, ver) }

// NewWriter returns a Writer with the mode's options.
func (m *EncMode) NewWriter(w io.Writer, ver Version) *Writer {
	return &Writer{ver: ver, dst: w, m: m, streams: true}
}

// NewCountingWriter returns a Writer of version ver that keeps none of
// its output, only its length ([Writer.Offset]): a first pass that
// learns the lengths a packet or .sol file gives before its values, in
// memory that does not grow with them. Nothing is held for a count or
// length written at the end (they are counted at their size), and a
// ByteArray from a reader is read through.
func NewCountingWriter(ver Version) *Writer {
	w := defaultEncMode.NewWriter(io.Discard, ver)
	w.counting = true
	return w
}

// Err returns the first error the Writer met; every call after it does
// nothing.
func (w *Writer) Err() error { return w.err }

// Offset returns the number of bytes written so far.
func (w *Writer) Offset() int64 { return w.total + int64(len(w.buf)) }

// version is the version of the next value: each frame holds the one of
// its contents.
func (w *Writer) version() Version {
	if n := len(w.stack); n > 0 {
		return w.stack[n-1].ver
	}
	return w.ver
}

func (w *Writer) setErr(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// resetTables starts a new reference context (a packet header or
// message value), keeping the output.
func (w *Writer) resetTables() {
	w.strs.reset()
	w.nstrs = 0
	w.gen++
	if w.gen == 0 { // wrapped: no entry may look current
		clear(w.recent[:])
		clear(w.names[:])
	}
	clear(w.traits)
	w.traits = w.traits[:0]
	// (Each map is looked at before it is cleared: a Writer reset for
	// each of many small values mostly has none of them.)
	if len(w.tByPtr) > 0 {
		clear(w.tByPtr)
	}
	if len(w.tByCls) > 256 {
		clear(w.tByCls)
	}
	if len(w.tByCls) > 0 {
		for k, v := range w.tByCls {
			w.tByCls[k] = v[:0] // keep the slices, and the class names
		}
	}
	w.anon1 = 0
	w.objs, w.refs0 = 0, 0
	w.xml0 = 0
	clear(w.open0)
	w.open0 = w.open0[:0]
	w.strBase, w.traitBase, w.traitOff = 0, 0, 0
	w.ids0.reset()
	w.ids3.reset()
}

// item counts a value in its container and ends a switch.
func (w *Writer) item() {
	if n := len(w.stack); n > 0 {
		w.stack[n-1].count++
	}
}

// valueDone closes the frames that hold a single value and writes the
// buffer out when it can. Its common case (inside an array or object,
// no destination or nothing to write out yet, see flushAt) is inlined.
func (w *Writer) valueDone() {
	if n := len(w.stack) - 1; n < 0 || w.stack[n].kind == 's' || w.dst != nil && len(w.buf) >= w.flushAt {
		w.valueDoneSlow()
	}
}

func (w *Writer) valueDoneSlow() {
	for len(w.stack) > 0 && w.stack[len(w.stack)-1].kind == 's' {
		w.stack = w.stack[:len(w.stack)-1]
	}
	w.maybeFlush()
}

// maybeFlush writes the buffer out when no count or length is open.
// It sets flushAt, below which the tokens need not call it again: 64 KiB
// when the buffer is smaller, 64 KiB more when a count is open (held
// streamed pieces: 0, every token looks).
func (w *Writer) maybeFlush() {
	if w.dst == nil || w.err != nil {
		return
	}
	if w.counting {
		w.total += int64(len(w.buf))
		w.buf = w.buf[:0]
		w.flushAt = 64 << 10
		return
	}
	if len(w.buf) < 64<<10 && len(w.parts) == 0 {
		w.flushAt = 64 << 10
		return
	}
	if w.open() {
		if len(w.buf) >= heldChunk {
			w.holdChunk()
		}
		w.flushAt = 0
		if !w.heldReaders() {
			w.flushAt = len(w.buf) + 64<<10
		}
		return
	}
	w.flushBuf()
}

// A PartTaker is a destination that may keep output the Writer held for
// an open count (parts of about a MiB, see holdChunk) as it is, rather
// than copy it as Write must: the Writer gives each such part to
// TakePart once, in order with its Writes, and neither reads nor writes
// it after. A destination that holds output itself (until its input is
// checked, say) so keeps it once, not twice.
type PartTaker interface {
	io.Writer
	TakePart(b []byte) error
}

// heldChunk is the buffer length from which output held for an open
// count or length is set aside as a part and a new buffer begun, rather
// than the buffer regrown: regrowing a large buffer copies it each time
// (about 1.25x a step past a few hundred KiB), and each new array is
// fresh memory to fault in. A variable for tests.
var heldChunk = 1 << 20

// holdChunk sets the buffer aside as a held part (it is written out, in
// order, when nothing is open) and begins a new one of heldChunk bytes
// and room for the tokens that pass it before maybeFlush looks again.
func (w *Writer) holdChunk() {
	w.parts = append(w.parts, part{b: w.buf, n: int64(len(w.buf))})
	w.total += int64(len(w.buf))
	w.buf = make([]byte, 0, heldChunk+128<<10)
}

// heldReaders reports whether a streamed piece is held: then every token
// looks whether the output can go out (see maybeFlush).
func (w *Writer) heldReaders() bool {
	for i := range w.parts {
		if w.parts[i].r != nil {
			return true
		}
	}
	return false
}

func (w *Writer) flushBuf() {
	if w.err != nil {
		return
	}
	taker, _ := w.dst.(PartTaker)
	for _, p := range w.parts {
		var err error
		switch {
		case p.r != nil:
			_, err = io.Copy(w.dst, p.r)
		case taker != nil:
			err = taker.TakePart(p.b)
		default:
			_, err = w.dst.Write(p.b)
		}
		if err != nil {
			w.setErr(err)
			return
		}
	}
	w.parts = nil
	if len(w.buf) == 0 {
		return
	}
	if _, err := w.dst.Write(w.buf); err != nil {
		w.setErr(err)
	}
	w.total += int64(len(w.buf))
	w.buf = w.buf[:0]
	w.flushAt = 0
}

// open reports whether a count or length is still to be written.
func (w *Writer) open() bool {
	for _, f := range w.stack {
		if f.n < 0 {
			return true // a count or length to patch ('m' with a length known: none)
		}
	}
	return false
}

// Flush writes what is buffered to the destination. It fails while a
// count or length is still open.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.open() {
		return errors.New("amf: Flush inside a value whose length is not known yet")
	}
	if w.dst != nil {
		w.flushBuf()
	}
	return w.err
}

func (w *Writer) fail(format string, args ...any) error {
	return w.failErr(fmt.Errorf(format, args...))
}

func (w *Writer) failErr(err error) error {
	return w.setErr(&EncodeError{Version: w.version().String(), Err: err})
}

// done ends a token: counts it in its container, closes a switch. It
// is item and valueDone with one look at the top frame for their common
// case (inside an array or object, no destination or nothing to write
// out yet).
func (w *Writer) done() error {
	if n := len(w.stack) - 1; n >= 0 {
		f := &w.stack[n]
		f.count++
		if f.kind != 's' && (w.dst == nil || len(w.buf) < w.flushAt) {
			return w.err
		}
	}
	w.valueDoneSlow()
	return w.err
}

// ---- primitives: the wire format, for the tokens and the value encoder ----

// ErrEmptyName and ErrLongName are the errors (inside an *EncodeError)
// of a name AMF cannot write: an empty dynamic member name or
// associative key, and a member, class or other AMF0 name over 65535
// bytes; the culprit is the name, not the value at the error's path.
var ErrEmptyName, ErrLongName = errEmptyKey, errLongKey

var (
	errEmptyKey = fmt.Errorf("%w: an empty member name cannot be written as a dynamic member or associative key", ErrUnencodable)
	errLongKey  = fmt.Errorf("%w: a member or class name longer than 65535 bytes", ErrUnencodable)
)

// tooLong is the error for a string, XML text, ByteArray or count past
// the limit of its version.
func tooLong(what string, n int64, ver Version) error {
	unit := "bytes"
	switch what {
	case "array", "vector", "dictionary", "sealed member list":
		unit = "items"
	}
	name, limit := "AMF3", int64(MaxInt)
	if ver == AMF0 {
		name, limit = "AMF0", math.MaxUint32
	}
	return fmt.Errorf("%w: %s of %d %s is longer than the %s limit of %d", ErrUnencodable, what, n, unit, name, limit)
}

func (w *Writer) u8(b byte)     { w.buf = append(w.buf, b) }
func (w *Writer) u16(v uint16)  { w.buf = binary.BigEndian.AppendUint16(w.buf, v) }
func (w *Writer) u32(v uint32)  { w.buf = binary.BigEndian.AppendUint32(w.buf, v) }
func (w *Writer) f64(v float64) { w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(v)) }

// u29 appends a U29; its one-byte case (small counts, most references)
// is inlined.
func (w *Writer) u29(v uint32) {
	if v < 0x80 {
		w.buf = append(w.buf, byte(v))
		return
	}
	w.u29long(v)
}

//go:noinline
func (w *Writer) u29long(v uint32) { w.buf = AppendU29(w.buf, v) }

// AppendU29 appends the AMF3 variable-length encoding of v. Only the low
// 29 bits of v are written: callers must check v <= 0x1FFFFFFF (a larger
// value cannot be encoded).
func AppendU29(dst []byte, v uint32) []byte {
	switch {
	case v < 0x80:
		return append(dst, byte(v))
	case v < 0x4000:
		return append(dst, byte(v>>7)|0x80, byte(v&0x7F))
	case v < 0x200000:
		return append(dst, byte(v>>14)|0x80, byte(v>>7)|0x80, byte(v&0x7F))
	}
	return append(dst, byte(v>>22)|0x80, byte(v>>15)|0x80, byte(v>>8)|0x80, byte(v))
}

func (w *Writer) putNull(ver Version) {
	if ver == AMF0 {
		w.u8(m0Null)
	} else {
		w.u8(m3Null)
	}
}

func (w *Writer) putUndefined(ver Version) {
	if ver == AMF0 {
		w.u8(m0Undefined)
	} else {
		w.u8(m3Undefined)
	}
}

func (w *Writer) putBool(ver Version, b bool) {
	switch {
	case ver == AMF0 && b:
		w.buf = append(w.buf, m0Boolean, 1)
	case ver == AMF0:
		w.buf = append(w.buf, m0Boolean, 0)
	case b:
		w.u8(m3True)
	default:
		w.u8(m3False)
	}
}

func (w *Writer) putDouble(ver Version, f float64) {
	m := byte(m0Number)
	if ver == AMF3 {
		m = m3Double
	}
	b := math.Float64bits(f)
	w.buf = append(w.buf, m, byte(b>>56), byte(b>>48), byte(b>>40), byte(b>>32), byte(b>>24), byte(b>>16), byte(b>>8), byte(b))
}

// putInt writes an AMF3 integer in [MinInt, MaxInt], a double otherwise
// and in AMF0.
func (w *Writer) putInt(ver Version, i int64) {
	if ver == AMF3 {
		w.int3(i)
		return
	}
	w.putDouble(AMF0, float64(i))
}

// int3 writes an AMF3 integer in [MinInt, MaxInt], a double otherwise.
func (w *Writer) int3(i int64) {
	if i >= MinInt && i <= MaxInt {
		w.u8(m3Integer)
		w.u29(uint32(i) & maxU29)
		return
	}
	w.putDouble(AMF3, float64(i))
}

// putDate writes a date's marker and body; the caller counts its slot.
func (w *Writer) putDate(ver Version, ms float64, tz int16) {
	if ver == AMF0 {
		w.date0(ms, tz)
		return
	}
	w.u8(m3Date)
	w.date3(ms)
}

// date0 writes an AMF0 date.
func (w *Writer) date0(ms float64, tz int16) {
	b := math.Float64bits(ms)
	w.buf = append(w.buf, m0Date, byte(b>>56), byte(b>>48), byte(b>>40), byte(b>>32), byte(b>>24), byte(b>>16), byte(b>>8), byte(b), byte(tz>>8), byte(tz))
}

// date3 writes an AMF3 date after its marker.
func (w *Writer) date3(ms float64) {
	w.u8(0x01)
	w.f64(ms)
}

// dateSlot0 reports whether an AMF0 date takes a reference slot here.
func (w *Writer) dateSlot0() bool { return w.m.profile.registersDates() || w.dateRefs }

// xmlSlot0 notes that the AMF0 XML document just written took the slot
// refs0-1.
func (w *Writer) xmlSlot0() {
	if w.xml0 == 0 {
		w.xml0 = w.refs0
	}
}

// refOK0 reports whether a reference to entry i of the AMF0 table may
// be written: digest §1.4's recommendation, since Flash Player counts
// an XML document in the table and BlazeDS and RocketAMF do not, is to
// refer only to entries made before the first XML document, so that
// both read the same; XMLRefs (a value whose references needed the
// XML's slot when it was read) numbers as Flash Player does.
func (w *Writer) refOK0(i int) bool { return w.xml0 == 0 || i < w.xml0-1 || w.xmlRefs }

// CanRefer reports whether the Writer would write a reference to entry i
// of the current version's object table where the value encoder meets a
// value again: always in AMF3; in AMF0 unless an XML document written
// before in the context took a slot at or before i and [Writer.SetXMLRefs]
// is not set (digest §1.4: peers disagree on that slot, so the value is
// written again in full instead). [Writer.WriteRef] writes what it is
// asked.
func (w *Writer) CanRefer(i int) bool {
	return w.version() != AMF0 || w.refOK0(i)
}

// key0 writes a U16-prefixed string: a member or class name, or a
// packet string.
func (w *Writer) key0(s string) error {
	if w.m.cesu8 {
		s = toCESU8(s)
	}
	if len(s) > 0xFFFF {
		return errLongKey
	}
	w.u16(uint16(len(s)))
	w.buf = append(w.buf, s...)
	return nil
}

// putString0 writes an AMF0 string value: the long-string marker for more
// than 65,535 bytes.
func (w *Writer) putString0(s string) error {
	if w.m.cesu8 {
		s = toCESU8(s)
	}
	if len(s) <= 0xFFFF {
		w.buf = append(w.buf, m0String, byte(len(s)>>8), byte(len(s)))
	} else {
		if uint64(len(s)) > math.MaxUint32 {
			return tooLong("string", int64(len(s)), AMF0)
		}
		w.u8(m0LongString)
		w.u32(uint32(len(s)))
	}
	w.text(s)
	return nil
}

// str3 writes a UTF-8-vr: a reference to a string met before in this
// context (and switch, see strBase), else the string, registered.
func (w *Writer) str3(s string) error {
	_, err := w.str3i(s)
	return err
}

// str3i is str3, also returning the string's index in the table (-1 for
// the empty string, which has none).
func (w *Writer) str3i(s string) (int, error) {
	if s == "" {
		w.u8(0x01)
		return -1, nil
	}
	slot := &w.recent[recentSlot(s)]
	if slot.gen == w.gen && slot.i >= w.strBase && slot.s == s {
		w.u29(uint32(slot.i) << 1)
		return slot.i, nil
	}
	e := w.strs.slot(s)
	if i := int(e.i) - 1; i >= 0 && i >= w.strBase {
		*slot = recentStr{s, i, w.gen}
		w.u29(uint32(i) << 1)
		return i, nil
	}
	if len(s) > MaxInt {
		return -1, tooLong("string", int64(len(s)), AMF3)
	}
	w.u29(uint32(len(s))<<1 | 1)
	w.text(s)
	// The table keeps s itself, not a copy: a string is immutable (one
	// made with unsafe over bytes must not change while the Writer
	// lives). A string met in an earlier switch (below strBase) takes its
	// new index. The recent cache takes a string when it is met again
	// (above): one met once (a date, an id) would only push out one that
	// repeats.
	w.nstrs++
	if w.nstrs-1 > maxStrRef {
		return -1, nil // past what a reference can name: written again each time
	}
	if e.i == 0 && w.strs.n >= maxStrTable {
		// The table is full: s is not entered, and is written again if
		// met again (the reader's entry of this one stays where it is,
		// and the caches in front may still name it). The output stays
		// valid AMF3, and the same below the cap.
		return w.nstrs - 1, nil
	}
	w.strs.set(e, s, w.nstrs-1)
	return w.nstrs - 1, nil
}

// maxStrTable is the most strings the Writer's string table holds
// (strTable): 3/4 of 2^18 slots of 24 bytes, 6 MB. A JSON array of 5
// million distinct strings grew the table to 2^23 slots, 192 MB, and
// 478 MB at its peak as amfcall convert, with the copying of doubling.
const maxStrTable = 1<<18*3/4 - 1

// maxStrRef is the highest string-table index an AMF3 reference (a
// U29 with a flag bit) can name.
const maxStrRef = maxU29 >> 1

// nameHint caches, by depth and position, the dynamic member name
// written there last and its string-table index. Objects in a list
// repeat their names, mostly as the very same strings: this finds them
// by identity (a string is immutable, and the hint keeps it alive), with
// no hash and no comparing of bytes.
type nameHint struct {
	p   *byte
	n   int
	i   int
	gen uint32
}

// dynName3 writes a dynamic member name (not empty) that is member pos
// of an object at depth.
func (w *Writer) dynName3(s string, depth, pos int) error {
	if uint(depth) >= uint(len(w.names)) || uint(pos) >= uint(len(w.names[0])) {
		return w.str3(s)
	}
	h := &w.names[depth][pos]
	p := unsafe.StringData(s)
	if h.p == p && h.n == len(s) && h.gen == w.gen && h.i >= w.strBase {
		w.u29(uint32(h.i) << 1)
		return nil
	}
	i, err := w.str3i(s)
	if i >= 0 {
		*h = nameHint{p, len(s), i, w.gen}
	}
	return err
}

// bigText is the length from which a string goes straight to the
// destination instead of through the buffer.
const bigText = 64 << 10

// text appends the bytes of a string, or writes a long one straight out
// when nothing is open.
func (w *Writer) text(s string) {
	if len(s) >= bigText && w.counting {
		w.total += int64(len(s))
		return
	}
	if len(s) >= bigText && w.dst != nil {
		w.bigText(s)
		return
	}
	w.buf = append(w.buf, s...)
}

func (w *Writer) bigText(s string) {
	if w.open() {
		w.buf = append(w.buf, s...)
		return
	}
	w.flushBuf()
	if w.err != nil {
		return
	}
	if _, err := io.WriteString(w.dst, s); err != nil {
		w.setErr(err)
	}
	w.total += int64(len(s))
}

// putXML writes XML text: an XML document (AMF0 0x0F, AMF3 0x07) or E4X
// XML (AMF3 0x0B). The caller counts its slot.
func (w *Writer) putXML(ver Version, text string, document bool) error {
	if ver == AMF0 {
		if uint64(len(text)) > math.MaxUint32 {
			return tooLong("XML text", int64(len(text)), AMF0)
		}
		w.u8(m0XMLDocument)
		w.u32(uint32(len(text)))
	} else {
		if document {
			w.u8(m3XMLDocument)
		} else {
			w.u8(m3XML)
		}
		return w.xml3(text)
	}
	w.buf = append(w.buf, text...)
	return nil
}

// xml3 writes AMF3 XML text after its marker.
func (w *Writer) xml3(text string) error {
	if len(text) > MaxInt {
		return tooLong("XML text", int64(len(text)), AMF3)
	}
	w.u29(uint32(len(text))<<1 | 1)
	w.buf = append(w.buf, text...)
	return nil
}

// bytesHead writes the length of an AMF3 ByteArray (after its marker).
func (w *Writer) bytesHead(n int64) error {
	if n > MaxInt || n < 0 {
		return tooLong("ByteArray", n, AMF3)
	}
	w.u29(uint32(n)<<1 | 1)
	return nil
}

// errStreamInUncounted is the error for a streamed ByteArray inside an
// AMF3 array whose count is written at its end: the count's size is not
// known until then, and the bytes before the stream must be final.
var errStreamInUncounted = errors.New("a ByteArray streamed from a reader cannot be inside an AMF3 array of unknown count (give BeginArray the count)")

// canStream reports whether a ByteArray can be streamed here.
func (w *Writer) canStream() error {
	for _, f := range w.stack {
		if f.kind == 'a' && f.n < 0 {
			return errStreamInUncounted
		}
	}
	return nil
}

// streamBytes writes n bytes read from r: straight to the destination
// when nothing is open, else kept as r, in order with the bytes.
func (w *Writer) streamBytes(r io.Reader, n int64) {
	if w.counting {
		if _, err := io.Copy(io.Discard, &exactReader{r: r, left: n}); err != nil {
			w.setErr(err)
		}
		w.total += n
		return
	}
	if w.dst != nil && !w.open() {
		w.flushBuf()
		if w.err == nil {
			if _, err := io.Copy(w.dst, &exactReader{r: r, left: n}); err != nil {
				w.setErr(err)
			}
			w.total += n
		}
		return
	}
	w.holdPart(&exactReader{r: r, left: n}, n)
}

// ref0 writes an AMF0 reference.
func (w *Writer) ref0(i int) {
	w.u8(m0Reference)
	w.u16(uint16(i))
}

// switch0 writes the 0x11 marker: the AMF3 strings and traits written
// before are not referred to from here on, unless the mode or the packet
// part says so.
func (w *Writer) switch0() {
	w.u8(m0AVMPlus)
	if !w.m.crossEscapeRefs && !w.crossRefs {
		w.dropSwitched()
		w.strBase, w.traitBase = w.nstrs, w.traitOff+len(w.traits)
	}
}

// dropSwitched forgets, once there are many, the string and traits
// entries made before a 0x11 switch that does not refer across switches:
// nothing can refer to them any more, and a value switched item by item
// (a version 3 packet's array of a million objects) would otherwise keep
// every entry of every item, and look its traits up among them. The
// numbering goes on (nstrs, traitOff): the reader's tables do.
func (w *Writer) dropSwitched() {
	if w.strs.n > 1024 {
		w.strs.reset() // the caches in front check strBase
	}
	if len(w.traits) > 256 {
		w.traitOff += len(w.traits)
		clear(w.traits)
		w.traits = w.traits[:0]
		clear(w.tByPtr)
		for k, v := range w.tByCls {
			w.tByCls[k] = v[:0]
		}
		w.anon1 = 0
	}
}

// strictHead0 writes an AMF0 strict array's marker and count, or
// reports false for more items than a U32 counts (see tooLong).
func (w *Writer) strictHead0(n int) bool {
	if uint64(n) > math.MaxUint32 {
		return false
	}
	w.buf = append(w.buf, m0StrictArray, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return true
}

// typedObject0 writes an AMF0 typed object's marker and class name (an
// anonymous object is the marker m0Object alone).
func (w *Writer) typedObject0(class string) error {
	w.u8(m0TypedObject)
	return w.key0(class)
}

// ecma0 writes an AMF0 ECMA array's marker and count field.
func (w *Writer) ecma0(count uint32) {
	w.buf = append(w.buf, m0ECMAArray, byte(count>>24), byte(count>>16), byte(count>>8), byte(count))
}

// end0 ends the members of an AMF0 object or ECMA array.
func (w *Writer) end0() { w.buf = append(w.buf, 0, 0, m0ObjectEnd) }

// count3 writes an AMF3 count (array, vector, dictionary), or reports
// false for one past MaxInt (see tooLong).
func (w *Writer) count3(n int) bool {
	if n > MaxInt {
		return false
	}
	w.u29(uint32(n)<<1 | 1)
	return true
}

// name3 writes an AMF3 dynamic member name or associative key.
func (w *Writer) name3(s string) error {
	if s == "" {
		return errEmptyKey
	}
	return w.str3(s)
}

// canonicalShape reports the traits an object without explicit Traits
// has: the canonical-traits rule, kept here alone.
func canonicalShape(class string) (dynamic, ext bool) {
	if class == "" {
		return true, false
	}
	if IsExternalizable(class) {
		return false, true
	}
	return false, false
}

// findTraits looks the traits of an object of the model up in the
// table: explicit traits by identity only (a decoded object whose traits
// came inline is written inline again, so decoded data re-encodes to the
// same bytes), no traits by the canonical rule.
func (w *Writer) findTraits(class string, members []Member, t *Traits) int {
	if t != nil {
		if i, ok := w.tByPtr[t]; ok && i >= w.traitBase {
			return i
		}
		return -1
	}
	if class == "" {
		if w.anon1 > 0 && w.anon1-1 >= w.traitBase {
			return w.anon1 - 1
		}
		return -1
	}
	dyn, ext := canonicalShape(class)
	for _, i := range w.tByCls[class] {
		te := &w.traits[i-w.traitOff]
		if i < w.traitBase || te.dynamic != dyn || te.ext != ext {
			continue
		}
		if dyn || ext {
			if len(te.sealed) == 0 {
				return i
			}
			continue
		}
		if len(te.sealed) != len(members) {
			continue
		}
		same := true
		for j, name := range te.sealed {
			if members[j].Name != name {
				same = false
				break
			}
		}
		if same {
			return i
		}
	}
	return -1
}

// findTraitsLike looks traits given to the token Writer up by content.
func (w *Writer) findTraitsLike(t *Traits) int {
	if t == nil || t.Class == "" && t.Dynamic && !t.Externalizable && len(t.Sealed) == 0 {
		if w.anon1 > 0 && w.anon1-1 >= w.traitBase {
			return w.anon1 - 1
		}
		return -1
	}
	for _, i := range w.tByCls[t.Class] {
		te := &w.traits[i-w.traitOff]
		if i >= w.traitBase && te.dynamic == t.Dynamic && te.ext == t.Externalizable && slices.Equal(te.sealed, t.Sealed) {
			return i
		}
	}
	return -1
}

func (w *Writer) addTraits(t *Traits, te traitEntry) {
	if w.tByCls == nil {
		w.tByCls = make(map[string][]int)
		w.tByPtr = make(map[*Traits]int)
	}
	i := w.traitOff + len(w.traits)
	w.traits = append(w.traits, te)
	if t != nil {
		w.tByPtr[t] = i
	}
	if te.class == "" && te.dynamic && !te.ext && len(te.sealed) == 0 {
		// Anonymous dynamic traits are looked up through anon1 only.
		w.anon1 = i + 1
		return
	}
	w.tByCls[te.class] = append(w.tByCls[te.class], i)
}

// traitsRef writes a reference to traits entry i.
func (w *Writer) traitsRef(i int) { w.u29(uint32(i)<<2 | 0x01) }

// putTraits writes an AMF3 object's traits inline (after its marker),
// and registers them (under t, when t is not nil).
func (w *Writer) putTraits(t *Traits, te *traitEntry) error {
	if te.ext {
		w.u8(0x07)
	} else {
		if len(te.sealed) > 1<<25-1 {
			return tooLong("sealed member list", int64(len(te.sealed)), AMF3)
		}
		flags := uint32(len(te.sealed))<<4 | 0x03
		if te.dynamic {
			flags |= 0x08
		}
		w.u29(flags)
	}
	if err := w.str3(te.class); err != nil {
		return err
	}
	for _, s := range te.sealed {
		if err := w.str3(s); err != nil {
			return err
		}
	}
	w.addTraits(t, *te)
	return nil
}

// ---- scalars ----

// WriteNull writes null.
func (w *Writer) WriteNull() error {
	if w.err != nil {
		return w.err
	}
	w.putNull(w.version())
	return w.done()
}

// WriteUndefined writes undefined.
func (w *Writer) WriteUndefined() error {
	if w.err != nil {
		return w.err
	}
	w.putUndefined(w.version())
	return w.done()
}

// WriteBool writes a boolean.
func (w *Writer) WriteBool(b bool) error {
	if w.err != nil {
		return w.err
	}
	w.putBool(w.version(), b)
	return w.done()
}

// WriteInt writes an integer: an AMF3 integer in [MinInt, MaxInt], a
// double otherwise and in AMF0.
func (w *Writer) WriteInt(i int64) error {
	if w.err != nil {
		return w.err
	}
	w.putInt(w.version(), i)
	return w.done()
}

// WriteDouble writes a double.
func (w *Writer) WriteDouble(f float64) error {
	if w.err != nil {
		return w.err
	}
	w.putDouble(w.version(), f)
	return w.done()
}

// WriteDate writes a date (tz is the AMF0 time-zone field). It takes a
// reference slot in AMF3, and in AMF0 where the mode's [Profile] gives
// dates one.
func (w *Writer) WriteDate(ms float64, tz int16) error {
	if w.err != nil {
		return w.err
	}
	ver := w.version()
	w.putDate(ver, ms, tz)
	if ver == AMF3 {
		w.objs++
	} else if w.dateSlot0() {
		w.refs0++
	}
	return w.done()
}

// WriteString writes a string value. AMF0 chooses the long-string
// marker for more than 65,535 bytes; AMF3 writes a string met before as a
// reference.
func (w *Writer) WriteString(s string) error {
	if w.err != nil {
		return w.err
	}
	var err error
	if w.version() == AMF0 {
		err = w.putString0(s)
	} else {
		w.u8(m3String)
		err = w.str3(s)
	}
	if err != nil {
		return w.failErr(err)
	}
	return w.done()
}

// CheckString reports, before any of it is read, whether a string of n
// bytes can be written at all: AMF3 lengths end at 2^28-1.
func (w *Writer) CheckString(n int64) error {
	if w.version() == AMF3 && n > MaxInt {
		return &EncodeError{Version: "amf3", Err: fmt.Errorf("string of %d bytes is longer than the AMF3 limit of %d", n, MaxInt)}
	}
	if n > math.MaxUint32 {
		return &EncodeError{Version: "amf0", Err: fmt.Errorf("string of %d bytes is longer than 4 GiB", n)}
	}
	return nil
}

// WriteXML writes XML text: an XML document (AMF0 0x0F, AMF3 0x07) or
// E4X XML (AMF3 0x0B).
func (w *Writer) WriteXML(text string, document bool) error {
	if w.err != nil {
		return w.err
	}
	ver := w.version()
	if ver == AMF0 && !document {
		return w.fail("E4X XML cannot be written in AMF0")
	}
	if err := w.putXML(ver, text, document); err != nil {
		return w.failErr(err)
	}
	if ver == AMF3 {
		w.objs++
	} else if w.m.profile.registersXML() {
		w.refs0++
		w.xmlSlot0()
	}
	return w.done()
}

// WriteByteArray writes an AMF3 ByteArray.
func (w *Writer) WriteByteArray(b []byte) error {
	if err := w.byteArrayHead(int64(len(b))); err != nil {
		return err
	}
	w.buf = append(w.buf, b...)
	return w.done()
}

func (w *Writer) byteArrayHead(n int64) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("a ByteArray needs AMF3 (write Switch first)")
	}
	if n > MaxInt || n < 0 {
		return w.failErr(tooLong("ByteArray", n, AMF3))
	}
	w.u8(m3ByteArray)
	w.bytesHead(n)
	w.objs++
	return nil
}

// WriteByteArrayFrom writes an AMF3 ByteArray of exactly n bytes read
// from r, without holding them: they go straight to the destination, or
// are kept as r and read by WriteTo or Reader. Reading fewer than n bytes
// from r is an error then.
func (w *Writer) WriteByteArrayFrom(r io.Reader, n int64) error {
	if w.err == nil {
		if err := w.canStream(); err != nil {
			return w.failErr(err)
		}
	}
	if err := w.byteArrayHead(n); err != nil {
		return err
	}
	w.streamBytes(r, n)
	return w.done()
}

// CanStreamByteArray reports whether [Writer.WriteByteArrayFrom] can
// write a ByteArray here without holding its bytes: the Writer has a
// destination, and no AMF3 array of unknown count is open.
func (w *Writer) CanStreamByteArray() bool {
	return w.dst != nil && w.err == nil && w.canStream() == nil
}

// holdPart keeps a streamed piece of output in order with the bytes.
func (w *Writer) holdPart(r io.Reader, n int64) {
	if len(w.buf) > 0 {
		w.parts = append(w.parts, part{b: w.buf, n: int64(len(w.buf))})
		w.total += int64(len(w.buf))
		w.buf = nil
	}
	w.flushAt = 0
	w.parts = append(w.parts, part{r: r, n: n})
	w.total += n
}

// exactReader reads exactly left bytes from r.
type exactReader struct {
	r    io.Reader
	left int64
	read int64
}

func (x *exactReader) Read(p []byte) (int, error) {
	if x.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > x.left {
		p = p[:x.left]
	}
	n, err := x.r.Read(p)
	x.left -= int64(n)
	x.read += int64(n)
	if err == io.EOF && x.left > 0 {
		return n, &ShortStreamError{Read: x.read, Missing: x.left}
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// WriteRef writes a reference to the complex value with index i in the
// object table of the current version.
func (w *Writer) WriteRef(i int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		if i < 0 || i >= w.refs0 || i > math.MaxUint16 {
			return w.fail("invalid object reference %d (table has %d)", i, w.refs0)
		}
		w.ref0(i)
	} else {
		if i < 0 || i >= w.objs {
			return w.fail("invalid object reference %d (table has %d)", i, w.objs)
		}
		// The marker of the value referred to is the caller's: an object.
		w.u8(m3Object)
		w.u29(uint32(i) << 1)
	}
	return w.done()
}

// Switch writes the AMF0 marker 0x11: the next value is AMF3.
func (w *Writer) Switch() error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF0 {
		return w.fail("the 0x11 switch is an AMF0 marker")
	}
	w.switch0()
	w.item()
	w.stack = append(w.stack, wframe{kind: 's', ver: AMF3})
	return nil
}

// ---- containers ----

// BeginArray opens a dense array (AMF0 strict array, AMF3 array with no
// associative part) of n items; n < 0 means the count is written when
// the array ends.
func (w *Writer) BeginArray(n int) error {
	if w.err != nil {
		return w.err
	}
	f := wframe{n: n, ver: w.version()}
	if f.ver == AMF0 {
		f.kind = 'A'
		if !w.strictHead0(max(n, 0)) {
			return w.failErr(tooLong("array", int64(n), AMF0))
		}
		f.start = w.Offset() - 4 // the count, patched by output offset
		w.refs0++
	} else {
		f.kind = 'a'
		w.u8(m3Array)
		f.start = w.Offset() // the count, found by output offset (see patchCount3)
		if n >= 0 {
			if !w.count3(n) {
				return w.failErr(tooLong("array", int64(n), AMF3))
			}
		} else {
			w.u8(0) // one byte for the count, grown at the end if needed
		}
		f.hdrSize = int(w.Offset() - f.start)
		w.u8(0x01) // no associative part
		w.objs++
	}
	w.item()
	w.stack = append(w.stack, f)
	return nil
}

// BeginObject opens an object. In AMF3 its traits are t (nil: anonymous
// and dynamic, with no sealed members), written once and referenced
// after (by content); members are then written as WriteName and a
// value, sealed members first in traits order. In AMF0 only t.Class
// counts (a typed object when not empty).
func (w *Writer) BeginObject(t *Traits) error {
	if w.err != nil {
		return w.err
	}
	f := wframe{kind: 'o', n: 0, ver: w.version()}
	if f.ver == AMF0 {
		f.kind = 'E'
		if t == nil || t.Class == "" {
			w.u8(m0Object)
		} else if err := w.typedObject0(t.Class); err != nil {
			return w.failErr(err)
		}
		w.refs0++
	} else {
		if t != nil && t.Externalizable {
			return w.fail("an externalizable object is not written through the token Writer")
		}
		w.u8(m3Object)
		f.dynamic = t == nil || t.Dynamic
		if t == nil && w.anon1 > 0 && w.anon1-1 >= w.traitBase {
			w.traitsRef(w.anon1 - 1) // findTraitsLike's common case
		} else if i := w.findTraitsLike(t); i >= 0 {
			w.traitsRef(i)
		} else {
			te := traitEntry{dynamic: true}
			if t != nil {
				te = traitEntry{t.Class, t.Sealed, t.Dynamic, false}
			}
			if err := w.putTraits(t, &te); err != nil {
				return w.failErr(err)
			}
		}
		w.objs++
	}
	w.item()
	w.stack = append(w.stack, f)
	return nil
}

// BeginClassObject opens an object as the value encoder writes an
// [Object] of class class whose members are named names (in order) and
// whose Traits are t. In AMF3, traits given (t not nil) are found again
// by identity, as the encoder finds them, and written inline the first
// time; with t nil they are the canonical ones ([CanonicalTraits]),
// found by class and names. Sealed members then follow as values alone,
// in traits order, and dynamic ones as WriteName and a value. In AMF0
// the object is typed when class is not empty. An externalizable class
// or t is refused: its body is not written through tokens.
func (w *Writer) BeginClassObject(class string, names []string, t *Traits) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		if class == "" {
			return w.BeginObject(nil)
		}
		if err := w.typedObject0(class); err != nil {
			return w.failErr(err)
		}
		w.refs0++
		w.item()
		w.stack = append(w.stack, wframe{kind: 'E', ver: AMF0})
		return nil
	}
	if t != nil && t.Externalizable || t == nil && IsExternalizable(class) {
		return w.fail("an externalizable object is not written through the token Writer")
	}
	w.u8(m3Object)
	f := wframe{kind: 'o', ver: AMF3}
	i := w.findTraitsNames(class, names, t)
	var te traitEntry
	switch {
	case i >= 0:
		te = w.traits[i-w.traitOff]
		w.traitsRef(i)
	case t != nil:
		te = traitEntry{t.Class, t.Sealed, t.Dynamic, false}
	default:
		te.class = class
		te.dynamic, _ = canonicalShape(class)
		if !te.dynamic && len(names) > 0 {
			te.sealed = slices.Clone(names)
		}
	}
	if i < 0 {
		if err := w.putTraits(t, &te); err != nil {
			return w.failErr(err)
		}
	}
	f.dynamic = te.dynamic
	w.objs++
	w.item()
	w.stack = append(w.stack, f)
	return nil
}

// findTraitsNames is findTraits for an object given by its class and
// member names.
func (w *Writer) findTraitsNames(class string, names []string, t *Traits) int {
	if t != nil || class == "" {
		return w.findTraits(class, nil, t)
	}
	for _, i := range w.tByCls[class] {
		te := &w.traits[i-w.traitOff]
		if i >= w.traitBase && !te.dynamic && !te.ext && slices.Equal(te.sealed, names) {
			return i
		}
	}
	return -1
}

// NextRef returns the index the next complex value written takes in the
// object table of the current version (AMF0 or AMF3), so that a caller
// can refer to it later with [Writer.WriteRefAs].
func (w *Writer) NextRef() int {
	if w.version() == AMF0 {
		return w.refs0
	}
	return w.objs
}

// Version returns the version the next value is written in: the
// Writer's, or AMF3 after [Writer.Switch] and inside what it opened.
func (w *Writer) Version() Version { return w.version() }

// WriteRefAs writes a reference to the complex value with index i in
// the object table of the current version; in AMF3 with the marker of
// a value of kind k (KindObject, KindArray, KindECMAArray, KindDate,
// KindXML, KindXMLDocument, KindByteArray, KindDictionary), as the
// value encoder writes it.
func (w *Writer) WriteRefAs(k Kind, i int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		return w.WriteRef(i)
	}
	var m byte
	switch k {
	case KindObject:
		m = m3Object
	case KindArray, KindECMAArray:
		m = m3Array
	case KindDate:
		m = m3Date
	case KindXML:
		m = m3XML
	case KindXMLDocument:
		m = m3XMLDocument
	case KindByteArray:
		m = m3ByteArray
	case KindDictionary:
		m = m3Dictionary
	default:
		return w.fail("a reference to a value of kind %v", k)
	}
	if i < 0 || i >= w.objs {
		return w.fail("invalid object reference %d (table has %d)", i, w.objs)
	}
	w.u8(m)
	w.u29(uint32(i) << 1)
	return w.done()
}

// BeginAssocArray opens an AMF3 array with an associative part and n
// dense items: the associative members come first (WriteName and a
// value), then [Writer.BeginDense], then the n items.
func (w *Writer) BeginAssocArray(n int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("an array with an associative part is AMF3 (in AMF0, write an ECMA array)")
	}
	w.u8(m3Array)
	if n < 0 || !w.count3(n) {
		return w.failErr(tooLong("array", int64(n), AMF3))
	}
	w.objs++
	w.item()
	w.stack = append(w.stack, wframe{kind: 'x', ver: AMF3, n: n})
	return nil
}

// BeginDense ends the associative part of the array BeginAssocArray
// opened: its dense items come next.
func (w *Writer) BeginDense() error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 || w.stack[len(w.stack)-1].kind != 'x' {
		return w.fail("BeginDense outside an array's associative part")
	}
	f := &w.stack[len(w.stack)-1]
	w.u8(0x01)
	f.kind, f.count = 'a', 0
	return nil
}

// WrapperField returns the one member of a Flex wrapper class
// (ArrayCollection and ArrayList: "source", ObjectProxy: "object"), or
// "" for any other class.
func WrapperField(class string) string { return wrapperField(class) }

// BeginWrapper writes the head of a Flex wrapper object of class (see
// [WrapperField]): an externalizable object whose body is one value, as
// the encoder writes an [Object] of that class with its one member.
// That value comes next and closes it. AMF3 only: in AMF0, write
// [Writer.Switch] first, as the encoder does.
func (w *Writer) BeginWrapper(class string) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("an externalizable object needs AMF3 (write Switch first)")
	}
	if wrapperField(class) == "" {
		return w.fail("%s is not a Flex wrapper class", quoteShort(class, 60))
	}
	w.u8(m3Object)
	if i := w.findTraits(class, nil, nil); i >= 0 {
		w.traitsRef(i)
	} else {
		te := traitEntry{class: class, ext: true}
		if err := w.putTraits(nil, &te); err != nil {
			return w.failErr(err)
		}
	}
	w.objs++
	w.item()
	// Closed after one value, as a switch is.
	w.stack = append(w.stack, wframe{kind: 's', ver: AMF3})
	return nil
}

// BeginVector opens an AMF3 vector of type t with n items: items of a
// Vector.<int>, <uint> or <Number> are written with WriteVectorInt and
// WriteVectorDouble, those of a Vector.<Object> (objectType: its class
// name, or "") as values. AMF3 only: in AMF0, write Switch first, as
// the encoder does.
func (w *Writer) BeginVector(t VectorType, n int, fixed bool, objectType string) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("a vector needs AMF3 (write Switch first)")
	}
	switch t {
	case VectorInt, VectorUint, VectorDouble, VectorObject:
	default:
		return w.failErr(fmt.Errorf("%w: vector type 0x%02x", ErrUnencodable, byte(t)))
	}
	w.u8(byte(t))
	if n < 0 || !w.count3(n) {
		return w.failErr(tooLong("vector", int64(n), AMF3))
	}
	if fixed {
		w.u8(1)
	} else {
		w.u8(0)
	}
	if t == VectorObject {
		if err := w.str3(objectType); err != nil {
			return w.failErr(err)
		}
	}
	w.objs++
	w.item()
	w.stack = append(w.stack, wframe{kind: 'v', ver: AMF3, n: n, hdrSize: int(t)})
	return nil
}

// vectorItem checks that an item of a vector of type t comes next.
func (w *Writer) vectorItem(t VectorType) bool {
	if w.err != nil {
		return false
	}
	if n := len(w.stack); n == 0 || w.stack[n-1].kind != 'v' || VectorType(w.stack[n-1].hdrSize) != t {
		w.fail("a %v item outside a vector of that type", t)
		return false
	}
	return true
}

// WriteVectorInt writes an item of a Vector.<int> (its low 32 bits) or
// a Vector.<uint>.
func (w *Writer) WriteVectorInt(i int64) error {
	t := VectorInt
	if n := len(w.stack); n > 0 && VectorType(w.stack[n-1].hdrSize) == VectorUint {
		t = VectorUint
	}
	if !w.vectorItem(t) {
		return w.err
	}
	w.u32(uint32(i))
	return w.done()
}

// WriteVectorDouble writes an item of a Vector.<Number>.
func (w *Writer) WriteVectorDouble(f float64) error {
	if !w.vectorItem(VectorDouble) {
		return w.err
	}
	w.f64(f)
	return w.done()
}

// BeginDictionary opens an AMF3 Dictionary of n entries, each written
// as a key value and a value. AMF3 only (Switch first in AMF0).
func (w *Writer) BeginDictionary(n int, weakKeys bool) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("a dictionary needs AMF3 (write Switch first)")
	}
	w.u8(m3Dictionary)
	if n < 0 || !w.count3(n) {
		return w.failErr(tooLong("dictionary", int64(n), AMF3))
	}
	if weakKeys {
		w.u8(1)
	} else {
		w.u8(0)
	}
	w.objs++
	w.item()
	w.stack = append(w.stack, wframe{kind: 'd', ver: AMF3, n: 2 * n})
	return nil
}

// WriteRefVector writes a reference to the vector of type t with index
// i in the AMF3 object table.
func (w *Writer) WriteRefVector(t VectorType, i int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 || i < 0 || i >= w.objs {
		return w.fail("invalid object reference %d (table has %d)", i, w.objs)
	}
	w.u8(byte(t))
	w.u29(uint32(i) << 1)
	return w.done()
}

// BeginECMAArray opens an AMF0 ECMA array (associative: members are
// written as WriteName and a value, as in an object) whose count field
// is count, or, for count < 0, the number of members, written at End.
// Readers ignore the field (PyAMF writes the highest index, BlazeDS 0).
func (w *Writer) BeginECMAArray(count int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF0 {
		return w.fail("an ECMA array is AMF0 (in AMF3, write an object)")
	}
	if count > math.MaxUint32 {
		return w.failErr(tooLong("array", int64(count), AMF0))
	}
	w.ecma0(uint32(max(count, 0)))
	w.refs0++
	w.item()
	w.stack = append(w.stack, wframe{kind: 'e', ver: AMF0, n: count, start: w.Offset() - 4})
	return nil
}

// WriteName writes a member name; the member's value comes next.
func (w *Writer) WriteName(name string) error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 {
		return w.fail("a member name outside an object")
	}
	var err error
	switch f := &w.stack[len(w.stack)-1]; f.kind {
	case 'o':
		if name == "" {
			err = errEmptyKey
		} else {
			err = w.dynName3(name, len(w.stack)-1, f.count)
		}
	case 'E', 'e':
		err = w.key0(name)
	case 'x':
		if name == "" {
			err = errEmptyKey
		} else {
			err = w.dynName3(name, len(w.stack)-1, f.count)
		}
	case 'S':
		// A .sol entry: the 00 byte that ends the one before, its name.
		if f.count > 0 {
			w.u8(0)
		}
		if f.ver == AMF0 {
			err = w.key0(name)
		} else {
			err = w.name3(name)
		}
	default:
		return w.fail("a member name outside an object")
	}
	if err != nil {
		return w.failErr(err)
	}
	return nil
}

// End closes the innermost array or object.
func (w *Writer) End() error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 {
		return w.fail("End with nothing open")
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	if f.n < 0 {
		w.flushAt = 0 // a count is no longer open: look at once
	}
	switch f.kind {
	case 'o':
		if f.dynamic {
			w.u8(0x01)
		}
	case 'E':
		w.end0()
	case 'v', 'd':
		if f.count != f.n {
			return w.fail("%d items end after %d", f.n, f.count)
		}
	case 'x':
		w.u8(0x01) // no dense part
		if f.n != 0 {
			return w.fail("array of %d items ends after 0", f.n)
		}
	case 'e':
		w.end0()
		if f.n < 0 {
			if err := w.patch32(f.start, uint32(f.count)); err != nil {
				return err
			}
		}
	case 'A':
		if f.n < 0 {
			// A streamed ByteArray may have moved the count into a
			// held part.
			if err := w.patch32(f.start, uint32(f.count)); err != nil {
				return err
			}
		} else if f.count != f.n {
			return w.fail("array of %d items ends after %d", f.n, f.count)
		}
	case 'S':
		return w.endSOL(f)
	case 'a':
		if f.n >= 0 {
			if f.count != f.n {
				return w.fail("array of %d items ends after %d", f.n, f.count)
			}
			break
		}
		if f.count > MaxInt {
			return w.failErr(tooLong("array", int64(f.count), AMF3))
		}
		var tmp [4]byte
		hdr := AppendU29(tmp[:0], uint32(f.count)<<1|1)
		if w.counting {
			w.total += int64(len(hdr) - f.hdrSize) // the items may be gone
			break
		}
		if err := w.patchCount3(f.start, f.hdrSize, hdr); err != nil {
			return err
		}
	default:
		return w.fail("End of a value that is not an array or object")
	}
	w.valueDone()
	return nil
}

// WriteValue writes a value of the model (anything [Marshal] takes, and
// [ByteArrayStream]) in the Writer's reference context, through the same
// tables as the tokens: its references are numbered after what the
// Writer wrote before, and it refers to strings, traits and values (the
// same pointers) that earlier WriteValue calls wrote, as [Marshal] would
// within one value.
func (w *Writer) WriteValue(v any) error {
	if w.err != nil {
		return w.err
	}
	ver := w.version()
	var err error
	if ver == AMF0 {
		err = w.value0(v)
	} else {
		err = w.value3(v)
	}
	if err != nil {
		w.depth = 0
		return w.setErr(finishEncErr(err, ver))
	}
	return w.done()
}

// ---- packets ----

// WritePacket writes a whole remoting packet, its values as WriteValue
// does (so a ByteArrayStream in them is streamed). Lengths are exact
// unless a header or message gives its own; each header and message is
// numbered as its fields say (UnregisteredArgs, DateRefs,
// CrossEscapeRefs).
func (w *Writer) WritePacket(p *Packet) error {
	if w.err != nil {
		return w.err
	}
	for _, c := range []struct {
		what string
		n    int
	}{{"headers", len(p.Headers)}, {"messages", len(p.Messages)}} {
		if c.n > 0xFFFF {
			// Its place: the list (a packet's JSON form has it there).
			return w.setErr(&EncodeError{Version: "amf", Path: "/" + c.what, Segs: []string{c.what},
				Err: fmt.Errorf("%w: %d %s, more than the 65535 a packet can count", ErrUnencodable, c.n, c.what)})
		}
	}
	w.u16(p.Version)
	w.u16(uint16(len(p.Headers)))
	for i := range p.Headers {
		h := &p.Headers[i]
		if err := w.writePart(h.Name, nil, h.MustUnderstand, h.Length, h.Value, partNumbering{cross: h.CrossEscapeRefs, xml: h.XMLRefs}); err != nil {
			return w.setErr(finishEncErr(withSeg(withSeg(err, idxSeg(i)), "headers"), AMF0))
		}
	}
	w.u16(uint16(len(p.Messages)))
	for i := range p.Messages {
		m := &p.Messages[i]
		if err := w.writePart(m.Target, &m.Response, false, m.Length, m.Value, partNumbering{m.UnregisteredArgs, m.DateRefs, m.CrossEscapeRefs, m.XMLRefs}); err != nil {
			return w.setErr(finishEncErr(withSeg(withSeg(err, idxSeg(i)), "messages"), AMF0))
		}
	}
	return w.err
}

// partNumbering is how a header's or message's value is numbered (see
// Message).
type partNumbering struct{ unregArgs, dateRefs, cross, xml bool }

// writePart writes a header (resp nil) or message: its strings, its
// length and its value, a reference context of its own.
func (w *Writer) writePart(name string, resp *string, mu bool, length *uint32, v any, nb partNumbering) error {
	what := "name"
	if resp != nil {
		what = "target"
	}
	if err := w.key0(name); err != nil {
		return withSeg(err, what)
	}
	if resp == nil {
		if mu {
			w.u8(1)
		} else {
			w.u8(0)
		}
	} else if err := w.key0(*resp); err != nil {
		return withSeg(err, "response")
	}
	w.beginPart()
	w.dateRefs, w.crossRefs, w.xmlRefs = nb.dateRefs, nb.cross, nb.xml
	var err error
	if a, ok := v.(*Array); ok && nb.unregArgs && len(a.Assoc) == 0 {
		// PyAMF's numbering: the argument array takes no slot.
		err = w.strict0(a.Dense)
	} else if l, ok := v.([]any); ok && nb.unregArgs {
		err = w.strict0(l)
	} else {
		err = w.value0(v)
	}
	w.dateRefs, w.crossRefs, w.xmlRefs = false, false, false
	if err != nil {
		w.depth = 0
		return withSeg(err, "value")
	}
	if length == nil {
		return w.EndPart()
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	if err := w.patch32(f.start-4, *length); err != nil {
		return err
	}
	w.maybeFlush()
	return w.err
}

// BeginPacket writes a remoting packet's version and header count.
// Headers follow as BeginHeader, a value; then BeginMessages and, per
// message, BeginMessage and a value. Each header and message value is its
// own reference context, and its length is written exactly.
func (w *Writer) BeginPacket(version uint16, headers int) error {
	if w.err != nil {
		return w.err
	}
	if headers > math.MaxUint16 {
		return w.fail("%d headers are too many", headers)
	}
	w.u16(version)
	w.u16(uint16(headers))
	return nil
}

// BeginHeader writes a header's name and flag; its value comes next.
func (w *Writer) BeginHeader(name string, mustUnderstand bool) error {
	if err := w.pstr(name); err != nil {
		return err
	}
	if mustUnderstand {
		w.u8(1)
	} else {
		w.u8(0)
	}
	w.beginPart()
	return nil
}

// BeginMessages writes the message count.
func (w *Writer) BeginMessages(n int) error {
	if w.err != nil {
		return w.err
	}
	if n > math.MaxUint16 {
		return w.fail("%d messages are too many", n)
	}
	w.u16(uint16(n))
	return nil
}

// BeginMessage writes a message's target and response; its value comes
// next.
func (w *Writer) BeginMessage(target, response string) error {
	if err := w.pstr(target); err != nil {
		return err
	}
	if err := w.pstr(response); err != nil {
		return err
	}
	w.beginPart()
	return nil
}

func (w *Writer) pstr(s string) error {
	if w.err != nil {
		return w.err
	}
	if err := w.key0(s); err != nil {
		return w.failErr(err)
	}
	return nil
}

// beginPart starts a header or message value: a length to patch, and
// fresh reference tables.
func (w *Writer) beginPart() {
	w.u32(0)
	w.resetTables()
	w.stack = append(w.stack, wframe{kind: 'm', ver: AMF0, start: w.Offset(), n: -1})
}

// BeginHeaderLength is [Writer.BeginHeader] with the value's length
// known before it is written (counted by a pass before, or given): it
// is written at once and the value is not held, so that it streams to
// the destination. With exact, [Writer.EndPart] fails unless the value
// had length bytes; without, the length is written as it is (a length
// field that is not the value's, or a pass that only counts: see
// [Writer.PartLength]).
func (w *Writer) BeginHeaderLength(name string, mustUnderstand bool, length uint32, exact bool) error {
	if err := w.pstr(name); err != nil {
		return err
	}
	if mustUnderstand {
		w.u8(1)
	} else {
		w.u8(0)
	}
	w.beginPartLength(length, exact)
	return nil
}

// BeginMessageLength is [Writer.BeginMessage] with the value's length
// known before it is written, as [Writer.BeginHeaderLength].
func (w *Writer) BeginMessageLength(target, response string, length uint32, exact bool) error {
	if err := w.pstr(target); err != nil {
		return err
	}
	if err := w.pstr(response); err != nil {
		return err
	}
	w.beginPartLength(length, exact)
	return nil
}

// beginPartLength starts a header or message value whose length is
// written now: a frame that holds nothing ('m' with n >= 0; exact: EndPart
// checks it, hdrSize 1).
func (w *Writer) beginPartLength(length uint32, exact bool) {
	w.u32(length)
	w.resetTables()
	f := wframe{kind: 'm', ver: AMF0, start: w.Offset(), n: int(length)}
	if exact {
		f.hdrSize = 1
	}
	w.stack = append(w.stack, f)
}

// SetPartNumbering sets how the references of the header or message
// value begun last are numbered, as [Message] DateRefs and
// CrossEscapeRefs say (call it before the value; [Writer.EndPart]
// clears it). An argument array that takes no slot (UnregisteredArgs)
// is written with [Writer.BeginArgs].
func (w *Writer) SetPartNumbering(dateRefs, crossEscapeRefs bool) error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) != 1 || w.stack[0].kind != 'm' {
		return w.fail("SetPartNumbering outside a header or message value")
	}
	w.dateRefs, w.crossRefs = dateRefs, crossEscapeRefs
	return nil
}

// SetXMLRefs sets whether AMF0 references may point at or past an XML
// document in the current reference context, numbered as Flash Player
// numbers them (the document takes a slot), as [Message].XMLRefs says:
// for the header or message value begun last (call it before the value;
// [Writer.EndPart] clears it), or for the values written outside a
// packet until the Writer is reset. Without it, the value encoder
// ([Writer.WriteValue]) writes a value met again after such a document
// in full, and [Writer.CanRefer] says so to callers that write
// references themselves.
func (w *Writer) SetXMLRefs(on bool) error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) > 1 || len(w.stack) == 1 && w.stack[0].kind != 'm' {
		return w.fail("SetXMLRefs inside a value")
	}
	w.xmlRefs = on
	return nil
}

// BeginArgs opens an AMF0 strict array of n items that takes no slot in
// the reference table: a request's argument array in PyAMF's numbering
// (see [Message].UnregisteredArgs).
func (w *Writer) BeginArgs(n int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF0 || n < 0 {
		return w.fail("BeginArgs is an AMF0 strict array of a known count")
	}
	if err := w.BeginArray(n); err != nil {
		return err
	}
	w.refs0--
	return nil
}

// EndPart ends the value of the header or message begun last, writing
// its length.
func (w *Writer) EndPart() error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 || w.stack[len(w.stack)-1].kind != 'm' {
		return w.fail("EndPart outside a header or message")
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.dateRefs, w.crossRefs, w.xmlRefs = false, false, false
	n := w.Offset() - f.start
	if n > math.MaxUint32 {
		return w.fail("a value of %d bytes is longer than a packet length can say", n)
	}
	if f.n >= 0 {
		// Its length was written before it (BeginMessageLength).
		if f.hdrSize == 1 && n != int64(f.n) {
			return w.fail("a value of %d bytes where %d were announced", n, f.n)
		}
	} else if err := w.patch32(f.start-4, uint32(n)); err != nil {
		return err
	}
	w.maybeFlush()
	return w.err
}

// patch32 writes v at output offset off: in the buffer, or in a held
// part when streamed pieces came after it.
func (w *Writer) patch32(off int64, v uint32) error {
	if w.counting {
		return nil
	}
	base := w.Offset() - int64(len(w.buf))
	if off >= base {
		binary.BigEndian.PutUint32(w.buf[off-base:], v)
		return nil
	}
	// Find it in the held parts.
	pos := w.total
	for i := len(w.parts) - 1; i >= 0; i-- {
		pos -= w.parts[i].n
		p := w.parts[i]
		if p.b != nil && off >= pos && off+4 <= pos+p.n {
			binary.BigEndian.PutUint32(p.b[off-pos:], v)
			return nil
		}
	}
	return w.fail("internal error: a length to patch was written out already")
}

// patchCount3 writes hdr, an AMF3 count, over the size bytes reserved
// for it at output offset off: in the buffer, sliding what follows along
// when hdr is longer, or in a held part (see holdChunk), which is then
// split around the longer count rather than moved.
func (w *Writer) patchCount3(off int64, size int, hdr []byte) error {
	grow := len(hdr) - size
	if base := w.total; off >= base {
		at := int(off - base)
		if grow == 0 {
			copy(w.buf[at:], hdr)
			return nil
		}
		// Slide the items along to make room for a longer count.
		end := len(w.buf)
		w.buf = append(w.buf, hdr[:grow]...)
		copy(w.buf[at+len(hdr):], w.buf[at+size:end])
		copy(w.buf[at:], hdr)
		return nil
	}
	pos := w.total
	for i := len(w.parts) - 1; i >= 0; i-- {
		pos -= w.parts[i].n
		p := w.parts[i]
		if p.b == nil || off < pos || off+int64(size) > pos+p.n {
			continue
		}
		at := int(off - pos)
		if grow == 0 {
			copy(p.b[at:], hdr)
			return nil
		}
		h := append([]byte(nil), hdr...)
		w.parts = slices.Replace(w.parts, i, i+1,
			part{b: p.b[:at], n: int64(at)},
			part{b: h, n: int64(len(h))},
			part{b: p.b[at+size:], n: p.n - int64(at+size)})
		w.total += int64(grow)
		return nil
	}
	return w.fail("internal error: a count to patch was written out already")
}

// ---- .sol files ----

// BeginSOL writes the header of a .sol file (see [SOL]) whose entries
// are then written as WriteName and a value each, in version ver (AMF0
// or AMF3), as [MarshalSOL] writes them: one reference context for the
// whole file, the AMF0 data object reference 0 (a value that refers to
// it writes WriteRef(0)), AMF3 strings and traits referred to across
// 0x11 switches. End closes the file.
//
// length is the file's length field (its size less 6): with length < 0
// it is written at End, and the output held until then; else it is
// written now and the entries stream to the destination (with exact,
// End fails unless it is the size written; without, as [Writer.
// BeginMessageLength] says, for a pass that only counts).
func (w *Writer) BeginSOL(name string, ver Version, length int64, exact bool) error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) > 0 {
		return w.fail("BeginSOL inside a value")
	}
	if ver != AMF0 && ver != AMF3 {
		return w.setErr(&EncodeError{Version: "amf", Err: fmt.Errorf("%w: .sol version %d (want 0 or 3)", ErrUnencodable, ver)})
	}
	if length > math.MaxUint32 {
		return w.setErr(&EncodeError{Version: "amf", Err: fmt.Errorf("%w: .sol file over 4 GiB", ErrUnencodable)})
	}
	w.buf = append(w.buf, 0x00, 0xBF)
	w.u32(uint32(max(length, 0)))
	f := wframe{kind: 'S', ver: ver, start: w.Offset(), n: int(max(length, -1))}
	w.buf = append(w.buf, solTag...)
	if err := w.key0(name); err != nil {
		return w.setErr(finishEncErr(withSeg(err, "name"), AMF0))
	}
	w.buf = append(w.buf, 0, 0, 0, byte(ver))
	w.resetTables()
	if ver == AMF0 {
		w.refs0 = 1 // the data object
	}
	// Flash Player's numbering throughout, as MarshalSOL writes it.
	w.crossRefs, w.xmlRefs = true, true
	if exact {
		f.hdrSize = 1
	}
	w.stack = append(w.stack, f)
	return nil
}

// endSOL ends the .sol file of frame f: the 00 byte of its last entry,
// its length written or checked.
func (w *Writer) endSOL(f wframe) error {
	if f.count > 0 {
		w.u8(0)
	}
	w.crossRefs, w.xmlRefs = false, false
	n := w.Offset() - f.start
	switch {
	case n > math.MaxUint32:
		return w.setErr(&EncodeError{Version: "amf", Err: fmt.Errorf("%w: .sol file over 4 GiB", ErrUnencodable)})
	case f.n < 0:
		if err := w.patch32(f.start-4, uint32(n)); err != nil {
			return err
		}
		w.flushAt = 0
	case f.hdrSize == 1 && n != int64(f.n):
		return w.fail("a .sol file of %d bytes where %d were announced", n, f.n)
	}
	w.maybeFlush()
	return w.err
}

// ---- output ----

// Len returns the length of the output so far.
func (w *Writer) Len() int64 { return w.Offset() }

// Bytes returns the output held (a Writer with no destination and no
// streamed pieces).
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if len(w.parts) > 0 {
		return nil, errors.New("amf: the output holds streamed pieces: use WriteTo or Reader")
	}
	return w.buf, nil
}

// Reader returns the output held, streamed pieces included, as one
// reader of Len bytes.
func (w *Writer) Reader() io.Reader {
	rs := make([]io.Reader, 0, len(w.parts)+1)
	for _, p := range w.parts {
		if p.r != nil {
			rs = append(rs, p.r)
		} else {
			rs = append(rs, bytes.NewReader(p.b))
		}
	}
	rs = append(rs, bytes.NewReader(w.buf))
	return io.MultiReader(rs...)
}

// WriteTo writes the output held to dst.
func (w *Writer) WriteTo(dst io.Writer) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	return io.Copy(dst, w.Reader())
}

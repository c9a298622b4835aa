package amf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unsafe"

	"github.com/amfcall/amfcall/internal/textcut"
)

// Kind is the kind of a [Token].
type Kind uint8

// Token kinds. A complex value is a start token, its contents and an
// [KindEnd] token; an object's or associative array's contents are
// [KindName] tokens each followed by a value.
const (
	KindInvalid Kind = iota
	KindUndefined
	KindNull
	KindBool        // Token.Bool
	KindInt         // AMF3 integer, or an item of a Vector.<int> or Vector.<uint>: Token.Int
	KindDouble      // Token.Float
	KindString      // Token.Bytes (borrowed), Token.StrIndex
	KindXML         // E4X XML (AMF3 0x0B): Token.Bytes
	KindXMLDocument // AMF0 0x0F, AMF3 0x07: Token.Bytes
	KindDate        // Token.Float (milliseconds), Token.TZ (AMF0)
	KindByteArray   // Token.Bytes, or Token.Streamed and [Reader.Body]
	KindUnsupported // AMF0 0x0D
	// KindRef is a reference to a complex value read earlier: Token.Index
	// in the object table of Token.Version. [Reader.Replay] reads the
	// value again from where it stood.
	KindRef
	// KindSwitch is the AMF0 marker 0x11: the next value is AMF3.
	KindSwitch
	KindObject     // anonymous, typed or externalizable object: Token.Traits (AMF3) or Token.Bytes (AMF0 class)
	KindECMAArray  // AMF0 ECMA array: Token.Count is the count field as written
	KindArray      // AMF0 strict array or AMF3 array: Token.Count dense items, Token.Assoc
	KindVector     // Token.Vector, Token.Fixed, Token.Count, Token.Bytes (object type)
	KindDictionary // Token.Count entries (key, value, key, value...), Token.Fixed (weak keys)
	KindName       // a member name: Token.Bytes, Token.StrIndex
	KindEnd        // the end of the innermost complex value
)

var kindNames = [...]string{"invalid", "undefined", "null", "bool", "int", "double", "string", "xml", "xmldocument",
	"date", "bytearray", "unsupported", "ref", "switch", "object", "ecmaarray", "array", "vector", "dictionary", "name", "end"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Token is one token of AMF input. Bytes is borrowed: it is valid until
// the next call on the [Reader] that returned it.
type Token struct {
	Kind    Kind
	Version Version
	Offset  int64 // where the token starts in the input
	Bool    bool
	Int     int64
	Float   float64
	TZ      int16
	Bytes   []byte
	// StrIndex is an AMF3 string's or name's index in the string table
	// plus one (0 for the empty string and for AMF0), for callers that
	// cache what they make of each string.
	StrIndex int
	// Index is a complex value's index in the object table of its
	// version (also while it is read again by Replay), or -1 when it takes
	// no slot.
	Index  int
	Count  int64
	Assoc  bool // an AMF3 array has an associative part
	Fixed  bool // Vector fixed flag; Dictionary weak-keys flag
	Vector VectorType
	Traits *Traits // AMF3 objects
	// TraitsIndex is, for an AMF3 object whose Traits were read again
	// from the input (an entry past the first 4,096 of a Reader over
	// bytes without KeepTraits), the entry's index in the traits table
	// (as the input counts it) plus one: another object of the same
	// entry gets another *Traits, and this tells them apart. 0 when one
	// *Traits stands for the entry (and for any other token).
	TraitsIndex int
	// Streamed says that a ByteArray or long string is too large to be
	// held: its Len bytes are read with [Reader.Body]. (A token that is
	// not streamed holds its bytes in Bytes.)
	Streamed bool
	Len      int64
}

type frameKind uint8

const (
	fObj0 frameKind = iota + 1 // AMF0 object, typed object, ECMA array
	fStrict0
	fAssoc3     // AMF3 array, associative part
	fDense3     // AMF3 array, dense part
	fReAssoc3   // AMF3 array, associative part read again after the dense part
	fSealed3    // AMF3 object, sealed members
	fDynamic3   // AMF3 object, dynamic members
	fSmall3     // Flex small message
	fVecNum3    // Vector.<int|uint|Number>
	fVecObj3    // Vector.<Object>
	fDict3      // Dictionary
	fSkipAssoc3 // an associative part read ahead of the dense part

	// The frames from here on hold one value: done ends them (scalar
	// tests the order, with one comparison).
	fWrapper3 // Flex collection wrapper: one value
	fSwitch   // AMF0 0x11: one AMF3 value
	fReplay   // a value read again
)

type frame struct {
	frameHead
	hdr     int // offset of the count or traits, for errors
	tr      *traits3
	name    []byte // the current member name, for error paths (a view)
	nameBuf []byte // owned bytes name may point into (setName, smallNext reuse it from [:0])
	// mixed arrays read dense part first (assocAt is set with ahead,
	// denseEnd as fReAssoc3 begins)
	assocAt, denseEnd int
	// replay: where to go back to (set by push); cross: a value of
	// another switch's tables (Replay with FreshSwitches), which done
	// puts back from Reader.saved
	back  int
	cross bool
	// small messages (group is set as fSmall3 is pushed; ptr is read
	// only while below len(pending), which pushC empties)
	group   int
	pending []string
	ptr     int // next pending name
}

// frameHead holds the fields of a frame that pushC sets, in one piece
// without pointers (two vector stores).
type frameHead struct {
	kind   frameKind
	counts bool // counts towards MaxDepth
	expect bool // a name was returned: a value comes next
	vt     byte
	ahead  bool // a mixed array's dense part, read first (DenseFirst)
	n, i   int  // items: count and next index
	elems  int  // members read (MaxElements)
}

type traits3 struct {
	t          *Traits
	sealedIdx  []int // string-table index + 1 of each sealed name
	start, end int   // where the traits were read (inline traits)
	small      [][][]string
	// batch is the frame ReadBatch opens for an object of these
	// traits (fSealed3, or fDynamic3 without sealed members; noBatch
	// for none, externalizable), 0 until batchStart3 first reads it:
	// then beside t, not through it.
	batch frameKind
}

// strEntry is an AMF3 string table entry: where its bytes are, in the
// input (r.data) when the Reader reads a byte slice of at most 4 GiB,
// otherwise in r.strArena, which keeps a copy. Eight bytes an entry
// where a slice took 24: a table of millions of short strings (a bare
// array of 5 M one-letter strings is 15 MB of input) grows with its
// entries, not with what they hold.
type strEntry struct {
	off, n uint32
}

// sb returns the bytes of the table entry e.
func (r *Reader) sb(e strEntry) []byte {
	mem := r.strMem()
	return mem[e.off : e.off+e.n : e.off+e.n]
}

// flatStrs is the string table where its entries index r.data, as the
// loops of run3 read them; nil otherwise (a stream's table: those loops
// then leave every string reference to the general path).
func (r *Reader) flatStrs() []strEntry {
	if r.src == nil && len(r.data) <= math.MaxUint32 {
		return r.strs
	}
	return nil
}

// strMem is what the string table's entries index (see strEntry).
func (r *Reader) strMem() []byte {
	if r.src == nil && len(r.data) <= math.MaxUint32 {
		return r.data
	}
	return r.strArena
}

// addStr enters b, just read by take after its header at hdr, in the
// string table, and returns the bytes the entry stands for; nil when the
// copies of a stream's table strings would pass 4 GiB. Past strFast
// entries, the entries go to r.big, where only where the header is is
// kept.
func (r *Reader) addStr(hdr int, b []byte) []byte {
	fast := len(r.strs) < strFast && r.big.n == 0
	if r.src == nil && len(r.data) <= math.MaxUint32 {
		if fast {
			r.strs = append(r.strs, strEntry{uint32(r.off - len(b)), uint32(len(b))})
		} else {
			r.big.add(uint32(hdr))
		}
		return b
	}
	// The window moves on (a stream), or offsets do not fit: a copy.
	// Bytes returned before stay valid when the arena grows (they are
	// in the array they were appended to). A table of more than 4 GiB
	// of text is past any limit a mode can set (MaxLength is 2^28 a
	// string): the caller fails it.
	off := len(r.strArena)
	if off+len(b)+4 > math.MaxUint32 {
		return nil
	}
	if !fast {
		// The header too, which r.big's entry points to.
		r.strArena = AppendU29(r.strArena, uint32(len(b))<<1|1)
		r.big.add(uint32(off))
		s := len(r.strArena)
		r.strArena = append(r.strArena, b...)
		return r.strArena[s : s+len(b) : s+len(b)]
	}
	r.strArena = append(r.strArena, b...)
	r.strs = append(r.strs, strEntry{uint32(off), uint32(len(b))})
	return r.strArena[off : off+len(b) : off+len(b)]
}

// Reader reads AMF input as a stream of [Token] values, with the same
// limits, reference tables and errors as the value decoder. Create one
// with [NewReader], [NewStreamReader] or the [DecMode] methods.
type Reader struct {
	m   *DecMode
	ver Version

	data []byte
	off  int
	base int64 // input offset of data[0] (stream mode)
	src  io.Reader
	eof  bool // src is exhausted
	// owed: ReadHeaderStart, ReadMessageStart or ReadSOLName was the
	// last call, so a value must follow; the end of the input there is not io.EOF.
	owed bool

	stack []frame
	depth int

	refs0 []int // AMF0 object table: marker offsets
	// dateRefs gives AMF0 dates a slot in refs0 (a request numbered as
	// Red5 reads Flash Player 9's, see Message.DateRefs).
	dateRefs bool
	// The AMF3 object table: the marker offset of each object, in 4
	// bytes (a stream of small objects has one for every few bytes of
	// input), the last up to objChunk or so in objs, the objN0 before
	// them in objBig, where they take 2 bytes each (see registerObj; the
	// value decoder's fast paths append to objs, so it may be longer
	// than objChunk). Offsets are read back only to read a value again
	// (Replay), which needs the whole input: a stream Reader's may wrap
	// past 4 GiB, and Replay refuses an input that long. objN0 is 0 in
	// a new Reader, so len(r.objs) < r.m.maxRefs-r.objN0 is the test
	// for room.
	objs []uint32
	strs []strEntry
	big  strBig // the string table past strFast entries
	// tbig is the traits table past traitFast entries: where each
	// traits begin (see bigTraits), which tcache holds read again.
	tbig   strBig
	tcache *[64]traitsCached
	// strArena holds the bytes of the string table entries where they
	// cannot be found in data (see strEntry).
	strArena []byte
	traits   []traits3
	// names are the long traits names made so far, by string table
	// index (see name).
	names map[int]nameEntry

	replay int
	err    error

	// DenseFirst makes a mixed AMF3 array's dense items come before its
	// associative part (the order plain JSON prints them in). It needs
	// the whole input: a Reader from NewReader.
	DenseFirst bool

	// FreshSwitches makes each 0x11 switch start the AMF3 string and
	// traits tables empty, for input whose AMF3 references never reach
	// an entry of an earlier switch (amf.PacketPart.FreshSwitches says
	// so of a packet's value): what the earlier switches registered is
	// let go, so that memory does not grow with their number. A
	// reference that reaches back is then an error. Token.StrIndex
	// counts from the switch: a caller that caches per StrIndex forgets
	// its cache at each KindSwitch. ReadBatch reads nothing once a
	// switch has let entries go (its runs index the tables as the
	// bytes do). Set it after Reset, which clears it.
	FreshSwitches bool
	// KeepTraits makes a Reader over bytes keep every AMF3 traits it
	// reads, as a stream Reader and the value decoder do, so that every
	// object of a traits table entry gives the same *Traits (a caller
	// that tells traits apart by identity needs it). Without it, past
	// 4,096 traits a Reader over bytes keeps only where each began and
	// reads them again when referred to, each time a *Traits of its
	// own (but for a small cache), so that millions of distinct traits
	// cost a byte or two each (Token.TraitsIndex tells them apart), not
	// a hundred and more. Reset keeps it.
	KeepTraits bool
	// NoReplay says that the caller never reads a reference again
	// (Replay then fails): the AMF3 object table counts the objects
	// past its first 65,536 without keeping where each began (5 million
	// objects took 5.6 MB). Reset keeps it.
	NoReplay bool
	// SwitchReplay lets Replay, with FreshSwitches, read again a value
	// of an earlier switch, or an AMF0 value holding switches, with the
	// tables of its switches, which it rebuilds by reading each such
	// switch again once, and keeps within a bound (see crossReplay).
	// It costs 8 bytes a switch (where each began, with its tables'
	// counts). A Replay that would read the input again more than
	// replayBudget fails with a *SwitchReplayError. Without it such a
	// Replay may fail or read strings of the wrong switch. Set it after
	// Reset, which clears it.
	SwitchReplay bool

	body     int64 // bytes of a streamed value not read yet
	bodyRead bool
	bodyVer  Version // the streamed value's version, for its errors
	// claims are counts a stream Reader could not check yet
	// (checkCountStream).
	claims []claim

	// UncheckedCounts makes ReadPacketStart and ReadMessagesStart
	// return a header or message count without checking it against the
	// bytes left, for a caller that salvages the parts before the cut
	// of a packet cut short (client's partialReply: a batch reply of
	// many small messages, cut, holds fewer than 9 bytes a message);
	// reading past the cut then fails there. Reset clears it.
	UncheckedCounts bool

	// StreamOver is the length above which a stream Reader leaves a
	// ByteArray, XML text or AMF0 long string for Body instead of holding
	// it (Token.Streamed). Default 1 MiB.
	StreamOver int64

	b     *builder // ReadValue's tables
	dirty bool     // r.t holds fields only some kinds set
	t     Token    // the token being read
	// names0 is, per Slot of an AMF0 member less 1, the last name
	// ReadBatch gave with it (BatchToken.Again). Last: the fields above
	// keep their places.
	names0 []nameWords
	// The object table's chunks before objs (see objs).
	objBig strBig
	objN0  int

	// References across 0x11 switches (Message.CrossEscapeRefs), noted
	// when watchCross: strBase and traitBase are the sizes of the AMF3
	// string and traits tables when the current switch began (0 before
	// any, and in a Reader that does not watch); crossRefs records an
	// AMF3 string or traits reference below them, read by NextToken
	// (not by ReadBatch). See watchSwitchRefs.
	watchCross         bool
	strBase, traitBase int
	crossRefs          bool
	// strOff and traitOff are the entries FreshSwitches let go: a
	// reference's index in the input less these is its place in strs
	// and traits.
	strOff, traitOff int

	// With FreshSwitches, Replay of a value of another switch (see
	// crossReplay): marks is where each switch began, with the tables'
	// counts then; cur is the switch whose tables strs and traits are;
	// tabs holds the tables of earlier switches rebuilt for it; saved
	// the tables a cross replay set aside, one per cross frame; cross
	// counts those frames (Token.StrIndex is 0 inside them).
	marks  [][]markEntry     // in chunks of markChunk (see addMark)
	markCk [][2]uint32       // the string and traits counts of every ckEvery-th mark
	bigD   map[int][2]uint32 // the counts of a markEntry that do not fit it
	lastCk [2]uint32         // the counts of the last mark
	nMarks int
	cur    int
	tabs   map[int]*switchTabs
	// reread is the bytes switchTables read again: past the input's
	// length, the tables rebuilt are no longer let go (keptTabs) while
	// they fit in maxKeptTables; past replayBudget, Replay fails.
	// tabsSize is the memory of tabs (tablesSize).
	reread   int
	tabsSize int
	saved    []switchTabs
	cross    int
}

// switchMark is where a switch began (the input offset of its 0x11
// marker), with the entries of the string, traits and object tables
// before it.
type switchMark struct {
	at, strOff, traitOff, objs uint32
}

// markEntry is how a Reader keeps a switchMark, in 8 bytes (16 a
// switch made the marks of a batch of 650,000 switched items 10 MB, a
// sixth of the memory past the input): where the switch began, and the
// string and traits entries registered since the mark before (0xFFFF:
// in Reader.bigD); the counts themselves every ckEvery marks
// (Reader.markCk). The objects before it are those of the object table
// that begin before it (objsBefore).
type markEntry struct {
	at           uint32
	dStr, dTrait uint16
}

// ckEvery is how often a Reader keeps a mark's counts whole: mark sums
// at most ckEvery-1 entries' counts to find the others'.
const ckEvery = 64

// switchTabs are one switch's string and traits tables, whole.
type switchTabs struct {
	strs             []strEntry
	big              strBig
	traits           []traits3
	tbig             strBig
	strOff, traitOff int
	cur              int
}

// maxHeld is the largest ByteArray or long string a stream Reader holds
// in memory; a larger one is streamed (Token.Streamed).
const maxHeld = 1 << 20

// NewReader returns a Reader of the values in data with the default
// limits.
func NewReader(data []byte, ver Version) *Reader { return defaultDecMode.NewReader(data, ver) }

// NewStreamReader returns a Reader of the values read from r with the
// default limits. It reads ahead of the tokens it returns; references
// cannot be read again ([Reader.Replay]).
func NewStreamReader(r io.Reader, ver Version) *Reader {
	return defaultDecMode.NewStreamReader(r, ver)
}

// NewReader returns a Reader of the values in data with the mode's limits.
func (m *DecMode) NewReader(data []byte, ver Version) *Reader {
	return &Reader{m: m, ver: ver, data: data}
}

// NewStreamReader returns a Reader of the values read from r with the
// mode's limits.
func (m *DecMode) NewStreamReader(r io.Reader, ver Version) *Reader {
	return &Reader{m: m, ver: ver, src: r, data: make([]byte, 0, 64<<10)}
}

// Reset makes r a Reader of data, as NewReader with r's mode would, but
// keeps the capacity of its tables.
func (r *Reader) Reset(data []byte, ver Version) {
	m := r.m
	if m == nil {
		m = defaultDecMode
	}
	clear(r.strs)
	clear(r.traits)
	clear(r.stack)
	clear(r.names0)
	clear(r.saved)
	// The chunks of the large tables are used again for data (the typed
	// JSON writer reads its input twice), and let go with nil data (a
	// Reader put back in a pool).
	var big, tbig, objBig strBig
	if data != nil {
		big, tbig, objBig = r.big.reuse(), r.tbig.reuse(), r.objBig.reuse()
	}
	*r = Reader{m: m, ver: ver, data: data, names0: r.names0, KeepTraits: r.KeepTraits, NoReplay: r.NoReplay,
		stack: r.stack[:0], refs0: r.refs0[:0], objs: r.objs[:0], strs: r.strs[:0], traits: r.traits[:0],
		saved: r.saved[:0], big: big, tbig: tbig, objBig: objBig}
}

// InputOffset returns the input offset of the next token.
func (r *Reader) InputOffset() int64 { return r.base + int64(r.off) }

// Depth returns the number of complex values the next token is inside.
func (r *Reader) Depth() int {
	n := 0
	for i := range r.stack {
		if f := &r.stack[i]; f.kind != fSwitch && f.kind != fReplay {
			n++
		}
	}
	return n
}

// ---- input ----

// fill makes n bytes available at r.off if the input has them.
func (r *Reader) fill(n int) bool {
	if len(r.data)-r.off >= n {
		return true
	}
	if r.src == nil || r.eof {
		return false
	}
	for len(r.data)-r.off < n {
		if len(r.data) == cap(r.data) {
			// Grow by doubling, never past what is asked for: a length
			// the input claims is allocated only as its bytes arrive.
			nb := make([]byte, len(r.data), min(r.off+n, max(2*cap(r.data), 64<<10)))
			copy(nb, r.data)
			r.data = nb
		}
		k, err := r.src.Read(r.data[len(r.data):cap(r.data)])
		r.data = r.data[:len(r.data)+k]
		if err != nil {
			r.eof = true
			if err != io.EOF {
				r.err = err
			}
			return len(r.data)-r.off >= n
		}
	}
	return true
}

// compact drops the bytes before r.off from a stream reader's window.
// It runs only between tokens: offsets held while a token is read stay
// valid, and borrowed bytes are only valid until the next call.
func (r *Reader) compact() {
	if r.src == nil || r.off < cap(r.data)/2 {
		return
	}
	k := copy(r.data, r.data[r.off:])
	r.data = r.data[:k]
	r.base += int64(r.off)
	r.off = 0
}

func (r *Reader) fail(ver Version, off int, err error) error {
	return &decErr{ver: ver.String(), offset: int64(off), err: err}
}

func (r *Reader) eofErr(ver Version) error {
	if r.err != nil {
		return r.err
	}
	return r.fail(ver, len(r.data), io.ErrUnexpectedEOF)
}

// left is the number of bytes left, as far as known: a stream reader
// does not know it (checkStream).
func (r *Reader) left() int {
	if r.src != nil {
		return math.MaxInt
	}
	return len(r.data) - r.off
}

func (r *Reader) u8(ver Version) (byte, error) {
	if r.off >= len(r.data) && !r.fill(1) {
		return 0, r.eofErr(ver)
	}
	b := r.data[r.off]
	r.off++
	return b, nil
}

func (r *Reader) u16(ver Version) (int, error) {
	if len(r.data)-r.off < 2 && !r.fill(2) {
		return 0, r.eofErr(ver)
	}
	v := binary.BigEndian.Uint16(r.data[r.off:])
	r.off += 2
	return int(v), nil
}

func (r *Reader) u32(ver Version) (uint32, error) {
	if len(r.data)-r.off < 4 && !r.fill(4) {
		return 0, r.eofErr(ver)
	}
	v := binary.BigEndian.Uint32(r.data[r.off:])
	r.off += 4
	return v, nil
}

func (r *Reader) f64(ver Version) (float64, error) {
	if len(r.data)-r.off < 8 && !r.fill(8) {
		return 0, r.eofErr(ver)
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(r.data[r.off:]))
	r.off += 8
	return v, nil
}

func (r *Reader) u29() (uint32, error) {
	data, off := r.data, r.off
	if off+4 <= len(data) {
		// Four bytes are there: no bounds or refill checks per byte.
		b := data[off : off+4 : off+4]
		if b[0] < 0x80 {
			r.off = off + 1
			return uint32(b[0]), nil
		}
		if b[1] < 0x80 {
			r.off = off + 2
			return uint32(b[0]&0x7F)<<7 | uint32(b[1]), nil
		}
		if b[2] < 0x80 {
			r.off = off + 3
			return uint32(b[0]&0x7F)<<14 | uint32(b[1]&0x7F)<<7 | uint32(b[2]), nil
		}
		r.off = off + 4
		return uint32(b[0]&0x7F)<<22 | uint32(b[1]&0x7F)<<15 | uint32(b[2]&0x7F)<<8 | uint32(b[3]), nil
	}
	var v uint32
	for i := 0; i < 3; i++ {
		b, err := r.u8(AMF3)
		if err != nil {
			return 0, err
		}
		if b < 0x80 {
			return v<<7 | uint32(b), nil
		}
		v = v<<7 | uint32(b&0x7F)
	}
	b, err := r.u8(AMF3)
	if err != nil {
		return 0, err
	}
	return v<<8 | uint32(b), nil
}

// take returns the next n bytes, whose length was read at lenOff.
// take has a fast path for bytes all there, without checkLen's call.
func (r *Reader) take(ver Version, lenOff int, n int64) ([]byte, error) {
	if off := r.off; uint64(n) <= uint64(len(r.data)-off) && n <= int64(r.m.maxLength) {
		// All there and within the limit (which checkLen would pass).
		r.off = off + int(n)
		return r.data[off:r.off:r.off], nil
	}
	return r.takeSlow(ver, lenOff, n)
}

func (r *Reader) takeSlow(ver Version, lenOff int, n int64) ([]byte, error) {
	if err := r.checkLen(ver, lenOff, n); err != nil {
		return nil, err
	}
	if !r.fill(int(n)) {
		return nil, r.eofErr(ver)
	}
	b := r.data[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return b, nil
}

func (r *Reader) checkLen(ver Version, off int, n int64) error {
	if n > int64(r.m.maxLength) {
		return r.fail(ver, off, &MaxLengthError{Limit: r.m.maxLength, Length: n})
	}
	if r.src != nil && n > int64(len(r.data)-r.off) {
		return r.checkStream(ver, off, claim{n: n, size: 1, length: true})
	}
	if n > int64(r.left()) {
		return r.fail(ver, off, claim{n: n, size: 1, length: true}.err(int64(r.left())))
	}
	return nil
}

func (r *Reader) checkCount(ver Version, off int, n int64, minSize int) error {
	if n > int64(r.m.maxElements) {
		return r.fail(ver, off, &MaxElementsError{Limit: r.m.maxElements, Count: n})
	}
	if r.src != nil && n*int64(minSize) > int64(len(r.data)-r.off) {
		return r.checkStream(ver, off, claim{n: n, size: minSize})
	}
	if n*int64(minSize) > int64(r.left()) {
		return r.fail(ver, off, claim{n: n, size: minSize}.err(int64(r.left())))
	}
	return nil
}

// checkStream is checkLen or checkCount (c, without se and pos) for a
// stream Reader that does not hold the bytes c needs yet. Held whole,
// an input that ends before them fails at the length or count, not at
// a later check (the reference limit) nor at what a cut left invalid (a
// bad marker); so that a stream fails alike (issue 7: the same input,
// the same error), the bytes are read now when they are few
// (countAhead), and otherwise c is noted as a claim, which finish
// settles if an error comes before the input is known to hold them.
func (r *Reader) checkStream(ver Version, off int, c claim) error {
	need := c.n * int64(c.size)
	if need <= countAhead {
		r.fill(int(need))
	}
	if need <= int64(len(r.data)-r.off) {
		return nil
	}
	if r.eof && r.err == nil {
		return r.fail(ver, off, c.err(int64(len(r.data)-r.off)))
	}
	// Claims that the bytes read have met are dropped: those left are
	// of values still open.
	have := r.base + int64(len(r.data))
	claims := r.claims[:0]
	for _, c := range r.claims {
		if c.end() > have {
			claims = append(claims, c)
		}
	}
	r.claims = nil // finish settles claims: none while it makes this one's error
	c.se, _ = r.finish(r.fail(ver, off, io.ErrUnexpectedEOF)).(*SyntaxError)
	r.claims = claims
	if c.se != nil {
		c.pos = r.base + int64(r.off)
		r.claims = append(r.claims, c)
	}
	return nil
}

// countAhead bounds the bytes a stream Reader reads ahead to check a
// length or a count (checkStream).
const countAhead = 64 << 10

// claim is a length or count a stream Reader could not check against
// the bytes left (checkStream).
type claim struct {
	se     *SyntaxError // the error held whole, with the path then; Err is made when settled
	pos    int64        // the input offset the count was checked at
	n      int64
	size   int
	length bool // a length (size 1), not a count
}

func (c claim) end() int64 { return c.pos + c.n*int64(c.size) }

// err is the cause checkLen or checkCount gives when left bytes remain.
func (c claim) err(left int64) error {
	if c.length {
		return fmt.Errorf("length %d exceeds the %d bytes left: %w", c.n, left, io.ErrUnexpectedEOF)
	}
	return fmt.Errorf("count %d needs at least %d bytes but %d remain: %w", c.n, c.n*int64(c.size), left, io.ErrUnexpectedEOF)
}

// brokenClaim settles the claims of a stream Reader that has failed:
// it reads on (not keeping the bytes, the Reader is done) until the
// input holds every claim's bytes or ends, and returns the error of the
// first claim it does not hold, as the Reader held whole gives it; nil
// when all hold (or the input cannot be read to find out).
func (r *Reader) brokenClaim() *SyntaxError {
	claims := r.claims
	r.claims = nil
	have := r.base + int64(len(r.data))
	var want int64
	for _, c := range claims {
		want = max(want, c.end())
	}
	if have < want && (!r.eof || r.err != nil) {
		if r.eof {
			return nil
		}
		buf := make([]byte, min(want-have, 32<<10))
		for have < want {
			k, err := r.src.Read(buf[:min(int64(len(buf)), want-have)])
			have += int64(k)
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil
			}
		}
		r.eof = true
	}
	for _, c := range claims {
		if c.end() > have {
			se := *c.se
			se.Err = c.err(have - c.pos)
			return &se
		}
	}
	return nil
}

// ---- reference tables ----

// register adds the value whose marker is at at to a table, or, while
// reading again, finds its index there.
func (r *Reader) register(ver Version, table *[]int, at int) (int, error) {
	abs := int(r.base) + at
	if r.replay > 0 {
		t := *table
		i := sort.SearchInts(t, abs)
		if i < len(t) && t[i] == abs {
			return i, nil
		}
		return -1, nil
	}
	if len(*table) >= r.m.maxRefs {
		return -1, r.fail(ver, r.off, &MaxReferencesError{r.m.maxRefs})
	}
	if len(*table) == cap(*table) {
		// Doubling: append grows a large slice by a quarter, which for
		// a table of a few MB (100,000 objects) leaves four times its
		// size behind as garbage, and the heap grows with it.
		t := make([]int, len(*table), max(2*cap(*table), 256))
		copy(t, *table)
		*table = t
	}
	*table = append(*table, abs)
	return len(*table) - 1, nil
}

// reg3 is register of an AMF3 value for ReadBatch, which has checked
// that it is not reading again and that the table has room under
// MaxReferences: in line, while the table has capacity; it reports false
// (having done nothing) when it has none.
func (r *Reader) reg3(at int) (int, bool) {
	n := len(r.objs)
	if n == cap(r.objs) {
		return 0, false
	}
	r.objs = r.objs[:n+1] // only the length is stored
	r.objs[n] = uint32(int(r.base) + at)
	return r.objN0 + n, true
}

// objChunk is the size of a full chunk of the object table (256 KiB).
const objChunk = 1 << 16

// registerObj is register of the AMF3 object table.
//
// The table doubles up to objChunk entries; then a full chunk moves to
// objBig (2 bytes an entry where objects are less than 64 KiB apart)
// and objs begins again. Doubling alone kept the old array beside the
// new one while copying, and up to half the new one unused: a 100 MB
// stream of W1 values (7.6 million objects) peaked at 50 MB of table
// for 30 MB of entries; in chunks of 4-byte entries 30 MB, in objBig
// 15 MB.
func (r *Reader) registerObj(at int) (int, error) {
	abs := uint32(int(r.base) + at)
	if r.replay > 0 {
		n := r.objCount()
		i := sort.Search(n, func(i int) bool { return r.objAt(i) >= abs })
		if i < n && r.objAt(i) == abs {
			return i, nil
		}
		return -1, nil
	}
	if r.objCount() >= r.m.maxRefs {
		return -1, r.fail(AMF3, r.off, &MaxReferencesError{r.m.maxRefs})
	}
	r.objRoom()
	r.objs = append(r.objs, abs)
	return r.objCount() - 1, nil
}

// objRoom makes room in objs for one more entry.
func (r *Reader) objRoom() {
	switch c := cap(r.objs); {
	case len(r.objs) < c:
	case c < objChunk:
		t := make([]uint32, len(r.objs), min(max(2*c, 256), objChunk))
		copy(t, r.objs)
		r.objs = t
	default:
		if !r.NoReplay {
			for _, e := range r.objs {
				r.objBig.add(e)
			}
		}
		r.objN0 += len(r.objs)
		r.objs = r.objs[:0]
	}
}

// objCount is the length of the object table.
func (r *Reader) objCount() int { return r.objN0 + len(r.objs) }

// objAt is entry i of the object table (i < objCount).
func (r *Reader) objAt(i int) uint32 {
	if i >= r.objN0 {
		return r.objs[i-r.objN0]
	}
	return r.objBig.at(i)
}

// strRef1 is the shortcut of str3 for the commonest case, a reference
// to one of the first 64 strings of the table, in one byte: it returns
// the table index, or false (nothing read) for anything else. It is
// small enough to be inlined.
func (r *Reader) strRef1() (int, bool) {
	if off := r.off; off < len(r.data) {
		if b := r.data[off]; b < 0x80 && b&1 == 0 && uint(int(b>>1)-r.strOff) < uint(len(r.strs)) {
			r.off = off + 1
			return int(b>>1) - r.strOff, true
		}
	}
	return 0, false
}

// str3 reads a UTF-8-vr: a reference, or inline bytes that join the
// string table unless empty. It returns the bytes and the table index + 1.
func (r *Reader) str3() ([]byte, int, error) {
	off := r.off
	if off < len(r.data) {
		if b := r.data[off]; b < 0x80 && b&1 == 0 && uint(int(b>>1)-r.strOff) < uint(len(r.strs)) {
			r.off++
			i := int(b>>1) - r.strOff
			if i < r.strBase {
				r.crossRefs = true
			}
			return r.sb(r.strs[i]), i + 1, nil
		}
	}
	u, err := r.u29()
	if err != nil {
		return nil, 0, err
	}
	if u&1 == 0 {
		i := int(u>>1) - r.strOff
		if uint(i) >= uint(r.strN()) {
			if i < 0 {
				r.crossRefs = true // an entry FreshSwitches let go
			}
			return nil, 0, r.fail(AMF3, off, &refError{"string", int(u >> 1), r.strOff + r.strN()})
		}
		if i < r.strBase {
			r.crossRefs = true
		}
		return r.strAt(i), i + 1, nil
	}
	n := int64(u >> 1)
	if n == 0 {
		return nil, 0, nil
	}
	if err := r.checkLen(AMF3, off, n); err != nil {
		return nil, 0, err
	}
	if r.replay > 0 {
		b, err := r.take(AMF3, off, n)
		if err != nil {
			return nil, 0, err
		}
		// Find it in the table to keep the index (strings are unique
		// there only by position, so search by content is not enough:
		// the bytes are what matter to callers).
		return b, 0, nil
	}
	if r.strOff+r.strN() >= r.m.maxRefs {
		return nil, 0, r.fail(AMF3, off, &MaxReferencesError{r.m.maxRefs})
	}
	b, err := r.take(AMF3, off, n)
	if err != nil {
		return nil, 0, err
	}
	if b = r.addStr(off, b); b == nil {
		return nil, 0, r.fail(AMF3, off, errors.New("the string table holds more than 4 GiB of text"))
	}
	return b, r.strN(), nil
}

// ---- tokens ----

func (r *Reader) push(f frame) {
	n := len(r.stack)
	if n < cap(r.stack) {
		r.stack = r.stack[:n+1]
		f.nameBuf, f.pending = r.stack[n].nameBuf[:0], r.stack[n].pending[:0]
		r.stack[n] = f
		return
	}
	r.stack = append(r.stack, f)
}

// enter checks MaxDepth for a complex value whose header is at off.
func (r *Reader) enter(ver Version, off int) error {
	if r.replay == 0 && r.depth >= r.m.maxDepth {
		return r.fail(ver, off, &MaxDepthError{r.m.maxDepth})
	}
	return nil
}

// pushC opens the frame of a complex value, of kind k, and returns it
// for the caller to set the other fields (zero, the buffers kept): no
// frame is copied.
func (r *Reader) pushC(k frameKind) *frame {
	r.opened()
	r.depth++
	n := len(r.stack)
	if n < cap(r.stack) {
		r.stack = r.stack[:n+1]
	} else {
		r.stack = append(r.stack, frame{})
	}
	// Not a whole frame{} literal, which is built on the stack and
	// copied (176 bytes, with write barriers): that was a tenth of the
	// plain writer's time. The fields read before they are written are
	// set; the others (hdr, assocAt, denseEnd, back, group, ptr, the
	// room of nameBuf) are set where the kinds that read them begin, as
	// the frame comments say, and name is read only once a member's
	// name has set it (for the path of an error).
	f := &r.stack[n]
	f.frameHead = frameHead{kind: k, counts: true}
	f.tr = nil
	f.pending = f.pending[:0]
	return f
}

func (r *Reader) pop() {
	f := &r.stack[len(r.stack)-1]
	if f.counts {
		r.depth--
	}
	// The slot is not cleared: push overwrites it, keeping its buffers.
	r.stack = r.stack[:len(r.stack)-1]
}

// done is called after each complete value: it ends the frames that
// hold exactly one value.
func (r *Reader) done() {
	for len(r.stack) > 0 {
		f := &r.stack[len(r.stack)-1]
		switch f.kind {
		case fSwitch:
			r.pop()
		case fReplay:
			r.off = f.back - int(r.base)
			r.replay--
			if f.cross {
				r.uncross()
			}
			r.pop()
		case fWrapper3:
			if f.i == 0 {
				f.i = 1
				return
			}
			return
		default:
			return
		}
	}
}

// ReadToken returns the next token. At the end of the input, between
// top-level values, it returns io.EOF; errors are *SyntaxError values
// carrying the offset and the path, as the value decoder's.
func (r *Reader) ReadToken() (Token, error) {
	t, err := r.NextToken()
	if err != nil {
		return Token{}, err
	}
	return *t, nil
}

// NextToken is ReadToken without the copy: the token it points to is
// the Reader's own, valid until the next call.
func (r *Reader) NextToken() (*Token, error) {
	if r.err != nil || r.src != nil {
		return r.nextSlow()
	}
	if err := r.next(); err != nil {
		return nil, r.failed(err)
	}
	if r.cross > 0 {
		// Indexes in another switch's table: a caller's cache per
		// StrIndex is the current switch's.
		r.t.StrIndex = 0
	}
	return &r.t, nil
}

// nextSlow is NextToken after an error or from a stream.
func (r *Reader) nextSlow() (*Token, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.body > 0 {
		if err := r.discardBody(); err != nil {
			return nil, err
		}
	}
	r.compact()
	if err := r.next(); err != nil {
		return nil, r.failed(err)
	}
	return &r.t, nil
}

// failed records the error a token ended with.
func (r *Reader) failed(err error) error {
	err = r.finish(err)
	r.err = err
	return err
}

// finish turns an internal error into a *SyntaxError with the path of
// the frames.
func (r *Reader) finish(err error) error {
	de, ok := err.(*decErr)
	if !ok {
		return err
	}
	if len(r.claims) > 0 {
		if se := r.brokenClaim(); se != nil {
			return se
		}
	}
	var b []byte
	for i := range r.stack {
		f := &r.stack[i]
		last := i == len(r.stack)-1
		switch f.kind {
		case fObj0, fAssoc3, fDynamic3, fSealed3, fSkipAssoc3, fReAssoc3, fSmall3:
			if last && f.expect || !last {
				if !last || f.expect {
					b = append(b, '/')
					b = append(b, escapePointer(r.text(f.name))...)
				}
			}
		case fWrapper3:
			b = append(b, '/')
			b = append(b, wrapperField(f.tr.t.Class)...)
		case fStrict0, fDense3, fVecObj3, fVecNum3:
			if f.i > 0 {
				b = append(b, '/')
				b = strconv.AppendInt(b, int64(f.i-1), 10)
			}
		case fDict3:
			if f.i > 0 {
				b = append(b, '/')
				b = strconv.AppendInt(b, int64((f.i-1)/2), 10)
			}
		}
		if len(b) > MaxPath {
			b = append(b[:textcut.At(string(b), MaxPath)], cutMark...)
			break
		}
	}
	return &SyntaxError{Version: de.ver, Offset: de.offset + r.base, Path: string(b), Err: de.err}
}

func (r *Reader) next() error {
	if len(r.stack) == 0 {
		if r.off >= len(r.data) && !r.fill(1) {
			if r.err != nil {
				return r.err
			}
			if r.owed {
				return r.fail(r.ver, len(r.data), io.ErrUnexpectedEOF)
			}
			return io.EOF
		}
		r.owed = false
		return r.value(r.ver)
	}
	f := &r.stack[len(r.stack)-1]
	switch f.kind {
	case fObj0:
		if f.expect {
			return r.value0()
		}
		keyOff := r.off
		var n int
		if keyOff+2 <= len(r.data) {
			n = int(binary.BigEndian.Uint16(r.data[keyOff:]))
			r.off = keyOff + 2
		} else {
			var err error
			if n, err = r.u16(AMF0); err != nil {
				return err
			}
		}
		k, err := r.take(AMF0, keyOff, int64(n))
		if err != nil {
			return err
		}
		if r.off < len(r.data) || r.fill(1) {
			if r.data[r.off] == m0ObjectEnd {
				if n != 0 {
					return r.fail(AMF0, keyOff, fmt.Errorf("object-end marker after the non-empty key %s", quoteShort(r.text(k), 30)))
				}
				r.off++
				return r.end(AMF0, keyOff)
			}
		}
		if f.elems >= r.m.maxElements {
			return r.fail(AMF0, keyOff, &MaxElementsError{Limit: r.m.maxElements, Count: int64(f.elems) + 1})
		}
		f.elems++
		r.setName(f, k)
		f.expect = true
		r.tok(KindName, AMF0, keyOff).Bytes = k
		return nil
	case fStrict0, fDense3, fVecObj3:
		if f.i < f.n {
			f.i++
			if f.kind == fStrict0 {
				return r.value0()
			}
			return r.item3(f)
		}
		if f.kind == fDense3 && f.ahead {
			// Now the associative part, read ahead before.
			f.denseEnd = r.off + int(r.base)
			r.off = f.assocAt - int(r.base)
			r.replay++
			f.kind = fReAssoc3
			return r.next()
		}
		return r.end(AMF3, r.off)
	case fVecNum3:
		if f.i >= f.n {
			return r.end(AMF3, r.off)
		}
		f.i++
		at := r.off
		switch f.vt {
		case m3VectorInt, m3VectorUint:
			u, err := r.u32(AMF3)
			if err != nil {
				return err
			}
			t := r.tok(KindInt, AMF3, at)
			t.Int = int64(int32(u))
			if f.vt == m3VectorUint {
				t.Int = int64(u)
			}
			return nil
		default:
			x, err := r.f64(AMF3)
			if err != nil {
				return err
			}
			r.tok(KindDouble, AMF3, at).Float = x
			return nil
		}
	case fDict3:
		if f.i >= 2*f.n {
			return r.end(AMF3, r.off)
		}
		f.i++
		return r.value(AMF3)
	case fAssoc3, fDynamic3, fReAssoc3, fSkipAssoc3:
		if f.expect {
			return r.item3(f)
		}
		keyOff := r.off
		var k []byte
		var si int
		if i, ok := r.strRef1(); ok {
			k, si = r.sb(r.strs[i]), i+1
			if i < r.strBase {
				r.crossRefs = true
			}
		} else {
			var err error
			if k, si, err = r.str3(); err != nil {
				return err
			}
		}
		if len(k) == 0 {
			switch f.kind {
			case fAssoc3:
				if err := r.checkCount(AMF3, f.hdr, int64(f.n), 1); err != nil {
					return err
				}
				f.kind = fDense3
				return r.next()
			case fReAssoc3:
				r.replay--
				r.off = f.denseEnd - int(r.base)
			case fSkipAssoc3:
				r.t = Token{Kind: KindEnd}
				return nil // internal: seen by skipAssoc only
			}
			return r.end(AMF3, keyOff)
		}
		if f.kind != fReAssoc3 {
			if f.elems >= r.m.maxElements {
				return r.fail(AMF3, keyOff, &MaxElementsError{Limit: r.m.maxElements, Count: int64(f.elems) + 1})
			}
			f.elems++
		}
		r.setName(f, k)
		f.expect = true
		t := r.tok(KindName, AMF3, keyOff)
		t.Bytes, t.StrIndex = k, si
		return nil
	case fSealed3:
		if f.expect {
			return r.item3(f)
		}
		if f.i < len(f.tr.t.Sealed) {
			name := f.tr.t.Sealed[f.i]
			si := f.tr.sealedIdx[f.i]
			f.i++
			f.elems++
			nb := unsafe.Slice(unsafe.StringData(name), len(name))
			f.name = nb
			f.expect = true
			t := r.tok(KindName, AMF3, r.off)
			t.Bytes, t.StrIndex = nb, si
			return nil
		}
		if f.tr.t.Dynamic {
			f.kind = fDynamic3
			return r.next()
		}
		return r.end(AMF3, r.off)
	case fWrapper3:
		if f.i == 0 {
			return r.value(AMF3)
		}
		return r.end(AMF3, r.off)
	case fSmall3:
		if f.expect {
			return r.value3()
		}
		return r.smallNext(f)
	case fSwitch, fReplay:
		return r.value(f.vtVersion())
	}
	return errors.New("amf: internal error: bad reader state")
}

func (f *frame) vtVersion() Version { return Version(f.vt) }

// item3 reads an AMF3 value inside f, the innermost frame, which holds
// many values (so the value ends nothing but itself). The commonest
// scalars, a small integer and a string reference in one or two bytes,
// a null or a boolean, are read here in a few instructions; anything
// else is left to value3.
func (r *Reader) item3(f *frame) error {
	off := r.off
	if off+2 >= len(r.data) {
		return r.value3()
	}
	m, b := r.data[off], r.data[off+1]
	switch m {
	case m3Integer:
		if b < 0x80 {
			r.off = off + 2
			r.tok(KindInt, AMF3, off).Int = int64(b)
			f.expect = false
			return nil
		}
	case m3String:
		i, n := int(b), 2
		if b >= 0x80 {
			if c := r.data[off+2]; c < 0x80 {
				i, n = int(b&0x7F)<<7|int(c), 3
			} else {
				break
			}
		}
		if j := i>>1 - r.strOff; i&1 == 0 && uint(j) < uint(len(r.strs)) {
			r.off = off + n
			if j < r.strBase {
				r.crossRefs = true
			}
			t := r.tok(KindString, AMF3, off)
			t.Bytes, t.StrIndex = r.sb(r.strs[j]), j+1
			f.expect = false
			return nil
		}
	case m3Null:
		r.off = off + 1
		r.tok(KindNull, AMF3, off)
		f.expect = false
		return nil
	case m3False, m3True:
		r.off = off + 1
		r.tok(KindBool, AMF3, off).Bool = m == m3True
		r.dirty = true
		f.expect = false
		return nil
	}
	return r.value3()
}

// tok starts the token at r.t: it clears the fields of the previous one
// (pointers only when set, which spares write barriers) and sets the
// common ones. off is an offset in r.data.
//
// It is small enough to be inlined.
func (r *Reader) tok(k Kind, v Version, off int) *Token {
	t := &r.t
	if r.dirty {
		t.Assoc, t.Fixed, t.Streamed, t.Vector, t.TZ, t.Count, t.Len = false, false, false, 0, 0, 0, 0
		t.Bool, t.Traits, t.TraitsIndex = false, nil, 0
		r.dirty = false
	}
	t.Kind, t.Version, t.Offset, t.Index = k, v, int64(off)+r.base, -1
	t.Int, t.Float, t.StrIndex = 0, 0, 0
	t.Bytes = nil
	return t
}

// setName sets the current member name of f, for error paths: the bytes
// themselves when they stay put (a Reader over []byte), else a copy.
func (r *Reader) setName(f *frame, k []byte) {
	if r.src == nil {
		f.name = k
		return
	}
	f.nameBuf = append(f.nameBuf[:0], k...)
	f.name = f.nameBuf
}

// end pops the innermost frame and returns its end token.
func (r *Reader) end(ver Version, at int) error {
	r.pop()
	r.done()
	r.tok(KindEnd, ver, at)
	return nil
}

// scalar finishes a scalar token.
func (r *Reader) scalar() error {
	if n := len(r.stack) - 1; n >= 0 {
		f := &r.stack[n]
		f.expect = false
		if f.kind >= fWrapper3 {
			r.done()
		}
	}
	return nil
}

// opened marks the parent's value as begun (its name is no longer
// expected) before a complex value's frame is pushed.
func (r *Reader) opened() {
	if n := len(r.stack); n > 0 {
		r.stack[n-1].expect = false
	}
}

func (r *Reader) value(ver Version) error {
	if ver == AMF0 {
		return r.value0()
	}
	return r.value3()
}

func (r *Reader) value0() error {
	start := r.off
	if start >= len(r.data) && !r.fill(1) {
		return r.eofErr(AMF0)
	}
	m := r.data[start]
	r.off++
	t := r.tok(KindInvalid, AMF0, start)
	switch m {
	case m0Number:
		x, err := r.f64(AMF0)
		if err != nil {
			return err
		}
		t.Kind, t.Float = KindDouble, x
		return r.scalar()
	case m0Boolean:
		b, err := r.u8(AMF0)
		if err != nil {
			return err
		}
		t.Kind, t.Bool = KindBool, b != 0
		r.dirty = true
		return r.scalar()
	case m0String, m0LongString:
		var n int64
		if m == m0String {
			k, err := r.u16(AMF0)
			if err != nil {
				return err
			}
			n = int64(k)
		} else {
			k, err := r.u32(AMF0)
			if err != nil {
				return err
			}
			n = int64(k)
		}
		t.Kind = KindString
		return r.bytesToken(t, AMF0, start+1, n, m == m0LongString)
	case m0Null:
		t.Kind = KindNull
		return r.scalar()
	case m0Undefined:
		t.Kind = KindUndefined
		return r.scalar()
	case m0Unsupported:
		t.Kind = KindUnsupported
		return r.scalar()
	case m0Reference:
		i, err := r.u16(AMF0)
		if err != nil {
			return err
		}
		if i >= len(r.refs0) {
			return r.fail(AMF0, start+1, &refError{"object", i, len(r.refs0)})
		}
		t.Kind, t.Index = KindRef, i
		return r.scalar()
	case m0Object, m0TypedObject, m0ECMAArray:
		if err := r.enter(AMF0, r.off); err != nil {
			return err
		}
		t.Kind = KindObject
		if m == m0TypedObject {
			lenOff := r.off
			n, err := r.u16(AMF0)
			if err != nil {
				return err
			}
			c, err := r.take(AMF0, lenOff, int64(n))
			if err != nil {
				return err
			}
			t.Bytes = c
		} else if m == m0ECMAArray {
			c, err := r.u32(AMF0)
			if err != nil {
				return err
			}
			t.Kind, t.Count = KindECMAArray, int64(c)
			r.dirty = true
		}
		i, err := r.register(AMF0, &r.refs0, start)
		if err != nil {
			return err
		}
		t.Index = i
		r.pushC(fObj0)
		return nil
	case m0StrictArray:
		if err := r.enter(AMF0, r.off); err != nil {
			return err
		}
		off := r.off
		n, err := r.u32(AMF0)
		if err != nil {
			return err
		}
		if err := r.checkCount(AMF0, off, int64(n), 1); err != nil {
			return err
		}
		i, err := r.register(AMF0, &r.refs0, start)
		if err != nil {
			return err
		}
		t.Kind, t.Count, t.Index = KindArray, int64(n), i
		r.dirty = true
		r.pushC(fStrict0).n = int(n)
		return nil
	case m0Date:
		if !r.fill(10) {
			return r.eofErr(AMF0)
		}
		ms, _ := r.f64(AMF0)
		tz, _ := r.u16(AMF0)
		t.Kind, t.Float, t.TZ = KindDate, ms, int16(tz)
		r.dirty = true
		if r.m.profile.registersDates() || r.dateRefs {
			i, err := r.register(AMF0, &r.refs0, start)
			if err != nil {
				return err
			}
			t.Index = i
		}
		return r.scalar()
	case m0XMLDocument:
		n, err := r.u32(AMF0)
		if err != nil {
			return err
		}
		t.Kind = KindXMLDocument
		return r.bytesToken(t, AMF0, start+1, int64(n), true)
	case m0AVMPlus:
		if err := r.enter(AMF0, r.off); err != nil {
			return err
		}
		t.Kind = KindSwitch
		r.pushC(fSwitch).vt = byte(AMF3)
		if r.FreshSwitches && r.replay > 0 && r.cross > 0 {
			// A switch read again inside a cross replay (an AMF0
			// value): its own tables, whole.
			return r.loadSwitch(start)
		}
		if r.FreshSwitches && r.replay == 0 {
			// Let go of the earlier switches' strings and traits (no
			// AMF3 frame is open: a switch is read inside AMF0). A
			// reference to one of them is then an error, which notes
			// crossRefs.
			r.strOff += r.strN()
			r.traitOff += r.traitN()
			// Where it began, for Replay (crossReplay).
			if r.SwitchReplay {
				r.addMark(uint32(int(r.base)+start), uint32(r.strOff), uint32(r.traitOff))
			}
			clear(r.strs)
			clear(r.traits)
			r.strs, r.traits, r.big, r.tbig, r.tcache = r.strs[:0], r.traits[:0], strBig{}, strBig{}, nil
			if !r.SwitchReplay {
				r.strArena = nil // no entry refers to it now
			}
		} else if r.watchCross {
			r.strBase, r.traitBase = r.strN(), r.traitN()
		}
		return nil
	case m0MovieClip:
		return r.fail(AMF0, start, fmt.Errorf("%w 0x04 (movieclip is reserved)", ErrBadMarker))
	case m0RecordSet:
		return r.fail(AMF0, start, fmt.Errorf("%w 0x0e (recordset is reserved)", ErrBadMarker))
	case m0ObjectEnd:
		return r.fail(AMF0, start, fmt.Errorf("%w 0x09 (object-end outside an object)", ErrBadMarker))
	}
	return r.fail(AMF0, start, fmt.Errorf("%w 0x%02x", ErrBadMarker, m))
}

// bytesToken reads the n bytes of a string, XML text or ByteArray whose
// length was read at lenOff, and finishes t. Where allowed, a large value
// from a stream is left for Body.
func (r *Reader) bytesToken(t *Token, ver Version, lenOff int, n int64, streamable bool) error {
	if err := r.checkLen(ver, lenOff, n); err != nil {
		return err
	}
	over := r.StreamOver
	if over <= 0 {
		over = maxHeld
	}
	if streamable && r.src != nil && n > over {
		if err := r.registerBytes(t); err != nil {
			return err
		}
		t.Streamed, t.Len = true, n
		r.dirty = true
		r.body = n
		r.bodyRead = false
		r.bodyVer = ver
		return r.scalar()
	}
	b, err := r.take(ver, lenOff, n)
	if err != nil {
		return err
	}
	t.Bytes = b
	if err := r.registerBytes(t); err != nil {
		return err
	}
	return r.scalar()
}

// registerBytes registers the AMF0 XML document (as the profile says) or
// AMF3 value of t, whose bytes were just read.
func (r *Reader) registerBytes(t *Token) error {
	at := int(t.Offset - r.base)
	var err error
	switch {
	case t.Version == AMF0 && t.Kind == KindXMLDocument && r.m.profile.registersXML():
		t.Index, err = r.register(AMF0, &r.refs0, at)
	case t.Version == AMF3:
		t.Index, err = r.registerObj(at)
	}
	return err
}

// Body returns the bytes of the streamed ByteArray or string just
// returned (Token.Streamed), to be read before the next token; what is
// not read is skipped. For a token that is not streamed it returns the
// bytes it holds.
func (r *Reader) Body() io.Reader { return bodyReader{r} }

type bodyReader struct{ r *Reader }

func (b bodyReader) Read(p []byte) (int, error) {
	r := b.r
	if r.body <= 0 {
		return 0, io.EOF
	}
	r.compact()
	if r.off >= len(r.data) && !r.fill(1) {
		err := r.fail(r.bodyVer, len(r.data), io.ErrUnexpectedEOF)
		r.err = r.finish(err)
		return 0, r.err
	}
	n := copy(p[:min(int64(len(p)), r.body)], r.data[r.off:])
	r.off += n
	r.body -= int64(n)
	return n, nil
}

func (r *Reader) discardBody() error {
	_, err := io.Copy(io.Discard, bodyReader{r})
	return err
}

func (r *Reader) value3() error {
	start := r.off
	if start >= len(r.data) && !r.fill(1) {
		return r.eofErr(AMF3)
	}
	m := r.data[start]
	r.off++
	t := r.tok(KindInvalid, AMF3, start)
	switch m {
	case m3Undefined:
		t.Kind = KindUndefined
		return r.scalar()
	case m3Null:
		t.Kind = KindNull
		return r.scalar()
	case m3False, m3True:
		t.Kind, t.Bool = KindBool, m == m3True
		r.dirty = true
		return r.scalar()
	case m3Integer:
		if off := r.off; off < len(r.data) && r.data[off] < 0x80 {
			// One byte: 0 to 127.
			r.off = off + 1
			t.Kind, t.Int = KindInt, int64(r.data[off])
			return r.scalar()
		}
		u, err := r.u29()
		if err != nil {
			return err
		}
		t.Kind, t.Int = KindInt, int64(int32(u<<3)>>3)
		return r.scalar()
	case m3Double:
		x, err := r.f64(AMF3)
		if err != nil {
			return err
		}
		t.Kind, t.Float = KindDouble, x
		return r.scalar()
	case m3String:
		if i, ok := r.strRef1(); ok {
			t.Kind, t.Bytes, t.StrIndex = KindString, r.sb(r.strs[i]), i+1
			if i < r.strBase {
				r.crossRefs = true
			}
			return r.scalar()
		}
		b, si, err := r.str3()
		if err != nil {
			return err
		}
		t.Kind, t.Bytes, t.StrIndex = KindString, b, si
		return r.scalar()
	}
	if m > m3Dictionary {
		return r.fail(AMF3, start, fmt.Errorf("%w 0x%02x", ErrBadMarker, m))
	}
	// Everything else may be a reference.
	off := r.off
	u, err := r.u29()
	if err != nil {
		return err
	}
	if u&1 == 0 {
		i := int(u >> 1)
		if i >= r.objCount() {
			return r.fail(AMF3, off, &refError{"object", i, r.objCount()})
		}
		t.Kind, t.Index = KindRef, i
		return r.scalar()
	}
	switch m {
	case m3XMLDocument, m3XML:
		t.Kind = KindXML
		if m == m3XMLDocument {
			t.Kind = KindXMLDocument
		}
		return r.bytesToken(t, AMF3, off, int64(u>>1), true)
	case m3ByteArray:
		t.Kind = KindByteArray
		return r.bytesToken(t, AMF3, off, int64(u>>1), true)
	case m3Date:
		ms, err := r.f64(AMF3)
		if err != nil {
			return err
		}
		t.Kind, t.Float = KindDate, ms
		if t.Index, err = r.registerObj(start); err != nil {
			return err
		}
		return r.scalar()
	case m3Array:
		return r.array3(t, off, u)
	case m3Object:
		return r.object3(t, off, u)
	case m3VectorInt, m3VectorUint, m3VectorDouble, m3VectorObject:
		if err := r.enter(AMF3, off); err != nil {
			return err
		}
		n := int64(u >> 1)
		fixed, err := r.u8(AMF3)
		if err != nil {
			return err
		}
		t.Kind, t.Vector, t.Fixed, t.Count = KindVector, VectorType(m), fixed != 0, n
		r.dirty = true
		if t.Index, err = r.registerObj(start); err != nil {
			return err
		}
		if m == m3VectorObject {
			c, _, err := r.str3()
			if err != nil {
				return err
			}
			t.Bytes = c
			if err := r.checkCount(AMF3, off, n, 1); err != nil {
				return err
			}
			r.pushC(fVecObj3).n = int(n)
			return nil
		}
		size := 4
		if m == m3VectorDouble {
			size = 8
		}
		if err := r.checkCount(AMF3, off, n, size); err != nil {
			return err
		}
		f := r.pushC(fVecNum3)
		f.n, f.vt = int(n), m
		return nil
	case m3Dictionary:
		if err := r.enter(AMF3, off); err != nil {
			return err
		}
		n := int64(u >> 1)
		weak, err := r.u8(AMF3)
		if err != nil {
			return err
		}
		if err := r.checkCount(AMF3, off, n, 2); err != nil {
			return err
		}
		t.Kind, t.Fixed, t.Count = KindDictionary, weak != 0, n
		r.dirty = true
		if t.Index, err = r.registerObj(start); err != nil {
			return err
		}
		r.pushC(fDict3).n = int(n)
		return nil
	}
	return r.fail(AMF3, start, fmt.Errorf("%w 0x%02x", ErrBadMarker, m))
}

func (r *Reader) array3(t *Token, off int, u uint32) error {
	if err := r.enter(AMF3, off); err != nil {
		return err
	}
	n := int64(u >> 1)
	var err error
	if t.Index, err = r.registerObj(int(t.Offset - r.base)); err != nil {
		return err
	}
	t.Kind, t.Count = KindArray, n
	r.dirty = true
	at := r.off
	if u, err := r.u29(); err != nil || u != 0x01 {
		r.off = at // a name, read again below (or an error, said there)
	} else {
		// No associative part: the empty name (0x01, or the same U29
		// written in more bytes) comes first.
		if err := r.checkCount(AMF3, off, n, 1); err != nil {
			return err
		}
		r.pushC(fDense3).n = int(n)
		return nil
	}
	t.Assoc = true
	if !r.DenseFirst || r.src != nil {
		f := r.pushC(fAssoc3)
		f.n, f.hdr = int(n), off
		return nil
	}
	// Read the associative part ahead, registering its strings and
	// values, then the dense part; the associative part is read again
	// afterwards.
	assocAt := r.off + int(r.base)
	saved := *t // the skip below reads tokens into r.t
	f := r.pushC(fSkipAssoc3)
	f.n, f.hdr = int(n), off
	for {
		if err := r.next(); err != nil {
			return err
		}
		if r.t.Kind == KindEnd {
			break
		}
		if err := r.skipValue(); err != nil {
			return err
		}
	}
	if err := r.checkCount(AMF3, off, n, 1); err != nil {
		return err
	}
	f = &r.stack[len(r.stack)-1] // the stack may have grown
	f.kind, f.expect, f.assocAt, f.ahead = fDense3, false, assocAt, true
	r.t = saved
	r.dirty = true // the next token clears what saved holds
	return nil
}

func (r *Reader) object3(t *Token, off int, u uint32) error {
	if err := r.enter(AMF3, off); err != nil {
		return err
	}
	var tr *traits3
	switch {
	case u&2 == 0:
		i := int(u>>2) - r.traitOff
		if uint(i) >= uint(r.traitN()) {
			if i < 0 {
				r.crossRefs = true // traits FreshSwitches let go
			}
			return r.fail(AMF3, off, &refError{"traits", int(u >> 2), r.traitOff + r.traitN()})
		}
		if i < r.traitBase {
			r.crossRefs = true // traits of an earlier switch
		}
		if i < len(r.traits) {
			tr = &r.traits[i]
		} else if tr = r.bigTraits(i - len(r.traits)); tr == nil {
			return r.fail(AMF3, off, errors.New("the traits cannot be read again"))
		} else {
			t.TraitsIndex = r.traitOff + i + 1
		}
	case r.replay > 0 && r.traitsAt(off) != nil:
		var big int
		tr, big = r.traitsAtIndex(off)
		if big > 0 {
			t.TraitsIndex = r.traitOff + len(r.traits) + big
		}
		r.off = tr.end - int(r.base)
	default:
		nt := traits3{start: off + int(r.base)}
		if u&4 != 0 {
			c, ci, err := r.str3()
			if err != nil {
				return err
			}
			nt.t = &Traits{Class: r.name(c, ci), Externalizable: true}
		} else {
			n := int64(u >> 4)
			c, ci, err := r.str3()
			if err != nil {
				return err
			}
			if err := r.checkCount(AMF3, off, n, 1); err != nil {
				return err
			}
			nt.t = &Traits{Class: r.name(c, ci), Dynamic: u&8 != 0}
			if n > 0 {
				nt.t.Sealed = make([]string, 0, min(n, 64))
				nt.sealedIdx = make([]int, 0, min(n, 64))
			}
			for i := 0; i < int(n); i++ {
				s, si, err := r.str3()
				if err != nil {
					return err
				}
				nt.t.Sealed = append(nt.t.Sealed, r.name(s, si))
				nt.sealedIdx = append(nt.sealedIdx, si)
			}
		}
		nt.end = r.off + int(r.base)
		switch {
		case r.replay != 0:
			tr = new(traits3)
			*tr = nt
		case r.traitOff+r.traitN() >= r.m.maxRefs:
			return r.fail(AMF3, off, &MaxReferencesError{r.m.maxRefs})
		case r.keepsTraits():
			// (The value decoder, r.b, keeps every traits: its values
			// share them, and the encoder writes a traits reference
			// for the same *Traits.)
			r.traits = append(r.traits, nt)
			tr = &r.traits[len(r.traits)-1]
		default:
			// Past traitFast entries, only where the traits are (see
			// bigTraits); these are the object's alone.
			r.tbig.add(uint32(nt.start))
			tr = new(traits3)
			*tr = nt
			t.TraitsIndex = r.traitOff + r.traitN()
		}
	}
	var err error
	if t.Index, err = r.registerObj(int(t.Offset - r.base)); err != nil {
		return err
	}
	t.Kind, t.Traits = KindObject, tr.t
	r.dirty = true
	if tr.t.Externalizable {
		if wrapperField(tr.t.Class) != "" {
			r.pushC(fWrapper3).tr = tr
			return nil
		}
		groups := smallGroups(tr.t.Class)
		if groups == nil {
			return r.fail(AMF3, off, fmt.Errorf("%w %s", ErrUnknownExternalizable, quoteShort(r.text([]byte(tr.t.Class)), 60)))
		}
		tr.small = groups
		f := r.pushC(fSmall3)
		f.tr, f.group = tr, -1
		return nil
	}
	r.pushC(fSealed3).tr = tr
	return nil
}

// longName is the length past which a traits name given again by
// reference is the string made the first time (Reader.name).
const longName = 32

// nameEntry is a long traits name made once (Reader.names): its bytes
// where they were (p) and the string.
type nameEntry struct {
	p *byte
	s string
}

// name returns the traits name b (a class or sealed member name), the
// string table entry si (index + 1; 0 for none) as a string. A long
// name is made once for its entry, whatever number of references give
// it again: a traits of 20,000 sealed names, each a 1-byte reference to
// a 64 KB string, made 1.3 GB of strings from 105 KB of input.
func (r *Reader) name(b []byte, si int) string {
	if len(b) <= longName || si <= 0 {
		return string(b)
	}
	k := r.strOff + si - 1
	if e, ok := r.names[k]; ok && (e.p == unsafe.SliceData(b) && r.src == nil || e.s == string(b)) {
		return e.s
	}
	s := string(b)
	if r.names == nil {
		r.names = make(map[int]nameEntry)
	}
	r.names[k] = nameEntry{unsafe.SliceData(b), s}
	return s
}

// keepsTraits reports whether r keeps the next traits it reads in
// r.traits, else only where they began (r.tbig).
func (r *Reader) keepsTraits() bool {
	return r.tbig.n == 0 && (len(r.traits) < traitFast || r.src != nil || len(r.data) > math.MaxUint32 || r.b != nil || r.KeepTraits)
}

// traitsAgain reports whether an AMF3 object of U29 header u (an object,
// not a reference) gets traits r reads again from the input
// (Token.TraitsIndex), which ReadBatch leaves to NextToken: a reference
// past r.traits (or past the table, for NextToken to report), or inline
// traits that r does not keep.
func (r *Reader) traitsAgain(u uint32) bool {
	if u&2 == 0 {
		return int(u>>2)-r.traitOff >= len(r.traits)
	}
	return !r.keepsTraits()
}

// traitsAt finds inline traits read at off (while reading again).
func (r *Reader) traitsAt(off int) *traits3 {
	tr, _ := r.traitsAtIndex(off)
	return tr
}

// traitsAtIndex is traitsAt, which also gives the index in r.tbig plus
// one of traits read again from there (0 for traits of r.traits).
func (r *Reader) traitsAtIndex(off int) (*traits3, int) {
	abs := off + int(r.base)
	i := sort.Search(len(r.traits), func(i int) bool { return r.traits[i].start >= abs })
	if i < len(r.traits) && r.traits[i].start == abs {
		return &r.traits[i], 0
	}
	if i = sort.Search(r.tbig.n, func(i int) bool { return int(r.tbig.at(i)) >= abs }); i < r.tbig.n && int(r.tbig.at(i)) == abs {
		if tr := r.bigTraits(i); tr != nil {
			return tr, i + 1
		}
	}
	return nil, 0
}

// smallNext returns the next member name of a Flex small message, reading
// flag bytes as groups begin.
func (r *Reader) smallNext(f *frame) error {
	for f.ptr >= len(f.pending) {
		f.group++
		if f.group >= len(f.tr.small) {
			return r.end(AMF3, r.off)
		}
		names := f.tr.small[f.group]
		var flagBuf [maxFlagBytes]byte
		flags := flagBuf[:0]
		for {
			b, err := r.u8(AMF3)
			if err != nil {
				return err
			}
			if len(flags) == maxFlagBytes {
				return r.fail(AMF3, r.off-1, fmt.Errorf("%s: more than %d flag bytes", f.tr.t.Class, maxFlagBytes))
			}
			flags = append(flags, b)
			if b&0x80 == 0 {
				break
			}
		}
		f.pending, f.ptr = f.pending[:0], 0
		for i, fb := range flags {
			for bit := 0; bit < 7; bit++ {
				if fb&(1<<bit) == 0 {
					continue
				}
				name := unknownField(f.group, i, bit)
				if i < len(names) && bit < len(names[i]) {
					name = names[i][bit]
				}
				f.pending = append(f.pending, name)
			}
		}
	}
	name := f.pending[f.ptr]
	f.ptr++
	f.nameBuf = append(f.nameBuf[:0], name...)
	f.name = f.nameBuf
	f.expect = true
	r.tok(KindName, AMF3, r.off).Bytes = f.nameBuf
	return nil
}

// Replay makes the value that the [KindRef] token just returned refers
// to the next value read, from where it stood in the input, without
// changing the reference tables; the Reader then goes on after the
// reference. It needs the whole input (a Reader from NewReader).
func (r *Reader) Replay(t Token) error {
	if t.Kind != KindRef {
		return errors.New("amf: Replay of a token that is not a reference")
	}
	if r.src != nil {
		return errors.New("amf: a stream Reader cannot read a reference again")
	}
	if r.NoReplay {
		return errors.New("amf: Replay of a Reader with NoReplay")
	}
	var at int
	if t.Version == AMF0 {
		if t.Index < 0 || t.Index >= len(r.refs0) {
			return errors.New("amf: Replay of an unknown reference")
		}
		at = r.refs0[t.Index]
	} else {
		if t.Index < 0 || t.Index >= r.objCount() {
			return errors.New("amf: Replay of an unknown reference")
		}
		if len(r.data) > math.MaxUint32 {
			return errors.New("amf: an AMF3 reference cannot be read again in an input over 4 GiB")
		}
		at = int(r.objAt(t.Index))
	}
	cross := false
	if r.FreshSwitches && r.nMarks > 0 {
		var err error
		if cross, err = r.crossReplay(t.Version, at); err != nil {
			if be, ok := err.(*SwitchReplayError); ok {
				// Where the reference was read, with its path.
				be.At = t.Offset
				return r.failed(r.fail(t.Version, int(t.Offset-r.base), be))
			}
			return err
		}
	}
	r.push(frame{frameHead: frameHead{kind: fReplay, vt: byte(t.Version)}, back: r.off + int(r.base), cross: cross})
	r.off = at - int(r.base)
	r.replay++
	return nil
}

// crossReplay readies, with FreshSwitches, the tables of a value read
// again from at: an AMF3 value of an earlier switch than the one whose
// tables r holds needs that switch's strings and traits, which r let go;
// an AMF0 value may hold switches, each needing its own (loadSwitch, as
// each is read). It sets the current tables aside (uncross puts them
// back, as the value ends) and reports whether it did. A switch's
// tables are rebuilt by reading it again (switchTables) and kept, up to
// keptTabs switches' (one is let go for the next). Memory then stays
// bounded when references reach back to few switches at a time (a batch
// whose items refer to earlier items). A value that makes the Reader
// read again more than its input's length (references that go round
// more than keptTabs switches) keeps from then on every switch's tables
// it rebuilds, as a Reader without FreshSwitches would, as long as they
// fit in maxKeptTables bytes; past that it lets one go for the next
// again. Both ways are bounded: the tables kept by maxKeptTables, and
// the bytes read again by replayBudget (a *SwitchReplayError past it),
// so that memory stays bounded and time linear whatever the input.
func (r *Reader) crossReplay(ver Version, at int) (bool, error) {
	k := r.cur
	if ver == AMF3 {
		k = sort.Search(r.nMarks, func(i int) bool { return int(r.markAt(i)) > at }) - 1
		if k == r.cur || k < 0 {
			return false, nil // the current switch's (or none's)
		}
	}
	r.saved = append(r.saved, switchTabs{strs: r.strs, big: r.big, traits: r.traits, tbig: r.tbig, strOff: r.strOff, traitOff: r.traitOff, cur: r.cur})
	r.cross++
	if ver == AMF3 {
		return true, r.useSwitch(k)
	}
	return true, nil
}

// keptTabs is how many switches' rebuilt tables a Reader keeps (see
// crossReplay) while it has read again no more than its input's length.
const keptTabs = 16

// maxKeptTables bounds the memory of the rebuilt tables a Reader keeps
// (tablesSize), whatever their number: a variable for its tests.
var maxKeptTables = 8 << 20

// replayBudget is how many bytes a Reader of n bytes of input may read
// again to rebuild the tables of earlier switches (switchTables): four
// times its input, and a MiB. Every value that refers back to few
// switches at a time, or to each switch's tables once, stays far below
// it; past it the Reader fails (SwitchReplayError) rather than read the
// input again without end.
func replayBudget(n int) int { return 4*n + 1<<20 }

// SwitchReplayError reports that reading again values of earlier 0x11
// switches (Reader.SwitchReplay: plain JSON writes a shared value at
// each use) would read the input again more than replayBudget allows,
// as references that go round many switches with large string and
// traits tables make it: the tables of those switches are more than
// the Reader keeps. A writer that refers to shared values instead of
// writing them again (typed JSON) does not need them.
type SwitchReplayError struct {
	At     int64 // the offset of the reference
	Reread int   // the bytes read again so far
	Kept   int   // the bound on the bytes of rebuilt tables kept (maxKeptTables)
}

func (e *SwitchReplayError) Error() string {
	kept := fmt.Sprintf("%d MiB", e.Kept>>20)
	if e.Kept%(1<<20) != 0 {
		kept = fmt.Sprintf("%d bytes", e.Kept)
	}
	return fmt.Sprintf("a value shared across 0x11 switches needs the string and traits tables of more switches than fit in %s, and %d bytes of the input were read again to rebuild them (the limit)", kept, e.Reread)
}

// tablesSize is about the memory that t holds: its entries, and the
// traits' member names.
func tablesSize(t *switchTabs) int {
	n := cap(t.strs)*int(unsafe.Sizeof(strEntry{})) + t.big.size() + t.tbig.size() + cap(t.traits)*int(unsafe.Sizeof(traits3{}))
	for i := range t.traits {
		tr := &t.traits[i]
		n += 8 * cap(tr.sealedIdx)
		if tr.t != nil {
			n += int(unsafe.Sizeof(Traits{})) + 16*cap(tr.t.Sealed)
		}
	}
	return n
}

// markChunk is the size of a full chunk of Reader.marks (64 KiB): a
// batch of a million switches grows its marks without copying them (a
// slice grown by append held the old array and the new at once).
const markChunk = 1 << 12

// addMark records where a switch began (at) with the string and traits
// entries before it; the first chunk grows from small (a packet of two
// switches), each later one is made full size.
func (r *Reader) addMark(at, strOff, traitOff uint32) {
	n := len(r.marks)
	if n == 0 || len(r.marks[n-1]) == markChunk {
		c := markChunk
		if n == 0 {
			c = 16
		}
		r.marks = append(r.marks, make([]markEntry, 0, c))
		n++
	}
	e := markEntry{at: at}
	if i := r.nMarks; i%ckEvery == 0 {
		r.markCk = append(r.markCk, [2]uint32{strOff, traitOff})
	} else if ds, dt := strOff-r.lastCk[0], traitOff-r.lastCk[1]; ds < 0xFFFF && dt < 0xFFFF {
		e.dStr, e.dTrait = uint16(ds), uint16(dt)
	} else {
		// A switch of 65,535 strings or more before it (128 KiB of
		// input at least): rare enough for a map.
		e.dStr = 0xFFFF
		if r.bigD == nil {
			r.bigD = map[int][2]uint32{}
		}
		r.bigD[i] = [2]uint32{ds, dt}
	}
	r.lastCk = [2]uint32{strOff, traitOff}
	r.marks[n-1] = append(r.marks[n-1], e)
	r.cur = r.nMarks
	r.nMarks++
}

// markAt is where switch i began (i < nMarks).
func (r *Reader) markAt(i int) uint32 { return r.marks[i/markChunk][i%markChunk].at }

// mark is where switch i began, with the tables' counts then (i <
// nMarks).
func (r *Reader) mark(i int) switchMark {
	m := r.markCounts(i)
	m.objs = uint32(r.objsBefore(m.at))
	return m
}

// markCounts is mark without the objects' count.
func (r *Reader) markCounts(i int) switchMark {
	ck := r.markCk[i/ckEvery]
	m := switchMark{at: r.markAt(i), strOff: ck[0], traitOff: ck[1]}
	for j := i - i%ckEvery + 1; j <= i; j++ {
		e := &r.marks[j/markChunk][j%markChunk]
		if e.dStr == 0xFFFF {
			d := r.bigD[j]
			m.strOff += d[0]
			m.traitOff += d[1]
		} else {
			m.strOff += uint32(e.dStr)
			m.traitOff += uint32(e.dTrait)
		}
	}
	return m
}

// objsBefore is the number of objects of the table that begin before
// the input offset at: the table's length when a switch at at began (it
// registers objects in the order they begin).
func (r *Reader) objsBefore(at uint32) int {
	return sort.Search(r.objCount(), func(i int) bool { return r.objAt(i) >= at })
}

// uncross puts back the tables crossReplay set aside.
func (r *Reader) uncross() {
	n := len(r.saved) - 1
	s := &r.saved[n]
	r.strs, r.big, r.traits, r.strOff, r.traitOff, r.cur = s.strs, s.big, s.traits, s.strOff, s.traitOff, s.cur
	r.tbig, r.tcache = s.tbig, nil
	*s = switchTabs{}
	r.saved = r.saved[:n]
	r.cross--
}

// loadSwitch makes the tables of the switch whose 0x11 marker is at
// start (read again in a cross replay) r's.
func (r *Reader) loadSwitch(start int) error {
	abs := int(r.base) + start
	k := sort.Search(r.nMarks, func(i int) bool { return int(r.markAt(i)) >= abs })
	if k == r.nMarks || int(r.markAt(k)) != abs {
		return r.fail(AMF0, start, errors.New("amf: internal error: a switch read again that was not read"))
	}
	err := r.useSwitch(k)
	if be, ok := err.(*SwitchReplayError); ok {
		// Where the switch read again is.
		be.At = int64(abs)
		return r.fail(AMF0, start, be)
	}
	return err
}

// useSwitch makes the tables of switch k r's, rebuilding them
// (switchTables) the first time.
func (r *Reader) useSwitch(k int) error {
	t := r.tabs[k]
	if t == nil {
		if r.reread > replayBudget(len(r.data)) {
			return &SwitchReplayError{Reread: r.reread, Kept: maxKeptTables}
		}
		var err error
		if t, err = r.switchTables(k); err != nil {
			return err
		}
		if r.tabs == nil {
			r.tabs = map[int]*switchTabs{}
		}
		size := tablesSize(t)
		// Let one go, and more while the kept ones with t pass
		// maxKeptTables (a cross replay that uses one holds its own
		// slices, in saved): keptTabs at most until the input was read
		// again once over, then as many as fit.
		for len(r.tabs) > 0 && (len(r.tabs) >= keptTabs && r.reread <= len(r.data) || r.tabsSize+size > maxKeptTables && size <= maxKeptTables) {
			for i, old := range r.tabs {
				r.tabsSize -= tablesSize(old)
				delete(r.tabs, i)
				break
			}
		}
		if size <= maxKeptTables {
			// (Larger tables serve the one replay: the next that needs
			// them rebuilds them.)
			r.tabs[k] = t
			r.tabsSize += size
		}
	}
	r.strs, r.big, r.traits, r.strOff, r.traitOff, r.cur = t.strs, t.big, t.traits, t.strOff, t.traitOff, k
	r.tbig, r.tcache = t.tbig, nil
	return nil
}

// switchTables reads switch k again with a Reader of its own, from its
// 0x11 marker to the end of its value, and returns the string and
// traits tables it built: the switch's, whole, indexed as r indexed them
// (the counts of its mark before them). Its objects count from the
// mark's, so that references to objects of earlier switches are in
// range; its own object table is let go.
func (r *Reader) switchTables(k int) (*switchTabs, error) {
	mk := r.mark(k)
	sub := Reader{m: r.m, ver: AMF0, data: r.data, base: r.base, off: int(mk.at) - int(r.base),
		FreshSwitches: true, strOff: int(mk.strOff), traitOff: int(mk.traitOff), objN0: int(mk.objs),
		KeepTraits: r.KeepTraits || r.b != nil}
	if k+1 < r.nMarks {
		// The tables at the size they will reach (the next mark's
		// counts less this one's), not grown by doubling: what is kept
		// is what is needed (maxKeptTables).
		next := r.markCounts(k + 1)
		sub.strs = make([]strEntry, 0, min(int(next.strOff-mk.strOff), strFast))
		sub.traits = make([]traits3, 0, min(int(next.traitOff-mk.traitOff), traitFast))
	}
	if err := sub.skipValue(); err != nil {
		return nil, sub.finish(err)
	}
	r.reread += sub.off - (int(mk.at) - int(r.base))
	return &switchTabs{strs: sub.strs, big: sub.big, traits: sub.traits, tbig: sub.tbig, strOff: int(mk.strOff), traitOff: int(mk.traitOff), cur: k}, nil
}

// Skip skips the next value (with everything inside it), registering
// what it holds as reading it would.
func (r *Reader) Skip() error {
	if r.err != nil {
		return r.err
	}
	if err := r.skipValue(); err != nil {
		err = r.finish(err)
		r.err = err
		return err
	}
	return nil
}

func (r *Reader) skipValue() error {
	depth := 0
	for {
		if r.body > 0 {
			if err := r.discardBody(); err != nil {
				return err
			}
		}
		if err := r.next(); err != nil {
			return err
		}
		switch r.t.Kind {
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

// ---- packets ----

// The envelope of a remoting packet is read with ReadPacketStart, then
// per header ReadHeaderStart and its value, then ReadMessagesStart and
// per message ReadMessageStart and its value. Each header and message
// value starts a new reference context.

// ReadPacketStart reads a packet's version and header count.
//
// The header count (and ReadMessagesStart's message count) is checked
// against the bytes left as UnmarshalPacket checks it (8 bytes a header,
// 9 a message, and MaxElements): a count the bytes left cannot hold
// fails there with UnmarshalPacket's error (a stream Reader, which may
// not hold those bytes yet, settles the count as it does a value's,
// giving the same error when the input ends before them). A caller
// that salvages the parts of a packet cut short sets UncheckedCounts.
func (r *Reader) ReadPacketStart() (version uint16, headers int, err error) {
	if err := r.between(); err != nil {
		return 0, 0, err
	}
	v, err := r.u16(AMF0)
	if err != nil {
		return 0, 0, r.finishEnv(err)
	}
	if v != 0 && v != 1 && v != 3 {
		return 0, 0, r.finishEnv(&decErr{ver: "amf", offset: 0, err: fmt.Errorf("%w %d (want 0, 1 or 3)", ErrVersion, v)})
	}
	off := r.off
	h, err := r.count16(false)
	if err != nil {
		return 0, 0, r.finishEnv(err)
	}
	if err := r.envCount(off, h, 8, "/headers"); err != nil {
		return 0, 0, err
	}
	return uint16(v), h, nil
}

// envCount checks a header (minSize 8, path "/headers") or message (9,
// "/messages") count read at off against the bytes left, as the value
// decoder's packet does, unless r.UncheckedCounts.
func (r *Reader) envCount(off, n, minSize int, path string) error {
	if r.UncheckedCounts {
		return nil
	}
	claims := len(r.claims)
	err := r.checkCount(AMF0, off, int64(n), minSize)
	if err != nil {
		err = r.finishEnv(err)
		if se, ok := err.(*SyntaxError); ok && se.Path == "" {
			se.Path = path
		}
		return err
	}
	if len(r.claims) > claims {
		// A stream Reader noted the count: its error, if the input
		// ends before the bytes, has the path UnmarshalPacket gives.
		r.claims[len(r.claims)-1].se.Path = path
	}
	return nil
}

// ReadHeaderStart reads a header's name, flag and length field; its
// value comes next.
func (r *Reader) ReadHeaderStart() (name string, mustUnderstand bool, length uint32, err error) {
	if err := r.between(); err != nil {
		return "", false, 0, err
	}
	if name, err = r.pstr(); err != nil {
		return "", false, 0, r.finishEnv(err)
	}
	b, err := r.u8(AMF0)
	if err != nil {
		return "", false, 0, r.finishEnv(err)
	}
	if length, err = r.u32(AMF0); err != nil {
		return "", false, 0, r.finishEnv(err)
	}
	r.resetTables()
	r.owed = true
	return name, b != 0, length, nil
}

// ReadMessagesStart reads the message count, checked as
// ReadPacketStart checks the header count.
func (r *Reader) ReadMessagesStart() (int, error) {
	if err := r.between(); err != nil {
		return 0, err
	}
	off := r.off
	n, err := r.count16(true)
	if err != nil {
		return 0, r.finishEnv(err)
	}
	if err := r.envCount(off, n, 9, "/messages"); err != nil {
		return 0, err
	}
	return n, nil
}

// ReadMessageStart reads a message's target, response and length field;
// its value comes next.
func (r *Reader) ReadMessageStart() (target, response string, length uint32, err error) {
	if err := r.between(); err != nil {
		return "", "", 0, err
	}
	if target, err = r.pstr(); err != nil {
		return "", "", 0, r.finishEnv(err)
	}
	if response, err = r.pstr(); err != nil {
		return "", "", 0, r.finishEnv(err)
	}
	if length, err = r.u32(AMF0); err != nil {
		return "", "", 0, r.finishEnv(err)
	}
	r.resetTables()
	r.owed = true
	return target, response, length, nil
}

// between checks that no value is half read.
func (r *Reader) between() error {
	if r.err != nil {
		return r.err
	}
	if len(r.stack) > 0 {
		return errors.New("amf: packet envelope read inside a value")
	}
	if r.body > 0 {
		if err := r.discardBody(); err != nil {
			return err
		}
	}
	r.compact()
	return nil
}

func (r *Reader) pstr() (string, error) {
	lenOff := r.off
	n, err := r.u16(AMF0)
	if err != nil {
		return "", err
	}
	b, err := r.take(AMF0, lenOff, int64(n))
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func (r *Reader) finishEnv(err error) error {
	err = r.finish(err)
	r.err = err
	return err
}

// resetTables starts a new reference context.
// watchSwitchRefs makes r note, from the next token on, the references
// that the value decoder counts as crossing 0x11 switches
// (builder.cross, crossTraits, crossVectorType): an AMF3 string
// reference (a value, a member name, a class name, a sealed name, a
// Vector.<Object> type name) to an entry made before the current switch
// began, and an AMF3 traits reference to traits read before it. An AMF3
// object reference to an object of an earlier switch is not one (the
// encoder always writes it as a reference). Only tokens read by
// NextToken are watched: ReadBatch's runs are not, and a caller that
// wants the answer reads a token at a time once a switch has begun with
// a table not empty (switchRefsOpen). switchRefs reports what was
// noted. With FreshSwitches too, such a reference is also an error (the
// entry is gone): the caller reads the value again without
// FreshSwitches.
func (r *Reader) watchSwitchRefs() { r.watchCross = true }

// switchRefs reports whether a reference across switches was read since
// watchSwitchRefs.
func (r *Reader) switchRefs() bool { return r.crossRefs }

// switchRefsOpen reports whether a reference across switches may still
// be read and would go unnoticed by ReadBatch: r watches, has noted
// none, and is in a switch that began with a table not empty.
func (r *Reader) switchRefsOpen() bool {
	return r.watchCross && !r.crossRefs && r.strBase+r.traitBase > 0
}

func (r *Reader) resetTables() {
	r.refs0, r.objs, r.strs, r.traits = r.refs0[:0], r.objs[:0], r.strs[:0], r.traits[:0]
	r.big, r.tbig, r.tcache = strBig{}, strBig{}, nil
	clear(r.names)
	r.strBase, r.traitBase, r.crossRefs = 0, 0, false
	r.strOff, r.traitOff = 0, 0
	r.marks, r.nMarks, r.cur, r.tabs, r.cross, r.reread, r.tabsSize = nil, 0, 0, nil, 0, 0, 0
	r.markCk, r.bigD, r.lastCk = nil, nil, [2]uint32{}
	clear(r.saved)
	r.saved = r.saved[:0]
	r.objBig, r.objN0 = r.objBig.reuse(), 0
	if r.b != nil {
		r.b.tablesReset()
	}
}

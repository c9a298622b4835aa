package amf

import (
	"bytes"
	"hash/maphash"
	"strconv"
	"unicode/utf8"
	"unsafe"
)

// DecodeText is the string the decoders make of the bytes of an AMF
// string: UTF-8 as it is, CESU-8 surrogate pairs combined, and anything
// else kept byte for byte (test it with [ValidText]).
func DecodeText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if s, ok := decodeCESU8(b); ok {
		return s
	}
	return string(b)
}

// ValidText reports whether a decoded string is text (valid UTF-8). A
// string that is not holds the bytes of a non-UTF-8 string as they came.
func ValidText(s string) bool { return utf8.ValidString(s) }

// decodeCESU8 decodes UTF-8 in which supplementary characters may be
// written as surrogate pairs of 3-byte sequences. Every surrogate begins
// with 0xED, so the bytes between two are checked and copied whole.
func decodeCESU8(b []byte) (string, bool) {
	if len(b) == 0 {
		return "", true
	}
	out := makeNoZero(len(b))[:0] // a pair of 6 bytes becomes 4
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], 0xED)
		if j < 0 {
			j = len(b) - i
		}
		if !utf8.Valid(b[i : i+j]) {
			return "", false
		}
		out = append(out, b[i:i+j]...)
		if i += j; i == len(b) {
			break
		}
		if i+5 < len(b) && b[i+1]&0xF0 == 0xA0 && b[i+3] == 0xED && b[i+4]&0xF0 == 0xB0 &&
			b[i+2]&0xC0 == 0x80 && b[i+5]&0xC0 == 0x80 {
			hi := rune(b[i+1]&0x0F)<<6 | rune(b[i+2]&0x3F)
			lo := rune(b[i+4]&0x0F)<<6 | rune(b[i+5]&0x3F)
			out = utf8.AppendRune(out, hi<<10+lo+0x10000)
			i += 6
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return "", false
		}
		out = append(out, b[i:i+n]...)
		i += n
	}
	return unsafe.String(unsafe.SliceData(out), len(out)), true
}

// strCache is a small direct-mapped cache of boxed strings, so that the
// member names and short string values AMF0 repeats inline (it has no
// string table) are made once per decode. Its strings share the slabs of
// the decode's values, so it is emptied after each (reset), lest a
// pooled builder keep earlier results' slabs alive.
type strCache struct {
	seed    maphash.Seed
	slots   [strCacheSize]any
	touched []uint16 // slots set since the last reset, up to a bound
	all     bool     // more slots than that
}

// set stores v in slot i.
func (c *strCache) set(i uint64, v any) {
	c.slots[i] = v
	if len(c.touched) < 64 {
		c.touched = append(c.touched, uint16(i))
	} else {
		c.all = true
	}
}

func (c *strCache) reset() {
	if c.all {
		clear(c.slots[:])
	} else {
		for _, i := range c.touched {
			c.slots[i] = nil
		}
	}
	c.touched, c.all = c.touched[:0], false
}

const (
	strCacheSize   = 1024
	strCacheMaxLen = 64
)

// slab hands out elements of chunks of T. Only an index moves as it
// does (no pointer is written, so no write barrier while the garbage
// collector marks).
type slab[T any] struct {
	buf   []T
	used  int // elements of buf handed out
	next  int // size of the next chunk
	first int // the least size of a chunk past the first (see builder.setup)

	// The chunks that hold values entered in the builder's reference
	// tables (see oneRef), since the tables were last emptied. When buf
	// is the last of them, lim is its length and cur the ref of its
	// first element; otherwise lim is 0.
	chunks [][]T
	lim    int
	cur    ref

	// An Arena's slab keeps its chunks from one decode to the next
	// (reuse): kept[:ki] are the chunks handed out since the last
	// recycle, kept[ki:] are cleared and wait to be handed out again.
	reuse bool
	kept  [][]T
	ki    int
}

// fresh returns a zeroed chunk of at least n elements for buf.
func (s *slab[T]) fresh(n int) []T {
	if s.reuse && s.ki < len(s.kept) && len(s.kept[s.ki]) >= n {
		c := s.kept[s.ki]
		s.ki++
		return c
	}
	grow := 2 * s.next
	if s.next != 0 {
		// Past a first chunk of 16, as large as the input suggests: a
		// slab used a few times costs no more than before, one used
		// many times makes few chunks.
		grow = max(grow, s.first)
	}
	s.next = min(max(grow, 16, n), maxChunk)
	c := makeBlocks[T](s.next)
	if s.reuse {
		if s.ki < len(s.kept) {
			s.kept[s.ki] = c // one too short for n: replaced
		} else {
			s.kept = append(s.kept, c)
		}
		s.ki++
	}
	return c
}

// maxKeptChunks bounds the chunks an Arena's slab keeps between decodes:
// for the largest element (Object, 48 bytes), 12 MiB.
const maxKeptChunks = 256

// recycle clears the chunks handed out since the last recycle, for the
// next decode to use again; the values in them are gone.
func (s *slab[T]) recycle() {
	for _, c := range s.kept[:s.ki] {
		clear(c)
	}
	if len(s.kept) > maxKeptChunks {
		clear(s.kept[maxKeptChunks:])
		s.kept = s.kept[:maxKeptChunks]
	}
	s.ki, s.buf, s.used, s.lim = 0, nil, 0, 0
	s.forget()
}

const maxChunk = 1024

// makeBlocks is make([]T, n), allocated as blocks of 16 elements: the
// same memory, but its type for the garbage collector is the block's.
// The collector walks an object's pointer bitmap one element of its
// type at a time (runtime.typePointers.next, some 50 instructions a
// call): for a chunk of Members (4 words) that was a call per member,
// as many as the pointers it then follows; a block of 16 members is 64
// words, one call.
func makeBlocks[T any](n int) []T {
	b := make([][16]T, (n+15)/16)
	return unsafe.Slice(&b[0][0], n)
}

// take returns n consecutive elements, cut from the slab when n is small.
// They are zero: a chunk is fresh from make or cleared by recycle, and no
// element is handed out twice (the value decoder leaves nil values
// unwritten).
func (s *slab[T]) take(n int) []T {
	if n > maxChunk/4 {
		return makeBlocks[T](n)
	}
	if len(s.buf)-s.used < n {
		s.buf, s.used, s.lim = s.fresh(n), 0, 0
	}
	u := s.used
	s.used = u + n
	return s.buf[u : u+n : u+n]
}

// one returns one element, cut from the slab.
func (s *slab[T]) one() *T {
	if s.used >= len(s.buf) {
		s.buf, s.used, s.lim = s.fresh(1), 0, 0
	}
	p := &s.buf[s.used]
	s.used++
	return p
}

// oneRef is one for a value entered in a reference table: the element,
// and the entry of kind k that stands for it (see ref).
func (s *slab[T]) oneRef(k ref) (*T, ref) {
	if s.used >= s.lim {
		s.list(k)
	}
	return s.cut()
}

// cut is oneRef once list has made room (s.used < s.lim): in the hot
// paths, the test and the call to list are written out where oneRef
// would be, as oneRef is past the budget for inlining.
func (s *slab[T]) cut() (*T, ref) {
	u := s.used
	s.used = u + 1
	return &s.buf[u], s.cur | ref(u)
}

// list makes room in buf for one more element, and lists buf in chunks
// (for entries of kind k).
//
//go:noinline
func (s *slab[T]) list(k ref) {
	if s.used >= len(s.buf) {
		s.buf, s.used = s.fresh(1), 0
	}
	s.chunks = append(s.chunks, s.buf)
	s.lim, s.cur = len(s.buf), k<<refKindShift|ref(len(s.chunks)-1)<<refChunkShift
}

// at is the element of the cell c.
func (s *slab[T]) at(c ref) *T {
	return &s.chunks[(c&refPayload)>>refChunkShift][c&(1<<refChunkShift-1)]
}

// drop empties s after a pooled use, keeping only chunks' array (emptied
// by forget before).
func (s *slab[T]) drop() {
	*s = slab[T]{chunks: s.chunks[:0]}
}

// forget empties chunks, when the reference tables are emptied.
func (s *slab[T]) forget() {
	clear(s.chunks)
	s.chunks, s.lim = s.chunks[:0], 0
}

// ref is an entry of the builder's reference tables (the AMF0 and AMF3
// object tables): what the entry stands for, not as a pointer but as
// where it is, a cell of the slab of objects, arrays or dates, or an
// index into the builder's others. The tables hold no pointers: an entry
// is written without a write barrier, the collector has no table to
// scan, and emptying one needs no clearing (which, while the collector
// marks, costs a barrier per pointer cleared). The zero ref stands for
// nil.
type ref uint64

const (
	refObject = 1 + iota // a cell of objSlab
	refArray             // a cell of arrSlab
	refDate              // a cell of dateSlab
	refOther             // an index into others

	refKindShift  = 60
	refPayload    = 1<<refKindShift - 1
	refChunkShift = 16 // a cell: chunk<<refChunkShift | index (chunks hold at most maxChunk)
)

func idxSeg(i int) string { return strconv.Itoa(i) }

// The small AMF3 integers, and the doubles that are small whole
// numbers, are boxed without an allocation: their interface values point
// into these arrays. The arrays hold no pointers, so the garbage
// collector neither scans them as roots nor has objects of theirs to
// mark, and a pointer into them is told apart from a heap pointer at
// once (values that a decode leaves in the model, or writes while the
// collector marks, cost it nothing to follow).
const (
	boxedIntMin = -256
	boxedIntMax = 1023
)

var smallInts = func() (t [boxedIntMax - boxedIntMin + 1]Int) {
	for i := range t {
		t[i] = Int(i + boxedIntMin)
	}
	return
}()

var smallFloats = func() (t [boxedIntMax + 1]float64) {
	for i := range t {
		t[i] = float64(i)
	}
	return
}()

// boxedInts and boxedFloats are the interface values of smallInts and
// smallFloats, as their two words: both point to static memory (a type
// descriptor, an element of those arrays), never to the heap, so as
// words they are safe from the collector, which need not scan them (a
// table of any would be a root to scan at each cycle). Loading an entry
// is cheaper than building the interface value.
var boxedInts = func() (t [boxedIntMax - boxedIntMin + 1][2]uintptr) {
	for i := range t {
		t[i] = [2]uintptr{uintptr(intType), uintptr(unsafe.Pointer(&smallInts[i]))}
	}
	return
}()

var boxedFloats = func() (t [boxedIntMax + 1][2]uintptr) {
	for i := range t {
		t[i] = [2]uintptr{uintptr(float64Type), uintptr(unsafe.Pointer(&smallFloats[i]))}
	}
	return
}()

// boxedInt is any(Int(i)) for i in [boxedIntMin, boxedIntMax].
func boxedInt(i int) any {
	return *(*any)(unsafe.Pointer(&boxedInts[i-boxedIntMin]))
}

// boxedFloat is any(float64(i)) for i in [0, boxedIntMax].
func boxedFloat(i int) any {
	return *(*any)(unsafe.Pointer(&boxedFloats[i]))
}

package amf

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"
)

// decoder holds one decoding context: the input, the position and the
// reference tables. The tables live as long as the context: one packet
// header or message value, or one whole stream of bare values.
//
// The package-level functions and DecMode methods take decoders from a
// pool, so the tables, the scratch stacks and the string cache keep their
// capacity from one call to the next. Nothing a decoder hands out is ever
// reused: slabs only move forward and scratch stacks are copied out.
type decoder struct {
	m     *DecMode
	data  []byte
	off   int
	depth int

	refs0 []any // AMF0 object table

	// Request message bodies (see Message.UnregisteredArgs): watchArgs
	// watches the strict arrays being read (open) for a reference to one
	// of them (selfList: an argument list that contains itself);
	// skipArgs gives the argument array no slot; dateRefs gives dates
	// one; sawDate records that a date was read, refAfterDate that a
	// reference came after one, ref0Err that an AMF0 reference was out
	// of range.
	watchArgs, selfList, skipArgs, ref0Err bool
	dateRefs, sawDate, refAfterDate        bool
	open                                   []*Array

	strs   []any // AMF3 string table, strings boxed once
	objs   []any // AMF3 object table
	traits []*Traits

	// strBase and traitBase are the sizes of the string and traits
	// tables when the current 0x11 switch began; crossRefs records that a
	// string or traits reference pointed below them, into an earlier
	// switch of the same AMF0 value (see Message.CrossEscapeRefs).
	strBase, traitBase int
	crossRefs          bool

	// Scratch stacks shared by nested containers: a container pushes its
	// items, then copies them out into an exactly sized slice. Nothing is
	// allocated from a claimed count, only from items actually read.
	scratch  []Member
	vscratch []any
	escratch []DictEntry

	// Slabs from which small values are cut, and the size of the next
	// chunk of each: chunks start small and double, so that a small value
	// wastes little. Slabs are never carried from one pooled use to the
	// next: a chunk's tail would keep the previous results alive.
	memSlab  slab[Member]
	anySlab  slab[any]
	objSlab  slab[Object]
	arrSlab  slab[Array]
	dateSlab slab[Date]

	cache *strCache // short AMF0 strings and member names

	// inPrealloc is set while the items of a container whose slice was
	// allocated up front from its claimed count are read; containers
	// inside it use the scratch stack, so that nested claims cannot
	// count the same remaining bytes twice.
	inPrealloc bool
}

var decPool = sync.Pool{New: func() any { return new(decoder) }}

// getDecoder takes a decoder from the pool, set up for data.
func getDecoder(m *DecMode, data []byte) *decoder {
	d := decPool.Get().(*decoder)
	d.m, d.data, d.off, d.depth = m, data, 0, 0
	return d
}

// putDecoder clears d (dropping every reference to decoded values) and
// returns it to the pool. Oversized buffers are not kept.
func putDecoder(d *decoder) {
	d.reset()
	d.m, d.data = nil, nil
	d.memSlab, d.anySlab, d.objSlab, d.arrSlab, d.dateSlab = slab[Member]{}, slab[any]{}, slab[Object]{}, slab[Array]{}, slab[Date]{}
	const keep = 1 << 16
	if cap(d.refs0) > keep || cap(d.strs) > keep || cap(d.objs) > keep || cap(d.traits) > keep {
		d.refs0, d.strs, d.objs, d.traits = nil, nil, nil, nil
	}
	if cap(d.scratch) > keep || cap(d.vscratch) > keep || cap(d.escratch) > keep {
		d.scratch, d.vscratch, d.escratch = nil, nil, nil
	}
	decPool.Put(d)
}

func newDecoder(m *DecMode, data []byte) *decoder {
	return &decoder{m: m, data: data}
}

// reset clears the reference tables for a new context.
func (d *decoder) reset() {
	clear(d.refs0)
	d.refs0 = d.refs0[:0]
	clear(d.strs)
	d.strs = d.strs[:0]
	clear(d.objs)
	d.objs = d.objs[:0]
	clear(d.traits)
	d.traits = d.traits[:0]
	d.strBase, d.traitBase, d.crossRefs = 0, 0, false
	clear(d.scratch)
	d.scratch = d.scratch[:0]
	clear(d.vscratch)
	d.vscratch = d.vscratch[:0]
	clear(d.escratch)
	d.escratch = d.escratch[:0]
	d.depth = 0
	d.inPrealloc = false
}

func (d *decoder) fail(ver Version, off int, err error) error {
	return &decErr{ver: ver.String(), offset: int64(off), err: err}
}

func (d *decoder) failf(ver Version, off int, format string, args ...any) error {
	return d.fail(ver, off, fmt.Errorf(format, args...))
}

func (d *decoder) eof(ver Version) error {
	return d.fail(ver, len(d.data), io.ErrUnexpectedEOF)
}

func (d *decoder) left() int { return len(d.data) - d.off }

func (d *decoder) u8(ver Version) (byte, error) {
	if d.off >= len(d.data) {
		return 0, d.eof(ver)
	}
	b := d.data[d.off]
	d.off++
	return b, nil
}

func (d *decoder) u16(ver Version) (uint16, error) {
	if len(d.data)-d.off < 2 {
		return 0, d.eof(ver)
	}
	v := binary.BigEndian.Uint16(d.data[d.off:])
	d.off += 2
	return v, nil
}

func (d *decoder) u32(ver Version) (uint32, error) {
	if len(d.data)-d.off < 4 {
		return 0, d.eof(ver)
	}
	v := binary.BigEndian.Uint32(d.data[d.off:])
	d.off += 4
	return v, nil
}

// number reads a DOUBLE as a value.
func (d *decoder) number(ver Version) (any, error) {
	if len(d.data)-d.off < 8 {
		return nil, d.eof(ver)
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(d.data[d.off:]))
	d.off += 8
	return boxFloat(v), nil
}

func (d *decoder) f64(ver Version) (float64, error) {
	if len(d.data)-d.off < 8 {
		return 0, d.eof(ver)
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(d.data[d.off:]))
	d.off += 8
	return v, nil
}

// enter goes one level deeper for the value whose marker is just
// before off.
func (d *decoder) enter(ver Version, off int) error {
	if d.depth >= d.m.maxDepth {
		return d.fail(ver, off, &MaxDepthError{d.m.maxDepth})
	}
	d.depth++
	return nil
}

// checkCount checks a claimed item count against MaxElements and against
// the bytes left, each item taking at least minSize bytes. off is where the
// count was read.
func (d *decoder) checkCount(ver Version, off int, n int64, minSize int) error {
	if n > int64(d.m.maxElements) {
		return d.fail(ver, off, &MaxElementsError{Limit: d.m.maxElements, Count: n})
	}
	if n*int64(minSize) > int64(d.left()) {
		return d.failf(ver, off, "count %d needs at least %d bytes but %d remain: %w", n, n*int64(minSize), d.left(), io.ErrUnexpectedEOF)
	}
	return nil
}

// checkLen checks a claimed byte length against MaxLength and against the
// bytes left. off is where the length was read.
func (d *decoder) checkLen(ver Version, off int, n int64) error {
	if n > int64(d.m.maxLength) {
		return d.fail(ver, off, &MaxLengthError{Limit: d.m.maxLength, Length: n})
	}
	if n > int64(d.left()) {
		return d.failf(ver, off, "length %d exceeds the %d bytes left: %w", n, d.left(), io.ErrUnexpectedEOF)
	}
	return nil
}

// tooMany is the error for a container that has read limit items and
// finds one more.
func (d *decoder) tooMany(ver Version, off int, read int) error {
	return d.fail(ver, off, &MaxElementsError{Limit: d.m.maxElements, Count: int64(read) + 1})
}

// text turns wire bytes into a string. Java peers write characters
// outside the BMP as two 3-byte surrogates (CESU-8); those are combined.
// Bytes that are not UTF-8 (PHP and ColdFusion send stored Latin-1 or
// binary strings as they are) are kept exactly, unless AllowInvalidUTF8
// asks for U+FFFD instead: see [ValidText].
func (d *decoder) text(ver Version, off int, b []byte) (string, error) {
	if utf8.Valid(b) {
		return string(b), nil
	}
	if d.m.lossyUTF8 {
		if s, ok := decodeCESU8(b); ok {
			return s, nil
		}
		return string([]rune(string(b))), nil
	}
	return DecodeText(b), nil
}

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
// written as surrogate pairs of 3-byte sequences.
func decodeCESU8(b []byte) (string, bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+5 < len(b) && b[i] == 0xED && b[i+1]&0xF0 == 0xA0 && b[i+3] == 0xED && b[i+4]&0xF0 == 0xB0 &&
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
	return string(out), true
}

// strCache is a small direct-mapped cache of boxed strings, so that the
// member names and short string values AMF0 repeats inline (it has no
// string table) are allocated once per decoder.
type strCache struct {
	seed  maphash.Seed
	slots [strCacheSize]any
}

const (
	strCacheSize   = 1024
	strCacheMaxLen = 64
)

// cachedText is text for short strings, through the cache.
func (d *decoder) cachedText(ver Version, off int, b []byte) (any, error) {
	if len(b) > strCacheMaxLen {
		s, err := d.text(ver, off, b)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	c := d.cache
	if c == nil {
		c = &strCache{seed: maphash.MakeSeed()}
		d.cache = c
	}
	slot := &c.slots[maphash.Bytes(c.seed, b)&(strCacheSize-1)]
	if s, ok := (*slot).(string); ok && s == string(b) {
		return *slot, nil
	}
	s, err := d.text(ver, off, b)
	if err != nil {
		return nil, err
	}
	*slot = s
	return *slot, nil
}

// slab hands out elements of chunks of T.
type slab[T any] struct {
	free []T
	next int // size of the next chunk
}

const maxChunk = 1024

// take returns n consecutive elements, cut from the slab when n is small.
func (s *slab[T]) take(n int) []T {
	if n > maxChunk/4 {
		return make([]T, n)
	}
	if len(s.free) < n {
		s.next = min(max(2*s.next, 16, n), maxChunk)
		s.free = make([]T, s.next)
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// newObject takes an Object from the slab.
func (d *decoder) newObject() *Object { return &d.objSlab.take(1)[0] }

// newArray takes an Array from the slab.
func (d *decoder) newArray() *Array { return &d.arrSlab.take(1)[0] }

// newDate takes a Date from the slab.
func (d *decoder) newDate(ms float64, tz int16) *Date {
	dt := &d.dateSlab.take(1)[0]
	dt.Ms, dt.TZ = ms, tz
	return dt
}

// members copies the scratch members from start into an exactly sized
// slice cut from the slab, and pops them off the scratch stack.
func (d *decoder) members(start int) []Member {
	n := len(d.scratch) - start
	if n == 0 {
		return nil
	}
	out := d.memSlab.take(n)
	copy(out, d.scratch[start:])
	d.popScratch(start)
	return out
}

func (d *decoder) popScratch(start int) {
	clear(d.scratch[start:])
	d.scratch = d.scratch[:start]
}

// items is members for the value scratch stack. An empty result is
// empty but not nil, as a decoded empty array has no nil items slice.
func (d *decoder) items(start int) []any {
	n := len(d.vscratch) - start
	if n == 0 {
		return []any{}
	}
	out := d.anySlab.take(n)
	copy(out, d.vscratch[start:])
	d.popItems(start)
	return out
}

// denseItems reads n values with read into a slice. A large count,
// checked against the bytes left, is allocated up front unless an
// enclosing container already was; everything else goes through the
// scratch stack.
func (d *decoder) denseItems(n int, read func() (any, error)) ([]any, error) {
	if n > 256 && !d.inPrealloc {
		d.inPrealloc = true
		out := make([]any, n)
		for i := range out {
			v, err := read()
			if err != nil {
				d.inPrealloc = false
				return nil, withSeg(err, idxSeg(i))
			}
			out[i] = v
		}
		d.inPrealloc = false
		return out, nil
	}
	start := len(d.vscratch)
	for i := 0; i < n; i++ {
		v, err := read()
		if err != nil {
			d.popItems(start)
			return nil, withSeg(err, idxSeg(i))
		}
		d.vscratch = append(d.vscratch, v)
	}
	return d.items(start), nil
}

func (d *decoder) popItems(start int) {
	clear(d.vscratch[start:])
	d.vscratch = d.vscratch[:start]
}

func idxSeg(i int) string { return strconv.Itoa(i) }

// Boxed AMF3 integers of a small range, so that decoding them allocates
// nothing.
const (
	boxedIntMin = -256
	boxedIntMax = 1023
)

var boxedInts = func() (t [boxedIntMax - boxedIntMin + 1]any) {
	for i := range t {
		t[i] = Int(i + boxedIntMin)
	}
	return
}()

var boxedFloats = func() (t [boxedIntMax + 1]any) {
	for i := range t {
		t[i] = float64(i)
	}
	return
}()

// boxFloat boxes f, without allocating for the small whole numbers AMF0
// uses for counts and ids.
func boxFloat(f float64) any {
	if f >= 0 && f <= boxedIntMax {
		if i := int(f); float64(i) == f && (i != 0 || !math.Signbit(f)) {
			return boxedFloats[i]
		}
	}
	return f
}

func boxInt(i Int) any {
	if i >= boxedIntMin && i <= boxedIntMax {
		return boxedInts[i-boxedIntMin]
	}
	return i
}

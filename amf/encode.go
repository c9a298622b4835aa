package amf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// maxEncodeDepth bounds the nesting the encoder follows. It is above the
// largest DecOptions.MaxDepth, so that whatever decodes encodes; a value
// nested deeper than this is almost surely a cycle through values that
// cannot be referenced ([]any, map[string]any).
const maxEncodeDepth = 65536 + 64

// encoder holds one encoding context: the output and the reference tables,
// mirroring what a decoder of the same context will build.
//
// Encoders are pooled: the maps and scratch space keep their capacity from
// one call to the next, so that encoding allocates nothing but the output.
type encoder struct {
	m     *EncMode
	buf   []byte // the output
	out   []byte // Marshal's own output buffer, kept across uses
	depth int

	refs0 refTable // AMF0 objects by identity

	strs   map[string]int
	nStr   int
	recent [256]recentStr // a cache in front of strs
	gen    uint32         // generation of the entries of recent
	objs   refTable
	traits []traitEntry
	tByPtr map[*Traits]int
	tByCls map[string][]int
	anon   int // index of the canonical anonymous traits, or -1

	// References below these indices were made in an earlier 0x11 switch
	// of the same AMF0 value and are not used (see EncOptions).
	strBase, objBase, traitBase int

	scratch []Member // members of Go maps being written, a stack

	// stream takes a ByteArrayStream's bytes (a Writer's encoder).
	stream func(r io.Reader, n int64)
}

// refTable maps complex values, by identity, to their reference index.
// The common pointer types have maps of their own, which hash faster than
// interface keys.
type refTable struct {
	objs  map[*Object]int
	arrs  map[*Array]int
	dates map[*Date]int
	other map[any]int
	n     int
}

func (t *refTable) reset() {
	clear(t.objs)
	clear(t.arrs)
	clear(t.dates)
	clear(t.other)
	t.n = 0
}

// refIn returns k's index when it was registered at or above base;
// otherwise it registers k (taking the next index) and returns -1.
func refIn[K comparable](m *map[K]int, k K, base int, n *int) int {
	if i, ok := (*m)[k]; ok && i >= base {
		return i
	}
	if *m == nil {
		*m = make(map[K]int)
	}
	(*m)[k] = *n
	*n++
	return -1
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
	return uint8(len(s)*31 + int(s[0])*7 + int(s[len(s)/2])*3 + int(s[len(s)-1]))
}

type traitEntry struct {
	class        string
	sealed       []string
	dynamic, ext bool
}

var encPool = sync.Pool{New: func() any { return &encoder{anon: -1, gen: 1} }}

// getEncoder takes an encoder from the pool.
func getEncoder(m *EncMode) *encoder {
	e := encPool.Get().(*encoder)
	e.m = m
	return e
}

// putEncoder clears e and returns it to the pool, without its output
// buffer.
func putEncoder(e *encoder) {
	e.reset()
	e.m, e.buf, e.depth = nil, nil, 0
	clear(e.scratch)
	e.scratch = e.scratch[:0]
	if len(e.traits) > 1<<12 || cap(e.scratch) > 1<<16 {
		e.traits, e.scratch = nil, nil
	}
	if cap(e.out) > maxKeptBuf {
		e.out = nil
	}
	encPool.Put(e)
}

func newEncoder(m *EncMode) *encoder {
	return &encoder{m: m, anon: -1, gen: 1}
}

// reset starts a new context, keeping the output.
func (e *encoder) reset() {
	e.refs0.reset()
	clear(e.strs)
	e.nStr = 0
	e.gen++
	if e.gen == 0 { // wrapped: no entry may look current
		clear(e.recent[:])
		e.gen = 1
	}
	e.objs.reset()
	clear(e.traits)
	e.traits = e.traits[:0]
	clear(e.tByPtr)
	if len(e.tByCls) > 256 {
		clear(e.tByCls)
	}
	for k, v := range e.tByCls {
		e.tByCls[k] = v[:0] // keep the slices, and the class names
	}
	e.anon = -1
	e.strBase, e.objBase, e.traitBase = 0, 0, 0
}

func (e *encoder) u8(b byte)     { e.buf = append(e.buf, b) }
func (e *encoder) u16(v uint16)  { e.buf = binary.BigEndian.AppendUint16(e.buf, v) }
func (e *encoder) u32(v uint32)  { e.buf = binary.BigEndian.AppendUint32(e.buf, v) }
func (e *encoder) f64(v float64) { e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(v)) }

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

func (e *encoder) u29(v uint32) { e.buf = AppendU29(e.buf, v) }

var (
	errCycle    = errors.New("value nests too deeply (a cycle through values that cannot be referenced?)")
	errEmptyKey = fmt.Errorf("%w: an empty member name cannot be written as a dynamic member or associative key", ErrUnencodable)
	errLongKey  = fmt.Errorf("%w: a member or class name longer than 65535 bytes", ErrUnencodable)
	errTooLong  = fmt.Errorf("%w: longer than the AMF3 limit of 268435455 bytes", ErrUnencodable)
	errTooLong0 = fmt.Errorf("%w: longer than the AMF0 limit of 4294967295 bytes", ErrUnencodable)
)

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxEncodeDepth {
		return errCycle
	}
	return nil
}

// ---- AMF0 ----

// str0raw writes a U16-prefixed string (a member name, class name or
// packet string).
func (e *encoder) str0raw(s string) error {
	if e.m.cesu8 {
		s = toCESU8(s)
	}
	if len(s) > 0xFFFF {
		return errLongKey
	}
	e.u16(uint16(len(s)))
	e.buf = append(e.buf, s...)
	return nil
}

func (e *encoder) string0(s string) error {
	if e.m.cesu8 {
		s = toCESU8(s)
	}
	if len(s) <= 0xFFFF {
		e.buf = append(e.buf, m0String, byte(len(s)>>8), byte(len(s)))
	} else {
		if uint64(len(s)) > math.MaxUint32 {
			return errTooLong0
		}
		e.u8(m0LongString)
		e.u32(uint32(len(s)))
	}
	e.buf = append(e.buf, s...)
	return nil
}

// ref0 writes a reference if x was written before, else registers it. A
// value past the U16 index range is written inline again.
func ref0[K comparable](e *encoder, m *map[K]int, x K) bool {
	if i := refIn(m, x, 0, &e.refs0.n); i >= 0 {
		if i <= 0xFFFF {
			e.u8(m0Reference)
			e.u16(uint16(i))
			return true
		}
		(*m)[x] = e.refs0.n
		e.refs0.n++
	}
	return false
}

func (e *encoder) members0(ms []Member) error {
	for i := range ms {
		m := &ms[i]
		if err := e.str0raw(m.Name); err != nil {
			return withSeg(err, m.Name)
		}
		if err := e.value0(m.Value); err != nil {
			return withSeg(err, m.Name)
		}
	}
	e.buf = append(e.buf, 0, 0, m0ObjectEnd)
	return nil
}

// externalOnly reports whether o can only be written as an AMF3
// externalizable object: its traits say so, or it has none and its class
// is one this package writes, with members that fit the class. (An AMF0
// typed object that merely bears such a class name stays an AMF0 typed
// object.)
func externalOnly(o *Object) bool {
	if o.Traits != nil {
		return o.Traits.Externalizable
	}
	if !IsExternalizable(o.Class) {
		return false
	}
	var placedBuf [16]extSlot
	_, err := placeExternal(o.Class, o.Members, placedBuf[:0])
	return err == nil
}

func (e *encoder) value0(v any) error {
	switch x := v.(type) {
	case nil:
		e.u8(m0Null)
	case Undefined:
		e.u8(m0Undefined)
	case Unsupported:
		e.u8(m0Unsupported)
	case bool:
		if x {
			e.buf = append(e.buf, m0Boolean, 1)
		} else {
			e.buf = append(e.buf, m0Boolean, 0)
		}
	case float64:
		e.u8(m0Number)
		e.f64(x)
	case Int:
		e.u8(m0Number)
		e.f64(float64(x))
	case string:
		return e.string0(x)
	case *Date:
		e.u8(m0Date)
		e.f64(x.Ms)
		e.u16(uint16(x.TZ))
		if e.m.profile.registersDates() {
			e.refs0.n++
		}
	case time.Time:
		e.u8(m0Date)
		e.f64(timeMs(x))
		e.u16(0)
		if e.m.profile.registersDates() {
			e.refs0.n++
		}
	case *XML:
		if !x.Document {
			return e.avmplus(v)
		}
		if uint64(len(x.Text)) > math.MaxUint32 {
			return errTooLong0
		}
		e.u8(m0XMLDocument)
		e.u32(uint32(len(x.Text)))
		e.buf = append(e.buf, x.Text...)
		if e.m.profile.registersXML() {
			e.refs0.n++
		}
	case *Object:
		if externalOnly(x) {
			return e.avmplus(v)
		}
		if ref0(e, &e.refs0.objs, x) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		if x.Class != "" {
			e.u8(m0TypedObject)
			if err := e.str0raw(x.Class); err != nil {
				return err
			}
		} else {
			e.u8(m0Object)
		}
		if err := e.members0(x.Members); err != nil {
			return err
		}
		e.depth--
	case *ECMAArray:
		if ref0(e, &e.refs0.other, any(x)) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		e.u8(m0ECMAArray)
		if x.Count != nil {
			e.u32(*x.Count)
		} else {
			e.u32(uint32(len(x.Members)))
		}
		if err := e.members0(x.Members); err != nil {
			return err
		}
		e.depth--
	case *Array:
		if len(x.Assoc) > 0 {
			return e.avmplus(v)
		}
		if ref0(e, &e.refs0.arrs, x) {
			return nil
		}
		return e.strict0(x.Dense)
	case []any:
		e.refs0.n++
		return e.strict0(x)
	case map[string]any:
		e.refs0.n++
		if err := e.enter(); err != nil {
			return err
		}
		e.u8(m0Object)
		start := e.pushMap(x)
		err := e.members0(e.scratch[start:])
		e.popMembers(start)
		if err != nil {
			return err
		}
		e.depth--
	case AVMPlus:
		return e.avmplus(x.Value)
	case *ByteArray, []byte, *Vector, *Dictionary, *ByteArrayStream:
		return e.avmplus(v)
	default:
		if n, ok := goNumber(v); ok {
			e.u8(m0Number)
			e.f64(n)
			return nil
		}
		return fmt.Errorf("%w: Go type %T", ErrUnencodable, v)
	}
	return nil
}

func (e *encoder) strict0(items []any) error {
	if err := e.enter(); err != nil {
		return err
	}
	if uint64(len(items)) > math.MaxUint32 {
		return errTooLong0
	}
	e.u8(m0StrictArray)
	e.u32(uint32(len(items)))
	for i, it := range items {
		if err := e.value0(it); err != nil {
			return withSeg(err, idxSeg(i))
		}
	}
	e.depth--
	return nil
}

// avmplus writes v through the 0x11 switch.
func (e *encoder) avmplus(v any) error {
	if err := e.enter(); err != nil {
		return err
	}
	e.u8(m0AVMPlus)
	if !e.m.crossEscapeRefs {
		e.strBase, e.objBase, e.traitBase = e.nStr, e.objs.n, len(e.traits)
	}
	if err := e.value3(v); err != nil {
		return err
	}
	e.depth--
	return nil
}

// pushMap pushes the members of a Go map, sorted by name, on the scratch
// stack and returns where they start.
func (e *encoder) pushMap(m map[string]any) int {
	start := len(e.scratch)
	for k, v := range m {
		e.scratch = append(e.scratch, Member{k, v})
	}
	slices.SortFunc(e.scratch[start:], func(a, b Member) int { return strings.Compare(a.Name, b.Name) })
	return start
}

func (e *encoder) popMembers(start int) {
	clear(e.scratch[start:])
	e.scratch = e.scratch[:start]
}

// ---- AMF3 ----

func (e *encoder) str3(s string) error {
	if s == "" {
		e.u8(0x01)
		return nil
	}
	slot := &e.recent[recentSlot(s)]
	if slot.gen == e.gen && slot.i >= e.strBase && slot.s == s {
		e.u29(uint32(slot.i) << 1)
		return nil
	}
	if i, ok := e.strs[s]; ok && i >= e.strBase {
		*slot = recentStr{s, i, e.gen}
		e.u29(uint32(i) << 1)
		return nil
	}
	if len(s) > MaxInt {
		return errTooLong
	}
	e.u29(uint32(len(s))<<1 | 1)
	e.buf = append(e.buf, s...)
	if e.strs == nil {
		e.strs = make(map[string]int)
	}
	e.strs[s] = e.nStr
	*slot = recentStr{s, e.nStr, e.gen}
	e.nStr++
	return nil
}

// ref3 writes an object reference if x was written before in this context
// (and switch), else registers it.
func ref3[K comparable](e *encoder, m *map[K]int, x K) bool {
	if i := refIn(m, x, e.objBase, &e.objs.n); i >= 0 {
		e.u29(uint32(i) << 1)
		return true
	}
	return false
}

func (e *encoder) int3(i int64) {
	if i >= MinInt && i <= MaxInt {
		e.u8(m3Integer)
		e.u29(uint32(i) & maxU29)
		return
	}
	e.u8(m3Double)
	e.f64(float64(i))
}

func (e *encoder) value3(v any) error {
	switch x := v.(type) {
	case nil:
		e.u8(m3Null)
	case Undefined, Unsupported:
		e.u8(m3Undefined)
	case bool:
		if x {
			e.u8(m3True)
		} else {
			e.u8(m3False)
		}
	case Int:
		e.int3(int64(x))
	case float64:
		e.u8(m3Double)
		e.f64(x)
	case string:
		e.u8(m3String)
		return e.str3(x)
	case *Date:
		e.u8(m3Date)
		if ref3(e, &e.objs.dates, x) {
			return nil
		}
		e.u8(0x01)
		e.f64(x.Ms)
	case time.Time:
		e.u8(m3Date)
		e.objs.n++
		e.u8(0x01)
		e.f64(timeMs(x))
	case *XML:
		if x.Document {
			e.u8(m3XMLDocument)
		} else {
			e.u8(m3XML)
		}
		if ref3(e, &e.objs.other, v) {
			return nil
		}
		if len(x.Text) > MaxInt {
			return errTooLong
		}
		e.u29(uint32(len(x.Text))<<1 | 1)
		e.buf = append(e.buf, x.Text...)
	case *ByteArray:
		e.u8(m3ByteArray)
		if ref3(e, &e.objs.other, v) {
			return nil
		}
		return e.bytes3(x.Data)
	case []byte:
		e.u8(m3ByteArray)
		e.objs.n++
		return e.bytes3(x)
	case *ByteArrayStream:
		if e.stream == nil {
			return fmt.Errorf("%w: a ByteArrayStream is written through a Writer (Writer.WriteValue)", ErrUnencodable)
		}
		if x.N < 0 || x.N > MaxInt {
			return errTooLong
		}
		e.u8(m3ByteArray)
		e.objs.n++
		e.u29(uint32(x.N)<<1 | 1)
		e.stream(x.R, x.N)
	case *Array:
		e.u8(m3Array)
		if ref3(e, &e.objs.arrs, x) {
			return nil
		}
		return e.array3(x.Dense, x.Assoc)
	case []any:
		e.u8(m3Array)
		e.objs.n++
		return e.array3(x, nil)
	case *ECMAArray:
		e.u8(m3Array)
		if ref3(e, &e.objs.other, v) {
			return nil
		}
		return e.array3(nil, x.Members)
	case *Object:
		e.u8(m3Object)
		if ref3(e, &e.objs.objs, x) {
			return nil
		}
		return e.object3(x.Class, x.Members, x.Traits)
	case map[string]any:
		e.u8(m3Object)
		e.objs.n++
		start := e.pushMap(x)
		err := e.object3("", e.scratch[start:], nil)
		e.popMembers(start)
		return err
	case *Vector:
		e.u8(byte(x.Type))
		if ref3(e, &e.objs.other, v) {
			return nil
		}
		return e.vector3(x)
	case *Dictionary:
		e.u8(m3Dictionary)
		if ref3(e, &e.objs.other, v) {
			return nil
		}
		return e.dict3(x)
	case AVMPlus:
		return e.value3(x.Value)
	default:
		if i, ok := goInt(v); ok {
			e.int3(i)
			return nil
		}
		if n, ok := goNumber(v); ok {
			e.u8(m3Double)
			e.f64(n)
			return nil
		}
		return fmt.Errorf("%w: Go type %T", ErrUnencodable, v)
	}
	return nil
}

func (e *encoder) bytes3(b []byte) error {
	if len(b) > MaxInt {
		return errTooLong
	}
	e.u29(uint32(len(b))<<1 | 1)
	e.buf = append(e.buf, b...)
	return nil
}

func (e *encoder) array3(dense []any, assoc []Member) error {
	if err := e.enter(); err != nil {
		return err
	}
	if len(dense) > MaxInt {
		return errTooLong
	}
	e.u29(uint32(len(dense))<<1 | 1)
	if err := e.dynamic3(assoc); err != nil {
		return err
	}
	for i, it := range dense {
		if err := e.value3(it); err != nil {
			return withSeg(err, idxSeg(i))
		}
	}
	e.depth--
	return nil
}

// dynamic3 writes name/value pairs and the empty name that ends them.
func (e *encoder) dynamic3(ms []Member) error {
	for i := range ms {
		m := &ms[i]
		if m.Name == "" {
			return errEmptyKey
		}
		if err := e.str3(m.Name); err != nil {
			return withSeg(err, m.Name)
		}
		if err := e.value3(m.Value); err != nil {
			return withSeg(err, m.Name)
		}
	}
	e.u8(0x01)
	return nil
}

func (e *encoder) dict3(x *Dictionary) error {
	if err := e.enter(); err != nil {
		return err
	}
	if len(x.Entries) > MaxInt {
		return errTooLong
	}
	e.u29(uint32(len(x.Entries))<<1 | 1)
	if x.WeakKeys {
		e.u8(1)
	} else {
		e.u8(0)
	}
	for i, en := range x.Entries {
		if err := e.value3(en.Key); err != nil {
			return withSeg(err, idxSeg(i))
		}
		if err := e.value3(en.Value); err != nil {
			return withSeg(err, idxSeg(i))
		}
	}
	e.depth--
	return nil
}

func (e *encoder) vector3(x *Vector) error {
	if err := e.enter(); err != nil {
		return err
	}
	n := x.Len()
	if n > MaxInt {
		return errTooLong
	}
	switch x.Type {
	case VectorInt, VectorUint, VectorDouble, VectorObject:
	default:
		return fmt.Errorf("%w: vector type 0x%02x", ErrUnencodable, byte(x.Type))
	}
	e.u29(uint32(n)<<1 | 1)
	if x.Fixed {
		e.u8(1)
	} else {
		e.u8(0)
	}
	switch x.Type {
	case VectorInt:
		e.buf = slices.Grow(e.buf, 4*n)
		for _, v := range x.Ints {
			e.u32(uint32(v))
		}
	case VectorUint:
		e.buf = slices.Grow(e.buf, 4*n)
		for _, v := range x.Uints {
			e.u32(v)
		}
	case VectorDouble:
		e.buf = slices.Grow(e.buf, 8*n)
		for _, v := range x.Doubles {
			e.f64(v)
		}
	case VectorObject:
		if err := e.str3(x.ObjectType); err != nil {
			return err
		}
		for i, it := range x.Objects {
			if err := e.value3(it); err != nil {
				return withSeg(err, idxSeg(i))
			}
		}
	}
	e.depth--
	return nil
}

// canonicalShape reports the traits an object without explicit Traits
// has.
func canonicalShape(class string) (dynamic, ext bool) {
	if class == "" {
		return true, false
	}
	if IsExternalizable(class) {
		return false, true
	}
	return false, false
}

// findTraits looks the object's traits up in the table.
func (e *encoder) findTraits(class string, members []Member, t *Traits) int {
	if t != nil {
		// Explicit traits are matched by identity only: a decoded object
		// whose traits came inline is written inline again, so decoded
		// data re-encodes to the same bytes.
		if i, ok := e.tByPtr[t]; ok && i >= e.traitBase {
			return i
		}
		return -1
	}
	if class == "" {
		if e.anon >= e.traitBase {
			return e.anon
		}
		return -1
	}
	dyn, ext := canonicalShape(class)
	for _, i := range e.tByCls[class] {
		te := &e.traits[i]
		if i < e.traitBase || te.dynamic != dyn || te.ext != ext {
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

func (e *encoder) addTraits(t *Traits, te traitEntry) {
	if e.tByCls == nil {
		e.tByCls = make(map[string][]int)
		e.tByPtr = make(map[*Traits]int)
	}
	i := len(e.traits)
	e.traits = append(e.traits, te)
	if t != nil {
		e.tByPtr[t] = i
	}
	if te.class == "" {
		// findTraits looks anonymous traits up through e.anon only.
		if te.dynamic && !te.ext && len(te.sealed) == 0 {
			e.anon = i
		}
		return
	}
	e.tByCls[te.class] = append(e.tByCls[te.class], i)
}

func (e *encoder) object3(class string, members []Member, t *Traits) error {
	if err := e.enter(); err != nil {
		return err
	}
	var te traitEntry
	if i := e.findTraits(class, members, t); i >= 0 {
		te = e.traits[i]
		e.u29(uint32(i)<<2 | 0x01)
	} else {
		if t != nil {
			te = traitEntry{t.Class, t.Sealed, t.Dynamic, t.Externalizable}
		} else {
			te.class = class
			te.dynamic, te.ext = canonicalShape(class)
			if !te.dynamic && !te.ext && len(members) > 0 {
				te.sealed = make([]string, len(members))
				for j, m := range members {
					te.sealed[j] = m.Name
				}
			}
		}
		if te.ext {
			e.u8(0x07)
		} else {
			if len(te.sealed) > 1<<25-1 {
				return errTooLong
			}
			flags := uint32(len(te.sealed))<<4 | 0x03
			if te.dynamic {
				flags |= 0x08
			}
			e.u29(flags)
		}
		if err := e.str3(te.class); err != nil {
			return err
		}
		for _, s := range te.sealed {
			if err := e.str3(s); err != nil {
				return err
			}
		}
		e.addTraits(t, te)
	}
	if te.ext {
		if err := e.writeExternal(te.class, members); err != nil {
			return err
		}
		e.depth--
		return nil
	}
	if len(members) < len(te.sealed) {
		return fmt.Errorf("%w: object of class %s has %d members but its traits seal %d", ErrUnencodable, quoteShort(class, 60), len(members), len(te.sealed))
	}
	for j, name := range te.sealed {
		m := &members[j]
		if m.Name != name {
			return fmt.Errorf("%w: member %d is %s but the traits name it %s", ErrUnencodable, j, quoteShort(m.Name, 30), quoteShort(name, 30))
		}
		if err := e.value3(m.Value); err != nil {
			return withSeg(err, name)
		}
	}
	rest := members[len(te.sealed):]
	if !te.dynamic {
		if len(rest) > 0 {
			return fmt.Errorf("%w: member %s is not in the sealed traits of a non-dynamic object", ErrUnencodable, quoteShort(rest[0].Name, 30))
		}
		e.depth--
		return nil
	}
	if err := e.dynamic3(rest); err != nil {
		return err
	}
	e.depth--
	return nil
}

// extSlot is where a small-message field goes: its flag group, flag byte
// and bit.
type extSlot struct{ g, b, bit int }

// placeExternal checks that members can be written as an object of the
// externalizable class, and places the fields of a small message.
func placeExternal(class string, members []Member, placed []extSlot) ([]extSlot, error) {
	if f := wrapperField(class); f != "" {
		if len(members) != 1 || members[0].Name != f {
			return nil, fmt.Errorf("%w: %s needs exactly one member %q", ErrUnencodable, class, f)
		}
		return nil, nil
	}
	groups := smallGroups(class)
	if groups == nil {
		return nil, fmt.Errorf("%w %s", ErrUnknownExternalizable, quoteShort(class, 60))
	}
	for _, m := range members {
		p, ok := extSlot{}, false
		for g, names := range groups {
			for b, bits := range names {
				if k := slices.Index(bits, m.Name); k >= 0 {
					p, ok = extSlot{g, b, k}, true
				}
			}
		}
		if !ok {
			g, b, bit, found := parseUnknownField(m.Name)
			if !found || g >= len(groups) {
				return nil, fmt.Errorf("%w: %s has no field %s", ErrUnencodable, class, quoteShort(m.Name, 30))
			}
			p = extSlot{g, b, bit}
		}
		if slices.Contains(placed, p) {
			return nil, fmt.Errorf("%w: %s has the field %s twice", ErrUnencodable, class, quoteShort(m.Name, 30))
		}
		placed = append(placed, p)
	}
	return placed, nil
}

func (e *encoder) writeExternal(class string, members []Member) error {
	var placedBuf [16]extSlot
	placed, err := placeExternal(class, members, placedBuf[:0])
	if err != nil {
		return err
	}
	if f := wrapperField(class); f != "" {
		return withSegErr(e.value3(members[0].Value), f)
	}
	groups := smallGroups(class)
	for g := range groups {
		nbytes := 1
		for _, p := range placed {
			if p.g == g && p.b+1 > nbytes {
				nbytes = p.b + 1
			}
		}
		var flagBuf [maxFlagBytes]byte
		flags := flagBuf[:nbytes]
		for _, p := range placed {
			if p.g == g {
				flags[p.b] |= 1 << p.bit
			}
		}
		for b := 0; b < nbytes-1; b++ {
			flags[b] |= 0x80
		}
		e.buf = append(e.buf, flags...)
		for b := 0; b < nbytes; b++ {
			for bit := 0; bit < 7; bit++ {
				for j, p := range placed {
					if p.g == g && p.b == b && p.bit == bit {
						if err := e.value3(members[j].Value); err != nil {
							return withSeg(err, members[j].Name)
						}
					}
				}
			}
		}
	}
	return nil
}

func withSegErr(err error, seg string) error {
	if err == nil {
		return nil
	}
	return withSeg(err, seg)
}

// ---- Go values ----

func timeMs(t time.Time) float64 {
	return float64(t.UnixNano()) / 1e6
}

func goInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return int64(x), true
		}
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

func goNumber(v any) (float64, bool) {
	if i, ok := goInt(v); ok {
		return float64(i), true
	}
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case uint:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	if rv := reflect.ValueOf(v); rv.IsValid() && rv.Kind() == reflect.Float64 {
		return rv.Float(), true
	}
	return 0, false
}

// toCESU8 rewrites supplementary characters as surrogate pairs.
func toCESU8(s string) string {
	need := false
	for _, r := range s {
		if r > 0xFFFF {
			need = true
			break
		}
	}
	if !need {
		return s
	}
	out := make([]byte, 0, len(s)+8)
	for _, r := range s {
		if r <= 0xFFFF {
			out = utf8.AppendRune(out, r)
			continue
		}
		r -= 0x10000
		hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
		for _, u := range []rune{hi, lo} {
			out = append(out, 0xE0|byte(u>>12), 0x80|byte(u>>6)&0x3F, 0x80|byte(u)&0x3F)
		}
	}
	return string(out)
}

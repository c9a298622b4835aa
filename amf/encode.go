package amf

import (
	"errors"
	"fmt"
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

// encoder is the value encoder: the [Writer] itself, whose value0 and
// value3 walk the value model and write it with the Writer's primitives
// and tables, adding only what values need (ids0, ids3: which pointers
// were written at which index, so that meeting one again writes a
// reference). The name is kept for Marshal, Append and the Encoder.
//
// Pooled encoders (Marshal, Append, MarshalPacket, the Encoder) keep
// their maps and scratch space from one call to the next, so that
// encoding allocates nothing but the output.
type encoder = Writer

// idTable maps complex values, by identity, to their reference index.
// The common pointer types have maps of their own, which hash faster than
// interface keys.
type idTable struct {
	objs  map[*Object]int
	arrs  map[*Array]int
	dates map[*Date]int
	other map[any]int
}

func (t *idTable) reset() {
	if len(t.objs)+len(t.arrs)+len(t.dates)+len(t.other) == 0 {
		return
	}
	clear(t.objs)
	clear(t.arrs)
	clear(t.dates)
	clear(t.other)
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

var encPool = sync.Pool{New: func() any { return newEncoder(nil) }}

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

// newEncoder returns a Writer for Marshal and the Encoder: values of any
// version, no destination, no ByteArrayStream.
func newEncoder(m *EncMode) *encoder {
	return &encoder{m: m}
}

// reset starts a new context, keeping the output.
func (e *encoder) reset() {
	e.resetTables()
	e.err, e.stack, e.parts, e.total = nil, e.stack[:0], nil, 0
	e.dateRefs, e.crossRefs = false, false
}

var errCycle = errors.New("value nests too deeply (a cycle through values that cannot be referenced?)")

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxEncodeDepth {
		return errCycle
	}
	return nil
}

// ---- AMF0 ----

// ref0 writes a reference if x was written before, else registers it. A
// value past the U16 index range is written inline again, and so is one
// registered at or after the first XML document of the context unless
// the context numbers as Flash Player does (refOK0, digest §1.4): inline,
// it takes a new slot, as a reader registers it again. A value that
// contains itself there (still open) cannot be written inline: the
// reference is written, numbered as Flash Player numbers it.
func ref0[K comparable](e *encoder, m *map[K]int, x K) bool {
	if i := refIn(m, x, 0, &e.refs0); i >= 0 {
		if i <= 0xFFFF && (e.refOK0(i) || e.isOpen0(any(x))) {
			e.ref0(i)
			return true
		}
		(*m)[x] = e.refs0
		e.refs0++
	}
	return false
}

// push0 notes that x, just registered, is being written: when it was
// registered after an XML document whose slot is not to be referred to,
// a reference to it inside itself must still be written (see ref0). It
// reports whether pop0 is to be called after x.
func (e *encoder) push0(x any) bool {
	if e.xml0 == 0 || e.xmlRefs {
		return false
	}
	e.open0 = append(e.open0, x)
	return true
}

func (e *encoder) pop0() {
	e.open0[len(e.open0)-1] = nil
	e.open0 = e.open0[:len(e.open0)-1]
}

// isOpen0 reports whether x is being written (see push0).
func (e *encoder) isOpen0(x any) bool {
	for i := len(e.open0) - 1; i >= 0; i-- {
		if e.open0[i] == x {
			return true
		}
	}
	return false
}

func (e *encoder) members0(ms []Member) error {
	for i := range ms {
		m := &ms[i]
		if err := e.key0(m.Name); err != nil {
			return withSeg(err, m.Name)
		}
		if err := e.value0(m.Value); err != nil {
			return withSeg(err, m.Name)
		}
	}
	e.end0()
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
		e.putNull(AMF0)
	case Undefined:
		e.putUndefined(AMF0)
	case Unsupported:
		e.u8(m0Unsupported)
	case bool:
		e.putBool(AMF0, x)
	case float64:
		e.putDouble(AMF0, x)
	case Int:
		e.putDouble(AMF0, float64(x))
	case string:
		return e.putString0(x)
	case *Date:
		// A date or XML document that takes a slot is written as a
		// reference when it is met again (the same pointer).
		if e.dateSlot0() && ref0(e, &e.ids0.dates, x) {
			return nil
		}
		e.date0(x.Ms, x.TZ)
	case time.Time:
		e.date0(timeMs(x), 0)
		if e.dateSlot0() {
			e.refs0++
		}
	case *XML:
		if !x.Document {
			return e.avmplus(v)
		}
		if uint64(len(x.Text)) > math.MaxUint32 {
			return tooLong("XML text", int64(len(x.Text)), AMF0)
		}
		if e.m.profile.registersXML() {
			if ref0(e, &e.ids0.other, any(x)) {
				return nil
			}
			e.xmlSlot0()
		}
		return e.putXML(AMF0, x.Text, true)
	case *Object:
		if externalOnly(x) {
			return e.avmplus(v)
		}
		if ref0(e, &e.ids0.objs, x) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		if x.Class == "" {
			e.u8(m0Object)
		} else if err := e.typedObject0(x.Class); err != nil {
			return err
		}
		pushed := e.push0(x)
		if err := e.members0(x.Members); err != nil {
			return err
		}
		if pushed {
			e.pop0()
		}
		e.depth--
	case *ECMAArray:
		if ref0(e, &e.ids0.other, any(x)) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		if x.Count != nil {
			e.ecma0(*x.Count)
		} else {
			e.ecma0(uint32(len(x.Members)))
		}
		pushed := e.push0(x)
		if err := e.members0(x.Members); err != nil {
			return err
		}
		if pushed {
			e.pop0()
		}
		e.depth--
	case *Array:
		if len(x.Assoc) > 0 {
			return e.avmplus(v)
		}
		if ref0(e, &e.ids0.arrs, x) {
			return nil
		}
		if !e.push0(x) {
			return e.strict0(x.Dense)
		}
		err := e.strict0(x.Dense)
		e.pop0()
		return err
	case []any:
		e.refs0++
		return e.strict0(x)
	case map[string]any:
		e.refs0++
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
			e.putDouble(AMF0, n)
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
	if !e.strictHead0(len(items)) {
		return tooLong("array", int64(len(items)), AMF0)
	}
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
	e.switch0()
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

// ref3 writes an object reference if x was written before in this context
// (in this switch or an earlier one of the same AMF0 value), else
// registers it.
func ref3[K comparable](e *encoder, m *map[K]int, x K) bool {
	if i := refIn(m, x, 0, &e.objs); i >= 0 {
		e.u29(uint32(i) << 1)
		return true
	}
	return false
}

func (e *encoder) value3(v any) error {
	switch x := v.(type) {
	case nil:
		e.putNull(AMF3)
	case Undefined, Unsupported:
		e.putUndefined(AMF3)
	case bool:
		e.putBool(AMF3, x)
	case Int:
		e.int3(int64(x))
	case float64:
		e.putDouble(AMF3, x)
	case string:
		e.u8(m3String)
		return e.str3(x)
	case *Date:
		e.u8(m3Date)
		if ref3(e, &e.ids3.dates, x) {
			return nil
		}
		e.date3(x.Ms)
	case time.Time:
		e.objs++
		e.putDate(AMF3, timeMs(x), 0)
	case *XML:
		if x.Document {
			e.u8(m3XMLDocument)
		} else {
			e.u8(m3XML)
		}
		if ref3(e, &e.ids3.other, v) {
			return nil
		}
		return e.xml3(x.Text)
	case *ByteArray:
		e.u8(m3ByteArray)
		if ref3(e, &e.ids3.other, v) {
			return nil
		}
		return e.bytes3(x.Data)
	case []byte:
		e.u8(m3ByteArray)
		e.objs++
		return e.bytes3(x)
	case *ByteArrayStream:
		if !e.streams {
			return fmt.Errorf("%w: a ByteArrayStream is written through a Writer (Writer.WriteValue)", ErrUnencodable)
		}
		if err := e.canStream(); err != nil {
			return err
		}
		e.u8(m3ByteArray)
		if err := e.bytesHead(x.N); err != nil {
			return err
		}
		e.objs++
		e.streamBytes(x.R, x.N)
	case *Array:
		e.u8(m3Array)
		if ref3(e, &e.ids3.arrs, x) {
			return nil
		}
		return e.array3(x.Dense, x.Assoc)
	case []any:
		e.u8(m3Array)
		e.objs++
		return e.array3(x, nil)
	case *ECMAArray:
		e.u8(m3Array)
		if ref3(e, &e.ids3.other, v) {
			return nil
		}
		return e.array3(nil, x.Members)
	case *Object:
		e.u8(m3Object)
		if ref3(e, &e.ids3.objs, x) {
			return nil
		}
		return e.object3(x.Class, x.Members, x.Traits)
	case map[string]any:
		e.u8(m3Object)
		e.objs++
		start := e.pushMap(x)
		err := e.object3("", e.scratch[start:], nil)
		e.popMembers(start)
		return err
	case *Vector:
		e.u8(byte(x.Type))
		if ref3(e, &e.ids3.other, v) {
			return nil
		}
		return e.vector3(x)
	case *Dictionary:
		e.u8(m3Dictionary)
		if ref3(e, &e.ids3.other, v) {
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
			e.putDouble(AMF3, n)
			return nil
		}
		return fmt.Errorf("%w: Go type %T", ErrUnencodable, v)
	}
	return nil
}

func (e *encoder) bytes3(b []byte) error {
	if err := e.bytesHead(int64(len(b))); err != nil {
		return err
	}
	e.buf = append(e.buf, b...)
	return nil
}

func (e *encoder) array3(dense []any, assoc []Member) error {
	if err := e.enter(); err != nil {
		return err
	}
	if !e.count3(len(dense)) {
		return tooLong("array", int64(len(dense)), AMF3)
	}
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
		if err := e.dynName3(m.Name, e.depth, i); err != nil {
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
	if !e.count3(len(x.Entries)) {
		return tooLong("dictionary", int64(len(x.Entries)), AMF3)
	}
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
	switch x.Type {
	case VectorInt, VectorUint, VectorDouble, VectorObject:
	default:
		return fmt.Errorf("%w: vector type 0x%02x", ErrUnencodable, byte(x.Type))
	}
	n := x.Len()
	if !e.count3(n) {
		return tooLong("vector", int64(n), AMF3)
	}
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

// CanonicalTraits returns the traits the AMF3 encoder gives o when
// o.Traits is nil: an anonymous object is dynamic with no sealed members,
// an externalizable class this package writes is externalizable, and any
// other typed object seals its members in order.
func CanonicalTraits(o *Object) *Traits {
	dyn, ext := canonicalShape(o.Class)
	t := &Traits{Class: o.Class, Dynamic: dyn, Externalizable: ext}
	if !dyn && !ext {
		t.Sealed = make([]string, len(o.Members))
		for i, m := range o.Members {
			t.Sealed[i] = m.Name
		}
	}
	return t
}

// IsCanonicalTraits reports whether t is CanonicalTraits(o), without
// building it.
func IsCanonicalTraits(t *Traits, o *Object) bool {
	dyn, ext := canonicalShape(o.Class)
	if t.Class != o.Class || t.Dynamic != dyn || t.Externalizable != ext {
		return false
	}
	if dyn || ext {
		return len(t.Sealed) == 0
	}
	if len(t.Sealed) != len(o.Members) {
		return false
	}
	for i, s := range t.Sealed {
		if o.Members[i].Name != s {
			return false
		}
	}
	return true
}

func (e *encoder) object3(class string, members []Member, t *Traits) error {
	if err := e.enter(); err != nil {
		return err
	}
	var te traitEntry
	i := e.findTraits(class, members, t)
	if i >= 0 {
		te = e.traits[i-e.traitOff]
		e.traitsRef(i)
	} else if t != nil {
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
	if i < 0 {
		if err := e.putTraits(t, &te); err != nil {
			return err
		}
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

// GoInt reports whether v is a Go integer (int, int8...int64, uint,
// uint8...uint64) within the int64 range, and its value: the Go values
// the encoders write as integers. Other packages use it so that every
// path accepts the same Go values.
func GoInt(v any) (int64, bool) { return goInt(v) }

// GoNumber reports whether v is a Go number the encoders write as a
// double (any GoInt, float32, float64 or a type whose kind is float64,
// a uint64 beyond int64), and its value.
func GoNumber(v any) (float64, bool) { return goNumber(v) }

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

package amf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"time"
	"unicode/utf8"
)

const maxEncodeDepth = 10000

// encoder holds one encoding context: the output and the reference tables,
// mirroring what a decoder of the same context will build.
type encoder struct {
	m     *EncMode
	buf   []byte
	depth int

	refs0 map[any]int // AMF0 objects by identity
	n0    int         // AMF0 table length

	strs   map[string]int
	nStr   int
	objs   map[any]int
	nObj   int
	traits []traitEntry
	tByPtr map[*Traits]int
	tByCls map[string][]int

	// References below these indices were made in an earlier 0x11 switch
	// of the same AMF0 value and are not used (see EncOptions).
	strBase, objBase, traitBase int
}

type traitEntry struct {
	class        string
	sealed       []string
	dynamic, ext bool
}

func newEncoder(m *EncMode) *encoder {
	return &encoder{m: m}
}

// reset starts a new context, keeping the output.
func (e *encoder) reset() {
	clear(e.refs0)
	e.n0 = 0
	clear(e.strs)
	e.nStr = 0
	clear(e.objs)
	e.nObj = 0
	e.traits = e.traits[:0]
	clear(e.tByPtr)
	clear(e.tByCls)
	e.strBase, e.objBase, e.traitBase = 0, 0, 0
}

func (e *encoder) u8(b byte)     { e.buf = append(e.buf, b) }
func (e *encoder) u16(v uint16)  { e.buf = binary.BigEndian.AppendUint16(e.buf, v) }
func (e *encoder) u32(v uint32)  { e.buf = binary.BigEndian.AppendUint32(e.buf, v) }
func (e *encoder) f64(v float64) { e.buf = binary.BigEndian.AppendUint64(e.buf, math.Float64bits(v)) }

// AppendU29 appends the AMF3 variable-length encoding of v, which must be
// at most 2^29-1.
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
)

func (e *encoder) enter() error {
	e.depth++
	if e.depth > maxEncodeDepth {
		return errCycle
	}
	return nil
}

// ---- AMF0 ----

func (e *encoder) str0raw(s string) {
	if e.m.cesu8 {
		s = toCESU8(s)
	}
	e.u16(uint16(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) string0(s string) {
	if e.m.cesu8 {
		s = toCESU8(s)
	}
	if len(s) <= 0xFFFF {
		e.u8(m0String)
		e.u16(uint16(len(s)))
	} else {
		e.u8(m0LongString)
		e.u32(uint32(len(s)))
	}
	e.buf = append(e.buf, s...)
}

func (e *encoder) key0(s string) error {
	if len(s) > 0xFFFF {
		return errLongKey
	}
	e.str0raw(s)
	return nil
}

// ref0 writes a reference if v was written before, else registers it.
func (e *encoder) ref0(v any) bool {
	if i, ok := e.refs0[v]; ok && i <= 0xFFFF {
		e.u8(m0Reference)
		e.u16(uint16(i))
		return true
	}
	if e.refs0 == nil {
		e.refs0 = make(map[any]int)
	}
	e.refs0[v] = e.n0
	e.n0++
	return false
}

func (e *encoder) members0(ms []Member) error {
	for _, m := range ms {
		if err := e.key0(m.Name); err != nil {
			return withSeg(err, m.Name)
		}
		if err := e.value0(m.Value); err != nil {
			return withSeg(err, m.Name)
		}
	}
	e.buf = append(e.buf, 0, 0, m0ObjectEnd)
	return nil
}

// amf3Only reports whether v can only be written through the 0x11 switch.
func amf3Only(v any) bool {
	switch x := v.(type) {
	case *ByteArray, []byte, *Vector, *Dictionary:
		return true
	case *XML:
		return !x.Document
	case *Array:
		return len(x.Assoc) > 0
	case *Object:
		return (x.Traits != nil && x.Traits.Externalizable) || (x.Traits == nil && IsExternalizable(x.Class))
	}
	return false
}

func (e *encoder) value0(v any) error {
	if amf3Only(v) {
		return e.avmplus(v)
	}
	switch x := v.(type) {
	case nil:
		e.u8(m0Null)
	case Undefined:
		e.u8(m0Undefined)
	case Unsupported:
		e.u8(m0Unsupported)
	case bool:
		e.u8(m0Boolean)
		if x {
			e.u8(1)
		} else {
			e.u8(0)
		}
	case float64:
		e.u8(m0Number)
		e.f64(x)
	case Int:
		e.u8(m0Number)
		e.f64(float64(x))
	case string:
		e.string0(x)
	case *Date:
		e.u8(m0Date)
		e.f64(x.Ms)
		e.u16(uint16(x.TZ))
		if e.m.profile.registersDates() {
			e.n0++
		}
	case time.Time:
		e.u8(m0Date)
		e.f64(timeMs(x))
		e.u16(0)
		if e.m.profile.registersDates() {
			e.n0++
		}
	case *XML:
		e.u8(m0XMLDocument)
		e.u32(uint32(len(x.Text)))
		e.buf = append(e.buf, x.Text...)
		if e.m.profile.registersXML() {
			e.n0++
		}
	case *Object:
		if e.ref0(x) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		defer func() { e.depth-- }()
		if x.Class != "" {
			if len(x.Class) > 0xFFFF {
				return errLongKey
			}
			e.u8(m0TypedObject)
			e.str0raw(x.Class)
		} else {
			e.u8(m0Object)
		}
		return e.members0(x.Members)
	case *ECMAArray:
		if e.ref0(x) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		defer func() { e.depth-- }()
		e.u8(m0ECMAArray)
		if x.Count != nil {
			e.u32(*x.Count)
		} else {
			e.u32(uint32(len(x.Members)))
		}
		return e.members0(x.Members)
	case *Array:
		if e.ref0(x) {
			return nil
		}
		return e.strict0(x.Dense)
	case []any:
		e.n0++
		return e.strict0(x)
	case map[string]any:
		e.n0++
		if err := e.enter(); err != nil {
			return err
		}
		defer func() { e.depth-- }()
		e.u8(m0Object)
		return e.members0(sortedMembers(x))
	case AVMPlus:
		return e.avmplus(x.Value)
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
	defer func() { e.depth-- }()
	e.u8(m0StrictArray)
	e.u32(uint32(len(items)))
	for i, it := range items {
		if err := e.value0(it); err != nil {
			return withSeg(err, idxSeg(i))
		}
	}
	return nil
}

// avmplus writes v through the 0x11 switch.
func (e *encoder) avmplus(v any) error {
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()
	e.u8(m0AVMPlus)
	if !e.m.crossEscapeRefs {
		e.strBase, e.objBase, e.traitBase = e.nStr, e.nObj, len(e.traits)
	}
	return e.value3(v)
}

// ---- AMF3 ----

func (e *encoder) str3(s string) error {
	if s == "" {
		e.u8(0x01)
		return nil
	}
	if i, ok := e.strs[s]; ok && i >= e.strBase {
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
	e.nStr++
	return nil
}

// ref3 writes an object reference if v (a pointer) was written before in
// this context, else registers it.
func (e *encoder) ref3(v any) bool {
	if i, ok := e.objs[v]; ok && i >= e.objBase {
		e.u29(uint32(i) << 1)
		return true
	}
	if e.objs == nil {
		e.objs = make(map[any]int)
	}
	e.objs[v] = e.nObj
	e.nObj++
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
		if e.ref3(x) {
			return nil
		}
		e.u8(0x01)
		e.f64(x.Ms)
	case time.Time:
		e.u8(m3Date)
		e.nObj++
		e.u8(0x01)
		e.f64(timeMs(x))
	case *XML:
		if x.Document {
			e.u8(m3XMLDocument)
		} else {
			e.u8(m3XML)
		}
		if e.ref3(x) {
			return nil
		}
		if len(x.Text) > MaxInt {
			return errTooLong
		}
		e.u29(uint32(len(x.Text))<<1 | 1)
		e.buf = append(e.buf, x.Text...)
	case *ByteArray:
		e.u8(m3ByteArray)
		if e.ref3(x) {
			return nil
		}
		return e.bytes3(x.Data)
	case []byte:
		e.u8(m3ByteArray)
		e.nObj++
		return e.bytes3(x)
	case *Array:
		e.u8(m3Array)
		if e.ref3(x) {
			return nil
		}
		return e.array3(x.Dense, x.Assoc)
	case []any:
		e.u8(m3Array)
		e.nObj++
		return e.array3(x, nil)
	case *ECMAArray:
		e.u8(m3Array)
		if e.ref3(x) {
			return nil
		}
		return e.array3(nil, x.Members)
	case *Object:
		e.u8(m3Object)
		if e.ref3(x) {
			return nil
		}
		return e.object3(x)
	case map[string]any:
		e.u8(m3Object)
		e.nObj++
		return e.object3(&Object{Members: sortedMembers(x)})
	case *Vector:
		e.u8(byte(x.Type))
		if e.ref3(x) {
			return nil
		}
		return e.vector3(x)
	case *Dictionary:
		e.u8(m3Dictionary)
		if e.ref3(x) {
			return nil
		}
		if err := e.enter(); err != nil {
			return err
		}
		defer func() { e.depth-- }()
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
	defer func() { e.depth-- }()
	if len(dense) > MaxInt {
		return errTooLong
	}
	e.u29(uint32(len(dense))<<1 | 1)
	for _, m := range assoc {
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
	for i, it := range dense {
		if err := e.value3(it); err != nil {
			return withSeg(err, idxSeg(i))
		}
	}
	return nil
}

func (e *encoder) vector3(x *Vector) error {
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()
	n := x.Len()
	if n > MaxInt {
		return errTooLong
	}
	e.u29(uint32(n)<<1 | 1)
	if x.Fixed {
		e.u8(1)
	} else {
		e.u8(0)
	}
	switch x.Type {
	case VectorInt:
		for _, v := range x.Ints {
			e.u32(uint32(v))
		}
	case VectorUint:
		for _, v := range x.Uints {
			e.u32(v)
		}
	case VectorDouble:
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
	default:
		return fmt.Errorf("%w: vector type 0x%02x", ErrUnencodable, byte(x.Type))
	}
	return nil
}

// canonicalTraits reports the traits an object without explicit Traits has.
func canonicalShape(o *Object) (dynamic, ext bool) {
	if o.Class == "" {
		return true, false
	}
	if IsExternalizable(o.Class) {
		return false, true
	}
	return false, false
}

// findTraits looks the object's traits up in the table.
func (e *encoder) findTraits(o *Object) int {
	if t := o.Traits; t != nil {
		// Explicit traits are matched by identity only: a decoded object
		// whose traits came inline is written inline again, so decoded
		// data re-encodes to the same bytes.
		if i, ok := e.tByPtr[t]; ok && i >= e.traitBase {
			return i
		}
		return -1
	}
	dyn, ext := canonicalShape(o)
	for _, i := range e.tByCls[o.Class] {
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
		if len(te.sealed) != len(o.Members) {
			continue
		}
		same := true
		for j, name := range te.sealed {
			if o.Members[j].Name != name {
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
	e.tByCls[te.class] = append(e.tByCls[te.class], i)
	if t != nil {
		e.tByPtr[t] = i
	}
}

func (e *encoder) object3(o *Object) error {
	if err := e.enter(); err != nil {
		return err
	}
	defer func() { e.depth-- }()
	var te traitEntry
	if i := e.findTraits(o); i >= 0 {
		te = e.traits[i]
		e.u29(uint32(i)<<2 | 0x01)
	} else {
		if t := o.Traits; t != nil {
			te = traitEntry{t.Class, t.Sealed, t.Dynamic, t.Externalizable}
		} else {
			te.class = o.Class
			te.dynamic, te.ext = canonicalShape(o)
			if !te.dynamic && !te.ext {
				te.sealed = make([]string, len(o.Members))
				for j, m := range o.Members {
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
		e.addTraits(o.Traits, te)
	}
	if te.ext {
		return e.writeExternal(o)
	}
	if len(o.Members) < len(te.sealed) {
		return fmt.Errorf("%w: object of class %s has %d members but its traits seal %d", ErrUnencodable, quoteShort(o.Class, 60), len(o.Members), len(te.sealed))
	}
	for j, name := range te.sealed {
		m := o.Members[j]
		if m.Name != name {
			return fmt.Errorf("%w: member %d is %s but the traits name it %s", ErrUnencodable, j, quoteShort(m.Name, 30), quoteShort(name, 30))
		}
		if err := e.value3(m.Value); err != nil {
			return withSeg(err, name)
		}
	}
	rest := o.Members[len(te.sealed):]
	if !te.dynamic {
		if len(rest) > 0 {
			return fmt.Errorf("%w: member %s is not in the sealed traits of a non-dynamic object", ErrUnencodable, quoteShort(rest[0].Name, 30))
		}
		return nil
	}
	for _, m := range rest {
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

func (e *encoder) writeExternal(o *Object) error {
	if f := wrapperField(o.Class); f != "" {
		if len(o.Members) != 1 || o.Members[0].Name != f {
			return fmt.Errorf("%w: %s needs exactly one member %q", ErrUnencodable, o.Class, f)
		}
		return withSegErr(e.value3(o.Members[0].Value), f)
	}
	groups := smallGroups(o.Class)
	if groups == nil {
		return fmt.Errorf("%w %s", ErrUnknownExternalizable, quoteShort(o.Class, 60))
	}
	// Place every member in its group, flag byte and bit.
	type slot struct{ g, b, bit int }
	placed := make([]slot, len(o.Members))
	for j, m := range o.Members {
		found := false
		for g, names := range groups {
			for b, bits := range names {
				if k := slices.Index(bits, m.Name); k >= 0 {
					placed[j] = slot{g, b, k}
					found = true
				}
			}
		}
		if !found {
			g, b, bit, ok := parseUnknownField(m.Name)
			if !ok || g >= len(groups) {
				return fmt.Errorf("%w: %s has no field %s", ErrUnencodable, o.Class, quoteShort(m.Name, 30))
			}
			placed[j] = slot{g, b, bit}
		}
	}
	for g := range groups {
		nbytes := 1
		for _, p := range placed {
			if p.g == g && p.b+1 > nbytes {
				nbytes = p.b + 1
			}
		}
		flags := make([]byte, nbytes)
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
						if err := e.value3(o.Members[j].Value); err != nil {
							return withSeg(err, o.Members[j].Name)
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

func sortedMembers(m map[string]any) []Member {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Member, len(keys))
	for i, k := range keys {
		out[i] = Member{k, m[k]}
	}
	return out
}

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

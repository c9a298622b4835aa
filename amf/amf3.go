package amf

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// AMF3 markers.
const (
	m3Undefined    = 0x00
	m3Null         = 0x01
	m3False        = 0x02
	m3True         = 0x03
	m3Integer      = 0x04
	m3Double       = 0x05
	m3String       = 0x06
	m3XMLDocument  = 0x07
	m3Date         = 0x08
	m3Array        = 0x09
	m3Object       = 0x0A
	m3XML          = 0x0B
	m3ByteArray    = 0x0C
	m3VectorInt    = 0x0D
	m3VectorUint   = 0x0E
	m3VectorDouble = 0x0F
	m3VectorObject = 0x10
	m3Dictionary   = 0x11
)

// maxU29 is the largest value a U29 can hold.
const maxU29 = 1<<29 - 1

func (d *decoder) u29() (uint32, error) {
	data, off := d.data, d.off
	if off < len(data) && data[off] < 0x80 {
		d.off++
		return uint32(data[off]), nil
	}
	var v uint32
	for i := 0; i < 3; i++ {
		if off >= len(data) {
			return 0, d.eof(AMF3)
		}
		b := data[off]
		off++
		if b < 0x80 {
			d.off = off
			return v<<7 | uint32(b), nil
		}
		v = v<<7 | uint32(b&0x7F)
	}
	if off >= len(data) {
		return 0, d.eof(AMF3)
	}
	b := data[off]
	d.off = off + 1
	return v<<8 | uint32(b), nil
}

func (d *decoder) register3(v any) error {
	if len(d.objs) >= d.m.maxRefs {
		return d.fail(AMF3, d.off, &MaxReferencesError{d.m.maxRefs})
	}
	d.objs = append(d.objs, v)
	return nil
}

func (d *decoder) objRef(off int, u uint32) (any, error) {
	i := int(u >> 1)
	if i >= len(d.objs) {
		return nil, d.fail(AMF3, off, &refError{"object", i, len(d.objs)})
	}
	return d.objs[i], nil
}

// str3 reads a UTF-8-vr: a string reference or an inline string, which
// joins the string table when it is not empty.
func (d *decoder) str3() (string, error) {
	s, _, err := d.str3idx()
	return s, err
}

// str3idx also returns the string's table index (-1 for "").
func (d *decoder) str3idx() (string, int, error) {
	off := d.off
	// Fast path: a reference to one of the first 64 strings.
	if off < len(d.data) {
		if b := d.data[off]; b < 0x80 && b&1 == 0 && int(b>>1) < len(d.strs) {
			d.off++
			if int(b>>1) < d.strBase {
				d.crossRefs = true
			}
			return d.strs[b>>1].(string), int(b >> 1), nil
		}
	}
	u, err := d.u29()
	if err != nil {
		return "", -1, err
	}
	if u&1 == 0 {
		i := int(u >> 1)
		if i >= len(d.strs) {
			return "", -1, d.fail(AMF3, off, &refError{"string", i, len(d.strs)})
		}
		if i < d.strBase {
			d.crossRefs = true
		}
		return d.strs[i].(string), i, nil
	}
	n := int64(u >> 1)
	if n == 0 {
		return "", -1, nil
	}
	if err := d.checkLen(AMF3, off, n); err != nil {
		return "", -1, err
	}
	if len(d.strs) >= d.m.maxRefs {
		return "", -1, d.fail(AMF3, off, &MaxReferencesError{d.m.maxRefs})
	}
	s, err := d.text(AMF3, d.off, d.data[d.off:d.off+int(n)])
	if err != nil {
		return "", -1, err
	}
	d.off += int(n)
	d.strs = append(d.strs, s)
	return s, len(d.strs) - 1, nil
}

// strValue reads a string value; table entries are boxed already.
func (d *decoder) strValue() (any, error) {
	_, i, err := d.str3idx()
	if err != nil {
		return nil, err
	}
	if i < 0 {
		return "", nil
	}
	return d.strs[i], nil
}

func (d *decoder) value3() (any, error) {
	start := d.off
	if start >= len(d.data) {
		return nil, d.eof(AMF3)
	}
	m := d.data[start]
	d.off++
	switch m {
	case m3Undefined:
		return Undefined{}, nil
	case m3Null:
		return nil, nil
	case m3False:
		return false, nil
	case m3True:
		return true, nil
	case m3Integer:
		u, err := d.u29()
		if err != nil {
			return nil, err
		}
		return boxInt(Int(int32(u<<3) >> 3)), nil
	case m3Double:
		return d.number(AMF3)
	case m3String:
		return d.strValue()
	case m3XMLDocument, m3XML:
		return d.xml3(m == m3XMLDocument)
	case m3Date:
		off := d.off
		u, err := d.u29()
		if err != nil {
			return nil, err
		}
		if u&1 == 0 {
			return d.objRef(off, u)
		}
		ms, err := d.f64(AMF3)
		if err != nil {
			return nil, err
		}
		dt := d.newDate(ms, 0)
		if err := d.register3(dt); err != nil {
			return nil, err
		}
		return dt, nil
	case m3Array:
		return d.array3()
	case m3Object:
		return d.object3()
	case m3ByteArray:
		off := d.off
		u, err := d.u29()
		if err != nil {
			return nil, err
		}
		if u&1 == 0 {
			return d.objRef(off, u)
		}
		n := int64(u >> 1)
		if err := d.checkLen(AMF3, off, n); err != nil {
			return nil, err
		}
		// One fresh copy, not zeroed first (BenchmarkCopyBaseline).
		b := &ByteArray{Data: append([]byte{}, d.data[d.off:d.off+int(n)]...)}
		d.off += int(n)
		if err := d.register3(b); err != nil {
			return nil, err
		}
		return b, nil
	case m3VectorInt, m3VectorUint, m3VectorDouble, m3VectorObject:
		return d.vector3(m)
	case m3Dictionary:
		return d.dict3()
	}
	return nil, d.fail(AMF3, start, fmt.Errorf("%w 0x%02x", ErrBadMarker, m))
}

func (d *decoder) xml3(doc bool) (any, error) {
	off := d.off
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if u&1 == 0 {
		return d.objRef(off, u)
	}
	n := int64(u >> 1)
	if err := d.checkLen(AMF3, off, n); err != nil {
		return nil, err
	}
	s, err := d.text(AMF3, d.off, d.data[d.off:d.off+int(n)])
	if err != nil {
		return nil, err
	}
	d.off += int(n)
	x := &XML{Text: s, Document: doc}
	if err := d.register3(x); err != nil {
		return nil, err
	}
	return x, nil
}

// assoc3 reads name/value pairs up to the empty name onto the scratch
// stack, above start: the associative part of an array and the dynamic
// members of an object.
func (d *decoder) assoc3(start int) error {
	for {
		keyOff := d.off
		k, err := d.str3()
		if err != nil {
			return err
		}
		if k == "" {
			return nil
		}
		if len(d.scratch)-start >= d.m.maxElements {
			return d.tooMany(AMF3, keyOff, len(d.scratch)-start)
		}
		v, err := d.value3()
		if err != nil {
			return withSeg(err, k)
		}
		d.scratch = append(d.scratch, Member{k, v})
	}
}

func (d *decoder) array3() (any, error) {
	off := d.off
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if u&1 == 0 {
		return d.objRef(off, u)
	}
	if err := d.enter(AMF3, off); err != nil {
		return nil, err
	}
	n := int64(u >> 1)
	a := d.newArray()
	if err := d.register3(a); err != nil {
		return nil, err
	}
	start := len(d.scratch)
	if err := d.assoc3(start); err != nil {
		d.popScratch(start)
		return nil, err
	}
	a.Assoc = d.members(start)
	if err := d.checkCount(AMF3, off, n, 1); err != nil {
		return nil, err
	}
	if a.Dense, err = d.denseItems(int(n), d.value3); err != nil {
		return nil, err
	}
	d.depth--
	return a, nil
}

func (d *decoder) object3() (any, error) {
	off := d.off
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if u&1 == 0 {
		return d.objRef(off, u)
	}
	if err := d.enter(AMF3, off); err != nil {
		return nil, err
	}
	var t *Traits
	switch {
	case u&2 == 0:
		i := int(u >> 2)
		if i >= len(d.traits) {
			return nil, d.fail(AMF3, off, &refError{"traits", i, len(d.traits)})
		}
		if i < d.traitBase {
			d.crossRefs = true
		}
		t = d.traits[i]
	case u&4 != 0:
		c, err := d.str3()
		if err != nil {
			return nil, err
		}
		t = &Traits{Class: c, Externalizable: true}
		if err := d.addTraits(off, t); err != nil {
			return nil, err
		}
	default:
		n := int64(u >> 4)
		c, err := d.str3()
		if err != nil {
			return nil, err
		}
		if err := d.checkCount(AMF3, off, n, 1); err != nil {
			return nil, err
		}
		t = &Traits{Class: c, Dynamic: u&8 != 0}
		if n > 0 {
			t.Sealed = make([]string, 0, min(n, 64))
		}
		for i := 0; i < int(n); i++ {
			s, err := d.str3()
			if err != nil {
				return nil, err
			}
			t.Sealed = append(t.Sealed, s)
		}
		if err := d.addTraits(off, t); err != nil {
			return nil, err
		}
	}
	o := d.newObject()
	o.Class = t.Class
	o.Traits = t
	if err := d.register3(o); err != nil {
		return nil, err
	}
	if t.Externalizable {
		if err := d.readExternal(off, o); err != nil {
			return nil, err
		}
		d.depth--
		return o, nil
	}
	start := len(d.scratch)
	for _, name := range t.Sealed {
		v, err := d.value3()
		if err != nil {
			d.popScratch(start)
			return nil, withSeg(err, name)
		}
		d.scratch = append(d.scratch, Member{name, v})
	}
	if t.Dynamic {
		if err := d.assoc3(start); err != nil {
			d.popScratch(start)
			return nil, err
		}
	}
	o.Members = d.members(start)
	d.depth--
	return o, nil
}

func (d *decoder) addTraits(off int, t *Traits) error {
	if len(d.traits) >= d.m.maxRefs {
		return d.fail(AMF3, off, &MaxReferencesError{d.m.maxRefs})
	}
	d.traits = append(d.traits, t)
	return nil
}

func (d *decoder) vector3(m byte) (any, error) {
	off := d.off
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if u&1 == 0 {
		return d.objRef(off, u)
	}
	if err := d.enter(AMF3, off); err != nil {
		return nil, err
	}
	n := int(u >> 1)
	fixed, err := d.u8(AMF3)
	if err != nil {
		return nil, err
	}
	v := &Vector{Type: VectorType(m), Fixed: fixed != 0}
	if err := d.register3(v); err != nil {
		return nil, err
	}
	switch m {
	case m3VectorInt, m3VectorUint:
		if err := d.checkCount(AMF3, off, int64(n), 4); err != nil {
			return nil, err
		}
		src := d.data[d.off : d.off+4*n]
		if m == m3VectorInt {
			v.Ints = make([]int32, n)
			for i := range v.Ints {
				v.Ints[i] = int32(binary.BigEndian.Uint32(src[4*i:]))
			}
		} else {
			v.Uints = make([]uint32, n)
			for i := range v.Uints {
				v.Uints[i] = binary.BigEndian.Uint32(src[4*i:])
			}
		}
		d.off += 4 * n
	case m3VectorDouble:
		if err := d.checkCount(AMF3, off, int64(n), 8); err != nil {
			return nil, err
		}
		src := d.data[d.off : d.off+8*n]
		v.Doubles = make([]float64, n)
		for i := range v.Doubles {
			v.Doubles[i] = math.Float64frombits(binary.BigEndian.Uint64(src[8*i:]))
		}
		d.off += 8 * n
	default:
		s, err := d.str3()
		if err != nil {
			return nil, err
		}
		v.ObjectType = s
		if err := d.checkCount(AMF3, off, int64(n), 1); err != nil {
			return nil, err
		}
		if v.Objects, err = d.denseItems(n, d.value3); err != nil {
			return nil, err
		}
	}
	d.depth--
	return v, nil
}

func (d *decoder) dict3() (any, error) {
	off := d.off
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if u&1 == 0 {
		return d.objRef(off, u)
	}
	if err := d.enter(AMF3, off); err != nil {
		return nil, err
	}
	n := int(u >> 1)
	weak, err := d.u8(AMF3)
	if err != nil {
		return nil, err
	}
	if err := d.checkCount(AMF3, off, int64(n), 2); err != nil {
		return nil, err
	}
	dict := &Dictionary{WeakKeys: weak != 0}
	if err := d.register3(dict); err != nil {
		return nil, err
	}
	start := len(d.escratch)
	for i := 0; i < n; i++ {
		k, err := d.value3()
		if err != nil {
			d.popEntries(start)
			return nil, withSeg(err, idxSeg(i))
		}
		v, err := d.value3()
		if err != nil {
			d.popEntries(start)
			return nil, withSeg(err, idxSeg(i))
		}
		d.escratch = append(d.escratch, DictEntry{k, v})
	}
	dict.Entries = slices.Clone(d.escratch[start:])
	if dict.Entries == nil {
		dict.Entries = []DictEntry{}
	}
	d.popEntries(start)
	d.depth--
	return dict, nil
}

func (d *decoder) popEntries(start int) {
	clear(d.escratch[start:])
	d.escratch = d.escratch[:start]
}

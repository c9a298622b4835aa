package amf

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// Scalar is a scalar value, with its member name when it is a member,
// as [Reader.ReadScalars] gives it: the fields of the [Token] (or the two
// tokens, name and value) that NextToken would return which say what it
// is, not where it stands, so that a run of them is written and read
// cheaply. A Scalar of KindName is a name whose value is not a scalar:
// NextToken reads that value. Only the fields of its Kind are set: Bool
// (KindBool), Int (KindInt), Float (KindDouble, KindDate), Bytes and
// StrIndex (KindString, KindName); Name and NameIndex when Named.
type Scalar struct {
	Kind     Kind
	Bool     bool
	Named    bool  // Name and NameIndex are set: a member
	StrIndex int32 // Token.StrIndex of a string, or of a KindName
	Int      int64
	Float    float64 // also a date's milliseconds
	Bytes    []byte  // a string's or lone name's bytes, borrowed as Token.Bytes
	// the member name, borrowed as Token.Bytes, and its StrIndex
	Name      []byte
	NameIndex int32
}

// ReadScalars reads into dst, as [Reader.NextToken] would one token at a
// time, what comes next inside the innermost array, vector or object
// while it is scalar values (undefined, null, booleans, numbers, strings
// of the AMF3 table or short AMF0 ones, AMF3 dates) and member names: a
// member whose value is a scalar is one Scalar, and a run may end with a
// name whose value is not (Kind KindName). It stops before anything else
// (a complex value, a reference, the end of the value, an error) and when
// dst is full, and returns how many it read; the Reader's state is then
// as after the same tokens read with NextToken (a date takes its slot in
// the object table). A return of 0 says to call NextToken, which reads
// every kind of token and reports every error.
//
// It is the hot path of converters: one call for a run of members and
// items, each a small Scalar. Bytes are borrowed as NextToken's, valid
// until the next call on r. A stream Reader, and a Reader that is not
// inside an array, vector or object (at the top level, after an error,
// in a value read again), reads none.
func (r *Reader) ReadScalars(dst []Scalar) int {
	if r.err != nil || r.src != nil || len(r.stack) == 0 || len(dst) == 0 {
		return 0
	}
	f := &r.stack[len(r.stack)-1]
	switch f.kind {
	case fDense3, fVecObj3:
		return r.items3(f, dst)
	case fVecNum3:
		return r.vecNums(f, dst)
	case fStrict0:
		n := 0
		for n < len(dst) && f.i < f.n && r.scalar0(&dst[n]) {
			f.i++
			n++
		}
		return n
	case fDynamic3, fAssoc3, fSealed3:
		return r.members3(f, dst)
	case fObj0:
		return r.members0(f, dst)
	}
	return 0
}

// items3 reads the items of an AMF3 array's dense part or a
// Vector.<Object>, with the commonest (a small integer, a string
// reference) read in line.
func (r *Reader) items3(f *frame, dst []Scalar) int {
	n := 0
	data := r.data
	for n < len(dst) && f.i < f.n {
		d := &dst[n]
		if off := r.off; off+2 < len(data) {
			// A U29 in one or two bytes.
			u, k := uint32(data[off+1]), 2
			if u >= 0x80 {
				if c := data[off+2]; c < 0x80 {
					u, k = (u&0x7F)<<7|uint32(c), 3
				} else {
					k = 0
				}
			}
			switch data[off] {
			case m3Integer:
				if k != 0 {
					d.Kind, d.Named, d.Int = KindInt, false, int64(u)
					r.off = off + k
					f.i++
					n++
					continue
				}
			case m3String:
				if k != 0 && u&1 == 0 && int(u>>1) < len(r.strs) {
					d.Kind, d.Named, d.Bytes, d.StrIndex = KindString, false, r.strs[u>>1].b, int32(u>>1)+1
					r.off = off + k
					f.i++
					n++
					continue
				}
			}
		}
		if !r.scalar3(d) {
			break
		}
		f.i++
		n++
	}
	return n
}

// members3 reads the members of an AMF3 object or associative part:
// each name with its value when that is a scalar.
func (r *Reader) members3(f *frame, dst []Scalar) int {
	n := 0
	data := r.data
	if f.expect {
		// The value of a name NextToken returned.
		if !r.scalar3(&dst[0]) {
			return 0
		}
		f.expect = false
		n++
	}
	for n < len(dst) {
		d := &dst[n]
		// The name: a reference in one or two bytes in line.
		var k []byte
		var si int
		if off := r.off; off+1 < len(data) && f.kind != fSealed3 && f.elems < r.m.maxElements {
			u, w := uint32(data[off]), 1
			if u >= 0x80 {
				if c := data[off+1]; c < 0x80 {
					u, w = (u&0x7F)<<7|uint32(c), 2
				} else {
					w = 0
				}
			}
			if w != 0 && u&1 == 0 && int(u>>1) < len(r.strs) {
				k, si = r.strs[u>>1].b, int(u>>1)+1
				r.off = off + w
				f.elems++
				f.name = k
				f.expect = true
			} else if u == 1 && w == 1 {
				break // the empty name: the end (or the dense part), read by next
			} else if !r.name3(f, &k, &si) {
				break
			}
		} else if !r.name3(f, &k, &si) {
			break
		}
		// Its value: the commonest in line.
		ok := false
		if off := r.off; off+2 < len(data) {
			switch m := data[off]; m {
			case m3Integer, m3String:
				u, w := uint32(data[off+1]), 2
				if u >= 0x80 {
					if c := data[off+2]; c < 0x80 {
						u, w = (u&0x7F)<<7|uint32(c), 3
					} else {
						w = 0
					}
				}
				if w == 0 {
					break
				}
				if m == m3Integer {
					d.Kind, d.Int = KindInt, int64(u)
					r.off, ok = off+w, true
				} else if u&1 == 0 && int(u>>1) < len(r.strs) {
					d.Kind, d.Bytes, d.StrIndex = KindString, r.strs[u>>1].b, int32(u>>1)+1
					r.off, ok = off+w, true
				}
			case m3Null:
				d.Kind = KindNull
				r.off, ok = off+1, true
			case m3False, m3True:
				d.Kind, d.Bool = KindBool, m == m3True
				r.off, ok = off+1, true
			case m3Double:
				if off+9 <= len(data) {
					d.Kind, d.Float = KindDouble, math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
					r.off, ok = off+9, true
				}
			}
		}
		if !ok && !r.scalar3(d) {
			// A lone name: NextToken reads its value.
			d.Kind, d.Named, d.Bytes, d.StrIndex = KindName, false, k, int32(si)
			return n + 1
		}
		f.expect = false
		d.Named, d.Name, d.NameIndex = true, k, int32(si)
		n++
	}
	return n
}

// members0 is members3 for an AMF0 object or ECMA array.
func (r *Reader) members0(f *frame, dst []Scalar) int {
	n := 0
	if f.expect {
		if !r.scalar0(&dst[0]) {
			return 0
		}
		f.expect = false
		n++
	}
	for n < len(dst) {
		d := &dst[n]
		k, ok := r.name0(f)
		if !ok {
			break
		}
		if !r.scalar0(d) {
			d.Kind, d.Named, d.Bytes, d.StrIndex = KindName, false, k, 0
			return n + 1
		}
		f.expect = false
		d.Named, d.Name, d.NameIndex = true, k, 0
		n++
	}
	return n
}

// name3 reads the next member name of f, an AMF3 object or associative
// part, as next would, into k and si; it reads nothing and reports false
// for the end of the members or anything next would report an error for.
func (r *Reader) name3(f *frame, k *[]byte, si *int) bool {
	if f.kind == fSealed3 {
		if f.i >= len(f.tr.t.Sealed) {
			if !f.tr.t.Dynamic {
				return false // the end, read by next
			}
			// The dynamic members, as next goes on to them.
			f.kind = fDynamic3
			return r.name3(f, k, si)
		}
		name := f.tr.t.Sealed[f.i]
		*si = f.tr.sealedIdx[f.i]
		f.i++
		f.elems++
		nb := unsafe.Slice(unsafe.StringData(name), len(name))
		f.name = nb
		f.expect = true
		*k = nb
		return true
	}
	if f.elems >= r.m.maxElements {
		return false // the end, or the error next reports
	}
	keyOff := r.off
	b, i, err := r.str3()
	if err != nil || len(b) == 0 {
		// An error, or the empty name that ends the members or the
		// associative part (it never joins the table): next reads it
		// again.
		r.off = keyOff
		return false
	}
	f.elems++
	f.name = b
	f.expect = true
	*k, *si = b, i
	return true
}

// scalar3 reads a common AMF3 scalar at r.off into t, as value3 would
// inside an array or object; it reads nothing and reports false for
// anything else, and for anything value3 would report an error for.
func (r *Reader) scalar3(t *Scalar) bool {
	off := r.off
	data := r.data
	if off >= len(data) {
		return false
	}
	switch m := data[off]; m {
	case m3Undefined:
		*t = Scalar{Kind: KindUndefined}
		r.off = off + 1
	case m3Null:
		*t = Scalar{Kind: KindNull}
		r.off = off + 1
	case m3False, m3True:
		*t = Scalar{Kind: KindBool, Bool: m == m3True}
		r.off = off + 1
	case m3Integer:
		if off+1 < len(data) && data[off+1] < 0x80 {
			*t = Scalar{Kind: KindInt, Int: int64(data[off+1])}
			r.off = off + 2
			return true
		}
		r.off = off + 1
		u, err := r.u29()
		if err != nil {
			r.off = off
			return false
		}
		*t = Scalar{Kind: KindInt, Int: int64(int32(u<<3) >> 3)}
	case m3Double:
		if len(data)-off < 9 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
		*t = Scalar{Kind: KindDouble, Float: x}
		r.off = off + 9
	case m3String:
		r.off = off + 1
		var b []byte
		var si int
		if i, ok := r.strRef1(); ok {
			b, si = r.strs[i].b, i+1
		} else {
			var err error
			if b, si, err = r.str3(); err != nil {
				r.off = off
				return false
			}
		}
		*t = Scalar{Kind: KindString, Bytes: b, StrIndex: int32(si)}
	case m3Date:
		// Inline (0x01) and whole: a reference is left to next.
		if len(data)-off < 10 || data[off+1] != 0x01 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+2:]))
		r.off = off + 10
		if _, err := r.register(AMF3, &r.objs, off); err != nil {
			r.off = off
			return false
		}
		*t = Scalar{Kind: KindDate, Float: x}
	default:
		return false
	}
	return true
}

// vecNums reads items of a Vector.<int>, Vector.<uint> or
// Vector.<Number> into dst.
func (r *Reader) vecNums(f *frame, dst []Scalar) int {
	size := 4
	if f.vt == m3VectorDouble {
		size = 8
	}
	n := min(len(dst), f.n-f.i, (len(r.data)-r.off)/size)
	for k := 0; k < n; k++ {
		off := r.off
		switch f.vt {
		case m3VectorInt:
			dst[k] = Scalar{Kind: KindInt, Int: int64(int32(binary.BigEndian.Uint32(r.data[off:])))}
		case m3VectorUint:
			dst[k] = Scalar{Kind: KindInt, Int: int64(binary.BigEndian.Uint32(r.data[off:]))}
		default:
			dst[k] = Scalar{Kind: KindDouble, Float: math.Float64frombits(binary.BigEndian.Uint64(r.data[off:]))}
		}
		r.off = off + size
	}
	f.i += n
	return n
}

// name0 reads the next key of f, an AMF0 object or ECMA array, as next
// would; it reads nothing and reports false for the end of the object
// and for anything next would report an error for.
func (r *Reader) name0(f *frame) ([]byte, bool) {
	keyOff := r.off
	data := r.data
	if len(data)-keyOff < 3 || f.elems >= r.m.maxElements {
		return nil, false
	}
	n := int(binary.BigEndian.Uint16(data[keyOff:]))
	end := keyOff + 2 + n
	if n == 0 || end >= len(data) || n > r.m.maxLength || data[end] == m0ObjectEnd {
		// The end of the object (or an error), read by next.
		return nil, false
	}
	k := data[keyOff+2 : end : end]
	r.off = end
	f.elems++
	f.name = k
	f.expect = true
	return k, true
}

// scalar0 reads a common AMF0 scalar at r.off into t, as value0 would
// inside an array or object; it reads nothing and reports false for
// anything else, and for anything value0 would report an error for.
func (r *Reader) scalar0(t *Scalar) bool {
	off := r.off
	data := r.data
	if off >= len(data) {
		return false
	}
	switch m := data[off]; m {
	case m0Number:
		if len(data)-off < 9 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
		*t = Scalar{Kind: KindDouble, Float: x}
		r.off = off + 9
	case m0Boolean:
		if len(data)-off < 2 {
			return false
		}
		*t = Scalar{Kind: KindBool, Bool: data[off+1] != 0}
		r.off = off + 2
	case m0String:
		if len(data)-off < 3 {
			return false
		}
		n := int(binary.BigEndian.Uint16(data[off+1:]))
		end := off + 3 + n
		if end > len(data) || n > r.m.maxLength {
			return false
		}
		*t = Scalar{Kind: KindString, Bytes: data[off+3 : end : end]}
		r.off = end
	case m0Null:
		*t = Scalar{Kind: KindNull}
		r.off = off + 1
	case m0Undefined:
		*t = Scalar{Kind: KindUndefined}
		r.off = off + 1
	default:
		return false
	}
	return true
}

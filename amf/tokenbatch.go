package amf

import (
	"encoding/binary"
	"math"
	"unsafe"
)

// BatchToken is a token as [Reader.ReadBatch] gives it: the fields of
// the [Token] (or the two tokens, member name and value) that NextToken
// would return which say what it is, not where it stands, so that a run
// of them is written and read cheaply. Only the fields of its Kind are
// set: Bool (KindBool), Int (KindInt), Float (KindDouble, KindDate),
// StrIndex (KindString, KindName; the bytes are [Reader.BatchBytes]);
// Version, Index, Traits and Assoc (a complex value's start:
// KindObject, KindECMAArray, KindArray, KindVector); NameIndex when
// Named (the name is [Reader.BatchName]).
//
// It holds no slice: the bytes of a string or a name are in the
// Reader's string table (an index above 0) or in its input (where the
// token says), so that a token is 64 bytes written without write
// barriers.
type BatchToken struct {
	Kind    Kind
	Version Version
	Bool    bool
	Named   bool // a member: NameIndex and BatchName are its name
	Assoc   bool // Token.Assoc
	// Again says that the name of a member of Slot (above 0) is the name
	// of the last member ReadBatch gave with that Slot since the Reader
	// was reset; Slot stands for a place of an AMF0 member (its depth and
	// its position in its object), which AMF0 names, written inline,
	// lack. A writer that sees every token of the Reader can keep the
	// text of the last name of each Slot and write it again when Again,
	// without reading the name. Every Named token of NameIndex 0 sets
	// Slot (0: none), and Again when Slot is above 0.
	Again bool
	Slot  uint16
	// Token.StrIndex of a string or a KindName; 0 (and the bytes where
	// the token says) for one past the table's first 65,536 entries
	StrIndex  int32
	Index     int32 // Token.Index of a complex value
	NameIndex int32 // the StrIndex of a member's name (0 past 65,536 too)
	// where the bytes of a string or a name of StrIndex 0, and of a name
	// of NameIndex 0, are in the input
	at, n, nameAt, nameN uint32
	Int                  int64
	Float                float64 // also a date's milliseconds
	Traits               *Traits // Token.Traits
}

// BatchBytes returns the bytes of t, a string or a name (KindString,
// KindName) that [Reader.ReadBatch] read, borrowed as Token.Bytes: valid
// until the next call on r.
func (r *Reader) BatchBytes(t *BatchToken) []byte {
	if t.StrIndex > 0 {
		// (Within r.strs: see batchIdx.)
		return r.sb(r.strs[t.StrIndex-1])
	}
	return r.data[t.at : t.at+t.n : t.at+t.n]
}

// BatchName returns the name of t, a member (Named) that
// [Reader.ReadBatch] read, borrowed as BatchBytes.
func (r *Reader) BatchName(t *BatchToken) []byte {
	if t.NameIndex > 0 {
		return r.sb(r.strs[t.NameIndex-1])
	}
	return r.data[t.nameAt : t.nameAt+t.nameN : t.nameAt+t.nameN]
}

// batchIdx returns what a BatchToken says of a string of table index
// si-1 (si from str3 or a traits' sealedIdx): si, or 0 and where its
// bytes are in the input when it is past r.strs (in r.big), so that
// BatchBytes and BatchName, small enough to be inlined, read r.strs
// only. ReadBatch reads a Reader over bytes, whose table strings are in
// r.data.
func (r *Reader) batchIdx(si int) (int32, uint32, uint32) {
	if si <= len(r.strs) {
		return int32(si), 0, 0
	}
	b := r.strAt(si - 1)
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b))) - uintptr(unsafe.Pointer(unsafe.SliceData(r.data)))
	return 0, uint32(at), uint32(len(b))
}

// ReadBatch reads into dst, as [Reader.NextToken] would one token at a
// time, the tokens that come next while they are of the common shapes
// inside arrays, vectors and objects: scalar values (undefined, null,
// booleans, numbers, strings of the AMF3 table or short AMF0 ones, AMF3
// dates and AMF0 dates in UTC), member names, and the starts and ends of objects, ECMA arrays,
// arrays without an associative part and vectors. A member whose value is
// a scalar or a start is one BatchToken (Named); a run may end with a name
// alone (Kind KindName) whose value is left to NextToken. It stops before
// anything else (a reference, a switch, a Flex wrapper, an associative
// part, a dictionary, a value of the top level) and when dst is full, and
// returns how many it read; the Reader's state is then as after the same
// tokens read with NextToken (the tables included; what a frame holds
// that nothing reads may differ, such as the name of a member already
// read, or an object of traits without sealed members on its dynamic
// members before the first). A return of 0 says to
// call NextToken, which reads every kind of token. An error met reading a
// start ends the batch; NextToken then returns it.
//
// It is the hot path of converters: one call for many tokens, each a
// small BatchToken. The bytes of strings and names ([Reader.BatchBytes],
// [Reader.BatchName]) are borrowed as NextToken's, valid until the next
// call on r. A stream Reader reads none, nor one reading a value again
// through a reference ([Reader.Replay]), nor one over more than 4 GiB
// (a BatchToken's offsets are 32 bits).
func (r *Reader) ReadBatch(dst []BatchToken) int {
	if r.err != nil || r.src != nil || r.replay != 0 || uint64(len(r.data)) > math.MaxUint32 || r.strOff+r.traitOff > 0 {
		// A value read again through a reference goes a token at a
		// time: its containers may be ones being read already (a
		// cycle), which the caller checks at each start. (Offsets in a
		// BatchToken are 32 bits. Its runs index the string and traits
		// tables as the bytes do: not once FreshSwitches let entries
		// go.)
		return 0
	}
	n := 0
	for n < len(dst) && len(r.stack) > 0 {
		top := len(r.stack)
		f := &r.stack[top-1]
		switch f.kind {
		case fDense3, fVecObj3:
			if f.ahead {
				return n
			}
			if f.kind == fDense3 {
				if k := r.run3(dst[n:]); k > 0 {
					n += k
					continue // on from where the run stopped
				}
			}
			n += r.items3(f, dst[n:])
		case fVecNum3:
			n += r.vecNums(f, dst[n:])
		case fStrict0:
			if k := r.run0(dst[n:]); k > 0 {
				n += k
				continue // on from where the run stopped
			}
			for n < len(dst) && f.i < f.n && r.scalar0(&dst[n]) {
				f.i++
				n++
			}
		case fDynamic3:
			if !f.expect {
				if k := r.run3(dst[n:]); k > 0 {
					n += k
					continue // on from where the run stopped
				}
			}
			n += r.members3(f, dst[n:])
		case fSealed3:
			if !f.expect {
				if k := r.run3(dst[n:]); k > 0 {
					n += k
					continue // on from where the run stopped
				}
			}
			n += r.members3(f, dst[n:])
		case fObj0:
			if !f.expect {
				if k := r.run0(dst[n:]); k > 0 {
					n += k
					continue // on from where the run stopped
				}
			}
			n += r.members0(f, dst[n:])
		default:
			return n
		}
		if n == len(dst) {
			return n
		}
		if len(r.stack) != top {
			continue // a start or an end was read: on in the new frame
		}
		// What stopped the run: the end of the value, or a complex value.
		if !r.batchStep(&r.stack[len(r.stack)-1], &dst[n]) {
			return n
		}
		n++
	}
	return n
}

// batchStep reads the end of f, the innermost frame, or the start of a
// complex value in it (not a reference), into d; it reports false for
// anything else, having read nothing, and after an error (recorded for
// NextToken).
func (r *Reader) batchStep(f *frame, d *BatchToken) bool {
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	off := r.off
	ver := AMF3
	member := false
	switch f.kind {
	case fDense3, fVecObj3, fVecNum3, fStrict0:
		if f.kind == fStrict0 {
			ver = AMF0
		}
		if f.i >= f.n {
			if f.kind == fDense3 && f.ahead {
				return false
			}
			r.pop()
			r.done()
			d.Kind, d.Named = KindEnd, false
			return true
		}
		if f.kind == fVecNum3 {
			return false
		}
	case fDynamic3:
		if f.expect {
			member = true
			break
		}
		if off < len(data) && data[off] == 0x01 {
			r.off = off + 1
			r.pop()
			r.done()
			d.Kind, d.Named = KindEnd, false
			return true
		}
		return false
	case fSealed3:
		if f.expect {
			member = true
			break
		}
		if f.i >= len(f.tr.t.Sealed) && !f.tr.t.Dynamic {
			r.pop()
			r.done()
			d.Kind, d.Named = KindEnd, false
			return true
		}
		return false
	case fObj0:
		ver = AMF0
		if f.expect {
			member = true
			break
		}
		if len(data)-off >= 3 && data[off] == 0 && data[off+1] == 0 && data[off+2] == m0ObjectEnd {
			r.off = off + 3
			r.pop()
			r.done()
			d.Kind, d.Named = KindEnd, false
			return true
		}
		return false
	default:
		return false
	}
	// A value: only the start of a complex value that is not a reference.
	if off+1 >= len(data) {
		return false
	}
	if ver == AMF3 {
		switch data[off] {
		case m3Object, m3Array, m3VectorInt, m3VectorUint, m3VectorDouble, m3VectorObject:
		default:
			return false
		}
		if r.batchStart3(f, d, off, member) {
			return true
		}
		if u, ok := peekU29(data, off+1); !ok || u&1 == 0 {
			return false // a reference, or for next to report
		} else if data[off] == m3Object && r.traitsAgain(u) {
			return false // Token.TraitsIndex, which a BatchToken lacks
		}
	} else {
		switch data[off] {
		case m0Object, m0TypedObject, m0ECMAArray, m0StrictArray:
		default:
			return false
		}
	}
	if !member {
		f.i++ // as next does before the item
	}
	var err error
	if ver == AMF3 {
		err = r.value3()
	} else {
		err = r.value0()
	}
	if err != nil {
		r.err = r.failed(err)
		return false
	}
	t := &r.t
	d.Kind, d.Version, d.Index, d.Traits, d.Assoc, d.Named = t.Kind, t.Version, int32(t.Index), t.Traits, t.Assoc, false
	return true
}

// items3 reads the items of an AMF3 array's dense part or a
// Vector.<Object>, with the commonest (a small integer, a string
// reference) read in line, and the end and the start of an object or a
// short array taken here too (the caller goes on with the new innermost
// frame).
func (r *Reader) items3(f *frame, dst []BatchToken) int {
	n := 0
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	for n < len(dst) {
		d := &dst[n]
		if f.i >= f.n {
			if f.ahead {
				return n // the associative part, read again by next
			}
			r.pop()
			r.done()
			d.Kind, d.Named = KindEnd, false
			return n + 1
		}
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
					d.Kind, d.Named, d.StrIndex = KindString, false, int32(u>>1)+1
					r.off = off + k
					f.i++
					n++
					continue
				}
			case m3Object, m3Array:
				if r.batchStart3(f, d, off, false) {
					return n + 1
				}
				return n // for batchStep or next
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
// each name with its value when that is a scalar or the start of an
// object or a short array (the caller then goes on with its frame), and
// the end of a dynamic object.
func (r *Reader) members3(f *frame, dst []BatchToken) int {
	n := 0
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	if f.expect {
		// The value of a name NextToken returned.
		if !r.scalar3(&dst[0]) {
			return 0
		}
		f.expect = false
		n++
	}
	if f.kind == fSealed3 && f.i >= len(f.tr.t.Sealed) && f.tr.t.Dynamic {
		f.kind = fDynamic3 // no sealed members (left): on to the dynamic ones, as next goes
	}
	maxElems := r.m.maxElements
	for n < len(dst) {
		if f.kind == fDynamic3 {
			if k := r.run3(dst[n:]); k > 0 {
				return n + k // f may have moved: ReadBatch goes on
			}
		}
		d := &dst[n]
		// The name: a reference in one or two bytes in line. f.name and
		// f.expect are left as next leaves them after a whole member
		// (f.name is only read for the path of an error inside a value
		// of the member, or after a name alone).
		var k []byte
		var si int
		if off := r.off; off+1 < len(data) && f.kind != fSealed3 {
			u, w := uint32(data[off]), 1
			if u >= 0x80 {
				if c := data[off+1]; c < 0x80 {
					u, w = (u&0x7F)<<7|uint32(c), 2
				} else {
					w = 0
				}
			}
			if w != 0 && u&1 == 0 && int(u>>1) < len(r.strs) && f.elems < maxElems {
				k, si = r.sb(r.strs[u>>1]), int(u>>1)+1
				r.off = off + w
				f.elems++
			} else if u == 1 && w == 1 {
				if f.kind != fDynamic3 {
					break // the end of an associative part, read by next
				}
				// The end of the object.
				r.off = off + 1
				r.pop()
				r.done()
				d.Kind, d.Named = KindEnd, false
				return n + 1
			} else if !r.name3(f, &k, &si) {
				break
			}
		} else if !r.name3(f, &k, &si) {
			break
		}
		// Its value: the commonest in line.
		ok, other := false, true
		if off := r.off; off+2 < len(data) {
			switch m := data[off]; m {
			case m3Object, m3Array:
				f.name, f.expect = k, true
				if r.batchStart3(f, d, off, true) {
					d.Named, d.Slot = true, 0
					d.NameIndex, d.nameAt, d.nameN = r.batchIdx(si)
					return n + 1
				}
				other = false // left to batchStep or next
			case m3VectorInt, m3VectorUint, m3VectorDouble, m3VectorObject, m3Dictionary:
				other = false // not a scalar: left to batchStep or next
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
					d.Kind, d.StrIndex = KindString, int32(u>>1)+1
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
			case m3Date:
				// Inline and whole; it takes its slot in the table.
				if off+10 <= len(data) && data[off+1] == 0x01 && len(r.objs) < r.m.maxRefs-r.objN0 {
					r.off = off + 10
					if _, ok := r.reg3(off); !ok {
						r.registerObj(off)
					}
					d.Kind, d.Float = KindDate, math.Float64frombits(binary.BigEndian.Uint64(data[off+2:]))
					ok = true
				}
			}
		}
		if !ok && (!other || !r.scalar3(d)) {
			// A lone name: its value is read next.
			// (An AMF3 name of index 0 is empty.)
			f.name, f.expect = k, true
			d.Kind, d.Named = KindName, false
			d.StrIndex, d.at, d.n = r.batchIdx(si)
			return n + 1
		}
		f.expect = false
		d.Named, d.Slot = true, 0
		d.NameIndex, d.nameAt, d.nameN = r.batchIdx(si)
		n++
	}
	return n
}

// run3 reads the commonest AMF3 shapes in one loop: the members of
// objects (a sealed name from the traits, or a dynamic one that is a
// reference in one byte, and a scalar in line), the items of dense arrays (small integers and
// string references in line, other scalars through scalar3), and the
// starts and ends that lead from one such container to the next, without
// returning between them. It keeps the offset and the member count of an
// object in registers. It stops, returning how many it read, at anything
// else (the innermost frame then says what comes next, for members3,
// items3, batchStep or next).
func (r *Reader) run3(dst []BatchToken) int {
	data, strs := r.data, r.flatStrs()
	// Its capacity as its length: the loops' slices of data are checked
	// against the length they keep in a register, not a capacity too.
	data = data[:len(data):len(data)]
	maxElems := r.m.maxElements
	n := 0
frames:
	for n < len(dst) {
		top := len(r.stack) - 1
		if top < 0 {
			break
		}
		f := &r.stack[top]
		switch {
		case f.kind == fDynamic3 && !f.expect:
			off, elems := r.off, f.elems
			for n < len(dst) && off+2 < len(data) {
				b := data[off]
				if b&0x81 != 0 {
					if b != 0x01 {
						break // for members3
					}
					// The end of the object.
					r.off, f.elems = off+1, elems
					r.pop()
					if s := r.stack; len(s) > 0 && s[len(s)-1].kind >= fWrapper3 {
						r.done() // frames of one value: only then a call
					}
					dst[n].Kind, dst[n].Named = KindEnd, false
					n++
					continue frames
				}
				// (Tested apart from the end above, so that b itself is
				// not kept past here: only b>>1 is.)
				if int(b>>1) >= len(strs) || elems >= maxElems {
					break // for members3
				}
				d := &dst[n]
				v := off + 1
				switch m := data[v]; m {
				case m3Integer:
					c := data[v+1]
					if c >= 0x80 {
						if v+2 >= len(data) || data[v+2] >= 0x80 {
							r.off, f.elems = off, elems
							return n
						}
						d.Int = int64(c&0x7F)<<7 | int64(data[v+2])
						off = v + 3
					} else {
						d.Int = int64(c)
						off = v + 2
					}
					d.Kind = KindInt
				case m3String:
					c := data[v+1]
					if c&0x81 != 0 || int(c>>1) >= len(strs) {
						// Longer, inline or not known: for members3.
						r.off, f.elems = off, elems
						return n
					}
					d.Kind, d.StrIndex = KindString, int32(c>>1)+1
					off = v + 2
				case m3Null:
					d.Kind = KindNull
					off = v + 1
				case m3False, m3True:
					d.Kind, d.Bool = KindBool, m == m3True
					off = v + 1
				case m3Double:
					if v+9 > len(data) {
						r.off, f.elems = off, elems
						return n
					}
					// data[v+1 : v+9] (checked above): 8 bytes, so that Uint64
					// tests no length and the slice needs no mask to its end.
					d.Kind, d.Float = KindDouble, math.Float64frombits(binary.BigEndian.Uint64(data[v+1:v+9]))
					off = v + 9
				case m3Object, m3Array:
					// The member's name is read, as next leaves it before
					// a value; its index waits in the token; the start is
					// read below the loop (dynStart).
					// (r.strs is strs, and sb reads r.data: the loop
					// keeps neither strs' pointer nor data's capacity.)
					r.off, f.elems, f.name, f.expect = v, elems+1, r.sb(r.strs[b>>1]), true
					d.NameIndex = int32(b>>1) + 1
					goto dynStart
				case m3Date:
					// Inline and whole; it takes its slot in the table
					// (one with no room for it is left to members3, which
					// grows it: no call in this loop).
					if v+10 > len(data) || data[v+1] != 0x01 || len(r.objs) >= r.m.maxRefs-r.objN0 || len(r.objs) == cap(r.objs) {
						r.off, f.elems = off, elems
						return n
					}
					r.reg3(v) // room checked above
					d.Kind, d.Float = KindDate, math.Float64frombits(binary.BigEndian.Uint64(data[v+2:v+10]))
					off = v + 10
				default:
					r.off, f.elems = off, elems
					return n
				}
				d.Named, d.NameIndex = true, int32(b>>1)+1
				elems++
				n++
			}
			r.off, f.elems = off, elems
			return n
		dynStart:
			// The start of a member's object or array (at r.off, its
			// name read), out of the member loop: a call there made the
			// compiler keep the loop's values on the stack and reload
			// them at every member. The start pushes a frame (f may
			// move); the name's index is in the token already.
			if d := &dst[n]; r.batchStart3(f, d, r.off, true) {
				d.Named = true
				n++
				continue frames
			}
			// A name alone: its value is read next.
			d := &dst[n]
			d.Kind, d.Named, d.StrIndex = KindName, false, d.NameIndex
			return n + 1
		case f.kind == fDense3 && !f.ahead:
			for n < len(dst) {
				d := &dst[n]
				if f.i >= f.n {
					r.pop()
					if s := r.stack; len(s) > 0 && s[len(s)-1].kind >= fWrapper3 {
						r.done() // frames of one value: only then a call
					}
					d.Kind, d.Named = KindEnd, false
					n++
					continue frames
				}
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
						if k != 0 && u&1 == 0 && int(u>>1) < len(strs) {
							d.Kind, d.Named, d.StrIndex = KindString, false, int32(u>>1)+1
							r.off = off + k
							f.i++
							n++
							continue
						}
					case m3Object, m3Array:
						if r.batchStart3(f, d, off, false) {
							n++
							continue frames
						}
						return n // for batchStep or next
					}
				}
				if !r.scalar3(d) {
					return n
				}
				strs = r.flatStrs() // an inline string joined the table
				f.i++
				n++
			}
			return n
		case f.kind == fSealed3 && !f.expect:
			// The sealed members: their names are the traits' (their
			// string indexes, read once per traits), the values as the
			// dynamic members' above (the two loops are kept in step).
			off, elems, i := r.off, f.elems, f.i
			sealed := f.tr.sealedIdx
			for n < len(dst) && off+2 < len(data) {
				if i >= len(sealed) {
					r.off, f.elems, f.i = off, elems, i
					if f.tr.t.Dynamic {
						f.kind = fDynamic3 // on to the dynamic members, as next goes
						continue frames
					}
					// The end of the object.
					r.pop()
					if s := r.stack; len(s) > 0 && s[len(s)-1].kind >= fWrapper3 {
						r.done() // frames of one value: only then a call
					}
					dst[n].Kind, dst[n].Named = KindEnd, false
					n++
					continue frames
				}
				si := sealed[i]
				if si == 0 || si > len(strs) {
					break // the empty name, or one past r.strs: for members3
				}
				d := &dst[n]
				v := off
				switch m := data[v]; m {
				case m3Integer:
					c := data[v+1]
					if c >= 0x80 {
						if v+2 >= len(data) || data[v+2] >= 0x80 {
							r.off, f.elems, f.i = off, elems, i
							return n
						}
						d.Int = int64(c&0x7F)<<7 | int64(data[v+2])
						off = v + 3
					} else {
						d.Int = int64(c)
						off = v + 2
					}
					d.Kind = KindInt
				case m3String:
					c := data[v+1]
					if c&0x81 != 0 || int(c>>1) >= len(strs) {
						// Longer, inline or not known: for members3.
						r.off, f.elems, f.i = off, elems, i
						return n
					}
					d.Kind, d.StrIndex = KindString, int32(c>>1)+1
					off = v + 2
				case m3Null:
					d.Kind = KindNull
					off = v + 1
				case m3False, m3True:
					d.Kind, d.Bool = KindBool, m == m3True
					off = v + 1
				case m3Double:
					if v+9 > len(data) {
						r.off, f.elems, f.i = off, elems, i
						return n
					}
					d.Kind, d.Float = KindDouble, math.Float64frombits(binary.BigEndian.Uint64(data[v+1:v+9]))
					off = v + 9
				case m3Object, m3Array:
					// The member's name is read, as next leaves it before
					// a value; then the start, which pushes a frame (f
					// may move).
					k := r.sb(r.strs[si-1]) // si <= len(strs): see above
					r.off, f.elems, f.i, f.name, f.expect = v, elems+1, i+1, k, true
					if r.batchStart3(f, d, v, true) {
						d.Named, d.NameIndex = true, int32(si)
						n++
						continue frames
					}
					// A name alone: its value is read next.
					d.Kind, d.Named, d.StrIndex = KindName, false, int32(si)
					return n + 1
				case m3Date:
					// Inline and whole; it takes its slot in the table.
					if v+10 > len(data) || data[v+1] != 0x01 || len(r.objs) >= r.m.maxRefs-r.objN0 {
						r.off, f.elems, f.i = off, elems, i
						return n
					}
					if _, ok := r.reg3(v); !ok {
						r.registerObj(v)
					}
					d.Kind, d.Float = KindDate, math.Float64frombits(binary.BigEndian.Uint64(data[v+2:v+10]))
					off = v + 10
				default:
					r.off, f.elems, f.i = off, elems, i
					return n
				}
				d.Named, d.NameIndex = true, int32(si)
				elems++
				i++
				n++
			}
			r.off, f.elems, f.i = off, elems, i
			return n
		default:
			break frames
		}
	}
	return n
}

// run0 is run3 for AMF0: the members of objects and ECMA arrays (an
// inline name and a scalar, both in line), the items of strict arrays,
// and the starts of anonymous objects, ECMA arrays and strict arrays and
// the ends that lead from one such container to the next. It keeps the
// offset and the count of members or items in registers, and stops,
// returning how many it read, at anything else (left to members0,
// scalar0, batchStep or next, as the innermost frame then says).
func (r *Reader) run0(dst []BatchToken) int {
	// Its capacity as its length, as in run3: no capacity kept.
	data := r.data[:len(r.data):len(r.data)]
	maxElems, maxLen := r.m.maxElements, r.m.maxLength
	n := 0
frames:
	for n < len(dst) {
		top := len(r.stack) - 1
		if top < 0 {
			break
		}
		f := &r.stack[top]
		switch {
		case f.kind == fObj0 && !f.expect:
			off, elems := r.off, f.elems
			base := -1 // the first Slot of this depth, less 1
			if top < names0Depth {
				base = top * names0Pos
				if r.names0 == nil {
					r.names0 = make([]nameWords, names0Depth*names0Pos)
				}
			}
			for n < len(dst) && len(data)-off >= 3 {
				k := int(data[off])<<8 | int(data[off+1])
				if k == 0 {
					if data[off+2] != m0ObjectEnd {
						break // for next, which says what is wrong
					}
					// The end of the object.
					r.off, f.elems = off+3, elems
					r.pop()
					if s := r.stack; len(s) > 0 && s[len(s)-1].kind >= fWrapper3 {
						r.done() // frames of one value: only then a call
					}
					dst[n].Kind, dst[n].Named = KindEnd, false
					n++
					continue frames
				}
				v := off + 2 + k
				if v >= len(data) || k > maxLen || elems >= maxElems || data[v] == m0ObjectEnd {
					break // for next, which reads the name and says what is wrong
				}
				// The name as two words, for its Slot.
				var slot int
				var lo, hi uint64
				if k <= 16 && elems < names0Pos && base >= 0 && off+18 <= len(data) {
					mk := &nameMasks[k&31]
					lo = binary.LittleEndian.Uint64(data[off+2:]) & mk[0]
					hi = binary.LittleEndian.Uint64(data[off+10:]) & mk[1]
					slot = base + elems + 1
				}
				d := &dst[n]
				switch m := data[v]; m {
				case m0Number:
					if len(data)-v < 9 {
						r.off, f.elems = off, elems
						return n
					}
					d.Kind, d.Float = KindDouble, math.Float64frombits(binary.BigEndian.Uint64(data[v+1:]))
					off = v + 9
				case m0String:
					if len(data)-v < 3 {
						r.off, f.elems = off, elems
						return n
					}
					sn := int(data[v+1])<<8 | int(data[v+2])
					if sn > len(data)-(v+3) || sn > maxLen {
						r.off, f.elems = off, elems
						return n
					}
					d.Kind, d.StrIndex, d.at, d.n = KindString, 0, uint32(v+3), uint32(sn)
					off = v + 3 + sn
				case m0Boolean:
					if len(data)-v < 2 {
						r.off, f.elems = off, elems
						return n
					}
					d.Kind, d.Bool = KindBool, data[v+1] != 0
					off = v + 2
				case m0Null:
					d.Kind = KindNull
					off = v + 1
				case m0Undefined:
					d.Kind = KindUndefined
					off = v + 1
				case m0Object, m0ECMAArray, m0StrictArray:
					// The member's name is read, as name0 leaves it; then
					// the start, which pushes a frame (f may move).
					r.off, f.elems, f.name, f.expect = v, elems+1, data[off+2:v:v], true
					if r.batchStart0(f, d, v, true) {
						d.Named, d.NameIndex, d.nameAt, d.nameN = true, 0, uint32(off+2), uint32(k)
						d.Slot, d.Again = uint16(slot), slot != 0 && r.seen0(slot, lo, hi, k)
						n++
						continue frames
					}
					// A name alone: its value is read next.
					d.Kind, d.Named, d.StrIndex, d.at, d.n = KindName, false, 0, uint32(off+2), uint32(k)
					return n + 1
				default:
					// A date among them: scalar0 reads it, or says it is
					// for next.
					r.off = v
					if !r.scalar0(d) {
						r.off, f.elems = off, elems
						return n
					}
					off = r.off
				}
				d.Named, d.NameIndex, d.nameAt, d.nameN = true, 0, uint32(v-k), uint32(k)
				d.Slot, d.Again = uint16(slot), slot != 0 && r.seen0(slot, lo, hi, k)
				elems++
				n++
			}
			r.off, f.elems = off, elems
			return n
		case f.kind == fStrict0:
			off, i := r.off, f.i
			for n < len(dst) {
				d := &dst[n]
				if i >= f.n {
					// The end of the array.
					r.off, f.i = off, i
					r.pop()
					if s := r.stack; len(s) > 0 && s[len(s)-1].kind >= fWrapper3 {
						r.done() // frames of one value: only then a call
					}
					d.Kind, d.Named = KindEnd, false
					n++
					continue frames
				}
				if off >= len(data) {
					break
				}
				switch m := data[off]; m {
				case m0Number:
					if len(data)-off < 9 {
						r.off, f.i = off, i
						return n
					}
					d.Kind, d.Named, d.Float = KindDouble, false, math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
					off += 9
				case m0Object, m0ECMAArray, m0StrictArray:
					r.off, f.i = off, i
					if r.batchStart0(f, d, off, false) {
						n++
						continue frames
					}
					return n // for batchStep or next
				default:
					r.off = off
					if !r.scalar0(d) {
						f.i = i
						return n
					}
					off = r.off
				}
				i++
				n++
			}
			r.off, f.i = off, i
			return n
		default:
			break frames
		}
	}
	return n
}

// The places of AMF0 members that have a Slot: the first names0Pos
// members of objects at the first names0Depth depths.
const (
	names0Pos   = 32
	names0Depth = 16
)

// nameWords is an AMF0 name of at most 16 bytes: its bytes as two
// little-endian words padded with zeros, and its length (0: none).
type nameWords struct {
	lo, hi uint64
	n      int
}

// nameMasks keeps, for a name of k bytes (k <= 16), the bits of its two
// words that are its bytes (the others are what follows it).
var nameMasks = func() (m [32][2]uint64) {
	for k := 0; k <= 16; k++ {
		m[k][0] = ^uint64(0) >> (64 - 8*min(k, 8))
		m[k][1] = ^uint64(0) >> (64 - 8*max(k-8, 0))
	}
	return m
}()

// seen0 reports whether the name lo, hi of k bytes is the last one given
// with slot, and makes it the last.
func (r *Reader) seen0(slot int, lo, hi uint64, k int) bool {
	e := &r.names0[slot-1]
	if e.lo == lo && e.hi == hi && e.n == k {
		return true
	}
	*e = nameWords{lo, hi, k}
	return false
}

// batchStart0 is batchStart3 for AMF0: the start of an anonymous object,
// an ECMA array or a strict array, as value0 would read it; it reports
// false, having read nothing, for anything that would fail (left to
// value0, which says it).
func (r *Reader) batchStart0(f *frame, d *BatchToken, off int, member bool) bool {
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	if r.depth >= r.m.maxDepth || len(r.refs0) >= r.m.maxRefs {
		return false
	}
	kind, fk, next, count := KindObject, fObj0, off+1, 0
	if m := data[off]; m != m0Object {
		if len(data)-off < 5 {
			return false
		}
		next = off + 5
		count = int(binary.BigEndian.Uint32(data[off+1:]))
		kind = KindECMAArray
		if m == m0StrictArray {
			if count > r.m.maxElements || count > len(data)-next {
				return false
			}
			kind, fk = KindArray, fStrict0
		}
	}
	if !member {
		f.i++ // as next does before the item
	}
	r.off = next
	idx, _ := r.register(AMF0, &r.refs0, off)
	nf := r.pushC(fk)
	if fk == fStrict0 {
		nf.n = count
	}
	d.Kind, d.Version, d.Index, d.Traits, d.Assoc, d.Named = kind, AMF0, int32(idx), nil, false, false
	return true
}

// members0 is members3 for an AMF0 object or ECMA array.
func (r *Reader) members0(f *frame, dst []BatchToken) int {
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
		at, k, ok := r.name0(f)
		if !ok {
			break
		}
		if !r.scalar0(d) {
			d.Kind, d.Named, d.StrIndex, d.at, d.n = KindName, false, 0, uint32(at), uint32(k)
			return n + 1
		}
		f.expect = false
		d.Named, d.NameIndex, d.nameAt, d.nameN, d.Slot = true, 0, uint32(at), uint32(k), 0
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
		if *si == 0 && name != "" {
			// Traits read while reading again know a name but not its
			// index: left to next (a BatchToken names a name by index).
			return false
		}
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
func (r *Reader) scalar3(t *BatchToken) bool {
	off := r.off
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	if off >= len(data) {
		return false
	}
	switch m := data[off]; m {
	case m3Undefined:
		*t = BatchToken{Kind: KindUndefined}
		r.off = off + 1
	case m3Null:
		*t = BatchToken{Kind: KindNull}
		r.off = off + 1
	case m3False, m3True:
		*t = BatchToken{Kind: KindBool, Bool: m == m3True}
		r.off = off + 1
	case m3Integer:
		if off+1 < len(data) && data[off+1] < 0x80 {
			*t = BatchToken{Kind: KindInt, Int: int64(data[off+1])}
			r.off = off + 2
			return true
		}
		r.off = off + 1
		u, err := r.u29()
		if err != nil {
			r.off = off
			return false
		}
		*t = BatchToken{Kind: KindInt, Int: int64(int32(u<<3) >> 3)}
	case m3Double:
		if len(data)-off < 9 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
		*t = BatchToken{Kind: KindDouble, Float: x}
		r.off = off + 9
	case m3String:
		r.off = off + 1
		var si int
		if i, ok := r.strRef1(); ok {
			si = i + 1
		} else {
			var err error
			if _, si, err = r.str3(); err != nil {
				r.off = off
				return false
			}
		}
		// In the table (si > 0), or empty.
		*t = BatchToken{Kind: KindString}
		t.StrIndex, t.at, t.n = r.batchIdx(si)
	case m3Date:
		// Inline (0x01) and whole: a reference is left to next.
		if len(data)-off < 10 || data[off+1] != 0x01 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+2:]))
		r.off = off + 10
		if _, err := r.registerObj(off); err != nil {
			r.off = off
			return false
		}
		*t = BatchToken{Kind: KindDate, Float: x}
	default:
		return false
	}
	return true
}

// vecNums reads items of a Vector.<int>, Vector.<uint> or
// Vector.<Number> into dst.
func (r *Reader) vecNums(f *frame, dst []BatchToken) int {
	size := 4
	if f.vt == m3VectorDouble {
		size = 8
	}
	n := min(len(dst), f.n-f.i, (len(r.data)-r.off)/size)
	for k := 0; k < n; k++ {
		off := r.off
		switch f.vt {
		case m3VectorInt:
			dst[k] = BatchToken{Kind: KindInt, Int: int64(int32(binary.BigEndian.Uint32(r.data[off:])))}
		case m3VectorUint:
			dst[k] = BatchToken{Kind: KindInt, Int: int64(binary.BigEndian.Uint32(r.data[off:]))}
		default:
			dst[k] = BatchToken{Kind: KindDouble, Float: math.Float64frombits(binary.BigEndian.Uint64(r.data[off:]))}
		}
		r.off = off + size
	}
	f.i += n
	return n
}

// name0 reads the next key of f, an AMF0 object or ECMA array, as next
// would, and returns where its bytes are; it reads nothing and reports
// false for the end of the object and for anything next would report an
// error for.
func (r *Reader) name0(f *frame) (at, n int, ok bool) {
	keyOff := r.off
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	if len(data)-keyOff < 3 || f.elems >= r.m.maxElements {
		return 0, 0, false
	}
	n = int(binary.BigEndian.Uint16(data[keyOff:]))
	end := keyOff + 2 + n
	if n == 0 || end >= len(data) || n > r.m.maxLength || data[end] == m0ObjectEnd {
		// The end of the object (or an error), read by next.
		return 0, 0, false
	}
	r.off = end
	f.elems++
	f.name = data[keyOff+2 : end : end]
	f.expect = true
	return keyOff + 2, n, true
}

// scalar0 reads a common AMF0 scalar at r.off into t, as value0 would
// inside an array or object; it reads nothing and reports false for
// anything else, and for anything value0 would report an error for.
func (r *Reader) scalar0(t *BatchToken) bool {
	off := r.off
	data := r.data[:len(r.data):len(r.data)] // cap == len: see run3
	if off >= len(data) {
		return false
	}
	switch m := data[off]; m {
	case m0Number:
		if len(data)-off < 9 {
			return false
		}
		x := math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))
		*t = BatchToken{Kind: KindDouble, Float: x}
		r.off = off + 9
	case m0Boolean:
		if len(data)-off < 2 {
			return false
		}
		*t = BatchToken{Kind: KindBool, Bool: data[off+1] != 0}
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
		*t = BatchToken{Kind: KindString, at: uint32(off + 3), n: uint32(n)}
		r.off = end
	case m0Null:
		*t = BatchToken{Kind: KindNull}
		r.off = off + 1
	case m0Undefined:
		*t = BatchToken{Kind: KindUndefined}
		r.off = off + 1
	case m0Date:
		// A date in UTC (the time zone every player writes): a BatchToken
		// has no field for another, left to next.
		if len(data)-off < 11 || data[off+9] != 0 || data[off+10] != 0 {
			return false
		}
		if r.m.profile.registersDates() || r.dateRefs {
			if len(r.refs0) >= r.m.maxRefs {
				return false // the error next reports
			}
			r.register(AMF0, &r.refs0, off)
		}
		*t = BatchToken{Kind: KindDate, Float: math.Float64frombits(binary.BigEndian.Uint64(data[off+1:]))}
		r.off = off + 11
	default:
		return false
	}
	return true
}

// peekU29 decodes the U29 at data[off] without reading it.
func peekU29(data []byte, off int) (uint32, bool) {
	var v uint32
	for i := 0; i < 3; i++ {
		if off+i >= len(data) {
			return 0, false
		}
		b := data[off+i]
		if b < 0x80 {
			return v<<7 | uint32(b), true
		}
		v = v<<7 | uint32(b&0x7F)
	}
	if off+3 >= len(data) {
		return 0, false
	}
	return v<<8 | uint32(data[off+3]), true
}

// batchStart3 reads the start of the two commonest complex values in
// line, as value3 would: an object whose traits are a reference in one
// byte, and an array of fewer than 64 items with no associative part. It
// reports false, having read nothing, for anything else, and for anything
// that would fail (left to value3, which says it).
func (r *Reader) batchStart3(f *frame, d *BatchToken, off int, member bool) bool {
	// ReadBatch runs only when no value is read again (r.replay == 0).
	data := r.data
	if r.depth >= r.m.maxDepth || len(r.objs) >= r.m.maxRefs-r.objN0 || off+2 >= len(data) || len(r.stack) == cap(r.stack) {
		return false // (a stack with no room left to pushC)
	}
	b := data[off+1]
	if b >= 0x80 || b&1 == 0 {
		return false
	}
	switch data[off] {
	case m3Object:
		i := int(b >> 2)
		if b&2 != 0 || i >= len(r.traits) {
			return false
		}
		tr := &r.traits[i]
		k := tr.batch
		if k == 0 {
			k = batchFrame(tr.t)
			tr.batch = k
		}
		if k == noBatch {
			return false // externalizable
		}
		if !member {
			f.i++ // as next does before the item
		}
		r.off = off + 2
		idx, ok := r.reg3(off)
		if !ok {
			idx, _ = r.registerObj(off)
		}
		r.push3(k, tr)
		d.Kind, d.Version, d.Index, d.Traits, d.Assoc, d.Named = KindObject, AMF3, int32(idx), tr.t, false, false
		return true
	case m3Array:
		n := int(b >> 1)
		if data[off+2] != 0x01 || n > r.m.maxElements || n > len(data)-(off+3) {
			return false
		}
		if !member {
			f.i++
		}
		r.off = off + 3
		idx, ok := r.reg3(off)
		if !ok {
			idx, _ = r.registerObj(off)
		}
		r.push3(fDense3, nil).n = n
		d.Kind, d.Version, d.Index, d.Traits, d.Assoc, d.Named = KindArray, AMF3, int32(idx), nil, false, false
		return true
	}
	return false
}

// noBatch is traits3.batch for traits whose objects ReadBatch leaves
// to NextToken (externalizable).
const noBatch frameKind = 255

// batchFrame is traits3.batch for t: the frame batchStart3 opens for
// an object of t, noBatch for none.
func batchFrame(t *Traits) frameKind {
	switch {
	case t.Externalizable:
		return noBatch
	case len(t.Sealed) == 0 && t.Dynamic:
		// No sealed members: on to the dynamic ones at once, as next
		// goes before the first (the path is the same).
		return fDynamic3
	}
	return fSealed3
}

// push3 is pushC for batchStart3, which has checked that the stack has
// room and is inside a frame: in line, with the frame's traits set once.
func (r *Reader) push3(k frameKind, tr *traits3) *frame {
	n := len(r.stack)
	r.stack[n-1].expect = false // as opened
	r.depth++
	r.stack = r.stack[:n+1]
	nf := &r.stack[n]
	nf.frameHead = frameHead{kind: k, counts: true}
	nf.tr = tr
	nf.pending = nf.pending[:0]
	return nf
}

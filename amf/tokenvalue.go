package amf

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
	"io"
	"math"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// The value decoder: a builder of the value model on the token [Reader].
// Every value-model decode (Unmarshal, Decoder, UnmarshalPacket,
// UnmarshalSOL, Reader.ReadValue) goes through it, so the Reader is the
// one place that knows the wire format, its limits and its errors.
//
// The builder drives the Reader from inside the package: r.next and the
// token r.t, with no copy, and, in the loops over items and members, the
// frame steps next would take (item3, value0) without its dispatch. It
// never reads a marker itself. Beside the Reader's tables of offsets it
// keeps what each table entry stands for in the model. Small values are
// cut from slabs (strings, doubles and integers too, boxed over the slab
// with boxAt), items and members gather on scratch stacks shared by
// nested containers and are copied out at their real size, and strings
// are made once per AMF3 table entry (or per distinct short AMF0 string,
// through a small cache emptied after each decode).

// ReadValue reads the next value whole, into the value model. At the
// end of the input, between values, it returns io.EOF. References resolve
// to the values read before in the same context.
func (r *Reader) ReadValue() (any, error) {
	if r.b == nil {
		r.b = &builder{r: r, m: r.mode()}
	}
	if r.err != nil {
		return nil, r.err
	}
	// The builder takes an AMF3 array's associative part first.
	df := r.DenseFirst
	r.DenseFirst = false
	v, err := r.b.top()
	r.DenseFirst = df
	return v, err
}

func (r *Reader) mode() *DecMode {
	if r.m == nil {
		r.m = defaultDecMode
	}
	return r.m
}

// builder builds values of the model from a Reader's tokens.
type builder struct {
	r  *Reader
	m  *DecMode
	rd Reader // the Reader of pooled builders

	// What each entry of the Reader's tables stands for: the AMF0 and
	// AMF3 object tables by token Index (as refs), the AMF3 string table (boxed
	// strings) by StrIndex-1 and the traits table by position. resetTables
	// clears them (tablesReset) with the Reader's.
	refs0  []ref
	objs   []ref
	strv   []any
	traits []*Traits
	others []any // the values of refOther entries
	// The table entry modelTraits was last asked for, and its answer
	// (the Reader's entries never change; tablesReset forgets it).
	lastTr *traits3
	lastMt *Traits
	// The entry asked for before lastTr (objects of two classes often
	// alternate, as a typed object and the one it holds).
	prevTr *traits3
	prevMt *Traits
	// names holds the first 64 entries of the AMF3 string table (the
	// strings of strv) that dynamic3 met as member names, by index:
	// read without a check once set (tablesReset clears it with strv).
	names    [64]string
	namesSet bool
	counts   []uint8 // dynamic members of the last object, by depth
	// The member names of the last AMF0 object, by depth (name0);
	// emptied after each use of the builder.
	shapes [][]string

	// Scratch stacks shared by nested containers: a container pushes its
	// items, then copies them out into an exactly sized slice. Nothing is
	// allocated from a claimed count, only from items actually read.
	scratch  []Member
	vscratch []any
	escratch []DictEntry

	// Slabs from which small values are cut; never carried from one
	// pooled use to the next (a chunk's tail would keep the previous
	// results alive).
	memSlab  slab[Member]
	anySlab  slab[any]
	objSlab  slab[Object]
	arrSlab  slab[Array]
	dateSlab slab[Date]
	strSlab  slab[string]  // boxed strings (see box)
	numSlab  slab[float64] // boxed doubles
	intSlab  slab[Int]     // boxed integers
	byteSlab []byte        // the bytes of short strings

	cache *strCache // short AMF0 strings and member names

	// The cache's hits and misses in this use of the builder; noCache
	// is set when it mostly misses (many distinct strings), and then
	// costs more than it saves.
	hits, misses int
	noCache      bool

	// inPrealloc is set while the items of a container whose slice was
	// allocated up front from its claimed count are read; containers
	// inside it use the scratch stack, so that nested claims cannot
	// count the same remaining bytes twice.
	inPrealloc bool

	// Request message bodies (see Message.UnregisteredArgs and
	// numbering): watchArgs watches the AMF0 strict arrays being read
	// (open) for a reference to one of them (selfList: an argument list
	// that contains itself); sawDate records that an AMF0 date was read,
	// refAfterDate that an AMF0 reference came after one.
	watchArgs, selfList, sawDate, refAfterDate bool
	open                                       []*Array

	// Cross-switch references (Message.CrossEscapeRefs), watched in
	// packets (watchCross): strBase and traitBase are the sizes of the
	// AMF3 string and traits tables when the current 0x11 switch began
	// at switchAt; crossRefs records a string or traits reference below
	// them.
	watchCross         bool
	strBase, traitBase int
	switchAt           int64
	crossRefs          bool

	// Numbering around XML (Message.XMLRefs): xml0 is 1 + the AMF0
	// table index of the first XML document read (0: none); xmlRefs
	// records an AMF0 reference to it or to an entry after it.
	xml0    int
	xmlRefs bool
}

var builderPool = sync.Pool{New: func() any {
	b := new(builder)
	b.r = &b.rd
	return b
}}

// getBuilder takes a builder from the pool, with its Reader set up for
// data.
func getBuilder(m *DecMode, data []byte, ver Version) *builder {
	b := builderPool.Get().(*builder)
	b.setup(m, data, ver)
	return b
}

// setup makes b read data, with m's limits.
func (b *builder) setup(m *DecMode, data []byte, ver Version) {
	b.m = m
	b.rd.m = m
	b.rd.Reset(data, ver)
	b.rd.b = b
	// A slab's second chunk is sized from the input: a large input
	// goes on to larger chunks than the doubling from 16 would give, so
	// that a decode makes fewer of them. Only a slab used more than 16
	// times gets one; what it leaves unused is bounded by the input's
	// size (len/32 elements, of 48 bytes at most). Only an input whose
	// len/32 reaches maxChunk (32 KiB) does: below that the doubling
	// gets there in a few chunks, and a chunk of len/32 for every slab
	// used a few more than 16 times was the larger part of the
	// allocation (an FLV onMetaData of 9.4 KB, W4: 53 KB a decode
	// where doubling takes 29 KB, and twice the collections).
	h := 0
	if len(data)/32 >= maxChunk {
		h = maxChunk
	}
	b.memSlab.first, b.anySlab.first, b.objSlab.first, b.arrSlab.first = h, h, h, h
	b.dateSlab.first, b.strSlab.first, b.numSlab.first, b.intSlab.first = h, h, h, h
}

// putBuilder clears b (dropping every reference to decoded values and
// to the input) and returns it to the pool. Oversized buffers are not
// kept.
func putBuilder(b *builder) {
	b.release() // first: it empties the slabs' chunk lists (forget)
	b.memSlab, b.anySlab = slab[Member]{}, slab[any]{}
	b.objSlab.drop()
	b.arrSlab.drop()
	b.dateSlab.drop()
	b.strSlab, b.numSlab, b.intSlab, b.byteSlab = slab[string]{}, slab[float64]{}, slab[Int]{}, nil
	builderPool.Put(b)
}

// recycleSlabs makes an Arena's builder reuse the memory of the values
// it decoded last, which are gone from then on. The bytes of strings are
// never reused (byteSlab): a string stays what it was.
func (b *builder) recycleSlabs() {
	b.memSlab.recycle()
	b.anySlab.recycle()
	b.objSlab.recycle()
	b.arrSlab.recycle()
	b.dateSlab.recycle()
	b.strSlab.recycle()
	b.numSlab.recycle()
	b.intSlab.recycle()
	b.byteSlab = nil
}

// release clears b after a use but for its slabs, which hold the decoded
// values: it drops every other reference to them and to the input.
// Oversized buffers are not kept.
func (b *builder) release() {
	b.tablesReset()
	b.clearScratch()
	b.watchCross, b.crossRefs = false, false
	b.xml0, b.xmlRefs = 0, false
	b.endRequest()
	if b.cache != nil {
		b.cache.reset()
	}
	b.hits, b.misses, b.noCache = 0, 0, false
	for i := range b.shapes {
		clear(b.shapes[i])
		b.shapes[i] = b.shapes[i][:0]
	}
	r := &b.rd
	r.Reset(nil, AMF0)
	r.b = nil
	const keep = 1 << 16
	if cap(b.refs0) > keep || cap(b.strv) > keep || cap(b.objs) > keep || cap(b.traits) > keep ||
		cap(r.refs0) > keep || cap(r.objs) > keep || cap(r.strs) > keep || cap(r.traits) > keep || cap(r.big.chunks) > 0 || cap(r.tbig.chunks) > 0 || cap(r.objBig.chunks) > 0 {
		b.refs0, b.strv, b.objs, b.traits, b.others = nil, nil, nil, nil, nil
		r.refs0, r.objs, r.strs, r.traits = nil, nil, nil, nil
		r.objBig, r.big, r.tbig = strBig{}, strBig{}, strBig{}
	}
	if cap(b.scratch) > keep || cap(b.vscratch) > keep || cap(b.escratch) > keep || cap(r.stack) > keep {
		b.scratch, b.vscratch, b.escratch = nil, nil, nil
		r.stack = nil
	}
	b.m = nil
}

// tablesReset empties the builder's tables, with the Reader's (a new
// reference context).
func (b *builder) tablesReset() {
	b.refs0, b.objs = b.refs0[:0], b.objs[:0] // no pointers: nothing to clear
	clear(b.others)
	b.others = b.others[:0]
	b.objSlab.forget()
	b.arrSlab.forget()
	b.dateSlab.forget()
	clear(b.strv)
	b.strv = b.strv[:0]
	clear(b.traits)
	b.traits = b.traits[:0]
	b.lastTr, b.lastMt, b.prevTr, b.prevMt = nil, nil, nil, nil
	if b.namesSet {
		clear(b.names[:])
		b.namesSet = false
	}
	b.counts = b.counts[:0]
	b.strBase, b.traitBase, b.switchAt = 0, 0, 0
}

func (b *builder) clearScratch() {
	clear(b.scratch)
	b.scratch = b.scratch[:0]
	clear(b.vscratch)
	b.vscratch = b.vscratch[:0]
	clear(b.escratch)
	b.escratch = b.escratch[:0]
	b.inPrealloc = false
}

// restart makes the Reader read a new top-level value at off, in a new
// reference context.
func (b *builder) restart(off int) {
	r := b.r
	clear(r.stack)
	r.stack = r.stack[:0]
	r.depth, r.replay, r.err, r.off = 0, 0, nil, off
	r.resetTables() // and b.tablesReset
	b.clearScratch()
	b.crossRefs = false
	b.xml0, b.xmlRefs = 0, false
}

// next reads the next token into r.t. Errors are the Reader's internal
// ones: the caller at the top turns them into *SyntaxError (r.failed)
// while the Reader's frames still say where they happened.
func (b *builder) next() error {
	if b.r.src != nil {
		return b.nextStream()
	}
	return b.r.next()
}

func (b *builder) nextStream() error {
	r := b.r
	if r.body > 0 {
		if err := r.discardBody(); err != nil {
			return err
		}
	}
	r.compact()
	return r.next()
}

// top reads one top-level value of r's version.
func (b *builder) top() (any, error) {
	r := b.r
	if err := b.next(); err != nil {
		return nil, r.failed(err)
	}
	v, err := b.value()
	if err != nil {
		return nil, r.failed(err)
	}
	return v, nil
}

// setRef records e as entry i of a reference table.
func setRef(table *[]ref, i int, e ref) {
	if i < 0 {
		return
	}
	t := *table
	if i < len(t) {
		t[i] = e
		return
	}
	for len(t) < i {
		t = append(t, 0)
	}
	*table = append(t, e)
}

// reg records v as the entry of the object table that t names.
func (b *builder) reg(t *Token, v any) { b.regRef(t, b.refOf(v)) }

// regRef records e as the entry of the object table that t names.
func (b *builder) regRef(t *Token, e ref) {
	tab := &b.objs
	if t.Version == AMF0 {
		tab = &b.refs0
	}
	if t.Index == len(*tab) {
		*tab = append(*tab, e)
		return
	}
	setRef(tab, t.Index, e)
}

// regObj records e as entry i of the AMF3 object table.
func (b *builder) regObj(i int, e ref) {
	if i == len(b.objs) {
		b.objs = append(b.objs, e)
		return
	}
	setRef(&b.objs, i, e)
}

// refOf is the reference-table entry that stands for v, a value that
// oneRef did not give (an entry of others).
func (b *builder) refOf(v any) ref {
	if v == nil {
		return 0
	}
	b.others = append(b.others, v)
	return refOther<<refKindShift | ref(len(b.others)-1)
}

// refValue is the value the entry e stands for.
func (b *builder) refValue(e ref) any {
	switch e >> refKindShift {
	case refObject:
		return b.objSlab.at(e)
	case refArray:
		return b.arrSlab.at(e)
	case refDate:
		return b.dateSlab.at(e)
	case refOther:
		return b.others[e&refPayload]
	}
	return nil
}

// value builds the value whose first token is r.t.
func (b *builder) value() (any, error) {
	r := b.r
	t := &r.t
	switch t.Kind {
	case KindNull:
		return nil, nil
	case KindInt:
		if i := Int(t.Int); i >= boxedIntMin && i <= boxedIntMax {
			return boxedInt(int(i)), nil
		}
		p := b.intSlab.one()
		*p = Int(t.Int)
		return boxAt(intType, unsafe.Pointer(p)), nil
	case KindDouble:
		f := t.Float
		if f >= 0 && f <= boxedIntMax {
			if i := int(f); float64(i) == f && (i != 0 || !math.Signbit(f)) {
				return boxedFloat(i), nil
			}
		}
		p := b.numSlab.one()
		*p = f
		return boxAt(float64Type, unsafe.Pointer(p)), nil
	case KindString:
		if t.Version == AMF3 {
			if b.watchCross {
				b.cross(t)
			}
			return b.str3(t), nil
		}
		if t.Streamed {
			data, err := b.body(t)
			if err != nil {
				return nil, err
			}
			return b.text(data), nil
		}
		return b.cachedText(t.Bytes), nil
	case KindBool:
		return t.Bool, nil
	case KindUndefined:
		return Undefined{}, nil
	case KindUnsupported:
		return Unsupported{}, nil
	case KindDate:
		d, e := b.dateSlab.oneRef(refDate)
		d.Ms, d.TZ = t.Float, t.TZ
		if t.Version == AMF0 {
			b.sawDate = true
		}
		b.regRef(t, e)
		return d, nil
	case KindXML, KindXMLDocument:
		data := t.Bytes
		if t.Streamed {
			var err error
			if data, err = b.body(t); err != nil {
				return nil, err
			}
		}
		x := &XML{Text: b.text(data), Document: t.Kind == KindXMLDocument}
		if t.Version == AMF0 && t.Index >= 0 && b.xml0 == 0 {
			b.xml0 = t.Index + 1
		}
		b.reg(t, x)
		return x, nil
	case KindByteArray:
		var ba *ByteArray
		if t.Streamed {
			data, err := b.body(t)
			if err != nil {
				return nil, err
			}
			ba = &ByteArray{Data: data}
		} else {
			// One fresh copy, not zeroed first (BenchmarkCopyBaseline).
			ba = &ByteArray{Data: append([]byte{}, t.Bytes...)}
		}
		b.reg(t, ba)
		return ba, nil
	case KindRef:
		if t.Version == AMF0 {
			return b.ref0(t.Index), nil
		}
		if t.Index < len(b.objs) {
			return b.refValue(b.objs[t.Index]), nil
		}
		return nil, nil // registered by tokens read before ReadValue
	case KindSwitch:
		if b.watchCross {
			b.strBase, b.traitBase, b.switchAt = r.strN(), r.traitN(), t.Offset
		}
		if err := b.next(); err != nil {
			return nil, err
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		return AVMPlus{v}, nil
	case KindObject:
		if t.Version == AMF0 {
			o, e := b.objSlab.oneRef(refObject)
			if len(t.Bytes) > 0 {
				o.Class = b.cachedText(t.Bytes).(string)
			}
			b.regRef(t, e)
			ms, err := b.members0()
			o.Members = ms
			return o, err
		}
		return b.object3()
	case KindECMAArray:
		a := &ECMAArray{}
		b.reg(t, a)
		count := t.Count
		ms, err := b.members0()
		if err != nil {
			return nil, err
		}
		a.Members = ms
		if count != int64(len(ms)) {
			c := uint32(count)
			a.Count = &c
		}
		return a, nil
	case KindArray:
		if t.Version == AMF0 {
			return b.strict0()
		}
		return b.array3()
	case KindVector:
		return b.vector3()
	case KindDictionary:
		return b.dict3()
	}
	return nil, errors.New("amf: internal error: unexpected token " + t.Kind.String())
}

// body reads the bytes of a streamed token (a stream Reader's large
// ByteArray, XML or long string), whose length was checked against
// MaxLength; a stream that ends first is an error wrapping
// io.ErrUnexpectedEOF.
func (b *builder) body(t *Token) ([]byte, error) {
	// Grown as the bytes come: the length is only claimed.
	data, err := io.ReadAll(b.r.Body())
	if err != nil {
		return nil, err
	}
	return data, nil
}

// ref0 resolves an AMF0 reference (checked by the Reader), watching
// argument lists in requests.
func (b *builder) ref0(i int) any {
	var v any
	if i < len(b.refs0) {
		v = b.refValue(b.refs0[i])
	}
	if b.xml0 > 0 && i >= b.xml0-1 {
		b.xmlRefs = true
	}
	if b.watchArgs {
		b.refAfterDate = b.refAfterDate || b.sawDate
		if a, ok := v.(*Array); ok && !b.selfList {
			for _, o := range b.open {
				if o == a {
					b.selfList = true
					break
				}
			}
		}
	}
	return v
}

// members0 reads the name/value pairs of an AMF0 object or ECMA array
// up to its end.
func (b *builder) members0() ([]Member, error) {
	r := b.r
	start := len(b.scratch)
	top := len(r.stack) - 1
	for {
		var name string
		if off := r.off; r.src == nil && off+2 < len(r.data) {
			// A name, as Reader.next reads it, for the commonest cases:
			// a non-empty name whole in the input, within the limits,
			// not followed by the object-end marker; or the end.
			f := &r.stack[top]
			n := int(binary.BigEndian.Uint16(r.data[off:]))
			end := off + 2 + n
			if n == 0 && r.data[off+2] == m0ObjectEnd {
				r.off = off + 3
				b.end3()
				return b.members(start), nil
			}
			if n > 0 && end < len(r.data) && n <= r.m.maxLength && r.data[end] != m0ObjectEnd && f.elems < r.m.maxElements {
				k := r.data[off+2 : end : end]
				f.elems++
				f.name = k
				f.expect = true
				r.off = end
				name = b.name0(top, len(b.scratch)-start, k)
				v, ok, err := b.fast0(f)
				if err != nil {
					return nil, err
				}
				if ok {
					b.scratch = append(b.scratch, Member{name, v})
					continue
				}
				goto value
			}
		}
		if err := b.next(); err != nil {
			return nil, err
		}
		if r.t.Kind == KindEnd {
			return b.members(start), nil
		}
		if len(r.t.Bytes) > 0 {
			name = b.cachedText(r.t.Bytes).(string)
		}
	value:
		// The value, as Reader.next would read it.
		var err error
		if r.src == nil {
			err = r.value0()
		} else {
			err = b.next()
		}
		if err != nil {
			return nil, err
		}
		var v any
		if r.t.Kind != KindNull {
			if v, err = b.value(); err != nil {
				return nil, err
			}
		}
		b.scratch = append(b.scratch, Member{name, v})
	}
}

// name0 is the string of the name k of member i of an AMF0 object at
// depth top: the name member i of the last object at that depth had,
// when its bytes are the same (objects of one depth tend to be alike),
// or else cachedText's.
func (b *builder) name0(top, i int, k []byte) string {
	if top < len(b.shapes) {
		if sh := b.shapes[top]; i < len(sh) && sh[i] == string(k) {
			return sh[i]
		}
	}
	name := b.cachedText(k).(string)
	if i < maxCountHint {
		for len(b.shapes) <= top {
			b.shapes = append(b.shapes, nil)
		}
		sh := b.shapes[top]
		if i < len(sh) {
			sh[i] = name
		} else if i == len(sh) {
			b.shapes[top] = append(sh, name)
		}
	}
	return name
}

func (b *builder) strict0() (any, error) {
	r := b.r
	return b.strict0At(r.t.Index, int(r.t.Count))
}

// strict0At reads the n items of the AMF0 strict array whose frame the
// Reader just opened, entry idx of the object table (or -1).
func (b *builder) strict0At(idx, n int) (any, error) {
	a, e := b.arrSlab.oneRef(refArray)
	if idx == len(b.refs0) {
		b.refs0 = append(b.refs0, e)
	} else {
		setRef(&b.refs0, idx, e)
	}
	if b.watchArgs {
		b.open = append(b.open, a)
	}
	var err error
	if a.Dense, err = b.dense(n, false, false); err != nil {
		return nil, err
	}
	if b.watchArgs {
		b.open = b.open[:len(b.open)-1]
	}
	return a, nil
}

// quick is value for the commonest scalars, the token in r.t a small
// integer, a null or an AMF3 string made before, in a call that can be
// inlined; false for anything else (which value builds).
func (b *builder) quick() (any, bool) {
	t := &b.r.t
	switch t.Kind {
	case KindInt:
		if uint64(t.Int-boxedIntMin) <= boxedIntMax-boxedIntMin {
			return boxedInt(int(t.Int)), true
		}
	case KindString:
		if i := t.StrIndex - 1; uint(i) < uint(len(b.strv)) && !b.watchCross {
			if s := b.strv[i]; s != nil {
				return s, true
			}
		}
	case KindNull:
		return nil, true
	}
	return nil, false
}

// dense reads the n items of an array or vector, up to its end token;
// with have, r.t holds the first token already; amf3 for an AMF3 array
// or vector. A large count, checked
// against the bytes left by the Reader, is allocated up front unless an
// enclosing container already was; everything else goes through the
// scratch stack.
func (b *builder) dense(n int, have, amf3 bool) ([]any, error) {
	r := b.r
	top, direct := b.direct() // top is the frame when direct
	if direct && !have && n > 0 && n <= maxChunk/4 {
		// Whole in the input, its count checked against the bytes left:
		// the items go straight into a slice cut from the slab, without
		// the scratch stack's copy and clearing.
		if f := &r.stack[top]; f.n-f.i == n {
			return b.denseSmall(top, n, amf3)
		}
	}
	// A stream Reader cannot check a count against the bytes left: its
	// items go through the scratch stack.
	if n > 256 && !b.inPrealloc && r.src == nil {
		if direct && !have && r.stack[top].kind == fStrict0 && r.stack[top].n-r.stack[top].i == n {
			return b.densePre0(top, n)
		}
		return b.densePre(top, direct, n, have, amf3)
	}
	return b.denseScratch(top, direct, have, amf3)
}

// densePre is dense for a large count, allocated up front.
func (b *builder) densePre(top int, direct bool, n int, have, amf3 bool) ([]any, error) {
	r := b.r
	b.inPrealloc = true
	out := makeBlocks[any](n)
	for i := 0; i < len(out); i++ {
		if have {
			have = false
		} else {
			var err error
			if f := &r.stack[top]; direct && f.i < f.n {
				f.i++
				if f.kind == fStrict0 {
					if v, ok, ferr := b.fast0(f); ok || ferr != nil {
						if ferr != nil {
							return nil, ferr
						}
						out[i] = v
						continue
					}
					err = r.value0()
				} else if v, ok, ferr := b.fast3(f); ok || ferr != nil {
					if ferr != nil {
						return nil, ferr
					}
					out[i] = v
					continue
				} else {
					err = r.item3(f)
				}
			} else {
				err = b.next()
			}
			if err != nil {
				return nil, err
			}
		}
		if amf3 {
			if v, ok := b.quick(); ok {
				out[i] = v
				continue
			}
		}
		if r.t.Kind == KindEnd {
			return nil, errors.New("amf: internal error: an array ends early")
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		out[i] = v
		if i == 0 {
			top, direct = b.direct()
		}
	}
	b.inPrealloc = false
	if err := b.item(top, direct); err != nil { // the end
		return nil, err
	}
	return out, nil
}

// densePre0 is densePre for the n items left of the AMF0 strict array
// whose frame is r.stack[top] (direct): numbers read as fast0 reads
// them, without the call.
func (b *builder) densePre0(top, n int) ([]any, error) {
	r := b.r
	b.inPrealloc = true
	out := makeBlocks[any](n)
	for i := range out {
		f := &r.stack[top]
		f.i++
		if off := r.off; off+9 <= len(r.data) && r.data[off] == m0Number {
			x := math.Float64frombits(binary.BigEndian.Uint64(r.data[off+1:]))
			var v any
			if x >= 0 && x <= boxedIntMax {
				if k := int(x); float64(k) == x && (k != 0 || !math.Signbit(x)) {
					v = boxedFloat(k) // float's test, inlined
				}
			}
			if v == nil {
				v = b.boxFloat(x)
			}
			out[i] = v
			r.off = off + 9
			f.expect = false
			continue
		}
		v, ok, err := b.fast0(f)
		if err != nil {
			return nil, err
		}
		if !ok {
			if err := r.value0(); err != nil {
				return nil, err
			}
			if v, err = b.value(); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	b.inPrealloc = false
	if err := b.next(); err != nil { // the end
		return nil, err
	}
	return out, nil
}

// denseScratch is dense through the scratch stack.
func (b *builder) denseScratch(top int, direct bool, have, amf3 bool) ([]any, error) {
	r := b.r
	start := len(b.vscratch)
	for i := 0; ; i++ {
		if have {
			have = false
		} else {
			var err error
			if f := &r.stack[top]; direct && f.i >= f.n {
				// The end, as Reader.next reads it.
				b.end3()
				return b.items(start), nil
			} else if direct {
				f.i++
				if f.kind == fStrict0 {
					if v, ok, ferr := b.fast0(f); ok || ferr != nil {
						if ferr != nil {
							return nil, ferr
						}
						b.vscratch = append(b.vscratch, v)
						continue
					}
					err = r.value0()
				} else if v, ok, ferr := b.fast3(f); ok || ferr != nil {
					if ferr != nil {
						return nil, ferr
					}
					b.vscratch = append(b.vscratch, v)
					continue
				} else {
					err = r.item3(f)
				}
			} else {
				err = b.next()
			}
			if err != nil {
				return nil, err
			}
		}
		if amf3 {
			if v, ok := b.quick(); ok {
				b.vscratch = append(b.vscratch, v)
				continue
			}
		}
		if r.t.Kind == KindEnd {
			return b.items(start), nil
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		b.vscratch = append(b.vscratch, v)
		if i == 0 {
			top, direct = b.direct()
		}
	}
}

// denseSmall is dense for the n items left of the array or vector whose
// frame is r.stack[top] (direct), n small: read as b.item would, into a
// slice cut from the slab, then the end as Reader.next reads it.
func (b *builder) denseSmall(top, n int, amf3 bool) ([]any, error) {
	r := b.r
	out := b.anySlab.take(n)
	for k := range out {
		f := &r.stack[top]
		f.i++
		var err error
		if f.kind == fStrict0 {
			v, ok, ferr := b.fast0(f)
			if ferr != nil {
				return nil, ferr
			}
			if ok {
				out[k] = v
				continue
			}
			err = r.value0()
		} else {
			// The commonest scalars, as fast3 reads them, without the
			// call.
			if off, data := r.off, r.data; off+1 < len(data) {
				switch c := data[off+1]; data[off] {
				case m3Integer:
					if c < 0x80 {
						out[k] = boxedInt(int(c))
						r.off = off + 2
						f.expect = false
						continue
					}
				case m3Null:
					r.off = off + 1
					f.expect = false
					continue
				}
			}
			v, ok, ferr := b.fast3(f)
			if ferr != nil {
				return nil, ferr
			}
			if ok {
				out[k] = v
				continue
			}
			err = r.item3(f)
		}
		if err != nil {
			return nil, err
		}
		if amf3 {
			if v, ok := b.quick(); ok {
				out[k] = v
				continue
			}
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	b.end3()
	return out, nil
}

// direct says whether the items of the array or vector whose frame is
// on top of the Reader's stack can be read without Reader.next's
// dispatch (b.item), and where the frame is.
func (b *builder) direct() (int, bool) {
	r := b.r
	top := len(r.stack) - 1
	if r.src != nil || top < 0 {
		return top, false
	}
	f := &r.stack[top]
	return top, (f.kind == fStrict0 || f.kind == fDense3 || f.kind == fVecObj3) && !f.ahead
}

// item reads the next item of the array or vector whose frame is
// r.stack[top], or its end, into r.t: as Reader.next would.
func (b *builder) item(top int, direct bool) error {
	if direct {
		if f := &b.r.stack[top]; f.i < f.n {
			f.i++
			if f.kind == fStrict0 {
				return b.r.value0()
			}
			return b.r.item3(f)
		}
	}
	return b.next()
}

func (b *builder) array3() (any, error) {
	r := b.r
	t := &r.t
	a, e := b.arrSlab.oneRef(refArray)
	b.regRef(t, e)
	n := int(t.Count)
	if !t.Assoc {
		var err error
		if a.Dense, err = b.dense(n, false, true); err != nil {
			return nil, err
		}
		return a, nil
	}
	// Names and values up to the empty name; then the dense part.
	start := len(b.scratch)
	for {
		if err := b.next(); err != nil {
			return nil, err
		}
		if r.t.Kind != KindName {
			break
		}
		if b.watchCross {
			b.cross(&r.t)
		}
		name := b.str3(&r.t).(string)
		if err := b.next(); err != nil {
			return nil, err
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		b.scratch = append(b.scratch, Member{name, v})
	}
	a.Assoc = b.members(start)
	// r.t is the first dense item, or the end.
	var err error
	if a.Dense, err = b.dense(n, true, true); err != nil {
		return nil, err
	}
	return a, nil
}

func (b *builder) object3() (any, error) {
	r := b.r
	if b.watchCross && b.strBase+b.traitBase > 0 {
		b.crossTraits(&r.t, r.stack[len(r.stack)-1].tr)
	}
	return b.object3At(r.t.Index)
}

// object3At reads the members of the AMF3 object whose frame the Reader
// just opened, entry idx of the object table.
func (b *builder) object3At(idx int) (any, error) {
	r := b.r
	f := &r.stack[len(r.stack)-1]
	tr := f.tr
	mt := b.modelTraits(tr)
	if b.objSlab.used >= b.objSlab.lim {
		b.objSlab.list(refObject)
	}
	o, e := b.objSlab.cut() // oneRef
	o.Class, o.Traits = mt.Class, mt
	b.regObj(idx, e)
	if f.kind == fWrapper3 {
		if err := b.next(); err != nil {
			return nil, err
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		if err := b.next(); err != nil { // the end
			return nil, err
		}
		ms := b.memSlab.take(1)
		ms[0] = Member{wrapperField(mt.Class), v}
		o.Members = ms
		return o, nil
	}
	// The members go straight into a slice cut from the slab, sized by
	// the sealed count and, for dynamic members, by the count of the
	// last dynamic object at the same depth (so at most what that one
	// really held; objects of one depth tend to be alike, where the same
	// anonymous traits serve every depth); past it, they spill to the
	// scratch stack.
	top := len(r.stack) - 1
	size := len(mt.Sealed)
	if mt.Dynamic && top < len(b.counts) {
		size += int(b.counts[top])
	}
	ms := b.memSlab.take(min(size, maxCountHint))[:0]
	start, spilled := len(b.scratch), false
	if f.kind == fSealed3 && r.src == nil && len(mt.Sealed) > 0 {
		// The sealed members, read as Reader.next would read them
		// (the name token skipped: the model's names are known).
		raw := tr.t.Sealed
		for i, name := range mt.Sealed {
			f := &r.stack[top] // the stack may have grown
			rn := raw[i]
			f.i, f.expect = i+1, true
			f.elems++
			if b.watchCross {
				b.crossIdx(tr.sealedIdx[i])
			}
			// The name goes into the frame (for error paths) only for a
			// value that may fail or open a container, as in dynamic3.
			var v any
			if off, data := r.off, r.data; off+1 < len(data) {
				// The commonest scalars, as fast3 reads them, without
				// the call.
				switch c := data[off+1]; data[off] {
				case m3Null:
					r.off = off + 1
					if !spilled && len(ms) < cap(ms) {
						f.expect = false
						ms = ms[:len(ms)+1] // the value stays nil, as in dynamic3
						ms[len(ms)-1].Name = name
						continue
					}
					goto add
				case m3False:
					v, r.off = false, off+1
					goto add
				case m3True:
					v, r.off = true, off+1
					goto add
				case m3Integer:
					if c < 0x80 {
						v, r.off = boxedInt(int(c)), off+2
						goto add
					}
				case m3String:
					if j := int(c >> 1); c < 0x80 && c&1 == 0 && j < len(b.strv) && j < len(r.strs) && b.strv[j] != nil {
						if b.watchCross {
							b.crossIdx(j + 1)
						}
						v, r.off = b.strv[j], off+2
						goto add
					}
				}
			}
			{
				// The name goes into the frame only if the value fails,
				// as in dynamic3.
				rb := unsafe.Slice(unsafe.StringData(rn), len(rn))
				var ok bool
				var err error
				if v, ok, err = b.fast3(f); err != nil {
					return nil, b.named(top, rb, err)
				}
				if !ok {
					if err := r.item3(f); err != nil {
						return nil, b.named(top, rb, err)
					}
					if v, ok = b.quick(); !ok {
						if v, err = b.value(); err != nil {
							return nil, b.named(top, rb, err)
						}
					}
				}
				goto member
			}
		add:
			f.expect = false
		member:
			if !spilled && len(ms) < cap(ms) {
				ms = append(ms, Member{name, v})
				continue
			}
			ms, spilled = b.spill(ms, spilled, Member{name, v})
		}
	}
	if f := &r.stack[top]; f.kind == fSealed3 && !f.expect && r.src == nil && f.i >= len(mt.Sealed) {
		// After the sealed members, as Reader.next goes on.
		if mt.Dynamic {
			f.kind = fDynamic3
		} else {
			// The end: no marker ends an object without dynamic members.
			b.end3()
			if spilled {
				ms = b.members(start)
			} else if len(ms) == 0 {
				ms = nil
			}
			o.Members = ms
			return o, nil
		}
	}
	return b.rest3(o, mt, top, ms, spilled, start)
}

// rest3 reads the members of the AMF3 object o, of traits mt, whose
// frame is r.stack[top], from where object3At or anon3 stopped, and its
// end: ms holds the members read so far (or, once spilled, the scratch
// stack from start).
func (b *builder) rest3(o *Object, mt *Traits, top int, ms []Member, spilled bool, start int) (any, error) {
	r := b.r
members:
	for {
		// Dynamic members whose name is a one- or two-byte reference to
		// a name made before, up to the empty name that ends the
		// object: read as Reader.next reads them, in a loop of their
		// own. Anything else takes one turn of the general loop below.
		if r.src == nil {
			var done bool
			var err error
			if ms, spilled, done, err = b.dynamic3(top, ms, spilled); done || err != nil {
				if err != nil {
					return nil, err
				}
				break members
			}
		}
		var name string
		f := &r.stack[top]
		if err := b.next(); err != nil {
			return nil, err
		}
		if r.t.Kind == KindEnd {
			break
		}
		f = &r.stack[top]
		switch f.kind {
		case fSealed3:
			name = mt.Sealed[f.i-1]
			if b.watchCross {
				b.cross(&r.t)
			}
		case fSmall3:
			name = f.pending[f.ptr-1]
		default:
			if b.watchCross {
				b.cross(&r.t)
			}
			if i := r.t.StrIndex - 1; uint(i) < uint(len(b.strv)) && b.strv[i] != nil {
				name = b.strv[i].(string)
			} else {
				name = b.str3(&r.t).(string)
			}
		}
		// The value, as Reader.next would read it.
		var v any
		var ok bool
		var err error
		if r.src == nil && f.expect && f.kind != fSmall3 {
			if v, ok, err = b.fast3(f); err != nil {
				return nil, err
			}
		}
		if !ok {
			switch {
			case r.src != nil || !f.expect:
				err = b.next()
			case f.kind == fSmall3:
				err = r.value3()
			default:
				err = r.item3(f)
			}
			if err != nil {
				return nil, err
			}
			if v, ok = b.quick(); !ok {
				if v, err = b.value(); err != nil {
					return nil, err
				}
			}
		}
		if !spilled && len(ms) < cap(ms) {
			ms = append(ms, Member{name, v})
			continue
		}
		ms, spilled = b.spill(ms, spilled, Member{name, v})
	}
	if spilled {
		ms = b.members(start)
	} else if len(ms) == 0 {
		ms = nil
	}
	if mt.Dynamic {
		for len(b.counts) <= top {
			b.counts = append(b.counts, 0)
		}
		b.counts[top] = uint8(min(len(ms)-len(mt.Sealed), maxCountHint))
	}
	o.Members = ms
	return o, nil
}

// anon3 is object3At for an object of the traits modelTraits gave last
// (b.lastTr, b.lastMt), dynamic with no sealed members and not
// externalizable, the whole input in memory: the commonest object of a
// reply (anonymous), read by dynamic3 from the start.
func (b *builder) anon3(idx int) (any, error) {
	r := b.r
	mt := b.lastMt
	top := len(r.stack) - 1
	if b.objSlab.used >= b.objSlab.lim {
		b.objSlab.list(refObject)
	}
	o, e := b.objSlab.cut() // oneRef
	if mt.Class != "" {
		o.Class = mt.Class // the slab's memory is zeroed: "" needs no store
	}
	o.Traits = mt
	b.regObj(idx, e)
	size := 0
	if top < len(b.counts) {
		size = int(b.counts[top]) // at most maxCountHint
	}
	ms := b.memSlab.take(size)[:0]
	r.stack[top].kind = fDynamic3 // no sealed members: as Reader.next does
	start := len(b.scratch)
	ms, spilled, done, err := b.dynamic3(top, ms, false)
	if err != nil {
		return nil, err
	}
	if !done {
		return b.rest3(o, mt, top, ms, spilled, start)
	}
	if spilled {
		ms = b.members(start)
	} else if len(ms) == 0 {
		ms = nil
	}
	for len(b.counts) <= top {
		b.counts = append(b.counts, 0)
	}
	b.counts[top] = uint8(min(len(ms), maxCountHint))
	o.Members = ms
	return o, nil
}

// dynamic3 reads dynamic members of the AMF3 object whose frame is
// r.stack[top] (the whole input in memory) while their names are one- or
// two-byte references to names made before, appending them to *ms (or
// the scratch stack once *spilled): as Reader.next reads them. It stops
// at anything else, for one turn of object3At's general loop, or at the
// empty name that ends the object (done).
//
// A member's name goes into the frame (for error paths) only when its
// value fails (named): the Reader reads a frame's name only to make an
// error's path (Reader.finish, from the frames as the error left them),
// and a name stored for every member that opens a container would be a
// pointer store, with a write barrier while the collector marks. A
// scalar read by fast3 leaves the frame expecting no value, where an
// error path names no member.
//
// Once spilled, ms is full (spill is called only when it has no room,
// and nothing is appended to it after), so len(ms) < cap(ms) alone says
// that a member goes into ms: the loop tests no flag per member.
func (b *builder) dynamic3(top int, ms []Member, spilled bool) (_ []Member, _, done bool, err error) {
	r := b.r
	f := &r.stack[top]
	if f.kind != fDynamic3 || f.expect {
		return ms, spilled, false, nil
	}
	// data's capacity as its length: its slices below are checked
	// against the length, and the loop keeps no capacity.
	data := r.data[:len(r.data):len(r.data)]
	maxElems := r.m.maxElements
	// off is r.off, stored back before anything else reads it.
	off := r.off
	for {
		// f.kind is fDynamic3 and f.expect false: after each member's
		// value as before the first.
		if off+1 >= len(data) {
			r.off = off
			return ms, spilled, false, nil
		}
		c := data[off]
		if c == 0x01 {
			r.off = off + 1
			b.end3()
			return ms, spilled, true, nil
		}
		var name string
		i, strv := int(c>>1), b.strv
		if c&0x81 == 0 && f.elems < maxElems {
			// A one-byte reference to a name met before (below 0x80 and
			// even: one test of both bits).
			if name = b.names[i&63]; name != "" {
				if b.watchCross {
					b.crossIdx(i + 1)
				}
				off++
				goto named
			}
		}
		{
			u, n := int(c), 1
			if c >= 0x80 {
				if data[off+1] >= 0x80 {
					r.off = off
					return ms, spilled, false, nil
				}
				u, n = int(c&0x7F)<<7|int(data[off+1]), 2
			}
			i = u >> 1
			if u&1 != 0 || i >= len(strv) || i >= len(r.strs) || f.elems >= maxElems {
				r.off = off
				return ms, spilled, false, nil
			}
			// The entries of strv are nil or strings boxed by box: the
			// string is read through the box, without a type assertion.
			p := (*eface)(unsafe.Pointer(&strv[i])).data
			if p == nil {
				r.off = off
				return ms, spilled, false, nil
			}
			name = *(*string)(p)
			if n == 1 {
				b.names[i&63] = name
				b.namesSet = true
			}
			if b.watchCross {
				b.crossIdx(i + 1)
			}
			off += n
		}
	named:
		f.elems++
		var v any
		if off+1 < len(data) {
			// The commonest scalars, as fast3 reads them, without the
			// call.
			switch c := data[off+1]; data[off] {
			case m3Null:
				off++
				if len(ms) < cap(ms) {
					// The member's value stays as the slab made it,
					// nil: no store (and, while the collector marks,
					// no write barrier).
					ms = ms[:len(ms)+1]
					ms[len(ms)-1].Name = name
					continue
				}
				goto add
			case m3False:
				v = false
				off++
				goto add
			case m3True:
				v = true
				off++
				goto add
			case m3Integer:
				if c < 0x80 {
					v = boxedInt(int(c))
					off += 2
					goto add
				}
			case m3String:
				if j := int(c >> 1); c < 0x80 && c&1 == 0 && j < len(strv) && j < len(r.strs) && strv[j] != nil {
					if b.watchCross {
						b.crossIdx(j + 1)
					}
					v = strv[j]
					off += 2
					goto add
				}
			case m3Double:
				if off+9 <= len(data) {
					// data[off+1 : off+9] (checked above): 8 bytes, so that
					// Uint64 tests no length and the slice needs no mask.
					v = b.float(math.Float64frombits(binary.BigEndian.Uint64(data[off+1 : off+9])))
					off += 9
					goto add
				}
			case m3Date:
				if c == 0x01 && off+10 <= len(data) && r.replay == 0 && len(r.objs) < r.m.maxRefs-r.objN0 {
					if b.dateSlab.used >= b.dateSlab.lim {
						b.dateSlab.list(refDate)
					}
					d, e := b.dateSlab.cut() // oneRef
					d.Ms = math.Float64frombits(binary.BigEndian.Uint64(data[off+2 : off+10]))
					r.objs = append(r.objs, uint32(int(r.base)+off))
					b.regObj(r.objN0+len(r.objs)-1, e)
					v = d
					off += 10
					goto add
				}
			}
		}
		// Anything else, as fast3 or Reader.item3 read it.
		r.off = off
		{
			f.expect = true
			// A container may grow the stack: f is taken again after it.
			scalar := off < len(data) && data[off] < m3Array
			var ok bool
			if v, ok, err = b.fast3(f); err != nil {
				return ms, spilled, false, b.named(top, r.sb(r.strs[i]), err)
			}
			if !ok {
				scalar = false
				if err := r.item3(f); err != nil {
					return ms, spilled, false, b.named(top, r.sb(r.strs[i]), err)
				}
				if v, ok = b.quick(); !ok {
					if v, err = b.value(); err != nil {
						return ms, spilled, false, b.named(top, r.sb(r.strs[i]), err)
					}
				}
			}
			off = r.off
			if !scalar {
				f = &r.stack[top]
				if f.kind != fDynamic3 || f.expect {
					if len(ms) < cap(ms) {
						ms = append(ms, Member{name, v})
					} else {
						ms, spilled = b.spill(ms, spilled, Member{name, v})
					}
					return ms, spilled, false, nil
				}
			}
		}
	add:
		if len(ms) < cap(ms) {
			ms = append(ms, Member{name, v})
		} else {
			ms, spilled = b.spill(ms, spilled, Member{name, v})
		}
	}
}

// named puts name, the name of the member whose value failed with err,
// into the frame r.stack[top] (where it is still, as the stack is
// unwound only after the error has its path), and returns err.
func (b *builder) named(top int, name []byte, err error) error {
	b.r.stack[top].name = name
	return err
}

// maxCountHint bounds the member slice cut before an object's members
// are read, and the dynamic member count remembered per traits.
const maxCountHint = 64

// spill adds m to the scratch stack once ms is full, moving ms there
// first.
func (b *builder) spill(ms []Member, spilled bool, m Member) ([]Member, bool) {
	if !spilled {
		b.scratch = append(b.scratch, ms...)
	}
	b.scratch = append(b.scratch, m)
	return ms, true
}

// modelTraits returns the model's traits for the Reader's: the same,
// unless a name needs decoding (CESU-8, or AllowInvalidUTF8), once per
// table entry.
func (b *builder) modelTraits(tr *traits3) *Traits {
	if tr == b.lastTr {
		return b.lastMt // an entry of the table, seen last
	}
	if tr == b.prevTr {
		return b.prevMt
	}
	r := b.r
	i := -1
	if len(r.traits) > 0 {
		d := uintptr(unsafe.Pointer(tr)) - uintptr(unsafe.Pointer(unsafe.SliceData(r.traits)))
		if k := int(d / unsafe.Sizeof(traits3{})); d%unsafe.Sizeof(traits3{}) == 0 && k < len(r.traits) && &r.traits[k] == tr {
			i = k
			if i < len(b.traits) && b.traits[i] != nil {
				b.prevTr, b.prevMt = b.lastTr, b.lastMt
				b.lastTr, b.lastMt = tr, b.traits[i]
				return b.traits[i]
			}
		}
	}
	mt := tr.t
	ok := utf8.ValidString(mt.Class)
	for _, s := range mt.Sealed {
		ok = ok && utf8.ValidString(s)
	}
	if !ok {
		c := *mt
		c.Class = b.text(unsafe.Slice(unsafe.StringData(mt.Class), len(mt.Class)))
		c.Sealed = make([]string, len(mt.Sealed))
		for j, s := range mt.Sealed {
			c.Sealed[j] = b.text(unsafe.Slice(unsafe.StringData(s), len(s)))
		}
		mt = &c
	}
	if i >= 0 {
		for len(b.traits) <= i {
			b.traits = append(b.traits, nil)
		}
		b.traits[i] = mt
		b.prevTr, b.prevMt = b.lastTr, b.lastMt
		b.lastTr, b.lastMt = tr, mt
	}
	return mt
}

func (b *builder) vector3() (any, error) {
	r := b.r
	t := &r.t
	v := &Vector{Type: t.Vector, Fixed: t.Fixed}
	b.reg(t, v)
	n := int(t.Count)
	if t.Vector == VectorObject {
		if b.watchCross && b.strBase > 0 {
			b.crossVectorType(t)
		}
		v.ObjectType = b.text(t.Bytes)
		var err error
		if v.Objects, err = b.dense(n, false, true); err != nil {
			return nil, err
		}
		return v, nil
	}
	if r.src == nil {
		// The Reader checked the count against the bytes left: read the
		// numbers straight from the input, then take the end token.
		f := &r.stack[len(r.stack)-1]
		src := r.data[r.off:]
		switch t.Vector {
		case VectorInt:
			v.Ints = make([]int32, n)
			for i := range v.Ints {
				v.Ints[i] = int32(binary.BigEndian.Uint32(src[4*i:]))
			}
			r.off += 4 * n
		case VectorUint:
			v.Uints = make([]uint32, n)
			for i := range v.Uints {
				v.Uints[i] = binary.BigEndian.Uint32(src[4*i:])
			}
			r.off += 4 * n
		default:
			v.Doubles = make([]float64, n)
			for i := range v.Doubles {
				v.Doubles[i] = math.Float64frombits(binary.BigEndian.Uint64(src[8*i:]))
			}
			r.off += 8 * n
		}
		f.i = f.n
		if err := b.next(); err != nil { // the end
			return nil, err
		}
		return v, nil
	}
	switch t.Vector {
	case VectorInt:
		v.Ints = make([]int32, 0, min(n, 1024))
	case VectorUint:
		v.Uints = make([]uint32, 0, min(n, 1024))
	default:
		v.Doubles = make([]float64, 0, min(n, 1024))
	}
	vt := t.Vector
	for {
		if err := b.next(); err != nil {
			return nil, err
		}
		if r.t.Kind == KindEnd {
			return v, nil
		}
		switch vt {
		case VectorInt:
			v.Ints = append(v.Ints, int32(r.t.Int))
		case VectorUint:
			v.Uints = append(v.Uints, uint32(r.t.Int))
		default:
			v.Doubles = append(v.Doubles, r.t.Float)
		}
	}
}

func (b *builder) dict3() (any, error) {
	r := b.r
	t := &r.t
	d := &Dictionary{WeakKeys: t.Fixed}
	b.reg(t, d)
	start := len(b.escratch)
	for {
		if err := b.next(); err != nil {
			return nil, err
		}
		if r.t.Kind == KindEnd {
			break
		}
		k, err := b.value()
		if err != nil {
			return nil, err
		}
		if err := b.next(); err != nil {
			return nil, err
		}
		v, err := b.value()
		if err != nil {
			return nil, err
		}
		b.escratch = append(b.escratch, DictEntry{k, v})
	}
	d.Entries = make([]DictEntry, len(b.escratch)-start)
	copy(d.Entries, b.escratch[start:])
	clear(b.escratch[start:])
	b.escratch = b.escratch[:start]
	return d, nil
}

// members copies the scratch members from start into an exactly sized
// slice cut from the slab, and pops them off the scratch stack.
func (b *builder) members(start int) []Member {
	n := len(b.scratch) - start
	if n == 0 {
		return nil
	}
	out := b.memSlab.take(n)
	copy(out, b.scratch[start:])
	clear(b.scratch[start:])
	b.scratch = b.scratch[:start]
	return out
}

// items is members for the value scratch stack. An empty result is
// empty but not nil, as a decoded empty array has no nil items slice.
func (b *builder) items(start int) []any {
	n := len(b.vscratch) - start
	if n == 0 {
		return []any{}
	}
	out := b.anySlab.take(n)
	copy(out, b.vscratch[start:])
	b.popItems(start)
	return out
}

func (b *builder) popItems(start int) {
	clear(b.vscratch[start:])
	b.vscratch = b.vscratch[:start]
}

// str3 is the boxed string of an AMF3 string or name token: made once
// per string-table entry.
func (b *builder) str3(t *Token) any {
	if i := t.StrIndex - 1; uint(i) < uint(len(b.strv)) {
		if s := b.strv[i]; s != nil {
			return s
		}
	}
	return b.strAt(t.StrIndex, t.Bytes)
}

// strAt is str3 for the bytes of string-table entry si-1 (si 0: not in
// the table).
func (b *builder) strAt(si int, bytes []byte) any {
	if si == 0 {
		if len(bytes) == 0 {
			return ""
		}
		return b.text(bytes)
	}
	if si <= len(b.strv) {
		if s := b.strv[si-1]; s != nil {
			return s
		}
	} else {
		for len(b.strv) < si {
			b.strv = append(b.strv, nil)
		}
	}
	s := b.box(b.text(bytes))
	b.strv[si-1] = s
	return s
}

// text is the decoder's string for the bytes of a string: UTF-8 as it
// is, CESU-8 surrogate pairs combined, other bytes kept as they are, or,
// with AllowInvalidUTF8, made valid with U+FFFD.
func (b *builder) text(s []byte) string {
	if len(s) > longTextMin && !b.m.lossyUTF8 {
		return longText(s)
	}
	if len(s) <= longTextMin && validShort(s) || utf8.Valid(s) {
		return b.short(s)
	}
	if b.m.lossyUTF8 {
		if t, ok := decodeCESU8(s); ok {
			return t
		}
		return string([]rune(string(s)))
	}
	return DecodeText(s)
}

// text is the value decoder's string for bytes the Reader names in an
// error (a member name in a path, a class name).
func (r *Reader) text(s []byte) string {
	if r.m != nil && r.m.lossyUTF8 && !utf8.Valid(s) {
		if t, ok := decodeCESU8(s); ok {
			return t
		}
		return string([]rune(string(s)))
	}
	return DecodeText(s)
}

// cachedText is text for short strings, through the cache.
func (b *builder) cachedText(s []byte) any {
	if len(s) > strCacheMaxLen {
		return b.text(s)
	}
	if b.noCache {
		if !validShort(s) {
			return b.box(b.text(s))
		}
		return b.box(b.short(s))
	}
	c := b.cache
	if c == nil {
		if b.misses < cacheAfter {
			// A decode's first strings go uncached: most replies have
			// a few (a target, "null"), and the cache (16 KB) was made
			// for them in each arena, 160 MB for bench's 10,000
			// connections.
			b.misses++
			if !validShort(s) {
				return b.box(b.text(s))
			}
			return b.box(b.short(s))
		}
		c = &strCache{seed: maphash.MakeSeed()}
		b.cache = c
	}
	i := maphash.Bytes(c.seed, s) & (strCacheSize - 1)
	if x, ok := c.slots[i].(string); ok && x == string(s) {
		b.hits++
		return c.slots[i]
	}
	if b.misses++; b.misses%cacheCheck == 0 && b.hits < b.misses/7 {
		b.noCache = true // under one hit in eight
	}
	if !validShort(s) {
		return b.box(b.text(s))
	}
	v := b.box(b.short(s))
	c.set(i, v)
	return v
}

// cacheCheck is how often (in misses) cachedText weighs the cache's
// hits.
const cacheCheck = 4096

// cacheAfter is how many short strings a decode reads before cachedText
// makes the cache.
const cacheAfter = 16

// validShort is utf8.Valid for a short string, ASCII told in a loop
// without a call.
func validShort(s []byte) bool {
	var or byte
	for _, c := range s {
		or |= c
	}
	return or < utf8.RuneSelf || utf8.Valid(s)
}

// short is string(s) for the bytes of a short string, copied into a
// chunk shared with the other short strings of the value.
func (b *builder) short(s []byte) string {
	if len(s) > 64 {
		return string(s)
	}
	if len(s) > cap(b.byteSlab)-len(b.byteSlab) {
		b.byteSlab = make([]byte, 0, min(max(2*cap(b.byteSlab), 256), 16<<10))
	}
	n := len(b.byteSlab)
	b.byteSlab = append(b.byteSlab, s...)
	return unsafe.String(unsafe.SliceData(b.byteSlab[n:]), len(s))
}

// eface is the layout of an interface value with methods none.
type eface struct {
	typ, data unsafe.Pointer
}

var (
	stringType  = typeOf("")
	float64Type = typeOf(0.0)
	intType     = typeOf(Int(0))
)

func typeOf(x any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&x)).typ }

// boxAt makes the interface value of the type typ whose value is at p,
// which nothing changes afterwards: what converting the value to any
// does, without an allocation per value (p is cut from a slab).
func boxAt(typ, p unsafe.Pointer) any {
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = typ, p
	return x
}

// box is any(s), with the string header cut from a slab.
func (b *builder) box(s string) any {
	p := b.strSlab.one()
	*p = s
	return boxAt(stringType, unsafe.Pointer(p))
}

// ---- cross-switch references ----

// cross notes a string or name token that refers to a string of an
// earlier 0x11 switch.
func (b *builder) cross(t *Token) { b.crossIdx(t.StrIndex) }

// crossIdx is cross for a string-table index + 1.
func (b *builder) crossIdx(si int) {
	if si > 0 && si <= b.strBase {
		b.crossRefs = true
	}
}

// crossTraits notes traits, or the class name of inline traits, that
// refer to an earlier switch.
func (b *builder) crossTraits(t *Token, tr *traits3) {
	r := b.r
	if int64(tr.start) < b.switchAt {
		b.crossRefs = true // traits of an earlier switch
		return
	}
	if int64(tr.start) != t.Offset+1 || r.src != nil {
		return // traits met before, in this switch
	}
	// Inline traits read just now: is the class name a reference?
	p := tr.start - int(r.base)
	if _, n := peekU29Size(r.data, p); n > 0 {
		if u, m := peekU29Size(r.data, p+n); m > 0 && u&1 == 0 && int(u>>1) < b.strBase {
			b.crossRefs = true
		}
	}
}

// crossVectorType notes a Vector.<Object> type name that refers to a
// string of an earlier switch.
func (b *builder) crossVectorType(t *Token) {
	r := b.r
	if r.src != nil {
		return
	}
	p := int(t.Offset-r.base) + 1
	if _, n := peekU29Size(r.data, p); n > 0 {
		if u, m := peekU29Size(r.data, p+n+1); m > 0 && u&1 == 0 && int(u>>1) < b.strBase {
			b.crossRefs = true
		}
	}
}

// peekU29Size reads a U29 at p without moving: its value and size (0 when
// the input ends first).
func peekU29Size(data []byte, p int) (uint32, int) {
	var v uint32
	for i := 0; i < 4; i++ {
		if p+i >= len(data) || p+i < 0 {
			return 0, 0
		}
		c := data[p+i]
		if i == 3 {
			return v<<8 | uint32(c), 4
		}
		if c < 0x80 {
			return v<<7 | uint32(c), i + 1
		}
		v = v<<7 | uint32(c&0x7F)
	}
	return 0, 0
}

// Valid reports, through the token Reader and without building values,
// whether data is a sequence of values of version ver that decodes: nil,
// or the error [UnmarshalAll] returns.
func Valid(data []byte, ver Version) error {
	r := NewReader(data, ver)
	for {
		if err := r.Skip(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// fast3 reads the next AMF3 value of the container whose frame is f,
// the innermost, when it is one of the commonest scalars written in
// their usual form (null, a boolean, an integer in one or two bytes, a
// double, a one- or two-byte reference to a string made before, an inline
// date), or an object of traits met before, and returns it with true,
// leaving the frames as Reader.item3 would (the scalar's token is not
// made: nothing reads it). Anything else, and a
// value that the input cuts short, is left to the Reader: false, nothing
// read. It needs the whole input (r.src nil).
func (b *builder) fast3(f *frame) (any, bool, error) {
	r := b.r
	off := r.off
	if off+1 >= len(r.data) {
		return nil, false, nil
	}
	c := r.data[off+1]
	switch r.data[off] {
	case m3Null:
		r.off = off + 1
		f.expect = false
		return nil, true, nil
	case m3False:
		r.off = off + 1
		f.expect = false
		return false, true, nil
	case m3True:
		r.off = off + 1
		f.expect = false
		return true, true, nil
	case m3Integer:
		if c < 0x80 {
			r.off = off + 2
			f.expect = false
			return boxedInt(int(c)), true, nil
		}
		if off+2 < len(r.data) && r.data[off+2] < 0x80 {
			i := int(c&0x7F)<<7 | int(r.data[off+2])
			r.off = off + 3
			f.expect = false
			if i <= boxedIntMax {
				return boxedInt(i), true, nil
			}
			p := b.intSlab.one()
			*p = Int(i)
			return boxAt(intType, unsafe.Pointer(p)), true, nil
		}
	case m3Double:
		if off+9 <= len(r.data) {
			x := math.Float64frombits(binary.BigEndian.Uint64(r.data[off+1 : off+9]))
			r.off = off + 9
			f.expect = false
			return b.float(x), true, nil
		}
	case m3String:
		u, n := int(c), 2
		if c >= 0x80 {
			u = 1 << 14 // a U29 of three bytes or more: left to value3
			if off+2 < len(r.data) && r.data[off+2] < 0x80 {
				u, n = int(c&0x7F)<<7|int(r.data[off+2]), 3
			}
		}
		if i := u >> 1; u < 1<<14 && u&1 == 0 && i < len(b.strv) && i < len(r.strs) {
			if s := b.strv[i]; s != nil {
				if b.watchCross {
					b.crossIdx(i + 1)
				}
				r.off = off + n
				f.expect = false
				return s, true, nil
			}
		}
	case m3Object:
		// An object of traits read before, the reference in one byte.
		if i := int(c >> 2); c < 0x80 && c&3 == 1 && i < len(r.traits) && r.replay == 0 &&
			r.depth < r.m.maxDepth && len(r.objs) < r.m.maxRefs-r.objN0 && !r.traits[i].t.Externalizable {
			// As Reader.object3 opens it.
			tr := &r.traits[i]
			r.off = off + 2
			r.objs = append(r.objs, uint32(int(r.base)+off))
			oi := r.objN0 + len(r.objs) - 1
			b.push(fSealed3, tr)
			if b.watchCross && b.strBase+b.traitBase > 0 && int64(tr.start) < b.switchAt {
				b.crossRefs = true // traits of an earlier switch
			}
			if tr == b.lastTr && b.lastMt.Dynamic && len(b.lastMt.Sealed) == 0 {
				v, err := b.anon3(oi)
				return v, true, err
			}
			v, err := b.object3At(oi)
			return v, true, err
		}
	case m3Array:
		// A dense array, its count in one byte, as Reader.array3 opens
		// it.
		if n := int(c >> 1); c < 0x80 && c&1 == 1 && off+2 < len(r.data) && r.data[off+2] == 0x01 &&
			n <= len(r.data)-(off+3) && n <= r.m.maxElements && r.replay == 0 && r.depth < r.m.maxDepth && len(r.objs) < r.m.maxRefs-r.objN0 {
			r.off = off + 3
			r.objs = append(r.objs, uint32(int(r.base)+off))
			oi := r.objN0 + len(r.objs) - 1
			b.push(fDense3, nil).n = n
			if b.arrSlab.used >= b.arrSlab.lim {
				b.arrSlab.list(refArray)
			}
			a, e := b.arrSlab.cut() // oneRef
			b.regObj(oi, e)
			var err error
			if n > 0 && n <= maxChunk/4 {
				// What dense does for it: its frame was just opened,
				// with all its items to come, whole in the input.
				a.Dense, err = b.denseSmall(len(r.stack)-1, n, true)
			} else {
				a.Dense, err = b.dense(n, false, true)
			}
			if err != nil {
				return nil, true, err
			}
			return a, true, nil
		}
	case m3Date:
		if c == 0x01 && off+10 <= len(r.data) && r.replay == 0 && len(r.objs) < r.m.maxRefs-r.objN0 {
			if b.dateSlab.used >= b.dateSlab.lim {
				b.dateSlab.list(refDate)
			}
			d, e := b.dateSlab.cut() // oneRef
			d.Ms = math.Float64frombits(binary.BigEndian.Uint64(r.data[off+2 : off+10]))
			r.objs = append(r.objs, uint32(int(r.base)+off))
			b.regObj(r.objN0+len(r.objs)-1, e)
			r.off = off + 10
			f.expect = false
			return d, true, nil
		}
	}
	return nil, false, nil
}

// float is the boxed double x: the small integers boxed once for all
// (fast0 and densePre0 make the same test inline).
func (b *builder) float(x float64) any {
	if x >= 0 && x <= boxedIntMax {
		if i := int(x); float64(i) == x && (i != 0 || !math.Signbit(x)) {
			return boxedFloat(i)
		}
	}
	return b.boxFloat(x)
}

// boxFloat is float for the other doubles, boxed over the slab.
func (b *builder) boxFloat(x float64) any {
	var p *float64
	if s := &b.numSlab; s.used < len(s.buf) {
		p = &s.buf[s.used] // one, in line
		s.used++
	} else {
		p = s.one()
	}
	*p = x
	return boxAt(float64Type, unsafe.Pointer(p))
}

// fast0 is fast3 for AMF0: the value of the object or strict array
// whose frame is f, the innermost, when it is a number, a boolean, a
// short string, a null, an undefined or a date that the object table
// does not count, whole in the input. An anonymous object or a strict
// array is opened as Reader.value0 opens it and read. Anything else: false, nothing read.
func (b *builder) fast0(f *frame) (any, bool, error) {
	r := b.r
	off := r.off
	if off+1 >= len(r.data) {
		return nil, false, nil
	}
	switch r.data[off] {
	case m0Number:
		if off+9 <= len(r.data) {
			x := math.Float64frombits(binary.BigEndian.Uint64(r.data[off+1:]))
			r.off = off + 9
			f.expect = false
			if x >= 0 && x <= boxedIntMax {
				if i := int(x); float64(i) == x && (i != 0 || !math.Signbit(x)) {
					return boxedFloat(i), true, nil // float's test, inlined
				}
			}
			return b.boxFloat(x), true, nil
		}
	case m0Boolean:
		r.off = off + 2
		f.expect = false
		return r.data[off+1] != 0, true, nil
	case m0String:
		if off+3 <= len(r.data) {
			n := int(binary.BigEndian.Uint16(r.data[off+1:]))
			if end := off + 3 + n; end <= len(r.data) && n <= r.m.maxLength {
				s := r.data[off+3 : end : end]
				r.off = end
				f.expect = false
				return b.cachedText(s), true, nil
			}
		}
	case m0Null:
		r.off = off + 1
		f.expect = false
		return nil, true, nil
	case m0Undefined:
		r.off = off + 1
		f.expect = false
		return Undefined{}, true, nil
	case m0Date:
		if off+11 <= len(r.data) && !r.m.profile.registersDates() && !r.dateRefs {
			d := b.dateSlab.one()
			d.Ms = math.Float64frombits(binary.BigEndian.Uint64(r.data[off+1:]))
			d.TZ = int16(binary.BigEndian.Uint16(r.data[off+9:]))
			b.sawDate = true
			r.off = off + 11
			f.expect = false
			return d, true, nil
		}
	case m0StrictArray:
		if off+5 <= len(r.data) && r.replay == 0 && r.depth < r.m.maxDepth && len(r.refs0) < r.m.maxRefs {
			// As Reader.value0 opens it, when its count passes.
			n := int64(binary.BigEndian.Uint32(r.data[off+1:]))
			if n > int64(r.m.maxElements) || n > int64(len(r.data)-(off+5)) {
				break
			}
			r.off = off + 5
			r.refs0 = append(r.refs0, int(r.base)+off)
			b.push(fStrict0, nil).n = int(n)
			v, err := b.strict0At(len(r.refs0)-1, int(n))
			return v, true, err
		}
	case m0Object:
		if r.replay == 0 && r.depth < r.m.maxDepth && len(r.refs0) < r.m.maxRefs {
			// As Reader.value0 opens it.
			r.off = off + 1
			r.refs0 = append(r.refs0, int(r.base)+off)
			i := len(r.refs0) - 1
			b.push(fObj0, nil)
			o, e := b.objSlab.oneRef(refObject)
			if i == len(b.refs0) {
				b.refs0 = append(b.refs0, e)
			} else {
				setRef(&b.refs0, i, e)
			}
			ms, err := b.members0()
			o.Members = ms
			return o, true, err
		}
	}
	return nil, false, nil
}

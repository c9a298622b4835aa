package convert

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// AppendAMF converts every bare AMF value in data (values one after
// another, sharing one reference context, as in a stream or a file) to
// JSON, one document per line, each followed by a newline.
//
// The plain form is written straight from the bytes, without building the
// value model: shared values are read again from where they first stood.
// Anything that path does not handle (the typed form, a decoding error,
// Flex small messages, vectors, dictionaries, CESU-8 strings) goes through
// the value model instead, so the output and the errors are the same
// either way.
func AppendAMF(dst []byte, data []byte, ver amf.Version, o *Options) ([]byte, error) {
	if o == nil || !o.Typed {
		f := fastPool.Get().(*fastConv)
		f.reset(o, dst, data)
		out, ok := f.run(ver)
		f.release()
		if ok {
			return out, nil
		}
	}
	return appendAMFModel(dst, data, ver, o)
}

func appendAMFModel(dst []byte, data []byte, ver amf.Version, o *Options) ([]byte, error) {
	vs, err := amf.UnmarshalAll(data, ver)
	if err != nil {
		return nil, err
	}
	return AppendValues(dst, vs, o)
}

// errFallback makes the fast path give way to the value model.
var errFallback = errors.New("fallback")

// Limits the fast path shares with amf's default decoder, so that it never
// accepts what the decoder refuses.
const (
	fastMaxDepth  = 512
	fastMaxLength = 1<<28 - 1
)

// strRef is a string in the input; tab is its string-table index + 1 (0
// when it is not in the table), used to cache its quoted JSON form.
type strRef struct{ start, end, tab int }

type fastTraits struct {
	class   strRef
	sealed  []strRef
	dynamic bool
	ext     int // 0 none, 1 wrapper (ArrayCollection, ArrayList, ObjectProxy)
}

type fastConv struct {
	w      *writer
	data   []byte
	off    int
	depth  int
	replay int // > 0 while re-reading a shared value
	quiet  int // > 0 while reading without keeping the output

	refs0  []int // AMF0 table: offsets of markers
	strs   []strRef
	quoted [][2]int // per string-table entry: its quoted form in qbuf, or {0, 0}
	qbuf   []byte
	objs   []int // AMF3 object table: offsets of markers
	traits []fastTraits

	anc  []int // object-table keys of the containers being written
	segs []fastSeg
}

type fastSeg struct {
	name    strRef
	index   int
	isIndex bool
	alias   bool
}

// fastPool keeps converters, so their tables are reused across calls.
var fastPool = sync.Pool{New: func() any { return &fastConv{w: &writer{}} }}

func (f *fastConv) reset(o *Options, dst, data []byte) {
	*f.w = *newWriter(o)
	f.w.buf = dst
	f.data, f.off, f.depth, f.replay, f.quiet = data, 0, 0, 0, 0
	f.refs0, f.strs, f.objs = f.refs0[:0], f.strs[:0], f.objs[:0]
	f.quoted, f.qbuf = f.quoted[:0], f.qbuf[:0]
	f.traits, f.anc, f.segs = f.traits[:0], f.anc[:0], f.segs[:0]
}

// release returns f to the pool unless its tables grew very large.
func (f *fastConv) release() {
	f.w.buf, f.data = nil, nil
	f.w.o = Options{}
	if cap(f.qbuf) > 1<<20 || cap(f.objs) > 1<<16 || cap(f.strs) > 1<<16 {
		return
	}
	clear(f.traits[:cap(f.traits)])
	fastPool.Put(f)
}

func (f *fastConv) run(ver amf.Version) ([]byte, bool) {
	for f.off < len(f.data) {
		var err error
		if ver == amf.AMF0 {
			err = f.value0(fastSeg{})
		} else {
			err = f.value3(fastSeg{})
		}
		if err != nil {
			return nil, false
		}
		f.w.buf = append(f.w.buf, '\n')
	}
	return f.w.buf, true
}

func (f *fastConv) u8() (byte, error) {
	if f.off >= len(f.data) {
		return 0, errFallback
	}
	b := f.data[f.off]
	f.off++
	return b, nil
}

func (f *fastConv) u16() (int, error) {
	if len(f.data)-f.off < 2 {
		return 0, errFallback
	}
	v := binary.BigEndian.Uint16(f.data[f.off:])
	f.off += 2
	return int(v), nil
}

func (f *fastConv) u32() (int, error) {
	if len(f.data)-f.off < 4 {
		return 0, errFallback
	}
	v := binary.BigEndian.Uint32(f.data[f.off:])
	f.off += 4
	return int(v), nil
}

func (f *fastConv) f64() (float64, error) {
	if len(f.data)-f.off < 8 {
		return 0, errFallback
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(f.data[f.off:]))
	f.off += 8
	return v, nil
}

func (f *fastConv) u29() (uint32, error) {
	var v uint32
	for i := 0; i < 3; i++ {
		if f.off >= len(f.data) {
			return 0, errFallback
		}
		b := f.data[f.off]
		f.off++
		if b < 0x80 {
			return v<<7 | uint32(b), nil
		}
		v = v<<7 | uint32(b&0x7F)
	}
	if f.off >= len(f.data) {
		return 0, errFallback
	}
	b := f.data[f.off]
	f.off++
	return v<<8 | uint32(b), nil
}

// take returns n bytes as a reference, checking UTF-8 when asked.
func (f *fastConv) take(n int, text bool) (strRef, error) {
	if n > fastMaxLength || n > len(f.data)-f.off {
		return strRef{}, errFallback
	}
	r := strRef{start: f.off, end: f.off + n}
	f.off += n
	if text && !utf8.Valid(f.data[r.start:r.end]) {
		return strRef{}, errFallback
	}
	return r, nil
}

func (f *fastConv) enter() error {
	f.depth++
	if f.depth >= fastMaxDepth {
		return errFallback
	}
	if len(f.w.buf) > f.w.maxOut {
		return errFallback
	}
	return nil
}

// ---- output ----

func (f *fastConv) str(r strRef) {
	w := f.w
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
		w.buf = f.quote(w.buf, r)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = f.quote(w.buf, r)
}

func (f *fastConv) key(r strRef, first bool) {
	w := f.w
	if !first {
		w.punct(',')
	}
	w.newline()
	if w.o.Palette != nil && w.o.Palette.Key != "" {
		w.buf = append(w.buf, w.o.Palette.Key...)
		w.buf = f.quote(w.buf, r)
		w.buf = append(w.buf, w.o.Palette.Reset...)
	} else {
		w.buf = f.quote(w.buf, r)
	}
	w.punct(':')
	if w.o.Indent != "" {
		w.buf = append(w.buf, ' ')
	}
}

func (f *fastConv) double(x float64) {
	w := f.w
	if math.IsNaN(x) || math.IsInf(x, 0) {
		w.lit("null")
		return
	}
	w.numStart()
	w.buf = appendDouble(w.buf, x, false)
	w.numEnd()
}

func (f *fastConv) date(ms float64) {
	w := f.w
	switch {
	case dateText(ms):
		w.dateStr(int64(ms))
	case math.IsNaN(ms) || math.IsInf(ms, 0):
		w.lit("null")
	default:
		w.numStart()
		w.buf = appendDouble(w.buf, ms, false)
		w.numEnd()
	}
}

func (f *fastConv) bytes(r strRef) {
	w := f.w
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
	}
	w.buf = append(w.buf, '"')
	w.buf = base64.StdEncoding.AppendEncode(w.buf, f.data[r.start:r.end])
	w.buf = append(w.buf, '"')
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.Reset...)
	}
}

// cycle writes {"$ref": pointer} when key is one of the containers being
// written, as the value-model writer does.
func (f *fastConv) cycle(key int) bool {
	for i := len(f.anc) - 1; i >= 0; i-- {
		if f.anc[i] == key {
			w := f.w
			p := f.pointer(i + 1)
			w.open('{')
			w.key("$ref", true)
			w.str(p)
			w.close('}', false)
			if w.o.Warn != nil && f.quiet == 0 {
				w.o.Warn("cycle: the value at " + strconv.Quote(p) + " contains itself; plain JSON writes {\"$ref\": " + strconv.Quote(p) + "} where it recurs (the typed form keeps the cycle)")
			}
			return true
		}
	}
	return false
}

func (f *fastConv) pointer(n int) string {
	var b []byte
	for i, s := range f.segs[:n] {
		if i == 0 || s.alias {
			continue
		}
		b = append(b, '/')
		if s.isIndex {
			b = strconv.AppendInt(b, int64(s.index), 10)
			continue
		}
		for _, c := range f.data[s.name.start:s.name.end] {
			switch c {
			case '~':
				b = append(b, '~', '0')
			case '/':
				b = append(b, '~', '1')
			default:
				b = append(b, c)
			}
		}
	}
	return string(b)
}

func (f *fastConv) push(key int, s fastSeg) {
	f.anc = append(f.anc, key)
	f.segs = append(f.segs, s)
}

func (f *fastConv) pop() {
	f.anc = f.anc[:len(f.anc)-1]
	f.segs = f.segs[:len(f.segs)-1]
}

// ---- AMF3 ----

// register3 adds the value whose marker is at off to the object table, and
// returns its key for cycle detection. While re-reading a shared value
// nothing is added; the key is found from the marker's offset.
func (f *fastConv) register3(off int) int {
	if f.replay > 0 {
		i := sort.SearchInts(f.objs, off)
		if i < len(f.objs) && f.objs[i] == off {
			return i
		}
		return math.MinInt + off
	}
	f.objs = append(f.objs, off)
	return len(f.objs) - 1
}

// ref3 re-reads the shared value with object-table index i.
func (f *fastConv) ref3(i int, s fastSeg) error {
	if i >= len(f.objs) {
		return errFallback
	}
	if f.cycle(i) {
		return nil
	}
	save := f.off
	f.off = f.objs[i]
	f.replay++
	err := f.value3(s)
	f.replay--
	f.off = save
	return err
}

func (f *fastConv) str3() (strRef, error) {
	u, err := f.u29()
	if err != nil {
		return strRef{}, err
	}
	if u&1 == 0 {
		i := int(u >> 1)
		if i >= len(f.strs) {
			return strRef{}, errFallback
		}
		return f.strs[i], nil
	}
	n := int(u >> 1)
	if n == 0 {
		return strRef{}, nil
	}
	r, err := f.take(n, true)
	if err != nil {
		return r, err
	}
	if f.replay == 0 {
		f.strs = append(f.strs, r)
		r.tab = len(f.strs)
		f.strs[r.tab-1] = r
	}
	return r, nil
}

// quote appends the JSON form of r, caching it for table strings, which
// recur (member names, values from a small pool).
func (f *fastConv) quote(dst []byte, r strRef) []byte {
	if r.tab == 0 {
		return appendStringBytes(dst, f.data[r.start:r.end])
	}
	for len(f.quoted) < r.tab {
		f.quoted = append(f.quoted, [2]int{})
	}
	q := f.quoted[r.tab-1]
	if q[1] == 0 {
		q[0] = len(f.qbuf)
		f.qbuf = appendStringBytes(f.qbuf, f.data[r.start:r.end])
		q[1] = len(f.qbuf)
		f.quoted[r.tab-1] = q
	}
	return append(dst, f.qbuf[q[0]:q[1]]...)
}

func (f *fastConv) value3(s fastSeg) error {
	w := f.w
	start := f.off
	m, err := f.u8()
	if err != nil {
		return err
	}
	switch m {
	case 0x00, 0x01:
		w.lit("null")
	case 0x02:
		w.lit("false")
	case 0x03:
		w.lit("true")
	case 0x04:
		u, err := f.u29()
		if err != nil {
			return err
		}
		w.numStart()
		w.buf = strconv.AppendInt(w.buf, int64(int32(u<<3)>>3), 10)
		w.numEnd()
	case 0x05:
		x, err := f.f64()
		if err != nil {
			return err
		}
		f.double(x)
	case 0x06:
		r, err := f.str3()
		if err != nil {
			return err
		}
		f.str(r)
	case 0x07, 0x0B, 0x08, 0x0C:
		u, err := f.u29()
		if err != nil {
			return err
		}
		if u&1 == 0 {
			return f.ref3(int(u>>1), s)
		}
		f.register3(start)
		switch m {
		case 0x08:
			ms, err := f.f64()
			if err != nil {
				return err
			}
			f.date(ms)
		case 0x0C:
			r, err := f.take(int(u>>1), false)
			if err != nil {
				return err
			}
			f.bytes(r)
		default:
			r, err := f.take(int(u>>1), true)
			if err != nil {
				return err
			}
			f.str(r)
		}
	case 0x09:
		return f.array3(start, s)
	case 0x0A:
		return f.object3(start, s)
	default:
		// Vectors, dictionaries and bad markers go through the model.
		return errFallback
	}
	return nil
}

// header3 reads the U29 after a container's marker: a reference is
// written at once (inline false); an inline container is entered.
func (f *fastConv) header3(s fastSeg) (u uint32, inline bool, err error) {
	if u, err = f.u29(); err != nil {
		return 0, false, err
	}
	if u&1 == 0 {
		return 0, false, f.ref3(int(u>>1), s)
	}
	return u, true, f.enter()
}

func (f *fastConv) array3(start int, s fastSeg) error {
	u, inline, err := f.header3(s)
	if !inline || err != nil {
		return err
	}
	key := f.register3(start)
	if f.cycle(key) {
		f.depth--
		return nil
	}
	f.push(key, s)
	// On error the whole conversion is abandoned, so the depth and the
	// stack are only restored on success.
	if err := f.array3body(u); err != nil {
		return err
	}
	f.pop()
	f.depth--
	return nil
}

func (f *fastConv) array3body(u uint32) error {
	n := int(u >> 1)
	if n > len(f.data)-f.off {
		return errFallback
	}
	w := f.w
	// The associative part comes first on the wire, but the plain form
	// writes the dense part first.
	keyOff := f.off
	k, err := f.str3()
	if err != nil {
		return err
	}
	if k.end == k.start {
		w.open('[')
		for i := 0; i < n; i++ {
			w.item(i == 0)
			if err := f.value3(fastSeg{index: i, isIndex: true}); err != nil {
				return err
			}
		}
		w.close(']', n == 0)
		return nil
	}
	// A mixed array. Read the associative part once without keeping its
	// output, so that its strings and objects join the tables in wire
	// order; write the dense part; then read the associative part again
	// (registering nothing) and write it.
	saveLen, saveLevel := len(w.buf), w.level
	f.quiet++
	for k.end != k.start {
		if err := f.value3(fastSeg{name: k}); err != nil {
			f.quiet--
			return err
		}
		if k, err = f.str3(); err != nil {
			f.quiet--
			return err
		}
	}
	f.quiet--
	w.buf, w.level = w.buf[:saveLen], saveLevel
	w.open('{')
	first := true
	for i := 0; i < n; i++ {
		w.key(strconv.Itoa(i), first)
		first = false
		if err := f.value3(fastSeg{index: i, isIndex: true}); err != nil {
			return err
		}
	}
	denseEnd := f.off
	f.off = keyOff
	f.replay++
	for {
		k, err := f.str3()
		if err != nil {
			return err
		}
		if k.end == k.start {
			break
		}
		f.key(k, first)
		first = false
		if err := f.value3(fastSeg{name: k}); err != nil {
			return err
		}
	}
	f.replay--
	f.off = denseEnd
	w.close('}', first)
	return nil
}

func (f *fastConv) object3(start int, s fastSeg) error {
	u, inline, err := f.header3(s)
	if !inline || err != nil {
		return err
	}
	var t *fastTraits
	switch {
	case u&2 == 0:
		i := int(u >> 2)
		if i >= len(f.traits) {
			return errFallback
		}
		t = &f.traits[i]
	case u&4 != 0:
		c, err := f.str3()
		if err != nil {
			return err
		}
		switch string(f.data[c.start:c.end]) {
		case amf.ClassArrayCollection, amf.ClassArrayList, amf.ClassObjectProxy:
		default:
			return errFallback
		}
		nt := fastTraits{class: c, ext: 1}
		if f.replay == 0 {
			f.traits = append(f.traits, nt)
			t = &f.traits[len(f.traits)-1]
		} else {
			t = &nt
		}
	default:
		n := int(u >> 4)
		c, err := f.str3()
		if err != nil {
			return err
		}
		if n > len(f.data)-f.off {
			return errFallback
		}
		nt := fastTraits{class: c, dynamic: u&8 != 0, sealed: make([]strRef, 0, n)}
		for i := 0; i < n; i++ {
			r, err := f.str3()
			if err != nil {
				return err
			}
			nt.sealed = append(nt.sealed, r)
		}
		if f.replay == 0 {
			f.traits = append(f.traits, nt)
			t = &f.traits[len(f.traits)-1]
		} else {
			t = &nt
		}
	}
	key := f.register3(start)
	if f.cycle(key) {
		f.depth--
		return nil
	}
	f.push(key, s)
	if t.ext != 0 {
		// A Flex wrapper stands for the value it wraps, at the same place.
		if err := f.value3(fastSeg{alias: true}); err != nil {
			return err
		}
		f.pop()
		f.depth--
		return nil
	}
	// t may move when nested objects add traits: copy what is needed.
	sealed, dynamic := t.sealed, t.dynamic
	w := f.w
	w.open('{')
	first := true
	for _, name := range sealed {
		f.key(name, first)
		first = false
		if err := f.value3(fastSeg{name: name}); err != nil {
			return err
		}
	}
	if dynamic {
		for {
			k, err := f.str3()
			if err != nil {
				return err
			}
			if k.end == k.start {
				break
			}
			f.key(k, first)
			first = false
			if err := f.value3(fastSeg{name: k}); err != nil {
				return err
			}
		}
	}
	w.close('}', first)
	f.pop()
	f.depth--
	return nil
}

// ---- AMF0 ----

func (f *fastConv) register0(off int) int {
	if f.replay > 0 {
		i := sort.SearchInts(f.refs0, off)
		if i < len(f.refs0) && f.refs0[i] == off {
			return -1 - i
		}
		return math.MinInt/2 + off
	}
	f.refs0 = append(f.refs0, off)
	return -1 - (len(f.refs0) - 1)
}

func (f *fastConv) value0(s fastSeg) error {
	w := f.w
	start := f.off
	m, err := f.u8()
	if err != nil {
		return err
	}
	switch m {
	case 0x00:
		x, err := f.f64()
		if err != nil {
			return err
		}
		f.double(x)
	case 0x01:
		b, err := f.u8()
		if err != nil {
			return err
		}
		w.lit(boolText(b != 0))
	case 0x02, 0x0C:
		var n int
		if m == 0x02 {
			n, err = f.u16()
		} else {
			n, err = f.u32()
		}
		if err != nil {
			return err
		}
		r, err := f.take(n, true)
		if err != nil {
			return err
		}
		f.str(r)
	case 0x05, 0x06, 0x0D:
		w.lit("null")
	case 0x07:
		i, err := f.u16()
		if err != nil {
			return err
		}
		if i >= len(f.refs0) {
			return errFallback
		}
		if f.cycle(-1 - i) {
			return nil
		}
		save := f.off
		f.off = f.refs0[i]
		f.replay++
		err = f.value0(s)
		f.replay--
		f.off = save
		return err
	case 0x03, 0x10, 0x08:
		if err := f.enter(); err != nil {
			return err
		}
		if m == 0x10 {
			n, err := f.u16()
			if err != nil {
				return err
			}
			if _, err := f.take(n, true); err != nil {
				return err
			}
		} else if m == 0x08 {
			if _, err := f.u32(); err != nil {
				return err
			}
		}
		key := f.register0(start)
		if f.cycle(key) {
			f.depth--
			return nil
		}
		f.push(key, s)
		w.open('{')
		first := true
		for {
			n, err := f.u16()
			if err != nil {
				return err
			}
			k, err := f.take(n, true)
			if err != nil {
				return err
			}
			if f.off < len(f.data) && f.data[f.off] == 0x09 {
				if n != 0 {
					return errFallback
				}
				f.off++
				break
			}
			f.key(k, first)
			first = false
			if err := f.value0(fastSeg{name: k}); err != nil {
				return err
			}
		}
		w.close('}', first)
		f.pop()
		f.depth--
	case 0x0A:
		if err := f.enter(); err != nil {
			return err
		}
		n, err := f.u32()
		if err != nil {
			return err
		}
		if n > len(f.data)-f.off {
			return errFallback
		}
		key := f.register0(start)
		if f.cycle(key) {
			f.depth--
			return nil
		}
		f.push(key, s)
		w.open('[')
		for i := 0; i < n; i++ {
			w.item(i == 0)
			if err := f.value0(fastSeg{index: i, isIndex: true}); err != nil {
				return err
			}
		}
		w.close(']', n == 0)
		f.pop()
		f.depth--
	case 0x0B:
		ms, err := f.f64()
		if err != nil {
			return err
		}
		if _, err := f.u16(); err != nil {
			return err
		}
		f.date(ms)
	case 0x0F:
		n, err := f.u32()
		if err != nil {
			return err
		}
		r, err := f.take(n, true)
		if err != nil {
			return err
		}
		// The default (Flash) profile registers XML documents.
		f.register0(start)
		f.str(r)
	case 0x11:
		if err := f.enter(); err != nil {
			return err
		}
		err := f.value3(s)
		f.depth--
		return err
	default:
		return errFallback
	}
	return nil
}

// appendStringBytes is appendString for bytes already known to be UTF-8.
func appendStringBytes(dst []byte, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		// Skip eight bytes at a time while none needs escaping.
		for i+8 <= len(s) && !needsEscape8(binary.LittleEndian.Uint64(s[i:])) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = appendEscape(append(dst, s[start:i]...), c)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// needsEscape8 reports whether any of eight bytes is a control character,
// '"' or '\\' (bytes >= 0x80 are already-checked UTF-8 and pass).
func needsEscape8(x uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	ctl := (x - lo*0x20) &^ x & hi // bytes < 0x20
	q := x ^ (lo * '"')
	quote := (q - lo) &^ q & hi
	b := x ^ (lo * '\\')
	bs := (b - lo) &^ b & hi
	return ctl|quote|bs != 0
}

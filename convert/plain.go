package convert

import (
	"encoding/base64"
	"encoding/binary"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
)

// AppendAMF converts every bare AMF value in data (values one after
// another, sharing one reference context, as in a stream or a file) to
// JSON, one document per line, each followed by a newline.
//
// The plain form is written from the tokens of an [amf.Reader], without
// building the value model: shared values are read again from where they
// first stood. The Reader has the value decoder's limits and errors, so
// the output and the errors are those of decoding with [amf.UnmarshalAll]
// and writing with [AppendValues]. The typed form goes through the value
// model.
func AppendAMF(dst []byte, data []byte, ver amf.Version, o *Options) ([]byte, error) {
	if o != nil && o.Typed {
		return appendAMFModel(dst, data, ver, o)
	}
	p := plainPool.Get().(*plainConv)
	defer p.release()
	p.rd.Reset(data, ver)
	p.reset(o, dst, &p.rd)
	return p.run()
}

// WriteAMF is [AppendAMF] writing to out as it goes: the plain form is
// streamed, so memory does not grow with the output.
func WriteAMF(out io.Writer, data []byte, ver amf.Version, o *Options) error {
	out = newLimitWriter(out, o) // the output limit, exact
	if o != nil && o.Typed {
		b, err := appendAMFModel(nil, data, ver, o)
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	}
	p := plainPool.Get().(*plainConv)
	defer p.release()
	p.rd.Reset(data, ver)
	p.reset(o, nil, &p.rd)
	p.out = out
	p.check = 0
	b, err := p.run()
	if err != nil {
		// Past the limit: the bytes up to it, as every path writes them.
		return upToLimit(err, out, p.w, p.flushed)
	}
	_, err = out.Write(b)
	return err
}

func appendAMFModel(dst []byte, data []byte, ver amf.Version, o *Options) ([]byte, error) {
	vs, err := amf.UnmarshalAll(data, ver)
	if err != nil {
		return nil, err
	}
	return AppendValues(dst, vs, o)
}

// plainConv writes plain JSON from a token Reader, with an explicit stack
// of the containers being written (no recursion, whatever the nesting of
// shared values read again).
type plainConv struct {
	w     *writer
	r     *amf.Reader
	rd    amf.Reader // r, kept with its tables across uses
	stack []pframe
	// quoted caches the JSON form of AMF3 table strings, which recur
	// (member names, values from a small pool): per table index, its
	// bounds in qbuf.
	quoted [][2]int32
	qbuf   []byte
	// names0 caches AMF0 member names the same way, which are inline
	// strings with no table index: per BatchToken.Slot less 1, the
	// bounds in qbuf of the last name of that Slot (an empty entry when
	// it was not cached). names0Left is the room left in qbuf for them,
	// so that names that never recur do not grow it with the input.
	names0     [][2]int32
	names0Left int
	// qfast and names0Fast are quoted and names0 as writeFast reads
	// them: per entry, where its ',' is in qbuf (shifted left 8) and its
	// length from the ',' to the ':' (in the low 8 bits), when that is
	// at most copyWord bytes and qbuf has copyWord+1 bytes from the ','
	// (0 otherwise): one word and no check left to read them whole.
	// A qfast entry that is not 0 holds in its top 32 bits the string's
	// name number (nameSeen.tabID) once nameAgain or quoteSlow found it
	// there (0: not yet), so that writeFast reads a name's form and
	// number in one word, and tests both in one: top bits not 0.
	qfast      []uint64
	names0Fast []uint32
	// ptr is the scratch for JSON Pointers, which start with base (a
	// packet's "/messages/0/value").
	ptr  []byte
	base string
	// part: the value is a packet's header or message value, written
	// inside the packet's JSON (packetdirect.go): no newline after it,
	// and the warning about text left for the end of the packet; run
	// returns once the value is written (done).
	part, done bool
	// prefixed: what comes before the next value (a key, a comma) is
	// written already.
	prefixed bool
	// out, when set, takes the output as it grows; flushed counts it.
	out     io.Writer
	flushed int
	check   int   // buffer length from which to call checkOut
	err     error // writing to out
	cycles  cycleNotes
	// names finds member names given twice in one object (dupnames.go).
	names nameSeen
	// day is the day of the last date written, dayText its text (what
	// appendDate writes for the day's midnight): dates of one day, the
	// common case, write the day from there.
	day     int64
	dayText [26]byte
	// batch holds the tokens the Reader gives in one call
	// (amf.Reader.ReadBatch).
	batch [128]amf.BatchToken
}

type pkind uint8

const (
	pObject  pkind = iota // members by name
	pList                 // items
	pMixed                // an AMF3 array with an associative part: dense items as "0", "1"... then names
	pDict                 // [key, value] pairs
	pWrapper              // a Flex wrapper: its one value stands in its place
)

type pframe struct {
	kind  pkind
	first bool
	key   int // cycle key: the object-table index (AMF0 negative)
	n, i  int // dense count (pMixed) and items written
	// cur is the name of the member being written (pObject, pMixed),
	// for the paths of warnings and cycles: writeBatch sets it only
	// where a path may be asked for (a container opened in the member,
	// a string not cached).
	cur []byte
	// gen, pgen and ppgen are the numbers nameSeen gave the container,
	// its parent and the parent's parent; logAt is the length of its
	// log when it opened.
	gen, pgen, ppgen uint32
	logAt            int32
	// mask has bit i set when the container has given the name of
	// number i+1 (the first maskNames names: nameSeen's entries are for
	// the others).
	mask uint64
}

// place is where a value stands in its container, a step of a JSON
// Pointer.
type place struct {
	name    []byte
	index   int
	isIndex bool
	alias   bool
}

var plainPool = sync.Pool{New: func() any { return &plainConv{w: &writer{}} }}

func (p *plainConv) reset(o *Options, dst []byte, r *amf.Reader) {
	*p.w = writer{} // in place: no writer allocated per call
	p.w.init(o)
	p.w.buf = dst
	p.r = r
	r.DenseFirst = true
	p.stack = p.stack[:0]
	p.prefixed = false
	p.out, p.flushed, p.err, p.check = nil, 0, nil, 0
	p.cycles.reset()
	p.names.reset()
	p.quoted = p.quoted[:0]
	p.qfast = p.qfast[:0]
	p.names0Fast = p.names0Fast[:0]
	p.qbuf = p.qbuf[:0]
	p.names0 = p.names0[:0]
	p.names0Left = names0Room
	p.day = math.MinInt64
	p.base, p.part, p.done = "", false, false
}

func (p *plainConv) release() {
	p.w.buf, p.r, p.out = nil, nil, nil
	p.rd.Reset(nil, amf.AMF3)
	p.w.o = Options{}
	if cap(p.qbuf) > 1<<20 || cap(p.quoted) > 1<<16 {
		return
	}
	plainPool.Put(p)
}

func (p *plainConv) run() ([]byte, error) {
	w := p.w
	// plain: no colour and no indent, the common case, written without
	// the writer's per-token checks.
	plain := w.o.Palette == nil && w.o.Indent == ""
	for {
		if n := len(p.stack); plain && n > 0 && p.stack[n-1].kind <= pList {
			// Inside an object or a list: runs of the common tokens in
			// one call.
			if k := p.r.ReadBatch(p.batch[:]); k > 0 {
				if err := p.writeBatch(p.batch[:k]); err != nil {
					return nil, err
				}
				if k == len(p.batch) {
					continue
				}
			}
		}
		if p.done {
			// A part's one value is written: the Reader stays where it
			// is (a .sol file's next member).
			p.done = false
			if p.flushed+len(w.buf) > w.maxOut {
				return nil, &OutputLimitError{int64(w.maxOut)} // as at EOF
			}
			// The cycles are said by the caller, once the whole
			// packet or .sol is known to be within the limit.
			return w.buf, nil
		}
		t, err := p.r.NextToken()
		if err != nil {
			if err == io.EOF && len(p.stack) == 0 && !p.prefixed {
				if p.flushed+len(w.buf) > w.maxOut {
					// The last value (or the newline after it) past
					// the limit: no warning for output not kept.
					return nil, &OutputLimitError{int64(w.maxOut)}
				}
				p.cycles.flush(w.o.Warn, w.note.values)
				if !p.part {
					w.flushWarn()
				}
				return w.buf, nil
			}
			return nil, err
		}
		switch t.Kind {
		case amf.KindSwitch:
			if p.r.FreshSwitches {
				p.forget()
			}
			continue // plain JSON drops the AMF3 wrapper
		case amf.KindEnd:
			f := &p.stack[len(p.stack)-1]
			switch f.kind {
			case pObject, pMixed:
				w.close('}', f.first)
			case pList:
				w.close(']', f.first)
			case pDict:
				w.close(']', f.i == 0)
			}
			p.pop()
			p.completed()
			continue
		case amf.KindName:
			p.nameAgain(t.StrIndex, t.Bytes, 0, false)
			f := &p.stack[len(p.stack)-1]
			if plain {
				if !f.first {
					w.buf = append(w.buf, ',')
				}
				w.buf = p.quoteKey(w.buf, t.StrIndex, t.Bytes)
			} else {
				p.key(t, f.first)
			}
			f.first = false
			f.cur = t.Bytes
			p.prefixed = true
			continue
		}
		n := len(p.stack)
		if n > 0 && p.stack[n-1].kind == pWrapper && t.Kind != amf.KindRef {
			p.wrapperHolds(t) // the wrapped value
		}
		if plain && n > 0 && p.stack[n-1].kind != pDict {
			// A value in an array or object, written without colour or
			// indent.
			if f := &p.stack[n-1]; !p.prefixed && f.kind != pMixed {
				if f.kind == pList {
					if !f.first {
						w.buf = append(w.buf, ',')
					}
					f.first = false
					f.i++
				}
			} else if !p.prefixed {
				p.prefix()
			}
			p.prefixed = false
			// The output limit is checked after what comes before the
			// value (its name, a comma), as the value writer checks it.
			if len(w.buf) >= p.check || p.err != nil {
				if err := p.checkOut(); err != nil {
					return nil, err
				}
			}
			switch t.Kind {
			case amf.KindInt:
				w.buf = appendInt(w.buf, t.Int)
				continue
			case amf.KindBool:
				w.buf = append(w.buf, boolText(t.Bool)...)
				continue
			case amf.KindNull, amf.KindUndefined, amf.KindUnsupported:
				w.buf = append(w.buf, "null"...)
				continue
			case amf.KindString:
				if len(t.Bytes) <= bigOut {
					if t.StrIndex > 0 {
						w.buf = p.quote(w.buf, t, false)
					} else {
						w.buf = p.text(w.buf, t.Bytes, false)
					}
					continue
				}
			case amf.KindDouble:
				if x := t.Float; !math.IsNaN(x) && !math.IsInf(x, 0) {
					w.buf = appendPlainDouble(w.buf, x)
					continue
				}
			}
		} else {
			if n == 0 && !p.prefixed && !p.part {
				w.note.values++ // a bare value of the stream begins
			}
			if !p.prefixed {
				p.prefix()
			}
			p.prefixed = false
			if len(w.buf) >= p.check || p.err != nil {
				if err := p.checkOut(); err != nil {
					return nil, err
				}
			}
		}
		if t.Kind <= amf.KindInt && len(p.stack) > 0 && p.stack[len(p.stack)-1].kind != pDict {
			// A null, boolean or integer in an array or object: nothing
			// to open or close around it.
			switch t.Kind {
			case amf.KindInt:
				w.int(t.Int)
			case amf.KindBool:
				w.lit(boolText(t.Bool))
			default:
				w.lit("null")
			}
			continue
		}
		if t.Kind == amf.KindRef {
			if p.cycle(refKey(t)) {
				p.completed()
				continue
			}
			if err := p.r.Replay(*t); err != nil {
				return nil, err
			}
			p.prefixed = true
			continue
		}
		if isContainer(t.Kind) && p.replayed(t) {
			// A container read again through a reference, that is one
			// of the containers being written: a cycle, as the value
			// model sees it (the same container, whichever way it was
			// reached).
			if p.cycle(refKey(t)) {
				if err := p.skipRest(); err != nil {
					return nil, err
				}
				p.completed()
				continue
			}
		}
		if p.begin(t) {
			p.completed()
		}
	}
}

// replayed reports whether the container t opens may already be on the
// stack: only one read again through a reference can be, and only when
// the stack holds a container from the same table.
func (p *plainConv) replayed(t *amf.Token) bool {
	return len(p.stack) > 0 && t.Index >= 0
}

// skipRest reads past the end of the container whose start was just
// read.
func (p *plainConv) skipRest() error {
	for depth := 1; depth > 0; {
		t, err := p.r.NextToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		switch {
		case isContainer(t.Kind):
			depth++
		case t.Kind == amf.KindEnd:
			depth--
		}
	}
	return nil
}

// writeBatch writes the tokens of one ReadBatch call, which began inside
// an object or a list, in the plain form without colour or indent: runs
// of the common tokens through writeFast, each other token through
// writeTokens.
func (p *plainConv) writeBatch(ts []amf.BatchToken) error {
	slow := 1 // tokens for writeTokens: doubled while writeFast writes none
	for i := 0; i < len(ts); {
		k := len(ts) - i - p.writeFast(ts[i:])
		if i += k; i == len(ts) {
			break
		}
		if k > 0 {
			slow = 1
		} else {
			slow = min(2*slow, len(ts))
		}
		k = min(slow, len(ts)-i)
		if err := p.writeTokens(ts[i : i+k]); err != nil {
			return err
		}
		i += k
	}
	return nil
}

// fastRoom is the room writeFast keeps in the output for one token: more
// than any token it writes takes (a name and a string of copyWord bytes
// each, copied as whole words, or a name and a date).
const fastRoom = 64

// writeFast writes what writeTokens writes for the tokens of ts, from
// the first, while they are of the commonest shapes: a member whose name
// is cached, or an item, with a value that is a small number, a boolean,
// a null, a cached string, a date of the day of the last one, or the
// start of an object or a list; and ends that leave the value open. It
// returns how many it left, stopping before any other token (for
// writeTokens). It makes no call and keeps few values (the output as one
// pointer, and no slice header of the caches), so that they
// stay in registers from token to token: Go saves no register across a
// call, and spills what does not fit at the loop's head.
func (p *plainConv) writeFast(ts []amf.BatchToken) int {
	if len(p.stack) == 0 || len(ts) == 0 {
		return len(ts)
	}
	// The output: a token at n has fastRoom bytes of room while n <=
	// limit (the output is not grown here), and what comes before a
	// value (a name of at most copyWord bytes, or a comma) leaves the
	// output below p.check, from which writeTokens checks the output
	// limit or flushes (after that prefix): one test a token for both.
	// (p.check is 0 once p.err is set, and before the first check.)
	n, limit := len(p.w.buf), min(cap(p.w.buf)-fastRoom, p.check-(copyWord+1))
	if n > limit {
		return len(ts)
	}
	depth := len(p.stack)
	f := &p.stack[depth-1]
	// sep is the byte written before a value, at the value's place (o):
	// ',' after a value; 0 after a name (its value comes next, with
	// nothing before it); or, while nothing is written in f yet (first),
	// f's opening bracket, with o at that bracket (not past it), so that
	// the first value writes it again where a comma would go: a cached
	// name is copied with its comma and sep written over that comma,
	// with no test of first. (The bracket is read back from the output;
	// if the output lacks it, after a flush, writeTokens goes on.)
	sep := byte(',')
	if p.prefixed {
		sep = 0
	} else if f.first {
		if n == 0 {
			return len(ts)
		}
		n--
		if sep = p.w.buf[n]; sep != '{' && sep != '[' {
			return len(ts)
		}
	}
	// o is the output's end, base+n, kept as the one value (with lim,
	// base+limit) in place of base, n and limit; it stays inside the
	// buffer (each token writes less than fastRoom from o <= lim).
	base := unsafe.Pointer(unsafe.SliceData(p.w.buf))
	o, lim := unsafe.Add(base, n), uintptr(base)+uintptr(limit)
	qbuf := unsafe.Pointer(unsafe.SliceData(p.qbuf))
	// The token is at last+i, i from (1-len(ts))*size up to 0 in steps
	// of size (bytes, not tokens: no multiplication a token): two
	// values to keep from token to token (last and i), not a slice's
	// three, and no pointer past ts. (What is needed only after the
	// loop, the output's base, is read again there, not kept.)
	const size = int(unsafe.Sizeof(amf.BatchToken{}))
	last := unsafe.Pointer(&ts[len(ts)-1])
	i := (1 - len(ts)) * size
tokens:
	for ; i <= 0; i += size {
		t := (*amf.BatchToken)(unsafe.Add(last, i))
		if uintptr(o) > lim {
			break
		}
		// Names and ends (the two highest kinds) with one test for the
		// values.
		if t.Kind >= amf.KindName {
			if t.Kind == amf.KindName {
				// A name whose value comes next: cached, with its comma.
				j := int(t.StrIndex) - 1
				if uint(j) >= uint(len(p.qfast)) {
					break tokens
				}
				// Noted as nameAgain notes it, which writeTokens calls
				// for a name not numbered yet, given already, or
				// replacing what may be an ancestor's (to be logged).
				x := p.qfast[j]
				if x>>32 == 0 {
					break tokens // not cached, or not numbered yet
				}
				if sep == 0 {
					break tokens // a name after a name: not from ReadBatch
				}
				e, id := uint(uint32(x)), int(x>>32)-1
				if uint(id) < maskNames {
					if f.mask&(1<<id) != 0 {
						break tokens
					}
					f.mask |= 1 << id
				} else {
					if uint(id) >= uint(len(p.names.seenID)) {
						break tokens
					}
					if old := p.names.seenID[id]; old == f.gen || old != 0 && old <= f.pgen && (old == f.pgen || old <= f.ppgen) {
						break tokens
					}
					p.names.seenID[id] = f.gen
				}
				*(*[copyWord]byte)(o) = *(*[copyWord]byte)(unsafe.Add(qbuf, e>>8))
				*(*byte)(o) = sep
				o = unsafe.Add(o, int(e&0xFF))
				sep = 0
				f.cur = p.r.BatchBytes(t)
				continue
			}
			// KindEnd
			ns := len(p.stack) - 1
			if t.Kind != amf.KindEnd || ns == 0 {
				break tokens // the end of the value (for completed)
			}
			if pf := &p.stack[ns-1]; pf.kind == pDict || pf.first || int(f.logAt) < len(p.names.log) {
				break tokens // names to put back (pop), or a parent with nothing written (not from ReadBatch)
			}
			if sep > ',' {
				o = unsafe.Add(o, 1) // empty: past its bracket
			}
			c := byte('}')
			if f.kind == pList {
				c = ']'
			}
			*(*byte)(o) = c
			o = unsafe.Add(o, 1)
			p.stack = p.stack[:ns]
			f = &p.stack[ns-1]
			sep = ','
			continue
		}
		// What comes before the value: its name, or a comma (the output
		// stays below p.check: see limit).
		out := o // where the value goes: o moves only once it is written
		if t.Named {
			// The name's number (nameSeen) less 1, in 32 bits: noted
			// once the name is known to be written here; undo takes
			// it back (unmark). 2^32-1 (0 less 1) is a name not
			// numbered yet (AMF3: for writeTokens, nameAgain) or
			// none (an AMF0 Slot's: not checked), as noID less 1 is:
			// one test, the mask's, for the commonest.
			var e uint
			var id uint
			if j := uint(uint32(t.NameIndex)) - 1; j < uint(len(p.qfast)) {
				x := p.qfast[j]
				e, id = uint(uint32(x)), uint(uint32(x>>32)-1)
			} else if j := int(t.Slot) - 1; t.NameIndex == 0 && t.Again && uint(j) < uint(len(p.names0Fast)) {
				e = uint(p.names0Fast[j]) // an AMF0 name, the last of its Slot
				if e == 0 || uint(j) >= uint(len(p.names.slotID)) {
					break
				}
				id = uint(p.names.slotID[j] - 1)
			} else {
				break
			}
			if id < maskNames {
				if f.mask&(1<<id) != 0 {
					break // for writeTokens, as KindName's
				}
				f.mask |= 1 << id
			} else if id == 1<<32-1 && t.NameIndex != 0 {
				break // not cached, or not numbered yet: for writeTokens (nameAgain)
			} else if id < uint(len(p.names.seenID)) {
				mark := &p.names.seenID[id]
				old := *mark
				if old == f.gen || old != 0 && old <= f.pgen && (old == f.pgen || old <= f.ppgen) {
					break
				}
				*mark = f.gen
			}
			// (A Named value comes after no name: sep is not 0.)
			*(*[copyWord]byte)(out) = *(*[copyWord]byte)(unsafe.Add(qbuf, e>>8))
			*(*byte)(out) = sep
			out = unsafe.Add(out, int(e&0xFF))
		} else if sep != 0 {
			// An item: counted here (undo takes it back), so that a
			// value ends with no test; its comma, or f's bracket.
			f.i++
			*(*byte)(out) = sep
			out = unsafe.Add(out, 1)
		}
		var u uint64 // a number to write as an integer
		var kind pkind
		var c byte // a container's kind and its first byte
		switch t.Kind {
		case amf.KindInt:
			u = uint64(t.Int)
			if u < 1000 {
				// The commonest: putSmall's first case, with no test
				// of 10^8 and 10^4 first.
				e := smallDec[u]
				*(*uint32)(out) = e
				o = unsafe.Add(out, int(e>>24))
				break
			}
			if u >= 1e8 {
				goto undo
			}
			goto integer
		case amf.KindBool:
			if t.Bool {
				*(*[4]byte)(out) = [4]byte{'t', 'r', 'u', 'e'}
				o = unsafe.Add(out, 4)
			} else {
				*(*[5]byte)(out) = [5]byte{'f', 'a', 'l', 's', 'e'}
				o = unsafe.Add(out, 5)
			}
		case amf.KindNull, amf.KindUndefined:
			*(*[4]byte)(out) = [4]byte{'n', 'u', 'l', 'l'}
			o = unsafe.Add(out, 4)
		case amf.KindString:
			// Its cached form less the ',' and the ':'.
			if j := int(t.StrIndex) - 1; uint(j) < uint(len(p.qfast)) && uint32(p.qfast[j]) != 0 {
				e := uint(uint32(p.qfast[j]))
				*(*[copyWord]byte)(out) = *(*[copyWord]byte)(unsafe.Add(qbuf, e>>8+1))
				o = unsafe.Add(out, int(e&0xFF-2))
				break
			}
			if t.StrIndex != 0 {
				goto undo
			}
			// An AMF0 string of 4 to 16 bytes of ASCII that JSON takes
			// as it is, read and written as two words that overlap.
			b := p.r.BatchBytes(t)
			var lo, hi uint64
			k := len(b)
			switch {
			case k >= 8 && k <= copyWord:
				lo, hi = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[k-8:])
				*(*uint64)(unsafe.Add(out, 1)) = lo
				*(*uint64)(unsafe.Add(out, 1+k-8)) = hi
			case k >= 4 && k < 8:
				l4, h4 := binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[k-4:])
				*(*uint32)(unsafe.Add(out, 1)) = l4
				*(*uint32)(unsafe.Add(out, 1+k-4)) = h4
				lo, hi = uint64(l4)*(1<<32+1), uint64(h4)*(1<<32+1) // each word twice
			default:
				goto undo
			}
			if (lo|hi)&0x8080808080808080 != 0 || needsEscape8(lo) || needsEscape8(hi) {
				goto undo
			}
			*(*byte)(out) = '"'
			*(*byte)(unsafe.Add(out, 1+k)) = '"'
			o = unsafe.Add(out, k+2)
		case amf.KindDouble:
			// appendPlainDouble's integers below 10^8 and short
			// decimals below 10^3.
			x := t.Float
			a := math.Abs(x)
			if !(a < 1000) {
				if i := int64(x); float64(i) == x && i > 0 && i < 1e8 {
					u = uint64(i)
					goto integer
				}
				goto undo // NaN and infinities too
			}
			// As appendShortDecimal, rounding half up instead of to even
			// (math.RoundToEven is a call where the CPU may lack
			// SSE4.1): they differ only on a tie, a*10^4 half way
			// between two integers, where neither reads back as a.
			r := uint64(int64(a*1e4 + 0.5))
			// r/10^4 reads back as a (appendShortDecimal's r/1e4 == a)
			// when a is the double nearest r/10^4, tested without the
			// division: a is m*2^-s, so that is |r*2^s - 10^4*m| below
			// 10^4/2, half the gap to the next double (to the one
			// below, half as far, when m is a power of two), in
			// integers. The difference is below 2^63 (r is a*10^4 to
			// within 0.5 and a bit), so words wrapping give it exactly;
			// no tie is possible (it would need s < 4). For a below
			// 2^-11 (s past 63), the division.
			bitsA := math.Float64bits(a)
			if s := 1075 - uint(bitsA>>52); s <= 63 {
				m := bitsA&(1<<52-1) | 1<<52
				d := int64(r<<s - m*10000)
				if d >= 5000 || d <= -5000 || d <= -2500 && m == 1<<52 {
					goto undo
				}
			} else if float64(r)/1e4 != a {
				goto undo
			}
			ip, fr := r/10000, r%10000
			if fr == 0 {
				// An integer below 1000.
				if x <= 0 {
					goto undo
				}
				u = ip
				goto integer
			}
			if x < 0 {
				*(*byte)(out) = '-'
				out = unsafe.Add(out, 1)
			}
			k := putSmall(out, ip)
			// The four fraction digits after a '.', less the trailing
			// zeros.
			fw := uint32(digitPairs[fr/100]) | uint32(digitPairs[fr%100])<<16
			*(*uint64)(unsafe.Add(out, k)) = '.' | uint64(fw)<<8
			o = unsafe.Add(out, k+5-bits.LeadingZeros32(fw^0x30303030)/8)
		case amf.KindDate:
			// dateText without math.Trunc (a call where the CPU may
			// lack SSE4.1): in range, a whole number converts exactly.
			ms := t.Float
			if !(ms >= minDateMs && ms <= maxDateMs) || float64(int64(ms)) != ms || ms == 0 {
				goto undo
			}
			// appendDate of a date of the day of the last one.
			ms64 := int64(ms)
			days := ms64 / 86400000
			rem := ms64 - days*86400000
			if rem < 0 || days != p.day {
				goto undo
			}
			// '"', the date and 'T' in two words, then the time of day.
			*(*[12]byte)(out) = *(*[12]byte)(p.dayText[:12])
			tm := uint32(rem)
			h := tm / 3600000
			tm -= h * 3600000
			mi := tm / 60000
			tm -= mi * 60000
			sec := tm / 1000
			frac := tm - sec*1000
			// "hh:mm:ss" and ".fffZ\"" as two words (the second
			// writes two bytes past the date, into the room).
			fh, fl := frac/10, frac%10
			*(*uint64)(unsafe.Add(out, 12)) = uint64(digitPairs[h]) | ':'<<16 | uint64(digitPairs[mi])<<24 | ':'<<40 | uint64(digitPairs[sec])<<48
			*(*uint64)(unsafe.Add(out, 20)) = '.' | uint64(digitPairs[fh])<<8 | uint64('0'+fl)<<24 | 'Z'<<32 | '"'<<40
			o = unsafe.Add(out, 26)
		// The containers, one case each: with the others, enough cases
		// for a jump table.
		case amf.KindObject:
			if t.Traits != nil && t.Traits.Externalizable {
				goto undo
			}
			kind, c = pObject, '{'
			goto container
		case amf.KindECMAArray:
			kind, c = pObject, '{'
			goto container
		case amf.KindArray:
			if t.Assoc {
				goto undo
			}
			kind, c = pList, '['
			goto container
		case amf.KindVector:
			kind, c = pList, '['
			goto container
		default:
			goto undo
		}
		goto written
	container:
		{
			ns := len(p.stack)
			if ns == cap(p.stack) {
				goto undo
			}
			f.first = false
			g := p.names.gen + 1
			if g == 0 {
				goto undo // pushFrame's open starts the numbers again
			}
			if t.Named {
				f.cur = p.r.BatchName(t) // where the container stands
			}
			p.names.gen = g
			pg, ppg := f.gen, f.pgen
			p.stack = p.stack[:ns+1]
			f = &p.stack[ns]
			f.kind, f.first, f.key, f.n, f.i, f.cur = kind, true, tableKey(t.Version, int(t.Index)), 0, 0, nil
			f.gen, f.pgen, f.ppgen, f.logAt, f.mask = g, pg, ppg, int32(len(p.names.log)), 0
			*(*byte)(out) = c
			o = out // at the bracket: see sep
			sep = c
			continue
		}
	integer:
		if u < 10000 {
			o = unsafe.Add(out, putSmall(out, u))
		} else {
			k := putSmall(out, u/10000)
			l := u % 10000
			*(*uint32)(unsafe.Add(out, k)) = uint32(digitPairs[l/100]) | uint32(digitPairs[l%100])<<16
			o = unsafe.Add(out, k+4)
		}
	written:
		sep = ','
		continue
	undo:
		// Left to writeTokens, as before the token (o has not moved).
		if t.Named {
			p.unmark(t)
		} else if sep != 0 {
			f.i--
		}
		break
	}
	if sep > ',' {
		o = unsafe.Add(o, 1) // past the bracket of f, still first
	}
	p.w.level += len(p.stack) - depth // a level a frame, counted once
	p.w.buf = p.w.buf[:uintptr(o)-uintptr(unsafe.Pointer(unsafe.SliceData(p.w.buf)))]
	f.first = sep > ','
	p.prefixed = sep == 0
	return 1 - i/size
}

// unmark takes back what writeFast noted of the name of t, a member it
// leaves to writeTokens: the entry is set to 0, which is what it held or
// as good (the number of an object that is closed and no ancestor: the
// entry is not noted otherwise).
func (p *plainConv) unmark(t *amf.BatchToken) {
	id := -1
	if j := int(t.NameIndex) - 1; uint(j) < uint(len(p.qfast)) {
		if uint(j) < uint(len(p.names.tabID)) {
			id = int(p.names.tabID[j]) - 1
		}
	} else if j := int(t.Slot) - 1; t.NameIndex == 0 && t.Again && uint(j) < uint(len(p.names.slotID)) {
		id = int(p.names.slotID[j]) - 1
	}
	if uint(id) < maskNames {
		p.stack[len(p.stack)-1].mask &^= 1 << id
	} else if uint(id) < uint(len(p.names.seenID)) {
		p.names.seenID[id] = 0
	}
}

// putSmall writes u, below 10^4, in decimal at out, which has four
// bytes of room, and returns its length. (Small enough to be inlined.)
func putSmall(out unsafe.Pointer, u uint64) int {
	if u < 1000 {
		// The digits and their length from one word of the table.
		e := smallDec[u]
		*(*uint32)(out) = e
		return int(e >> 24)
	}
	n := 4
	// The four digits, less the leading zeros.
	w := uint32(digitPairs[u/100%100]) | uint32(digitPairs[u%100])<<16
	*(*uint32)(out) = w >> (8 * (4 - n))
	return n
}

// smallDec holds, for each u below 1000, its decimal digits without
// leading zeros as a little-endian word, with their count in the top
// byte (a fourth byte putSmall writes past the digits, into the room it
// has).
var smallDec = func() (t [1000]uint32) {
	for u := range t {
		s := strconv.Itoa(u)
		var w uint32
		for i := len(s) - 1; i >= 0; i-- {
			w = w<<8 | uint32(s[i])
		}
		t[u] = w | uint32(len(s))<<24
	}
	return t
}()

// digitPairs holds "00" to "99" as little-endian words.
var digitPairs = func() (t [100]uint16) {
	for i := range t {
		t[i] = uint16(digits2[2*i]) | uint16(digits2[2*i+1])<<8
	}
	return t
}()

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeTokens writes the tokens of one ReadBatch call, or what is left
// of them, in the plain form without colour or indent: what run writes
// for each token, without the dispatch of a token at a time.
func (p *plainConv) writeTokens(ts []amf.BatchToken) error {
	w := p.w
	buf := w.buf
	f := &p.stack[len(p.stack)-1]
	first := f.first
	prefixed := p.prefixed // kept here, written back at the end
	for i := range ts {
		t := &ts[i]
		switch t.Kind {
		case amf.KindName:
			// A name whose value comes next.
			p.nameAgain(int(t.StrIndex), p.r.BatchBytes(t), 0, false)
			if j := int(t.StrIndex) - 1; uint(j) < uint(len(p.quoted)) && p.quoted[j][1] != 0 {
				q := p.quoted[j]
				if !first {
					q[0]--
				}
				buf = copy16(buf, p.qbuf, int(q[0]), int(q[1])+1)
			} else {
				if !first {
					buf = append(buf, ',')
				}
				buf = p.quoteKey(buf, int(t.StrIndex), p.r.BatchBytes(t))
			}
			first = false
			f.cur = p.r.BatchBytes(t)
			prefixed = true
			continue
		case amf.KindEnd:
			// What w.close writes without indent or colour: the frame is
			// an object or a list.
			c := byte('}')
			if f.kind == pList {
				c = ']'
			}
			buf = append(buf, c)
			w.level--
			p.pop()
			if n := len(p.stack); n == 0 || p.stack[n-1].kind == pDict {
				w.buf = buf
				p.completed()
				buf = w.buf
				if n == 0 {
					continue // the end of the value: the last token
				}
			}
			f = &p.stack[len(p.stack)-1]
			first = f.first
			continue
		}
		if t.Named {
			p.nameAgain(int(t.NameIndex), p.r.BatchName(t), int(t.Slot), t.Again)
			// A cached name is one copy, with its comma and colon.
			if j := int(t.NameIndex) - 1; uint(j) < uint(len(p.quoted)) && p.quoted[j][1] != 0 {
				q := p.quoted[j]
				if !first {
					q[0]--
				}
				buf = copy16(buf, p.qbuf, int(q[0]), int(q[1])+1)
			} else if j := int(t.Slot) - 1; t.NameIndex == 0 && j >= 0 {
				// An AMF0 name: one copy when it is the last of its Slot.
				if t.Again && j < len(p.names0) && p.names0[j][1] != 0 {
					q := p.names0[j]
					if !first {
						q[0]--
					}
					buf = copy16(buf, p.qbuf, int(q[0]), int(q[1])+1)
				} else {
					buf = p.key0(buf, j, p.r.BatchName(t), first)
				}
			} else {
				if !first {
					buf = append(buf, ',')
				}
				buf = p.quoteKey(buf, int(t.NameIndex), p.r.BatchName(t))
			}
		} else if !prefixed {
			// An item of a list.
			if !first {
				buf = append(buf, ',')
			}
			f.i++
		}
		first = false
		prefixed = false
		// The output limit, after what comes before the value (its name,
		// a comma), as the value writer checks it.
		if len(buf) >= p.check { // 0 once p.err is set (stream)
			w.buf = buf
			if err := p.checkOut(); err != nil {
				return err
			}
			buf = w.buf
		}
		switch t.Kind {
		case amf.KindInt:
			if u := uint64(t.Int); u < 100 {
				if u < 10 {
					buf = append(buf, byte('0'+u))
				} else {
					buf = append(buf, digits2[2*u], digits2[2*u+1])
				}
				break
			} else if u < 1000 {
				h, l := u/100, u%100
				buf = append(buf, byte('0'+h), digits2[2*l], digits2[2*l+1])
				break
			}
			buf = appendInt(buf, t.Int)
		case amf.KindBool:
			// Constant texts: appended in line, without a call.
			if t.Bool {
				buf = append(buf, "true"...)
			} else {
				buf = append(buf, "false"...)
			}
		case amf.KindNull, amf.KindUndefined:
			buf = append(buf, "null"...)
		case amf.KindString:
			if j := int(t.StrIndex) - 1; uint(j) < uint(len(p.quoted)) && p.quoted[j][1] != 0 {
				q := p.quoted[j]
				buf = copy16(buf, p.qbuf, int(q[0]), int(q[1]))
				break
			}
			b := p.r.BatchBytes(t)
			if t.StrIndex == 0 && len(b) <= bigOut && plainASCII(b) {
				// An AMF0 string JSON takes as it is: nothing to warn of,
				// so no path to keep.
				buf = append(buf, '"')
				buf = append(buf, b...)
				buf = append(buf, '"')
				break
			}
			if t.Named {
				f.cur = p.r.BatchName(t) // the path of a warning
			}
			if t.StrIndex > 0 && len(b) <= bigOut {
				buf = p.quoteIndex(buf, int(t.StrIndex), b)
				break
			}
			if len(b) > bigOut {
				w.buf = buf
				p.str(&amf.Token{Kind: amf.KindString, Bytes: b, StrIndex: int(t.StrIndex)})
				buf = w.buf
			} else {
				buf = p.text(buf, b, false)
			}
		case amf.KindDouble:
			if x := t.Float; !math.IsNaN(x) && !math.IsInf(x, 0) {
				buf = appendPlainDouble(buf, x)
			} else {
				buf = append(buf, "null"...)
			}
		case amf.KindDate:
			if dateText(t.Float) {
				buf = p.appendDate(buf, int64(t.Float))
				break
			}
			if t.Named {
				f.cur = p.r.BatchName(t) // the path of the warning
			}
			w.buf = buf
			p.date(t.Float)
			buf = w.buf
		default:
			// The start of an object, an array or a vector.
			f.first = false
			if t.Named {
				f.cur = p.r.BatchName(t) // where the container stands
			}
			switch {
			case t.Kind == amf.KindObject && (t.Traits == nil || !t.Traits.Externalizable), t.Kind == amf.KindECMAArray:
				// What begin does for these, without indent or colour.
				p.pushFrame(pObject, tableKey(t.Version, int(t.Index)))
				buf = append(buf, '{')
				w.level++
			case t.Kind == amf.KindArray && !t.Assoc, t.Kind == amf.KindVector:
				p.pushFrame(pList, tableKey(t.Version, int(t.Index)))
				buf = append(buf, '[')
				w.level++
			default:
				w.buf = buf
				p.begin(&amf.Token{Kind: t.Kind, Version: t.Version, Index: int(t.Index), Traits: t.Traits, Assoc: t.Assoc})
				buf = w.buf
			}
			f = &p.stack[len(p.stack)-1]
			first = true
		}
	}
	w.buf = buf
	p.prefixed = prefixed
	if len(p.stack) > 0 {
		p.stack[len(p.stack)-1].first = first
	}
	return nil
}

func refKey(t *amf.Token) int { return tableKey(t.Version, t.Index) }

// tableKey is the cycle key of a container of index i in the object
// table of ver.
func tableKey(ver amf.Version, i int) int {
	if i < 0 {
		return math.MinInt
	}
	if ver == amf.AMF0 {
		return -1 - i
	}
	return i
}

// flushAt is the buffered output from which WriteAMF writes it out.
const flushAt = 256 << 10

// checkOut enforces the output limit and writes the buffer out when it
// has grown to flushAt; it sets p.check, the buffer length from which
// run calls it again.
func (p *plainConv) checkOut() error {
	w := p.w
	if p.flushed+len(w.buf) > w.maxOut {
		return &OutputLimitError{int64(w.maxOut)}
	}
	if p.out != nil && p.err != nil {
		return p.err
	}
	if p.out != nil && len(w.buf) >= flushAt {
		if _, err := p.out.Write(w.buf); err != nil {
			return err
		}
		p.flushed += len(w.buf)
		w.buf = w.buf[:0]
	}
	p.check = w.maxOut - p.flushed + 1
	if p.out != nil {
		p.check = min(p.check, flushAt)
	}
	return nil
}

// prefix writes what comes before a value in its container.
func (p *plainConv) prefix() {
	if len(p.stack) == 0 {
		return
	}
	w := p.w
	f := &p.stack[len(p.stack)-1]
	switch f.kind {
	case pList:
		w.item(f.first)
		f.first = false
		f.i++
	case pMixed:
		// The Reader gives the dense items first.
		w.key(strconv.Itoa(f.i), f.first)
		f.first = false
		f.i++
	case pDict:
		if f.i%2 == 0 {
			w.item(f.i == 0)
			w.open('[')
			w.item(true)
		} else {
			w.item(false)
		}
		f.i++
	}
}

// completed ends a value in its container, and a top-level value.
func (p *plainConv) completed() {
	if len(p.stack) == 0 {
		if !p.part {
			p.w.buf = append(p.w.buf, '\n')
		}
		p.done = p.part
		return
	}
	if f := &p.stack[len(p.stack)-1]; f.kind == pDict && f.i%2 == 0 {
		p.w.close(']', false)
	}
}

// begin writes a value's token; it reports whether the value is complete
// (false for a container, which is now open).
func (p *plainConv) begin(t *amf.Token) bool {
	w := p.w
	switch t.Kind {
	case amf.KindUndefined, amf.KindNull, amf.KindUnsupported:
		w.lit("null")
	case amf.KindBool:
		w.lit(boolText(t.Bool))
	case amf.KindInt:
		w.int(t.Int)
	case amf.KindDouble:
		p.double(t.Float)
	case amf.KindString, amf.KindXML, amf.KindXMLDocument:
		p.str(t)
	case amf.KindDate:
		p.date(t.Float)
	case amf.KindByteArray:
		p.bytes(t.Bytes)
	case amf.KindObject:
		if t.Traits != nil && t.Traits.Externalizable && isWrapper(t.Traits.Class) {
			p.push(pWrapper, t)
			// Its class, for wrapperHolds, in n (which a wrapper has
			// no other use for).
			p.stack[len(p.stack)-1].n = slices.Index(wrapperClasses, t.Traits.Class)
			return false
		}
		p.push(pObject, t)
		w.open('{')
	case amf.KindECMAArray:
		p.push(pObject, t)
		w.open('{')
	case amf.KindArray:
		if t.Assoc {
			p.push(pMixed, t)
			w.open('{')
		} else {
			p.push(pList, t)
			w.open('[')
		}
	case amf.KindVector:
		p.push(pList, t)
		w.open('[')
	case amf.KindDictionary:
		p.push(pDict, t)
		w.open('[')
	}
	return !isContainer(t.Kind)
}

func isContainer(k amf.Kind) bool {
	switch k {
	case amf.KindObject, amf.KindECMAArray, amf.KindArray, amf.KindVector, amf.KindDictionary:
		return true
	}
	return false
}

// wrapperClasses are the classes isWrapper takes.
var wrapperClasses = []string{amf.ClassArrayCollection, amf.ClassArrayList, amf.ClassObjectProxy}

func isWrapper(class string) bool {
	switch class {
	case amf.ClassArrayCollection, amf.ClassArrayList, amf.ClassObjectProxy:
		return true
	}
	return false
}

// wrapperHolds notes the value t, which a Flex wrapper (the frame on
// top) holds, when it is not what the class holds (an array for
// ArrayCollection's and ArrayList's source, an object for ObjectProxy's
// object), as the value model's wrapperHolds checks it: a hostile or
// broken peer's, printed as it is, with one warning.
func (p *plainConv) wrapperHolds(t *amf.Token) {
	cls := wrapperClasses[p.stack[len(p.stack)-1].n]
	field := amf.WrapperField(cls)
	if t.Kind == amf.KindArray && field == "source" || t.Kind == amf.KindObject && field == "object" {
		return
	}
	p.w.note.oddWrapper(cls, field, tokenKind(t), func() string { return p.pointer(p.stack, &place{alias: true}) })
}

// valueKind says what the value v is, as tokenKind says it of a token.
func valueKind(v any) string {
	switch amf.Unwrap(v).(type) {
	case *amf.ECMAArray:
		return "an ECMA array"
	case *amf.Vector:
		return "a vector"
	case *amf.Dictionary:
		return "a dictionary"
	}
	return amf.Describe(v)
}

// tokenKind says what the value t starts is, in amf.Describe's words.
func tokenKind(t *amf.Token) string {
	switch t.Kind {
	case amf.KindUndefined:
		return "undefined"
	case amf.KindNull:
		return "null"
	case amf.KindBool:
		return "a boolean"
	case amf.KindInt, amf.KindDouble:
		return "a number"
	case amf.KindString:
		return "a string"
	case amf.KindXML, amf.KindXMLDocument:
		return "XML"
	case amf.KindDate:
		return "a date"
	case amf.KindByteArray:
		return "a ByteArray"
	case amf.KindObject:
		if t.Traits != nil && t.Traits.Class != "" {
			return "an object of class " + t.Traits.Class
		}
		return "an object"
	case amf.KindArray:
		return "an array"
	case amf.KindECMAArray:
		return "an ECMA array"
	case amf.KindVector:
		return "a vector"
	case amf.KindDictionary:
		return "a dictionary"
	}
	return t.Kind.String()
}

// push opens a container frame, noting where it stands in its parent.
func (p *plainConv) push(k pkind, t *amf.Token) {
	p.pushFrame(k, refKey(t))
}

// pushFrame opens a container frame: the slot of an earlier one is
// reused field by field.
func (p *plainConv) pushFrame(k pkind, key int) {
	n := len(p.stack)
	if n == cap(p.stack) {
		p.stack = append(p.stack, pframe{})
	}
	p.stack = p.stack[:n+1]
	f := &p.stack[n]
	f.kind, f.first, f.key, f.n, f.i, f.cur = k, true, key, 0, 0, nil
	f.pgen, f.ppgen = 0, 0
	if n > 0 {
		f.pgen, f.ppgen = p.stack[n-1].gen, p.stack[n-1].pgen
	}
	f.gen, f.logAt, f.mask = p.names.open(), int32(len(p.names.log)), 0
}

// again notes a name (nameSeen.slot's) for the container f, and reports
// whether f gave it already.
func (f *pframe) again(m *nameSeen, at *uint32, id uint32) bool {
	if bit := uint64(1) << (id - 1); id-1 < maskNames {
		given := f.mask&bit != 0
		f.mask |= bit
		return given
	}
	return m.note(at, id, f.gen, f.pgen)
}

// pop closes the innermost container.
func (p *plainConv) pop() {
	n := len(p.stack) - 1
	if at := int(p.stack[n].logAt); at < len(p.names.log) {
		p.names.close(at)
	}
	p.stack = p.stack[:n]
}

// nameAgain notes the member name the innermost frame is given, by AMF3
// table index si (0: none) or text b, or as an AMF0 name of Slot slot
// (above 0; repeat for amf.BatchToken.Again), and the warning when the
// frame has given it already (or, in an AMF3 array printed as an
// object, names one of its dense items).
func (p *plainConv) nameAgain(si int, b []byte, slot int, repeat bool) {
	f := &p.stack[len(p.stack)-1]
	at, id := p.names.member(si, b, slot, repeat)
	if j := si - 1; uint(j) < uint(len(p.qfast)) && j < len(p.names.tabID) && p.qfast[j] != 0 {
		// The number for writeFast (qfast).
		p.qfast[j] = uint64(uint32(p.qfast[j])) | uint64(p.names.tabID[j])<<32
	}
	if f.again(&p.names, at, id) || f.kind == pMixed && denseName(b, f.i) {
		p.w.note.dupName(b, func() string { return p.pointer(p.stack, &place{name: b}) })
	}
}

// slot is where the value being read stands in its container: a frame
// with only the place set.
func (p *plainConv) slot() place {
	if n := len(p.stack); n > 0 {
		return placeIn(&p.stack[n-1])
	}
	return place{}
}

// placeIn is where the value being written in f stands: the place of
// each container on the stack is read from its parent's state, which
// stays on that child while the child is written.
func placeIn(f *pframe) place {
	var nf place
	{
		switch f.kind {
		case pObject:
			nf.name = f.cur
		case pMixed:
			if f.cur != nil {
				nf.name = f.cur
			} else {
				nf.name = []byte(strconv.Itoa(f.i - 1))
			}
		case pList:
			nf.index, nf.isIndex = f.i-1, true
		case pDict:
			nf.index, nf.isIndex = (f.i-1)/2, true
		case pWrapper:
			nf.alias = true
		}
	}
	return nf
}

// cycle writes {"$ref": pointer} when key is one of the containers being
// written, as the value-model writer does.
func (p *plainConv) cycle(key int) bool {
	for i := len(p.stack) - 1; i >= 0; i-- {
		if p.stack[i].key == key && key != math.MinInt {
			w := p.w
			ptr := p.pointer(p.stack[:i+1], nil)
			w.open('{')
			w.key("$ref", true)
			w.str(ptr)
			w.close('}', false)
			if w.o.Warn != nil {
				// Said at the end, once the input is known to be whole
				// (as the value model, which reads it all first).
				p.cycles.add(ptr, w.note.values)
			}
			return true
		}
	}
	return false
}

// pointer is the JSON Pointer of frames (the first is the root), and of
// one more place when extra is not nil.
func (p *plainConv) pointer(frames []pframe, extra *place) string {
	b := append(p.ptr[:0], p.base...)
	n := len(frames)
	for i := 1; i <= n; i++ {
		var pl place
		if i < n {
			pl = placeIn(&frames[i-1])
		} else if extra == nil {
			break
		} else {
			pl = *extra
		}
		s := &pl
		if s.alias {
			continue
		}
		b = append(b, '/')
		if s.isIndex {
			b = strconv.AppendInt(b, int64(s.index), 10)
			continue
		}
		for _, c := range []byte(p.w.note.pathName(amf.DecodeText(s.name))) {
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
	p.ptr = b
	return string(b)
}

// ---- output ----

func (p *plainConv) str(t *amf.Token) {
	w := p.w
	if p.out != nil && len(t.Bytes) > bigOut && w.o.Palette == nil && utf8.Valid(t.Bytes) {
		p.stream(t.Bytes, false)
		return
	}
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
		w.buf = p.quote(w.buf, t, false)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = p.quote(w.buf, t, false)
}

func (p *plainConv) key(t *amf.Token, first bool) {
	w := p.w
	if !first {
		w.punct(',')
	}
	w.newline()
	if w.o.Palette != nil && w.o.Palette.Key != "" {
		w.buf = append(w.buf, w.o.Palette.Key...)
		w.buf = p.quote(w.buf, t, true)
		w.buf = append(w.buf, w.o.Palette.Reset...)
	} else {
		w.buf = p.quote(w.buf, t, true)
	}
	w.punct(':')
	if w.o.Indent != "" {
		w.buf = append(w.buf, ' ')
	}
}

// quote appends the JSON form of a string token (a member name when
// key), caching it for AMF3 table strings.
func (p *plainConv) quote(dst []byte, t *amf.Token, key bool) []byte {
	if i := t.StrIndex - 1; uint(i) < uint(len(p.quoted)) {
		if q := p.quoted[i]; q[1] != 0 {
			return append(dst, p.qbuf[q[0]:q[1]]...)
		}
	}
	return p.quoteSlow(dst, t, key)
}

// quoteKey appends a member name and its ':', for the output without
// colour or indent: a cached name is one copy.
func (p *plainConv) quoteKey(dst []byte, strIndex int, b []byte) []byte {
	if i := strIndex - 1; uint(i) < uint(len(p.quoted)) {
		if q := p.quoted[i]; q[1] != 0 {
			return append(dst, p.qbuf[q[0]:q[1]+1]...)
		}
	} else if i < 0 {
		return append(p.text(dst, b, true), ':')
	}
	return append(p.quoteSlow(dst, &amf.Token{StrIndex: strIndex, Bytes: b}, true), ':')
}

// quoteIndex is quote for a string of the AMF3 table.
func (p *plainConv) quoteIndex(dst []byte, strIndex int, b []byte) []byte {
	if i := strIndex - 1; uint(i) < uint(len(p.quoted)) {
		if q := p.quoted[i]; q[1] != 0 {
			return append(dst, p.qbuf[q[0]:q[1]]...)
		}
	}
	return p.quoteSlow(dst, &amf.Token{StrIndex: strIndex, Bytes: b}, false)
}

// quoteSlow is quote for a string not cached yet: it caches an AMF3
// table string's JSON form, in qbuf between the ',' and the ':' of a
// member that is not the first (which writeBatch takes with it).
func (p *plainConv) quoteSlow(dst []byte, t *amf.Token, key bool) []byte {
	if t.StrIndex == 0 {
		return p.text(dst, t.Bytes, key)
	}
	i := t.StrIndex - 1
	if i >= quotedMax || len(p.qbuf)+len(t.Bytes) > qbufMax || !utf8.Valid(t.Bytes) {
		// Not cached: past the cache's bounds (a table of millions of
		// strings would cost the cache's 12 bytes and more an entry,
		// growing with the input), or text that is not UTF-8.
		return p.text(dst, t.Bytes, key)
	}
	if i >= len(p.quoted) {
		p.growQuoted(i)
	}
	var q [2]int32
	p.qbuf = append(p.qbuf, ',') // before it, for a member that is not the first
	q[0] = int32(len(p.qbuf))
	p.qbuf = appendStringBytes(p.qbuf, t.Bytes)
	q[1] = int32(len(p.qbuf))
	p.qbuf = append(p.qbuf, ':')
	if cap(p.qbuf)-len(p.qbuf) < copyWord {
		// Room for copy16 to read a whole word past any entry.
		p.qbuf = append(p.qbuf, make([]byte, copyWord)...)[:len(p.qbuf)]
	}
	p.quoted[i] = q
	p.qfast[i] = uint64(p.fastEntry(q))
	if p.qfast[i] != 0 && i < len(p.names.tabID) {
		p.qfast[i] |= uint64(p.names.tabID[i]) << 32
	}
	return append(dst, p.qbuf[q[0]:q[1]]...)
}

// forget empties the caches of the JSON of AMF3 table strings, with the
// AMF0 names that share their buffer, at a switch of a Reader with
// FreshSwitches: the string indexes start again there, and the strings
// of earlier switches are not referred to again (packetdirect.go).
func (p *plainConv) forget() {
	p.names.forgetTable()
	p.quoted, p.qfast = p.quoted[:0], p.qfast[:0]
	p.names0, p.names0Fast = p.names0[:0], p.names0Fast[:0]
	p.qbuf = p.qbuf[:0]
	p.names0Left = names0Room
}

// names0Room is the room in qbuf for AMF0 names.
const names0Room = 64 << 10

// key0 appends b, an AMF0 member name of Slot j+1 not cached, with the
// comma before it unless first and its ':', and caches it as the last
// name of the Slot (or leaves the Slot empty: every name of a Slot
// passes here or is its cached one, so the cache holds the Reader's last).
func (p *plainConv) key0(dst []byte, j int, b []byte, first bool) []byte {
	if j >= len(p.names0) {
		p.names0 = append(p.names0, make([][2]int32, j+1-len(p.names0))...)
		p.names0Fast = append(p.names0Fast, make([]uint32, j+1-len(p.names0Fast))...)
	}
	if len(b) > p.names0Left || !plainASCII(b) {
		p.names0[j] = [2]int32{}
		p.names0Fast[j] = 0
		if !first {
			dst = append(dst, ',')
		}
		return append(p.text(dst, b, true), ':')
	}
	// Cached as quoteSlow caches: ',' "name" ':'.
	p.names0Left -= len(b) + 4
	var q [2]int32
	p.qbuf = append(p.qbuf, ',')
	q[0] = int32(len(p.qbuf))
	p.qbuf = append(p.qbuf, '"')
	p.qbuf = append(p.qbuf, b...)
	p.qbuf = append(p.qbuf, '"')
	q[1] = int32(len(p.qbuf))
	p.qbuf = append(p.qbuf, ':')
	if cap(p.qbuf)-len(p.qbuf) < copyWord {
		// Room for copy16, as quoteSlow keeps.
		p.qbuf = append(p.qbuf, make([]byte, copyWord)...)[:len(p.qbuf)]
	}
	p.names0[j] = q
	p.names0Fast[j] = p.fastEntry(q)
	if !first {
		q[0]--
	}
	return append(dst, p.qbuf[q[0]:q[1]+1]...)
}

// copyWord is the room copy16 needs, and keeps past the cached strings.
const copyWord = 16

// copy16 appends src[i:j], a cached JSON string, to dst: when it is at
// most copyWord bytes, dst has that room and src that many bytes from i
// (quoteSlow keeps copyWord bytes of room past every entry), as two
// word moves, without a call to memmove or bounds checks (the three
// conditions are the bounds).
func copy16(dst, src []byte, i, j int) []byte {
	n := len(dst)
	if j-i > copyWord || cap(dst)-n < copyWord || uint(i)+copyWord > uint(cap(src)) || i > j {
		return append(dst, src[i:j]...)
	}
	d := unsafe.Add(unsafe.Pointer(unsafe.SliceData(dst)), n)
	s := unsafe.Add(unsafe.Pointer(unsafe.SliceData(src)), i)
	*(*uint64)(d) = *(*uint64)(s)
	*(*uint64)(unsafe.Add(d, 8)) = *(*uint64)(unsafe.Add(s, 8))
	return dst[:n+j-i]
}

// The bounds of the cache of quoted table strings: the entries of the
// first quotedMax table strings, in a qbuf of at most qbufMax bytes.
// Strings that recur (member names, a small pool of values) come early
// in a table; a table larger than that is most likely hostile input, or
// strings that do not recur.
const (
	quotedMax = 1 << 18
	qbufMax   = 8 << 20
)

// growQuoted makes room in the cache for table index i, and as many
// more as it holds (empty entries): the table grows an index at a time.
func (p *plainConv) growQuoted(i int) {
	n := min(max(i+1, 2*len(p.quoted), 64), quotedMax) - len(p.quoted)
	p.quoted = append(p.quoted, make([][2]int32, n)...)
	p.qfast = append(p.qfast, make([]uint64, n)...)
}

// fastEntry is the qfast form of q, a cache entry in qbuf.
func (p *plainConv) fastEntry(q [2]int32) uint32 {
	comma, k := int(q[0])-1, int(q[1])+2-int(q[0])
	if comma < 0 || k > copyWord || comma+copyWord+1 > cap(p.qbuf) || comma >= 1<<24 {
		return 0
	}
	return uint32(comma)<<8 | uint32(k)
}

// appendDate is appendDate with the day's text kept from the last
// date.
func (p *plainConv) appendDate(dst []byte, ms int64) []byte {
	days := ms / 86400000
	rem := ms - days*86400000
	if rem < 0 {
		rem += 86400000
		days--
	}
	if days != p.day {
		appendDate(p.dayText[:0], days*86400000)
		p.day = days
	}
	n := len(dst)
	if cap(dst)-n < len(p.dayText) {
		dst = slices.Grow(dst, len(p.dayText))
	}
	d := dst[n : n+len(p.dayText) : n+len(p.dayText)]
	// '"', the date and 'T' in two words, then the time of day.
	binary.LittleEndian.PutUint64(d, binary.LittleEndian.Uint64(p.dayText[:]))
	binary.LittleEndian.PutUint32(d[8:], binary.LittleEndian.Uint32(p.dayText[8:]))
	t := uint32(rem)
	h := t / 3600000
	t -= h * 3600000
	mi := t / 60000
	t -= mi * 60000
	sec := t / 1000
	frac := t - sec*1000
	d[12], d[13], d[14] = digits2[2*h], digits2[2*h+1], ':'
	d[15], d[16], d[17] = digits2[2*mi], digits2[2*mi+1], ':'
	d[18], d[19], d[20] = digits2[2*sec], digits2[2*sec+1], '.'
	fh, fl := frac/10, frac%10
	d[21], d[22], d[23] = digits2[2*fh], digits2[2*fh+1], byte('0'+fl)
	d[24], d[25] = 'Z', '"'
	return dst[:n+len(p.dayText)]
}

// appendPlainDouble is appendDouble of the plain form (x finite), with
// a shortcut for the integral values that much data holds: they print
// as integers either way.
func appendPlainDouble(dst []byte, x float64) []byte {
	if i := int64(x); float64(i) == x && i != 0 && i > -1e15 && i < 1e15 {
		return appendInt(dst, i)
	}
	if b, ok := appendShortDecimal(dst, x); ok {
		return b
	}
	return appendDouble(dst, x, false)
}

// appendShortDecimal writes x, not integral, when it has at most four
// fraction digits and a magnitude below 1e9 (prices, durations, rates):
// the decimal with four fraction digits nearest x, r/10^4, without its
// trailing zeros, when it reads back as x, which is strconv's shortest
// form. Below 1e9 the doubles are less than 2^-23 apart, far less than
// 10^-4, so at most one decimal of four fraction digits reads back as
// x; one of k < 4 digits that does is that same decimal (x*10^4 is within
// far less than 0.5 of it times 10^(4-k), so rounding finds it), and
// stripping zeros finds the fewest. The division r/10^4 is exact-rounded
// (r and 10^4 are exact), so r/10^4 == x is the reading-back test itself.
func appendShortDecimal(dst []byte, x float64) ([]byte, bool) {
	a := math.Abs(x)
	if !(a < 1e9) || a == 0 {
		return dst, false
	}
	r := math.RoundToEven(a * 1e4)
	if r/1e4 != a {
		return dst, false
	}
	u := uint64(r) // below 1e13
	ip, fr := u/10000, u%10000
	if fr == 0 {
		return dst, false // integral: not for here
	}
	if x < 0 {
		dst = append(dst, '-')
	}
	switch {
	case ip < 10:
		dst = append(dst, byte('0'+ip))
	case ip < 100:
		dst = append(dst, digits2[2*ip], digits2[2*ip+1])
	case ip < 1000:
		dh, dl := ip/100, ip%100
		dst = append(dst, byte('0'+dh), digits2[2*dl], digits2[2*dl+1])
	default:
		dst = appendInt(dst, int64(ip))
	}
	h, l := fr/100, fr%100
	switch {
	case l == 0 && h%10 == 0:
		dst = append(dst, '.', byte('0'+h/10))
	case l == 0:
		dst = append(dst, '.', digits2[2*h], digits2[2*h+1])
	case l%10 == 0:
		dst = append(dst, '.', digits2[2*h], digits2[2*h+1], byte('0'+l/10))
	default:
		dst = append(dst, '.', digits2[2*h], digits2[2*h+1], digits2[2*l], digits2[2*l+1])
	}
	return dst, true
}

// digits2 holds "00" to "99".
const digits2 = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// appendInt appends i in decimal, with a shortcut for the small integers
// that most data holds.
func appendInt(dst []byte, i int64) []byte {
	if uint64(i) < 10 {
		return append(dst, byte('0'+i))
	}
	if uint64(i) < 100 {
		return append(dst, digits2[2*i], digits2[2*i+1])
	}
	if uint64(i) < 10000 {
		// Three or four digits, common in data (prices, counts), in one
		// append.
		h, l := i/100, i%100
		if h < 10 {
			return append(dst, byte('0'+h), digits2[2*l], digits2[2*l+1])
		}
		return append(dst, digits2[2*h], digits2[2*h+1], digits2[2*l], digits2[2*l+1])
	}
	if uint64(i) < 1e8 {
		var b [8]byte
		k := len(b)
		u := uint32(i)
		for u >= 100 {
			q := u / 100
			j := 2 * (u - 100*q)
			k -= 2
			b[k], b[k+1] = digits2[j], digits2[j+1]
			u = q
		}
		if u >= 10 {
			k -= 2
			b[k], b[k+1] = digits2[2*u], digits2[2*u+1]
		} else {
			k--
			b[k] = byte('0' + u)
		}
		return append(dst, b[k:]...)
	}
	return strconv.AppendInt(dst, i, 10)
}

// text appends the bytes of an AMF string as a JSON string: UTF-8 as it
// is, CESU-8 combined, anything else decoded with the charset (and noted).
func (p *plainConv) text(dst []byte, b []byte, key bool) []byte {
	if plainASCII(b) {
		// One pass where most text needs nothing done.
		dst = append(dst, '"')
		dst = append(dst, b...)
		return append(dst, '"')
	}
	if utf8.Valid(b) {
		return appendStringBytes(dst, b)
	}
	s := amf.DecodeText(b)
	if !utf8.ValidString(s) {
		s = p.w.note.decode(s, func() string {
			sl := p.slot()
			if key {
				sl = place{name: b}
			}
			return p.pointer(p.stack, &sl)
		})
	}
	return appendString(dst, s)
}

func (p *plainConv) double(x float64) {
	w := p.w
	if math.IsNaN(x) || math.IsInf(x, 0) {
		w.lit("null")
		return
	}
	w.numStart()
	w.buf = appendDouble(w.buf, x, false)
	w.numEnd()
}

func (p *plainConv) date(ms float64) {
	w := p.w
	switch {
	case plainDateText(ms):
		w.dateStr(int64(ms))
	case math.IsNaN(ms) || math.IsInf(ms, 0):
		w.lit("null")
	default:
		w.note.farDate(func() string { sl := p.slot(); return p.pointer(p.stack, &sl) })
		w.numStart()
		w.buf = appendDouble(w.buf, ms, false)
		w.numEnd()
	}
}

func (p *plainConv) bytes(b []byte) {
	w := p.w
	if p.out != nil && len(b) > bigOut && w.o.Palette == nil {
		p.stream(b, true)
		return
	}
	w.bytes(b)
}

// bigOut is the length from which a string or ByteArray is written to
// the output in pieces rather than whole into the buffer.
const bigOut = 1 << 20

// stream writes a long string (UTF-8 already checked) or the base64 of a
// ByteArray to the output in pieces, so that it is never held whole.
func (p *plainConv) stream(b []byte, b64 bool) {
	w := p.w
	w.streamQuoted(b, b64, func() {
		if p.err == nil {
			if _, err := p.out.Write(w.buf); err != nil {
				p.err = err
			}
		}
		p.flushed += len(w.buf)
		w.buf = w.buf[:0]
	})
	p.check = 0 // flushed moved on: check again before the next token
}

// streamQuoted appends the JSON string of b (UTF-8 already checked), or
// of its base64 when b64, a piece at a time, calling flush after each
// piece so that the caller can write the buffer out.
func (w *writer) streamQuoted(b []byte, b64 bool, flush func()) {
	w.buf = append(w.buf, '"')
	const piece = 3 * 21 << 10
	for len(b) > 0 {
		n := min(len(b), piece)
		if !b64 {
			// A whole character in each piece, for appendEscaped to see
			// the two or three bytes of the ones it escapes.
			for n < len(b) && n > piece-4 && b[n]&0xC0 == 0x80 {
				n--
			}
		}
		if b64 {
			w.buf = base64.StdEncoding.AppendEncode(w.buf, b[:n])
		} else {
			w.buf = appendEscaped(w.buf, b[:n])
		}
		b = b[n:]
		flush()
	}
	w.buf = append(w.buf, '"')
}

// appendStringBytes is appendString for bytes already known to be UTF-8.
func appendStringBytes(dst []byte, s []byte) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"')
}

// appendEscaped appends UTF-8 bytes escaped for a JSON string: the
// characters JSON requires, and those a terminal would act on
// (terminalRune).
func appendEscaped(dst []byte, s []byte) []byte {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	start, i := 0, 0
	for i < len(s) {
		if i+8 <= len(s) {
			// Eight bytes at a time while none is a control character,
			// '"', '\\' or a lead byte 0xC2 or 0xE2 (b&0xDF == 0xC2); else
			// on to the first that is (the lowest flag is exact).
			x := binary.LittleEndian.Uint64(s[i:])
			q, b, l := x^(lo*'"'), x^(lo*'\\'), x&(lo*0xDF)^(lo*0xC2)
			m := ((x-lo*0x20)&^x | (q-lo)&^q | (b-lo)&^b | (l-lo)&^l) & hi
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		}
		c := s[i]
		if !escapeLead[c] {
			i++
			continue
		}
		if c < 0x80 {
			dst = appendEscape(append(dst, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, n := terminalRune(s[i:])
		if n == 0 {
			i += 2 + int(c>>5&1) // past the character: 2 bytes after 0xC2, 3 after 0xE2
			continue
		}
		dst = appendRuneEscape(append(dst, s[start:i]...), r)
		i += n
		start = i
	}
	return append(dst, s[start:]...)
}

// plainASCII reports whether b is ASCII that JSON takes as it is (no
// control character, quote or backslash).
func plainASCII(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if x := binary.LittleEndian.Uint64(b[i:]); x&0x8080808080808080 != 0 || needsEscape8(x) {
			return false
		}
	}
	for ; i < len(b); i++ {
		if !asciiPlain[b[i]] {
			return false
		}
	}
	return true
}

// asciiPlain says which bytes plainASCII lets through.
var asciiPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

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

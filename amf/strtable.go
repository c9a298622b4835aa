package amf

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// strTable is the Writer's AMF3 string table, from each string written
// to its index: open addressing over a power-of-two array, so that one
// hash finds a string or the slot where it goes (a Go map takes two, a
// lookup and an assignment, and hash/maphash costs more than the hash).
// The hash is seeded per process, so that input cannot be made to
// collide.
type strTable struct {
	slots []strSlot
	n     int // slots in use
}

type strSlot struct {
	s string
	h uint32 // the hash's low half (where the slot is, and a quick check)
	i int32  // index + 1; 0: empty (indices stop below 2^28, see str3i)
}

// strSeed seeds strHash: secret, so that no input is known to collide.
var strSeed = func() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:]) | 1
}()

const (
	hashK1 = 0xa0761d6478bd642f
	hashK2 = 0xe7037ed1a0b428db
)

func hashMix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// le64 and le32 read little-endian words of s (one load each, where
// the compiler combines the bytes).
func le64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string, i int) uint64 {
	s = s[i : i+4]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// strHash hashes s with a multiply-mix of its 8-byte words (the wyhash
// construction, as the Go runtime's own fallback hash), seeded by
// strSeed.
func strHash(s string) uint64 {
	n := len(s)
	seed := strSeed ^ hashK1
	var a, b uint64
	switch {
	case n == 0:
	case n < 4:
		a = uint64(s[0])<<16 | uint64(s[n>>1])<<8 | uint64(s[n-1])
	case n <= 8:
		a, b = le32(s, 0), le32(s, n-4)
	case n <= 16:
		a, b = le64(s, 0), le64(s, n-8)
	default:
		i := 0
		for ; n-i > 16; i += 16 {
			seed = hashMix(le64(s, i)^hashK2, le64(s, i+8)^seed)
		}
		a, b = le64(s, n-16), le64(s, n-8)
	}
	return hashMix(hashK2^uint64(n), hashMix(a^hashK2, b^seed))
}

// slot returns the slot of s: its entry, or the empty slot where it
// goes, with room for it (the table grows first when it is 3/4 full).
func (t *strTable) slot(s string) *strSlot {
	if (t.n+1)*4 > len(t.slots)*3 {
		t.grow()
	}
	h := uint32(strHash(s))
	mask := uint32(len(t.slots) - 1)
	for p := h & mask; ; p = (p + 1) & mask {
		e := &t.slots[p]
		if e.i == 0 {
			e.h = h // kept for set: an empty slot's hash means nothing
			return e
		}
		if e.h == h && e.s == s {
			return e
		}
	}
}

// set gives the slot e of s (from slot) the index i.
func (t *strTable) set(e *strSlot, s string, i int) {
	if e.i == 0 {
		e.s = s
		t.n++
	}
	e.i = int32(i + 1)
}

func (t *strTable) grow() {
	old := t.slots
	t.slots = make([]strSlot, max(2*len(old), 64))
	mask := uint32(len(t.slots) - 1)
	for _, e := range old {
		if e.i == 0 {
			continue
		}
		p := e.h & mask
		for t.slots[p].i != 0 {
			p = (p + 1) & mask
		}
		t.slots[p] = e
	}
}

// reset empties the table, keeping its room unless it is large.
func (t *strTable) reset() {
	if len(t.slots) > 1<<16 {
		t.slots = nil
	} else if t.n > 0 {
		clear(t.slots)
	}
	t.n = 0
}

// strBig is the Reader's AMF3 string table past its first strFast
// entries (Reader.strs, eight bytes an entry, which the fast paths read):
// each entry is where the string's U29 header is in the memory the
// table indexes (Reader.strMem), whose length the header gives again.
// (The traits and object tables past their first entries use it too.)
// The entries are in chunks of strBigChunk that never move: a table of
// 15 million one-letter strings (45 MB of input) grows to 17 MB, where
// one slice grown by append peaked at several times its 120 MB, copying
// as it grew. A chunk holds its entries in the first of three forms
// they fit: while each is at most 255 past the one before (entries a
// few bytes apart: short strings, small objects), that difference in a
// byte (d8), with every strDeltaRun-th entry as a 16-bit offset from the
// chunk's first (ck), 1.125 bytes an entry; else while they are within
// 64 KiB of the first, 16-bit offsets from it (rel, two bytes an
// entry); else 32-bit offsets (abs, four bytes an entry, for strings
// long enough that the input is larger).
type strBig struct {
	n      int
	chunks []strChunk
}

type strChunk struct {
	base uint32 // the first entry
	last uint32 // the last entry (while in d8)
	// One of d8 (with ck), rel and abs holds the entries; a chunk that
	// turns to a wider form lets the narrower ones' room go (kept, a
	// table of 4-byte entries held 7.1 bytes an entry: a packet of
	// 650,000 switches, 92 MB, peaked 156 MB where it had 137), and a
	// chunk reused (strBig.reuse) keeps the room of the form it had.
	d8   []uint8  // each entry less the one before (0 for every strDeltaRun-th)
	ck   []uint16 // every strDeltaRun-th entry less base
	rel  []uint16 // entries less base
	abs  []uint32
	form uint8 // formD8, formRel, formAbs
}

const (
	formD8 = iota
	formRel
	formAbs
)

const (
	strBigBits  = 12
	strBigChunk = 1 << strBigBits
	// strDeltaRun is how many entries of a d8 chunk one ck entry
	// starts: at adds up to strDeltaRun-1 bytes to find an entry.
	strDeltaBits = 4
	strDeltaRun  = 1 << strDeltaBits
)

// strFast is how many entries Reader.strs holds (512 KiB of them)
// before the rest go to strBig. (A variable for the fuzz targets, which
// lower it so that small inputs reach strBig.)
var strFast = 1 << 16

// add appends the entry h.
func (t *strBig) add(h uint32) {
	if t.n&(strBigChunk-1) == 0 {
		t.newChunk(h)
	}
	c := &t.chunks[len(t.chunks)-1]
	k := t.n & (strBigChunk - 1)
	t.n++
	if c.form == formD8 {
		if k&(strDeltaRun-1) == 0 {
			if h >= c.base && h-c.base <= 0xFFFF {
				c.ck = append(c.ck, uint16(h-c.base))
				c.d8 = append(c.d8, 0)
				c.last = h
				return
			}
		} else if h >= c.last && h-c.last <= 0xFF {
			c.d8 = append(c.d8, uint8(h-c.last))
			c.last = h
			return
		}
		c.toRel(k)
	}
	if c.form == formRel {
		if h >= c.base && h-c.base <= 0xFFFF {
			c.rel = append(c.rel, uint16(h-c.base))
			return
		}
		c.toAbs(k)
	}
	c.abs = append(c.abs, h)
}

// toRel turns c, of k entries in d8, to 16-bit offsets (rel); to abs
// if one is not within 64 KiB of base (an entry after the last ck one
// may be up to strDeltaRun*255 bytes past it).
func (c *strChunk) toRel(k int) {
	rel := c.rel[:0]
	if cap(rel) < strBigChunk {
		rel = make([]uint16, 0, strBigChunk)
	}
	for i := range k {
		h := c.at(i)
		if h-c.base > 0xFFFF {
			c.rel = rel
			c.toAbsFromD8(k)
			return
		}
		rel = append(rel, uint16(h-c.base))
	}
	c.rel, c.d8, c.ck, c.form = rel, nil, nil, formRel
}

// toAbsFromD8 turns c, of k entries in d8, to 32-bit offsets.
func (c *strChunk) toAbsFromD8(k int) {
	abs := c.abs[:0]
	if cap(abs) < strBigChunk {
		abs = make([]uint32, 0, strBigChunk)
	}
	for i := range k {
		abs = append(abs, c.at(i))
	}
	c.abs, c.d8, c.ck, c.rel, c.form = abs, nil, nil, nil, formAbs
}

// toAbs turns c, of k entries in rel, to 32-bit offsets.
func (c *strChunk) toAbs(k int) {
	abs := c.abs[:0]
	if cap(abs) < strBigChunk {
		abs = make([]uint32, 0, strBigChunk)
	}
	for _, d := range c.rel[:k] {
		abs = append(abs, c.base+uint32(d))
	}
	c.abs, c.rel, c.form = abs, nil, formAbs
}

// newChunk begins a chunk at entry h, in the room of one that reuse
// left if any.
func (t *strBig) newChunk(h uint32) {
	k := len(t.chunks)
	if k == cap(t.chunks) {
		t.chunks = append(t.chunks, strChunk{})
	}
	t.chunks = t.chunks[:k+1]
	c := &t.chunks[k]
	c.base, c.last, c.form = h, h, formD8
	c.abs, c.rel = c.abs[:0], c.rel[:0]
	if c.d8 = c.d8[:0]; cap(c.d8) < strBigChunk {
		c.d8 = make([]uint8, 0, strBigChunk)
	}
	if c.ck = c.ck[:0]; cap(c.ck) < strBigChunk/strDeltaRun {
		c.ck = make([]uint16, 0, strBigChunk/strDeltaRun)
	}
}

// reuse empties t, keeping its chunks' room for the next entries: the
// typed JSON writer reads its input twice (marks, then writes) with one
// Reader, Reset between, whose second table then costs nothing more
// (two tables peaked 60 MB for 15 million strings).
func (t *strBig) reuse() strBig {
	return strBig{chunks: t.chunks[:0]}
}

// at returns entry i (i < t.n).
func (t *strBig) at(i int) uint32 {
	return t.chunks[i>>strBigBits].at(i & (strBigChunk - 1))
}

// at returns entry k of c.
func (c *strChunk) at(k int) uint32 {
	switch c.form {
	case formD8:
		h := c.base + uint32(c.ck[k>>strDeltaBits])
		for _, d := range c.d8[k&^(strDeltaRun-1)+1 : k+1] {
			h += uint32(d)
		}
		return h
	case formRel:
		return c.base + uint32(c.rel[k])
	}
	return c.abs[k]
}

// size is about the memory t holds.
func (t *strBig) size() int {
	n := cap(t.chunks) * int(unsafe.Sizeof(strChunk{}))
	for i := range t.chunks {
		c := &t.chunks[i]
		n += cap(c.d8) + 2*cap(c.ck) + 2*cap(c.rel) + 4*cap(c.abs)
	}
	return n
}

// strN is the length of r's string table (less strOff).
func (r *Reader) strN() int { return len(r.strs) + r.big.n }

// strAt returns the bytes of entry i of r's string table (i < strN).
func (r *Reader) strAt(i int) []byte {
	if i < len(r.strs) {
		return r.sb(r.strs[i])
	}
	return r.bigStr(i - len(r.strs))
}

// bigStr returns the bytes of entry i of r.big: after the header the
// entry points to (a header read before, so valid).
func (r *Reader) bigStr(i int) []byte {
	mem := r.strMem()
	h := int(r.big.at(i))
	u, n := peekU29Size(mem, h)
	s := h + n
	e := s + int(u>>1)
	return mem[s:e:e]
}

// traitFast is how many traits Reader.traits holds (72 bytes each, with
// their Traits and names: about 180 bytes a traits of one name) before
// the rest go to Reader.tbig, a byte or two each, in a Reader over
// bytes: 5 million distinct sealed traits (48 MB of input) held 1.8 GB
// as a slice of traits3 grown by append; 65,536 kept ones took 11 MB of
// the 64 MB issue 7 allows past the input. (A variable for the fuzz
// targets.)
var traitFast = 1 << 12

// traitsCached is a traits of Reader.tbig read again, by index.
type traitsCached struct {
	i  int
	tr *traits3
}

// traitN is the length of r's traits table (less traitOff).
func (r *Reader) traitN() int { return len(r.traits) + r.tbig.n }

// traitAt returns entry i of r's traits table, or nil past it.
func (r *Reader) traitAt(i int) *traits3 {
	if uint(i) < uint(len(r.traits)) {
		return &r.traits[i]
	}
	if i -= len(r.traits); uint(i) < uint(r.tbig.n) {
		return r.bigTraits(i)
	}
	return nil
}

// bigTraits returns entry i of r.tbig, read again from the input where
// they began (an AMF3 object's U29 header, its class name and sealed
// names), which was read once and so is whole: a traits of its own (an
// object's frame may hold it after the cache lets it go). A sealed name
// written inline there gets StrIndex 0 (its index is not kept); a
// reference keeps its own. Nil if the bytes do not read (not expected:
// they were read before).
func (r *Reader) bigTraits(i int) *traits3 {
	if r.tcache == nil {
		r.tcache = new([64]traitsCached)
	}
	c := &r.tcache[i&63]
	if c.tr != nil && c.i == i {
		return c.tr
	}
	start := int(r.tbig.at(i))
	p := start - int(r.base)
	u, n := peekU29Size(r.data, p)
	if n == 0 {
		return nil
	}
	p += n
	cls, _, p := r.traitStr(p)
	if p < 0 {
		return nil
	}
	tr := &traits3{start: start}
	if u&4 != 0 {
		tr.t = &Traits{Class: string(cls), Externalizable: true}
	} else {
		k := int(u >> 4)
		if k > len(r.data)-p {
			return nil
		}
		tr.t = &Traits{Class: string(cls), Dynamic: u&8 != 0}
		if k > 0 {
			tr.t.Sealed = make([]string, k)
			tr.sealedIdx = make([]int, k)
		}
		for j := range k {
			var s []byte
			s, tr.sealedIdx[j], p = r.traitStr(p)
			if p < 0 {
				return nil
			}
			tr.t.Sealed[j] = string(s)
		}
	}
	tr.end = p + int(r.base)
	*c = traitsCached{i, tr}
	return tr
}

// traitStr reads again a UTF-8-vr of a traits at p: its bytes, its
// table index + 1 (0 when inline), and where it ends (-1: it does not
// read).
func (r *Reader) traitStr(p int) ([]byte, int, int) {
	u, n := peekU29Size(r.data, p)
	if n == 0 {
		return nil, 0, -1
	}
	p += n
	if u&1 == 0 {
		i := int(u>>1) - r.strOff
		if uint(i) >= uint(r.strN()) {
			return nil, 0, -1
		}
		return r.strAt(i), i + 1, p
	}
	l := int(u >> 1)
	if l > len(r.data)-p {
		return nil, 0, -1
	}
	return r.data[p : p+l : p+l], 0, p + l
}

// TraitsLen returns the length of the AMF3 traits table, as the input
// counts it (with the entries FreshSwitches let go).
func (r *Reader) TraitsLen() int { return r.traitOff + r.traitN() }

// TraitsEntry returns entry i of the AMF3 traits table (counted as
// [Token.TraitsIndex] less one counts it) without building a [Traits]:
// its class name and sealed member names, borrowed (valid while the
// Reader's input is, and not to be changed), the names appended to
// names[:0], and its flags. ok is false for an entry the Reader does not
// hold (past the table, or let go by FreshSwitches).
func (r *Reader) TraitsEntry(i int, names [][]byte) (class []byte, sealed [][]byte, dynamic, ext, ok bool) {
	sealed = names[:0]
	if i -= r.traitOff; i < 0 || i >= r.traitN() {
		return nil, sealed, false, false, false
	}
	if i < len(r.traits) {
		t := r.traits[i].t
		for _, s := range t.Sealed {
			sealed = append(sealed, unsafe.Slice(unsafe.StringData(s), len(s)))
		}
		return unsafe.Slice(unsafe.StringData(t.Class), len(t.Class)), sealed, t.Dynamic, t.Externalizable, true
	}
	// Read again where the entry began, as bigTraits reads it.
	p := int(r.tbig.at(i-len(r.traits))) - int(r.base)
	u, n := peekU29Size(r.data, p)
	if n == 0 {
		return nil, sealed, false, false, false
	}
	class, _, p = r.traitStr(p + n)
	if p < 0 {
		return nil, sealed, false, false, false
	}
	if u&4 != 0 {
		return class, sealed, false, true, true
	}
	k := int(u >> 4)
	if k > len(r.data)-p {
		return nil, sealed, false, false, false
	}
	for range k {
		var s []byte
		if s, _, p = r.traitStr(p); p < 0 {
			return nil, sealed, false, false, false
		}
		sealed = append(sealed, s)
	}
	return class, sealed, u&8 != 0, false, true
}

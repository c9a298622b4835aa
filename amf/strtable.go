package amf

import (
	"crypto/rand"
	"encoding/binary"
	"math/bits"
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
// The entries are in chunks of strBigChunk that never move: a table of
// 15 million one-letter strings (45 MB of input) grows to 30 MB, where
// one slice grown by append peaked at several times its 120 MB, copying
// as it grew. A chunk holds its entries as 16-bit offsets from its first
// (two bytes an entry) while they are within 64 KiB of it, which is
// always so for short strings; else as 32-bit offsets (four bytes an
// entry, for strings long enough that the input is larger).
type strBig struct {
	n      int
	chunks []strChunk
}

type strChunk struct {
	base uint32   // the first entry
	rel  []uint16 // entries less base, or nil: in abs
	abs  []uint32
}

const (
	strBigBits  = 12
	strBigChunk = 1 << strBigBits
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
	t.n++
	if c.rel != nil {
		if h >= c.base && h-c.base <= 0xFFFF {
			c.rel = append(c.rel, uint16(h-c.base))
			return
		}
		abs := c.abs[:0]
		if cap(abs) < strBigChunk {
			abs = make([]uint32, 0, strBigChunk)
		}
		abs = abs[:len(c.rel)]
		for i, d := range c.rel {
			abs[i] = c.base + uint32(d)
		}
		c.rel, c.abs = nil, abs
	}
	c.abs = append(c.abs, h)
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
	c.base, c.abs = h, c.abs[:0]
	if c.rel = c.rel[:0]; cap(c.rel) < strBigChunk {
		c.rel = make([]uint16, 0, strBigChunk)
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
	c := &t.chunks[i>>strBigBits]
	if c.rel != nil {
		return c.base + uint32(c.rel[i&(strBigChunk-1)])
	}
	return c.abs[i&(strBigChunk-1)]
}

// size is about the memory t holds.
func (t *strBig) size() int {
	n := cap(t.chunks) * 56
	for i := range t.chunks {
		n += 2*cap(t.chunks[i].rel) + 4*cap(t.chunks[i].abs)
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
// their Traits and names) before the rest go to Reader.tbig, two bytes
// each, in a Reader over bytes: 5 million distinct sealed traits (48 MB
// of input) held 1.8 GB as a slice of traits3 grown by append. (A
// variable for the fuzz targets.)
var traitFast = 1 << 16

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

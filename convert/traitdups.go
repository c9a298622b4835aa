package convert

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// dupPart is how many traits one round of traitDups takes: its table is
// the next power of two above 4/3 of them, 8 bytes a slot (2 MB), or
// more as distinct ones fill it.
var dupPart = 1 << 17 // (a variable for the tests, which lower it)

// maxDupParts bounds the parts, each of which reads the byte of every
// entry: past maxDupParts*dupPart entries (8 million), the parts grow.
const maxDupParts = 64

// traitDups gives, for the entries of r's traits table from index from
// on (r has read the whole input), whether an entry of a lower index has
// equal content: the same class, flags and sealed names as the typed
// form decodes them (traitKey). These are the traits typedConv marks
// "inline" when it first meets them (traitsFor, by seenKey), where it
// does not keep every traits' key: millions of distinct traits would
// hold hundreds of megabytes of keys.
//
// Entries are told apart by a hash of their content, and found equal by
// their content read again from the input (amf.Reader.TraitsEntry): a
// table of 8 bytes a slot (32 bits of hash, and an index). Past dupPart
// entries the hash splits them into parts (a byte an entry says which)
// taken one after another, so that the table stays within 2 MB (for up
// to maxDupParts parts; larger past that). The bits are in dst (reused),
// by index. ok is false if an entry does not read (not expected: the
// Reader read it).
func traitDups(r *amf.Reader, from int, dst []uint64) (dups []uint64, ok bool) {
	n := r.TraitsLen()
	dups = dst[:0]
	if from >= n {
		return dups, true
	}
	dups = append(dups, make([]uint64, (n+63)/64)...)
	var a, b traitKeyBuf
	seed := maphash.MakeSeed()
	parts := 1
	var part []uint8
	var counts [maxDupParts]int
	if n > dupPart {
		parts = min((n+dupPart-1)/dupPart, maxDupParts)
		part = make([]uint8, n)
		for i := range n {
			k, ok := a.key(r, i)
			if !ok {
				return dups, false
			}
			hi, _ := bits.Mul64(maphash.Bytes(seed, k), uint64(parts))
			part[i] = uint8(hi)
			counts[hi]++
		}
	}
	var slots []uint64 // hash<<32 | index+1; 0: empty
	for p := range parts {
		count := n
		if part != nil {
			count = counts[p]
		}
		// Sized for the part's entries, but for dupPart at most, and
		// grown as distinct entries fill it (growSlots): equal entries
		// take one slot, and all fall in one part (700,000 equal
		// traits beside 5 million distinct ones made a part's table 16
		// MB).
		count = min(count, dupPart)
		size := 1 << bits.Len(uint(count+count/3))
		if cap(slots) < size {
			slots = make([]uint64, size)
		} else {
			slots = slots[:size]
			clear(slots)
		}
		mask := uint64(size - 1)
		used := 0
		for i := range n {
			if part != nil && int(part[i]) != p {
				continue
			}
			k, ok := a.key(r, i)
			if !ok {
				return dups, false
			}
			h := maphash.Bytes(seed, k)
			tag := h >> 32
			for s := h & mask; ; s = (s + 1) & mask {
				e := slots[s]
				if e == 0 {
					slots[s] = tag<<32 | uint64(i+1)
					used++
					break
				}
				if e>>32 != tag {
					continue
				}
				j := int(uint32(e)) - 1
				kj, ok := b.key(r, j)
				if !ok {
					return dups, false
				}
				if bytes.Equal(k, kj) {
					if i >= from {
						dups[i>>6] |= 1 << (uint(i) & 63)
					}
					break
				}
			}
			if used*4 > len(slots)*3 {
				if slots, ok = growSlots(r, &b, seed, slots); !ok {
					return dups, false
				}
				mask = uint64(len(slots) - 1)
			}
		}
	}
	return dups, true
}

// growSlots is traitDups' table of slots twice as large, the entries of
// slots in it where their content's hash puts them (read again with kb).
func growSlots(r *amf.Reader, kb *traitKeyBuf, seed maphash.Seed, slots []uint64) ([]uint64, bool) {
	grown := make([]uint64, 2*len(slots))
	mask := uint64(len(grown) - 1)
	for _, e := range slots {
		if e == 0 {
			continue
		}
		k, ok := kb.key(r, int(uint32(e))-1)
		if !ok {
			return slots, false
		}
		s := maphash.Bytes(seed, k) & mask
		for grown[s] != 0 {
			s = (s + 1) & mask
		}
		grown[s] = e
	}
	return grown, true
}

// traitKeyBuf makes the content of a traits table entry as bytes, in
// room it keeps: a byte of flags, then the class and each sealed name
// decoded as traitInfo decodes them, each after its length. Equal bytes
// for equal traitKeys, and only for them.
type traitKeyBuf struct {
	buf   []byte
	names [][]byte
}

func (kb *traitKeyBuf) key(r *amf.Reader, i int) ([]byte, bool) {
	class, names, dyn, ext, ok := r.TraitsEntry(i, kb.names)
	kb.names = names
	if !ok {
		return nil, false
	}
	k := append(kb.buf[:0], boolByte(dyn)|boolByte(ext)<<1)
	k = appendDecoded(k, class)
	for _, s := range names {
		k = appendDecoded(k, s)
	}
	kb.buf = k
	return k, true
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// appendDecoded appends the length and the bytes of the text of s as the
// value model decodes it (amf.DecodeText).
func appendDecoded(k, s []byte) []byte {
	if !utf8.Valid(s) {
		s = []byte(amf.DecodeText(s))
	}
	k = binary.AppendUvarint(k, uint64(len(s)))
	return append(k, s...)
}

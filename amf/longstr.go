package amf

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Long strings. A string longer than a short one is copied out of the
// input once; the decoder must also know whether it holds an 0xED byte,
// the lead byte of every CESU-8 surrogate (the digest: surrogate pairs
// are combined on read), since only then can it be anything but its
// bytes as they came. Scanning for that byte and then copying reads the
// input twice, and for a string of megabytes the scan costs a quarter of
// the copy: both compete for memory bandwidth. Where the CPU allows
// (longstr_amd64.s) the two are one pass: each block is compared as it
// is copied.

// copyBlock is the most copied (and compared) per call of the assembly
// loop, so that a string of many megabytes does not hold off the
// scheduler and the garbage collector for the whole of its copy (an
// assembly function cannot be preempted).
const copyBlock = 256 << 10

// ntMin is the length from which the copy bypasses the cache
// (non-temporal stores), as the runtime's memmove does on amd64
// (runtime/memmove_amd64.s, 0x100000): below it, the copy is kept in the
// cache for whoever reads the string next.
const ntMin = 1 << 20

// copyTextLong returns a copy of s as a string, and whether s holds an
// 0xED byte.
func copyTextLong(s []byte) (string, bool) {
	if len(s) < fusedMin || !haveFused {
		return copyTextGeneric(s)
	}
	d := makeNoZero(len(s))
	ed := copyFind(d, s)
	return unsafe.String(unsafe.SliceData(d), len(d)), ed
}

// copyTextGeneric is copyTextLong in portable Go: a scan, then a copy.
func copyTextGeneric(s []byte) (string, bool) {
	return string(s), bytes.IndexByte(s, 0xED) >= 0
}

// copyFindGeneric copies src into dst (as copy does) and reports
// whether the bytes copied hold 0xED: what copyFind does in one pass.
func copyFindGeneric(dst, src []byte) bool {
	n := copy(dst, src)
	return bytes.IndexByte(src[:n], 0xED) >= 0
}

// makeNoZero returns n bytes of fresh memory that are not cleared first
// (every one is written next): the buffer of a strings.Builder grown to
// n, which, after Grow(n), takes n bytes with no other allocation.
func makeNoZero(n int) []byte {
	var sb strings.Builder
	sb.Grow(n)
	sb.WriteByte(0)
	return unsafe.Slice(unsafe.StringData(sb.String()), n)
}

// longTextMin is the length above which the value decoder copies a
// string with copyTextLong (longText) rather than into the chunk shared
// by short strings.
const longTextMin = 64

// longText is the value decoder's string for the bytes of a long string
// (without AllowInvalidUTF8): UTF-8 as it is, CESU-8 surrogate pairs
// combined, other bytes kept as they are.
func longText(s []byte) string {
	t, ed := copyTextLong(s)
	if !ed || utf8.Valid(s) {
		// No CESU-8 surrogate (they begin with ED): the bytes are kept as
		// they are, UTF-8 or not, and need no validation. Nor does UTF-8
		// that holds ED (U+D000-U+D7FF) need more.
		return t
	}
	if c, ok := decodeCESU8(s); ok {
		return c
	}
	return t
}

// bareBytes decodes the first value of data without a builder when it
// is a long string (AMF0 0x02 or 0x0C, AMF3 0x06 inline, of more than
// longTextMin bytes; not with AllowInvalidUTF8) or an inline AMF3
// ByteArray, whole and within MaxLength: the value the value decoder
// makes of it, and the bytes it takes. Anything else, or anything that
// fails, is false, nothing read: the value decoder reads it (and names
// the error).
//
// Why: for a value that is one large string or ByteArray, the runtime's
// work around its allocation dominates the cost (a collection every few
// values, pages given back and faulted in again), and any small
// allocation beside it makes that work several times larger at two Ps
// (see boxedLongText). The builder's pool is one: after each collection
// sync.Pool allocates its per-P array again. A bare string needs no
// tables, stack or slabs anyway.
func (m *DecMode) bareBytes(data []byte, ver Version) (any, int, bool) {
	if len(data) < 2 {
		return nil, 0, false
	}
	var n uint64 // the length
	var at int   // where the bytes start
	bytesKind := false
	if ver == AMF0 {
		switch data[0] {
		case m0String:
			if len(data) < 3 {
				return nil, 0, false
			}
			n, at = uint64(binary.BigEndian.Uint16(data[1:])), 3
		case m0LongString:
			if len(data) < 5 {
				return nil, 0, false
			}
			n, at = uint64(binary.BigEndian.Uint32(data[1:])), 5
		default:
			return nil, 0, false
		}
	} else {
		switch data[0] {
		case m3String:
		case m3ByteArray:
			bytesKind = true
		default:
			return nil, 0, false
		}
		// The U29 (at most 4 bytes; a 4-byte one takes 8 bits of the last).
		var u uint32
		i := 1
		for ; i < 4 && i < len(data) && data[i] >= 0x80; i++ {
			u = u<<7 | uint32(data[i]&0x7F)
		}
		switch {
		case i >= len(data):
			return nil, 0, false
		case i == 4:
			u = u<<8 | uint32(data[i])
		default:
			u = u<<7 | uint32(data[i])
		}
		if u&1 == 0 { // a reference
			return nil, 0, false
		}
		n, at = uint64(u>>1), i+1
	}
	if n > uint64(m.maxLength) || n > uint64(len(data)-at) {
		return nil, 0, false
	}
	s := data[at : at+int(n)]
	if bytesKind {
		// One fresh copy, not zeroed first, as the value decoder's.
		return &ByteArray{Data: append([]byte{}, s...)}, at + int(n), true
	}
	if n <= longTextMin || m.lossyUTF8 {
		return nil, 0, false
	}
	return boxedLongText(s), at + int(n), true
}

// boxedLongText is any(longText(s)) in one allocation: the string's
// header (the value the interface points to) is kept in the same block
// as its bytes, after them, where any(t) would allocate 16 bytes for it
// beside them.
//
// Why: a process that decodes one large string per op and makes one
// small allocation beside it (any small allocation: this box, a
// sync.Pool's, a 16-byte slice) took 3-5x the CPU per op of one that
// makes none, at two Ps on a busy machine (some collections' mark phases
// lasting tens of milliseconds for a fraction of a millisecond of mark
// work, the heap growing past its goal, its pages given back and faulted
// in again: ~100-180 faults per op instead of ~7); see
// testdata/bench/peers/README.md, W2.
//
// The block holds no pointer the collector sees (it is allocated
// without pointers), and needs none: the interface points into the
// block, and so does every copy of the string taken from it, so the
// block lives as long as either; the header is never written again.
func boxedLongText(s []byte) any {
	n := len(s)
	at := (n + 7) &^ 7 // the header, 8-byte aligned
	d := makeNoZero(at + 16)
	if copyFind(d[:n], s) && !utf8.Valid(s) {
		if c, ok := decodeCESU8(s); ok {
			return c
		}
	}
	h := (*[2]uintptr)(unsafe.Pointer(&d[at]))
	h[0], h[1] = uintptr(unsafe.Pointer(unsafe.SliceData(d))), uintptr(n)
	return boxAt(stringType, unsafe.Pointer(h))
}

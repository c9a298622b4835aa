package amf

import (
	"bytes"
	"strings"
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

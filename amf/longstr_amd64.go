//go:build amd64 && !purego

package amf

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// haveFused says whether copyFind has its one-pass loop (AVX2).
var haveFused = cpu.X86.HasAVX2

// fusedMin is the shortest string copied by copyFind: below it the
// runtime's copy and IndexByte are as quick.
const fusedMin = 256

// copyED128 copies n bytes (a positive multiple of 128) from src to dst,
// and reports whether they hold 0xED. copyED128NT does the same with
// non-temporal stores; dst must be 32-byte aligned. Both read src[0:n]
// and write dst[0:n], no byte more.
//
//go:noescape
func copyED128(dst, src *byte, n int) bool

//go:noescape
func copyED128NT(dst, src *byte, n int) bool

// copyFind copies src into dst (as copy does) and reports whether the
// bytes copied hold 0xED, in one pass where the CPU has AVX2.
func copyFind(dst, src []byte) bool {
	n := min(len(dst), len(src))
	if !haveFused || n < 128 {
		return copyFindGeneric(dst, src)
	}
	dst, src = dst[:n], src[:n]
	found := false
	nt := n >= ntMin
	if nt {
		// The non-temporal stores need dst 32-byte aligned (a large
		// allocation already is, at a page).
		if h := int(-uintptr(unsafe.Pointer(unsafe.SliceData(dst))) & 31); h > 0 {
			found = copyFindGeneric(dst[:h], src[:h])
			dst, src = dst[h:], src[h:]
		}
	}
	for len(src) >= 128 {
		m := min(len(src), copyBlock) &^ 127
		var ed bool
		if nt {
			ed = copyED128NT(unsafe.SliceData(dst), unsafe.SliceData(src), m)
		} else {
			ed = copyED128(unsafe.SliceData(dst), unsafe.SliceData(src), m)
		}
		found = found || ed
		dst, src = dst[m:], src[m:]
	}
	if len(src) > 0 && copyFindGeneric(dst, src) {
		found = true
	}
	return found
}

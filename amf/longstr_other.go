//go:build !amd64 || purego

package amf

// haveFused says whether copyFind has a one-pass loop: not on this
// architecture (or with the purego tag), where copyTextLong scans, then
// copies.
const haveFused = false

const fusedMin = 0

// copyFind copies src into dst (as copy does) and reports whether the
// bytes copied hold 0xED.
func copyFind(dst, src []byte) bool { return copyFindGeneric(dst, src) }

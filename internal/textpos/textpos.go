// Package textpos says where a byte offset falls in a text, as a line
// and a column, the way amfcall's errors name a place in JSON the user
// gave.
package textpos

import "bytes"

// LineCol returns the line and column (both from 1; the column counts
// bytes, not characters) of offset off in text. off must be within
// [0, len(text)].
func LineCol(text []byte, off int64) (line, col int) {
	before := text[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

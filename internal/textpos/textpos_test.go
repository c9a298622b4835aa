package textpos

import "testing"

func TestLineCol(t *testing.T) {
	text := []byte("{\n  \"a\": x,\n\"é\"\n")
	for _, c := range []struct {
		off       int64
		line, col int
	}{
		{0, 1, 1},
		{1, 1, 2},  // the newline ends line 1
		{2, 2, 1},  // first byte of line 2
		{9, 2, 8},  // the x
		{13, 3, 2}, // é's first byte: columns count bytes
		{int64(len(text)), 4, 1},
	} {
		line, col := LineCol(text, c.off)
		if line != c.line || col != c.col {
			t.Errorf("LineCol(%d) = %d, %d; want %d, %d", c.off, line, col, c.line, c.col)
		}
	}
}

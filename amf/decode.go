package amf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"
)

// decoder holds one decoding context: the input, the position and the
// reference tables. The tables live as long as the context: one packet
// header or message value, or one whole stream of bare values.
type decoder struct {
	m     *DecMode
	data  []byte
	off   int
	depth int

	refs0 []any // AMF0 object table

	strs    []string // AMF3 string table
	strVals []any    // strings boxed once, filled lazily
	objs    []any    // AMF3 object table
	traits  []*Traits

	keys    map[string]string // interned AMF0 member names
	scratch []Member          // member stack shared by nested containers
	memSlab []Member
	objSlab []Object
}

func newDecoder(m *DecMode, data []byte) *decoder {
	return &decoder{m: m, data: data}
}

// reset clears the reference tables for a new context.
func (d *decoder) reset() {
	clear(d.refs0)
	d.refs0 = d.refs0[:0]
	d.strs = d.strs[:0]
	clear(d.strVals)
	d.strVals = d.strVals[:0]
	clear(d.objs)
	d.objs = d.objs[:0]
	d.traits = d.traits[:0]
}

func (d *decoder) fail(ver Version, off int, err error) error {
	return &decErr{ver: ver.String(), offset: int64(off), err: err}
}

func (d *decoder) failf(ver Version, off int, format string, args ...any) error {
	return d.fail(ver, off, fmt.Errorf(format, args...))
}

func (d *decoder) eof(ver Version) error {
	return d.fail(ver, len(d.data), io.ErrUnexpectedEOF)
}

func (d *decoder) left() int { return len(d.data) - d.off }

func (d *decoder) need(ver Version, n int) error {
	if n < 0 || len(d.data)-d.off < n {
		return d.eof(ver)
	}
	return nil
}

func (d *decoder) u8(ver Version) (byte, error) {
	if d.off >= len(d.data) {
		return 0, d.eof(ver)
	}
	b := d.data[d.off]
	d.off++
	return b, nil
}

func (d *decoder) u16(ver Version) (uint16, error) {
	if len(d.data)-d.off < 2 {
		return 0, d.eof(ver)
	}
	v := binary.BigEndian.Uint16(d.data[d.off:])
	d.off += 2
	return v, nil
}

func (d *decoder) u32(ver Version) (uint32, error) {
	if len(d.data)-d.off < 4 {
		return 0, d.eof(ver)
	}
	v := binary.BigEndian.Uint32(d.data[d.off:])
	d.off += 4
	return v, nil
}

func (d *decoder) f64(ver Version) (float64, error) {
	if len(d.data)-d.off < 8 {
		return 0, d.eof(ver)
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(d.data[d.off:]))
	d.off += 8
	return v, nil
}

func (d *decoder) enter(ver Version) error {
	d.depth++
	if d.depth > d.m.maxDepth {
		return d.fail(ver, d.off, &MaxDepthError{d.m.maxDepth})
	}
	return nil
}

func (d *decoder) checkCount(ver Version, off int, n int64, minSize int) error {
	if n > int64(d.m.maxElements) {
		return d.fail(ver, off, &MaxElementsError{Limit: d.m.maxElements, Count: n})
	}
	if n*int64(minSize) > int64(d.left()) {
		return d.failf(ver, off, "count %d needs at least %d bytes but %d remain", n, n*int64(minSize), d.left())
	}
	return nil
}

func (d *decoder) checkLen(ver Version, off int, n int64) error {
	if n > int64(d.m.maxLength) {
		return d.fail(ver, off, &MaxLengthError{Limit: d.m.maxLength, Length: n})
	}
	if n > int64(d.left()) {
		return d.failf(ver, off, "length %d exceeds the %d bytes left: %w", n, d.left(), io.ErrUnexpectedEOF)
	}
	return nil
}

// text turns wire bytes into a string, checking UTF-8. Java peers write
// characters outside the BMP as two 3-byte surrogates (CESU-8); those are
// combined.
func (d *decoder) text(ver Version, off int, b []byte) (string, error) {
	if utf8.Valid(b) {
		return string(b), nil
	}
	if s, ok := decodeCESU8(b); ok {
		return s, nil
	}
	if d.m.lossyUTF8 {
		return string([]rune(string(b))), nil
	}
	return "", d.fail(ver, off, ErrInvalidUTF8)
}

// decodeCESU8 decodes UTF-8 in which supplementary characters may be
// written as surrogate pairs of 3-byte sequences.
func decodeCESU8(b []byte) (string, bool) {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		if i+5 < len(b) && b[i] == 0xED && b[i+1]&0xF0 == 0xA0 && b[i+3] == 0xED && b[i+4]&0xF0 == 0xB0 &&
			b[i+2]&0xC0 == 0x80 && b[i+5]&0xC0 == 0x80 {
			hi := rune(b[i+1]&0x0F)<<6 | rune(b[i+2]&0x3F) + 0xD800
			lo := rune(b[i+4]&0x0F)<<6 | rune(b[i+5]&0x3F) + 0xDC00
			out = utf8.AppendRune(out, (hi-0xD800)<<10+(lo-0xDC00)+0x10000)
			i += 6
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return "", false
		}
		out = append(out, b[i:i+n]...)
		i += n
	}
	return string(out), true
}

// newObject takes an Object from the slab.
func (d *decoder) newObject() *Object {
	if len(d.objSlab) == 0 {
		d.objSlab = make([]Object, 64)
	}
	o := &d.objSlab[0]
	d.objSlab = d.objSlab[1:]
	return o
}

// members copies the scratch members from start into an exactly sized
// slice cut from the slab, and pops them off the scratch stack.
func (d *decoder) members(start int) []Member {
	n := len(d.scratch) - start
	if n == 0 {
		return nil
	}
	if len(d.memSlab) < n {
		size := 256
		if n > size {
			size = n
		}
		d.memSlab = make([]Member, size)
	}
	out := d.memSlab[:n:n]
	d.memSlab = d.memSlab[n:]
	copy(out, d.scratch[start:])
	clear(d.scratch[start:])
	d.scratch = d.scratch[:start]
	return out
}

func (d *decoder) popScratch(start int) {
	clear(d.scratch[start:])
	d.scratch = d.scratch[:start]
}

// initialCap bounds an up-front allocation made from a claimed count.
func initialCap(n int) int {
	if n > 4096 {
		return 4096
	}
	return n
}

func idxSeg(i int) string { return strconv.Itoa(i) }

var errTooManyRefs = errors.New("reference table full")

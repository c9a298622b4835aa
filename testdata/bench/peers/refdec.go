package peers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// The reference decoder: the plain, map-building AMF decoder a Go
// programmer would write in an afternoon, over a []byte, for the subset
// of AMF0 and AMF3 the workloads use. It is the floor every decoder here
// is compared with. It builds the plain model of plain.go directly
// (map[string]any, []any, float64, string, bool, nil, Date, []byte), keeps
// the AMF0 and AMF3 reference tables, and checks every length against the
// bytes left before allocating, so that it never panics on short input.

// Date is a decoded AMF date in the plain model: milliseconds since the
// Unix epoch, kept apart from a number.
type Date float64

const refMaxDepth = 256

var errShort = errors.New("unexpected end of input")

type refDec struct {
	b     []byte
	off   int
	depth int
	// AMF0 object table.
	refs0 []any
	// AMF3 tables.
	strs   []string
	objs   []any
	traits []refTraits
}

type refTraits struct {
	sealed  []string
	dynamic bool
}

// RefDecode decodes the one value in data with the reference decoder.
func RefDecode(data []byte, amf3 bool) (any, error) {
	d := refDec{b: data}
	var v any
	var err error
	if amf3 {
		v, err = d.value3()
	} else {
		v, err = d.value0()
	}
	if err != nil {
		return nil, fmt.Errorf("ref: %w at offset %d", err, d.off)
	}
	if d.off != len(data) {
		return nil, fmt.Errorf("ref: %d trailing bytes at offset %d", len(data)-d.off, d.off)
	}
	return v, nil
}

func (d *refDec) need(n int) error {
	if n < 0 || len(d.b)-d.off < n {
		return errShort
	}
	return nil
}

func (d *refDec) u8() (byte, error) {
	if err := d.need(1); err != nil {
		return 0, err
	}
	c := d.b[d.off]
	d.off++
	return c, nil
}

func (d *refDec) u16() (int, error) {
	if err := d.need(2); err != nil {
		return 0, err
	}
	n := binary.BigEndian.Uint16(d.b[d.off:])
	d.off += 2
	return int(n), nil
}

func (d *refDec) u32() (int, error) {
	if err := d.need(4); err != nil {
		return 0, err
	}
	n := binary.BigEndian.Uint32(d.b[d.off:])
	d.off += 4
	return int(n), nil
}

func (d *refDec) f64() (float64, error) {
	if err := d.need(8); err != nil {
		return 0, err
	}
	f := math.Float64frombits(binary.BigEndian.Uint64(d.b[d.off:]))
	d.off += 8
	return f, nil
}

func (d *refDec) str(n int) (string, error) {
	if err := d.need(n); err != nil {
		return "", err
	}
	s := string(d.b[d.off : d.off+n])
	d.off += n
	return s, nil
}

func (d *refDec) enter() error {
	d.depth++
	if d.depth > refMaxDepth {
		return errors.New("nested too deep")
	}
	return nil
}

// value0 decodes one AMF0 value.
func (d *refDec) value0() (any, error) {
	m, err := d.u8()
	if err != nil {
		return nil, err
	}
	switch m {
	case 0x00:
		return d.f64()
	case 0x01:
		c, err := d.u8()
		return c != 0, err
	case 0x02:
		n, err := d.u16()
		if err != nil {
			return nil, err
		}
		return d.str(n)
	case 0x0C:
		n, err := d.u32()
		if err != nil {
			return nil, err
		}
		return d.str(n)
	case 0x05, 0x06:
		return nil, nil
	case 0x03:
		return d.members0(map[string]any{})
	case 0x08:
		if _, err := d.u32(); err != nil { // the count is a hint only
			return nil, err
		}
		return d.members0(map[string]any{})
	case 0x0A:
		n, err := d.u32()
		if err != nil {
			return nil, err
		}
		if err := d.need(n); err != nil { // each value takes a byte at least
			return nil, err
		}
		if err := d.enter(); err != nil {
			return nil, err
		}
		a := make([]any, n)
		d.refs0 = append(d.refs0, a)
		for i := range a {
			if a[i], err = d.value0(); err != nil {
				return nil, err
			}
		}
		d.depth--
		return a, nil
	case 0x0B:
		ms, err := d.f64()
		if err != nil {
			return nil, err
		}
		if _, err := d.u16(); err != nil { // time zone, unused
			return nil, err
		}
		return Date(ms), nil
	case 0x07:
		i, err := d.u16()
		if err != nil {
			return nil, err
		}
		if i >= len(d.refs0) {
			return nil, fmt.Errorf("reference %d out of %d", i, len(d.refs0))
		}
		return d.refs0[i], nil
	case 0x11:
		return d.value3()
	}
	return nil, fmt.Errorf("amf0 marker 0x%02x not in the subset", m)
}

// members0 reads the name/value pairs of an AMF0 object or ECMA array up
// to the empty name and the end marker.
func (d *refDec) members0(m map[string]any) (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.refs0 = append(d.refs0, m)
	for {
		n, err := d.u16()
		if err != nil {
			return nil, err
		}
		if n == 0 {
			end, err := d.u8()
			if err != nil {
				return nil, err
			}
			if end != 0x09 {
				return nil, fmt.Errorf("object end marker is 0x%02x", end)
			}
			d.depth--
			return m, nil
		}
		k, err := d.str(n)
		if err != nil {
			return nil, err
		}
		if m[k], err = d.value0(); err != nil {
			return nil, err
		}
	}
}

func (d *refDec) u29() (int, error) {
	var n int
	for i := 0; i < 3; i++ {
		c, err := d.u8()
		if err != nil {
			return 0, err
		}
		n = n<<7 | int(c&0x7F)
		if c&0x80 == 0 {
			return n, nil
		}
	}
	c, err := d.u8()
	if err != nil {
		return 0, err
	}
	return n<<8 | int(c), nil
}

// string3 reads an AMF3 string: a reference or inline bytes.
func (d *refDec) string3() (string, error) {
	u, err := d.u29()
	if err != nil {
		return "", err
	}
	if u&1 == 0 {
		i := u >> 1
		if i >= len(d.strs) {
			return "", fmt.Errorf("string reference %d out of %d", i, len(d.strs))
		}
		return d.strs[i], nil
	}
	s, err := d.str(u >> 1)
	if err != nil {
		return "", err
	}
	if s != "" {
		d.strs = append(d.strs, s)
	}
	return s, nil
}

// objRef resolves the object reference in u, or says that the value is
// inline.
func (d *refDec) objRef(u int) (any, bool, error) {
	if u&1 != 0 {
		return nil, false, nil
	}
	i := u >> 1
	if i >= len(d.objs) {
		return nil, true, fmt.Errorf("object reference %d out of %d", i, len(d.objs))
	}
	return d.objs[i], true, nil
}

// value3 decodes one AMF3 value.
func (d *refDec) value3() (any, error) {
	m, err := d.u8()
	if err != nil {
		return nil, err
	}
	switch m {
	case 0x00, 0x01:
		return nil, nil
	case 0x02:
		return false, nil
	case 0x03:
		return true, nil
	case 0x04:
		u, err := d.u29()
		if u >= 1<<28 {
			u -= 1 << 29
		}
		return float64(u), err
	case 0x05:
		return d.f64()
	case 0x06:
		return d.string3()
	case 0x08:
		u, err := d.u29()
		if err != nil {
			return nil, err
		}
		if v, ok, err := d.objRef(u); ok || err != nil {
			return v, err
		}
		ms, err := d.f64()
		if err != nil {
			return nil, err
		}
		d.objs = append(d.objs, Date(ms))
		return Date(ms), nil
	case 0x0C:
		u, err := d.u29()
		if err != nil {
			return nil, err
		}
		if v, ok, err := d.objRef(u); ok || err != nil {
			return v, err
		}
		n := u >> 1
		if err := d.need(n); err != nil {
			return nil, err
		}
		b := make([]byte, n)
		copy(b, d.b[d.off:])
		d.off += n
		d.objs = append(d.objs, b)
		return b, nil
	case 0x09:
		return d.array3()
	case 0x0A:
		return d.object3()
	}
	return nil, fmt.Errorf("amf3 marker 0x%02x not in the subset", m)
}

func (d *refDec) array3() (any, error) {
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if v, ok, err := d.objRef(u); ok || err != nil {
		return v, err
	}
	n := u >> 1
	k, err := d.string3()
	if err != nil {
		return nil, err
	}
	if k != "" {
		return nil, errors.New("associative arrays are not in the subset")
	}
	if err := d.need(n); err != nil {
		return nil, err
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	a := make([]any, n)
	d.objs = append(d.objs, a)
	for i := range a {
		if a[i], err = d.value3(); err != nil {
			return nil, err
		}
	}
	d.depth--
	return a, nil
}

func (d *refDec) object3() (any, error) {
	u, err := d.u29()
	if err != nil {
		return nil, err
	}
	if v, ok, err := d.objRef(u); ok || err != nil {
		return v, err
	}
	var t refTraits
	if u&2 == 0 {
		i := u >> 2
		if i >= len(d.traits) {
			return nil, fmt.Errorf("traits reference %d out of %d", i, len(d.traits))
		}
		t = d.traits[i]
	} else {
		if u&4 != 0 {
			return nil, errors.New("externalizable objects are not in the subset")
		}
		t.dynamic = u&8 != 0
		n := u >> 4
		if err := d.need(n); err != nil {
			return nil, err
		}
		if _, err := d.string3(); err != nil { // class name, not kept
			return nil, err
		}
		t.sealed = make([]string, n)
		for i := range t.sealed {
			if t.sealed[i], err = d.string3(); err != nil {
				return nil, err
			}
		}
		d.traits = append(d.traits, t)
	}
	if err := d.enter(); err != nil {
		return nil, err
	}
	o := make(map[string]any, len(t.sealed))
	d.objs = append(d.objs, o)
	for _, k := range t.sealed {
		if o[k], err = d.value3(); err != nil {
			return nil, err
		}
	}
	for t.dynamic {
		k, err := d.string3()
		if err != nil {
			return nil, err
		}
		if k == "" {
			break
		}
		if o[k], err = d.value3(); err != nil {
			return nil, err
		}
	}
	d.depth--
	return o, nil
}

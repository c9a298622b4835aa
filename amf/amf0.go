package amf

import "fmt"

// AMF0 markers.
const (
	m0Number      = 0x00
	m0Boolean     = 0x01
	m0String      = 0x02
	m0Object      = 0x03
	m0MovieClip   = 0x04
	m0Null        = 0x05
	m0Undefined   = 0x06
	m0Reference   = 0x07
	m0ECMAArray   = 0x08
	m0ObjectEnd   = 0x09
	m0StrictArray = 0x0A
	m0Date        = 0x0B
	m0LongString  = 0x0C
	m0Unsupported = 0x0D
	m0RecordSet   = 0x0E
	m0XMLDocument = 0x0F
	m0TypedObject = 0x10
	m0AVMPlus     = 0x11
)

func (d *decoder) register0(v any) error {
	if len(d.refs0) >= d.m.maxRefs {
		return d.fail(AMF0, d.off, &MaxReferencesError{d.m.maxRefs})
	}
	d.refs0 = append(d.refs0, v)
	return nil
}

func (d *decoder) value0() (any, error) {
	start := d.off
	if start >= len(d.data) {
		return nil, d.eof(AMF0)
	}
	m := d.data[start]
	d.off++
	switch m {
	case m0Number:
		return d.number(AMF0)
	case m0Boolean:
		b, err := d.u8(AMF0)
		if err != nil {
			return nil, err
		}
		return b != 0, nil
	case m0String:
		n, err := d.u16(AMF0)
		if err != nil {
			return nil, err
		}
		return d.string0(start+1, int64(n))
	case m0LongString:
		n, err := d.u32(AMF0)
		if err != nil {
			return nil, err
		}
		return d.string0(start+1, int64(n))
	case m0Null:
		return nil, nil
	case m0Undefined:
		return Undefined{}, nil
	case m0Unsupported:
		return Unsupported{}, nil
	case m0Reference:
		i, err := d.u16(AMF0)
		if err != nil {
			return nil, err
		}
		if int(i) >= len(d.refs0) {
			d.ref0Err = true
			return nil, d.fail(AMF0, start+1, &refError{"object", int(i), len(d.refs0)})
		}
		d.refAfterDate = d.refAfterDate || d.sawDate
		if d.watchArgs && !d.selfList {
			if a, ok := d.refs0[i].(*Array); ok {
				for _, o := range d.open {
					if o == a {
						d.selfList = true
						break
					}
				}
			}
		}
		return d.refs0[i], nil
	case m0Object, m0TypedObject:
		return d.object0(m)
	case m0ECMAArray:
		return d.ecma0()
	case m0StrictArray:
		return d.strict0()
	case m0Date:
		if d.left() < 10 {
			return nil, d.eof(AMF0)
		}
		ms, _ := d.f64(AMF0)
		tz, _ := d.u16(AMF0)
		dt := d.newDate(ms, int16(tz))
		d.sawDate = true
		if d.m.profile.registersDates() || d.dateRefs {
			if err := d.register0(dt); err != nil {
				return nil, err
			}
		}
		return dt, nil
	case m0XMLDocument:
		n, err := d.u32(AMF0)
		if err != nil {
			return nil, err
		}
		if err := d.checkLen(AMF0, start+1, int64(n)); err != nil {
			return nil, err
		}
		s, err := d.text(AMF0, d.off, d.data[d.off:d.off+int(n)])
		if err != nil {
			return nil, err
		}
		d.off += int(n)
		x := &XML{Text: s, Document: true}
		if d.m.profile.registersXML() {
			if err := d.register0(x); err != nil {
				return nil, err
			}
		}
		return x, nil
	case m0AVMPlus:
		if err := d.enter(AMF0, d.off); err != nil {
			return nil, err
		}
		d.strBase, d.traitBase = len(d.strs), len(d.traits)
		v, err := d.value3()
		d.depth--
		if err != nil {
			return nil, err
		}
		return AVMPlus{v}, nil
	case m0MovieClip:
		return nil, d.fail(AMF0, start, fmt.Errorf("%w 0x04 (movieclip is reserved)", ErrBadMarker))
	case m0RecordSet:
		return nil, d.fail(AMF0, start, fmt.Errorf("%w 0x0e (recordset is reserved)", ErrBadMarker))
	case m0ObjectEnd:
		return nil, d.fail(AMF0, start, fmt.Errorf("%w 0x09 (object-end outside an object)", ErrBadMarker))
	}
	return nil, d.fail(AMF0, start, fmt.Errorf("%w 0x%02x", ErrBadMarker, m))
}

// string0 reads the n bytes of a string whose length field is at lenOff.
func (d *decoder) string0(lenOff int, n int64) (any, error) {
	if err := d.checkLen(AMF0, lenOff, n); err != nil {
		return nil, err
	}
	off := d.off
	b := d.data[off : off+int(n)]
	d.off += int(n)
	if n == 0 {
		return "", nil
	}
	return d.cachedText(AMF0, off, b)
}

// key0 reads a U16-prefixed member name.
func (d *decoder) key0() (string, error) {
	lenOff := d.off
	n, err := d.u16(AMF0)
	if err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	s, err := d.string0(lenOff, int64(n))
	if err != nil {
		return "", err
	}
	return s.(string), nil
}

// members0 reads name/value pairs up to the object-end marker onto the
// scratch stack, above start.
func (d *decoder) members0(start int) error {
	for {
		keyOff := d.off
		k, err := d.key0()
		if err != nil {
			return err
		}
		if d.off < len(d.data) && d.data[d.off] == m0ObjectEnd {
			if k != "" {
				return d.failf(AMF0, keyOff, "object-end marker after the non-empty key %s", quoteShort(k, 30))
			}
			d.off++
			return nil
		}
		if len(d.scratch)-start >= d.m.maxElements {
			return d.tooMany(AMF0, keyOff, len(d.scratch)-start)
		}
		v, err := d.value0()
		if err != nil {
			return withSeg(err, k)
		}
		d.scratch = append(d.scratch, Member{k, v})
	}
}

func (d *decoder) object0(m byte) (any, error) {
	if err := d.enter(AMF0, d.off); err != nil {
		return nil, err
	}
	o := d.newObject()
	if m == m0TypedObject {
		c, err := d.key0()
		if err != nil {
			return nil, err
		}
		o.Class = c
	}
	if err := d.register0(o); err != nil {
		return nil, err
	}
	start := len(d.scratch)
	if err := d.members0(start); err != nil {
		d.popScratch(start)
		return nil, err
	}
	o.Members = d.members(start)
	d.depth--
	return o, nil
}

func (d *decoder) ecma0() (any, error) {
	if err := d.enter(AMF0, d.off); err != nil {
		return nil, err
	}
	count, err := d.u32(AMF0)
	if err != nil {
		return nil, err
	}
	a := &ECMAArray{}
	if err := d.register0(a); err != nil {
		return nil, err
	}
	start := len(d.scratch)
	if err := d.members0(start); err != nil {
		d.popScratch(start)
		return nil, err
	}
	a.Members = d.members(start)
	if int64(count) != int64(len(a.Members)) {
		c := count
		a.Count = &c
	}
	d.depth--
	return a, nil
}

func (d *decoder) strict0() (any, error) {
	if err := d.enter(AMF0, d.off); err != nil {
		return nil, err
	}
	off := d.off
	n, err := d.u32(AMF0)
	if err != nil {
		return nil, err
	}
	if err := d.checkCount(AMF0, off, int64(n), 1); err != nil {
		return nil, err
	}
	a := d.newArray()
	if !(d.depth == 1 && d.skipArgs) {
		if err := d.register0(a); err != nil {
			return nil, err
		}
	}
	if d.watchArgs {
		d.open = append(d.open, a)
	}
	if a.Dense, err = d.denseItems(int(n), d.value0); err != nil {
		return nil, err
	}
	if d.watchArgs {
		d.open = d.open[:len(d.open)-1]
	}
	d.depth--
	return a, nil
}

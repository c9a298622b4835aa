package amf

import (
	"errors"
	"io"
	"unicode/utf8"
)

// ReadValue reads the next value whole, into the value model. At the
// end of the input, between values, it returns io.EOF. References resolve
// to the values read before in the same context.
func (r *Reader) ReadValue() (any, error) {
	if r.b == nil {
		r.b = &builder{r: r}
	}
	t, err := r.ReadToken()
	if err != nil {
		return nil, err
	}
	v, err := r.b.value(t)
	if err != nil {
		r.err = err
		return nil, err
	}
	return v, nil
}

// builder builds values of the model from tokens, keeping what each
// table index stands for.
type builder struct {
	r     *Reader
	refs0 map[int]any
	objs  map[int]any
}

func (b *builder) reg(t Token, v any) {
	if t.Index < 0 {
		return
	}
	if t.Version == AMF0 {
		if b.refs0 == nil {
			b.refs0 = map[int]any{}
		}
		b.refs0[t.Index] = v
		return
	}
	if b.objs == nil {
		b.objs = map[int]any{}
	}
	b.objs[t.Index] = v
}

func (b *builder) next() (Token, error) { return b.r.ReadToken() }

func (b *builder) value(t Token) (any, error) {
	switch t.Kind {
	case KindUndefined:
		return Undefined{}, nil
	case KindNull:
		return nil, nil
	case KindUnsupported:
		return Unsupported{}, nil
	case KindBool:
		return t.Bool, nil
	case KindInt:
		return Int(t.Int), nil
	case KindDouble:
		return t.Float, nil
	case KindString:
		return b.text(t.Bytes), nil
	case KindXML, KindXMLDocument:
		x := &XML{Text: b.text(t.Bytes), Document: t.Kind == KindXMLDocument}
		b.reg(t, x)
		return x, nil
	case KindDate:
		d := &Date{Ms: t.Float, TZ: t.TZ}
		b.reg(t, d)
		return d, nil
	case KindByteArray:
		if t.Streamed {
			data, err := io.ReadAll(b.r.Body())
			if err != nil {
				return nil, err
			}
			t.Bytes = data
		}
		ba := &ByteArray{Data: append([]byte{}, t.Bytes...)}
		b.reg(t, ba)
		return ba, nil
	case KindRef:
		if t.Version == AMF0 {
			return b.refs0[t.Index], nil
		}
		return b.objs[t.Index], nil
	case KindSwitch:
		t2, err := b.next()
		if err != nil {
			return nil, err
		}
		v, err := b.value(t2)
		if err != nil {
			return nil, err
		}
		return AVMPlus{v}, nil
	case KindObject:
		o := &Object{}
		if t.Traits != nil {
			o.Class, o.Traits = t.Traits.Class, t.Traits
		} else {
			o.Class = b.text(t.Bytes)
		}
		b.reg(t, o)
		if t.Traits != nil && t.Traits.Externalizable && wrapperField(o.Class) != "" {
			t2, err := b.next()
			if err != nil {
				return nil, err
			}
			v, err := b.value(t2)
			if err != nil {
				return nil, err
			}
			o.Members = []Member{{wrapperField(o.Class), v}}
			_, err = b.next() // end
			return o, err
		}
		ms, _, err := b.members(nil)
		o.Members = ms
		return o, err
	case KindECMAArray:
		a := &ECMAArray{}
		b.reg(t, a)
		ms, _, err := b.members(nil)
		a.Members = ms
		if int64(len(ms)) != t.Count {
			c := uint32(t.Count)
			a.Count = &c
		}
		return a, err
	case KindArray:
		a := &Array{Dense: []any{}}
		b.reg(t, a)
		var first *Token
		if t.Assoc {
			ms, end, err := b.members(&first)
			if err != nil {
				return nil, err
			}
			a.Assoc = ms
			if end {
				return a, nil
			}
		}
		for {
			var t2 Token
			if first != nil {
				t2, first = *first, nil
			} else {
				var err error
				if t2, err = b.next(); err != nil {
					return nil, err
				}
			}
			if t2.Kind == KindEnd {
				return a, nil
			}
			v, err := b.value(t2)
			if err != nil {
				return nil, err
			}
			a.Dense = append(a.Dense, v)
		}
	case KindVector:
		v := &Vector{Type: t.Vector, Fixed: t.Fixed}
		b.reg(t, v)
		switch t.Vector {
		case VectorInt:
			v.Ints = []int32{}
		case VectorUint:
			v.Uints = []uint32{}
		case VectorDouble:
			v.Doubles = []float64{}
		default:
			v.ObjectType = b.text(t.Bytes)
			v.Objects = []any{}
		}
		for {
			t2, err := b.next()
			if err != nil {
				return nil, err
			}
			if t2.Kind == KindEnd {
				return v, nil
			}
			switch t.Vector {
			case VectorInt:
				v.Ints = append(v.Ints, int32(t2.Int))
			case VectorUint:
				v.Uints = append(v.Uints, uint32(t2.Int))
			case VectorDouble:
				v.Doubles = append(v.Doubles, t2.Float)
			default:
				x, err := b.value(t2)
				if err != nil {
					return nil, err
				}
				v.Objects = append(v.Objects, x)
			}
		}
	case KindDictionary:
		d := &Dictionary{WeakKeys: t.Fixed, Entries: []DictEntry{}}
		b.reg(t, d)
		for {
			k, err := b.next()
			if err != nil {
				return nil, err
			}
			if k.Kind == KindEnd {
				return d, nil
			}
			kv, err := b.value(k)
			if err != nil {
				return nil, err
			}
			t2, err := b.next()
			if err != nil {
				return nil, err
			}
			vv, err := b.value(t2)
			if err != nil {
				return nil, err
			}
			d.Entries = append(d.Entries, DictEntry{kv, vv})
		}
	}
	return nil, errors.New("unexpected token " + t.Kind.String())
}

// members reads name/value pairs up to the end (end true) or, when
// stop is not nil, up to the first token that is not a name.
func (b *builder) members(stop **Token) ([]Member, bool, error) {
	var ms []Member
	for {
		t, err := b.next()
		if err != nil {
			return nil, false, err
		}
		if t.Kind == KindEnd {
			return ms, true, nil
		}
		if t.Kind != KindName {
			if stop == nil {
				return nil, false, errors.New("a value where a name belongs")
			}
			*stop = &t
			return ms, false, nil
		}
		name := b.text(t.Bytes)
		t2, err := b.next()
		if err != nil {
			return nil, false, err
		}
		v, err := b.value(t2)
		if err != nil {
			return nil, false, err
		}
		ms = append(ms, Member{name, v})
	}
}

// text is the decoder's string for the bytes of a string token.
func (b *builder) text(s []byte) string {
	if b.r.m.lossyUTF8 && !utf8.Valid(s) {
		if t, ok := decodeCESU8(s); ok {
			return t
		}
		return string([]rune(string(s)))
	}
	return DecodeText(s)
}

// Valid reports, through the token Reader and without building values,
// whether data is a sequence of values of version ver that decodes: nil,
// or the error [UnmarshalAll] returns.
func Valid(data []byte, ver Version) error {
	r := NewReader(data, ver)
	for {
		if err := r.Skip(); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

package amf

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// buildAll rebuilds the value model from a Reader's tokens: a second
// decoder made of nothing but the token layer, to hold against the value
// decoder.
func buildAll(r *Reader) ([]any, error) {
	b := &builder{r: r}
	var vs []any
	for {
		t, err := r.ReadToken()
		if err == io.EOF {
			return vs, nil
		}
		if err != nil {
			return nil, err
		}
		v, err := b.value(t)
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
}

type builder struct {
	r      *Reader
	refs0  map[int]any
	objs   map[int]any
	parent *Array
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
		return DecodeText(t.Bytes), nil
	case KindXML, KindXMLDocument:
		x := &XML{Text: DecodeText(t.Bytes), Document: t.Kind == KindXMLDocument}
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
			o.Class = DecodeText(t.Bytes)
		}
		b.reg(t, o)
		if t.Traits != nil && wrapperField(o.Class) != "" {
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
			v.ObjectType = DecodeText(t.Bytes)
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
		name := DecodeText(t.Bytes)
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

func encodeAll(vs []any, ver Version) ([]byte, error) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, ver)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// checkReader holds the token Reader, over bytes and over a stream, to
// the value decoder: the same values, or the same error.
func checkReader(t *testing.T, m *DecMode, data []byte, ver Version) {
	t.Helper()
	want, werr := m.UnmarshalAll(data, ver)
	got, gerr := buildAll(m.NewReader(data, ver))
	if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
		t.Fatalf("Reader(%x): error %v; the value decoder: %v", data, gerr, werr)
	}
	if werr == nil {
		wb, err1 := encodeAll(want, ver)
		gb, err2 := encodeAll(got, ver)
		if !bytes.Equal(wb, gb) || (err1 == nil) != (err2 == nil) {
			t.Fatalf("Reader(%x) reads values that encode to %x (%v); the value decoder's: %x (%v)", data, gb, err2, wb, err1)
		}
	}
	// Over a stream, one byte per read.
	sgot, serr := buildAll(m.NewStreamReader(iotest.OneByteReader(bytes.NewReader(data)), ver))
	if (werr == nil) != (serr == nil) {
		t.Fatalf("stream Reader(%x): error %v; the value decoder: %v", data, serr, werr)
	}
	if werr == nil {
		wb, _ := encodeAll(want, ver)
		gb, _ := encodeAll(sgot, ver)
		if !bytes.Equal(wb, gb) {
			t.Fatalf("stream Reader(%x) reads values that encode to %x; the value decoder's: %x", data, gb, wb)
		}
	}
}

func TestReaderAgreesWithDecoder(t *testing.T) {
	modes := []*DecMode{defaultDecMode, tightDecMode}
	for _, m := range modes {
		for _, tc := range decodeCases {
			checkReader(t, m, mustHex(tc.hex), tc.ver)
		}
		for _, tc := range decodeErrorCases {
			dm := m
			if tc.opts != (DecOptions{}) {
				var err error
				if dm, err = tc.opts.DecMode(); err != nil {
					t.Fatal(err)
				}
			}
			checkReader(t, dm, mustHex(tc.hex), tc.ver)
		}
		for _, pat := range []string{"../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3"} {
			files, _ := filepath.Glob(pat)
			for _, f := range files {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ver := AMF0
				if filepath.Ext(f) == ".amf3" {
					ver = AMF3
				}
				checkReader(t, m, data, ver)
			}
		}
	}
}

func FuzzReaderAMF0(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	for _, tc := range decodeCases {
		if tc.ver == AMF0 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReader(t, defaultDecMode, data, AMF0)
		checkReader(t, tightDecMode, data, AMF0)
	})
}

func FuzzReaderAMF3(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	for _, tc := range decodeCases {
		if tc.ver == AMF3 && len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkReader(t, defaultDecMode, data, AMF3)
		checkReader(t, tightDecMode, data, AMF3)
	})
}

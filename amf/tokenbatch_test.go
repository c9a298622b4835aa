package amf

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"testing"
	"unsafe"
)

// tokView is what a test compares of a token: all of it when NextToken
// gave it, the fields of a Scalar when ReadScalars did (batch).
type tokView struct {
	batch    bool
	kind     Kind
	ver      Version
	offset   int64
	index    int
	b        bool
	i        int64
	f        uint64 // bits: NaN compares
	bytes    string
	strIndex int
	rest     string // the other fields of a Token, as text
	rest2    string // Traits and Assoc, as text
}

func (v tokView) same(w tokView) bool {
	if v.batch || w.batch {
		if v.kind != w.kind {
			return false
		}
		switch v.kind {
		case KindBool:
			return v.b == w.b
		case KindInt:
			return v.i == w.i
		case KindDouble, KindDate:
			return v.f == w.f
		case KindString, KindName:
			// A batch token gives a string past the first strFast of the
			// table by where it is, with StrIndex 0 (see batchIdx).
			return v.bytes == w.bytes && (v.strIndex == w.strIndex ||
				v.batch && v.strIndex == 0 && w.strIndex > strFast || w.batch && w.strIndex == 0 && v.strIndex > strFast)
		case KindObject, KindECMAArray, KindArray, KindVector:
			return v.ver == w.ver && v.index == w.index && v.rest2 == w.rest2
		}
		return true
	}
	return v == w
}

func viewToken(t *Token) tokView {
	rest := *t
	rest.Kind, rest.Version, rest.Offset, rest.Index, rest.Bool, rest.Int, rest.Float, rest.Bytes, rest.StrIndex = 0, 0, 0, 0, false, 0, 0, nil, 0
	rest.Traits = nil
	text := fmt.Sprintf("%+v", rest)
	if t.Traits != nil {
		text += fmt.Sprintf(" %+v", *t.Traits)
	}
	return tokView{kind: t.Kind, ver: t.Version, offset: t.Offset, index: t.Index, b: t.Bool, i: t.Int, f: math.Float64bits(t.Float),
		bytes: string(t.Bytes), strIndex: t.StrIndex, rest: text, rest2: traitsText(t.Traits, t.Assoc)}
}

func viewScalar(r *Reader, s *BatchToken) tokView {
	var bytes string
	if s.Kind == KindString || s.Kind == KindName {
		bytes = string(r.BatchBytes(s))
	}
	return tokView{batch: true, kind: s.Kind, b: s.Bool, i: s.Int, f: math.Float64bits(s.Float), bytes: bytes, strIndex: int(s.StrIndex),
		ver: s.Version, index: int(s.Index), rest2: traitsText(s.Traits, s.Assoc)}
}

func traitsText(t *Traits, assoc bool) string {
	if t == nil {
		return fmt.Sprint(assoc)
	}
	return fmt.Sprintf("%+v %v", *t, assoc)
}

// readTokens reads every token of data: with NextToken alone when batch
// is 0, else with ReadBatch into batch BatchTokens at a time between
// NextToken calls.
func readTokens(m *DecMode, data []byte, ver Version, denseFirst bool, batch int) ([]tokView, error) {
	r := m.NewReader(data, ver)
	r.DenseFirst = denseFirst
	var ts []tokView
	buf := make([]BatchToken, batch)
	last := map[uint16]string{} // the last AMF0 name of each Slot
	for len(ts) < 1<<16 {
		if batch > 0 {
			n := r.ReadBatch(buf)
			for i := range buf[:n] {
				if s := &buf[i]; s.Named {
					name := string(r.BatchName(s))
					if s.NameIndex == 0 && s.Slot > 0 {
						// Again says exactly whether the name is the last
						// of its Slot.
						prev, ok := last[s.Slot]
						if s.Again != (ok && prev == name) {
							return ts, fmt.Errorf("name %q of slot %d: Again %v, the last was %q", name, s.Slot, s.Again, prev)
						}
						last[s.Slot] = name
					}
					ts = append(ts, tokView{batch: true, kind: KindName, bytes: name, strIndex: int(s.NameIndex)})
				}
				ts = append(ts, viewScalar(r, &buf[i]))
			}
		}
		t, err := r.NextToken()
		if err != nil {
			return ts, err
		}
		ts = append(ts, viewToken(t))
	}
	return ts, nil
}

// checkScalars holds ReadBatch to NextToken: the same tokens, whatever
// the batch size, and the same error at the end.
func checkScalars(t *testing.T, m *DecMode, data []byte, ver Version) {
	t.Helper()
	for _, df := range []bool{false, true} {
		want, werr := readTokens(m, data, ver, df, 0)
		for _, batch := range []int{1, 2, 3, 64} {
			got, gerr := readTokens(m, data, ver, df, batch)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) {
				t.Fatalf("%v %x (batch %d, dense first %v): error %v; NextToken alone: %v", ver, data, batch, df, gerr, werr)
			}
			for i := range min(len(got), len(want)) {
				if !got[i].same(want[i]) {
					t.Fatalf("%v %x (batch %d, dense first %v): token %d is %+v; NextToken alone: %+v", ver, data, batch, df, i, got[i], want[i])
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%v %x (batch %d, dense first %v): %d tokens; NextToken alone: %d", ver, data, batch, df, len(got), len(want))
			}
		}
	}
}

func TestReadBatchAgreesWithNextToken(t *testing.T) {
	for _, m := range []*DecMode{defaultDecMode, tightDecMode} {
		for _, tc := range decodeCases {
			checkScalars(t, m, mustHex(tc.hex), tc.ver)
		}
		for _, tc := range decodeErrorCases {
			checkScalars(t, m, mustHex(tc.hex), tc.ver)
		}
	}
	// Each kind the batch reads, in an array, a sealed, a dynamic and an
	// AMF0 object, with a date referred to afterwards.
	v := []any{nil, Undefined{}, true, false, Int(1), Int(300), Int(-5), 2.5, "a", "a", "", "long string", &Date{Ms: 5},
		&Object{Members: []Member{{Name: "x", Value: 1.25}, {Name: "y", Value: "a"}, {Name: "z", Value: &Date{Ms: 7}}}},
		&Object{Traits: &Traits{Class: "C", Sealed: []string{"p", "q"}}, Members: []Member{{Name: "p", Value: Int(1)}, {Name: "q", Value: nil}}},
		&Vector{Type: VectorInt, Ints: []int32{1, -2, 3}}, &Vector{Type: VectorUint, Uints: []uint32{1, 1 << 31}},
		&Vector{Type: VectorDouble, Doubles: []float64{0.5, 1}}, &Vector{Type: VectorObject, Objects: []any{"a", 1.5, nil}},
	}
	for _, ver := range []Version{AMF0, AMF3} {
		if ver == AMF0 {
			v = v[:len(v)-4] // no vectors
		}
		data, err := Marshal(&Array{Dense: v}, ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*DecMode{defaultDecMode, tightDecMode} {
			checkScalars(t, m, data, ver)
			// Cut short anywhere: the batch stops where NextToken fails.
			for i := range data {
				checkScalars(t, m, data[:i], ver)
			}
		}
	}
}

func FuzzReadBatch(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	for _, tc := range decodeCases {
		if len(tc.hex) < maxSeed {
			f.Add(mustHex(tc.hex))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzStrFast(t, data)
		for _, ver := range []Version{AMF0, AMF3} {
			checkScalars(t, defaultDecMode, data, ver)
			checkScalars(t, tightDecMode, data, ver)
		}
	})
}

// TestBatchTokenSize holds a BatchToken to 64 bytes (a cache line, no
// slice): ReadBatch writes one per token.
func TestBatchTokenSize(t *testing.T) {
	if n := unsafe.Sizeof(BatchToken{}); n != 64 {
		t.Fatalf("BatchToken is %d bytes, want 64", n)
	}
}

// TestReadBatchAMF0Slots holds BatchToken.Again to the names it stands
// for (readTokens checks it): AMF0 names at one place of objects in a
// row that are the same, differ only in a trailing NUL, differ in a
// byte past the eighth, or run to the end of the input.
func TestReadBatchAMF0Slots(t *testing.T) {
	obj := func(names ...string) string {
		h := "03 "
		for _, n := range names {
			h += fmt.Sprintf("%04x %x 05 ", len(n), n)
		}
		return h + "00 00 09 "
	}
	for _, h := range []string{
		"0A 00000003 " + obj("a", "bb") + obj("a", "bb") + obj("a\x00", "bb"),
		"0A 00000003 " + obj("abcdefghij") + obj("abcdefghiJ") + obj("abcdefghiJ"),
		"0A 00000002 " + obj("abcdefgh", "x") + obj("abcdefgh\x00", "x"),
		"0A 00000002 " + obj("p", "q") + obj("q", "p"),
	} {
		data := mustHex(h)
		for _, m := range []*DecMode{defaultDecMode, tightDecMode} {
			checkScalars(t, m, data, AMF0)
		}
		got, err := readTokens(defaultDecMode, data, AMF0, false, 64)
		if err != nil && err != io.EOF {
			t.Fatalf("%s: %v", h, err)
		}
		if len(got) == 0 {
			t.Fatalf("%s: no tokens", h)
		}
	}
}

// TestReadBatchNoStaleOffsets: a token ReadBatch gives for a name or a
// string of no table index says where its bytes are even when they are
// none (an empty sealed name), whatever the same BatchToken held from
// an earlier input (a converter reuses its tokens; offsets past the end
// of the new input panicked in BatchName).
func TestReadBatchNoStaleOffsets(t *testing.T) {
	// AMF0 {"x": 40 bytes, "y": 1.0}: its second token has its name at
	// offset 49.
	a := []byte{0x03, 0x00, 0x01, 'x', 0x02, 0x00, 40}
	a = append(a, bytes.Repeat([]byte{'s'}, 40)...)
	a = append(a, 0x00, 0x01, 'y', 0x00, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x09)
	// AMF3 [{"": 5}], one sealed member of the empty name (never in the
	// string table), then a lone empty name.
	b := []byte{0x09, 0x05, 0x01, 0x0A, 0x13, 0x01, 0x01, 0x04, 0x05, 0x0A, 0x13, 0x01, 0x01, 0x0A, 0x01, 0x01}
	dst := make([]BatchToken, 16)
	r := NewReader(a, AMF0)
	if _, err := r.NextToken(); err != nil {
		t.Fatal(err)
	}
	if k := r.ReadBatch(dst); k < 2 || string(r.BatchName(&dst[1])) != "y" {
		t.Fatalf("AMF0: %d tokens, the second named %q", k, r.BatchName(&dst[1]))
	}
	r.Reset(b, AMF3)
	if _, err := r.NextToken(); err != nil {
		t.Fatal(err)
	}
	names := 0
	for {
		k := r.ReadBatch(dst)
		for i := range dst[:k] {
			d := &dst[i]
			if d.Named {
				names++
				if n := r.BatchName(d); len(n) != 0 {
					t.Errorf("token %d: name %q, want the empty name", i, n)
				}
			}
			if d.Kind == KindName || d.Kind == KindString {
				if s := r.BatchBytes(d); len(s) != 0 {
					t.Errorf("token %d: %v %q, want empty", i, d.Kind, s)
				}
			}
		}
		if k == 0 {
			if _, err := r.NextToken(); err != nil {
				break
			}
		}
	}
	if names == 0 {
		t.Fatal("no member read by ReadBatch")
	}
}

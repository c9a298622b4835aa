package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// The reference tables of AMF3 and its inline lengths and counts are
// U29s of one to four bytes, and the decoders' fast paths read the short
// ones by hand: a reference past the 8,192nd string took a three-byte
// U29 for a one-byte one (e4e4da4). Fuzz inputs never reach tables that
// large. TestU29Boundaries builds values whose string, object and traits
// references and whose inline lengths and counts cross every U29 size
// boundary, met from every container (dense items, dynamic and sealed
// members, associative parts, vectors, dictionaries, names as well as
// values, AMF0 members in 0x11 switches, packets), and checks that every
// decoding path agrees with the model they were built from. The last
// boundary (1<<20 strings and objects, 1<<19 traits) is behind
// AMFCALL_BIGTEST=1.

var nl = []byte("\n") // AppendAMF ends each document with a newline

const follow = amf.Int(7) // read after the value under test: a misread shows

// boundsLens are the inline lengths and counts tried: each side of the
// boundaries of a U29 holding n<<1|1.
func boundsLens(big bool) []int {
	ls := []int{63, 64, 65, 128, 8191, 8192, 8193}
	if big {
		ls = append(ls, 1<<20-1, 1<<20, 1<<20+1)
	}
	return ls
}

// around gives indices each side of b, and about 2b: at b the
// first byte of the longer U29 is odd (0x81), and a fast path that takes
// it for a short U29 of its own (e4e4da4 read an even one as a string
// reference) is only seen where it is even (0x82 at 2b).
func around(b int) []int {
	if b >= 1<<19 { // a U29 of four bytes: its first byte is 0x80
		return []int{b - 3, b - 2, b - 1, b, b + 1, b + 2}
	}
	return []int{b - 3, b - 2, b - 1, b, b + 1, b + 2, 2*b - 1, 2 * b, 2*b + 1}
}

// tableLen is the size of a table that around(b) refers into.
func tableLen(b int) int {
	if b >= 1<<19 {
		return b + 3
	}
	return 2*b + 2
}

// valueContexts puts v in every container context of AMF3, each followed
// by another value.
func valueContexts(v any) []any {
	cs := make([]any, nContexts)
	for c := range cs {
		cs[c] = valueContext(c, func() any { return v })
	}
	return cs
}

// nameContexts puts the string s where names stand.
func nameContexts(s string) []any {
	return []any{
		&amf.Object{Members: []amf.Member{{Name: s, Value: follow}, {Name: "z", Value: follow}}},
		&amf.Array{Assoc: []amf.Member{{Name: s, Value: follow}, {Name: "z", Value: follow}}},
		&amf.Object{Class: "S", Traits: &amf.Traits{Class: "S", Sealed: []string{s, "z"}},
			Members: []amf.Member{{Name: s, Value: follow}, {Name: "z", Value: follow}}},
		&amf.Object{Class: s, Members: []amf.Member{{Name: "z", Value: follow}}},
		&amf.Vector{Type: amf.VectorObject, ObjectType: s, Objects: []any{follow}},
	}
}

// stringRefs: a table of n strings, then references to those about b.
func stringRefs(n, b int) any {
	tab := make([]any, n)
	for i := range tab {
		tab[i] = fmt.Sprintf("s%d", i)
	}
	var uses []any
	for _, i := range around(b) {
		s := fmt.Sprintf("s%d", i)
		uses = append(uses, valueContexts(s)...)
		uses = append(uses, nameContexts(s)...)
	}
	return &amf.Array{Dense: []any{&amf.Array{Dense: tab}, &amf.Array{Dense: uses}, follow}}
}

// objectRefs: a table of n objects (anonymous, dates, arrays), then
// references to those about b.
func objectRefs(n, b int) any {
	tab := make([]any, n)
	for i := range tab {
		switch i % 3 {
		case 0:
			tab[i] = &amf.Object{}
		case 1:
			tab[i] = &amf.Date{Ms: float64(i)}
		default:
			tab[i] = &amf.Array{}
		}
	}
	var uses []any
	for _, i := range around(b) {
		uses = append(uses, valueContexts(tab[i])...)
	}
	return &amf.Array{Dense: []any{&amf.Array{Dense: tab}, &amf.Array{Dense: uses}, follow}}
}

// traitsRefs: n classes, then objects of those about b (traits
// references), sealed and sealed with dynamic members.
func traitsRefs(n, b int) any {
	tab := make([]any, n)
	for i := range tab {
		c := fmt.Sprintf("C%d", i)
		tab[i] = &amf.Object{Class: c, Traits: &amf.Traits{Class: c, Sealed: []string{"m"}, Dynamic: i%2 == 1},
			Members: []amf.Member{{Name: "m", Value: follow}}}
	}
	var uses []any
	for _, i := range around(b) {
		c := fmt.Sprintf("C%d", i)
		o := &amf.Object{Class: c, Traits: &amf.Traits{Class: c, Sealed: []string{"m"}, Dynamic: i%2 == 1},
			Members: []amf.Member{{Name: "m", Value: fmt.Sprintf("s%d", i)}}}
		if i%2 == 1 {
			o.Members = append(o.Members, amf.Member{Name: "dyn", Value: follow})
		}
		uses = append(uses, valueContexts(o)...)
	}
	return &amf.Array{Dense: []any{&amf.Array{Dense: tab}, &amf.Array{Dense: uses}, follow}}
}

// inlineLens: strings, names, arrays, vectors, dictionaries, byte arrays
// and XML whose length or count is l, written in full (a fresh value
// each time, so that none is a reference) in every context: strings,
// XML and byte arrays in all, the containers in a few each.
func inlineLens(l int) any {
	k := 0
	str := func() string { // a new string of length l each time
		k++
		s := fmt.Sprint(k)
		return strings.Repeat("x", l-len(s)) + s
	}
	dense := func(n int) []any {
		d := make([]any, n)
		for i := range d {
			d[i] = amf.Int(i)
		}
		return d
	}
	mks := []func() any{
		func() any { return str() },
		func() any { return &amf.XML{Text: str()} },
		func() any { return &amf.XML{Text: str(), Document: true} },
		func() any { return &amf.ByteArray{Data: []byte(str())} },
	}
	nc := nContexts
	if l >= 1<<20 {
		nc = 3 // memory: the big lengths in the first contexts only
	}
	var uses []any
	for _, mk := range mks {
		for c := range nc {
			uses = append(uses, valueContext(c, mk))
		}
	}
	conts := []func() any{
		func() any { return &amf.Array{Dense: dense(l)} },
		func() any { return &amf.Array{Dense: dense(l - 1), Assoc: []amf.Member{{Name: "k", Value: str()}}} },
		func() any {
			v := &amf.Vector{Type: amf.VectorInt, Ints: make([]int32, l)}
			for i := range v.Ints {
				v.Ints[i] = int32(i - l/2)
			}
			return v
		},
		func() any {
			v := &amf.Vector{Type: amf.VectorUint, Uints: make([]uint32, l)}
			for i := range v.Uints {
				v.Uints[i] = uint32(i) << 3
			}
			return v
		},
		func() any {
			v := &amf.Vector{Type: amf.VectorDouble, Fixed: true, Doubles: make([]float64, l)}
			for i := range v.Doubles {
				v.Doubles[i] = float64(i) + 0.5
			}
			return v
		},
		func() any { return &amf.Vector{Type: amf.VectorObject, ObjectType: "T", Objects: dense(l)} },
		func() any {
			d := &amf.Dictionary{Entries: make([]amf.DictEntry, l)}
			for i := range d.Entries {
				d.Entries[i] = amf.DictEntry{Key: amf.Int(i), Value: follow}
			}
			return d
		},
	}
	for j, mk := range conts {
		for _, c := range []int{0, 1 + j%(nc-1)} {
			uses = append(uses, valueContext(c, mk))
		}
	}
	for range 2 {
		uses = append(uses, nameContexts(str())...)
	}
	return &amf.Array{Dense: uses}
}

const nContexts = 7

// valueContext is the c-th container context of valueContexts, each
// place in it holding a value of mk.
func valueContext(c int, mk func() any) any {
	switch c {
	case 0:
		return &amf.Array{Dense: []any{mk(), follow}}
	case 1:
		return &amf.Object{Members: []amf.Member{{Name: "a", Value: mk()}, {Name: "z", Value: follow}}}
	case 2:
		return &amf.Object{Class: "K", Members: []amf.Member{{Name: "a", Value: mk()}, {Name: "z", Value: follow}}}
	case 3:
		return &amf.Object{Class: "KD", Traits: &amf.Traits{Class: "KD", Sealed: []string{"a"}, Dynamic: true},
			Members: []amf.Member{{Name: "a", Value: mk()}, {Name: "d", Value: mk()}, {Name: "z", Value: follow}}}
	case 4:
		return &amf.Array{Assoc: []amf.Member{{Name: "a", Value: mk()}, {Name: "z", Value: follow}}, Dense: []any{follow}}
	case 5:
		return &amf.Vector{Type: amf.VectorObject, Objects: []any{mk(), follow}}
	default:
		return &amf.Dictionary{Entries: []amf.DictEntry{{Key: "k", Value: mk()}, {Key: mk(), Value: follow}, {Key: "z", Value: follow}}}
	}
}

// sealedCount: objects with n sealed members (the traits' U29 holds
// n<<4|flags: boundaries at 4, 512, 65536).
func sealedCount(n int) any {
	names := make([]string, n)
	ms := make([]amf.Member, n)
	for i := range names {
		names[i] = fmt.Sprintf("m%d", i)
		ms[i] = amf.Member{Name: names[i], Value: amf.Int(i)}
	}
	c := fmt.Sprintf("N%d", n)
	o := &amf.Object{Class: c, Traits: &amf.Traits{Class: c, Sealed: names}, Members: ms}
	o2 := &amf.Object{Class: c, Traits: &amf.Traits{Class: c, Sealed: names}, Members: ms}
	var uses []any
	uses = append(uses, valueContexts(o)...)
	uses = append(uses, valueContexts(o2)...)
	return &amf.Array{Dense: uses}
}

type boundsCase struct {
	name string
	mk   func() any // built when its subtest runs: memory
}

func boundsCases(big bool) []boundsCase {
	var cs []boundsCase
	sb := []int{64, 8192}
	tb := []int{32, 4096}
	if big {
		sb = append(sb, 1<<20)
		tb = append(tb, 1<<19)
	}
	for _, b := range sb {
		cs = append(cs, boundsCase{fmt.Sprintf("strings%d", b), func() any { return stringRefs(tableLen(b), b) }})
		cs = append(cs, boundsCase{fmt.Sprintf("objects%d", b), func() any { return objectRefs(tableLen(b), b) }})
	}
	for _, b := range tb {
		cs = append(cs, boundsCase{fmt.Sprintf("traits%d", b), func() any { return traitsRefs(tableLen(b), b) }})
	}
	for _, l := range boundsLens(big) {
		cs = append(cs, boundsCase{fmt.Sprintf("len%d", l), func() any { return inlineLens(l) }})
	}
	for _, n := range []int{3, 4, 5, 511, 512, 513} {
		cs = append(cs, boundsCase{fmt.Sprintf("sealed%d", n), func() any { return sealedCount(n) }})
	}
	return cs
}

func TestU29Boundaries(t *testing.T) {
	big := os.Getenv("AMFCALL_BIGTEST") == "1"
	for _, c := range boundsCases(big) {
		t.Run(c.name, func(t *testing.T) {
			v := c.mk()
			if !big {
				t.Parallel() // the big cases one at a time: memory
			}
			checkBounds(t, "amf3", v, amf.AMF3)
			// AMF0: the value in one switch, as a member and an item
			// of AMF0 containers, and split over several switches.
			v0 := &amf.Object{Members: []amf.Member{
				{Name: "v", Value: amf.AVMPlus{Value: v}},
				{Name: "w", Value: &amf.ECMAArray{Members: []amf.Member{{Name: "x", Value: amf.AVMPlus{Value: v}}}}},
				{Name: "z", Value: 1.5},
			}}
			checkBounds(t, "amf0", v0, amf.AMF0)
			if a, ok := v.(*amf.Array); ok {
				items := make([]any, len(a.Dense))
				for i, x := range a.Dense {
					items[i] = amf.AVMPlus{Value: x}
				}
				checkBounds(t, "amf0split", &amf.Array{Dense: items}, amf.AMF0)
				checkBoundsPacket(t, items)
			}
		})
	}
}

func checkBounds(t *testing.T, name string, model any, ver amf.Version) {
	t.Helper()
	data, err := amf.Marshal(model, ver)
	if err != nil {
		t.Fatalf("%s: Marshal: %v", name, err)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s (%d bytes): %s", name, len(data), fmt.Sprintf(format, args...))
	}
	if err := amf.Valid(data, ver); err != nil {
		fail("Valid: %v", err)
	}
	var v any
	if err := amf.Unmarshal(data, ver, &v); err != nil {
		fail("Unmarshal: %v", err)
		return
	}
	if vs, err := amf.UnmarshalAll(data, ver); err != nil || len(vs) != 1 {
		fail("UnmarshalAll: %d values, %v", len(vs), err)
	}
	if back, err := amf.Marshal(v, ver); err != nil || !bytes.Equal(back, data) {
		fail("decoded value writes %d other bytes (%v)", len(back), err)
	}
	// The token Reader: token by token, and skipping.
	rd := amf.NewReader(data, ver)
	for {
		_, err := rd.NextToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fail("Reader: %v", err)
			break
		}
	}
	rd = amf.NewReader(data, ver)
	if err := rd.Skip(); err != nil {
		fail("Reader.Skip: %v", err)
	} else if _, err := rd.NextToken(); !errors.Is(err, io.EOF) {
		fail("Reader.Skip: then %v, want EOF", err)
	}
	// Plain JSON: the model, the decoded value, the direct writer.
	want, err := AppendValue(nil, model, &Options{})
	if err != nil {
		t.Fatalf("%s: AppendValue(model): %v", name, err)
	}
	if got, err := AppendValue(nil, v, &Options{}); err != nil || !bytes.Equal(got, want) {
		fail("AppendValue(decoded) differs from the model's JSON (%v)%s", err, jsonDiff(got, want))
	}
	if got, err := AppendAMF(nil, data, ver, &Options{}); err != nil || !bytes.Equal(bytes.TrimSuffix(got, nl), want) {
		fail("AppendAMF differs from the model's JSON (%v)%s", err, jsonDiff(got, want))
	}
	// Plain JSON to AMF and back.
	// (Plain JSON loses the 0x11 switches: in AMF0 a name over 65,535
	// bytes cannot be written back, and says so.)
	if b, err := AppendJSONAsAMF(nil, want, ver); err != nil {
		if !(ver == amf.AMF0 && isEncodeError(err) && strings.Contains(err.Error(), "longer than 65535")) {
			fail("AppendJSONAsAMF(plain): %v", err)
		}
	} else if got, err := AppendAMF(nil, b, ver, &Options{}); err != nil || !bytes.Equal(bytes.TrimSuffix(got, nl), want) {
		fail("plain JSON -> AMF -> JSON differs (%v)%s", err, jsonDiff(got, want))
	}
	// Typed JSON writes the same bytes back.
	typed, err := AppendAMF(nil, data, ver, &Options{Typed: true})
	if err != nil {
		fail("AppendAMF(typed): %v", err)
		return
	}
	typed = bytes.TrimSuffix(typed, nl)
	var direct bytes.Buffer
	if ok, err := writeTypedDirect(&direct, data, ver, &Options{Typed: true}); ok && (err != nil || !bytes.Equal(bytes.TrimSuffix(direct.Bytes(), nl), typed)) {
		fail("the direct typed writer differs (%v)%s", err, jsonDiff(bytes.TrimSuffix(direct.Bytes(), nl), typed))
	}
	if tv, err := AppendValue(nil, v, &Options{Typed: true}); err != nil || !bytes.Equal(tv, typed) {
		fail("typed JSON of the decoded value differs (%v)%s", err, jsonDiff(tv, typed))
	}
	if back, err := AppendJSONAsAMF(nil, typed, ver); err != nil || !bytes.Equal(back, data) {
		fail("typed JSON -> AMF writes %d other bytes (%v)%s", len(back), err, byteDiff(back, data))
	}
	if fv, err := FromJSON(typed); err != nil {
		fail("FromJSON(typed): %v", err)
	} else if back, err := amf.Marshal(fv, ver); err != nil || !bytes.Equal(back, data) {
		fail("FromJSON(typed) writes %d other bytes (%v)%s", len(back), err, byteDiff(back, data))
	}
}

// checkBoundsPacket writes items as a version 3 reply's array, each item
// switched, and as a header, and reads the packet back every way.
func checkBoundsPacket(t *testing.T, items []any) {
	t.Helper()
	p := &amf.Packet{Version: 3,
		Headers:  []amf.Header{{Name: "h", Value: amf.AVMPlus{Value: items[0]}}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}}}}
	data, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatalf("packet: MarshalPacket: %v", err)
	}
	q, err := amf.UnmarshalPacket(data)
	if err != nil {
		t.Errorf("packet: UnmarshalPacket: %v", err)
		return
	}
	if back, err := amf.MarshalPacket(q); err != nil || !bytes.Equal(back, data) {
		t.Errorf("packet: decoded packet writes %d other bytes (%v)%s", len(back), err, byteDiff(back, data))
	}
	// The streamed packet writers (RenderTo) against the value path.
	if !checkPacket(t, data, InSpec{}, Options{}) {
		t.Errorf("packet: RenderTo did not take the packet to plain JSON")
	}
	checkPacket(t, data, InSpec{}, Options{Typed: true})
	want, err := AppendPacket(nil, p, &Options{})
	if err != nil {
		t.Fatalf("packet: AppendPacket(model): %v", err)
	}
	if got, err := AppendPacket(nil, q, &Options{}); err != nil || !bytes.Equal(got, want) {
		t.Errorf("packet: plain JSON of the decoded packet differs (%v)%s", err, jsonDiff(got, want))
	}
	typed, err := AppendPacket(nil, q, &Options{Typed: true})
	if err != nil {
		t.Fatalf("packet: AppendPacket(typed): %v", err)
	}
	if back, err := AppendPacketJSON(nil, typed); err != nil || !bytes.Equal(back, data) {
		t.Errorf("packet: typed JSON -> packet writes %d other bytes (%v)%s", len(back), err, byteDiff(back, data))
	}
	if b, err := AppendPacketJSON(nil, want); err != nil {
		t.Errorf("packet: AppendPacketJSON(plain): %v", err)
	} else if r, err := amf.UnmarshalPacket(b); err != nil {
		t.Errorf("packet: plain JSON -> packet does not read: %v", err)
	} else if got, err := AppendPacket(nil, r, &Options{}); err != nil || !bytes.Equal(got, want) {
		t.Errorf("packet: plain JSON -> packet -> JSON differs (%v)%s", err, jsonDiff(got, want))
	}
}

func jsonDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if i == len(got) && i == len(want) {
		return ""
	}
	from := max(i-60, 0)
	return fmt.Sprintf(": at byte %d got %q, want %q", i, clip(got[from:], 160), clip(want[from:], 160))
}

func byteDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	if i == len(got) && i == len(want) {
		return ""
	}
	from := max(i-16, 0)
	return fmt.Sprintf(": at byte %d got % x, want % x", i, clip(got[from:], 40), clip(want[from:], 40))
}

func clip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

package amf

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// encodeCase is a value (of the model or a plain Go value) and the bytes
// the encoder writes for it.
type encodeCase struct {
	name string
	ver  Version
	v    any
	hex  string
	opts EncOptions
}

var (
	shared   = obj0(m("k", "v"))
	sharedP1 = &Object{Class: "com.ex.P", Members: []Member{m("name", "Al"), m("age", 30)}}
	xmlDoc   = &XML{Text: "<a/>", Document: true}
	date0    = &Date{}
)

var encodeCases = []encodeCase{
	// Go numbers (§2.2 encoder rules, §7#4).
	{name: "§2.2 int 5", ver: AMF3, v: 5, hex: "04 05"},
	{name: "§2.2 int64 -1", ver: AMF3, v: int64(-1), hex: "04 FF FF FF FF"},
	{name: "§2.2 uint8", ver: AMF3, v: uint8(200), hex: "04 81 48"},
	{name: "§7#4 int 2^28 is a double", ver: AMF3, v: 1 << 28, hex: "05 41 B0 00 00 00 00 00 00"},
	{name: "§7#4 int -2^28-1 is a double", ver: AMF3, v: -(1 << 28) - 1, hex: "05 C1 B0 00 00 01 00 00 00"},
	{name: "§7#4 int -2^28 is an integer", ver: AMF3, v: -(1 << 28), hex: "04 C0 80 80 00"},
	{name: "§7#4 Int out of range is a double", ver: AMF3, v: Int(1 << 28), hex: "05 41 B0 00 00 00 00 00 00"},
	{name: "§7#4 uint32 max is a double", ver: AMF3, v: uint32(math.MaxUint32), hex: "05 41 EF FF FF FF E0 00 00"},
	{name: "§7#4 uint64 beyond int64", ver: AMF3, v: uint64(1 << 63), hex: "05 43 E0 00 00 00 00 00 00"},
	{name: "§2.2 float64 is always a double", ver: AMF3, v: 5.0, hex: "05 40 14 00 00 00 00 00 00"},
	{name: "§2.2 float32", ver: AMF3, v: float32(1.5), hex: "05 3F F8 00 00 00 00 00 00"},
	{name: "§7#3 -0.0 is never an integer", ver: AMF3, v: math.Copysign(0, -1), hex: "05 80 00 00 00 00 00 00 00"},
	{name: "§7#2 NaN payload written as is", ver: AMF3, v: f64bits(0x7FF4000000000001), hex: "05 7F F4 00 00 00 00 00 01"},
	{name: "amf0 int is a number", ver: AMF0, v: 5, hex: "00 40 14 00 00 00 00 00 00"},
	{name: "amf0 Int is a number", ver: AMF0, v: Int(-1), hex: "00 BF F0 00 00 00 00 00 00"},
	{name: "named float type", ver: AMF0, v: time.Duration(0).Hours(), hex: "00 00 00 00 00 00 00 00 00"},

	// Strings (§1.3.1, §1.5, §2.6).
	{name: "§1.3.1 string 65535 bytes uses 0x02", ver: AMF0, v: strings.Repeat("x", 65535), hex: `02 FF FF "` + strings.Repeat("x", 65535) + `"`},
	{name: "§1.3.1 string 65536 bytes uses 0x0C", ver: AMF0, v: strings.Repeat("x", 65536), hex: `0C 00 01 00 00 "` + strings.Repeat("x", 65536) + `"`},
	{name: "§1.3.1 switch is on bytes, not characters", ver: AMF0, v: strings.Repeat("é", 32768), hex: `0C 00 01 00 00 "` + strings.Repeat("é", 32768) + `"`},
	{name: "§7#21 non-BMP as UTF-8 by default", ver: AMF0, v: "\U0001F600", hex: "02 00 04 F0 9F 98 80"},
	{name: "§7#21 non-BMP as CESU-8 on request", ver: AMF0, v: "\U0001F600", hex: "02 00 06 ED A0 BD ED B8 80", opts: EncOptions{CESU8: true}},
	{name: "§7#21 CESU-8 in keys", ver: AMF0, v: obj0(m("\U0001F600", nil)), hex: "03 00 06 ED A0 BD ED B8 80 05 00 00 09", opts: EncOptions{CESU8: true}},
	{name: "§2.5 string table by value", ver: AMF3, v: []any{"ab", strings.Clone("ab"), ""}, hex: "09 07 01 06 05 61 62 06 00 06 01"},

	// Go containers.
	{name: "§1.3.4 []any as strict array", ver: AMF0, v: []any{1, "b"}, hex: "0A 00 00 00 02 00 3F F0 00 00 00 00 00 00 02 00 01 62"},
	{name: "map sorted by key amf0", ver: AMF0, v: map[string]any{"b": 2, "a": 1}, hex: `03 00 01 "a" 00 3F F0 00 00 00 00 00 00 00 01 "b" 00 40 00 00 00 00 00 00 00 00 00 09`},
	{name: "map sorted by key amf3", ver: AMF3, v: map[string]any{"b": 2, "a": 1}, hex: `0A 0B 01 03 "a" 04 01 03 "b" 04 02 01`},
	{name: "maps and objects share anonymous traits", ver: AMF3, v: []any{map[string]any{"a": 1}, obj0(m("a", 2))}, hex: `09 05 01 0A 0B 01 03 "a" 04 01 01 0A 01 00 04 02 01`},
	{name: "[]any takes an amf0 slot", ver: AMF0, v: []any{[]any{}, shared, shared}, hex: `0A 00 00 00 03 0A 00 00 00 00 03 00 01 "k" 02 00 01 "v" 00 00 09 07 00 02`},
	{name: "[]any takes an amf3 slot", ver: AMF3, v: []any{[]any{}, shared, shared}, hex: `09 07 01 09 01 01 0A 0B 01 03 "k" 06 03 "v" 01 0A 04`},
	{name: "§2.11 []byte amf3", ver: AMF3, v: []byte{1, 2, 3}, hex: "0C 07 01 02 03"},
	{name: "§2.11 []byte switches in amf0", ver: AMF0, v: []byte{1, 2, 3}, hex: "11 0C 07 01 02 03"},
	{name: "time.Time amf0", ver: AMF0, v: time.Unix(1111111111, 0), hex: "0B 42 70 2B 36 21 15 80 00 00 00"},
	{name: "time.Time amf3", ver: AMF3, v: time.UnixMilli(1111111111000).In(time.FixedZone("x", 3600)), hex: "08 01 42 70 2B 36 21 15 80 00"},

	// Objects and traits (§2.7, §7#14).
	{name: "§2.7 two anonymous objects", ver: AMF3, v: []any{obj0(m("a", 1), m("b", "x")), obj0(m("a", 2), m("b", "x"))},
		hex: "09 05 01 0A 0B 01 03 61 04 01 03 62 06 03 78 01 0A 01 00 04 02 02 06 04 01"},
	{name: "§2.7 typed objects by identity and traits", ver: AMF3,
		v:   []any{sharedP1, &Object{Class: "com.ex.P", Members: []Member{m("name", "Bo"), m("age", 31)}}, sharedP1},
		hex: `09 07 01 0A 23 11 "com.ex.P" 09 "name" 07 "age" 06 05 "Al" 04 1E 0A 01 06 05 "Bo" 04 1F 0A 02`},
	{name: "§7#14 other member list, new traits", ver: AMF3,
		v:   []any{&Object{Class: "T", Members: []Member{m("a", nil)}}, &Object{Class: "T", Members: []Member{m("b", nil)}}, &Object{Class: "T", Members: []Member{m("a", nil)}}},
		hex: `09 07 01 0A 13 03 "T" 03 "a" 01 0A 13 00 03 "b" 01 0A 01 01`},
	{name: "§7#15 explicit sealed anonymous traits", ver: AMF3, v: &Object{Members: []Member{m("a", 1)}, Traits: &Traits{Sealed: []string{"a"}}}, hex: `0A 13 01 03 "a" 04 01`},
	{name: "§2.7 typed amf0", ver: AMF0, v: &Object{Class: "P", Members: []Member{m("n", "x")}}, hex: "10 00 01 50 00 01 6E 02 00 01 78 00 00 09"},
	{name: "§4.8 ArrayCollection canonical", ver: AMF3, v: &Object{Class: ClassArrayCollection, Members: []Member{m("source", []any{"a", "b"})}},
		hex: `0A 07 43 "flex.messaging.io.ArrayCollection" 09 05 01 06 03 61 06 03 62`},
	{name: "§4.8 externalizable switches in amf0", ver: AMF0, v: &Object{Class: ClassArrayList, Members: []Member{m("source", []any{})}},
		hex: `11 0A 07 37 "flex.messaging.io.ArrayList" 09 01 01`},
	{name: "§4.6 DSC flags in order", ver: AMF3, v: &Object{Class: ClassDSC, Members: []Member{m("operation", Int(2)), m("messageIdBytes", &ByteArray{Data: []byte{1}}), m("body", nil)}},
		hex: `0A 07 07 "DSC" 81 02 01 0C 03 01 00 01 04 02`},

	// AMF0 specifics.
	{name: "§7#9 ECMA count is the member count", ver: AMF0, v: &ECMAArray{Members: []Member{m("a", true)}}, hex: `08 00 00 00 01 00 01 "a" 01 01 00 00 09`},
	{name: "§7#9 ECMA count as read", ver: AMF0, v: &ECMAArray{Members: []Member{m("a", true)}, Count: u32p(7)}, hex: `08 00 00 00 07 00 01 "a" 01 01 00 00 09`},
	{name: "§7#6 date zone written as given", ver: AMF0, v: &Date{Ms: 1111111111000, TZ: -300}, hex: "0B 42 70 2B 36 21 15 80 00 FE D4"},
	{name: "§1.4 reference by identity", ver: AMF0, v: []any{shared, shared}, hex: `0A 00 00 00 02 03 00 01 "k" 02 00 01 "v" 00 00 09 07 00 01`},
	{name: "§1.4 equal values are not references", ver: AMF0, v: []any{obj0(m("k", "v")), obj0(m("k", "v"))}, hex: `0A 00 00 00 02 03 00 01 "k" 02 00 01 "v" 00 00 09 03 00 01 "k" 02 00 01 "v" 00 00 09`},
	{name: "§1.4 XML met again is written in full, though it takes a slot", ver: AMF0, v: []any{xmlDoc, xmlDoc}, hex: `0A 00 00 00 02 0F 00 00 00 04 "<a/>" 0F 00 00 00 04 "<a/>"`},
	{name: "§1.4 XML inline where it takes no slot", ver: AMF0, v: []any{xmlDoc, xmlDoc}, hex: `0A 00 00 00 02 0F 00 00 00 04 "<a/>" 0F 00 00 00 04 "<a/>"`, opts: EncOptions{Profile: ProfileBlazeDS}},
	{name: "§1.4 dates inline where they take no slot", ver: AMF0, v: []any{date0, date0}, hex: `0A 00 00 00 02 0B 00 00 00 00 00 00 00 00 00 00 0B 00 00 00 00 00 00 00 00 00 00`},
	{name: "§1.4 dates referenced where they take a slot", ver: AMF0, v: []any{date0, date0}, hex: `0A 00 00 00 02 0B 00 00 00 00 00 00 00 00 00 00 07 00 01`, opts: EncOptions{Profile: ProfilePyAMF}},
	{name: "§1.4 no reference past an XML that takes a slot", ver: AMF0, v: []any{xmlDoc, shared, shared}, hex: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 01 "k" 02 00 01 "v" 00 00 09 03 00 01 "k" 02 00 01 "v" 00 00 09`},
	{name: "§1.4 references before the XML stay", ver: AMF0, v: []any{shared, xmlDoc, shared}, hex: `0A 00 00 00 03 03 00 01 "k" 02 00 01 "v" 00 00 09 0F 00 00 00 04 "<a/>" 07 00 01`},
	{name: "§1.4 BlazeDS profile does not count XML", ver: AMF0, v: []any{xmlDoc, shared, shared}, hex: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 01 "k" 02 00 01 "v" 00 00 09 07 00 01`, opts: EncOptions{Profile: ProfileBlazeDS}},
	{name: "§1.4 PyAMF profile counts dates", ver: AMF0, v: []any{date0, shared, shared}, hex: `0A 00 00 00 03 0B 00 00 00 00 00 00 00 00 00 00 03 00 01 "k" 02 00 01 "v" 00 00 09 07 00 02`, opts: EncOptions{Profile: ProfilePyAMF}},
	{name: "§1.3.7 AMF3-only values switch", ver: AMF0, v: []any{&ByteArray{Data: []byte{1}}, &XML{Text: "x"}, &Array{Assoc: []Member{m("k", nil)}}}, hex: `0A 00 00 00 03 11 0C 03 01 11 0B 03 "x" 11 09 01 03 "k" 01 01`},
	{name: "§3.7 no references across switches by default", ver: AMF0, v: []any{AVMPlus{"ab"}, AVMPlus{"ab"}}, hex: `0A 00 00 00 02 11 06 05 "ab" 11 06 05 "ab"`},
	{name: "§3.7 references across switches on request", ver: AMF0, v: []any{AVMPlus{"ab"}, AVMPlus{"ab"}}, hex: `0A 00 00 00 02 11 06 05 "ab" 11 06 00`, opts: EncOptions{CrossEscapeRefs: true}},
	{name: "§3.7 objects by identity are referenced across switches", ver: AMF0, v: []any{AVMPlus{shared}, AVMPlus{shared}},
		hex: `0A 00 00 00 02 11 0A 0B 01 03 "k" 06 03 "v" 01 11 0A 00`},
	{name: "§3.7 inline again keeps indices", ver: AMF0, v: []any{AVMPlus{[]any{"a", obj0(m("k", "v"))}}, AVMPlus{[]any{"b", obj0(m("k", "v"))}}},
		hex: `0A 00 00 00 02 11 09 05 01 06 03 "a" 0A 0B 01 03 "k" 06 03 "v" 01 11 09 05 01 06 03 "b" 0A 0B 01 03 "k" 06 03 "v" 01`},
	{name: "AVMPlus in amf3 is transparent", ver: AMF3, v: AVMPlus{AVMPlus{Int(5)}}, hex: "04 05"},
	{name: "Unsupported in amf3 is undefined", ver: AMF3, v: Unsupported{}, hex: "00"},

	// AMF3 complex values.
	{name: "§2.8 ECMAArray in amf3 is an associative array", ver: AMF3, v: &ECMAArray{Members: []Member{m("k", "v")}}, hex: `09 01 03 "k" 06 03 "v" 01`},
	{name: "§2.12 Vector.<Number>", ver: AMF3, v: &Vector{Type: VectorDouble, Fixed: true, Doubles: []float64{1.5}}, hex: "0F 03 01 3F F8 00 00 00 00 00 00"},
	{name: "§7#18 Dictionary weak written 01", ver: AMF3, v: &Dictionary{WeakKeys: true}, hex: "11 01 01"},
	{name: "§2.9 shared date amf3", ver: AMF3, v: []any{date0, date0}, hex: "09 05 01 08 01 00 00 00 00 00 00 00 00 08 02"},
}

func TestEncode(t *testing.T) {
	for _, tc := range encodeCases {
		t.Run(tc.name, func(t *testing.T) {
			em := mustEncMode(t, tc.opts)
			want := mustHex(tc.hex)
			got, err := em.Marshal(tc.v, tc.ver)
			if err != nil {
				t.Fatalf("Marshal(%s) error: %v", show(tc.v), err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("Marshal(%s) =\n  %x\nwant\n  %x", show(tc.v), got, want)
			}
			// Append writes the same after what dst holds.
			got, err = em.Append([]byte{0xEE}, tc.v, tc.ver)
			if err != nil || !bytes.Equal(got, append([]byte{0xEE}, want...)) {
				t.Fatalf("Append = %x, %v", got, err)
			}
		})
	}
}

type encodeErrorCase struct {
	name string
	ver  Version
	v    any
	err  string
	is   error
	opts EncOptions
}

func cyclicSlice() any {
	s := []any{nil}
	s[0] = s
	return s
}

var encodeErrorCases = []encodeErrorCase{
	{name: "§7#12 empty dynamic member name", ver: AMF3, v: obj0(m("", 1)), err: "amf3: value cannot be encoded: an empty member name cannot be written as a dynamic member or associative key", is: ErrUnencodable},
	{name: "§7#12 empty associative key", ver: AMF3, v: []any{&Array{Assoc: []Member{m("", 1)}}}, err: `amf3: value cannot be encoded: an empty member name cannot be written as a dynamic member or associative key within "/0"`, is: ErrUnencodable},
	{name: "§7#12 empty key in a Go map", ver: AMF3, v: map[string]any{"": 1}, err: "amf3: value cannot be encoded: an empty member name cannot be written as a dynamic member or associative key", is: ErrUnencodable},
	{name: "§1.3.1 class name over 65535 bytes", ver: AMF0, v: &Object{Class: strings.Repeat("c", 65536)}, err: "amf0: value cannot be encoded: a member or class name longer than 65535 bytes", is: ErrUnencodable},
	{name: "§1.3.1 key over 65535 bytes", ver: AMF0, v: []any{obj0(m(strings.Repeat("k", 65536), 1))}, err: `amf0: value cannot be encoded: a member or class name longer than 65535 bytes within "/0/` + strings.Repeat("k", 97) + `..."`, is: ErrUnencodable},
	{name: "§7#21 key too long once in CESU-8", ver: AMF0, v: obj0(m(strings.Repeat("\U0001F600", 16383), 1)), opts: EncOptions{CESU8: true},
		err: `amf0: value cannot be encoded: a member or class name longer than 65535 bytes within "/` + strings.Repeat("\U0001F600", 24) + `..."`, is: ErrUnencodable},
	{name: "§7#21 class name too long once in CESU-8", ver: AMF0, v: &Object{Class: strings.Repeat("\U0001F600", 16383)}, opts: EncOptions{CESU8: true},
		err: "amf0: value cannot be encoded: a member or class name longer than 65535 bytes", is: ErrUnencodable},
	{name: "Go type", ver: AMF3, v: make(chan int), err: "amf3: value cannot be encoded: Go type chan int", is: ErrUnencodable},
	{name: "Go type nested", ver: AMF0, v: []any{1, map[string]any{"k": struct{}{}}}, err: `amf0: value cannot be encoded: Go type struct {} within "/1/k"`, is: ErrUnencodable},
	{name: "cycle without references", ver: AMF3, v: cyclicSlice(), err: "amf3: value nests too deeply (a cycle through values that cannot be referenced?) within \"/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0...\""},
	{name: "§7#26 unknown externalizable", ver: AMF3, v: &Object{Class: "x.Y", Traits: &Traits{Class: "x.Y", Externalizable: true}}, err: `amf3: unknown externalizable class "x.Y"`, is: ErrUnknownExternalizable},
	{name: "wrapper without its member", ver: AMF3, v: &Object{Class: ClassArrayCollection}, err: `amf3: value cannot be encoded: flex.messaging.io.ArrayCollection needs exactly one member "source"`, is: ErrUnencodable},
	{name: "small message unknown field", ver: AMF3, v: &Object{Class: ClassDSK, Members: []Member{m("nope", 1)}}, err: `amf3: value cannot be encoded: DSK has no field "nope"`, is: ErrUnencodable},
	{name: "small message field twice", ver: AMF3, v: &Object{Class: ClassDSK, Members: []Member{m("body", 1), m("body", 2)}}, err: `amf3: value cannot be encoded: DSK has the field "body" twice`, is: ErrUnencodable},
	{name: "small message flag byte out of range", ver: AMF3, v: &Object{Class: ClassDSK, Members: []Member{m("unknown_0_64_0", 1)}}, err: `amf3: value cannot be encoded: DSK has no field "unknown_0_64_0"`, is: ErrUnencodable},
	{name: "sealed member mismatch", ver: AMF3, v: &Object{Members: []Member{m("b", 1)}, Traits: &Traits{Sealed: []string{"a"}}}, err: `amf3: value cannot be encoded: member 0 is "b" but the traits name it "a"`, is: ErrUnencodable},
	{name: "too few sealed members", ver: AMF3, v: &Object{Class: "T", Traits: &Traits{Class: "T", Sealed: []string{"a"}}}, err: `amf3: value cannot be encoded: object of class "T" has 0 members but its traits seal 1`, is: ErrUnencodable},
	{name: "dynamic member on a sealed object", ver: AMF3, v: &Object{Class: "T", Members: []Member{m("a", 1), m("b", 2)}, Traits: &Traits{Class: "T", Sealed: []string{"a"}}}, err: `amf3: value cannot be encoded: member "b" is not in the sealed traits of a non-dynamic object`, is: ErrUnencodable},
	{name: "bad vector type", ver: AMF3, v: &Vector{Type: 3}, err: "amf3: value cannot be encoded: vector type 0x03", is: ErrUnencodable},
	{name: "unknown version", ver: 2, v: nil, err: "amf: unknown version 2"},
}

func TestEncodeErrors(t *testing.T) {
	for _, tc := range encodeErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			em := mustEncMode(t, tc.opts)
			out, err := em.Marshal(tc.v, tc.ver)
			if err == nil {
				t.Fatalf("Marshal = %x, want error %q", out, tc.err)
			}
			if out != nil {
				t.Errorf("Marshal returned %d bytes with the error", len(out))
			}
			if err.Error() != tc.err {
				t.Errorf("Marshal error\n  %q\nwant\n  %q", err.Error(), tc.err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			dst := []byte{1, 2}
			out, err = em.Append(dst, tc.v, tc.ver)
			if err == nil || !bytes.Equal(out, []byte{1, 2}) {
				t.Errorf("Append on error = %x, %v; want dst unchanged", out, err)
			}
		})
	}
}

// TestEncoderStream writes several values with shared tables, as the
// Decoder reads them.
func TestEncoderStream(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf, AMF3)
	o := obj0(m("k", "v"))
	for range 2 {
		if err := enc.Encode(o); err != nil {
			t.Fatal(err)
		}
	}
	if want := mustHex("0a 0b 01 03 6b 06 03 76 01 0a 00"); !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("stream = %x, want %x", buf.Bytes(), want)
	}
	// A value that fails half-way has registered entries the reader never
	// sees: the error sticks.
	err := enc.Encode([]any{obj0(m("x", 1)), make(chan int)})
	if err == nil {
		t.Fatal("Encode of a channel succeeded")
	}
	if err2 := enc.Encode(1); err2 != err {
		t.Errorf("Encode after an error = %v, want the same error", err2)
	}
	if buf.Len() != 11 {
		t.Errorf("failed values wrote %d bytes", buf.Len()-11)
	}
}

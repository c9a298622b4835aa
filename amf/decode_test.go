package amf

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"
)

// decodeCase is one worked byte example: the bytes, the value they decode
// to and, unless they are canonical, the bytes the encoder writes for that
// value.
type decodeCase struct {
	name  string
	ver   Version
	hex   string
	want  any
	canon string // what the encoder writes when it is not hex itself
	check func(t *testing.T, v any)
	opts  DecOptions
}

var long70000 = strings.Repeat("a", 70000)

// Rows named "§x.y" are the examples of protocol-digest.md section x.y,
// rows named "§7#n" check row n of its decision table.
var decodeCases = []decodeCase{
	// AMF0 scalars (§1.3.1).
	{name: "§1.3.1 number 1.5", ver: AMF0, hex: "00 3F F8 00 00 00 00 00 00", want: 1.5},
	{name: "§1.3.1 number -0.0", ver: AMF0, hex: "00 80 00 00 00 00 00 00 00", want: math.Copysign(0, -1)},
	{name: "§1.3.1 number NaN", ver: AMF0, hex: "00 7F F8 00 00 00 00 00 00", want: f64bits(0x7FF8000000000000)},
	{name: "§1.3.1 true", ver: AMF0, hex: "01 01", want: true},
	{name: "§1.3.1 false", ver: AMF0, hex: "01 00", want: false},
	{name: "§1.2 boolean non-zero is true", ver: AMF0, hex: "01 07", want: true, canon: "01 01"},
	{name: "§1.3.1 string hello", ver: AMF0, hex: `02 00 05 "hello"`, want: "hello"},
	{name: "§1.3.1 empty string", ver: AMF0, hex: "02 00 00", want: ""},
	{name: "§1.3.1 null", ver: AMF0, hex: "05", want: nil},
	{name: "§1.3.1 undefined", ver: AMF0, hex: "06", want: Undefined{}},
	{name: "§1.6 unsupported", ver: AMF0, hex: "0D", want: Unsupported{}},
	{name: "§1.3.1 long string 70000 bytes", ver: AMF0, hex: `0C 00 01 11 70 "` + long70000 + `"`, want: long70000},
	{name: "§1.3.1 long string that fits a string", ver: AMF0, hex: `0C 00 00 00 02 "ab"`, want: "ab", canon: `02 00 02 "ab"`},
	{name: "§1.3.1 XML document", ver: AMF0, hex: `0F 00 00 00 04 "<a/>"`, want: &XML{Text: "<a/>", Document: true}},
	{name: "§7#1 integral number stays float64", ver: AMF0, hex: "00 40 14 00 00 00 00 00 00", want: 5.0},
	{name: "§7#2 NaN payload kept", ver: AMF0, hex: "00 7F F4 00 00 00 00 00 01", want: f64bits(0x7FF4000000000001)},
	{name: "§7#21 CESU-8 surrogate pair", ver: AMF0, hex: "02 00 06 ED A0 BD ED B8 80", want: "\U0001F600", canon: "02 00 04 F0 9F 98 80"},

	// AMF0 objects and arrays (§1.3.2-§1.3.4).
	{name: "§1.3.2 object {a: 1}", ver: AMF0, hex: `03 00 01 "a" 00 3F F0 00 00 00 00 00 00 00 00 09`, want: obj0(m("a", 1.0))},
	{name: "§1.3.2 typed object P{n: x}", ver: AMF0, hex: "10 00 01 50 00 01 6E 02 00 01 78 00 00 09", want: &Object{Class: "P", Members: []Member{m("n", "x")}}},
	{name: "§1.3.2 typed object with an externalizable alias stays typed", ver: AMF0, hex: `10 00 03 "DSK" 00 01 "x" 05 00 00 09`, want: &Object{Class: "DSK", Members: []Member{m("x", nil)}}},
	{name: "§1.3.2 empty object", ver: AMF0, hex: "03 00 00 09", want: obj0()},
	{name: "§1.3.2 empty key before a value is a member", ver: AMF0, hex: `03 00 00 05 00 00 09`, want: obj0(m("", nil))},
	{name: "§1.3.3 ECMA array count 1", ver: AMF0, hex: `08 00 00 00 01 00 01 "a" 01 01 00 00 09`, want: &ECMAArray{Members: []Member{m("a", true)}}},
	{name: "§7#9 ECMA array count 0 kept", ver: AMF0, hex: `08 00 00 00 00 00 01 "a" 01 01 00 00 09`, want: &ECMAArray{Members: []Member{m("a", true)}, Count: u32p(0)}},
	{name: "§7#9 ECMA array count = highest index kept", ver: AMF0, hex: `08 00 00 00 01 00 01 "0" 05 00 01 "1" 05 00 00 09`, want: &ECMAArray{Members: []Member{m("0", nil), m("1", nil)}, Count: u32p(1)}},
	{name: "§7#20 numeric ECMA keys stay strings", ver: AMF0, hex: `08 00 00 00 02 00 01 "0" 02 00 01 "a" 00 01 "1" 02 00 01 "b" 00 00 09`, want: &ECMAArray{Members: []Member{m("0", "a"), m("1", "b")}}},
	{name: "§1.3.4 strict array [1, b]", ver: AMF0, hex: "0A 00 00 00 02 00 3F F0 00 00 00 00 00 00 02 00 01 62", want: dense(1.0, "b")},
	{name: "§1.3.4 empty strict array", ver: AMF0, hex: "0A 00 00 00 00", want: dense()},
	{name: "§1.3.4 holes as undefined", ver: AMF0, hex: "0A 00 00 00 03 00 3F F0 00 00 00 00 00 00 06 00 40 08 00 00 00 00 00 00", want: dense(1.0, Undefined{}, 3.0)},

	// AMF0 dates (§1.3.5, §7#6).
	{name: "§1.3.5 date zone 0", ver: AMF0, hex: "0B 42 70 2B 36 21 15 80 00 00 00", want: &Date{Ms: 1111111111000}},
	{name: "§7#6 date zone +60 kept, not applied", ver: AMF0, hex: "0B 42 70 2B 36 21 15 80 00 00 3C", want: &Date{Ms: 1111111111000, TZ: 60}},
	{name: "§7#6 date zone -300 read signed", ver: AMF0, hex: "0B 42 70 2B 36 21 15 80 00 FE D4", want: &Date{Ms: 1111111111000, TZ: -300}},

	// AMF0 references (§1.3.6, §1.4).
	{name: "§1.3.6 self reference", ver: AMF0, hex: `03 00 04 "self" 07 00 00 00 00 09`,
		want: func() any { o := obj0(); o.Members = []Member{m("self", o)}; return o }(),
		check: func(t *testing.T, v any) {
			o := v.(*Object)
			if o.Members[0].Value != any(o) {
				t.Error("self is not the object itself")
			}
		}},
	{name: "§1.4 reference shares the object", ver: AMF0, hex: `0A 00 00 00 02 03 00 01 "k" 02 00 01 "v" 00 00 09 07 00 01`,
		want: dense(obj0(m("k", "v")), obj0(m("k", "v"))),
		check: func(t *testing.T, v any) {
			a := v.(*Array)
			if a.Dense[0] != a.Dense[1] {
				t.Error("reference is not the same *Object")
			}
		}},
	{name: "§1.4 strict array registers", ver: AMF0, hex: "0A 00 00 00 01 07 00 00",
		want: func() any { a := dense(nil); a.Dense[0] = a; return a }()},
	{name: "§1.4 ECMA array registers", ver: AMF0, hex: `0A 00 00 00 02 08 00 00 00 00 00 00 09 07 00 01`,
		want: dense(&ECMAArray{}, &ECMAArray{})},
	{name: "§1.4 Flash profile registers XML", ver: AMF0, hex: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 00 09 07 00 02`,
		want:  dense(&XML{Text: "<a/>", Document: true}, obj0(), obj0()),
		canon: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 00 09 03 00 00 09`}, // no reference past the XML (§1.4's recommendation; a packet keeps it: Message.XMLRefs)
	{name: "§1.4 BlazeDS profile does not register XML", ver: AMF0, hex: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 00 09 07 00 01`,
		want: dense(&XML{Text: "<a/>", Document: true}, obj0(), obj0()), opts: DecOptions{Profile: ProfileBlazeDS},
		canon: `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 00 09 03 00 00 09`}, // re-encoded for the default (Flash) profile, with no reference past the XML
	{name: "§1.4 PyAMF profile registers dates", ver: AMF0, hex: `0A 00 00 00 03 0B 00 00 00 00 00 00 00 00 00 00 03 00 00 09 07 00 02`,
		want: dense(&Date{}, obj0(), obj0()), opts: DecOptions{Profile: ProfilePyAMF},
		canon: `0A 00 00 00 03 0B 00 00 00 00 00 00 00 00 00 00 03 00 00 09 07 00 01`},

	// The 0x11 switch (§1.3.7, §3.7).
	{name: "§1.3.7 avmplus integer", ver: AMF0, hex: "11 04 05", want: AVMPlus{Int(5)}},
	{name: "§3.7 AMF3 tables carry across switches", ver: AMF0, hex: `0A 00 00 00 02 11 06 05 "ab" 11 06 00`,
		want:  dense(AVMPlus{"ab"}, AVMPlus{"ab"}),
		canon: `0A 00 00 00 02 11 06 05 "ab" 11 06 05 "ab"`}, // no cross-switch references by default
	{name: "§3.7 AMF3 object table carries across switches", ver: AMF0, hex: `0A 00 00 00 02 11 0A 0B 01 01 11 0A 00`,
		want: dense(AVMPlus{anon()}, AVMPlus{anon()}), // and written back as a reference
		check: func(t *testing.T, v any) {
			a := v.(*Array)
			if a.Dense[0].(AVMPlus).Value != a.Dense[1].(AVMPlus).Value {
				t.Error("cross-switch reference is not the same object")
			}
		}},

	// AMF3 scalars and the U29 table (§2.1-§2.3).
	{name: "§2.4 undefined", ver: AMF3, hex: "00", want: Undefined{}},
	{name: "§2.4 null", ver: AMF3, hex: "01", want: nil},
	{name: "§2.4 false", ver: AMF3, hex: "02", want: false},
	{name: "§2.4 true", ver: AMF3, hex: "03", want: true},
	{name: "§2.1 U29 0", ver: AMF3, hex: "04 00", want: Int(0)},
	{name: "§2.1 U29 127", ver: AMF3, hex: "04 7F", want: Int(127)},
	{name: "§2.1 U29 128", ver: AMF3, hex: "04 81 00", want: Int(128)},
	{name: "§2.1 U29 255", ver: AMF3, hex: "04 81 7F", want: Int(255)},
	{name: "§2.1 U29 1000", ver: AMF3, hex: "04 87 68", want: Int(1000)},
	{name: "§2.1 U29 16383", ver: AMF3, hex: "04 FF 7F", want: Int(16383)},
	{name: "§2.1 U29 16384", ver: AMF3, hex: "04 81 80 00", want: Int(16384)},
	{name: "§2.1 U29 2097151", ver: AMF3, hex: "04 FF FF 7F", want: Int(2097151)},
	{name: "§2.1 U29 2097152", ver: AMF3, hex: "04 80 C0 80 00", want: Int(2097152)},
	{name: "§2.1 U29 overlong 1-byte value", ver: AMF3, hex: "04 80 05", want: Int(5), canon: "04 05"},
	{name: "§2.2 int 5", ver: AMF3, hex: "04 05", want: Int(5)},
	{name: "§2.2 int -1", ver: AMF3, hex: "04 FF FF FF FF", want: Int(-1)},
	{name: "§2.2 int -2", ver: AMF3, hex: "04 FF FF FF FE", want: Int(-2)},
	{name: "§2.2 int -128", ver: AMF3, hex: "04 FF FF FF 80", want: Int(-128)},
	{name: "§2.2 int -1000", ver: AMF3, hex: "04 FF FF FC 18", want: Int(-1000)},
	{name: "§2.2 int -268435456", ver: AMF3, hex: "04 C0 80 80 00", want: Int(-268435456)},
	{name: "§2.2 int 268435455", ver: AMF3, hex: "04 BF FF FF FF", want: Int(268435455)},
	{name: "§2.2 2^28 is a double", ver: AMF3, hex: "05 41 B0 00 00 00 00 00 00", want: 268435456.0},
	{name: "§2.2 -2^28-1 is a double", ver: AMF3, hex: "05 C1 B0 00 00 01 00 00 00", want: -268435457.0},
	{name: "§2.3 double 0.2", ver: AMF3, hex: "05 3F C9 99 99 99 99 99 9A", want: 0.2},
	{name: "§2.3 double 1.5", ver: AMF3, hex: "05 3F F8 00 00 00 00 00 00", want: 1.5},
	{name: "§7#3 -0.0 stays a double", ver: AMF3, hex: "05 80 00 00 00 00 00 00 00", want: math.Copysign(0, -1)},
	{name: "§7#5 integral double stays a double", ver: AMF3, hex: "05 40 14 00 00 00 00 00 00", want: 5.0},

	// AMF3 strings and the string table (§2.5, §2.6).
	{name: "§2.6 string hello", ver: AMF3, hex: `06 0B "hello"`, want: "hello"},
	{name: "§2.6 empty string", ver: AMF3, hex: "06 01", want: ""},
	{name: "§2.5 string reference, empty never registered", ver: AMF3, hex: "09 07 01 06 05 61 62 06 00 06 01", want: dense("ab", "ab", "")},
	{name: "§7#11 empty string is not referenced", ver: AMF3, hex: `09 07 01 06 01 06 03 "x" 06 00`, want: dense("", "x", "x")},
	{name: "§2.5 keys and values share the table", ver: AMF3, hex: "09 0D 03 61 06 00 01 04 00 04 01 04 02 04 03 04 04 04 05",
		want: &Array{Dense: []any{Int(0), Int(1), Int(2), Int(3), Int(4), Int(5)}, Assoc: []Member{m("a", "a")}}},

	// AMF3 objects and traits (§2.7).
	{name: "§2.7 two anonymous objects share traits", ver: AMF3, hex: "09 05 01 0A 0B 01 03 61 04 01 03 62 06 03 78 01 0A 01 00 04 02 02 06 04 01",
		want: dense(anon(m("a", Int(1)), m("b", "x")), anon(m("a", Int(2)), m("b", "x"))),
		check: func(t *testing.T, v any) {
			a := v.(*Array)
			if a.Dense[0].(*Object).Traits != a.Dense[1].(*Object).Traits {
				t.Error("traits reference does not share *Traits")
			}
		}},
	{name: "§2.7 typed objects, traits and object references", ver: AMF3,
		hex: `09 07 01 0A 23 11 "com.ex.P" 09 "name" 07 "age" 06 05 "Al" 04 1E 0A 01 06 05 "Bo" 04 1F 0A 02`,
		want: func() any {
			p1 := typed("com.ex.P", []string{"name", "age"}, m("name", "Al"), m("age", Int(30)))
			p2 := typed("com.ex.P", []string{"name", "age"}, m("name", "Bo"), m("age", Int(31)))
			return dense(p1, p2, p1)
		}(),
		check: func(t *testing.T, v any) {
			a := v.(*Array)
			if a.Dense[0] != a.Dense[2] {
				t.Error("object reference 1 is not the first P")
			}
		}},
	{name: "§2.7 cycle", ver: AMF3, hex: `0A 0B 01 09 "self" 0A 00 01`,
		want: func() any { o := anon(); o.Members = []Member{m("self", o)}; return o }()},
	{name: "§2.7 traits 03 anonymous sealed, no members", ver: AMF3, hex: "0A 03 01", want: &Object{Traits: &Traits{}}},
	{name: "§7#15 anonymous sealed object (BlazeDS)", ver: AMF3, hex: `0A 13 01 03 "a" 04 01`, want: &Object{Members: []Member{m("a", Int(1))}, Traits: &Traits{Sealed: []string{"a"}}}},
	{name: "§2.7 sealed and dynamic members", ver: AMF3, hex: `0A 1B 03 "T" 03 "a" 04 01 03 "b" 04 02 01`,
		want: &Object{Class: "T", Members: []Member{m("a", Int(1)), m("b", Int(2))}, Traits: &Traits{Class: "T", Sealed: []string{"a"}, Dynamic: true}}},
	{name: "§2.7 9 sealed members (81 13)", ver: AMF3, hex: `0A 81 13 03 "C" 03 "a" 03 "b" 03 "c" 03 "d" 03 "e" 03 "f" 03 "g" 03 "h" 03 "i" 01 01 01 01 01 01 01 01 01`,
		want: typed("C", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"}, m("a", nil), m("b", nil), m("c", nil), m("d", nil), m("e", nil), m("f", nil), m("g", nil), m("h", nil), m("i", nil))},
	{name: "§7#14 same class, two shapes", ver: AMF3, hex: `09 05 01 0A 13 03 "T" 03 "a" 01 0A 13 00 03 "b" 01`,
		want: dense(typed("T", []string{"a"}, m("a", nil)), typed("T", []string{"b"}, m("b", nil)))},

	// AMF3 arrays (§2.8).
	{name: "§2.8 dense and associative", ver: AMF3, hex: "09 05 03 6B 06 03 76 01 04 0A 04 14", want: &Array{Dense: []any{Int(10), Int(20)}, Assoc: []Member{m("k", "v")}}},
	{name: "§2.8 pure dense [1]", ver: AMF3, hex: "09 03 01 04 01", want: dense(Int(1))},
	{name: "§2.8 empty", ver: AMF3, hex: "09 01 01", want: dense()},
	{name: "§7#19 sparse array keeps key strings", ver: AMF3, hex: `09 03 03 "2" 04 03 01 04 01`, want: &Array{Dense: []any{Int(1)}, Assoc: []Member{m("2", Int(3))}}},
	{name: "§2.8 array registers before its items", ver: AMF3, hex: "09 03 01 09 00",
		want: func() any { a := dense(nil); a.Dense[0] = a; return a }()},

	// AMF3 dates, XML, ByteArray (§2.9-§2.11).
	{name: "§2.9 date", ver: AMF3, hex: "08 01 42 70 2B 36 21 15 80 00", want: &Date{Ms: 1111111111000}},
	{name: "§2.9 same date twice", ver: AMF3, hex: "09 05 01 08 01 42 70 2B 36 21 15 80 00 08 02",
		want: dense(&Date{Ms: 1111111111000}, &Date{Ms: 1111111111000}),
		check: func(t *testing.T, v any) {
			if a := v.(*Array); a.Dense[0] != a.Dense[1] {
				t.Error("date reference is not the same *Date")
			}
		}},
	{name: "§7#7 date keeps fractional ms", ver: AMF3, hex: "08 01 42 70 2B 36 21 15 80 08", want: &Date{Ms: f64bits(0x42702B3621158008)}},
	{name: "§2.10 XML", ver: AMF3, hex: `0B 09 "<a/>"`, want: &XML{Text: "<a/>"}},
	{name: "§2.10 XMLDocument", ver: AMF3, hex: `07 09 "<a/>"`, want: &XML{Text: "<a/>", Document: true}},
	{name: "§2.10 XML in the object table", ver: AMF3, hex: `09 05 01 0B 09 "<a/>" 0B 02`, want: dense(&XML{Text: "<a/>"}, &XML{Text: "<a/>"})},
	{name: "§7#16 empty XML registered", ver: AMF3, hex: `09 07 01 0B 01 0A 0B 01 01 0A 04`,
		want: dense(&XML{}, anon(), anon()),
		check: func(t *testing.T, v any) {
			if a := v.(*Array); a.Dense[1] != a.Dense[2] {
				t.Error("object reference 2 is not the object after the empty XML")
			}
		}},
	{name: "§2.11 ByteArray", ver: AMF3, hex: "0C 07 01 02 03", want: &ByteArray{Data: []byte{1, 2, 3}}},
	{name: "§2.11 empty ByteArray", ver: AMF3, hex: "0C 01", want: &ByteArray{Data: []byte{}}},
	{name: "§7#22 zlib ByteArray not inflated", ver: AMF3, hex: "0C 11 78 9C 03 00 00 00 00 01", want: &ByteArray{Data: mustHex("78 9C 03 00 00 00 00 01")}},

	// Vectors and Dictionary (§2.12, §2.13).
	{name: "§2.12 Vector.<int>", ver: AMF3, hex: "0D 05 00 00 00 00 01 FF FF FF FF", want: &Vector{Type: VectorInt, Ints: []int32{1, -1}}},
	{name: "§7#17 Vector.<int> above 2^28-1", ver: AMF3, hex: "0D 03 00 7F FF FF FF", want: &Vector{Type: VectorInt, Ints: []int32{math.MaxInt32}}},
	{name: "§2.12 Vector.<uint>", ver: AMF3, hex: "0E 03 00 FF FF FF FF", want: &Vector{Type: VectorUint, Uints: []uint32{4294967295}}},
	{name: "§2.12 Vector.<Number> fixed", ver: AMF3, hex: "0F 03 01 3F F8 00 00 00 00 00 00", want: &Vector{Type: VectorDouble, Fixed: true, Doubles: []float64{1.5}}},
	{name: "§2.12 Vector.<Object>", ver: AMF3, hex: `10 05 00 0D "Object" 04 01 06 03 61`, want: &Vector{Type: VectorObject, ObjectType: "Object", Objects: []any{Int(1), "a"}}},
	{name: "§2.12 Vector.<Object> empty type name", ver: AMF3, hex: `10 01 00 01`, want: &Vector{Type: VectorObject, Objects: []any{}}},
	{name: "§2.13 Dictionary", ver: AMF3, hex: "11 05 00 06 03 6B 04 01 04 02 06 03 78", want: &Dictionary{Entries: []DictEntry{{"k", Int(1)}, {Int(2), "x"}}}},
	{name: "§7#18 Dictionary weak byte 02 is true", ver: AMF3, hex: "11 03 02 06 03 6B 04 01", want: &Dictionary{WeakKeys: true, Entries: []DictEntry{{"k", Int(1)}}}, canon: "11 03 01 06 03 6B 04 01"},
	{name: "§2.13 Dictionary registers", ver: AMF3, hex: "09 05 01 11 01 00 11 02", want: dense(&Dictionary{Entries: []DictEntry{}}, &Dictionary{Entries: []DictEntry{}})},

	// Externalizables (§2.14, §4.6, §4.8).
	{name: "§4.8 ArrayCollection", ver: AMF3, hex: `0A 07 43 "flex.messaging.io.ArrayCollection" 09 05 01 06 03 61 06 03 62`,
		want: ext(ClassArrayCollection, m("source", dense("a", "b")))},
	{name: "§4.8 ArrayCollection slot order", ver: AMF3, hex: `09 07 01 0A 07 43 "flex.messaging.io.ArrayCollection" 09 05 01 06 03 61 06 03 62 09 04 0A 02`,
		want: func() any {
			ac := ext(ClassArrayCollection, m("source", dense("a", "b")))
			return dense(ac, ac.Members[0].Value, ac)
		}(),
		check: func(t *testing.T, v any) {
			a := v.(*Array)
			ac := a.Dense[0].(*Object)
			if a.Dense[1] != ac.Members[0].Value || a.Dense[2] != any(ac) {
				t.Error("the ArrayCollection is not slot 1 and its source slot 2")
			}
		}},
	{name: "§4.8 ArrayList", ver: AMF3, hex: `0A 07 37 "flex.messaging.io.ArrayList" 09 03 01 04 01`, want: ext(ClassArrayList, m("source", dense(Int(1))))},
	{name: "§4.8 ObjectProxy", ver: AMF3, hex: `0A 07 3B "flex.messaging.io.ObjectProxy" 0A 0B 01 03 "a" 04 01 01`, want: ext(ClassObjectProxy, m("object", anon(m("a", Int(1)))))},
	{name: "§2.14 externalizable traits reference", ver: AMF3, hex: `09 05 01 0A 07 37 "flex.messaging.io.ArrayList" 09 01 01 0A 01 09 01 01`,
		want: dense(ext(ClassArrayList, m("source", dense())), ext(ClassArrayList, m("source", dense())))},
	{name: "§4.6 DSK", ver: AMF3,
		hex: `0A 07 07 "DSK" A1 03 06 05 "hi" 05 42 78 BC FE 56 80 00 00
			0C 21 3F 25 04 E0 4F 89 11 D3 9A 0C 03 05 E8 2C 33 01
			0C 21 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19
			02 0C 21 C0 FF EE 00 11 11 22 22 33 33 44 44 55 55 66 66
			00`,
		want: ext(ClassDSK,
			m("body", "hi"),
			m("timestamp", 1.7e12),
			m("clientIdBytes", &ByteArray{Data: mustHex("3F2504E04F8911D39A0C0305E82C3301")}),
			m("messageIdBytes", &ByteArray{Data: mustHex("0A0B0C0D0E0F10111213141516171819")}),
			m("correlationIdBytes", &ByteArray{Data: mustHex("C0FFEE00111122223333444455556666")}))},
	{name: "§4.6 DSC with operation", ver: AMF3, hex: `0A 07 07 "DSC" 00 00 01 04 02`, want: ext(ClassDSC, m("operation", Int(2)))},
	{name: "§4.6 DSA unknown flag bit kept", ver: AMF3, hex: `0A 07 07 "DSA" 40 04 07 04 01`,
		want: ext(ClassDSA, m("timeToLive", Int(7)), m("unknown_1_0_2", nil))},
	{name: "§4.6 DSK unknown bit in a second flag byte", ver: AMF3, hex: `0A 07 07 "DSK" 81 04 06 03 "x" 04 05 00 00`,
		want: ext(ClassDSK, m("body", "x"), m("unknown_0_1_2", Int(5)))},
	{name: "§4.6 DSK empty flag byte after a continuation", ver: AMF3, hex: `0A 07 07 "DSK" 80 00 00 00`,
		want: ext(ClassDSK), canon: `0A 07 07 "DSK" 00 00 00`},

	// An AMF Socket frame payload (§5.1).
	{name: "§5.1 RocketAMF rpcRequest", ver: AMF3,
		hex: `0A 0B 01 0F "request" 0A 01 0F "command" 06 0B "hello" 13 "messageId" 06 07 "abc" 0D "params" 0A 01 07 "foo" 06 07 "bar" 01 01 09 "type" 06 15 "rpcRequest" 01`,
		want: anon(
			m("request", anon(m("command", "hello"), m("messageId", "abc"), m("params", anon(m("foo", "bar"))))),
			m("type", "rpcRequest"))},
}

func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			dm := mustDecMode(t, tc.opts)
			var v any = "not set"
			if err := dm.Unmarshal(data, tc.ver, &v); err != nil {
				t.Fatalf("Unmarshal(0x%x) error: %v", data, err)
			}
			if !valueEqual(v, tc.want) {
				t.Fatalf("Unmarshal(0x%x) =\n  %s\nwant\n  %s", data, show(v), show(tc.want))
			}
			if tc.check != nil {
				tc.check(t, v)
			}
			want := data
			if tc.canon != "" {
				want = mustHex(tc.canon)
			}
			out, err := Marshal(v, tc.ver)
			if err != nil {
				t.Fatalf("Marshal(%s) error: %v", show(v), err)
			}
			if !bytes.Equal(out, want) {
				t.Fatalf("Marshal(Unmarshal(0x%x)) =\n  %x\nwant\n  %x", data, out, want)
			}
		})
	}
}

// TestU29 checks the U29 table of §2.1 on the raw codec, including the
// values above the int29 range that only lengths and indices use.
func TestU29(t *testing.T) {
	for _, tc := range []struct {
		v   uint32
		hex string
	}{
		{0, "00"}, {127, "7F"}, {128, "81 00"}, {255, "81 7F"}, {1000, "87 68"},
		{16383, "FF 7F"}, {16384, "81 80 00"}, {2097151, "FF FF 7F"}, {2097152, "80 C0 80 00"},
		{268435455, "BF FF FF FF"}, {536870911, "FF FF FF FF"},
	} {
		want := mustHex(tc.hex)
		if got := AppendU29(nil, tc.v); !bytes.Equal(got, want) {
			t.Errorf("AppendU29(%d) = %x, want %x", tc.v, got, want)
		}
		r := NewReader(want, AMF3)
		got, err := r.u29()
		if err != nil || got != tc.v || r.off != len(want) {
			t.Errorf("u29(0x%x) = %d, %v (read %d bytes), want %d", want, got, err, r.off, tc.v)
		}
	}
}

// §7#23: a 4-byte U29 with bit 28 set is its plain value, as a length.
func TestU29NoUnsignedQuirk(t *testing.T) {
	// A string whose length U29 is 0x10000001 (bit 28 set): the length is
	// 0x08000000, not PyAMF's rewritten value; the input is too short.
	var v any
	err := Unmarshal(mustHex("06 C0 80 80 01"), AMF3, &v)
	var le *MaxLengthError
	if err == nil || errors.As(err, &le) {
		t.Fatalf("err = %v", err)
	}
	if want := "amf3: length 134217728 exceeds the 0 bytes left: unexpected EOF at offset 1"; err.Error() != want {
		t.Fatalf("err = %q, want %q", err, want)
	}
}

type errorCase struct {
	name string
	ver  Version
	hex  string
	err  string
	is   error // a sentinel the error wraps, if any
	opts DecOptions
}

var decodeErrorCases = []errorCase{
	{name: "empty amf0", ver: AMF0, hex: "", err: "amf0: unexpected EOF at offset 0", is: io.ErrUnexpectedEOF},
	{name: "empty amf3", ver: AMF3, hex: "", err: "amf3: unexpected EOF at offset 0", is: io.ErrUnexpectedEOF},
	{name: "§1.6 movieclip", ver: AMF0, hex: "04", err: "amf0: unknown or invalid marker 0x04 (movieclip is reserved) at offset 0", is: ErrBadMarker},
	{name: "§1.6 recordset", ver: AMF0, hex: "0E", err: "amf0: unknown or invalid marker 0x0e (recordset is reserved) at offset 0", is: ErrBadMarker},
	{name: "§1.6 object-end as a value", ver: AMF0, hex: "0A 00 00 00 01 09", err: `amf0: unknown or invalid marker 0x09 (object-end outside an object) within "/0" at offset 5`, is: ErrBadMarker},
	{name: "unknown amf0 marker", ver: AMF0, hex: "12", err: "amf0: unknown or invalid marker 0x12 at offset 0", is: ErrBadMarker},
	{name: "unknown amf3 marker", ver: AMF3, hex: "12", err: "amf3: unknown or invalid marker 0x12 at offset 0", is: ErrBadMarker},
	{name: "truncated number", ver: AMF0, hex: "00 3F F8", err: "amf0: unexpected EOF at offset 3", is: io.ErrUnexpectedEOF},
	{name: "truncated date zone", ver: AMF0, hex: "0B 42 70 2B 36 21 15 80 00 00", err: "amf0: unexpected EOF at offset 10", is: io.ErrUnexpectedEOF},
	{name: "truncated U29", ver: AMF3, hex: "04 81", err: "amf3: unexpected EOF at offset 2", is: io.ErrUnexpectedEOF},
	{name: "truncated object", ver: AMF0, hex: `03 00 01 "a" 05`, err: "amf0: unexpected EOF at offset 5", is: io.ErrUnexpectedEOF},
	{name: "string longer than the input", ver: AMF0, hex: `02 00 05 "a"`, err: "amf0: length 5 exceeds the 1 bytes left: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "amf3 string longer than the input", ver: AMF3, hex: `06 0B "a"`, err: "amf3: length 5 exceeds the 1 bytes left: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "§1.4 amf0 reference out of range", ver: AMF0, hex: "07 00 00", err: "amf0: invalid object reference 0 (table has 0) at offset 1", is: ErrReference},
	{name: "§1.4 amf0 reference in a member", ver: AMF0, hex: `03 00 01 "a" 07 00 05 00 00 09`, err: `amf0: invalid object reference 5 (table has 1) within "/a" at offset 5`, is: ErrReference},
	{name: "§1.4 BlazeDS profile reference to XML", ver: AMF0, hex: `0A 00 00 00 02 0F 00 00 00 00 07 00 01`, err: `amf0: invalid object reference 1 (table has 1) within "/1" at offset 11`, is: ErrReference, opts: DecOptions{Profile: ProfileBlazeDS}},
	{name: "§1.4 dates not registered by default", ver: AMF0, hex: `0A 00 00 00 02 0B 00 00 00 00 00 00 00 00 00 00 07 00 01`, err: `amf0: invalid object reference 1 (table has 1) within "/1" at offset 17`, is: ErrReference},
	{name: "§1.3.2 object-end after a non-empty key", ver: AMF0, hex: `03 00 01 "a" 09`, err: `amf0: object-end marker after the non-empty key "a" at offset 1`},
	{name: "string reference", ver: AMF3, hex: "06 0A", err: "amf3: invalid string reference 5 (table has 0) at offset 1", is: ErrReference},
	{name: "string reference in an array", ver: AMF3, hex: "09 05 01 04 01 06 04", err: `amf3: invalid string reference 2 (table has 0) within "/1" at offset 6`, is: ErrReference},
	{name: "object reference", ver: AMF3, hex: "0A 00", err: "amf3: invalid object reference 0 (table has 0) at offset 1", is: ErrReference},
	{name: "date object reference", ver: AMF3, hex: "08 02", err: "amf3: invalid object reference 1 (table has 0) at offset 1", is: ErrReference},
	{name: "traits reference", ver: AMF3, hex: "0A 05", err: "amf3: invalid traits reference 1 (table has 0) at offset 1", is: ErrReference},
	{name: "traits reference in a member", ver: AMF3, hex: `0A 0B 01 03 "o" 0A 09`, err: `amf3: invalid traits reference 2 (table has 1) within "/o" at offset 6`, is: ErrReference},
	{name: "§7#26 unknown externalizable", ver: AMF3, hex: `0A 07 07 "x.Y"`, err: `amf3: unknown externalizable class "x.Y" at offset 1`, is: ErrUnknownExternalizable},
	{name: "§7#26 unknown externalizable nested", ver: AMF3, hex: `09 03 01 0A 07 07 "x.Y" 01`, err: `amf3: unknown externalizable class "x.Y" within "/0" at offset 4`, is: ErrUnknownExternalizable},
	{name: "DSK flag bytes without end", ver: AMF3, hex: `0A 07 07 "DSK" ` + strings.Repeat("80 ", 65), err: `amf3: DSK: more than 64 flag bytes at offset 70`},
	{name: "DSK truncated", ver: AMF3, hex: `0A 07 07 "DSK" 01`, err: `amf3: unexpected EOF within "/body" at offset 7`, is: io.ErrUnexpectedEOF},
	{name: "strict array count beyond the input", ver: AMF0, hex: "0A 00 00 00 05 05", err: "amf0: count 5 needs at least 5 bytes but 1 remain: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "dense count beyond the input", ver: AMF3, hex: "09 0B 01 01", err: "amf3: count 5 needs at least 5 bytes but 1 remain: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "Vector.<int> count beyond the input", ver: AMF3, hex: "0D 05 00 00 00 00 01", err: "amf3: count 2 needs at least 8 bytes but 4 remain: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "Dictionary count beyond the input", ver: AMF3, hex: "11 05 00 06 03", err: "amf3: count 2 needs at least 4 bytes but 2 remain: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "sealed count beyond the input", ver: AMF3, hex: "0A 33 01 01", err: "amf3: count 3 needs at least 3 bytes but 1 remain: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "§7#33 ByteArray of 2^28-1 in 10 bytes", ver: AMF3, hex: "0C FF FF FF FF 00 00 00 00 00", err: "amf3: length 268435455 exceeds the 5 bytes left: unexpected EOF at offset 1", is: io.ErrUnexpectedEOF},
	{name: "§7#33 strict array of 2^32-1", ver: AMF0, hex: "0A FF FF FF FF 00 00 00 00 00", err: "amf0: 4294967295 elements exceed the limit of 16777216 at offset 1"},
	{name: "long string over the length limit", ver: AMF0, hex: "0C FF FF FF FF", err: "amf0: length 4294967295 exceeds the limit of 268435455 bytes at offset 1"},
	{name: "trailing data", ver: AMF0, hex: "05 05", err: "amf: 1 bytes of trailing data at offset 1", is: ErrTrailingData},
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range decodeErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			dm := mustDecMode(t, tc.opts)
			var v any = "not set"
			err := dm.Unmarshal(data, tc.ver, &v)
			if err == nil {
				t.Fatalf("Unmarshal(0x%x) = %s, want error %q", data, show(v), tc.err)
			}
			if err.Error() != tc.err {
				t.Errorf("Unmarshal(0x%x) error\n  %q\nwant\n  %q", data, err.Error(), tc.err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			if v != nil {
				t.Errorf("Unmarshal left %s on error, want nil", show(v))
			}
			v = "not set"
			rest, err := dm.UnmarshalFirst(data, tc.ver, &v)
			if tc.is == ErrTrailingData {
				return
			}
			if err == nil || err.Error() != tc.err || v != nil || rest != nil {
				t.Errorf("UnmarshalFirst = %x, %s, %v; want nil, nil, %q", rest, show(v), err, tc.err)
			}
		})
	}
}

// Every syntax error names its version, offset and path; check the
// structure too, not just the text.
func TestSyntaxErrorFields(t *testing.T) {
	var v any
	err := Unmarshal(mustHex("09 05 01 04 01 06 04"), AMF3, &v)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %T %v, want *SyntaxError", err, err)
	}
	if se.Version != "amf3" || se.Offset != 6 || se.Path != "/1" || !errors.Is(se.Err, ErrReference) {
		t.Errorf("SyntaxError = %+v", *se)
	}
	// Path segments are JSON Pointer tokens.
	err = Unmarshal(mustHex(`03 00 03 "a/~" 07 00 05 00 00 09`), AMF0, &v)
	if !errors.As(err, &se) || se.Path != "/a~1~0" {
		t.Errorf("path = %q, want /a~1~0 (%v)", se.Path, err)
	}
	var te *TrailingDataError
	err = Unmarshal(mustHex("05 05 05"), AMF0, &v)
	if !errors.As(err, &te) || te.N != 2 || te.Offset != 1 {
		t.Errorf("err = %v, want TrailingDataError{2, 1}", err)
	}
}

func TestUnmarshalFirst(t *testing.T) {
	var v any
	rest, err := UnmarshalFirst(mustHex("04 05 06 07"), AMF3, &v)
	if err != nil || v != Int(5) || !bytes.Equal(rest, mustHex("06 07")) {
		t.Fatalf("UnmarshalFirst = %x, %v, %v", rest, v, err)
	}
}

// Strings that are not UTF-8 are kept byte for byte (issue 7).
func TestNonUTF8Kept(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
		want any
	}{
		{"amf0 latin-1", AMF0, `02 00 04 "caf" E9`, "caf\xe9"},
		{"amf3 latin-1", AMF3, `06 09 "caf" E9`, "caf\xe9"},
		{"amf0 key", AMF0, `03 00 01 FF 05 00 00 09`, &Object{Members: []Member{{"\xff", nil}}}},
		{"lone surrogate", AMF0, "02 00 03 ED A0 BD", "\xed\xa0\xbd"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			if err := Unmarshal(mustHex(tc.hex), tc.ver, &v); err != nil {
				t.Fatalf("Unmarshal(%s) error: %v", tc.hex, err)
			}
			if !reflect.DeepEqual(v, tc.want) {
				t.Fatalf("Unmarshal(%s) = %#v, want %#v", tc.hex, v, tc.want)
			}
			out, err := Marshal(v, tc.ver)
			if err != nil || !bytes.Equal(out, mustHex(tc.hex)) {
				t.Fatalf("Marshal = %x, %v; want the same bytes %s", out, err, tc.hex)
			}
		})
	}
}

func TestLossyUTF8(t *testing.T) {
	dm := mustDecMode(t, DecOptions{AllowInvalidUTF8: true})
	var v any
	if err := dm.Unmarshal(mustHex(`02 00 03 "a" FF "b"`), AMF0, &v); err != nil || v != "a\uFFFDb" {
		t.Fatalf("Unmarshal = %q, %v", v, err)
	}
	if err := dm.Unmarshal(mustHex(`06 07 "a" FF "b"`), AMF3, &v); err != nil || v != "a\uFFFDb" {
		t.Fatalf("Unmarshal = %q, %v", v, err)
	}
}

func TestDecOptionsRange(t *testing.T) {
	for _, tc := range []struct {
		o   DecOptions
		err string
	}{
		{DecOptions{MaxDepth: 2}, "amf: invalid MaxDepth 2 (range is [4, 65536])"},
		{DecOptions{MaxDepth: 65537}, "amf: invalid MaxDepth 65537 (range is [4, 65536])"},
		{DecOptions{MaxElements: 15}, "amf: invalid MaxElements 15 (range is [16, 2147483647])"},
		{DecOptions{MaxLength: 255}, "amf: invalid MaxLength 255 (range is [256, 4294967295])"},
		{DecOptions{MaxReferences: -1}, "amf: invalid MaxReferences -1 (range is [16, 2147483647])"},
		{DecOptions{Profile: 9}, "amf: invalid Profile 9"},
	} {
		if _, err := tc.o.DecMode(); err == nil || err.Error() != tc.err {
			t.Errorf("%+v.DecMode() error = %v, want %q", tc.o, err, tc.err)
		}
	}
	if _, err := (EncOptions{Profile: 7}).EncMode(); err == nil || err.Error() != "amf: invalid Profile 7" {
		t.Errorf("EncMode error = %v", err)
	}
}

// The stream Decoder: reference tables run across values (the PyAMF
// two_values_shared vectors), io.EOF at a clean end, io.ErrUnexpectedEOF
// inside a value.
func TestDecoderStream(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  Version
		hex  string
	}{
		{"amf0", AMF0, "03 00 01 6b 02 00 01 76 00 00 09 07 00 00"},
		{"amf3", AMF3, "0a 0b 01 03 6b 06 03 76 01 0a 00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dec := NewDecoder(bytes.NewReader(mustHex(tc.hex)), tc.ver)
			var a, b, c any
			if err := dec.Decode(&a); err != nil {
				t.Fatal(err)
			}
			if err := dec.Decode(&b); err != nil {
				t.Fatal(err)
			}
			if a != b {
				t.Error("second value is not the first by reference")
			}
			if err := dec.Decode(&c); err != io.EOF {
				t.Errorf("Decode at end = %v, want io.EOF", err)
			}
			if dec.InputOffset() != int64(len(mustHex(tc.hex))) {
				t.Errorf("InputOffset = %d", dec.InputOffset())
			}
		})
	}
	dec := NewDecoder(bytes.NewReader(mustHex("05 03 00")), AMF0)
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	err := dec.Decode(&v)
	if !errors.Is(err, io.ErrUnexpectedEOF) || err.Error() != "amf0: unexpected EOF at offset 3" {
		t.Errorf("Decode inside a value = %v", err)
	}
	if err2 := dec.Decode(&v); err2 != err {
		t.Errorf("error not sticky: %v", err2)
	}
}

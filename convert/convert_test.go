package convert

import (
	"encoding/hex"
	"os"
	"path/filepath"

	"bytes"
	"errors"
	"github.com/amfcall/amfcall/amf/amftest"
	"math"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func toJSON(t *testing.T, v any, o *Options) string {
	t.Helper()
	out, err := AppendValue(nil, v, o)
	if err != nil {
		t.Fatalf("AppendValue: %v", err)
	}
	return string(out)
}

func TestPlainAndTyped(t *testing.T) {
	self := &amf.Object{}
	self.Members = []amf.Member{{Name: "me", Value: self}}
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	nan := math.Float64frombits(0x7FF8000000000000)
	odd := math.Float64frombits(0x7FF4000000000001)
	cases := []struct {
		name         string
		v            any
		plain, typed string
	}{
		{"null", nil, `null`, `null`},
		{"undefined", amf.Undefined{}, `null`, `{"$undefined":true}`},
		{"unsupported", amf.Unsupported{}, `null`, `{"$unsupported":true}`},
		{"int", amf.Int(5), `5`, `5`},
		{"double integral", 5.0, `5`, `5.0`},
		{"double fraction", 2.5, `2.5`, `2.5`},
		{"double big", 1e300, `1e+300`, `1e+300`},
		{"double 2^53", 9007199254740992.0, `9007199254740992`, `9007199254740992.0`},
		{"nan", nan, `null`, `{"$double":"NaN"}`},
		{"nan payload", odd, `null`, `{"$double":"0x7FF4000000000001"}`},
		{"inf", math.Inf(1), `null`, `{"$double":"Infinity"}`},
		{"-inf", math.Inf(-1), `null`, `{"$double":"-Infinity"}`},
		{"-0", math.Copysign(0, -1), `-0`, `-0.0`},
		{"string escapes", "a\"b\\c\n\x01é", `"a\"b\\c\n\u0001é"`, `"a\"b\\c\n\u0001é"`},
		{"date", &amf.Date{Ms: 1261836495023}, `"2009-12-26T14:08:15.023Z"`, `{"$date":"2009-12-26T14:08:15.023Z"}`},
		{"date pre-epoch", &amf.Date{Ms: -1}, `"1969-12-31T23:59:59.999Z"`, `{"$date":"1969-12-31T23:59:59.999Z"}`},
		{"date fraction", &amf.Date{Ms: 1.5}, `"1970-01-01T00:00:00.001Z"`, `{"$date":1.5}`},
		{"date year 10000", &amf.Date{Ms: 253402300800000}, `253402300800000`, `{"$date":253402300800000.0}`},
		{"date tz", &amf.Date{Ms: 0, TZ: -300}, `"1970-01-01T00:00:00.000Z"`, `{"$date":"1970-01-01T00:00:00.000Z","$tz":-300}`},
		{"bytes", &amf.ByteArray{Data: []byte{0, 1, 2, 0xFF}}, `"AAEC/w=="`, `{"$bytes":"AAEC/w=="}`},
		{"xml", &amf.XML{Text: "<a/>"}, `"<a/>"`, `{"$xml":"<a/>"}`},
		{"xmldoc", &amf.XML{Text: "<a/>", Document: true}, `"<a/>"`, `{"$xmldoc":"<a/>"}`},
		{"typed object", &amf.Object{Class: "com.example.User", Members: []amf.Member{{Name: "b", Value: amf.Int(1)}, {Name: "a", Value: true}}},
			`{"b":1,"a":true}`, `{"$class":"com.example.User","b":1,"a":true}`},
		{"dollar key", &amf.Object{Members: []amf.Member{{Name: "$class", Value: "x"}}}, `{"$class":"x"}`, `{"$$class":"x"}`},
		{"ecma", &amf.ECMAArray{Members: []amf.Member{{Name: "0", Value: "a"}, {Name: "k", Value: "v"}}}, `{"0":"a","k":"v"}`, `{"$ecma":{"0":"a","k":"v"}}`},
		{"ecma count", &amf.ECMAArray{Count: ptr(uint32(7))}, `{}`, `{"$ecma":{},"$count":7}`},
		{"mixed array", &amf.Array{Dense: []any{amf.Int(10), amf.Int(20)}, Assoc: []amf.Member{{Name: "k", Value: "v"}}},
			`{"0":10,"1":20,"k":"v"}`, `{"$assoc":{"k":"v"},"$dense":[10,20]}`},
		{"vector int", &amf.Vector{Type: amf.VectorInt, Ints: []int32{1, -1}}, `[1,-1]`, `{"$vector":"int","fixed":false,"items":[1,-1]}`},
		{"vector double", &amf.Vector{Type: amf.VectorDouble, Fixed: true, Doubles: []float64{1.5, 2}}, `[1.5,2]`, `{"$vector":"double","fixed":true,"items":[1.5,2.0]}`},
		{"vector object", &amf.Vector{Type: amf.VectorObject, ObjectType: "com.T", Objects: []any{"a"}}, `["a"]`, `{"$vector":"object","type":"com.T","fixed":false,"items":["a"]}`},
		{"dictionary", &amf.Dictionary{Entries: []amf.DictEntry{{Key: amf.Int(2), Value: "x"}}}, `[[2,"x"]]`, `{"$dictionary":[[2,"x"]],"weakKeys":false}`},
		{"array collection", &amf.Object{Class: amf.ClassArrayCollection, Members: []amf.Member{{Name: "source", Value: &amf.Array{Dense: []any{"a"}}}}},
			`["a"]`, `{"$class":"flex.messaging.io.ArrayCollection","source":["a"]}`},
		{"object proxy", &amf.Object{Class: amf.ClassObjectProxy, Members: []amf.Member{{Name: "object", Value: &amf.Object{Members: []amf.Member{{Name: "a", Value: amf.Int(1)}}}}}},
			`{"a":1}`, `{"$class":"flex.messaging.io.ObjectProxy","object":{"a":1}}`},
		{"amf3 switch", amf.AVMPlus{Value: amf.Int(5)}, `5`, `{"$amf3":5}`},
		{"cycle", self, `{"me":{"$ref":""}}`, `{"$id":1,"me":{"$ref":1}}`},
		{"shared", &amf.Array{Dense: []any{shared, shared}}, `[{"k":"v"},{"k":"v"}]`, `[{"$id":1,"k":"v"},{"$ref":1}]`},
		{"traits", &amf.Object{Class: "P", Members: []amf.Member{{Name: "a", Value: amf.Int(1)}, {Name: "x", Value: amf.Int(2)}}, Traits: &amf.Traits{Class: "P", Sealed: []string{"a"}, Dynamic: true}},
			`{"a":1,"x":2}`, `{"$class":"P","$traits":{"sealed":["a"],"dynamic":true},"a":1,"x":2}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := toJSON(t, tc.v, &Options{}); got != tc.plain {
				t.Errorf("plain = %s, want %s", got, tc.plain)
			}
			if got := toJSON(t, tc.v, &Options{Typed: true}); got != tc.typed {
				t.Errorf("typed = %s, want %s", got, tc.typed)
			}
			// The typed form reads back to the same value: compare the
			// AMF3 encodings.
			back, err := FromJSON([]byte(tc.typed))
			if err != nil {
				t.Fatalf("FromJSON(%s): %v", tc.typed, err)
			}
			want, err1 := amf.Marshal(tc.v, amf.AMF3)
			got, err2 := amf.Marshal(back, amf.AMF3)
			if err1 != nil || err2 != nil {
				t.Fatalf("marshal: %v / %v", err1, err2)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("typed round trip: AMF3 %x, want %x", got, want)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestPlainCycleWarns(t *testing.T) {
	a := &amf.Array{}
	o := &amf.Object{Members: []amf.Member{{Name: "list", Value: a}}}
	a.Dense = []any{"x", o}
	var warnings []string
	got := toJSON(t, o, &Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if got != `{"list":["x",{"$ref":""}]}` {
		t.Errorf("got %s", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "cycle") {
		t.Errorf("warnings = %q", warnings)
	}
	// A plain cycle marker reads back as the same cycle.
	back, err := FromJSON([]byte(got))
	if err != nil {
		t.Fatal(err)
	}
	bo := back.(*amf.Object)
	inner := bo.Members[0].Value.(*amf.Array).Dense[1]
	if inner != any(bo) {
		t.Errorf("$ref did not resolve to the enclosing object: %#v", inner)
	}
}

func TestReferenceBombBounded(t *testing.T) {
	// 40 levels, each holding the previous one twice: 2^40 leaves.
	var v any = "leaf"
	for i := 0; i < 40; i++ {
		v = &amf.Array{Dense: []any{v, v}}
	}
	data, err := amf.Marshal(v, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 300 {
		t.Fatalf("bomb is %d bytes", len(data))
	}
	var dv any
	if err := amf.Unmarshal(data, amf.AMF3, &dv); err != nil {
		t.Fatal(err)
	}
	_, err = AppendValue(nil, dv, &Options{MaxOutput: 1 << 20})
	var le *OutputLimitError
	if !errors.As(err, &le) || le.Limit != 1<<20 {
		t.Fatalf("err = %v, want an OutputLimitError", err)
	}
	if strings.Contains(err.Error(), "--") {
		t.Errorf("the library's error names a flag: %v", err)
	}
	// The typed form writes each shared value once.
	typed, err := AppendValue(nil, dv, &Options{Typed: true})
	if err != nil || len(typed) > 2000 {
		t.Fatalf("typed: %d bytes, %v", len(typed), err)
	}
}

func TestFromJSONNumbers(t *testing.T) {
	cases := []struct {
		in   string
		want any
	}{
		{`5`, amf.Int(5)},
		{`0`, amf.Int(0)},
		{`268435455`, amf.Int(268435455)},
		{`268435456`, float64(268435456)},
		{`-268435456`, amf.Int(-268435456)},
		{`-268435457`, float64(-268435457)},
		{`5.0`, 5.0},
		{`1e3`, 1000.0},
		{`9007199254740992`, 9007199254740992.0},
		{`-9007199254740992`, -9007199254740992.0},
	}
	for _, tc := range cases {
		got, err := FromJSON([]byte(tc.in))
		if err != nil || got != tc.want {
			t.Errorf("FromJSON(%s) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		}
	}
	// -0 is the double -0 however it is written, and keeps its sign in
	// AMF0 and AMF3 and back in plain and typed JSON.
	for _, in := range []string{`-0`, `-0.0`, `-0e0`, `[-0]`} {
		v, err := FromJSON([]byte(in))
		if a, ok := v.(*amf.Array); ok {
			v = a.Dense[0]
		}
		if f, ok := v.(float64); err != nil || !ok || f != 0 || !math.Signbit(f) {
			t.Errorf("FromJSON(%s) = %#v, %v; want the double -0", in, v, err)
			continue
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			b, err := amf.Marshal(v, ver)
			want := []byte{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}
			if ver == amf.AMF3 {
				want[0] = 0x05
			}
			if err != nil || !bytes.Equal(b, want) {
				t.Errorf("%s as %s = %x, %v; want %x", in, ver, b, err, want)
			}
			var back any
			if err := amf.Unmarshal(b, ver, &back); err != nil {
				t.Fatal(err)
			}
			if got := toJSON(t, back, nil); got != `-0` {
				t.Errorf("%s via %s to plain JSON = %s, want -0", in, ver, got)
			}
			if got := toJSON(t, back, &Options{Typed: true}); got != `-0.0` {
				t.Errorf("%s via %s to typed JSON = %s, want -0.0", in, ver, got)
			}
		}
	}
}

func TestFromJSONErrors(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{`{"a": 9007199254740993}`, `json: integer 9007199254740993 is outside ±2^53 and cannot be represented exactly (write it as a string, or as a double with a fraction or exponent) at "/a", line 1, column 7 (offset 6)`},
		{`[1, 2,, 3]`, `json: invalid character ',' looking for beginning of value at line 1, column 7 (offset 6)`},
		{`{"a": [1, {"b": 1e999}]}`, `json: number 1e999 is out of range for a double at "/a/1/b", line 1, column 17 (offset 16)`},
		{`{"$ref": 3}`, `json: $ref 3 points to no value: no "$id": 3 is given in the document (was the value that carried it, at its first place, removed or replaced? write the value in full here instead) at "/$ref", line 1, column 10 (offset 9)`},
		{`{"$bytes": "***"}`, `json: $bytes is not valid base64: illegal base64 data at input byte 0 at "/$bytes", line 1, column 12 (offset 11)`},
		{`{"$date": "yesterday"}`, `json: $date "yesterday" is not an RFC 3339 date (want YYYY-MM-DDThh:mm:ss, an optional .fraction, then Z or ±hh:mm) at "/$date", line 1, column 11 (offset 10)`},
		{`{"$vector": "int", "items": [1, 2147483648]}`, `json: Vector.<int> item must be an integer in [-2147483648, 2147483647] at "/items/1", line 1, column 33 (offset 32)`},
		{`{"$date": "2020-01-01T00:00:00Z", "x": 1}`, `json: unexpected member "x" in a $date value at "/x", line 1, column 40 (offset 39)`},
		{`1 2`, `json: more than one JSON value (use one document, or JSON lines where several values are expected) at line 1, column 3 (offset 2)`},
		{``, `json: no JSON value in the input at line 1, column 1 (offset 0)`},
		{strings.Repeat("[", 600), `json: nesting deeper than 512 levels at line 1, column 513 (offset 512)`},
		{`{"a": "x"`, `json: unexpected end of JSON input at line 1, column 10 (offset 9)`},
	}
	for _, tc := range cases {
		_, err := FromJSON([]byte(tc.in))
		if err == nil {
			t.Errorf("FromJSON(%.40s) succeeded, want %s", tc.in, tc.want)
			continue
		}
		var je *Error
		if !errors.As(err, &je) {
			t.Errorf("FromJSON(%.40s) error %T is not a *convert.Error", tc.in, err)
		}
		if err.Error() != tc.want {
			t.Errorf("FromJSON(%.40s)\n got %s\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestPacketFromPlainJSONVersion3(t *testing.T) {
	// Written the way Flash does with object encoding 3: each argument of
	// the strict array switches to AMF3.
	p, err := PacketFromJSON([]byte(`{"version":3,"messages":[{"target":"echo.echo","response":"/1","value":["hi",{"a":1}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	data, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "000300000001000965636" + "86f2e6563686f00022f3100000013" + "0a00000002" + "1106056869" + "110a0b0103610401" + "01"
	if got := hexs(data); got != want {
		t.Errorf("packet\n got %s\nwant %s", got, want)
	}
	// Version 0 stays AMF0.
	p, err = PacketFromJSON([]byte(`{"version":0,"messages":[{"target":"a","response":"/1","value":[1]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _ = amf.MarshalPacket(p)
	if got := hexs(data); got != "0000000000010001610002"+"2f31"+"0000000e"+"0a00000001003ff0000000000000" {
		t.Errorf("v0 packet %s", got)
	}
}

func TestPacketJSONErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"version":2,"messages":[]}`, `json: version must be 0, 1 or 3 at "/version", line 1, column 12 (offset 11)`},
		{`{"version":0,"messages":[{"response":"/1","value":1}]}`, `json: a message needs a "target" at "/messages/0", line 1, column 26 (offset 25)`},
		{`{"version":0,"messages":[],"extra":1}`, `json: unexpected member "extra" in a packet (want version, headers, messages) at "/extra", line 1, column 36 (offset 35)`},
	}
	for _, tc := range cases {
		_, err := PacketFromJSON([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("PacketFromJSON(%s)\n got %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func TestPrettyAndColour(t *testing.T) {
	v := &amf.Object{Members: []amf.Member{{Name: "a", Value: &amf.Array{Dense: []any{amf.Int(1), "x"}}}, {Name: "b", Value: &amf.Array{}}}}
	got := toJSON(t, v, &Options{Indent: "  "})
	want := "{\n  \"a\": [\n    1,\n    \"x\"\n  ],\n  \"b\": []\n}"
	if got != want {
		t.Errorf("pretty:\n%s\nwant\n%s", got, want)
	}
	got = toJSON(t, amf.Int(1), &Options{Palette: &Palette{Number: "<n>", Reset: "</>"}})
	if got != "<n>1</>" {
		t.Errorf("colour: %q", got)
	}
}

func hexs(b []byte) string {
	const d = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, d[c>>4], d[c&15])
	}
	return string(out)
}

// TestDirectAgreesWithModel: the plain path on the token Reader writes
// what the value model writes, or fails the same way, in every layout.
func TestDirectAgreesWithModel(t *testing.T) {
	var inputs [][]byte
	var vers []amf.Version
	files, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf[03]")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		ver := amf.AMF0
		if strings.HasSuffix(file, "3") {
			ver = amf.AMF3
		}
		inputs, vers = append(inputs, data), append(vers, ver)
	}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		// The benchmark workloads: W1 with ids and prices of one to four
		// digits, W1 of typed sealed objects, W3's small ints and
		// strings, W4's doubles.
		for _, v := range []any{amftest.W1(100), amftest.W1(1200), sealedW1(300), amftest.W3(3000), amftest.W4()} {
			data, _ := amf.Marshal(v, ver)
			inputs, vers = append(inputs, data), append(vers, ver)
		}
	}
	for _, h := range []string{
		"09 07 03 61 06 03 78 05 00 00 00 00 00 00 00 00 04 01 04 02", // mixed array
		"09 05 01 09 00 0A 00",    // references to the array itself
		"0A 0B 01 03 61 0A 00 01", // an object that contains itself
		"0A 07 43 66 6C 65 78 2E 6D 65 73 73 61 67 69 6E 67 2E 69 6F 2E 41 72 72 61 79 43 6F 6C 6C 65 63 74 69 6F 6E 09 03 01 0A 02", // a collection that contains itself
		"11 05 00 04 01 04 02 04 03 04 04", // dictionary
		"06 09 63 61 66 E9",                // a Latin-1 string
		"09 83 80 80 01 01",                // 2^21 nulls claimed, none there
		"0A 00",                            // bad reference
	} {
		inputs, vers = append(inputs, mustHexBytes(t, h)), append(vers, amf.AMF3)
	}
	for _, h := range []string{
		"03 00 01 61 07 00 00 00 00 09",             // an AMF0 object that contains itself
		"0A 00 00 00 02 11 09 03 01 04 01 11 09 00", // AMF3 references across 0x11
		"08 00 00 00 05 00 01 61 02 00 01 62 00 00 09",
	} {
		inputs, vers = append(inputs, mustHexBytes(t, h)), append(vers, amf.AMF0)
	}
	opts := []*Options{{}, {Indent: "  "}, {Palette: DefaultPalette}, {MaxOutput: 300}}
	for i, data := range inputs {
		for _, o := range opts {
			checkDirect(t, data, vers[i], o)
		}
	}
}

// An AMF3 array of 2^24+1 nulls fails on every path, plain JSON
// included (it used to print 83 MB of nulls).
func TestDirectLimits(t *testing.T) {
	n := 1<<24 + 1
	data := amf.AppendU29([]byte{0x09}, uint32(n)<<1|1)
	data = append(data, 0x01)
	data = append(data, bytes.Repeat([]byte{0x01}, n)...)
	want := "amf3: 16777217 elements exceed the limit of 16777216 at offset 1"
	for _, o := range []*Options{{}, {Typed: true}} {
		out, err := AppendAMF(nil, data, amf.AMF3, o)
		if err == nil || err.Error() != want {
			t.Errorf("AppendAMF(typed %v) = %d bytes, %v; want %s", o.Typed, len(out), err, want)
		}
	}
}

func mustHexBytes(t *testing.T, h string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(h, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSOLJSON(t *testing.T) {
	data := []byte("\x00\xbf\x00\x00\x00\x1c" + "TCSO\x00\x04\x00\x00\x00\x00" + "\x00\x01s\x00\x00\x00\x03" + "\x03a\x06\x03x\x00" + "\x03b\x06\x02\x00")
	s, err := amf.UnmarshalSOL(data)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := AppendSOL(nil, s, nil)
	if err != nil || string(plain) != `{"sol":"s","version":3,"data":{"a":"x","b":"x"}}` {
		t.Errorf("plain = %s, %v", plain, err)
	}
	typed, err := AppendSOL(nil, s, &Options{Typed: true})
	if err != nil {
		t.Fatal(err)
	}
	if !IsSOLJSON(typed) || !IsSOLJSON(plain) || IsSOLJSON([]byte(`{"a":1}`)) {
		t.Error("IsSOLJSON misjudges")
	}
	back, err := SOLFromJSON(typed)
	if err != nil {
		t.Fatal(err)
	}
	out, err := amf.MarshalSOL(back)
	if err != nil || !bytes.Equal(out, data) {
		t.Errorf("round trip: %x, %v; want %x", out, err, data)
	}
	if _, err := SOLFromJSON([]byte(`{"sol": "x", "version": 2, "data": {}}`)); err == nil || err.Error() != `json: version must be 0 or 3 at "/version", line 1, column 25 (offset 24)` {
		t.Errorf("bad version: %v", err)
	}
}

// The JSON writer accepts the Go numbers the encoders accept (one helper,
// amf.GoInt and amf.GoNumber), uint among them.
func TestGoNumbers(t *testing.T) {
	type celsius float64
	for _, tc := range []struct {
		v            any
		plain, typed string
	}{
		{uint(7), `7`, `7`},
		{uint64(1 << 40), `1099511627776`, `1099511627776`},
		{uint64(1 << 63), `9.223372036854776e+18`, `9223372036854776000.0`}, // a double, printed shortest (plain: with an exponent past 2^53, so that it reads back)
		{float32(1.5), `1.5`, `1.5`},
		{celsius(-2.5), `-2.5`, `-2.5`},
		{[]any{int8(-1), uint16(2)}, `[-1,2]`, `[-1,2]`},
	} {
		if got := toJSON(t, tc.v, nil); got != tc.plain {
			t.Errorf("plain %T = %s, want %s", tc.v, got, tc.plain)
		}
		if got := toJSON(t, tc.v, &Options{Typed: true}); got != tc.typed {
			t.Errorf("typed %T = %s, want %s", tc.v, got, tc.typed)
		}
	}
}

// The streaming forms write what the Append forms return, long strings
// and ByteArrays (written in pieces) included.
func TestStreamingForms(t *testing.T) {
	long := strings.Repeat("é\"\\x\n", 400000)
	vals := []any{amftest.W1(20), &amf.ByteArray{Data: bytes.Repeat([]byte{0xFB, 1, 2}, 700001)},
		&amf.Array{Dense: []any{long, long, &amf.Object{Members: []amf.Member{{Name: "s", Value: long}}}}}}
	for _, v := range vals {
		data, err := amf.Marshal(v, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []*Options{{}, {Typed: true}, {Indent: " "}} {
			want, err := AppendAMF(nil, data, amf.AMF3, o)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := WriteAMF(&out, data, amf.AMF3, o); err != nil || !bytes.Equal(out.Bytes(), want) {
				t.Fatalf("WriteAMF: %d bytes (%v), AppendAMF %d", out.Len(), err, len(want))
			}
		}
		js, _ := AppendAMF(nil, data, amf.AMF3, &Options{})
		want, err := AppendJSONAsAMF(nil, js, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := WriteJSONAsAMF(&out, js, amf.AMF3); err != nil || !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("WriteJSONAsAMF: %d bytes (%v), AppendJSONAsAMF %d", out.Len(), err, len(want))
		}
	}
	// Typed JSON goes through the model, and says the same errors.
	var out bytes.Buffer
	if err := WriteJSONAsAMF(&out, []byte(`{"a": {"$date": 1}}`), amf.AMF3); err != nil || out.Len() == 0 {
		t.Fatalf("typed JSON: %v", err)
	}
	_, want := AppendJSONAsAMF(nil, []byte(`[1, 1e999]`), amf.AMF3)
	if err := WriteJSONAsAMF(&out, []byte(`[1, 1e999]`), amf.AMF3); err == nil || want == nil || err.Error() != want.Error() {
		t.Fatalf("error %v, want %v", err, want)
	}
}

// TestDirectAMF0NamesBySlot holds the AMF0 name cache (a name written
// again when it is the last of its place, BatchToken.Again) to the value
// model: names that differ at one place from object to object, that
// differ only in a trailing NUL, that are longer than 16 bytes or not
// ASCII, names around values read a token at a time (a reference), and
// conversions in a row that share the pooled converter.
func TestDirectAMF0NamesBySlot(t *testing.T) {
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: 1.0}}}
	objs := [][]amf.Member{
		{{Name: "a", Value: 1.0}, {Name: "bb", Value: "x"}, {Name: "a\x00", Value: 2.0}},
		{{Name: "a", Value: 1.0}, {Name: "a\x00", Value: 3.0}, {Name: "bb", Value: "y"}},
		{{Name: "0123456789abcdefg", Value: 1.0}, {Name: "a", Value: "long name first"}},
		{{Name: "0123456789abcdefh", Value: 1.0}, {Name: "a", Value: true}},
		{{Name: "a", Value: shared}, {Name: "bb", Value: shared}, {Name: "a\x00", Value: nil}},
		{{Name: "é", Value: 1.0}, {Name: "bb", Value: 2.0}, {Name: "a", Value: 3.0}},
		{{Name: "é", Value: 1.0}, {Name: "bb", Value: 2.0}, {Name: "a", Value: 3.0}},
		// Names of 7, 8, 9 and 16 bytes that differ in their last byte.
		{{Name: "abcdefg", Value: 1.0}, {Name: "abcdefgh", Value: 1.0}, {Name: "abcdefghi", Value: 1.0}, {Name: "abcdefghijklmnop", Value: 1.0}},
		{{Name: "abcdefG", Value: 1.0}, {Name: "abcdefgH", Value: 1.0}, {Name: "abcdefghI", Value: 1.0}, {Name: "abcdefghijklmnoP", Value: 1.0}},
		{{Name: "a", Value: &amf.Object{Members: []amf.Member{{Name: "bb", Value: 1.0}}}}, {Name: "x", Value: []any{1.0, "s"}}},
		{{Name: "a", Value: &amf.Object{Members: []amf.Member{{Name: "cc", Value: 1.0}}}}, {Name: "y", Value: []any{2.0}}},
	}
	var items []any
	for round := 0; round < 2; round++ {
		for _, ms := range objs {
			items = append(items, &amf.Object{Members: ms})
		}
	}
	data, err := amf.Marshal(items, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	checkDirect(t, data, amf.AMF0, &Options{})
	// Latin-1 values among ASCII ones: the warning names the path.
	latin1, _ := hex.DecodeString("0a00000002" + "03000161020004636166e900016202000178000009" + "030001610200017800016202000462e97265000009")
	checkDirect(t, latin1, amf.AMF0, &Options{})
	var warns []string
	if _, err := AppendAMF(nil, latin1, amf.AMF0, &Options{Warn: func(s string) { warns = append(warns, s) }}); err != nil || len(warns) != 1 || !strings.Contains(warns[0], "/0/a") {
		t.Fatalf("Latin-1 AMF0 strings: warnings %q, %v", warns, err)
	}
	// The same places with other names, in the next conversion.
	other, err := amf.Marshal([]any{&amf.Object{Members: []amf.Member{{Name: "b", Value: 1.0}, {Name: "a", Value: 2.0}}}}, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := AppendAMF(nil, other, amf.AMF0, &Options{})
	if err != nil || string(got) != "[{\"b\":1,\"a\":2}]\n" {
		t.Fatalf("after another conversion: %s, %v", got, err)
	}
	checkDirect(t, data, amf.AMF0, &Options{})
}

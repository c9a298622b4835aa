package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// Rules of protocol-digest.md that no other test of this package held
// on their own (audit9). Each case names its section.

// decodeOne decodes hex as one value of ver, failing the test on an error.
func decodeOne(t *testing.T, ver Version, hex string) any {
	t.Helper()
	var v any
	if err := Unmarshal(mustHex(hex), ver, &v); err != nil {
		t.Fatalf("decode %s: %v", hex, err)
	}
	return v
}

// §1.4: a typed object (0x10) takes a slot in the AMF0 table like an
// anonymous one, so 07 00 01 after the argument array (slot 0) and the
// typed object (slot 1) is that object; the encoder writes the same
// pointer back as that reference.
func TestAudit9AMF0TypedObjectRegisters(t *testing.T) {
	const in = `0A 00 00 00 02 10 00 01 "P" 00 01 "n" 02 00 01 "x" 00 00 09 07 00 01`
	arr := decodeOne(t, AMF0, in).(*Array)
	p, ok := arr.Dense[0].(*Object)
	if !ok || p.Class != "P" || arr.Dense[1] != any(p) {
		t.Fatalf("decoded %s, want [P{n:x}, the same P]", show(arr))
	}
	out, err := Marshal(arr, AMF0)
	if err != nil || !bytes.Equal(out, mustHex(in)) {
		t.Errorf("Marshal = % X, %v\nwant % X", out, err, mustHex(in))
	}
}

// §1.4: the AMF0 index is a U16, so a shared value registered past slot
// 65535 cannot be referenced: the encoder writes it inline again (as
// PyAMF does), while slot 65535 itself is still 07 FF FF; a cycle
// through an unreferenceable value is an encode error, not a hang or a
// wrong reference.
func TestAudit9AMF0ReferencePast65535(t *testing.T) {
	items := make([]any, 0, 65538)
	for i := 0; i < 65535; i++ { // slots 1 to 65535 (the array is slot 0)
		items = append(items, &Object{})
	}
	late := &Object{Members: []Member{m("k", true)}} // slot 65536
	items = append(items, late, late, items[65534])
	out, err := Marshal(items, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	tail := mustHex(`03 00 01 "k" 01 01 00 00 09 03 00 01 "k" 01 01 00 00 09 07 FF FF`)
	if !bytes.HasSuffix(out, tail) {
		t.Errorf("last three values: % X\nwant the object inline twice, then 07 FF FF: % X", out[len(out)-len(tail):], tail)
	}
	var v any
	if err := Unmarshal(out, AMF0, &v); err != nil {
		t.Fatalf("the output does not read back: %v", err)
	}
	if d := v.(*Array).Dense; len(d) != 65538 || d[65537] != d[65534] || d[65536] == d[65535] {
		t.Errorf("read back: %d items, last is item 65534: %v", len(d), d[65537] == d[65534])
	}

	cyc := &Object{}
	cyc.Members = []Member{m("self", cyc)}
	_, err = Marshal(append(items[:65535:65535], cyc), AMF0)
	var ee *EncodeError
	if err == nil || !errors.As(err, &ee) || !strings.Contains(err.Error(), `"/65535/self`) {
		t.Errorf("a cycle past slot 65535: err %v, want an *EncodeError naming /65535/self", err)
	}
}

// §1.4 (followed since open11; audit9 had it "not followed"): the
// encoder never writes a reference to an XML document, nor to an entry
// made after one, since Flash Player counts the document in the AMF0
// table and BlazeDS and RocketAMF do not; a value met again there is
// written in full. audit9's two examples, as a packet message and as a
// bare value; a part read with a reference that needed the XML's slot
// (Message.XMLRefs) is numbered as Flash numbers it instead
// (TestXMLRefsFlashCaptureOpen11: the digest's own capture, byte for
// byte).
func TestAudit9AMF0EncoderXMLRecommendation(t *testing.T) {
	x := &XML{Text: "<a/>", Document: true}
	o := obj0(m("k", "v"))
	for _, tc := range []struct {
		v    []any
		want string
	}{
		{[]any{x, o, o}, `0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 01 "k" 02 00 01 "v" 00 00 09 03 00 01 "k" 02 00 01 "v" 00 00 09`},
		{[]any{x, x}, `0A 00 00 00 02 0F 00 00 00 04 "<a/>" 0F 00 00 00 04 "<a/>"`},
	} {
		want := mustHex(tc.want)
		out, err := Marshal(tc.v, AMF0)
		if err != nil || !bytes.Equal(out, want) {
			t.Errorf("Marshal = % X, %v\nwant % X", out, err, want)
		}
		pk, err := MarshalPacket(&Packet{Messages: []Message{{Target: "a.b", Response: "/1", Value: tc.v}}})
		if err != nil || !bytes.HasSuffix(pk, want) {
			t.Errorf("MarshalPacket = % X, %v\nwant the value % X", pk, err, want)
		}
		pk, err = MarshalPacket(&Packet{Messages: []Message{{Target: "a.b", Response: "/1", Value: tc.v, XMLRefs: true}}})
		if err != nil || bytes.HasSuffix(pk, want) || !bytes.Contains(pk, []byte{m0Reference, 0}) {
			t.Errorf("with XMLRefs: % X, %v: want Flash's reference", pk, err)
		}
	}
}

// §2.5: XML and XMLDocument text go to the object table, never to the
// string table, so a string reference after one has nothing to point
// at; the error names the offset and the path.
func TestAudit9AMF3XMLTextNotInStringTable(t *testing.T) {
	for _, marker := range []string{"0B", "07"} {
		in := `09 05 01 ` + marker + ` 09 "<a/>" 06 00`
		var v any
		err := Unmarshal(mustHex(in), AMF3, &v)
		want := `amf3: invalid string reference 0 (table has 0) within "/1" at offset 10`
		if err == nil || err.Error() != want || !errors.Is(err, ErrReference) {
			t.Errorf("%s: err %v\nwant %s (ErrReference)", in, err, want)
		}
	}
}

// §2.5: the element type name of a Vector.<Object> is in the string
// table, so the second vector's name "Foo" is string reference 0; the
// encoder writes it as that reference.
func TestAudit9AMF3VectorTypeNameInStringTable(t *testing.T) {
	const in = `09 05 01 10 01 00 07 "Foo" 10 01 00 00`
	arr := decodeOne(t, AMF3, in).(*Array)
	for i, x := range arr.Dense {
		if vec, ok := x.(*Vector); !ok || vec.Type != VectorObject || vec.ObjectType != "Foo" {
			t.Errorf("item %d = %s, want an empty Vector.<Foo>", i, show(x))
		}
	}
	a := &Vector{Type: VectorObject, ObjectType: "Foo", Objects: []any{}}
	b := &Vector{Type: VectorObject, ObjectType: strings.Clone("Foo"), Objects: []any{}}
	out, err := Marshal([]any{a, b}, AMF3)
	if err != nil || !bytes.Equal(out, mustHex(in)) {
		t.Errorf("Marshal = % X, %v\nwant % X", out, err, mustHex(in))
	}
}

// §2.8: an array takes its object-table slot before its associative
// part is read, so a member of that part can be the array itself.
func TestAudit9AMF3AssocArrayRegistersFirst(t *testing.T) {
	const in = `09 01 03 "k" 09 00 01`
	arr := decodeOne(t, AMF3, in).(*Array)
	if len(arr.Assoc) != 1 || arr.Assoc[0].Name != "k" || arr.Assoc[0].Value != any(arr) || len(arr.Dense) != 0 {
		t.Fatalf("decoded %s, want {k: itself}", show(arr))
	}
	out, err := Marshal(arr, AMF3)
	if err != nil || !bytes.Equal(out, mustHex(in)) {
		t.Errorf("Marshal = % X, %v\nwant % X", out, err, mustHex(in))
	}
}

// §7 #16: the encoder registers every XML value, an empty one too, so an
// object after it is object 2 (array 0, XML 1).
func TestAudit9AMF3EmptyXMLRegisteredOnWrite(t *testing.T) {
	o := &Object{}
	out, err := Marshal([]any{&XML{}, o, o}, AMF3)
	want := mustHex(`09 07 01 0B 01 0A 0B 01 01 0A 04`)
	if err != nil || !bytes.Equal(out, want) {
		t.Errorf("Marshal = % X, %v\nwant % X", out, err, want)
	}
}

// §7 #6: the encoder writes a Go time.Time's AMF0 zone as 0 whatever its
// location, and never shifts the milliseconds by the location's offset.
func TestAudit9AMF0TimeZoneWrittenZero(t *testing.T) {
	for _, loc := range []*time.Location{time.FixedZone("east", 3600), time.FixedZone("west", -5*3600)} {
		out, err := Marshal(time.UnixMilli(1111111111000).In(loc), AMF0)
		want := mustHex("0B 42 70 2B 36 21 15 80 00 00 00")
		if err != nil || !bytes.Equal(out, want) {
			t.Errorf("%s: Marshal = % X, %v; want % X", loc, out, err, want)
		}
	}
}

// §3.2: a version-0 packet may still hold 0x11 switches (a PyAMF test
// vector, quoted in the digest): the version does not decide how values
// are read, the markers do. The AMF3 string table is shared by keys and
// values inside the switch ("test" is string reference 1).
func TestAudit9Version0PacketWithSwitch(t *testing.T) {
	in := mustHex(`00 00 00 00 00 01 00 0B "createGroup" 00 02 "/1" 00 00 00 1C ` +
		`0A 00 00 00 01 11 0A 0B 01 09 "strA" 06 09 "test" 09 "strB" 06 02 01`)
	p, err := UnmarshalPacket(in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 0 || len(p.Messages) != 1 || p.Messages[0].Target != "createGroup" || p.Messages[0].Response != "/1" {
		t.Fatalf("packet %+v", p)
	}
	args, ok := p.Messages[0].Value.(*Array)
	if !ok || len(args.Dense) != 1 {
		t.Fatalf("value %s, want one argument", show(p.Messages[0].Value))
	}
	sw, ok := args.Dense[0].(AVMPlus)
	want := anon(m("strA", "test"), m("strB", "test"))
	if !ok || !valueEqual(sw.Value, want) {
		t.Fatalf("argument %s, want AVMPlus{%s}", show(args.Dense[0]), show(want))
	}
	out, err := MarshalPacket(p)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("MarshalPacket = % X, %v\nwant % X", out, err, in)
	}
}

// §3.7 (encoder): references never cross header or body boundaries. The
// same Go object in a header and in two bodies is written inline each
// time, each value's length is exact (§7 #10), and the packet reads back.
func TestAudit9PacketNoReferencesAcrossValues(t *testing.T) {
	o := &Object{Members: []Member{m("k", "v")}}
	p := &Packet{
		Headers: []Header{{Name: "H", Value: o}},
		Messages: []Message{
			{Target: "a.b", Response: "/1", Value: &Array{Dense: []any{o, o}}},
			{Target: "a.c", Response: "/2", Value: &Array{Dense: []any{o}}},
		},
	}
	out, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	obj := `03 00 01 "k" 02 00 01 "v" 00 00 09`
	want := mustHex(`00 00 00 01 00 01 "H" 00 00 00 00 0B ` + obj +
		` 00 02 00 03 "a.b" 00 02 "/1" 00 00 00 13 0A 00 00 00 02 ` + obj + ` 07 00 01` +
		` 00 03 "a.c" 00 02 "/2" 00 00 00 10 0A 00 00 00 01 ` + obj)
	if !bytes.Equal(out, want) {
		t.Errorf("MarshalPacket = % X\nwant % X", out, want)
	}
	// The same in AMF3 through the switch: a new string and traits table
	// for each value.
	p = &Packet{Version: 3, Messages: []Message{
		{Target: "a.b", Response: "/1", Value: &Array{Dense: []any{AVMPlus{"ab"}}}},
		{Target: "a.c", Response: "/2", Value: &Array{Dense: []any{AVMPlus{"ab"}}}},
	}}
	out, err = MarshalPacket(p)
	want = mustHex(`00 03 00 00 00 02 00 03 "a.b" 00 02 "/1" 00 00 00 0A 0A 00 00 00 01 11 06 05 "ab"` +
		` 00 03 "a.c" 00 02 "/2" 00 00 00 0A 0A 00 00 00 01 11 06 05 "ab"`)
	if err != nil || !bytes.Equal(out, want) {
		t.Errorf("MarshalPacket (AMF3) = % X, %v\nwant % X", out, err, want)
	}
}

// §3.6: PyAMF's AMF0 fault reply (testdata/pyamf/vectors, written by
// PyAMF) is an /onStatus body whose value is a plain AMF0 object
// (marker 0x03) with code, description, details, level and type.
func TestAudit9FaultBodyPyAMF(t *testing.T) {
	data, err := os.ReadFile("../testdata/pyamf/vectors/env_resp_fault_amf0.amf")
	if err != nil {
		t.Fatal(err)
	}
	if data[29] != 0x03 {
		t.Fatalf("byte 29 = %02X, want the object marker 03", data[29])
	}
	p, err := UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	msg := p.Messages[0]
	o, ok := msg.Value.(*Object)
	if msg.Target != "/1/onStatus" || msg.Response != "null" || !ok || o.Class != "" {
		t.Fatalf("body %q %q %s, want /1/onStatus with an anonymous object", msg.Target, msg.Response, show(msg.Value))
	}
	want := obj0(m("code", "Echo.Failure"), m("description", "boom"), m("details", ""), m("level", "error"), m("type", ""))
	if !valueEqual(o, want) {
		t.Errorf("fault %s\nwant %s", show(o), show(want))
	}
	// The digest's own example value (level, code, description).
	v := decodeOne(t, AMF0, `03 00 05 "level" 02 00 05 "error" 00 04 "code" 02 00 12 "Server.Call.Failed" 00 0B "description" 02 00 04 "boom" 00 00 09`)
	if !valueEqual(v, obj0(m("level", "error"), m("code", "Server.Call.Failed"), m("description", "boom"))) {
		t.Errorf("digest example fault = %s", show(v))
	}
}

// solBytes frames an AMF0 or AMF3 .sol body (from the name on) with the
// header of §6.1, the length field computed here.
func solBytes(name string, ver byte, entries string) []byte {
	body := append([]byte("TCSO\x00\x04\x00\x00\x00\x00"), byte(len(name)>>8), byte(len(name)))
	body = append(body, name...)
	body = append(body, 0, 0, 0, ver)
	body = append(body, mustHex(entries)...)
	out := []byte{0x00, 0xBF, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(out[2:], uint32(len(body)))
	return append(out, body...)
}

// §6.1: the writer builds the header and recomputes the length field
// from a SOL made in Go (not read), giving the digest's example bytes,
// and after a member is added to a read file.
func TestAudit9SOLWriterLength(t *testing.T) {
	cases := []struct {
		s    *SOL
		want string
	}{
		{&SOL{Name: "hello", Version: AMF0}, "00 BF 00 00 00 15 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00"},
		{&SOL{Name: "hello", Version: AMF0, Members: []Member{{"name", "value"}}},
			"00 BF 00 00 00 24 54 43 53 4F 00 04 00 00 00 00 00 05 68 65 6C 6C 6F 00 00 00 00 00 04 6E 61 6D 65 02 00 05 76 61 6C 75 65 00"},
		{&SOL{Name: "EchoTest", Version: AMF3, Members: []Member{{"httpUri", "http://localhost:8000/gateway/"}, {"rtmpUri", "rtmp://localhost/echo"}}},
			`00 BF 00 00 00 61 54 43 53 4F 00 04 00 00 00 00 00 08 "EchoTest" 00 00 00 03 0F "httpUri" 06 3D "http://localhost:8000/gateway/" 00 0F "rtmpUri" 06 2B "rtmp://localhost/echo" 00`},
	}
	for _, tc := range cases {
		out, err := MarshalSOL(tc.s)
		if err != nil || !bytes.Equal(out, mustHex(tc.want)) {
			t.Errorf("MarshalSOL(%s) = % X, %v\nwant % X", tc.s.Name, out, err, mustHex(tc.want))
		}
	}
	s, err := UnmarshalSOL(mustHex(cases[0].want))
	if err != nil {
		t.Fatal(err)
	}
	s.Members = append(s.Members, Member{"name", "value"})
	out, err := MarshalSOL(s)
	if err != nil || !bytes.Equal(out, mustHex(cases[1].want)) {
		t.Errorf("after adding a member: % X, %v\nwant % X", out, err, mustHex(cases[1].want))
	}
}

// §6.1: in an AMF3 .sol the three tables span the whole file: entry b
// is object reference 0 (entry a's object), entry c uses traits
// reference 0 and the string "x" by reference (table: a, x, b, c).
func TestAudit9SOLAMF3TablesSpanFile(t *testing.T) {
	in := solBytes("s", 3, `03 "a" 0A 0B 01 03 "x" 04 01 01 00  03 "b" 0A 00 00  03 "c" 0A 01 02 04 02 01 00`)
	s, err := UnmarshalSOL(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Members) != 3 {
		t.Fatalf("members %v", s.Members)
	}
	a, b, c := s.Members[0].Value, s.Members[1].Value, s.Members[2].Value
	if !valueEqual(a, anon(m("x", Int(1)))) || b != a || !valueEqual(c, anon(m("x", Int(2)))) || c == a {
		t.Errorf("a=%s b=%s c=%s; want b the same object as a, c {x:2}", show(a), show(b), show(c))
	}
	out, err := MarshalSOL(s)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("MarshalSOL = % X, %v\nwant % X", out, err, in)
	}
}

// §6.2: the digest's FLV example: header with audio and video flags,
// one script tag (type 0x12, 0x38 bytes) holding onMetaData and an ECMA
// array, then PreviousTagSize 11 + 0x38 = 0x43 (not a tag of its own).
func TestAudit9FLVDigestExample(t *testing.T) {
	data := mustHex(`46 4C 56 01 05 00 00 00 09 00 00 00 00
		12 00 00 38 00 00 00 00 00 00 00
		02 00 0A "onMetaData"
		08 00 00 00 02
		00 08 "duration" 00 40 24 00 00 00 00 00 00
		00 05 "width" 00 40 84 00 00 00 00 00 00
		00 00 09
		00 00 00 43`)
	fr := NewFLVReader(data)
	h, err := fr.Header()
	if err != nil || h != (FLVHeader{Version: 1, Flags: 5, Size: 9}) {
		t.Fatalf("Header() = %+v, %v", h, err)
	}
	got := readBothWays(t, data)
	wantTag := FLVTag{Index: 0, Offset: 13, PrevSize: 0, Type: FLVTagScript, Size: 0x38}
	if got.Err != nil || len(got.Tags) != 1 || got.Tags[0] != wantTag || len(got.Scripts) != 1 {
		t.Fatalf("tags %+v, scripts %d, err %v; want one tag %+v", got.Tags, len(got.Scripts), got.Err, wantTag)
	}
	s := got.Scripts[0]
	want := &ECMAArray{Members: []Member{m("duration", 10.0), m("width", 640.0)}}
	if s.Name != "onMetaData" || !valueEqual(s.Value, want) || s.Extra != nil || s.Unterminated {
		t.Errorf("script %+v, want onMetaData %s", s, show(want))
	}
	// "some writers use an object": the same members in an 0x03 object.
	obj := mustHex(`46 4C 56 01 05 00 00 00 09 00 00 00 00
		12 00 00 34 00 00 00 00 00 00 00
		02 00 0A "onMetaData"
		03
		00 08 "duration" 00 40 24 00 00 00 00 00 00
		00 05 "width" 00 40 84 00 00 00 00 00 00
		00 00 09
		00 00 00 3F`)
	got = readBothWays(t, obj)
	if got.Err != nil || len(got.Scripts) != 1 || !valueEqual(got.Scripts[0].Value, obj0(m("duration", 10.0), m("width", 640.0))) {
		t.Errorf("object onMetaData: %+v, %v", got.Scripts, got.Err)
	}
}

// §4.6: an unknown set bit is consumed as one AMF3 value at every class
// level, not only the AbstractMessage one: the value is kept (so the
// bytes come back the same) and the known fields after it still read.
func TestAudit9SmallMessageUnknownBitsEveryLevel(t *testing.T) {
	cases := []struct {
		name, hex, member string
		unknown           Int
		known             map[string]any
	}{
		{"DSA async level bit 2", `0A 07 07 "DSA" 00 05 06 03 "c" 04 07`, "unknown_1_0_2", 7, map[string]any{"correlationId": "c"}},
		{"DSA async level second flag byte", `0A 07 07 "DSA" 01 06 03 "b" 80 01 04 09`, "unknown_1_1_0", 9, map[string]any{"body": "b"}},
		{"DSK acknowledge level", `0A 07 07 "DSK" 00 00 01 04 09`, "unknown_2_0_0", 9, nil},
		{"DSC command level bit 1", `0A 07 07 "DSC" 00 00 03 04 02 04 09`, "unknown_2_0_1", 9, map[string]any{"operation": Int(2)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o, ok := decodeOne(t, AMF3, tc.hex).(*Object)
			if !ok {
				t.Fatalf("not an object")
			}
			if v, ok := o.Get(tc.member); !ok || v != any(tc.unknown) {
				t.Errorf("%s = %v (%v), want the unknown value", tc.member, v, ok)
			}
			for name, want := range tc.known {
				if v, _ := o.Get(name); v != want {
					t.Errorf("%s = %v, want %v", name, v, want)
				}
			}
			out, err := Marshal(o, AMF3)
			if err != nil || !bytes.Equal(out, mustHex(tc.hex)) {
				t.Errorf("Marshal = % X, %v\nwant % X", out, err, mustHex(tc.hex))
			}
		})
	}
}

// §2.5 (table lifetime) and §5.1: every AMF Socket frame has reference
// tables of its own. A string reference in the second frame to a string
// of the first has nothing to point at (the error names the frame and
// the offset), and the writer writes the same string inline in each
// frame.
func TestAudit9FrameTablesPerFrame(t *testing.T) {
	var in []byte
	in = append(in, mustHex(`00 00 00 03 06 03 "x"`)...)
	in = append(in, mustHex(`00 00 00 02 06 00`)...)
	fr := NewFrameReader(bytes.NewReader(in))
	var v any
	if err := fr.Decode(&v); err != nil || v != "x" {
		t.Fatalf("frame 0 = %v, %v", v, err)
	}
	err := fr.Decode(&v)
	var fe *FrameError
	const want = "amf: frame 2 at offset 7: amf3: invalid string reference 0 (table has 0) at offset 1"
	if !errors.As(err, &fe) || !errors.Is(err, ErrReference) || err.Error() != want {
		t.Fatalf("second frame: %v\nwant %s (a *FrameError, ErrReference)", err, want)
	}

	out, err := AppendFrame(nil, "x")
	if err == nil {
		out, err = AppendFrame(out, "x")
	}
	if want := mustHex(`00 00 00 03 06 03 "x" 00 00 00 03 06 03 "x"`); err != nil || !bytes.Equal(out, want) {
		t.Errorf("two frames = % X, %v; want % X", out, err, want)
	}
}

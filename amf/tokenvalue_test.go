package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// requestPacket is a packet of one request message "a.b" whose value is
// the given bytes.
func requestPacket(value []byte) []byte {
	p := mustHex("00 03 0000 0001 0003 612e62 0002 2f31")
	p = binary.BigEndian.AppendUint32(p, uint32(len(value)))
	return append(p, value...)
}

// A reference in a later 0x11 switch to a string or traits of an earlier
// one, wherever it stands, marks the message (CrossEscapeRefs), and the
// packet is written back byte for byte.
func TestCrossEscapeRefsEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value string
		cross bool
	}{
		{"string value", "0A 00000002 11 06 0378 11 06 00", true},
		{"string inline again", "0A 00000002 11 06 0378 11 06 0378", false},
		{"traits", "0A 00000002 11 0A 0B 01 0361 0401 01 11 0A 01 01", true},
		{"traits inline again", "0A 00000002 11 0A 0B 01 0361 0401 01 11 0A 0B 01 0362 0401 01", false},
		{"class name", "0A 00000002 11 06 07466f6f 11 0A 0B 00 01", true},
		{"sealed name", "0A 00000002 11 06 0378 11 0A 13 01 00 0405", true},
		{"dynamic name", "0A 00000002 11 06 0378 11 0A 0B 01 00 0405 01", true},
		{"vector type", "0A 00000002 11 06 07466f6f 11 10 01 00 00", true},
		{"vector type inline", "0A 00000002 11 06 07466f6f 11 10 01 00 07466f6f", false},
		{"one switch", "11 0A 0B 01 0378 06 00 01", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := requestPacket(mustHex(tc.value))
			p, err := UnmarshalPacket(data)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Messages[0].CrossEscapeRefs; got != tc.cross {
				t.Errorf("CrossEscapeRefs = %v, want %v", got, tc.cross)
			}
			out, err := MarshalPacket(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("written back as\n%x\nwant\n%x", out, data)
			}
		})
	}
}

// A stream Reader hands a long string, XML document or ByteArray over
// StreamOver to Body; ReadValue reads it whole all the same.
func TestReadValueStreamed(t *testing.T) {
	long := strings.Repeat("abcdefgh", 40000) // 320,000 bytes
	lenU32 := binary.BigEndian.AppendUint32(nil, uint32(len(long)))
	for _, tc := range []struct {
		name string
		ver  Version
		data []byte
		want func(any) bool
	}{
		{"amf0 long string", AMF0, append(append([]byte{0x0C}, lenU32...), long...),
			func(v any) bool { return v == long }},
		{"amf0 xml document", AMF0, append(append([]byte{0x0F}, lenU32...), long...),
			func(v any) bool { x, ok := v.(*XML); return ok && x.Document && x.Text == long }},
		{"amf3 bytearray", AMF3, append(append([]byte{0x0C}, AppendU29(nil, uint32(len(long))<<1|1)...), long...),
			func(v any) bool { b, ok := v.(*ByteArray); return ok && string(b.Data) == long }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewStreamReader(iotest.HalfReader(bytes.NewReader(tc.data)), tc.ver)
			r.StreamOver = 1 << 10
			v, err := r.ReadValue()
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want(v) {
				t.Fatalf("ReadValue = %.60v", v)
			}
			if _, err := r.ReadValue(); err != io.EOF {
				t.Fatalf("then %v, want io.EOF", err)
			}
			// Cut short inside the streamed bytes: the error is the
			// one the input held whole gives, at the length (fuzz11;
			// before, where the stream ended).
			cut := tc.data[:len(tc.data)-10]
			r = NewStreamReader(bytes.NewReader(cut), tc.ver)
			r.StreamOver = 1 << 10
			_, err = r.ReadValue()
			_, want := UnmarshalAll(cut, tc.ver)
			var se *SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, io.ErrUnexpectedEOF) || se.Offset != 1 || want == nil || err.Error() != want.Error() {
				t.Fatalf("cut short: %v; held whole: %v", err, want)
			}
		})
	}
}

// AllowInvalidUTF8 gives U+FFFD for a string that is not UTF-8 however
// often the same bytes were decoded before without it (the decoders are
// pooled), and in the paths of errors.
func TestAllowInvalidUTF8Always(t *testing.T) {
	lossy, err := DecOptions{AllowInvalidUTF8: true}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	data := mustHex("02 0003 e96162") // "\xe9ab": Latin-1 "éab"
	for i := 0; i < 3; i++ {
		var v any
		if err := Unmarshal(data, AMF0, &v); err != nil || v != "\xe9ab" {
			t.Fatalf("default: %q, %v", v, err)
		}
		if err := lossy.Unmarshal(data, AMF0, &v); err != nil || v != "\uFFFDab" {
			t.Fatalf("AllowInvalidUTF8: %q, %v", v, err)
		}
	}
	// An object whose member "\xe9" holds a bad marker.
	bad := mustHex("03 0001 e9 30")
	var v any
	err = lossy.Unmarshal(bad, AMF0, &v)
	if want := `amf0: unknown or invalid marker 0x30 within "/` + "\uFFFD" + `" at offset 4`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
	err = Unmarshal(bad, AMF0, &v)
	if want := `amf0: unknown or invalid marker 0x30 within "/\xe9" at offset 4`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

// A stream Reader cannot hold a claimed count or length against the
// bytes left, so ReadValue allocates as items and bytes arrive: a few
// bytes that claim 16 million items or 200 MB cost little.
func TestReadValueStreamClaims(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  Version
		data []byte
	}{
		{"amf0 strict array", AMF0, mustHex("0A 00FFFFFF 05 05")},
		{"amf3 array", AMF3, mustHex("09 87FFFFFF 01 01 01")},
		{"amf3 vector of objects", AMF3, mustHex("10 87FFFFFF 00 01 01")},
		{"amf3 bytearray", AMF3, append(mustHex("0C"), AppendU29(nil, 200<<20<<1|1)...)},
		{"amf0 long string", AMF0, mustHex("0C 0C800000 616263")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r := NewStreamReader(bytes.NewReader(tc.data), tc.ver)
			_, err := r.ReadValue()
			runtime.ReadMemStats(&after)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("err = %v, want unexpected EOF", err)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
				t.Fatalf("allocated %d bytes", n)
			}
		})
	}
}

// Long strings take the same text rules as short ones: CESU-8 pairs
// combined, other bytes kept, U+FFFD only when asked.
func TestLongStringText(t *testing.T) {
	pad := strings.Repeat("x", 100)
	lossy, _ := DecOptions{AllowInvalidUTF8: true}.DecMode()
	for _, tc := range []struct {
		in, want, lossy string
	}{
		{pad + "\xed\xa0\xbd\xed\xb8\x80", pad + "\U0001F600", pad + "\U0001F600"},
		{pad + "\xe9t\xe9", pad + "\xe9t\xe9", pad + "\uFFFDt\uFFFD"},
		{pad + "\xed\xa0", pad + "\xed\xa0", pad + "\uFFFD\uFFFD"},
		{pad + "é", pad + "é", pad + "é"},
	} {
		data := append(binary.BigEndian.AppendUint16([]byte{0x02}, uint16(len(tc.in))), tc.in...)
		var v any
		if err := Unmarshal(data, AMF0, &v); err != nil || v != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, v, err, tc.want)
		}
		if err := lossy.Unmarshal(data, AMF0, &v); err != nil || v != tc.lossy {
			t.Errorf("%q with AllowInvalidUTF8: %q, %v; want %q", tc.in, v, err, tc.lossy)
		}
	}
}

// AMF0 member names are taken from the last object at the same depth
// when their bytes are the same (name0): objects alike, objects whose
// names differ or move, and a pooled decoder that decoded the same name
// bytes before in another mode.
func TestAMF0NamesFromLastObject(t *testing.T) {
	obj := func(names ...string) *Object {
		o := &Object{}
		for i, n := range names {
			o.Members = append(o.Members, Member{Name: n, Value: float64(i)})
		}
		return o
	}
	in := &Array{Dense: []any{
		obj("a", "b"), obj("a", "b"), obj("b", "a"), obj("a", "bb", "c"), obj(), obj("a"),
		&Array{Dense: []any{obj("b", "a"), obj("a", "b")}},
	}}
	data, err := Marshal(in, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		var v any
		if err := Unmarshal(data, AMF0, &v); err != nil {
			t.Fatal(err)
		}
		if got, want := show(v), show(in); got != want {
			t.Fatalf("Unmarshal(0x%x) = %s, want %s", data, got, want)
		}
	}
	lossy, err := DecOptions{AllowInvalidUTF8: true}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	latin := mustHex("03 0001 e9 00 3ff0000000000000 000009") // {"\xe9": 1}
	for i := 0; i < 3; i++ {
		var v any
		if err := Unmarshal(latin, AMF0, &v); err != nil || v.(*Object).Members[0].Name != "\xe9" {
			t.Fatalf("default: %s, %v", show(v), err)
		}
		if err := lossy.Unmarshal(latin, AMF0, &v); err != nil || v.(*Object).Members[0].Name != "\uFFFD" {
			t.Fatalf("AllowInvalidUTF8: %s, %v", show(v), err)
		}
	}
}

// The AMF3 member loops keep what they learnt from the string and traits
// tables (the names of one-byte references, the model traits of the last
// two entries, the member count of the last object at a depth) only as
// long as the tables: objects that grow, shrink, change names midway or
// use names past the first 64 entries, typed objects of alternating
// classes with and without dynamic members, and a second value decoded by
// the same (pooled) builder whose table holds other names, all read back
// as written.
func TestAMF3NamesFromTable(t *testing.T) {
	obj := func(class string, names ...string) *Object {
		o := &Object{Class: class}
		for i, n := range names {
			o.Members = append(o.Members, Member{Name: n, Value: Int(i)})
		}
		return o
	}
	many := make([]string, 70) // table entries 0-69: names past 64 take two-byte references
	for i := range many {
		many[i] = "n" + strings.Repeat("x", i)
	}
	dyn := &Object{Class: "D", Traits: &Traits{Class: "D", Sealed: []string{"s"}, Dynamic: true},
		Members: []Member{{Name: "s", Value: Int(1)}, {Name: "a", Value: Int(2)}}}
	values := []*Array{
		{Dense: []any{obj("", "a", "b"), obj("", "a", "b"), obj("", "b", "a"), obj("", "a", "new", "b"),
			obj("", many...), obj("", many[60:]...), obj("", "a"), obj(""), obj("", "b", "a", "c", "d"),
			&Array{Dense: []any{obj("", "a", "b", "c"), obj("", "c")}}}},
		{Dense: []any{obj("", "x", "y"), obj("", "x", "y"), obj("", "y")}},
		{Dense: []any{obj("T", "a", "b"), obj("U", "c"), obj("T", "a", "b"), obj("U", "c"), dyn, obj("T", "a", "b"), dyn}},
	}
	var datas [][]byte
	for _, in := range values {
		data, err := Marshal(in, AMF3)
		if err != nil {
			t.Fatal(err)
		}
		datas = append(datas, data)
	}
	for round := 0; round < 3; round++ {
		for i, in := range values {
			var v any
			if err := Unmarshal(datas[i], AMF3, &v); err != nil {
				t.Fatalf("Unmarshal(0x%x): %v", datas[i], err)
			}
			got, err := Marshal(v, AMF3)
			if err != nil {
				t.Fatal(err)
			}
			// Names, values and their order are in the bytes written
			// back.
			if !bytes.Equal(got, datas[i]) {
				t.Fatalf("Unmarshal(0x%x) = %s (written back as 0x%x), want %s", datas[i], show(v), got, show(in))
			}
		}
	}
	// The same objects through 0x11 switches, one message after another.
	p := &Packet{Messages: []Message{
		{Target: "/1/onResult", Response: "null", Value: AVMPlus{values[0]}},
		{Target: "/2/onResult", Response: "null", Value: AVMPlus{values[1]}},
		{Target: "/3/onResult", Response: "null", Value: AVMPlus{values[2]}},
	}}
	data, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalPacket(data)
	if err != nil {
		t.Fatalf("UnmarshalPacket(0x%x): %v", data, err)
	}
	if again, err := MarshalPacket(got); err != nil || !bytes.Equal(again, data) {
		t.Fatalf("UnmarshalPacket(0x%x) writes back 0x%x (%v)", data, again, err)
	}
}

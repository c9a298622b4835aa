package amf_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// writeTokens writes a value of the model through the token amf.Writer,
// counting arrays only at their end when unknown is set.
func writeTokens(t *testing.T, w *amf.Writer, ver amf.Version, v any, unknown bool) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		w.WriteNull()
	case amf.Undefined:
		w.WriteUndefined()
	case bool:
		w.WriteBool(x)
	case amf.Int:
		w.WriteInt(int64(x))
	case float64:
		w.WriteDouble(x)
	case string:
		w.WriteString(x)
	case *amf.Date:
		w.WriteDate(x.Ms, x.TZ)
	case *amf.ByteArray:
		if ver == amf.AMF0 {
			w.Switch() // as the encoder does
		}
		w.WriteByteArray(x.Data)
	case *amf.XML:
		w.WriteXML(x.Text, x.Document)
	case amf.AVMPlus:
		w.Switch()
		writeTokens(t, w, amf.AMF3, x.Value, unknown)
	case *amf.Array:
		n := len(x.Dense)
		if unknown {
			n = -1
		}
		w.BeginArray(n)
		for _, it := range x.Dense {
			writeTokens(t, w, ver, it, unknown)
		}
		w.End()
	case *amf.Object:
		var tr *amf.Traits
		if x.Class != "" {
			tr = &amf.Traits{Class: x.Class}
			for _, m := range x.Members {
				tr.Sealed = append(tr.Sealed, m.Name)
			}
		}
		w.BeginObject(tr)
		for _, m := range x.Members {
			if tr == nil || ver == amf.AMF0 {
				w.WriteName(m.Name)
			}
			writeTokens(t, w, ver, m.Value, unknown)
		}
		w.End()
	default:
		t.Fatalf("writeTokens: %T", v)
	}
}

func TestWriterAgreesWithEncoder(t *testing.T) {
	big := make([]any, 70000)
	for i := range big {
		big[i] = amf.Int(i % 7)
	}
	values := []any{
		amftest.W1(50), amftest.W3(1000), amftest.W2(1000),
		&amf.Array{Dense: big},
		&amf.Array{Dense: []any{&amf.Array{Dense: make([]any, 100)}, "x", "x", "", 1.5, amf.Int(amf.MaxInt), amf.Int(amf.MinInt), true, amf.Undefined{}}},
		&amf.Object{Class: "com.example.T", Members: []amf.Member{{"a", "x"}, {"b", &amf.Object{Class: "com.example.T", Members: []amf.Member{{"a", amf.Int(1)}, {"b", nil}}}}}},
		"caf\xe9",
	}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		for i, v := range values {
			want, err := amf.Marshal(v, ver)
			if err != nil {
				continue // not every value has an amf.AMF0 form
			}
			for _, unknown := range []bool{false, true} {
				w := amf.AppendWriter([]byte{0xAA}, ver)
				writeTokens(t, w, ver, v, unknown)
				got, err := w.Bytes()
				if err != nil || len(got) == 0 || !bytes.Equal(got[1:], want) {
					if len(got) == 0 {
						got = []byte{0}
					}
					t.Errorf("%v value %d (unknown counts %v): amf.Writer wrote %d bytes (%v), the encoder %d; first difference at %d",
						ver, i, unknown, len(got)-1, err, len(want), firstDiff(got[1:], want))
				}
			}
		}
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// A packet with a amf.ByteArray streamed from a reader: exact lengths, bytes
// as amf.MarshalPacket writes them, and the content read only when sent.
func TestWriterPacketStreamed(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789"), 30000)
	p := &amf.Packet{Version: 3,
		Headers:  []amf.Header{{Name: "h", Value: "v"}},
		Messages: []amf.Message{{Target: "Svc.upload", Response: "/1", Value: &amf.Array{Dense: []any{amf.AVMPlus{&amf.ByteArray{Data: content}}, "name.png"}}}},
	}
	want, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	w := amf.NewWriter(nil, amf.AMF0)
	w.BeginPacket(3, 1)
	w.BeginHeader("h", false)
	w.WriteString("v")
	w.EndPart()
	w.BeginMessages(1)
	w.BeginMessage("Svc.upload", "/1")
	w.BeginArray(2)
	w.Switch()
	w.WriteByteArrayFrom(iotest.HalfReader(bytes.NewReader(content)), int64(len(content)))
	w.WriteString("name.png")
	w.End()
	if err := w.EndPart(); err != nil {
		t.Fatal(err)
	}
	if w.Len() != int64(len(want)) {
		t.Fatalf("Len = %d, want %d", w.Len(), len(want))
	}
	got, err := io.ReadAll(w.Reader())
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("streamed packet differs at %d (%v)", firstDiff(got, want), err)
	}

	// Through a destination, with a reader that ends early.
	var out bytes.Buffer
	w = amf.NewWriter(&out, amf.AMF3)
	err = w.WriteByteArrayFrom(strings.NewReader("abc"), 5)
	if err == nil || !strings.Contains(err.Error(), "ended after 3 bytes, 2 short") {
		t.Fatalf("short reader: %v", err)
	}
}

func TestWriterErrors(t *testing.T) {
	w := amf.NewWriter(nil, amf.AMF3)
	if err := w.WriteName("a"); err == nil || err.Error() != "amf3: a member name outside an object" {
		t.Errorf("WriteName at the top: %v", err)
	}
	w = amf.NewWriter(nil, amf.AMF0)
	if err := w.WriteByteArray([]byte{1}); err == nil || err.Error() != "amf0: a ByteArray needs AMF3 (write Switch first)" {
		t.Errorf("AMF0 ByteArray: %v", err)
	}
	w = amf.NewWriter(nil, amf.AMF3)
	if err := w.CheckString(amf.MaxInt + 1); err == nil || err.Error() != "amf3: string of 268435456 bytes is longer than the AMF3 limit of 268435455" {
		t.Errorf("CheckString: %v", err)
	}
}

// WritePacket writes what MarshalPacket writes, for every recorded packet.
func TestWritePacketAgreesWithMarshalPacket(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	more, _ := filepath.Glob("../testdata/pyamf/vectors/env_*.amf")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no packets found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := amf.UnmarshalPacket(data)
		if err != nil {
			continue
		}
		want, err := amf.MarshalPacket(p)
		if err != nil {
			continue
		}
		w := amf.NewWriter(nil, amf.AMF0)
		if err := w.WritePacket(p); err != nil {
			t.Errorf("%s: WritePacket: %v", f, err)
			continue
		}
		got, _ := w.Bytes()
		if !bytes.Equal(got, want) {
			t.Errorf("%s: WritePacket differs from MarshalPacket at %d", f, firstDiff(got, want))
		}
	}
}

// A ByteArrayStream deep inside a value (a Flex message body) is
// streamed with exact lengths around it.
func TestWriteValueStream(t *testing.T) {
	content := bytes.Repeat([]byte{1, 2, 3}, 100000)
	mk := func(ba any) *amf.Packet {
		body := &amf.Object{Class: "flex.messaging.messages.RemotingMessage", Members: []amf.Member{
			{Name: "body", Value: &amf.Array{Dense: []any{ba, "x.png"}}}, {Name: "operation", Value: "upload"}}}
		return &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "null", Response: "/2", Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: body}}}}}}
	}
	want, err := amf.MarshalPacket(mk(&amf.ByteArray{Data: content}))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := amf.NewWriter(&out, amf.AMF0)
	if err := w.WritePacket(mk(&amf.ByteArrayStream{R: iotest.OneByteReader(bytes.NewReader(content)), N: int64(len(content))})); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.Len() != int64(len(want)) || !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("streamed packet: %d bytes, differs at %d from the encoder's %d", out.Len(), firstDiff(out.Bytes(), want), len(want))
	}
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The token Writer and the value encoder share one set of tables: AMF3
// strings and traits are not referred to across 0x11 switches unless the
// mode says so, for tokens as for values.
func TestWriterSwitchScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cross bool
		want  string
	}{
		{"inline again", false, "0a 00000002 11 06 07 616263 11 06 07 616263"},
		{"CrossEscapeRefs", true, "0a 00000002 11 06 07 616263 11 06 00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := amf.EncOptions{CrossEscapeRefs: tc.cross}.EncMode()
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, tc.want)
			w := m.NewWriter(nil, amf.AMF0)
			w.BeginArray(2)
			for range 2 {
				w.Switch()
				w.WriteString("abc")
			}
			w.End()
			if got, err := w.Bytes(); err != nil || !bytes.Equal(got, want) {
				t.Errorf("tokens = %x, %v; want %x", got, err, want)
			}
			got, err := m.Marshal([]any{amf.AVMPlus{Value: "abc"}, amf.AVMPlus{Value: "abc"}}, amf.AMF0)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("Marshal = %x, %v; want %x", got, err, want)
			}
		})
	}
}

// WriteValue refers to what tokens wrote before it in the same context.
func TestWriterValueAfterTokens(t *testing.T) {
	w := amf.AppendWriter(nil, amf.AMF3)
	w.BeginObject(nil)
	w.WriteName("k")
	w.WriteValue("k")
	w.End()
	got, err := w.Bytes()
	want := unhex(t, "0a 0b 01 03 6b 06 00 01")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Writer = %x, %v; want %x", got, err, want)
	}
	m, err := amf.Marshal(&amf.Object{Members: []amf.Member{{Name: "k", Value: "k"}}}, amf.AMF3)
	if err != nil || !bytes.Equal(m, want) {
		t.Fatalf("Marshal = %x, %v; want %x", m, err, want)
	}
}

// WritePacket numbers each part as its fields say, as MarshalPacket does:
// with DateRefs the date met again is a reference, with CrossEscapeRefs
// the string of the second switch refers to the first.
func TestWritePacketNumbering(t *testing.T) {
	d := &amf.Date{Ms: 1}
	p := &amf.Packet{
		Headers: []amf.Header{{Name: "h", CrossEscapeRefs: true, Value: []any{amf.AVMPlus{Value: "abc"}, amf.AVMPlus{Value: "abc"}}}},
		Messages: []amf.Message{{Target: "a.b", Response: "/1", DateRefs: true, UnregisteredArgs: true,
			Value: &amf.Array{Dense: []any{d, d}}}},
	}
	want := unhex(t, "0000 0001 0001 68 00 0000000e 0a 00000002 11 06 07 616263 11 06 00"+
		" 0001 0003 612e62 0002 2f31 00000013 0a 00000002 0b 3ff0000000000000 0000 07 0000")
	got, err := amf.MarshalPacket(p)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("MarshalPacket =\n%x, %v; want\n%x", got, err, want)
	}
	var out bytes.Buffer
	w := amf.NewWriter(&out, amf.AMF0)
	if err := w.WritePacket(p); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil || !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("WritePacket =\n%x, %v; want\n%x", out.Bytes(), err, want)
	}
}

// Errors from a packet's values name where, whichever way it is written.
func TestWritePacketErrorPath(t *testing.T) {
	p := &amf.Packet{Messages: []amf.Message{{Target: "a.b", Response: "/1", Value: []any{1, make(chan int)}}}}
	const want = `amf0: value cannot be encoded: Go type chan int within "/messages/0/value/1"`
	if _, err := amf.MarshalPacket(p); err == nil || err.Error() != want {
		t.Errorf("MarshalPacket: %v, want %s", err, want)
	}
	w := amf.NewWriter(io.Discard, amf.AMF0)
	if err := w.WritePacket(p); err == nil || err.Error() != want {
		t.Errorf("WritePacket: %v, want %s", err, want)
	}
	if err := w.WriteNull(); err == nil || err.Error() != want {
		t.Errorf("the error does not stick: %v", err)
	}
}

// Counts and lengths past the limits fail before anything is written,
// with typed errors that say the limit.
func TestWriterLimits(t *testing.T) {
	w := amf.NewWriter(nil, amf.AMF3)
	err := w.BeginArray(amf.MaxInt + 1)
	if err == nil || err.Error() != "amf3: value cannot be encoded: array of 268435456 items is longer than the AMF3 limit of 268435455" || !errors.Is(err, amf.ErrUnencodable) {
		t.Errorf("BeginArray(MaxInt+1) = %v", err)
	}
	w = amf.NewWriter(nil, amf.AMF3)
	err = w.WriteByteArrayFrom(strings.NewReader(""), amf.MaxInt+1)
	if err == nil || err.Error() != "amf3: value cannot be encoded: ByteArray of 268435456 bytes is longer than the AMF3 limit of 268435455" {
		t.Errorf("WriteByteArrayFrom(MaxInt+1) = %v", err)
	}
	if n := w.Len(); n != 0 {
		t.Errorf("%d bytes written before the error", n)
	}
	w = amf.NewWriter(nil, amf.AMF0)
	w.BeginObject(nil)
	err = w.WriteName(strings.Repeat("k", 65536))
	if err == nil || err.Error() != "amf0: value cannot be encoded: a member or class name longer than 65535 bytes" {
		t.Errorf("WriteName of 65536 bytes = %v", err)
	}
	w = amf.NewWriter(nil, amf.AMF3)
	w.BeginObject(nil)
	if err := w.WriteName(""); err == nil || !errors.Is(err, amf.ErrUnencodable) {
		t.Errorf("WriteName(\"\") in AMF3 = %v", err)
	}
}

// A streamed ByteArray inside an array whose count is written at its end:
// the AMF0 count is patched where it went (it used to panic), and an
// AMF3 one, whose size is not known before the end, is refused up front.
func TestWriterStreamInUncountedArray(t *testing.T) {
	content := bytes.Repeat([]byte("0123456789"), 10)
	want, err := amf.Marshal([]any{&amf.ByteArray{Data: content}, "x"}, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	w := amf.NewWriter(nil, amf.AMF0)
	w.BeginArray(-1)
	w.Switch()
	w.WriteByteArrayFrom(bytes.NewReader(content), int64(len(content)))
	w.WriteString("x")
	if err := w.End(); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(w.Reader())
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AMF0 array of unknown count = %x, %v; want %x", got, err, want)
	}

	const msg = "amf3: a ByteArray streamed from a reader cannot be inside an AMF3 array of unknown count (give BeginArray the count)"
	w = amf.NewWriter(nil, amf.AMF3)
	w.BeginArray(-1)
	if err := w.WriteByteArrayFrom(bytes.NewReader(content), int64(len(content))); err == nil || err.Error() != msg {
		t.Errorf("AMF3 WriteByteArrayFrom = %v, want %s", err, msg)
	}
	w = amf.NewWriter(nil, amf.AMF3)
	w.BeginArray(-1)
	if err := w.WriteValue(&amf.ByteArrayStream{R: bytes.NewReader(content), N: int64(len(content))}); err == nil || err.Error() != msg {
		t.Errorf("AMF3 WriteValue(ByteArrayStream) = %v, want %s", err, msg)
	}
}

// BeginECMAArray writes what the encoder writes for an ECMAArray: the
// member count, or the count field given.
func TestWriterECMAArray(t *testing.T) {
	seven := uint32(7)
	for _, tc := range []struct {
		count int
		v     *amf.ECMAArray
	}{
		{-1, &amf.ECMAArray{Members: []amf.Member{{Name: "0", Value: "a"}, {Name: "x", Value: &amf.Object{}}}}},
		{7, &amf.ECMAArray{Count: &seven, Members: []amf.Member{{Name: "6", Value: 1.5}}}},
		{-1, &amf.ECMAArray{}},
	} {
		want, err := amf.Marshal([]any{tc.v, tc.v}, amf.AMF0)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		w := amf.NewWriter(&out, amf.AMF0)
		w.BeginArray(2)
		w.BeginECMAArray(tc.count)
		for _, m := range tc.v.Members {
			w.WriteName(m.Name)
			w.WriteValue(m.Value)
		}
		w.End()
		w.WriteRef(1) // the same array again
		w.End()
		if err := w.Flush(); err != nil || !bytes.Equal(out.Bytes(), want) {
			t.Errorf("count %d: Writer = %x, %v; Marshal %x", tc.count, out.Bytes(), err, want)
		}
	}
	w := amf.NewWriter(nil, amf.AMF3)
	if err := w.BeginECMAArray(-1); err == nil || err.Error() != "amf3: an ECMA array is AMF0 (in AMF3, write an object)" {
		t.Errorf("AMF3 BeginECMAArray = %v", err)
	}
}

// TestWriterModelTokens writes values with the tokens the typed JSON
// path uses (BeginClassObject, BeginWrapper, BeginAssocArray and
// BeginDense, BeginVector, BeginDictionary, WriteRefAs, WriteRefVector)
// and holds the bytes to the value encoder's for the same values.
func TestWriterModelTokens(t *testing.T) {
	person := &amf.Traits{Class: "org.Person", Sealed: []string{"age", "name"}, Dynamic: true}
	shared := &amf.Object{Class: "com.T", Members: []amf.Member{{"a", amf.Int(1)}}}
	vec := &amf.Vector{Type: amf.VectorObject, ObjectType: "com.T", Objects: []any{"x", shared}}
	dict := &amf.Dictionary{WeakKeys: true, Entries: []amf.DictEntry{{Key: amf.Int(1), Value: "v"}, {Key: shared, Value: nil}}}
	assoc := &amf.Array{Assoc: []amf.Member{{"k", "v"}}, Dense: []any{1.5, "a"}}
	ecma := &amf.ECMAArray{Members: []amf.Member{{"0", "zero"}, {"x", true}}}
	value := &amf.Array{Dense: []any{
		shared, shared,
		&amf.Object{Class: "org.Person", Traits: person, Members: []amf.Member{{"age", amf.Int(3)}, {"name", "Ada"}, {"pet", "cat"}}},
		&amf.Object{Class: "org.Person", Traits: person, Members: []amf.Member{{"age", amf.Int(4)}, {"name", "Bob"}}},
		&amf.Object{Class: "flex.messaging.io.ArrayCollection", Members: []amf.Member{{"source", &amf.Array{Dense: []any{amf.Int(1)}}}}},
		&amf.Object{Class: "flex.messaging.io.ArrayCollection", Members: []amf.Member{{"source", &amf.Array{Dense: []any{}}}}},
		vec, vec,
		&amf.Vector{Type: amf.VectorInt, Fixed: true, Ints: []int32{-1, 7}},
		&amf.Vector{Type: amf.VectorUint, Uints: []uint32{4294967295}},
		&amf.Vector{Type: amf.VectorDouble, Doubles: []float64{0.5}},
		dict, dict, assoc, assoc, ecma, ecma,
	}}
	want, err := amf.Marshal(value, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	w := amf.AppendWriter(nil, amf.AMF3)
	w.BeginArray(len(value.Dense))
	w.BeginClassObject("com.T", []string{"a"}, nil)
	w.WriteInt(1)
	w.End()
	w.WriteRefAs(amf.KindObject, 1)
	w.BeginClassObject("org.Person", []string{"age", "name", "pet"}, person)
	w.WriteInt(3)
	w.WriteString("Ada")
	w.WriteName("pet")
	w.WriteString("cat")
	w.End()
	w.BeginClassObject("org.Person", []string{"age", "name"}, person)
	w.WriteInt(4)
	w.WriteString("Bob")
	w.End()
	w.BeginWrapper("flex.messaging.io.ArrayCollection")
	w.BeginArray(1)
	w.WriteInt(1)
	w.End()
	w.BeginWrapper("flex.messaging.io.ArrayCollection")
	w.BeginArray(0)
	w.End()
	at := w.NextRef()
	w.BeginVector(amf.VectorObject, 2, false, "com.T")
	w.WriteString("x")
	w.WriteRefAs(amf.KindObject, 1)
	w.End()
	w.WriteRefVector(amf.VectorObject, at)
	w.BeginVector(amf.VectorInt, 2, true, "")
	w.WriteVectorInt(-1)
	w.WriteVectorInt(7)
	w.End()
	w.BeginVector(amf.VectorUint, 1, false, "")
	w.WriteVectorInt(4294967295)
	w.End()
	w.BeginVector(amf.VectorDouble, 1, false, "")
	w.WriteVectorDouble(0.5)
	w.End()
	at = w.NextRef()
	w.BeginDictionary(2, true)
	w.WriteInt(1)
	w.WriteString("v")
	w.WriteRefAs(amf.KindObject, 1)
	w.WriteNull()
	w.End()
	w.WriteRefAs(amf.KindDictionary, at)
	at = w.NextRef()
	w.BeginAssocArray(2)
	w.WriteName("k")
	w.WriteString("v")
	w.BeginDense()
	w.WriteDouble(1.5)
	w.WriteString("a")
	w.End()
	w.WriteRefAs(amf.KindArray, at)
	at = w.NextRef()
	w.BeginAssocArray(0)
	w.WriteName("0")
	w.WriteString("zero")
	w.WriteName("x")
	w.WriteBool(true)
	w.End()
	w.WriteRefAs(amf.KindECMAArray, at)
	w.End()
	got, err := w.Bytes()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("tokens: %d bytes (%v), the encoder %d; first difference at %d\n%x\n%x", len(got), err, len(want), firstDiff(got, want), got, want)
	}

	// In AMF0: a typed object, and the AMF3-only values through the switch.
	value0 := &amf.Array{Dense: []any{
		&amf.Object{Class: "com.T", Members: []amf.Member{{"a", amf.Int(1)}}},
		&amf.Object{Class: "flex.messaging.io.ObjectProxy", Members: []amf.Member{{"object", &amf.Object{}}}},
		&amf.Vector{Type: amf.VectorInt, Ints: []int32{2}},
	}}
	want, err = amf.Marshal(value0, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	w = amf.AppendWriter(nil, amf.AMF0)
	w.BeginArray(3)
	w.BeginClassObject("com.T", nil, nil)
	w.WriteName("a")
	w.WriteInt(1)
	w.End()
	w.Switch()
	w.BeginWrapper("flex.messaging.io.ObjectProxy")
	w.BeginObject(nil)
	w.End()
	w.Switch()
	w.BeginVector(amf.VectorInt, 1, false, "")
	w.WriteVectorInt(2)
	w.End()
	w.End()
	got, err = w.Bytes()
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("AMF0 tokens: %d bytes (%v), the encoder %d; first difference at %d\n%x\n%x", len(got), err, len(want), firstDiff(got, want), got, want)
	}

	// Misuse is an error, not bytes.
	for name, f := range map[string]func(w *amf.Writer) error{
		"vector item outside": func(w *amf.Writer) error { return w.WriteVectorDouble(1) },
		"wrong vector item":   func(w *amf.Writer) error { w.BeginVector(amf.VectorInt, 1, false, ""); return w.WriteVectorDouble(1) },
		"short vector": func(w *amf.Writer) error {
			w.BeginVector(amf.VectorInt, 2, false, "")
			w.WriteVectorInt(1)
			return w.End()
		},
		"short dictionary":      func(w *amf.Writer) error { w.BeginDictionary(1, false); w.WriteNull(); return w.End() },
		"BeginDense outside":    func(w *amf.Writer) error { return w.BeginDense() },
		"assoc array with none": func(w *amf.Writer) error { w.BeginAssocArray(1); return w.End() },
		"not a wrapper":         func(w *amf.Writer) error { return w.BeginWrapper("com.T") },
		"externalizable traits": func(w *amf.Writer) error {
			return w.BeginClassObject("x", nil, &amf.Traits{Class: "x", Externalizable: true})
		},
		"reference too far": func(w *amf.Writer) error { return w.WriteRefAs(amf.KindDate, 0) },
	} {
		if err := f(amf.AppendWriter(nil, amf.AMF3)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

package amf

import (
	"bytes"
	"os"
	"testing"
)

// Digest §1.4's encoder recommendation (open11): Flash Player gives an
// AMF0 XML document a slot in the reference table, BlazeDS and RocketAMF
// do not, so by default no reference is written to an XML document or to
// an entry made after one; a packet part whose references needed the
// XML's slot when it was read (XMLRefs) is written back as Flash numbers
// it, byte for byte.

// refs0Of returns the AMF0 reference indices of the value at data[start:]
// and the slot of its first XML document (-1: none), as the Flash
// profile reads them.
func refs0Of(t *testing.T, data []byte, start int) (refs []int, xml int) {
	t.Helper()
	r := NewReader(data, AMF0)
	r.off = start
	xml = -1
	depth := 0
	for {
		tk, err := r.ReadToken()
		if err != nil {
			t.Fatalf("reading % X from %d: %v", data, start, err)
		}
		switch {
		case tk.Kind == KindRef && tk.Version == AMF0:
			refs = append(refs, tk.Index)
		case tk.Kind == KindXMLDocument && tk.Version == AMF0 && xml < 0:
			xml = tk.Index
		case tk.Kind == KindObject || tk.Kind == KindECMAArray || tk.Kind == KindArray || tk.Kind == KindVector || tk.Kind == KindDictionary:
			depth++
		case tk.Kind == KindEnd:
			depth--
		}
		if depth == 0 && tk.Kind != KindSwitch && tk.Kind != KindName {
			return refs, xml
		}
	}
}

// noRefPastXML fails unless every AMF0 reference of the value at
// data[start:] points before its first XML document.
func noRefPastXML(t *testing.T, data []byte, start int) {
	t.Helper()
	refs, xml := refs0Of(t, data, start)
	if xml < 0 {
		t.Fatalf("no XML document in % X", data[start:])
	}
	for _, i := range refs {
		if i >= xml {
			t.Errorf("reference %d points at or past the XML document (slot %d): % X", i, xml, data[start:])
		}
	}
}

// TestXMLRefsFlashCaptureOpen11: the digest's AVM1 capture refers to the
// XML document (07 00 02); the decoder records it (XMLRefs), and the
// packet comes back byte for byte, through the value model and through
// the token Writer. Without XMLRefs the same packet is written with the
// document in full again, which Flash Player's and BlazeDS's numberings
// read alike.
func TestXMLRefsFlashCaptureOpen11(t *testing.T) {
	data, err := os.ReadFile("../testdata/numbering/avm1-xml-ref.amf")
	if err != nil {
		t.Fatal(err)
	}
	p, err := UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Messages[0].XMLRefs {
		t.Fatal("XMLRefs not set: the reference 07 00 02 resolves only with the XML's slot")
	}
	out, err := MarshalPacket(p)
	if err != nil || !bytes.Equal(out, data) {
		t.Fatalf("MarshalPacket = % X, %v\nwant % X", out, err, data)
	}
	w := NewWriter(nil, AMF0)
	if err := w.WritePacket(p); err != nil {
		t.Fatal(err)
	}
	if got, err := w.Bytes(); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Writer.WritePacket = % X, %v\nwant % X", got, err, data)
	}

	p.Messages[0].XMLRefs = false
	out, err = MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	const xml42 = `<p><item id="1">forty-two bytes</item></p>` // the capture's (with its quotes)
	var want []byte
	want = append(want, mustHex(`00 00 00 00 00 01 00 09 "test.avm1" 00 02 "/1" 00 00 00 79 0A 00 00 00 01 03 00 05 "n_xml" 0F 00 00 00 2A`)...)
	want = append(want, xml42...)
	want = append(want, mustHex(`00 09 "n_xml_ref" 0F 00 00 00 2A`)...)
	want = append(want, xml42...)
	want = append(want, mustHex(`00 00 09`)...)
	if !bytes.Equal(out, want) {
		t.Fatalf("without XMLRefs: % X\nwant % X", out, want)
	}
	for _, prof := range []Profile{ProfileFlash, ProfileBlazeDS} {
		q, err := mustDecMode(t, DecOptions{Profile: prof}).UnmarshalPacket(out)
		if err != nil {
			t.Fatalf("profile %d: %v", prof, err)
		}
		if q.Messages[0].XMLRefs {
			t.Errorf("profile %d: XMLRefs set with no reference in the bytes", prof)
		}
		o := q.Messages[0].Value.(*Array).Dense[0].(*Object)
		if x, ok := o.Members[1].Value.(*XML); !ok || x.Text != xml42 || !x.Document {
			t.Errorf("profile %d: n_xml_ref = %s", prof, show(o.Members[1].Value))
		}
	}
}

// TestXMLRefsSharedAfterXMLOpen11: a value shared before an XML document
// is still written as a reference; shared values made after it (an
// object, an ECMA array, a strict array, the document itself) are
// written in full at each use, each use taking a new slot as a reader
// numbers it, so that Flash Player's and BlazeDS's readings agree.
func TestXMLRefsSharedAfterXMLOpen11(t *testing.T) {
	x := &XML{Text: "<a/>", Document: true}
	before := obj0(m("k", "v"))
	after := obj0(m("n", 1.0))
	ecma := &ECMAArray{Members: []Member{m("e", true)}}
	arr := dense("s")
	args := []any{before, x, before, after, after, ecma, ecma, arr, arr, x, before}
	out, err := Marshal(args, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(`0A 00 00 00 0B` +
		` 03 00 01 "k" 02 00 01 "v" 00 00 09` + // before: slot 1
		` 0F 00 00 00 04 "<a/>"` + // the XML: slot 2
		` 07 00 01` + // before again: a reference, made before the XML
		` 03 00 01 "n" 00 3F F0 00 00 00 00 00 00 00 00 09` + // after, slot 3
		` 03 00 01 "n" 00 3F F0 00 00 00 00 00 00 00 00 09` + // and again in full, slot 4
		` 08 00 00 00 01 00 01 "e" 01 01 00 00 09` +
		` 08 00 00 00 01 00 01 "e" 01 01 00 00 09` +
		` 0A 00 00 00 01 02 00 01 "s"` +
		` 0A 00 00 00 01 02 00 01 "s"` +
		` 0F 00 00 00 04 "<a/>"` + // the XML again, in full
		` 07 00 01`)
	if !bytes.Equal(out, want) {
		t.Fatalf("Marshal = % X\nwant    % X", out, want)
	}
	noRefPastXML(t, out, 0)
	var flash, blaze any
	if err := mustDecMode(t, DecOptions{}).Unmarshal(out, AMF0, &flash); err != nil {
		t.Fatal(err)
	}
	if err := mustDecMode(t, DecOptions{Profile: ProfileBlazeDS}).Unmarshal(out, AMF0, &blaze); err != nil {
		t.Fatal(err)
	}
	if !valueEqual(flash, blaze) || !valueEqual(flash, dense(args...)) {
		t.Errorf("Flash's and BlazeDS's readings differ:\n%s\n%s", show(flash), show(blaze))
	}
	for _, v := range []any{flash, blaze} {
		d := v.(*Array).Dense
		if d[0] != d[2] || d[0] != d[10] {
			t.Errorf("the value shared before the XML is not shared: %s", show(v))
		}
	}

	// The same in a packet message.
	p := &Packet{Messages: []Message{{Target: "a.b", Response: "/1", Value: args}}}
	pk, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(pk, want) {
		t.Errorf("packet value % X\nwant % X", pk, want)
	}
	noRefPastXML(t, pk, len(pk)-len(want))
	q, err := UnmarshalPacket(pk)
	if err != nil || q.Messages[0].XMLRefs {
		t.Errorf("read back: %v, XMLRefs %v (no reference needs the XML's slot)", err, err == nil && q.Messages[0].XMLRefs)
	}
}

// TestXMLRefsOnOpen11: with XMLRefs, a message is numbered as Flash
// Player numbers it: the XML takes a slot and may be referred to, and
// so may what follows it.
func TestXMLRefsOnOpen11(t *testing.T) {
	x := &XML{Text: "<a/>", Document: true}
	o := obj0()
	p := &Packet{Messages: []Message{{Target: "a.b", Response: "/1", Value: []any{x, o, o, x}, XMLRefs: true}}}
	out, err := MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(`0A 00 00 00 04 0F 00 00 00 04 "<a/>" 03 00 00 09 07 00 02 07 00 01`)
	if !bytes.HasSuffix(out, want) {
		t.Fatalf("MarshalPacket = % X\nwant the value % X", out, want)
	}
	q, err := UnmarshalPacket(out)
	if err != nil || !q.Messages[0].XMLRefs {
		t.Fatalf("read back: %v, XMLRefs %v", err, err == nil && q.Messages[0].XMLRefs)
	}
	if back, err := MarshalPacket(q); err != nil || !bytes.Equal(back, out) {
		t.Errorf("again = % X, %v\nwant % X", back, err, out)
	}
}

// TestXMLRefsCycleAfterXMLOpen11: an object made after an XML document
// that contains itself cannot be written in full at its second use: the
// reference is written, numbered as Flash Player numbers it, and reads
// back as the cycle.
func TestXMLRefsCycleAfterXMLOpen11(t *testing.T) {
	o := obj0()
	o.Members = []Member{m("self", o)}
	out, err := Marshal([]any{&XML{Text: "<a/>", Document: true}, o}, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	want := mustHex(`0A 00 00 00 02 0F 00 00 00 04 "<a/>" 03 00 04 "self" 07 00 02 00 00 09`)
	if !bytes.Equal(out, want) {
		t.Fatalf("Marshal = % X\nwant % X", out, want)
	}
	var v any
	if err := Unmarshal(out, AMF0, &v); err != nil {
		t.Fatal(err)
	}
	if got := v.(*Array).Dense[1].(*Object); got.Members[0].Value != any(got) {
		t.Errorf("read back %s, want o.self = o", show(v))
	}
	// Once written, the object is not open any more: met again, it is
	// written in full (and its own self reference with it).
	out, err = Marshal([]any{&XML{Text: "<a/>", Document: true}, o, o}, AMF0)
	if err != nil {
		t.Fatal(err)
	}
	want = mustHex(`0A 00 00 00 03 0F 00 00 00 04 "<a/>" 03 00 04 "self" 07 00 02 00 00 09 03 00 04 "self" 07 00 03 00 00 09`)
	if !bytes.Equal(out, want) {
		t.Fatalf("Marshal = % X\nwant % X", out, want)
	}
}

// TestXMLRefsEvidenceOpen11: the decoder sets XMLRefs on a header or a
// message exactly when a reference points at an XML document or past
// it, and ScanPacket (convert's streamed path) agrees.
func TestXMLRefsEvidenceOpen11(t *testing.T) {
	const value = `03 00 01 "x" 0F 00 00 00 04 "<a/>" 00 01 "y" 03 00 00 09 00 01 "z" %s 00 00 09`
	for _, tc := range []struct {
		name, ref string
		want      bool
	}{
		{"a reference past the XML", `07 00 02`, true},
		{"a reference to the XML", `07 00 01`, true},
		{"a reference before the XML", `07 00 00`, false},
		{"no reference", `05`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := mustHex(fmtHex(value, tc.ref))
			n := len(v)
			data := append(mustHex(`00 00 00 01 00 01 "H" 00`), be32(n)...)
			data = append(data, v...)
			data = append(data, mustHex(`00 01 00 0B "/1/onResult" 00 04 "null"`)...)
			data = append(data, be32(n)...)
			data = append(data, v...)
			p, err := UnmarshalPacket(data)
			if err != nil {
				t.Fatal(err)
			}
			if p.Headers[0].XMLRefs != tc.want || p.Messages[0].XMLRefs != tc.want {
				t.Errorf("XMLRefs: header %v, message %v, want %v", p.Headers[0].XMLRefs, p.Messages[0].XMLRefs, tc.want)
			}
			out, err := MarshalPacket(p)
			if err != nil || !bytes.Equal(out, data) {
				t.Errorf("MarshalPacket = % X, %v\nwant % X", out, err, data)
			}
			s, _, _, ok := ScanPacket(data)
			if !ok {
				t.Fatal("ScanPacket refused the packet")
			}
			if s.Headers[0].XMLRefs != tc.want || s.Messages[0].XMLRefs != tc.want {
				t.Errorf("ScanPacket XMLRefs: header %v, message %v, want %v", s.Headers[0].XMLRefs, s.Messages[0].XMLRefs, tc.want)
			}
		})
	}
}

// TestXMLRefsWriterOpen11: the token Writer says which references the
// recommendation allows (CanRefer), SetXMLRefs lifts it for the part,
// EndPart ends it, and a .sol file is numbered as Flash Player numbers
// it throughout.
func TestXMLRefsWriterOpen11(t *testing.T) {
	for i, on := range []bool{false, true} {
		w := NewWriter(nil, AMF0)
		w.BeginPacket(0, 0)
		w.BeginMessages(1)
		w.BeginMessage("a.b", "/1")
		if err := w.SetXMLRefs(on); err != nil {
			t.Fatal(err)
		}
		w.BeginArray(3)
		w.BeginObject(nil) // slot 1
		w.End()
		if !w.CanRefer(1) {
			t.Errorf("message %d: no reference allowed before any XML", i)
		}
		w.WriteXML("<a/>", true) // slot 2
		if w.CanRefer(1) != true || w.CanRefer(2) != on {
			t.Errorf("message %d: CanRefer(1) %v, CanRefer(2) %v (XMLRefs %v)", i, w.CanRefer(1), w.CanRefer(2), on)
		}
		if err := w.SetXMLRefs(true); err == nil {
			t.Errorf("message %d: SetXMLRefs inside a value did not fail", i)
		}
	}

	// Bare values: SetXMLRefs before them numbers as Flash does.
	x := &XML{Text: "<a/>", Document: true}
	o := obj0()
	for _, on := range []bool{false, true} {
		w := NewWriter(nil, AMF0)
		if err := w.SetXMLRefs(on); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteValue([]any{x, o, o}); err != nil {
			t.Fatal(err)
		}
		got, _ := w.Bytes()
		if ref := bytes.HasSuffix(got, mustHex(`07 00 02`)); ref != on {
			t.Errorf("SetXMLRefs(%v): % X", on, got)
		}
	}

	sol := &SOL{Name: "s", Members: []Member{m("x", x), m("a", o), m("b", o), m("c", x)}}
	out, err := MarshalSOL(sol)
	if err != nil {
		t.Fatal(err)
	}
	// The data object is slot 0, the XML slot 1, the object slot 2.
	if !bytes.HasSuffix(out, mustHex(`00 01 "b" 07 00 02 00 00 01 "c" 07 00 01 00`)) {
		t.Errorf(".sol: % X, want b and c as references 2 and 1", out)
	}
	back, err := UnmarshalSOL(out)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := MarshalSOL(back); err != nil || !bytes.Equal(again, out) {
		t.Errorf(".sol again = % X, %v\nwant % X", again, err, out)
	}
}

func be32(n int) []byte { return []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)} }

func fmtHex(format, ref string) string {
	return string(bytes.Replace([]byte(format), []byte("%s"), []byte(ref), 1))
}

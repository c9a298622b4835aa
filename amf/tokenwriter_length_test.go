package amf_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// writeW1Packet writes a packet whose one message holds W1(n) through the
// 0x11 switch, with the array count unknown (counted at its end) or
// given, and the message's length as asked: patched (length < 0) or
// written first.
func writeW1Packet(t *testing.T, w *amf.Writer, n int, unknown bool, length int64, exact bool) {
	t.Helper()
	w.BeginPacket(0, 0)
	w.BeginMessages(1)
	if length < 0 {
		w.BeginMessage("/1/onResult", "null")
	} else {
		w.BeginMessageLength("/1/onResult", "null", uint32(length), exact)
	}
	writeTokens(t, w, amf.AMF0, amf.AVMPlus{Value: amftest.W1(n)}, unknown)
}

// TestWriterLengthFirst: a packet counted by a counting Writer (arrays of
// unknown count and all), then written with the length first, is the
// same as MarshalPacket's, and goes out to the destination before the
// message ends (nothing held).
func TestWriterLengthFirst(t *testing.T) {
	want, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amftest.W1(3000)}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, unknown := range []bool{false, true} {
		c := amf.NewCountingWriter(amf.AMF0)
		writeW1Packet(t, c, 3000, unknown, 0, false)
		if err := c.EndPart(); err != nil {
			t.Fatal(err)
		}
		if c.Offset() != int64(len(want)) {
			t.Fatalf("unknown %v: counted %d bytes, want %d", unknown, c.Offset(), len(want))
		}
		var out bytes.Buffer
		w := amf.NewWriter(&out, amf.AMF0)
		valueLen := int64(len(want)) - 2 - 2 - 2 - int64(len("/1/onResult")) - 2 - int64(len("null")) - 4 - 2
		writeW1Packet(t, w, 3000, false, valueLen, true)
		if out.Len() < len(want)/2 {
			t.Errorf("only %d bytes out before the message ended: held", out.Len())
		}
		if err := w.EndPart(); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("differs at %d", firstDiff(out.Bytes(), want))
		}
	}

	// A length that is not the value's: an error with exact, written as
	// it is without.
	w := amf.NewWriter(nil, amf.AMF0)
	writeW1Packet(t, w, 2, false, 7, true)
	if err := w.EndPart(); err == nil || !strings.Contains(err.Error(), "where 7 were announced") {
		t.Errorf("exact length 7: %v", err)
	}
	w = amf.NewWriter(nil, amf.AMF0)
	writeW1Packet(t, w, 2, false, 7, false)
	if err := w.EndPart(); err != nil {
		t.Fatal(err)
	}
	b, _ := w.Bytes()
	if !bytes.Contains(b, []byte("null\x00\x00\x00\x07")) {
		t.Errorf("the given length is not written: % x", b[:40])
	}
}

// TestWriterPartNumbering: SetPartNumbering and BeginArgs write what
// MarshalPacket writes for DateRefs, UnregisteredArgs and
// CrossEscapeRefs.
func TestWriterPartNumbering(t *testing.T) {
	obj := &amf.Object{Members: []amf.Member{{Name: "a", Value: amf.Int(1)}}}
	d := &amf.Date{Ms: 1}
	for _, m := range []amf.Message{
		{Target: "s.m", Response: "/1", Value: &amf.Array{Dense: []any{d, obj, obj}}, DateRefs: true},
		{Target: "s.m", Response: "/1", Value: &amf.Array{Dense: []any{d, obj, obj}}, UnregisteredArgs: true, DateRefs: true},
		{Target: "s.m", Response: "/1", Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: obj}, amf.AVMPlus{Value: "a"}}}, CrossEscapeRefs: true},
	} {
		want, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{m}})
		if err != nil {
			t.Fatal(err)
		}
		w := amf.NewWriter(nil, amf.AMF0)
		w.BeginPacket(0, 0)
		w.BeginMessages(1)
		w.BeginMessage(m.Target, m.Response)
		w.SetPartNumbering(m.DateRefs, m.CrossEscapeRefs)
		a := m.Value.(*amf.Array)
		if m.UnregisteredArgs {
			w.BeginArgs(len(a.Dense))
		} else {
			w.BeginArray(len(a.Dense))
		}
		seen := false
		for _, it := range a.Dense {
			switch x := it.(type) {
			case *amf.Object:
				if seen {
					w.WriteRef(w.NextRef() - 1)
					continue
				}
				seen = true
				writeTokens(t, w, amf.AMF0, x, false)
			case amf.AVMPlus:
				w.Switch()
				writeTokens(t, w, amf.AMF3, x.Value, false)
			default:
				writeTokens(t, w, amf.AMF0, x, false)
			}
		}
		w.End()
		if err := w.EndPart(); err != nil {
			t.Fatal(err)
		}
		got, _ := w.Bytes()
		if !bytes.Equal(got, want) {
			t.Errorf("%+v:\n got % x\nwant % x", m, got, want)
		}
	}
	w := amf.NewWriter(nil, amf.AMF0)
	if err := w.SetPartNumbering(true, false); err == nil {
		t.Error("SetPartNumbering outside a message: no error")
	}
}

// TestWriterSOL: BeginSOL, entries and End write what MarshalSOL writes,
// the AMF0 data object as reference 0, held or with the length first.
func TestWriterSOL(t *testing.T) {
	obj := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		s := &amf.SOL{Name: "game", Version: ver, Data: &amf.Object{}}
		s.Members = []amf.Member{{Name: "o", Value: obj}, {Name: "p", Value: obj}, {Name: "n", Value: amf.Int(3)}}
		if ver == amf.AMF0 {
			s.Members = append(s.Members, amf.Member{Name: "self", Value: s.Data}, amf.Member{Name: "x", Value: amf.AVMPlus{Value: "s"}}, amf.Member{Name: "y", Value: amf.AVMPlus{Value: "s"}})
		}
		s.Data.Members = s.Members
		want, err := amf.MarshalSOL(s)
		if err != nil {
			t.Fatal(err)
		}
		write := func(w *amf.Writer, length int64, exact bool) {
			w.BeginSOL(s.Name, ver, length, exact)
			seen := false
			for _, m := range s.Members {
				w.WriteName(m.Name)
				switch {
				case m.Value == any(s.Data):
					w.WriteRef(0)
				case m.Value == any(obj) && seen:
					w.WriteRef(w.NextRef() - 1)
				default:
					seen = seen || m.Value == any(obj)
					writeTokens(t, w, ver, m.Value, false)
				}
			}
		}
		w := amf.NewWriter(nil, amf.AMF0)
		write(w, -1, false)
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("%v held:\n got % x\nwant % x", ver, got, want)
		}
		c := amf.NewCountingWriter(amf.AMF0)
		write(c, 0, false)
		c.End()
		if c.Offset() != int64(len(want)) {
			t.Errorf("%v: counted %d, want %d", ver, c.Offset(), len(want))
		}
		var out bytes.Buffer
		w = amf.NewWriter(&out, amf.AMF0)
		write(w, int64(len(want)-6), true)
		if err := w.End(); err != nil || w.Flush() != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Errorf("%v length first:\n got % x\nwant % x", ver, out.Bytes(), want)
		}
		w = amf.NewWriter(&out, amf.AMF0)
		write(w, 5, true)
		if err := w.End(); err == nil {
			t.Errorf("%v: a wrong exact length: no error", ver)
		}
	}
}

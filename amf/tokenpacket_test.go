package amf_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// scanEnvelope checks that ScanPacket reads data as UnmarshalPacket
// does: when it takes the packet, UnmarshalPacket decodes it and every
// field of the envelope (CrossEscapeRefs, lengths, numbering) is the
// same. It returns the scanned packet, or nil.
func scanEnvelope(t *testing.T, data []byte) *amf.Packet {
	t.Helper()
	p, hs, ms, ok := amf.ScanPacket(data)
	full, err := amf.UnmarshalPacket(data)
	if !ok {
		return nil
	}
	if err != nil {
		t.Fatalf("%x: ScanPacket took a packet that UnmarshalPacket refuses: %v", data, err)
	}
	if len(hs) != len(full.Headers) || len(ms) != len(full.Messages) {
		t.Fatalf("%x: %d and %d parts for %d headers and %d messages", data, len(hs), len(ms), len(full.Headers), len(full.Messages))
	}
	for i := range full.Headers {
		full.Headers[i].Value = nil
	}
	for i := range full.Messages {
		full.Messages[i].Value = nil
	}
	if !reflect.DeepEqual(p, full) {
		t.Fatalf("%x: envelope\nscan  %+v\nmodel %+v", data, p, full)
	}
	return p
}

// TestScanPacketSwitches: ScanPacket's CrossEscapeRefs for values of
// several 0x11 switches is the one the case names and the one
// UnmarshalPacket sets, and a reference that does not resolve fails
// both.
func TestScanPacketSwitches(t *testing.T) {
	for _, c := range amftest.SwitchedCases() {
		p := scanEnvelope(t, c.Packet)
		if _, err := amf.UnmarshalPacket(c.Packet); (err == nil) != c.Valid {
			t.Errorf("%s: UnmarshalPacket: %v", c.Name, err)
		}
		if (p != nil) != c.Valid {
			t.Errorf("%s: ScanPacket took it: %v", c.Name, p != nil)
			continue
		}
		if p == nil {
			continue
		}
		if got := p.Messages[len(p.Messages)-1].CrossEscapeRefs; got != c.Cross {
			t.Errorf("%s: CrossEscapeRefs %v, want %v", c.Name, got, c.Cross)
		}
	}
}

// TestScanPacketSwitchedBatch: a reply of many W1 items, each switched,
// written with and without references across the switches, scans to
// the CrossEscapeRefs it was written with.
func TestScanPacketSwitchedBatch(t *testing.T) {
	for _, cross := range []bool{false, true} {
		items := amftest.W1(300).Dense
		for i, v := range items {
			items[i] = amf.AVMPlus{Value: v}
		}
		data, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
			{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}, CrossEscapeRefs: cross}}})
		if err != nil {
			t.Fatal(err)
		}
		p := scanEnvelope(t, data)
		if p == nil || p.Messages[0].CrossEscapeRefs != cross {
			t.Fatalf("cross %v: scanned %+v", cross, p)
		}
	}
}

// FuzzScanPacket holds ScanPacket's envelope to UnmarshalPacket's.
func FuzzScanPacket(f *testing.F) {
	for _, c := range amftest.SwitchedCases() {
		f.Add(c.Packet)
	}
	for _, pat := range []string{"../testdata/pyamf/captures/*.amf", "../testdata/golden/*.amfpkt", "../testdata/numbering/*.amf"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 1<<16 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { scanEnvelope(t, data) })
}

package amf_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// scanEnvelope checks that ScanPacket reads data as UnmarshalPacket
// does: when it takes the packet, UnmarshalPacket decodes it and every
// field of the envelope (CrossEscapeRefs, lengths, numbering) is the
// same. It returns the scanned packet and its messages' parts, or nil.
func scanEnvelope(t *testing.T, data []byte) (*amf.Packet, []amf.PacketPart) {
	t.Helper()
	p, hs, ms, ok := amf.ScanPacket(data)
	full, err := amf.UnmarshalPacket(data)
	if !ok {
		return nil, nil
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
	return p, ms
}

// TestScanPacketSwitches: ScanPacket's CrossEscapeRefs for values of
// several 0x11 switches is the one the case names and the one
// UnmarshalPacket sets, its FreshSwitches the one the case names, and a
// reference that does not resolve fails both.
func TestScanPacketSwitches(t *testing.T) {
	for _, c := range amftest.SwitchedCases() {
		p, ms := scanEnvelope(t, c.Packet)
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
		if got := ms[len(ms)-1].FreshSwitches; got != c.Fresh {
			t.Errorf("%s: FreshSwitches %v, want %v", c.Name, got, c.Fresh)
		}
		// An object or date of an earlier switch referred to.
		back := c.Name == "object" || c.Name == "object read again" || c.Name == "date"
		if got := ms[len(ms)-1].RefsBack; got != back {
			t.Errorf("%s: RefsBack %v, want %v", c.Name, got, back)
		}
	}
}

// tokenText is what a token says, StrIndex aside (which counts from the
// switch with FreshSwitches).
func tokenText(t *amf.Token) string {
	s := fmt.Sprintf("%v %v %d %q %d %d %v %v %v %v", t.Kind, t.Version, t.Offset, t.Bytes, t.Index, t.Count, t.Int, t.Float, t.Bool, t.Vector)
	if t.Traits != nil {
		s += fmt.Sprintf(" %+v", *t.Traits)
	}
	return s
}

// readTokens reads the one value of data, AMF0, a token at a time with
// FreshSwitches as fresh.
func readTokens(data []byte, fresh bool) ([]string, error) {
	r := amf.NewReader(data, amf.AMF0)
	r.FreshSwitches = fresh
	var out []string
	for {
		tk, err := r.NextToken()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, tokenText(tk))
	}
}

// TestFreshSwitches: a value that ScanPacket says takes FreshSwitches
// reads with it as without, token for token; one with a string or
// traits reference into an earlier switch fails with it at that
// reference (the entry is gone), and reads without it.
func TestFreshSwitches(t *testing.T) {
	for _, c := range amftest.SwitchedCases() {
		_, ms := scanEnvelope(t, c.Packet)
		if !c.Valid {
			continue
		}
		pt := ms[len(ms)-1]
		data := c.Packet[pt.Start:pt.End]
		whole, err := readTokens(data, false)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		fresh, err := readTokens(data, true)
		switch {
		case c.Cross:
			if err == nil || !strings.Contains(err.Error(), "reference") {
				t.Errorf("%s: with FreshSwitches: %v", c.Name, err)
			}
		case err != nil:
			t.Errorf("%s: with FreshSwitches: %v", c.Name, err)
		case !reflect.DeepEqual(fresh, whole):
			t.Errorf("%s: with FreshSwitches\n%q\nwithout\n%q", c.Name, fresh, whole)
		}
	}
}

// TestScanPacketSwitchedBatch: a reply of many W1 items, each switched,
// written with and without references across the switches, scans to
// the CrossEscapeRefs it was written with.
func TestScanPacketSwitchedBatch(t *testing.T) {
	// (FreshSwitches without the references, not with them.)
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
		p, ms := scanEnvelope(t, data)
		if p == nil || p.Messages[0].CrossEscapeRefs != cross || ms[0].FreshSwitches == cross {
			t.Fatalf("cross %v: scanned %+v %+v", cross, p, ms)
		}
	}
}

// FuzzScanPacket holds ScanPacket's envelope to UnmarshalPacket's, and
// reads each message value it says takes FreshSwitches with and without
// it: the same tokens.
func FuzzScanPacket(f *testing.F) {
	for _, c := range amftest.SwitchedCases() {
		f.Add(c.Packet)
	}
	for _, pat := range []string{"../testdata/pyamf/captures/*.amf", "../testdata/golden/*.amfpkt", "../testdata/numbering/*.amf", "../testdata/public/*/*.amf"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 1<<16 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, ms := scanEnvelope(t, data)
		for _, pt := range ms {
			if !pt.FreshSwitches {
				continue
			}
			// Read the same with each switch's tables let go.
			whole, err := readTokens(data[pt.Start:pt.End], false)
			fresh, ferr := readTokens(data[pt.Start:pt.End], true)
			if err != nil || ferr != nil || !reflect.DeepEqual(fresh, whole) {
				t.Fatalf("%x: with FreshSwitches (%v)\n%q\nwithout (%v)\n%q", data, ferr, fresh, err, whole)
			}
		}
	})
}

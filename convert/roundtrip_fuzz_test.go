package convert

import (
	"bytes"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzPacketTypedRoundTrip: a packet that decodes converts to typed JSON
// and back to a packet that encodes to the same bytes as the decoded one
// (references across 0x11 switches, the request numbering and lengths
// included).
func FuzzPacketTypedRoundTrip(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/captures/*.request.amf")
	addSeeds(f, "../testdata/numbering/*.amf")
	f.Add(mustHex(f, "00 03 00 00 00 01 00 03 61 2E 62 00 02 2F 31 FF FF FF FF 0A 00 00 00 02 11 0A 0B 01 03 61 04 01 01 11 0A 00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := amf.UnmarshalPacket(data)
		if err != nil {
			return
		}
		if p.Version == 3 && !allSwitched(p) {
			// Known gap, not about references: reading a version-3
			// packet's JSON switches an unwrapped value to AMF3 (as
			// Flash writes), typed JSON included.
			return
		}
		want, err := amf.MarshalPacket(p)
		if err != nil {
			return
		}
		typed, err := AppendPacket(nil, p, &Options{Typed: true})
		if err != nil {
			t.Fatalf("typed: %v", err)
		}
		back, err := PacketFromJSON(typed)
		if err != nil {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		got, err := amf.MarshalPacket(back)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%x -> %s -> %x (%v), want %x", data, typed, got, err, want)
		}
	})
}

// FuzzSOLTypedRoundTrip: the same for .sol files, whose AMF0 references
// count the data object.
func FuzzSOLTypedRoundTrip(f *testing.F) {
	addSeeds(f, "../testdata/sol/*.sol")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := amf.UnmarshalSOL(data)
		if err != nil {
			return
		}
		want, err := amf.MarshalSOL(s)
		if err != nil {
			return
		}
		typed, err := AppendSOL(nil, s, &Options{Typed: true})
		if err != nil {
			t.Fatalf("typed: %v", err)
		}
		back, err := SOLFromJSON(typed)
		if err != nil {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		got, err := amf.MarshalSOL(back)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%x -> %s -> %x (%v), want %x", data, typed, got, err, want)
		}
	})
}

// allSwitched reports whether every header and message value of p is as
// a version-3 packet read from JSON would have it: through the switch, or
// an argument array whose items all are.
func allSwitched(p *amf.Packet) bool {
	switched := func(v any) bool {
		if _, ok := v.(amf.AVMPlus); ok {
			return true
		}
		a, ok := v.(*amf.Array)
		if !ok || len(a.Assoc) > 0 || len(a.Dense) == 0 {
			return false
		}
		for _, e := range a.Dense {
			if _, ok := e.(amf.AVMPlus); !ok {
				return false
			}
		}
		return true
	}
	for _, h := range p.Headers {
		if !switched(h.Value) {
			return false
		}
	}
	for _, m := range p.Messages {
		if !switched(m.Value) {
			return false
		}
	}
	return true
}

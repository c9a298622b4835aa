package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzPacketTypedRoundTrip: a packet that decodes converts to typed JSON
// and back to a packet that encodes to the same bytes as the decoded one
// (references across 0x11 switches, the request numbering, lengths and
// version-3 values left in AMF0 included).
func FuzzPacketTypedRoundTrip(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/captures/*.request.amf")
	addSeeds(f, "../testdata/numbering/*.amf")
	f.Add(mustHex(f, "00 03 00 00 00 01 00 03 61 2E 62 00 02 2F 31 FF FF FF FF 0A 00 00 00 02 11 0A 0B 01 03 61 04 01 01 11 0A 00"))
	// Cross-switch string and traits references; version-3 values left
	// in AMF0 (digest §3.7, §3.2).
	f.Add(mustHex(f, "00 03 00 00 00 01 00 03 61 2E 62 00 02 2F 31 00 00 00 0D 0A 00 00 00 02 11 06 05 61 62 11 06 00"))
	f.Add(mustHex(f, "00 03 00 00 00 01 00 01 74 00 01 72 00 00 00 13 0A 00 00 00 02 11 0A 13 03 43 03 78 04 01 11 0A 01 04 02"))
	f.Add(mustHex(f, "00 03 00 01 00 01 48 00 00 00 00 02 01 01 00 01 00 03 61 2E 62 00 02 2F 31 00 00 00 0E 0A 00 00 00 01 00 3F F0 00 00 00 00 00 00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := amf.UnmarshalPacket(data)
		if err != nil {
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
		if err != nil && !heldWrongly(err) {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		if err != nil {
			return
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
		var warns []string
		typed, err := AppendSOL(nil, s, &Options{Typed: true, Warn: func(m string) { warns = append(warns, m) }})
		if err != nil {
			t.Fatalf("typed: %v", err)
		}
		var dk dupKeys
		back, err := solFromJSON(typed, &dk)
		if err != nil && !heldWrongly(err) {
			t.Fatalf("reading back %s: %v", typed, err)
		}
		if err != nil {
			return
		}
		// A .sol member name given twice: the writer warns, the JSON has
		// the key twice, which reads back as both members, in order, with
		// the warning. (A key repeated inside a member's value is read
		// back noted too, but the writer does not look for those.)
		seen := map[string]bool{}
		top := false
		for _, m := range s.Members {
			top = top || seen[m.Name]
			seen[m.Name] = true
		}
		if repeated := len(warns) > 0 && strings.Contains(warns[0], "more than once"); repeated != top || top && dk.count == 0 {
			t.Fatalf("%x: member repeated %v, warned %q, read back noting %d keys given twice", data, top, warns, dk.count)
		}
		got, err := amf.MarshalSOL(back)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%x -> %s -> %x (%v), want %x", data, typed, got, err, want)
		}
	})
}

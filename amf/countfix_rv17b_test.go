//go:build unix

package amf

import (
	"encoding/binary"
	"testing"

	"github.com/amfcall/amfcall/internal/readonlymem"
)

// wrongCounts are replies whose message count says 2 with 1 body, 1
// with 2 bodies, and whose header count says 0 before a header.
func wrongCounts(t *testing.T) map[string][]byte {
	t.Helper()
	body := func(n string) Message {
		return Message{Target: "/" + n + "/onResult", Response: "null", Value: "v" + n}
	}
	set := func(p *Packet, at, n int) []byte {
		b, err := MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		binary.BigEndian.PutUint16(b[at:], uint16(n))
		return b
	}
	one := &Packet{Messages: []Message{body("1")}}
	two := &Packet{Messages: []Message{body("1"), body("2")}}
	hdr := &Packet{Headers: []Header{{Name: "AppendToGatewayUrl", Value: ";x=1"}}, Messages: []Message{body("1")}}
	return map[string][]byte{"high": set(one, 4, 2), "low": set(two, 4, 1), "h0": set(hdr, 2, 0)}
}

// TestWithCountReadsReadOnly (rv17b): a packet whose count is wrong is
// read as its bytes say by a mode that reads the count made right
// (WithCount), with its bytes in memory that takes no writes: neither
// the decoder, the arena, ScanPacket, PacketDecodes nor the Reader
// write the count into them (CountFix.Apply did, then Undo). The mode
// it was made from still reads the count as written.
func TestWithCountReadsReadOnly(t *testing.T) {
	for name, data := range wrongCounts(t) {
		ro := readonlymem.Copy(t, data)
		fix := CountFixOf(ro)
		if fix == nil {
			t.Fatalf("%s: no count to make right", name)
		}
		m := defaultDecMode.WithCount(fix)
		want := 1
		if name == "low" {
			want = 2
		}
		readonlymem.NoWrite(t, name+": UnmarshalPacket", func() {
			p, err := m.UnmarshalPacket(ro)
			if err != nil || len(p.Messages) != want {
				t.Errorf("%s: UnmarshalPacket: %v", name, err)
			}
		})
		readonlymem.NoWrite(t, name+": Arena", func() {
			p, err := NewArena().UnmarshalPacketCount(ro, fix)
			if err != nil || len(p.Messages) != want {
				t.Errorf("%s: Arena: %v", name, err)
			}
		})
		readonlymem.NoWrite(t, name+": ScanPacket", func() {
			if p, _, ms, ok := m.ScanPacket(ro); !ok || len(p.Messages) != want || len(ms) != want {
				t.Errorf("%s: ScanPacket did not read it", name)
			}
		})
		readonlymem.NoWrite(t, name+": PacketDecodes", func() {
			if !m.PacketDecodes(ro) {
				t.Errorf("%s: PacketDecodes false", name)
			}
		})
		readonlymem.NoWrite(t, name+": Reader", func() {
			r := m.NewReader(ro, AMF0)
			_, h, err := r.ReadPacketStart()
			for i := 0; err == nil && i < h; i++ {
				if _, _, _, err = r.ReadHeaderStart(); err == nil {
					err = r.Skip()
				}
			}
			n := 0
			if err == nil {
				n, err = r.ReadMessagesStart()
			}
			if err != nil || n != want {
				t.Errorf("%s: Reader: %d messages, %v", name, n, err)
			}
		})
		if _, err := defaultDecMode.UnmarshalPacket(ro); err == nil {
			t.Errorf("%s: the default mode read the wrong count as made right", name)
		}
	}
	// Only a count that says what the fix's said is read otherwise.
	body := Message{Target: "/1/onResult", Response: "null", Value: 1.0}
	ok, _ := MarshalPacket(&Packet{Messages: []Message{body, body, body}})
	m := defaultDecMode.WithCount(CountFixOf(wrongCounts(t)["low"]))
	if p, err := m.UnmarshalPacket(ok); err != nil || len(p.Messages) != 3 {
		t.Errorf("a right count read otherwise: %v", err)
	}
}

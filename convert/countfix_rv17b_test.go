//go:build unix

package convert

import (
	"encoding/binary"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/readonlymem"
)

// TestLoadWrongCountWritesNothing (rv17b): Load reads a saved reply
// whose message count is wrong (guessed, --from packet, after a PHP
// notice) without writing into its input, which may be a mapping of
// the user's file (dump gives its pages back as it goes: a count
// written there could read as the file has it again), and so does the
// value model's decode of it (wholePacket). Before, the count was
// written into the input while it was read, then given back: with an
// input that takes no writes, Load faulted.
func TestLoadWrongCountWritesNothing(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{body, body}})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(pkt[4:], 1)
	notice := append([]byte("<b>Notice</b>: x\n"), pkt...)
	for _, tc := range []struct {
		name string
		data []byte
		in   InSpec
	}{
		{"guessed", pkt, InSpec{}},
		{"--from packet", pkt, InSpec{Kind: KindPacket, KindSet: true}},
		{"after text", notice, InSpec{}},
	} {
		ro := readonlymem.Copy(t, tc.data)
		readonlymem.NoWrite(t, tc.name+": Load", func() {
			src, err := Load(ro, "r.amf", tc.in)
			if err != nil || src.Count == nil || src.Packet == nil || len(src.Packet.Messages) != 2 {
				t.Fatalf("%s: not read as its bytes say: %v", tc.name, err)
			}
			if err := src.wholePacket(); err != nil || len(src.Packet.Messages) != 2 {
				t.Errorf("%s: wholePacket: %v", tc.name, err)
			}
		})
	}
}

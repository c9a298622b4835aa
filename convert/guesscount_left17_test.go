package convert

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestGuessWrongCountLeft17: a packet that reads whole once its count
// (65535, or both counts) is read as its bytes say is guessed to be a
// packet, as --from packet reads it; it was guessed as bare AMF3 and
// failed at "unknown or invalid marker 0xff at offset 4" (sec17).
func TestGuessWrongCountLeft17(t *testing.T) {
	one, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := amf.MarshalPacket(&amf.Packet{
		Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x=1"}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c65535 := bytes.Clone(one)
	binary.BigEndian.PutUint16(c65535[4:], 0xffff)
	both := bytes.Clone(hdr)
	binary.BigEndian.PutUint16(both[2:], 0xffff)
	binary.BigEndian.PutUint16(both[36:], 0xffff)
	for name, b := range map[string][]byte{"c65535": c65535, "both": both} {
		if g := Detect(b); g.Kind != KindPacket {
			t.Errorf("%s: guessed %v", name, g.Kind)
		}
		src, err := Load(bytes.Clone(b), name, InSpec{})
		if err != nil || src.Kind != KindPacket || src.Count == nil || src.Packet == nil || len(src.Packet.Messages) != 1 {
			t.Errorf("%s: Load: %v", name, err)
		}
	}
}

package client

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reply with text before its packet and after it: the warning about
// the text after says where the packet ends in the reply (as the one
// about the text before counts its bytes from the reply's first), not
// in the packet: "ends at byte 52" of a packet at byte 7 sent a user's
// head -c 52 of the saved reply 7 bytes short.
func TestReplyTextAfterPacketOffsetInReply(t *testing.T) {
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "", Value: "hello"}}})
	if err != nil {
		t.Fatal(err)
	}
	before, after := []byte("<br />\n"), []byte("?>\n")
	body := append(append(bytes.Clone(before), pkt...), after...)
	got, rec, err := sendTo(t, ContentType, body)
	if err != nil || len(got.Messages) != 1 || got.Messages[0].Value != "hello" {
		t.Fatalf("got %v, %v", got, err)
	}
	w := strings.Join(rec.warns, "\n")
	want := fmt.Sprintf("(which ends at byte %d)", len(before)+len(pkt))
	if !strings.Contains(w, want) {
		t.Errorf("warnings %q; want %q", w, want)
	}
	// Text after the packet alone: the reply's offset is the packet's.
	_, rec, err = sendTo(t, ContentType, append(bytes.Clone(pkt), after...))
	if w := strings.Join(rec.warns, "\n"); err != nil || !strings.Contains(w, fmt.Sprintf("(which ends at byte %d)", len(pkt))) {
		t.Errorf("packet then text: %v, warnings %q", err, w)
	}
}

package client

import (
	"encoding/binary"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestBothCountsWrongLeft17: a reply whose header count and message
// count are both wrong (65535 each, 1 header and 1 body held) is read as
// its bytes say, with a warning for each count. convert's hint said
// "call reads such a reply" while call failed with exit 3 (sec17).
func TestBothCountsWrongLeft17(t *testing.T) {
	b, err := amf.MarshalPacket(&amf.Packet{
		Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?x=1"}},
		Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(b[2:], 0xffff)
	binary.BigEndian.PutUint16(b[36:], 0xffff)
	w := &warnings{}
	c := newClient(t, "http://127.0.0.1:1/", Config{Events: w})
	p, err := c.unmarshalReply(b)
	if err != nil || len(p.Headers) != 1 || len(p.Messages) != 1 || p.Messages[0].Value != "ok" {
		t.Fatalf("not read: %v %+v", err, p)
	}
	want := []string{
		"the reply's packet counts 65535 headers (its header count, at byte 2) but holds 1: read as such",
		"the reply's packet counts 65535 bodies (its message count, at byte 36) but holds 1: the reply ends at byte 66",
	}
	if len(w.warns) != 2 || w.warns[0] != want[0] || w.warns[1] != want[1] {
		t.Errorf("warnings %q, want %q", w.warns, want)
	}
	// A second such reply: no warning again.
	if _, err := c.unmarshalReply(b); err != nil || len(w.warns) != 2 {
		t.Errorf("second reply: %v, %d warnings", err, len(w.warns))
	}
}

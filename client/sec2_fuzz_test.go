package client

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// FuzzReplyEstimates: for any reply bytes, the value cost estimate never
// panics and stays within valuecost.MaxPerByte a byte (checkValues and
// the socket Conn skip the pass for inputs under their limit over it),
// as AMF3 frame payloads; findPacket finds packets only where
// amf.PacketStarts says it tries (checkValues estimates those); and partialReply never panics, and gives
// a packet that decodes whole as it decodes (the same bytes once encoded, its
// length fields aside).
func FuzzReplyEstimates(f *testing.F) {
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, c := range caps {
		if b, err := os.ReadFile(c); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	f.Add(append([]byte("<br />\n<b>Notice</b>: x\x00\x03 on line <b>3</b><br />\n"), reply...))
	f.Add([]byte{0, 3, 0, 0, 0, 2, 0, 2, '/', '1', 0, 0, 0, 0, 0, 4, 0x11, 0x0a, 0x03, 0x01, 0, 2, '/', '2', 0, 0, 0, 0, 0, 4, 0x11, 0x09, 0x07, 0x01})
	c, err := New("http://127.0.0.1:1/", Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if cost := valuecost.Packet(amf.NewReader(data, amf.AMF0)); cost < 0 || cost > valuecost.MaxPerByte*int64(len(data)) {
			t.Fatalf("packet %x: cost %d for %d bytes", data, cost, len(data))
		}
		if cost, _ := valuecost.Value(amf.NewReader(data, amf.AMF3)); cost < 0 || cost > valuecost.MaxPerByte*int64(len(data)) {
			t.Fatalf("frame %x: cost %d for %d bytes", data, cost, len(data))
		}
		if i, p, _ := c.findPacket(data); p != nil && !slices.Contains(amf.PacketStarts(data), i) {
			t.Fatalf("findPacket found a packet at %d, not one of amf.PacketStarts %v", i, amf.PacketStarts(data))
		}
		p := c.partialReply(data)
		if whole, err := amf.UnmarshalPacket(data); err == nil && len(whole.Messages) > 0 {
			if p == nil || len(p.Messages) != len(whole.Messages) {
				t.Fatalf("partialReply of a packet of %d messages that decodes: %v", len(whole.Messages), p)
			}
			// The same packet, not only as many messages (but for the
			// length fields, which partialReply does not keep).
			for i := range whole.Messages {
				p.Messages[i].Length = whole.Messages[i].Length
			}
			for i := range min(len(whole.Headers), len(p.Headers)) {
				p.Headers[i].Length = whole.Headers[i].Length
			}
			wb, werr := amf.MarshalPacket(whole)
			pb, perr := amf.MarshalPacket(p)
			if !bytes.Equal(wb, pb) || (werr == nil) != (perr == nil) {
				t.Fatalf("partialReply of %x encodes to %x (%v), the packet to %x (%v)", data, pb, perr, wb, werr)
			}
		}
	})
}

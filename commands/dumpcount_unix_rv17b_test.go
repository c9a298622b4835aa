//go:build unix

package commands

import (
	"encoding/binary"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
	"github.com/amfcall/amfcall/internal/readonlymem"
)

// TestDumpCountReadOnly (rv17b): dumpCount, which tells whether a
// packet whose count is wrong decodes with it made right, reads an
// input that takes no writes (it wrote the count into it, then gave it
// back: a page dump gave back in between read the count as the file
// has it).
func TestDumpCountReadOnly(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{body, body}})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(pkt[4:], 1)
	mode, _ := amf.DecOptions{}.DecMode()
	src := &convert.Source{Kind: convert.KindPacket, Data: readonlymem.Copy(t, pkt)}
	readonlymem.NoWrite(t, "dumpCount", func() {
		if fix := dumpCount(mode, src, false); fix == nil || fix.Found != 2 {
			t.Errorf("dumpCount = %v, want the message count made 2", fix)
		}
	})
}

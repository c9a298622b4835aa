package amf_test

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpCountErrorAsDecoder: a packet whose header or message count
// needs more bytes than are left fails in dump with the decoder's error
// word for word (dump said "amf:" where convert says "amf0:").
func TestDumpCountErrorAsDecoder(t *testing.T) {
	for _, data := range [][]byte{
		{0x00, 0x00, 0x67, 0x61, 0x00},             // 26,465 headers in 1 byte
		{0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00}, // 5 messages in 1 byte
	} {
		_, want := amf.UnmarshalPacket(data)
		if want == nil {
			t.Fatalf("% x decodes", data)
		}
		err := amf.NewDump(data, amf.DumpPacket).Err
		if err == nil || err.Error() != want.Error() {
			t.Errorf("% x: dump's error %v, want the decoder's %v", data, err, want)
		}
	}
}

package amf_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func TestFindPacket(t *testing.T) {
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	notice := []byte("Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n")
	i, p := amf.FindPacket(append(append([]byte{}, notice...), reply...))
	if p == nil || i != len(notice) || len(p.Messages) != 3 {
		t.Fatalf("FindPacket after a notice = %d, %v; want %d and the 3-message reply", i, p, len(notice))
	}
	// Text with zero bytes that start no packet, text only, a cut
	// packet, and a packet after more than MaxPacketPrefix bytes: none.
	long := bytes.Repeat([]byte("x"), amf.MaxPacketPrefix+1)
	for _, in := range [][]byte{
		[]byte("Notice: \x00\x00\x00\x00\x00\x00 nothing"),
		notice,
		append(append([]byte{}, notice...), reply[:len(reply)-1]...),
		append(long, reply...),
	} {
		if i, p := amf.FindPacket(in); p != nil {
			t.Errorf("FindPacket(%.40q...) = %d, a packet", in, i)
		}
	}
}

package convert

import (
	"encoding/binary"
	"testing"
)

// Frames whose first length lies long but under the limit (00 00 00 8e 0a
// ...), more bytes after it than it says and fewer than 142 headers need:
// guessed as a packet of 142 headers cut short. They are frames; a packet
// that reads is still a packet.
func TestDetectLongFirstFrame(t *testing.T) {
	obj := []byte{0x0a, 0x0b, 0x01, 0x03, 'a', 0x04, 0x01, 0x01}
	frame := func(n int) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(n)), obj...) }
	data := frame(0x8e)
	for range 20 {
		data = append(data, frame(len(obj))...)
	}
	if g := Detect(data); g.Kind != KindSocket {
		t.Errorf("Detect = %v (%v), want socket", g.Kind, g.Err)
	}
	pkt := []byte{0, 0, 0, 0, 0, 1, 0, 12, 'g', 'e', 't', 'S', 'n', 'a', 'p', 's', 'h', 'o', 't', 's', 0, 2, '/', '1', 0, 0, 0, 5, 0x0A, 0, 0, 0, 0}
	if g := Detect(pkt); g.Kind != KindPacket {
		t.Errorf("Detect(packet) = %v (%v), want packet", g.Kind, g.Err)
	}
}

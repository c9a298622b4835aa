package amf

import (
	"bytes"
	"encoding/binary"
)

// A PHP gateway (AMFPHP, Zend_Amf) often prints something before its
// AMF bytes: a notice or warning ("Notice: Undefined index: x in
// /var/www/gateway.php on line 12<br />"), a UTF-8 byte order mark or
// white space left in an included file. FindPacket finds the packet
// after such text.
const (
	// MaxPacketPrefix is the most text FindPacket skips: the packet must
	// start within the first 64 KiB.
	MaxPacketPrefix = 64 << 10
	// maxPrefixTries bounds the decodes tried: text seldom holds a zero
	// byte, so the first place that starts a packet is nearly always it.
	maxPrefixTries = 16
)

// StartsPacket reports whether b starts as a remoting packet does: a
// version of 0, 1 or 3.
func StartsPacket(b []byte) bool {
	return len(b) >= 2 && b[0] == 0 && (b[1] == 0 || b[1] == 1 || b[1] == 3)
}

// FindPacket looks for a remoting packet that starts after some bytes
// that are not AMF and decodes to the end of b, with the default
// options. See [DecMode.FindPacket].
func FindPacket(b []byte) (int, *Packet) { return defaultDecMode.FindPacket(b) }

// FindPacket looks for a remoting packet that starts after some bytes
// that are not AMF and decodes to the end of b. It returns where the
// packet starts and the packet, or 0 and nil. The bytes before it are
// never interpreted. Offsets are tried in order, up to
// [MaxPacketPrefix], and at most 16 of them are decoded: each must hold
// a zero byte, version 0 or 3, and a header count that the bytes left
// can hold.
func (m *DecMode) FindPacket(b []byte) (int, *Packet) {
	for _, i := range PacketStarts(b) {
		rest := b[i:]
		if err, known := m.PacketError(rest); known && err != nil {
			continue // told by the tokens, building no value (hostile input)
		}
		if p, err := m.UnmarshalPacket(rest); err == nil {
			return i, p
		}
	}
	return 0, nil
}

// PacketStarts are the offsets at which [FindPacket] tries to decode a
// packet after text, in its order, and no more of them (at most 16):
// those up to [MaxPacketPrefix] that hold a zero byte, version 0 or 3,
// and a header count that the bytes left can hold. A caller that bounds
// what a packet may cost can check each before FindPacket decodes it.
func PacketStarts(b []byte) []int {
	var out []int
	end := min(len(b), MaxPacketPrefix+1)
	for i := 1; i < end && len(out) < maxPrefixTries; i++ {
		j := bytes.IndexByte(b[i:end], 0)
		if j < 0 {
			break
		}
		i += j
		rest := b[i:]
		if len(rest) < 6 || (rest[1] != 0 && rest[1] != 3) {
			continue
		}
		// Each header takes 8 bytes at least, and the message count 2.
		if hc := int(binary.BigEndian.Uint16(rest[2:])); 4+8*hc+2 > len(rest) {
			continue
		}
		out = append(out, i)
	}
	return out
}

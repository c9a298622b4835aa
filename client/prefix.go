package client

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// A PHP gateway (AMFPHP, Zend_Amf) often prints something before its
// AMF bytes: a notice or warning ("Notice: Undefined index: x in
// /var/www/gateway.php on line 12<br />"), a UTF-8 byte order mark or
// white space left in an included file. The client skips such text when
// a whole packet follows it, and says so.
const (
	// maxPrefix is the most text skipped before a packet: the packet
	// must start within the reply's first 64 KiB.
	maxPrefix = 64 << 10
	// maxPrefixTries bounds the decodes tried: text seldom holds a zero
	// byte, so the first place that starts a packet is nearly always it.
	maxPrefixTries = 16
	// prefixShown is how much of the skipped text a warning shows.
	prefixShown = 160
)

// startsPacket reports whether b starts as a remoting packet does: a
// version of 0, 1 or 3.
func startsPacket(b []byte) bool {
	return len(b) >= 2 && b[0] == 0 && (b[1] == 0 || b[1] == 1 || b[1] == 3)
}

// maybePacketAfter reports whether some offset in the first maxPrefix
// bytes of b could start a packet (a zero byte, then version 0 or 3).
func maybePacketAfter(b []byte) bool {
	end := min(len(b)-1, maxPrefix+1)
	for i := 1; i < end; i++ {
		if b[i] == 0 && (b[i+1] == 0 || b[i+1] == 3) {
			return true
		}
	}
	return false
}

// findPacket looks for a packet that starts after some bytes that are not
// AMF and decodes to the end of b. It returns where it starts and the
// packet, or 0 and nil. Offsets are tried in order, up to maxPrefix,
// and at most maxPrefixTries of them are decoded: each must hold version
// 0 or 3 and a header count that the bytes left can hold.
func (c *Client) findPacket(b []byte) (int, *amf.Packet) {
	tries := 0
	end := min(len(b), maxPrefix+1)
	for i := 1; i < end && tries < maxPrefixTries; i++ {
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
		tries++
		if p, err := c.dec.UnmarshalPacket(rest); err == nil {
			return i, p
		}
	}
	return 0, nil
}

// warnSkipped warns about text skipped before a reply's packet, unless
// the previous reply had the same text (a gateway that prints the same
// notice on every reply is warned about once).
func (c *Client) warnSkipped(prefix []byte) {
	c.mu.Lock()
	same := c.skipped == string(prefix)
	c.skipped = string(prefix)
	c.mu.Unlock()
	if !same {
		c.warnf("%s", prefixWarning(prefix))
	}
}

// prefixWarning is the warning for n bytes of text skipped before a packet.
func prefixWarning(prefix []byte) string {
	return fmt.Sprintf("the reply has %d bytes before its AMF packet, skipped: \"%s\"",
		len(prefix), safetext.Escape(string(prefix), prefixShown))
}

// SkippedText renders the bytes a reply had before its packet (see
// [ResponseEvent.Skipped]) whole, escaped so that they cannot drive a
// terminal (new lines become \x0a).
func SkippedText(prefix []byte) string {
	return `"` + safetext.Escape(string(prefix), 0) + `"`
}

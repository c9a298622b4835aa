package client

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/safetext"
)

// Text before a reply's packet (a PHP notice, a byte order mark) is
// skipped when a whole packet follows it (amf.DecMode.FindPacketStart),
// and said; a packet cut short after it is the error of one.

// prefixShown is how much of the skipped text a warning shows.
const prefixShown = 160

// startsPacket reports whether b starts as a remoting packet does.
func startsPacket(b []byte) bool { return amf.StartsPacket(b) }

// maybePacketAfter reports whether some offset in the first
// amf.MaxPacketPrefix bytes of b could start a packet (a zero byte, then
// version 0 or 3).
func maybePacketAfter(b []byte) bool {
	end := min(len(b)-1, amf.MaxPacketPrefix+1)
	for i := 1; i < end; i++ {
		if b[i] == 0 && (b[i+1] == 0 || b[i+1] == 3) {
			return true
		}
	}
	return false
}

// findPacket finds the packet after some text (a PHP notice, a byte
// order mark) in a reply that does not start as one, where amf finds it
// for dump and convert ([amf.DecMode.FindPacketStart], with the
// client's decoding options): it returns where the packet starts and
// the packet, decoded to the end of b; or, for a packet cut short there,
// where it starts and a *CutAfterTextError; or 0, nil, nil. A packet cut
// short is taken before a whole packet further on, which is its own
// bytes: a reply cut just after six zero bytes read as an empty packet.
func (c *Client) findPacket(b []byte) (int, *amf.Packet, error) {
	i, cut, ok := c.dec.FindPacketStart(b)
	if !ok || cut != nil {
		// Text before the packet and after it (a PHP notice, the
		// packet, a closing "?>"): the packet is whole at j, before
		// where any packet cut short starts.
		end := amf.MaxPacketPrefix
		if ok {
			end = min(i, end)
		}
		if j, te := c.dec.PacketThenText(b, end); te != nil && j > 0 {
			if p, err := c.unmarshalReplyAt(b[j:], b[:j]); err == nil {
				return j, p, nil
			}
		}
		// A packet whose count is wrong (recount), after the text; at
		// the first few places a packet may start (each costs a pass
		// over the reply, or two).
		starts := amf.PacketStarts(b)
		for _, j := range starts[:min(len(starts), maxRecountStarts)] {
			if fix, msg := c.recountFix(b[j:], j); fix != nil {
				p, tail, err := c.decodeThenTextCount(b[j:], fix)
				if err == nil {
					// The text first, as the bytes come (Send's own
					// warning of it is then not given twice).
					c.warnSkipped(b[:j])
					c.warnRecount(msg)
					c.warnTrailing(tail, j)
					return j, p, nil
				}
			}
		}
	}
	switch {
	case !ok:
		return 0, nil, nil
	case cut != nil:
		return i, nil, &CutAfterTextError{Text: b[:i:i], Err: cut}
	}
	p, err := c.dec.UnmarshalPacket(b[i:])
	if err != nil {
		// (FindPacketStart said it decodes: not reached.)
		return 0, nil, nil
	}
	return i, p, nil
}

// CutAfterTextError is a reply whose packet, after some text that is
// not AMF (a PHP notice), is cut short. Err is the amf package's error,
// whose offsets count from the packet's first byte, at len(Text) of the
// reply.
type CutAfterTextError struct {
	Text []byte
	Err  error
}

func (e *CutAfterTextError) Error() string {
	return fmt.Sprintf("after %s of text (\"%s\"), a packet cut short: %v (its offsets count from the packet's first byte, at byte %d of the reply)",
		nBytes(len(e.Text)), safetext.Escape(string(e.Text), 60), e.Err, len(e.Text))
}

func (e *CutAfterTextError) Unwrap() error { return e.Err }

// warnSkipped warns about text skipped before a reply's packet, unless
// the previous reply had the same text (a gateway that prints the same
// notice on every reply is warned about once).
func (c *Client) warnSkipped(prefix []byte) {
	d := digestOf(prefix)
	c.mu.Lock()
	same := c.skipped == d
	c.skipped = d
	c.mu.Unlock()
	if !same {
		c.warnf("%s", prefixWarning(prefix))
	}
}

// prefixWarning is the warning for n bytes of text skipped before a packet.
func prefixWarning(prefix []byte) string {
	return fmt.Sprintf("the reply has %s before its AMF packet, skipped: \"%s\"",
		nBytes(len(prefix)), safetext.Escape(string(prefix), prefixShown))
}

// unmarshalReply decodes a reply's packet. Bytes after a whole packet
// (a PHP script's closing "?>\n", a shutdown notice) are left out, with
// a warning quoting them (once while a gateway sends the same), as text
// before a packet is: the packet the gateway meant is all there.
func (c *Client) unmarshalReply(b []byte) (*amf.Packet, error) { return c.unmarshalReplyAt(b, nil) }

// unmarshalReplyAt is unmarshalReply of a packet after the text before
// (at byte len(before) of the reply): the warning says where the packet
// ends in the reply, as the one about the text before it counts (it
// said the packet's own offset, which a user's head -c of the saved
// reply took for the reply's). The text before is said first, as the
// bytes come, when there are other warnings (the caller's own warning
// of it is then not given twice): it came after them.
func (c *Client) unmarshalReplyAt(b, before []byte) (*amf.Packet, error) {
	at := len(before)
	p, err := c.decodePacket(b)
	if err != nil {
		// A count that does not say what the packet holds (gateways
		// that write their packets by hand): the packet with its
		// count made right, when all its bodies then read whole.
		if fix, msg := c.recountFix(b, at); fix != nil {
			q, tail, ferr := c.decodeThenTextCount(b, fix)
			if ferr == nil {
				if before != nil {
					c.warnSkipped(before)
				}
				c.warnRecount(msg)
				c.warnTrailing(tail, at)
				return q, nil
			}
		}
		// Headers past what the count says, which no count made right
		// reads (65,536 of them): say so, rather than a fault in a
		// header's bytes read as a body.
		if at == 0 {
			if herr := c.dec.HeadersMiscounted(b, err); herr != err {
				return nil, herr
			}
		}
	}
	var te *amf.TrailingDataError
	if !errors.As(err, &te) || te.Offset <= 0 || te.Offset > int64(len(b)) {
		return p, err
	}
	p, tail, err := c.decodeThenText(b)
	if err != nil {
		return nil, err
	}
	if before != nil {
		c.warnSkipped(before)
	}
	c.warnTrailing(tail, at)
	return p, nil
}

// decodeThenText decodes the packet at the start of b, and returns the
// bytes after it (nil when there are none).
func (c *Client) decodeThenText(b []byte) (*amf.Packet, *trailingText, error) {
	return c.decodeThenTextCount(b, nil)
}

// decodeThenTextCount is decodeThenText with the count fix made right
// (nil: none), as the bytes say (recountFix); b is not written to.
func (c *Client) decodeThenTextCount(b []byte, fix *amf.CountFix) (*amf.Packet, *trailingText, error) {
	p, err := c.decodePacketCount(b, fix)
	var te *amf.TrailingDataError
	if !errors.As(err, &te) || te.Offset <= 0 || te.Offset > int64(len(b)) {
		return p, nil, err
	}
	if p, err = c.decodePacketCount(b[:te.Offset], fix); err != nil {
		return nil, nil, err
	}
	return p, &trailingText{text: b[te.Offset:], end: te.Offset}, nil
}

// trailingText is the bytes after a reply's packet, which ends at end.
type trailingText struct {
	text []byte
	end  int64
}

// warnTrailing warns of the text after a packet at byte at of the reply,
// unless the previous reply had the same.
func (c *Client) warnTrailing(t *trailingText, at int) {
	if t == nil {
		return
	}
	d := digestOf(t.text)
	c.mu.Lock()
	same := c.trailing == d
	c.trailing = d
	c.mu.Unlock()
	if !same {
		c.warnf("the reply has %s after its AMF packet (which ends at byte %d), ignored: \"%s\"",
			nBytes(len(t.text)), int64(at)+t.end, safetext.Escape(string(t.text), prefixShown))
	}
}

// Gateways that write their packets by hand get a count wrong; the
// bodies are all there: recount has amf read them as the bytes say
// ([amf.DecMode.Recount]), with a warning that names the count and where
// it stands.

// recountFix finds the header or message count of b, the reply's
// packet at byte at of the reply, that does not say what the bytes hold
// ([amf.DecMode.CountFixOf]), and returns it and the warning to give;
// the caller decodes b with it made right (decodeThenTextCount,
// [amf.DecMode.WithCount]). b is not written to (the reply is not
// copied: a 60 MB reply is not held twice; -v and --save-reply see its
// bytes as they came). It returns nil when no count alone is wrong, or
// when the values the count left out would take too much once decoded.
func (c *Client) recountFix(b []byte, at int) (*amf.CountFix, string) {
	fix := c.dec.CountFixOf(b)
	if fix == nil {
		return nil, ""
	}
	// The bodies the count left out were not weighed with the others
	// (checkValues reads as the counts say): a reply whose values would
	// take too much once decoded keeps its count.
	if c.checkValuesMode(c.dec.WithCount(fix), b, "") != nil {
		return nil, ""
	}
	return fix, recountWarning(fix, at, len(b))
}

// recount is recountFix into a copy of b with its count made right,
// which it returns (nil when there is no count to make right); b is
// left as it was.
func (c *Client) recount(b []byte, at int) ([]byte, string) {
	fix, msg := c.recountFix(b, at)
	if fix == nil {
		return nil, ""
	}
	fixed, _ := c.dec.Recount(b)
	return fixed, msg
}

// maxRecountStarts bounds the places after text where findPacket tries
// recount.
const maxRecountStarts = 4

// recountWarning words fix, of a packet of n bytes at byte at of the
// reply ([amf.CountFix.Warning]: convert and dump give the same words).
// Both counts made right give a warning each, a line each.
func recountWarning(fix *amf.CountFix, at, n int) string {
	return strings.Join(fix.Warnings(at, n), "\n")
}

// warnRecount gives the warning of a count recount made right, unless
// the previous reply had the same (a gateway that gets it wrong in every
// reply is warned about once).
func (c *Client) warnRecount(msg string) {
	c.mu.Lock()
	same := c.recounted == msg
	c.recounted = msg
	c.mu.Unlock()
	if !same {
		for _, line := range strings.Split(msg, "\n") {
			c.warnf("%s", line)
		}
	}
}

// SkippedText renders the bytes a reply had before its packet (see
// [ResponseEvent.Skipped]) whole, escaped so that they cannot drive a
// terminal (new lines become \x0a).
func SkippedText(prefix []byte) string {
	return `"` + safetext.Escape(string(prefix), 0) + `"`
}

// nBytes is "1 byte" or "N bytes".
func nBytes(n int) string {
	if n == 1 {
		return "1 byte"
	}
	return strconv.Itoa(n) + " bytes"
}

// decodePacket decodes a reply packet, into the Client's Arena with
// Config.ReuseReplies.
func (c *Client) decodePacket(b []byte) (*amf.Packet, error) { return c.decodePacketCount(b, nil) }

// decodePacketCount is decodePacket with the count fix made right (nil:
// none), as the bytes say ([amf.DecMode.WithCount]).
func (c *Client) decodePacketCount(b []byte, fix *amf.CountFix) (*amf.Packet, error) {
	if c.arena == nil {
		return c.dec.WithCount(fix).UnmarshalPacket(b)
	}
	c.arenaMu.Lock()
	defer c.arenaMu.Unlock()
	return c.arena.UnmarshalPacketCount(b, fix)
}

// textDigest stands for a text, to tell whether the next is the same:
// its length and SHA-256 (the zero value: no text yet).
type textDigest struct {
	n   int
	sum [sha256.Size]byte
}

func digestOf(b []byte) textDigest { return textDigest{len(b), sha256.Sum256(b)} }

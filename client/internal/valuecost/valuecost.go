// Package valuecost estimates what AMF values cost in memory once
// decoded into the amf package's value model, from one pass of the token
// Reader that builds nothing: so that a server charges its memory budget
// for a request before decoding it. Values of a few bytes each (nulls,
// empty objects) decode to 15 to 40 times their size, which a charge of a
// few times the bytes lets through.
package valuecost

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/amfcall/amfcall/amf"
)

// What a value costs beyond its bytes (strings and ByteArrays are
// charged by the input's size): what decoding values of one kind
// allocates, per value (gateway's TestValueCostCoversDecoding): an item
// of an array or any scalar, an interface in its container's slice
// (1-byte nulls allocate 16 bytes each); a complex value, its struct,
// slice headers and reference table entry (an empty AMF3 object of 3
// bytes allocated 124); a member, its name and value (an object of one
// member allocated 156).
const (
	Scalar  = 16
	Complex = 128
	Member  = 32
	// Traits is what an AMF3 object's inline traits (its own, not a
	// reference to earlier traits) cost on top of Complex: the decoded
	// *Traits and class name, which the value shares with no other, and
	// the entry of the decoder's traits table. 40,000 objects of inline
	// traits and short class names (0a 03 <name>, 6 bytes each) held
	// 228 bytes each once decoded, and allocated 641 each while they
	// were (the token Reader's table and the garbage of its growth).
	Traits = 512
)

// MaxPerByte is the most one byte of input can cost: an AMF3 object
// of inline traits takes 3 bytes (0x0a 0x03 0x01, no class name) and
// costs Complex and Traits (by a traits reference it takes 2 bytes,
// 0x0a 0x01, and costs Complex).
const MaxPerByte = (Complex + Traits + 2) / 3

// Value counts the cost of the whole value r reads next and reports
// whether it was read to its end (false: r failed, and the cost is that
// of the tokens before).
func Value(r *amf.Reader) (cost int64, ok bool) {
	// Inline traits: as many as the Reader's traits table grew by
	// (the table starts empty with each value of a packet).
	traits := r.TraitsLen()
	defer func() { cost += Traits * int64(max(0, r.TraitsLen()-traits)) }()
	bp := batches.Get().(*[256]amf.BatchToken)
	defer batches.Put(bp)
	batch := bp
	depth := 0
	for {
		if depth > 0 {
			if k := r.ReadBatch(batch[:]); k > 0 {
				for i := range batch[:k] {
					t := &batch[i]
					if t.Named {
						cost += Member
					}
					switch t.Kind {
					case amf.KindObject, amf.KindECMAArray, amf.KindArray, amf.KindVector, amf.KindDictionary:
						cost += Complex
						depth++
					case amf.KindEnd:
						depth--
					case amf.KindName:
						cost += Member
					default:
						cost += Scalar
					}
				}
				if depth == 0 {
					return cost, true
				}
				continue
			}
		}
		t, err := r.NextToken()
		if err != nil {
			return cost, false
		}
		switch t.Kind {
		case amf.KindSwitch:
			continue
		case amf.KindName:
			cost += Member
			continue
		case amf.KindObject, amf.KindECMAArray, amf.KindArray, amf.KindVector, amf.KindDictionary:
			cost += Complex
			depth++
		case amf.KindEnd:
			depth--
		default:
			cost += Scalar
		}
		if depth == 0 {
			return cost, true
		}
	}
}

// batches are Value's token batches, some 20 KB each: on its stack,
// one grew the stack of every AMF Socket connection's reader that
// charged a Budget (bench's, a gateway's) from 8 to 32 KiB, 120 MB of
// stacks at bench -c 2000.
var batches = sync.Pool{New: func() any { return new([256]amf.BatchToken) }}

// Packet is the cost of the values of the remoting packet r reads (a
// Reader of AMF0 at the packet's start): every header's and message's.
// A packet that does not decode is counted up to where it fails, as the
// decoder gets no further either; its header and message counts are not
// checked against the bytes left (amf.Reader.UncheckedCounts), since
// client's partialReply reads the messages before a cut that way too.
func Packet(r *amf.Reader) int64 {
	r.UncheckedCounts = true
	_, headers, err := r.ReadPacketStart()
	if err != nil {
		return 0
	}
	var cost int64
	for range headers {
		if _, _, _, err := r.ReadHeaderStart(); err != nil {
			return cost
		}
		c, ok := Value(r)
		if cost += c; !ok {
			return cost
		}
	}
	messages, err := r.ReadMessagesStart()
	if err != nil {
		return cost
	}
	for range messages {
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			return cost
		}
		c, ok := Value(r)
		if cost += c; !ok {
			return cost
		}
	}
	return cost
}

// Tables bounds what a token Reader holds at once of its AMF3 object
// and traits tables while it reads data (to count its values), past
// what three times the body covers: every AMF3 object begins with the
// byte 0x0a, so there are at most that many objects, of 4 bytes of
// table each (8 with the table's growth), and as many inline traits,
// of which the Reader keeps the first 4,096 whole (about 180 bytes
// each with a short class name, 256 with the growth of their table),
// the rest a few bytes each. 250 KB of objects of inline traits and
// short class names (0a 03 <name>) made 1.18 MB of tables.
func Tables(data []byte) int64 {
	k := int64(bytes.Count(data, objectMarker))
	return 8*k + keptTraits*min(k, 4096)
}

// ScanTables is Tables for a Reader that reads no reference again
// (amf.Reader.NoReplay, as amf.ScanPacket's): its object table counts
// the objects past its first 65,536, so that the tables it holds are
// 1.5 MiB at most.
func ScanTables(data []byte) int64 {
	k := int64(bytes.Count(data, objectMarker))
	return 8*min(k, 1<<16) + keptTraits*min(k, 4096)
}

// objectMarker is the byte that begins an AMF3 object.
var objectMarker = []byte{0x0a}

// keptTraits is what one traits the token Reader keeps whole holds
// (Tables).
const keptTraits = 256

// Text writes a cost for people: "768 MiB", "625 KiB".
func Text(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)>>10)
}

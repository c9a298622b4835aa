package amf

import (
	"fmt"
	"strconv"
	"strings"
)

// Externalizable classes this package reads and writes. An externalizable
// object writes its own payload, so one of an unknown class cannot be
// skipped: decoding it fails with ErrUnknownExternalizable naming the class.
const (
	ClassArrayCollection = "flex.messaging.io.ArrayCollection"
	ClassArrayList       = "flex.messaging.io.ArrayList"
	ClassObjectProxy     = "flex.messaging.io.ObjectProxy"
	// The Flex small-message forms of AcknowledgeMessage, AsyncMessage and
	// CommandMessage. Their members are the message fields that are set,
	// named as in the full message classes ("body", "clientId",
	// "messageIdBytes", "correlationId", "operation", ...).
	ClassDSK = "DSK"
	ClassDSA = "DSA"
	ClassDSC = "DSC"
)

// IsExternalizable reports whether class is an externalizable class this
// package can read and write.
func IsExternalizable(class string) bool {
	switch class {
	case ClassArrayCollection, ClassArrayList, ClassObjectProxy, ClassDSK, ClassDSA, ClassDSC:
		return true
	}
	return false
}

// wrapperField is the single member of the Flex wrapper classes.
func wrapperField(class string) string {
	switch class {
	case ClassArrayCollection, ClassArrayList:
		return "source"
	case ClassObjectProxy:
		return "object"
	}
	return ""
}

// Flag groups of the small messages, base class first; each group is a list
// of flag bytes, each a list of field names by bit.
var (
	groupAbstract = [][]string{
		{"body", "clientId", "destination", "headers", "messageId", "timestamp", "timeToLive"},
		{"clientIdBytes", "messageIdBytes"},
	}
	groupAsync   = [][]string{{"correlationId", "correlationIdBytes"}}
	groupAck     = [][]string{}
	groupCommand = [][]string{{"operation"}}
)

func smallGroups(class string) [][][]string {
	switch class {
	case ClassDSK:
		return [][][]string{groupAbstract, groupAsync, groupAck}
	case ClassDSA:
		return [][][]string{groupAbstract, groupAsync}
	case ClassDSC:
		return [][][]string{groupAbstract, groupAsync, groupCommand}
	}
	return nil
}

// unknownField names the value of a flag bit this package does not know,
// so that it survives a round trip.
func unknownField(group, byteIdx, bit int) string {
	return "unknown_" + strconv.Itoa(group) + "_" + strconv.Itoa(byteIdx) + "_" + strconv.Itoa(bit)
}

func parseUnknownField(name string) (group, byteIdx, bit int, ok bool) {
	rest, found := strings.CutPrefix(name, "unknown_")
	if !found {
		return 0, 0, 0, false
	}
	parts := strings.Split(rest, "_")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 1000 {
			return 0, 0, 0, false
		}
		n[i] = v
	}
	if n[1] >= maxFlagBytes || n[2] > 6 {
		return 0, 0, 0, false
	}
	return n[0], n[1], n[2], true
}

// maxFlagBytes bounds the flag bytes of one group of a small message.
const maxFlagBytes = 64

func (d *decoder) readExternal(off int, o *Object) error {
	if f := wrapperField(o.Class); f != "" {
		v, err := d.value3()
		if err != nil {
			return withSeg(err, f)
		}
		start := len(d.scratch)
		d.scratch = append(d.scratch, Member{f, v})
		o.Members = d.members(start)
		return nil
	}
	groups := smallGroups(o.Class)
	if groups == nil {
		return d.fail(AMF3, off, fmt.Errorf("%w %s", ErrUnknownExternalizable, quoteShort(o.Class, 60)))
	}
	start := len(d.scratch)
	for g, names := range groups {
		var flagBuf [maxFlagBytes]byte
		flags := flagBuf[:0]
		for {
			b, err := d.u8(AMF3)
			if err != nil {
				d.popScratch(start)
				return err
			}
			if len(flags) == maxFlagBytes {
				d.popScratch(start)
				return d.failf(AMF3, d.off-1, "%s: more than %d flag bytes", o.Class, maxFlagBytes)
			}
			flags = append(flags, b)
			if b&0x80 == 0 {
				break
			}
		}
		for i, fb := range flags {
			for bit := 0; bit < 7; bit++ {
				if fb&(1<<bit) == 0 {
					continue
				}
				name := unknownField(g, i, bit)
				if i < len(names) && bit < len(names[i]) {
					name = names[i][bit]
				}
				v, err := d.value3()
				if err != nil {
					d.popScratch(start)
					return withSeg(err, name)
				}
				d.scratch = append(d.scratch, Member{name, v})
			}
		}
	}
	o.Members = d.members(start)
	return nil
}

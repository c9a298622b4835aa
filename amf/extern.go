package amf

import (
	"crypto/rand"
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

// The Flex message classes (flex.messaging.messages.*), in their standard
// (not small) form: plain typed objects, written with inline traits.
const (
	ClassRemotingMessage    = "flex.messaging.messages.RemotingMessage"
	ClassCommandMessage     = "flex.messaging.messages.CommandMessage"
	ClassAsyncMessage       = "flex.messaging.messages.AsyncMessage"
	ClassAcknowledgeMessage = "flex.messaging.messages.AcknowledgeMessage"
	ClassErrorMessage       = "flex.messaging.messages.ErrorMessage"
	// FlexMessagePrefix begins the class name of every Flex message.
	FlexMessagePrefix = "flex.messaging.messages."
)

// IsFlexMessage reports whether class is a Flex message class: one of
// flex.messaging.messages.*, or a small form (DSK, DSA, DSC).
func IsFlexMessage(class string) bool {
	return strings.HasPrefix(class, FlexMessagePrefix) || class == ClassDSK || class == ClassDSA || class == ClassDSC
}

// NewFlexID returns a random (version 4) UUID in the upper-case form
// Flex uses for message and client ids.
func NewFlexID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return FlexID(b[:])
}

// FlexID formats 16 bytes (the clientIdBytes, messageIdBytes or
// correlationIdBytes of a small message) as an upper-case UUID
// (8-4-4-4-12). Any other length gives "".
func FlexID(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	const hex = "0123456789ABCDEF"
	out := make([]byte, 0, 36)
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[x>>4], hex[x&15])
	}
	return string(out)
}

// FlexField returns a field of a Flex message in either form, unwrapped
// from any AMF3 switch: for a small message, clientId, messageId and
// correlationId come from their 16-byte forms (clientIdBytes, ...) when
// only those are set. A field that is not there is nil.
func FlexField(o *Object, name string) any {
	if o == nil {
		return nil
	}
	if v, ok := o.Get(name); ok {
		return Unwrap(v)
	}
	switch name {
	case "clientId", "messageId", "correlationId":
		if v, ok := o.Get(name + "Bytes"); ok {
			if ba, ok := Unwrap(v).(*ByteArray); ok {
				if s := FlexID(ba.Data); s != "" {
					return s
				}
			}
		}
	}
	return nil
}

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

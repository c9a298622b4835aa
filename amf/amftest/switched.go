package amftest

import (
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// SwitchedCase is a version-3 reply whose value is an AMF0 strict array
// of items each switched to AMF3 with its own 0x11 marker (as BlazeDS
// and Flash write a batch), made by hand so that its references are the
// ones named: Cross says whether an AMF3 string or traits reference
// points into an earlier switch of the value (Message.CrossEscapeRefs),
// Fresh whether the value has several switches and no such reference
// (amf.PacketPart's FreshSwitches: it reads the same with each switch's
// strings and traits let go at the next; an object or date reference
// into an earlier switch does not count), Valid whether the packet
// decodes.
type SwitchedCase struct {
	Name   string
	Packet []byte
	Cross  bool
	Fresh  bool
	Valid  bool
}

// SwitchedCases are the hand-made cases of references across 0x11
// switches: strings (values, dynamic and sealed member names, class
// names, a Vector.<Object> type name, an associative array key, inside
// an ArrayCollection and deep in arrays, where a token reader's runs
// read them), traits, objects and dates (which do not count: the
// encoder always writes them as references), references inside one
// switch, and references that do not resolve: past the table, or into
// the value of another message (each value is a reference context of
// its own).
func SwitchedCases() []SwitchedCase {
	const (
		abc   = `06 07 "abc"`              // the string "abc", inline
		objA  = `0A 0B 01 03 "a" 04 01 01` // {a: 1}, dynamic traits inline
		empty = `0A 0B 01 01`              // {}, dynamic traits inline
	)
	cases := []struct {
		name         string
		items        []string
		cross, fresh bool
	}{
		{"string", []string{abc, `06 00`}, true, false},
		{"string, three switches", []string{abc, `06 07 "xyz"`, `06 00`}, true, false},
		{"string in its switch", []string{`09 05 01 ` + abc + ` 06 00`, `06 07 "xyz"`}, false, true},
		{"string two bytes", []string{abc, `06 80 00`}, true, false},
		{"string two bytes in an array", []string{abc, `09 03 01 06 80 00`}, true, false},
		{"member name", []string{objA, `0A 0B 01 00 04 02 01`}, true, false},
		{"sealed name", []string{`06 03 "a"`, `0A 13 01 00 04 05`}, true, false},
		{"sealed name inline", []string{`06 03 "a"`, `0A 13 01 03 "b" 04 05`}, false, true},
		{"class name", []string{abc, `0A 03 00`}, true, false},
		{"traits", []string{empty, `0A 01 01`}, true, false},
		{"traits in its switch", []string{`09 05 01 ` + empty + ` 0A 01 01`, empty}, false, true},
		{"object", []string{empty, `0A 00`}, false, true},
		{"object read again", []string{`09 05 01 06 03 "a" 0A 0B 01 00 04 01 01`, `0A 02`}, false, true},
		{"date", []string{`08 01 42 78 BC FE 56 80 00 00`, `08 00`}, false, true},
		{"vector type", []string{abc, `10 01 00 00`}, true, false},
		{"array key", []string{abc, `09 03 00 04 01 01 04 02`}, true, false},
		{"deep in an array", []string{abc, `09 09 01 04 01 04 02 04 03 06 00`}, true, false},
		{"deep in objects", []string{objA, `0A 0B 01 03 "b" 0A 0B 01 03 "c" 06 00 01 01`}, true, false},
		{"array collection", []string{abc, `0A 07 43 "flex.messaging.io.ArrayCollection" 09 03 01 06 00`}, true, false},
		{"strings in their switches", []string{`09 05 01 ` + abc + ` 06 00`, `09 05 01 06 07 "xyz" 06 02`}, false, true},
		{"names in their switches", []string{objA + ` `, `0A 0B 01 03 "b" 04 02 01`, `0A 0B 01 03 "c" 0A 0B 01 04 04 03 01 01`}, false, true},
		{"object in its switch", []string{`09 05 01 ` + empty + ` 0A 02`, empty}, false, true},
		{"no switch before", []string{`06 00`}, false, false},
		{"past the table", []string{abc, `06 02`}, false, false},
		{"traits past the table", []string{empty, `0A 05 01`}, false, false},
	}
	out := make([]SwitchedCase, 0, len(cases)+1)
	for _, c := range cases {
		valid := !strings.Contains(c.name, "past") && c.name != "no switch before"
		out = append(out, SwitchedCase{c.name, SwitchedPacket([][]string{c.items}), c.cross, c.fresh, valid})
	}
	// The second message refers to its second string, which it does not
	// have: the first message has two (each value a context of its own).
	out = append(out, SwitchedCase{"other message", SwitchedPacket([][]string{{abc, `06 07 "def"`}, {`06 07 "xyz"`, `06 02`}}), false, false, false})
	return out
}

// SwitchedPacket is a version-3 packet of one reply per value, each an
// AMF0 strict array of the given items (AMF3 bytes, in the hex and
// quoted text of the cases) each behind its own 0x11 marker.
func SwitchedPacket(values [][]string) []byte {
	b := []byte{0, 3, 0, 0}
	b = binary.BigEndian.AppendUint16(b, uint16(len(values)))
	for i, items := range values {
		v := []byte{0x0A}
		v = binary.BigEndian.AppendUint32(v, uint32(len(items)))
		for _, it := range items {
			v = append(v, 0x11)
			v = append(v, hexText(it)...)
		}
		target := "/" + string(rune('1'+i)) + "/onResult"
		b = binary.BigEndian.AppendUint16(b, uint16(len(target)))
		b = append(b, target...)
		b = append(b, 0, 4, 'n', 'u', 'l', 'l')
		b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
		b = append(b, v...)
	}
	return b
}

// hexText reads hex digits, spaces and "quoted" text as bytes.
func hexText(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ':
		case '"':
			j := strings.IndexByte(s[i+1:], '"')
			out = append(out, s[i+1:i+1+j]...)
			i += j + 1
		default:
			b, err := hex.DecodeString(s[i : i+2])
			if err != nil {
				panic("amftest: bad hex in " + s)
			}
			out = append(out, b...)
			i++
		}
	}
	return out
}

// SwitchedChain is a version-3 reply whose value is an AMF0 strict array
// of n items, each switched to AMF3 with its own 0x11 marker and each an
// AMF3 array of a new W1 object and the previous item's object (the
// first item's array holds its object alone): every switch holds an
// object reference back into the switch before it (amf.PacketPart's
// RefsBack), and no string or traits reference across switches
// (FreshSwitches). 650,000 items make about 97 MB.
func SwitchedChain(n int) *amf.Packet {
	objs := W1(n).Dense
	items := make([]any, n)
	for i, o := range objs {
		a := &amf.Array{Dense: []any{o}}
		if i > 0 {
			a.Dense = append(a.Dense, objs[i-1])
		}
		items[i] = amf.AVMPlus{Value: a}
	}
	return &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: &amf.Array{Dense: items}}}}
}

// SwitchedRoundRobin is a hostile version-3 reply for a writer that
// reads shared values again (plain JSON): an AMF0 strict array whose
// first items are switches of an AMF3 array of strs one-letter strings
// (each a table entry: 3 bytes of input, a string-table entry to keep)
// and an empty object, and whose refs items after them are switches
// each holding one reference to the object of one of those switches,
// taken in turn. Reading each reference again needs the tables of its
// switch, and going round them keeps none for long.
func SwitchedRoundRobin(switches, strs, refs int) []byte {
	b := []byte{0, 3, 0, 0, 0, 1}
	target := "/1/onResult"
	b = binary.BigEndian.AppendUint16(b, uint16(len(target)))
	b = append(b, target...)
	b = append(b, 0, 4, 'n', 'u', 'l', 'l')
	lenAt := len(b)
	b = append(b, 0, 0, 0, 0, 0x0A)
	b = binary.BigEndian.AppendUint32(b, uint32(switches+refs))
	for range switches {
		b = append(b, 0x11, 0x09)
		b = appendU29(b, uint32(strs+1)<<1|1)
		b = append(b, 0x01)
		for range strs {
			b = append(b, 0x06, 0x03, 'a')
		}
		b = append(b, 0x0A, 0x0B, 0x01, 0x01)
	}
	for i := range refs {
		// Switch k's array is object 2k, its object 2k+1.
		b = append(b, 0x11, 0x0A)
		b = appendU29(b, uint32(2*(i%switches)+1)<<1)
	}
	binary.BigEndian.PutUint32(b[lenAt:], uint32(len(b)-lenAt-4))
	return b
}

// appendU29 appends v (below 2^29) as an AMF3 U29.
func appendU29(b []byte, v uint32) []byte {
	switch {
	case v < 1<<7:
		return append(b, byte(v))
	case v < 1<<14:
		return append(b, byte(v>>7)|0x80, byte(v&0x7F))
	case v < 1<<21:
		return append(b, byte(v>>14)|0x80, byte(v>>7)|0x80, byte(v&0x7F))
	}
	return append(b, byte(v>>22)|0x80, byte(v>>15)|0x80, byte(v>>8)|0x80, byte(v))
}

package convert

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A version 3 packet's array is written with each item switched to AMF3
// on its own, and the Writer forgets the string and traits entries of
// earlier switches once there are many (they cannot be referred to; the
// numbering goes on). A plain JSON reply of 1,000,000 such items took
// 458 MB and 3.6 s before; here a few thousand items, with strings that
// repeat within an item, strings met once, class names and sealed
// traits, must read back as they were written (the decoder is the
// judge), with references to this item's entries numbered after all the
// dropped ones.
func TestSwitchedItemsForgetEarlierEntries(t *testing.T) {
	const n = 3000
	var typed, plain strings.Builder
	typed.WriteString(`{"version":3,"messages":[{"target":"/1/onResult","response":"null","value":[`)
	plain.WriteString(`{"version":3,"headers":[],"messages":[{"target":"/1/onResult","response":"null","value":[`)
	for i := range n {
		if i > 0 {
			typed.WriteByte(',')
			plain.WriteByte(',')
		}
		switch i % 3 {
		case 0: // anonymous, a string met once and one repeated in the item
			fmt.Fprintf(&typed, `{"id":"s%d","again":"s%d","sub":{"k":"v"}}`, i, i)
			fmt.Fprintf(&plain, `{"id":"s%d","again":"s%d","sub":{"k":"v"}}`, i, i)
		case 1: // a typed object: sealed traits by class name
			fmt.Fprintf(&typed, `{"$class":"C%d","a":"t%d","b":%d}`, i%7, i, i)
			fmt.Fprintf(&plain, `{"a":"t%d","b":%d}`, i, i)
		default: // two objects of one class in the item: the second refers to the traits
			fmt.Fprintf(&typed, `[{"$class":"D","x":"u%d"},{"$class":"D","x":"u%d"}]`, i, i)
			fmt.Fprintf(&plain, `[{"x":"u%d"},{"x":"u%d"}]`, i, i)
		}
	}
	typed.WriteString(`]}]}`)
	plain.WriteString("]}]}")

	data, err := AppendPacketJSON(nil, []byte(typed.String()))
	if err != nil {
		t.Fatal(err)
	}
	p, err := amf.UnmarshalPacket(data)
	if err != nil {
		t.Fatalf("the packet written does not decode: %v", err)
	}
	got, err := AppendPacket(nil, p, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := plain.String(); string(bytes.TrimSpace(got)) != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("read back differs at byte %d: %.80q, want %.80q", i, got[i:], want[i:])
	}
	// And the typed form of what was read writes the same bytes again.
	tj, err := AppendPacket(nil, p, &Options{Typed: true})
	if err != nil {
		t.Fatal(err)
	}
	again, err := AppendPacketJSON(nil, tj)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("typed round trip: %d bytes, want the %d written first", len(again), len(data))
	}
}

package convert

import (
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// bigTraitsInput is an AMF3 array of n objects of distinct sealed
// traits (class "C", one name each), then objects that refer to the
// traits of refs, then one whose inline traits equal those of the last.
func bigTraitsInput(n int, refs []int) []byte {
	in := amf.AppendU29([]byte{0x09}, uint32(n+len(refs)+1)<<1|1)
	in = append(in, 0x01)
	obj := func(i int) {
		in = append(in, 0x0a, 1<<4|0x03)
		if i == 0 {
			in = append(in, 0x03, 'C')
		} else {
			in = append(in, 0x00) // "C", a reference
		}
		s := "n" + strconv.Itoa(i)
		in = append(amf.AppendU29(in, uint32(len(s))<<1|1), s...)
		in = append(in, 0x04, byte(i&0x3F))
	}
	for i := range n {
		obj(i)
	}
	for _, i := range refs {
		in = amf.AppendU29(append(in, 0x0a), uint32(i)<<2|1)
		in = append(in, 0x04, byte(i&0x3F))
	}
	obj(n - 1) // inline again: its name is a reference now
	return in
}

// TestBigTraitsTable: past the 65,536 traits the token Reader keeps
// whole (amf.Reader.KeepTraits), plain JSON and typed JSON, written by
// the direct writers, are what the value path writes: typed JSON tells
// an object of the same traits entry (a reference) from one of equal
// traits written again, which needs every traits entry to keep its
// identity.
func TestBigTraitsTable(t *testing.T) {
	if testing.Short() {
		t.Skip("70,000 traits")
	}
	n := 70_000
	data := bigTraitsInput(n, []int{0, 65_535, 65_536, 65_537, n - 1, n - 1, 65_536, 3})
	if !checkTyped(t, data, amf.AMF3, &Options{Typed: true}) {
		t.Fatal("the direct writer did not take the input")
	}
	checkDirect(t, data, amf.AMF3, &Options{})
}

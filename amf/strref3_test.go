package amf_test

import (
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A reference to a string past the 8,192nd of the table takes a U29 of
// three bytes. The value decoder's fast path for string references took
// the first byte of such a U29 for a reference of its own (0x82 81 36,
// string 16,475, read as string 65) and went on two bytes early: the
// rest of the value was misread, or failed far from the cause (a version
// 3 packet of 1,276 objects written from plain JSON did not read back).
func TestStringReferenceOfThreeBytes(t *testing.T) {
	strs := make([]any, 20000)
	for i := range strs {
		strs[i] = fmt.Sprintf("s%d", i)
	}
	obj := &amf.Object{Members: []amf.Member{
		{Name: "far", Value: "s16475"}, // U29 (16475<<1): three bytes
		{Name: "mid", Value: "s9000"},  // two bytes
		{Name: "near", Value: "s30"},   // one byte
		{Name: "next", Value: 1.5},
	}}
	in := &amf.Array{Dense: []any{&amf.Array{Dense: strs}, obj, []any{"s19999", obj.Members[0].Value}}}
	data, err := amf.Marshal(in, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := amf.Unmarshal(data, amf.AMF3, &v); err != nil {
		t.Fatal(err)
	}
	got := v.(*amf.Array).Dense[1].(*amf.Object)
	for i, m := range obj.Members {
		if len(got.Members) <= i || got.Members[i] != m {
			t.Fatalf("read back %v, want %v", got.Members, obj.Members)
		}
	}
	last := v.(*amf.Array).Dense[2].(*amf.Array).Dense
	if len(last) != 2 || last[0] != "s19999" || last[1] != "s16475" {
		t.Errorf("last array read back as %v", last)
	}
}

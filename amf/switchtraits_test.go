package amf_test

import (
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// amf.Marshal of an AMF0 array whose items are switched to AMF3 one by
// one: once an earlier switch made over 256 traits the Writer drops them
// and numbers on from traitOff (6599a48), but the model encoder's
// object3 indexed its traits slice by the absolute traits index: a
// typed object after that panicked (index out of range [300] with
// length 1) or took another entry's shape.
func TestSwitchedTraitsAfterDrop(t *testing.T) {
	many := make([]any, 300)
	for i := range many {
		c := fmt.Sprintf("C%d", i)
		many[i] = &amf.Object{Class: c, Members: []amf.Member{{Name: "m", Value: amf.Int(i)}}}
	}
	obj := func() *amf.Object {
		return &amf.Object{Class: "K", Members: []amf.Member{{Name: "a", Value: amf.Int(1)}}}
	}
	in := &amf.Array{Dense: []any{
		amf.AVMPlus{Value: &amf.Array{Dense: many}},
		amf.AVMPlus{Value: &amf.Array{Dense: []any{obj(), obj()}}},
	}}
	data, err := amf.Marshal(in, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := amf.Unmarshal(data, amf.AMF0, &v); err != nil {
		t.Fatal(err)
	}
	got := amf.Unwrap(v.(*amf.Array).Dense[1]).(*amf.Array).Dense
	for _, g := range got {
		o := g.(*amf.Object)
		if o.Class != "K" || len(o.Members) != 1 || o.Members[0] != (amf.Member{Name: "a", Value: amf.Int(1)}) {
			t.Fatalf("read back %+v", o)
		}
	}
}

package amf_test

import (
	"bytes"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// The members of decoded objects and the items of decoded arrays are cut
// from chunks shared by many values, each slice's capacity at its length:
// appending to one allocates anew and never writes into another value's
// elements. Every slice of W1 gets one element appended (its neighbours
// appended to as well, in walk order), then each appended element must
// still be there and, taken off again, the value must encode to the
// input.
func TestAppendToDecodedSlices(t *testing.T) {
	rows := amftest.W1(300)
	for _, it := range rows.Dense[:5] { // some associative parts too
		it.(*amf.Object).Members[6].Value.(*amf.Array).Assoc = []amf.Member{{Name: "k", Value: amf.Int(1)}}
	}
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(rows, ver)
		if err != nil {
			t.Fatal(err)
		}
		decoders := map[string]func(*any) error{
			"Unmarshal": func(v *any) error { return amf.Unmarshal(data, ver, v) },
			"Arena":     func(v *any) error { return amf.NewArena().Unmarshal(data, ver, v) },
		}
		for name, decode := range decoders {
			var v any
			if err := decode(&v); err != nil {
				t.Fatal(err)
			}
			type grown struct {
				members *[]amf.Member
				items   *[]any
				n       int
			}
			var all []grown
			var walk func(v any)
			walk = func(v any) {
				switch x := v.(type) {
				case *amf.Object:
					for _, m := range x.Members {
						walk(m.Value)
					}
					all = append(all, grown{members: &x.Members, n: len(x.Members)})
				case *amf.ECMAArray:
					for _, m := range x.Members {
						walk(m.Value)
					}
					all = append(all, grown{members: &x.Members, n: len(x.Members)})
				case *amf.Array:
					for _, it := range x.Dense {
						walk(it)
					}
					for _, m := range x.Assoc {
						walk(m.Value)
					}
					all = append(all, grown{items: &x.Dense, n: len(x.Dense)}, grown{members: &x.Assoc, n: len(x.Assoc)})
				}
			}
			walk(v)
			if len(all) < 3*300 {
				t.Fatalf("%v %s: %d slices", ver, name, len(all))
			}
			junk := amf.Member{Name: "appended", Value: "junk"}
			for _, g := range all {
				if g.members != nil {
					*g.members = append(*g.members, junk)
				} else {
					*g.items = append(*g.items, "junk")
				}
			}
			for i, g := range all {
				if g.members != nil {
					if ms := *g.members; len(ms) != g.n+1 || ms[g.n] != junk {
						t.Fatalf("%v %s: slice %d: the appended member was overwritten", ver, name, i)
					}
					*g.members = (*g.members)[:g.n]
				} else {
					if it := *g.items; len(it) != g.n+1 || it[g.n] != "junk" {
						t.Fatalf("%v %s: slice %d: the appended item was overwritten", ver, name, i)
					}
					*g.items = (*g.items)[:g.n]
				}
			}
			out, err := amf.Marshal(v, ver)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("%v %s: appending to decoded slices changed other values", ver, name)
			}
		}
	}
}

package amf

import (
	"strings"
	"testing"
)

// The builder reads the commonest values itself (fast3, fast0 and the
// member loops of tokenvalue.go) and leaves the rest, and anything cut
// short or at a limit, to the Reader. Around every limit, and for every
// prefix of the input, it must read as the Reader's token walk and a
// one-byte stream Reader (which take none of those paths) do: same
// values, same errors (message, offset, path). checkReader compares them.
func TestFastPathsAgree(t *testing.T) {
	nest := func(d int) any { // d anonymous objects, one in the other
		var v any = Int(1)
		for i := 0; i < d; i++ {
			v = &Object{Members: []Member{{Name: "a", Value: v}, {Name: "n", Value: nil}}}
		}
		return v
	}
	nestStrict := func(d int) any {
		var v any = 1.5
		for i := 0; i < d; i++ {
			v = &Array{Dense: []any{v, "s"}}
		}
		return v
	}
	members := func(n int, v func(i int) any) *Object {
		o := &Object{}
		for i := 0; i < n; i++ {
			o.Members = append(o.Members, Member{Name: "m" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Value: v(i)})
		}
		return o
	}
	items := func(n int, v func(i int) any) *Array {
		a := &Array{Dense: []any{}}
		for i := 0; i < n; i++ {
			a.Dense = append(a.Dense, v(i))
		}
		return a
	}
	scalars := func(i int) any {
		return []any{nil, true, false, Int(i), Int(200 + i), 2.5, "name", &Date{Ms: float64(i)}, Undefined{}}[i%9]
	}
	var values []any
	for _, n := range []int{7, 8, 9} {
		values = append(values, items(2, func(int) any { return nest(n) }), nestStrict(n))
	}
	for _, n := range []int{15, 16, 17} {
		values = append(values,
			members(n, scalars),
			items(2, func(int) any { return members(n, func(int) any { return Int(1) }) }),
			&Object{Members: []Member{{Name: "d", Value: items(n, func(int) any { return Int(3) })}}},
			items(2, func(int) any { return items(n, func(i int) any { return float64(i) }) }),
			items(n, func(i int) any { return &Date{Ms: float64(i)} }),
			items(n, func(int) any { return &Object{Members: []Member{{Name: "x", Value: "y"}}} }),
		)
	}
	for _, n := range []int{255, 256, 257} {
		values = append(values, members(3, func(int) any { return strings.Repeat("x", n) }))
	}
	for _, n := range []int{15, 16, 17} {
		// Typed objects: sealed members in AMF3.
		o := members(n, scalars)
		o.Class = "T"
		values = append(values, o, items(2, func(int) any {
			o := members(3, scalars)
			o.Class = "U"
			return o
		}))
	}
	values = append(values, members(40, scalars), items(40, scalars))
	// A remoting result's rows (amftest.W1): anonymous objects of the
	// same names, each with a nested object, a date and a small array.
	rows := &Array{Dense: []any{}}
	for i := 0; i < 3; i++ {
		rows.Dense = append(rows.Dense, &Object{Members: []Member{
			{Name: "id", Value: Int(i + 1)}, {Name: "name", Value: []string{"p", "q"}[i%2]},
			{Name: "price", Value: float64(i) + 0.99}, {Name: "inStock", Value: i%2 == 0},
			{Name: "updated", Value: &Date{Ms: 1.7e12 + float64(i)}},
			{Name: "supplier", Value: &Object{Members: []Member{{Name: "city", Value: "c"}, {Name: "country", Value: "k"}}}},
			{Name: "dims", Value: &Array{Dense: []any{Int(i), Int(37), Int(3)}}},
			{Name: "note", Value: nil},
		}})
	}
	values = append(values, rows, typedRows(rows))
	modes := []*DecMode{defaultDecMode, tightDecMode}
	for _, o := range []DecOptions{{AllowInvalidUTF8: true}, {Profile: ProfilePyAMF}} {
		m, err := o.DecMode()
		if err != nil {
			t.Fatal(err)
		}
		modes = append(modes, m)
	}
	for _, ver := range []Version{AMF0, AMF3} {
		for _, v := range values {
			data, err := Marshal(v, ver)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range modes {
				for n := 0; n <= len(data); n++ {
					if sampled(n, len(data)+1) {
						checkReader(t, m, data[:n], ver)
					}
				}
			}
		}
		// The rows, anonymous and typed, with each byte in turn made an
		// invalid marker: errors in the values of members (which the
		// builder names in the frame only once the value has failed)
		// carry the same path as the token walk's.
		for _, v := range []any{rows, typedRows(rows)} {
			data, err := Marshal(v, ver)
			if err != nil {
				t.Fatal(err)
			}
			for i := range data {
				bad := append([]byte{}, data...)
				bad[i] = 0x7F
				checkReader(t, defaultDecMode, bad, ver)
			}
		}
	}
}

// typedRows is a copy of the rows of a result with class names: in AMF3 their
// members are sealed.
func typedRows(rows *Array) *Array {
	out := &Array{Dense: []any{}}
	for _, it := range rows.Dense {
		o := *it.(*Object)
		o.Class = "com.example.Product"
		o.Members = append([]Member{}, o.Members...)
		for i, m := range o.Members {
			if s, ok := m.Value.(*Object); ok {
				c := *s
				c.Class = "com.example.Supplier"
				o.Members[i].Value = &c
			}
		}
		out.Dense = append(out.Dense, &o)
	}
	return out
}

package convert

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// fastShapes is every kind of value writeFast writes in line, with the
// values at the edges of what it takes (and just past them, for
// writeTokens), as members with names cached and not, and as items.
func fastShapes() any {
	var vals []any
	for _, i := range []int{0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10000, 12345, 99999, 100000, 9999999, 10000000, 99999999, 100000000, 268435455, -1, -9999, -268435456} {
		vals = append(vals, amf.Int(i))
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1, 7, 9999, 10000, 99999999, 1e8, 1e15, -1, -42,
		0.5, 0.99, 1.5, 0.0001, 0.00005, 0.00015, 1.00005, 2.675, 0.1 + 0.2, 999.9999, 999.99995, 999.5, 1000.5,
		123.456, -12.25, -0.0001, -999.9999, 1.10, 1.01, 1.001, 12.3400, 5e-324, 1e-5, 1 / 3.0,
		math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64} {
		vals = append(vals, x)
	}
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "abcdefg", "abcdefgh", "abcdefghijklmno", "abcdefghijklmnop",
		"abcdefghijklmnopq", `"bcdefgh`, `abcdefg"`, `abcdefgh"`, `abcdefghijklmno"`, `ab\d`, "a\x01cdefghi", "abcdefg\x1f",
		"caf\u00e9", "caf\u00e9 au lait", "\x7fbcd", "a/cd<e>", "abcdefghijklmnopqrstuvwxyz0123456789"} {
		vals = append(vals, s)
	}
	day := 1700000000000.0
	for _, ms := range []float64{day, day + 1, day + 1000, day + 86400000, day + 1, -1, -86400000, 0, math.Copysign(0, -1),
		253402300799999, 253402300800000, -62167219200000, -62167219200001, day + 0.5, math.NaN()} {
		vals = append(vals, &amf.Date{Ms: ms})
	}
	vals = append(vals, true, false, nil, &amf.Object{}, &amf.Array{}, &amf.Array{Dense: []any{&amf.Array{}}})
	var members []amf.Member
	for i, v := range vals {
		name := fmt.Sprintf("m%d", i%7)
		switch i % 5 {
		case 3:
			name = strings.Repeat("n", 14+i%4) // around copyWord with the quotes
		case 4:
			name = fmt.Sprintf("k\"%d", i%3) // escaped
		}
		members = append(members, amf.Member{Name: name + fmt.Sprint(i/7), Value: v})
	}
	inner := &amf.Object{Members: members}
	return &amf.Array{Dense: []any{
		&amf.Array{Dense: vals},
		inner,
		&amf.Object{Members: []amf.Member{{Name: "a", Value: inner}, {Name: "b", Value: &amf.Array{Dense: vals}}}},
		&amf.Array{Dense: vals}, // again: strings and names cached now
		inner,
	}}
}

// TestDirectFastShapes: what writeFast writes in line is what the value
// model writes, for every shape it takes and those next to them.
func TestDirectFastShapes(t *testing.T) {
	v := fastShapes()
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(v, ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range []*Options{{}, {MaxOutput: 700}} {
			checkDirect(t, data, ver, o)
		}
	}
}

package convert

import (
	"bytes"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestTypedTraitsByContent: the typed writers mark traits "inline" when
// equal traits (same class, flags and sealed names) are already in the
// context's table, and only then. Traits whose class and names run
// together alike ("ab" + "c", "a" + "bc") are not equal; the same traits
// again under another pointer are.
func TestTypedTraitsByContent(t *testing.T) {
	obj := func(class string, sealed []string, dyn bool, v int) *amf.Object {
		ms := make([]amf.Member, len(sealed))
		for i, s := range sealed {
			ms[i] = amf.Member{Name: s, Value: amf.Int(v)}
		}
		return &amf.Object{Class: class, Traits: &amf.Traits{Class: class, Sealed: sealed, Dynamic: dyn}, Members: ms}
	}
	model := &amf.Array{Dense: []any{
		obj("ab", []string{"c"}, false, 1),
		obj("a", []string{"bc"}, false, 2),
		obj("a", []string{"b", "c"}, false, 3),
		obj("ab", []string{"c"}, true, 4),
		obj("ab", []string{"c"}, false, 5),                                              // equal to the first
		&amf.Object{Class: "a", Members: []amf.Member{{Name: "bc", Value: amf.Int(6)}}}, // no traits: canonical, seen
	}}
	want := `[{"$class":"ab","c":1},{"$class":"a","bc":2},{"$class":"a","b":3,"c":3},` +
		`{"$class":"ab","$traits":{"sealed":["c"],"dynamic":true},"c":4},` +
		`{"$class":"ab","$traits":{"sealed":["c"],"dynamic":false,"inline":true},"c":5},` +
		`{"$class":"a","bc":6}]`
	got, err := AppendValue(nil, model, &Options{Typed: true})
	if err != nil || string(got) != want {
		t.Fatalf("AppendValue(typed) = %s, %v\nwant %s", got, err, want)
	}
	data, err := amf.Marshal(model, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	var direct bytes.Buffer
	if ok, err := writeTypedDirect(&direct, data, amf.AMF3, &Options{Typed: true}); !ok || err != nil || string(bytes.TrimSuffix(direct.Bytes(), nl)) != want {
		t.Errorf("writeTypedDirect = %v, %v, %s\nwant %s", ok, err, direct.Bytes(), want)
	}
	if back, err := AppendJSONAsAMF(nil, []byte(want), amf.AMF3); err != nil || !bytes.Equal(back, data) {
		t.Errorf("typed JSON -> AMF3 writes other bytes (%v)%s", err, byteDiff(back, data))
	}
}

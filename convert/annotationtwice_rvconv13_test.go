package convert

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// An annotation of typed JSON given twice in one object ($id, $class,
// $traits), or a member given twice beside a kind ($tz, $count, a
// vector's items or fixed, a dictionary's weakKeys, a $traits member),
// is refused, naming the second, by the value model and the scanner
// alike. Before, $class, $id, $tz and $traits' members took the last and
// a vector's items and fixed the first, unsaid: jq, which keeps the last,
// showed a vector other than the one written.
func TestAnnotationGivenTwice(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"$class":"a","x":1,"$class":"b"}`, `"$class" is given twice in an object at "/$class", line 1, column 30`},
		{`{"$id":1,"$id":2}`, `"$id" is given twice in an object at "/$id", line 1, column 16`},
		{`{"$traits":{},"x":1,"$traits":{"dynamic":true}}`, `"$traits" is given twice in an object at "/$traits", line 1, column 31`},
		{`{"$date":"2020-01-01T00:00:00Z","$tz":1,"$tz":2}`, `"$tz" is given twice in a $date value at "/$tz", line 1, column 47`},
		{`{"$ecma":{},"$count":1,"$count":2}`, `"$count" is given twice in a $ecma value at "/$count", line 1, column 33`},
		{`{"$vector":"int","fixed":true,"fixed":false,"items":[1]}`, `"fixed" is given twice in a $vector value at "/fixed", line 1, column 39`},
		{`{"$vector":"int","items":[1],"items":[2]}`, `"items" is given twice in a $vector value at "/items", line 1, column 38`},
		{`{"$dictionary":[],"weakKeys":true,"weakKeys":false}`, `"weakKeys" is given twice in a $dictionary value at "/weakKeys", line 1, column 46`},
		{`{"$traits":{"dynamic":true,"dynamic":false},"a":1}`, `"dynamic" is given twice in $traits at "/$traits/dynamic", line 1, column 38`},
		{`{"$class":"a","$traits":{"sealed":["a"],"sealed":["b"]},"a":1,"b":2}`, `"sealed" is given twice in $traits at "/$traits/sealed", line 1, column 50`},
	} {
		for _, r := range []struct {
			name string
			read func([]byte) error
		}{
			{"FromJSON", func(b []byte) error { _, err := FromJSON(b); return err }},
			{"AppendJSONAsAMF AMF0", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF0); return err }},
			{"AppendJSONAsAMF AMF3", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF3); return err }},
		} {
			if err := r.read([]byte(c.in)); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s(%s) = %v, want %q", r.name, c.in, err, c.want)
			}
		}
		pkt := `{"version":3,"messages":[{"target":"a","response":"/1","value":[` + c.in + `]}]}`
		if _, err := AppendPacketJSON(nil, []byte(pkt)); err == nil || !strings.Contains(err.Error(), "given twice") {
			t.Errorf("AppendPacketJSON(%s) = %v", pkt, err)
		}
	}
	// Data members given twice are still written, both (with a warning).
	for _, in := range []string{`{"a":1,"a":2}`, `{"$class":"c","x":1,"x":2}`, `{"$id":1,"$class":"c","x":{"$ref":1}}`} {
		if _, err := AppendJSONAsAMF(nil, []byte(in), amf.AMF3); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}

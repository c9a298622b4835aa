package convert

import (
	"strings"
	"testing"
)

// TestRefWithoutID: jq 'del(.data.t_reg)' on a .sol's typed JSON deletes
// the value that carried "$id": 5, and the later {"$ref": 5} was "$ref 5
// comes before any $id 5", which sent the user looking for one further
// on. With no such $id in the document the error says so and what to do;
// a $ref before its $id (the document reordered) keeps its message.
func TestRefWithoutID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"sol":"s","version":0,"data":{"t_reg_ref":{"$ref":5}}}`, `$ref 5 points to no value: no "$id": 5 is given in the document (was the value that carried it, at its first place, removed or replaced? write the value in full here instead) at "/data/t_reg_ref/$ref"`},
		{`[{"$ref": 2}, {"$id": 1, "a": 1}]`, `$ref 2 points to no value: no "$id": 2 is given`},
		{`[{"$ref": 2}, {"$$id": 2, "a": "\"$id\": 2"}]`, `$ref 2 points to no value: no "$id": 2 is given`},
		{`[{"$ref": 2}, {"$id" : 2.0, "a": 1}]`, `$ref 2 comes before any $id 2 at "/0/$ref"`},
		{`[{"$ref": 1}, {"$id":1, "a": 1}]`, `$ref 1 comes before any $id 1 at "/0/$ref"`},
	} {
		src, err := Load([]byte(tc.in), "in", InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		tg, err := src.Target(OutSpec{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = src.Render(tg, &Options{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.in, err, tc.want)
		}
	}
}

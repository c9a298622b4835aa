package convert

import (
	"strings"
	"testing"
)

// A member of the JSON form of an FLV file given twice is refused, naming
// it and where the second one is, as in a packet or a .sol
// (TestDuplicateEnvelopeMember). Before, "flv" took the first (the tags
// of the second were dropped unsaid) and a tag's members the last; a
// member the form does not know beside "flv" was dropped unsaid, and the
// errors about a tag said "at offset 0".
func TestFLVJSONMembers(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"flv":[],"flv":[{"name":"onMetaData","value":1}]}`, `"flv" is given twice in an FLV file's JSON form at "/flv", line 1, column 17 (offset 16)`},
		{`{"flv":[{"name":"a","name":"b","value":1}]}`, `"name" is given twice in flv tag 0 at "/flv/0/name", line 1, column 28 (offset 27)`},
		{`{"flv":[{"name":"a","value":1},{"name":"b","value":1,"value":2}]}`, `"value" is given twice in flv tag 1 at "/flv/1/value", line 1, column 62 (offset 61)`},
		{`{"flv":[{"name":"a","timestamp":1,"timestamp":2}]}`, `"timestamp" is given twice in flv tag 0 at "/flv/0/timestamp", line 1, column 47`},
		{`{"flv":[{"name":"a","extra":[1],"extra":[2]}]}`, `"extra" is given twice in flv tag 0 at "/flv/0/extra", line 1, column 41 (offset 40)`},
		{`{"flv":[{"name":"a"}],"duration":5}`, `unexpected member "duration" in an FLV file's JSON form (want flv) at "/duration", line 1, column 34`},
		{"{\"flv\":[\n {\"name\":\"a\"},\n {\"name\":7}]}", `flv tag 1: name must be a string at "/flv/1/name", line 3, column 10 (offset 33)`},
		{`{"flv":[{"name":"a","timestamp":-1}]}`, `timestamp -1 is not a 32-bit count of milliseconds at "/flv/0/timestamp", line 1, column 33`},
		{`{"flv":[{"name":"a","bogus":1}]}`, `flv tag 0: unknown key "bogus" (want timestamp, name, value, extra) at "/flv/0/bogus", line 1, column 29`},
		{`{"flv":[{"value":1}]}`, `flv tag 0: a script tag needs a name (onMetaData, onCuePoint...) at "/flv/0", line 1, column 9`},
		{`{"flv":{}}`, `an FLV file's JSON form has an array "flv" of script tags at "/flv", line 1, column 8`},
	} {
		out, err := FLVFromJSON([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (%d bytes out), want %q", c.in, err, len(out), c.want)
		}
	}
	// What convert writes still converts back.
	in := `{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"$ecma":{"duration":0.0}}},{"timestamp":5,"name":"onCuePoint","value":null,"extra":[1]}]}`
	if _, err := FLVFromJSON([]byte(in)); err != nil {
		t.Errorf("%s: %v", in, err)
	}
}

// A key given twice in a tag's value is written twice, as in any other
// JSON converted to AMF, and warned of as there: the FLV path said
// nothing.
func TestFLVJSONValueKeyTwiceWarns(t *testing.T) {
	in := []byte(`{"flv":[{"name":"onMetaData","value":{"a":1,"a":2}}]}`)
	src, err := Load(in, "in", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	tg, err := src.Target(OutSpec{})
	if err != nil || tg.Format != "flv" {
		t.Fatalf("target %v, %v", tg, err)
	}
	var warns []string
	if _, err := src.Render(tg, &Options{Warn: func(m string) { warns = append(warns, m) }}); err != nil {
		t.Fatal(err)
	}
	want := `"a" is given twice in one object (line 1, column 46): both are written, in order`
	if len(warns) != 1 || warns[0] != want {
		t.Errorf("warnings %q, want %q", warns, want)
	}
}

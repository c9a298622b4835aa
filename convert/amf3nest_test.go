package convert

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// {"$amf3": V} marks a value written through the AMF0 -> AMF3 switch;
// AMF3 has no switch, so a wrapper inside another was dropped silently,
// {"$amf3": {"$amf3": 1}} giving the bytes of one (review2 F8). Now an
// error naming the inner wrapper's path, line and column, on the
// streamed path and the value model, at any depth inside the outer one.
func TestAMF3InsideAMF3(t *testing.T) {
	const msg = "json: $amf3 inside $amf3: the value is AMF3 already, which has no switch; give the value without this wrapper at %q, line 1, column %d (offset %d)"
	for _, tc := range []struct {
		in, path string
		col      int
	}{
		{`{"$amf3": {"$amf3": 1}}`, "/$amf3/$amf3", 21},
		{`[{"$amf3": [1, {"$id":1, "$amf3": 2}]}]`, "/0/$amf3/1/$amf3", 35},
		{`{"$amf3": {"a": {"b": {"$amf3": "x"}}}}`, "/$amf3/a/b/$amf3", 33},
	} {
		want := fmt.Sprintf(msg, tc.path, tc.col, tc.col-1)
		if _, err := FromJSON([]byte(tc.in)); fmt.Sprint(err) != want {
			t.Errorf("FromJSON(%s): %v\nwant %s", tc.in, err, want)
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			if got, err := AppendJSONAsAMF(nil, []byte(tc.in), ver); fmt.Sprint(err) != want {
				t.Errorf("%s as %v: %x, %v\nwant %s", tc.in, ver, got, err, want)
			}
		}
	}
	pkt := `{"version":3,"headers":[],"messages":[{"target":"a","response":"/1","value":[{"$amf3":{"$amf3":1}}]}]}`
	want := fmt.Sprintf(msg, "/messages/0/value/0/$amf3/$amf3", 96, 95)
	if _, err := AppendPacketJSON(nil, []byte(pkt)); fmt.Sprint(err) != want {
		t.Errorf("packet: %v\nwant %s", err, want)
	}
	// Wrappers side by side, one each: written as before.
	for in, hex0 := range map[string]string{
		`{"$amf3": 1}`:                        "110401",
		`[{"$amf3": 1}, {"$amf3": {"a": 1}}]`: "0a00000002110401110a0b010361040101",
	} {
		got, err := AppendJSONAsAMF(nil, []byte(in), amf.AMF0)
		if err != nil || fmt.Sprintf("%x", got) != hex0 {
			t.Errorf("%s: %x, %v; want %s", in, got, err, hex0)
		}
		v, err := FromJSON([]byte(in))
		if err != nil {
			t.Fatalf("FromJSON(%s): %v", in, err)
		}
		if b, _ := amf.Marshal(v, amf.AMF0); !bytes.Equal(b, got) {
			t.Errorf("%s: the value model writes %x", in, b)
		}
	}
}

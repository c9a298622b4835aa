package convert

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// {"$undefined": false} wrote undefined (0x06 / 0x00), the opposite of
// what an edit to false most likely meant; so did "no", null and 1, and
// the same for $unsupported. Only true marks the value; anything else is
// an error naming the member, on the value path and on the streamed one.
func TestMarkerMustBeTrue(t *testing.T) {
	for _, tc := range []struct{ in, where string }{
		{`{"$undefined":false}`, `"/$undefined", line 1, column 15`},
		{`{"$undefined":"no"}`, `"/$undefined", line 1, column 15`},
		{`[1,{"$undefined":null}]`, `"/1/$undefined", line 1, column 18`},
		{`{"a":{"$unsupported":1}}`, `"/a/$unsupported", line 1, column 22`},
	} {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			_, err := AppendJSONAsAMF(nil, []byte(tc.in), ver)
			if err == nil || !strings.Contains(err.Error(), "must be true") || !strings.Contains(err.Error(), tc.where) {
				t.Errorf("%s as %v: err %v; want 'must be true' at %s", tc.in, ver, err, tc.where)
			}
		}
	}
	for in, want := range map[string]string{`{"$undefined":true}`: "\x06", `[{"$unsupported":true}]`: "\x0a\x00\x00\x00\x01\x0d"} {
		got, err := AppendJSONAsAMF(nil, []byte(in), amf.AMF0)
		if err != nil || string(got) != want {
			t.Errorf("%s: % x, %v; want % x", in, got, err, want)
		}
	}
}

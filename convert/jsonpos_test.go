package convert

import (
	"testing"
)

// Where the JSON readers place a syntax error that encoding/json's
// scanner would misplace: a second document is reported where it
// starts (not at offset 0), and a scalar cut by a newline names the
// newline (encoding/json's end of input is a space it makes up).
func TestJSONErrorPositions(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		read           func([]byte) error
	}{
		{"two packets", "{\"messages\":[]}\n{\"messages\":[]}", "a packet is one JSON object; a second JSON value starts here at line 2, column 1 (offset 16)",
			func(b []byte) error { _, err := PacketFromJSON(b); return err }},
		{"no packet", " \n", "a packet is one JSON object; the input has no JSON value at line 2, column 1 (offset 2)",
			func(b []byte) error { _, err := PacketFromJSON(b); return err }},
		{"exponent, newline", "12e\n", `invalid character '\n' in exponent of numeric literal at line 1, column 4 (offset 3)`,
			func(b []byte) error { _, err := FromJSON(b); return err }},
		{"exponent, end", "12e", "unexpected end of JSON input at line 1, column 4 (offset 3)",
			func(b []byte) error { _, err := FromJSON(b); return err }},
		{"literal, tab", "[1]\ntru\t", `invalid character '\t' in literal true (expecting 'e') at line 2, column 4 (offset 7)`,
			func(b []byte) error { _, err := FromJSONLines(b); return err }},
		{"minus, bracket", "-[1]", `invalid character '[' in numeric literal at line 1, column 2 (offset 1)`,
			func(b []byte) error { _, err := FromJSON(b); return err }},
		{"inside an array, as before", "[1e ]", `invalid character ' ' in exponent of numeric literal at line 1, column 4 (offset 3)`,
			func(b []byte) error { _, err := FromJSON(b); return err }},
	} {
		err := tc.read([]byte(tc.in))
		if err == nil || err.Error() != "json: "+tc.want {
			t.Errorf("%s: %q: got %v\nwant %s", tc.name, tc.in, err, tc.want)
		}
	}
}

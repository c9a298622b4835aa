package commands

import "testing"

// The review's inputs, as amfcall convert reports them: the second
// packet is where it starts, the newline is named.
func TestConvertJSONErrorPositions(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "two packets", args: []string{"convert", "--to", "packet"}, stdin: "{\"messages\":[]}\n{\"messages\":[]}", code: 4,
			stderr: "amfcall: error: stdin: json: a packet is one JSON object; a second JSON value starts here at line 2, column 1 (offset 16)\n"},
		{name: "exponent, newline", args: []string{"convert", "--to", "amf0"}, stdin: "12e\n", code: 4,
			stderr: "amfcall: error: stdin: json: invalid character '\\n' in exponent of numeric literal at line 1, column 4 (offset 3)\n" +
				"amfcall: hint: if this is hex, it has an odd number of digits (3): one is missing or one too many\n"},
	} {
		checkCase(t, tc)
	}
}

package commands

import "testing"

// TestConvertFromKindGivenJSON: JSON given with --from sol (or amf0,
// packet, flv, socket) failed with "not a .sol file ... at offset 0" or
// a marker error, and no word of what the input was; the hint says it
// is JSON and which --to writes what --from named.
func TestConvertFromKindGivenJSON(t *testing.T) {
	in := `{"sol":"prefs","data":{"a":1}}`
	for _, tc := range []cliCase{
		{name: "sol", args: []string{"convert", "--from", "sol"}, stdin: in, code: 4,
			stderr: "amfcall: error: stdin: amf0: not a .sol file (want 00 BF, a length, then \"TCSO\" 00 04 00 00 00 00) at offset 0\n" +
				"amfcall: hint: the input is JSON text, which --from sol does not read: leave --from out, and --to sol writes a .sol file from it\n"},
		{name: "amf3", args: []string{"convert", "--from", "amf3"}, stdin: "\n[1]", code: 4,
			stderr: "amfcall: error: stdin: amf3: length 24 exceeds the 1 bytes left: unexpected EOF at offset 2\n" +
				"amfcall: hint: the input is JSON text, which --from amf3 does not read: leave --from out, and --to amf3 writes bare AMF3 values from it\n"},
		{name: "frames", args: []string{"convert", "--from", "frames"}, stdin: in, code: 4,
			stderr: "amfcall: error: stdin: amf: frame of 2065855343 bytes exceeds the limit of 67108864 bytes at offset 0\n" +
				"amfcall: hint: the input is JSON text, which --from frames does not read: leave --from out, and --to socket writes AMF Socket frames from it\n"},
		// An AMF3 object (0x0A) whose traits byte is "[", cut short: not
		// JSON, no hint.
		{name: "AMF3 object", args: []string{"convert", "--from", "amf3"}, stdin: "\n[1", code: 4,
			stderr: "amfcall: error: stdin: amf3: length 24 exceeds the 0 bytes left: unexpected EOF at offset 2\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

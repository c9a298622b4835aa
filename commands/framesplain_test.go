package commands

import "testing"

// convert --from socket to plain JSON and --to socket, the streamed
// paths (convert/framesplain.go, convert.WriteFramesFromJSON), as a user
// sees them: stdout, the warnings and errors on stderr, the exit code.
func TestConvertFramesStreamed(t *testing.T) {
	// Frame 1: the array [1] and two bytes after it; frame 2: "a".
	capture := "\x00\x00\x00\x07\x09\x03\x01\x04\x01\xaa\xbb" + "\x00\x00\x00\x03\x06\x03a"
	for _, tc := range []cliCase{
		{name: "bytes after a value", args: []string{"convert", "--from", "socket"}, stdin: capture,
			stdout: "[1]\n\"a\"\n",
			stderr: "amfcall: warning: frame 1: 2 bytes after its value are dropped\n"},
		{name: "pretty", args: []string{"convert", "--from", "socket", "--pretty"}, stdin: capture[:11],
			stdout: "[\n  1\n]\n",
			stderr: "amfcall: warning: frame 1: 2 bytes after its value are dropped\n"},
		{name: "a frame that does not decode", args: []string{"convert", "--from", "socket"}, stdin: capture + "\x00\x00\x00\x01\x0a", code: 4,
			stderr: "amfcall: warning: frame 1: 2 bytes after its value are dropped\n" +
				"amfcall: error: stdin: amf: frame 3 at offset 18: amf3: unexpected EOF at offset 1\n" +
				"amfcall: hint: the frame is whole but its value runs past its end (offsets in the value count from its payload, which starts at offset 22): the length at offset 18 is short of the value, or the value was cut short before it was framed; amfcall dump --from socket shows the bytes\n"},
		{name: "JSON lines to frames", args: []string{"convert", "--to", "hex:socket"}, stdin: "[1]\n\"a\"\n",
			stdout: "0000000509030104" + "01" + "00000003060361\n"},
		{name: "JSON lines to frames, line 2 fails: nothing written", args: []string{"convert", "--to", "hex:socket"}, stdin: "[1]\n{\"$ref\": 0}\n", code: 4,
			stderr: "amfcall: error: stdin: json: $ref 0 points to no value: no \"$id\": 0 is given in the document (was the value that carried it, at its first place, removed or replaced? write the value in full here instead) at \"/$ref\", line 2, column 10 (offset 13)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

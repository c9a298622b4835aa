package commands

import "testing"

// TestConvertFrameValuePastEnd: a frame whose length is short of its
// value (here 2 where the string takes 4) was hinted "the capture ends
// inside this frame: it was cut short", though the capture goes on past
// the frame; only input that ends inside a frame is told so.
func TestConvertFrameValuePastEnd(t *testing.T) {
	// (frame17: the value reads whole past the length, so the length
	// is said to be wrong, and what to write there.)
	past := "amfcall: hint: write the length at offset 0 as 4 (00 00 00 04) and the frames read; amfcall dump --from socket shows the bytes\n"
	for _, tc := range []cliCase{
		{name: "length short of the value", args: []string{"convert", "--from", "socket"}, stdin: "\x00\x00\x00\x02\x06\x05ab", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 2 bytes, but its AMF3 value runs past them, whole in 4 bytes, to offset 8, where the input ends (4 bytes follow the length): the length is wrong\n" + past},
		{name: "typed", args: []string{"convert", "--from", "socket", "--typed"}, stdin: "\x00\x00\x00\x02\x06\x05ab", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 2 bytes, but its AMF3 value runs past them, whole in 4 bytes, to offset 8, where the input ends (4 bytes follow the length): the length is wrong\n" + past},
		{name: "capture cut inside the frame", args: []string{"convert", "--from", "socket"}, stdin: "\x00\x00\x00\x04\x06\x05a", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 4 bytes, but the input ends 3 bytes after it, at offset 7: unexpected EOF\n" +
				"amfcall: hint: the capture ends inside this frame: it was cut short\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

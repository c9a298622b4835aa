package commands

import "testing"

// TestConvertFrameValuePastEnd: a frame whose length is short of its
// value (here 2 where the string takes 4) was hinted "the capture ends
// inside this frame: it was cut short", though the capture goes on past
// the frame; only input that ends inside a frame is told so.
func TestConvertFrameValuePastEnd(t *testing.T) {
	past := "amfcall: hint: the frame is whole but its value runs past its end (offsets in the value count from its payload, which starts at offset 4): the length at offset 0 is short of the value, or the value was cut short before it was framed; amfcall dump --from socket shows the bytes\n"
	for _, tc := range []cliCase{
		{name: "length short of the value", args: []string{"convert", "--from", "socket"}, stdin: "\x00\x00\x00\x02\x06\x05ab", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: amf3: length 2 exceeds the 0 bytes left: unexpected EOF at offset 1\n" + past},
		{name: "typed", args: []string{"convert", "--from", "socket", "--typed"}, stdin: "\x00\x00\x00\x02\x06\x05ab", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: amf3: length 2 exceeds the 0 bytes left: unexpected EOF at offset 1\n" + past},
		{name: "capture cut inside the frame", args: []string{"convert", "--from", "socket"}, stdin: "\x00\x00\x00\x04\x06\x05a", code: 4,
			stderr: "amfcall: error: stdin: amf: frame 1 at offset 0: its length says 4 bytes, but the input ends 3 bytes after it, at offset 7: unexpected EOF\n" +
				"amfcall: hint: the capture ends inside this frame: it was cut short\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

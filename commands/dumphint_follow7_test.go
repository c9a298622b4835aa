package commands

import (
	"strings"
	"testing"
)

// TestHexDumpHintStdin: an xxd or hexdump -C listing given on stdin got
// the hint "xxd -r FILE | amfcall dump", naming a file the user does not
// have. On stdin the hint puts the command in the user's pipe; a file
// is still named.
func TestHexDumpHintStdin(t *testing.T) {
	skipPOSIXHint(t)
	xxd := "00000000: 0003 0000 0001 0004 6563 686f 0002 2f31  ..........echo../1\n"
	hd := "00000000  00 03 00 00 00 01 00 04  65 63 68 6f 00 02 2f 31  |..........echo../1|\n"
	for _, tc := range []struct{ cmd, input, undo string }{
		{"dump", xxd, "... | xxd -r | amfcall dump reads its bytes"},
		{"dump", hd, "... | cut -c 11-59 | amfcall dump reads its bytes"},
		{"convert", xxd, "... | xxd -r | amfcall convert reads its bytes"},
	} {
		_, stderr, code := run(t, []string{tc.cmd}, tc.input, nil, false)
		if code == 0 || !strings.Contains(stderr, "hex dump with offsets (xxd, hexdump -C): "+tc.undo+"\n") || strings.Contains(stderr, "FILE") {
			t.Errorf("%s of a listing on stdin: code %d, stderr:\n%s\nwant the hint %q", tc.cmd, code, stderr, tc.undo)
		}
	}
}

package commands

import (
	"strings"
	"testing"
)

// An od -tx1 (or hexdump) listing gets its hint whatever the count of
// its hex digits: with an odd count (the offsets', 7 digits a line, make
// it so for about every other file) the listing was guessed JSON, and
// convert said "json: invalid character '0' after top-level value" with
// the hint "if this is hex, it has an odd number of digits", dump "this
// is text, not AMF", neither naming od. These are the listings of a
// 52-byte reply packet.
func TestODListingHintOddDigits(t *testing.T) {
	t.Parallel()
	const od = "0000000 00 00 00 00 00 01 00 0b 2f 31 2f 6f 6e 52 65 73\n" +
		"0000020 75 6c 74 00 00 00 00 00 1b 03 00 01 61 00 3f f0\n" +
		"0000040 00 00 00 00 00 00 00 01 73 02 00 05 68 65 6c 6c\n" +
		"0000060 6f 00 00 09\n0000064\n"
	const hexdump = "0000000 0000 0000 0100 0b00 312f 6f2f 526e 7365\n" +
		"0000010 6c75 0074 0000 0000 031b 0100 0061 f03f\n" +
		"0000020 0000 0000 0000 0100 0273 0500 6568 6c6c\n" +
		"0000030 006f 0900                              \n0000034\n"
	// od writes a line repeated as "*": 32 zero bytes, then a string.
	const odStar = "0000000 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n*\n0000040 02 00 01 61\n0000044\n"
	for _, cmd := range []string{"convert", "dump"} {
		for _, in := range []string{od, hexdump, odStar} {
			_, stderr, code := run(t, []string{cmd}, in, nil, false)
			if code != 4 || !strings.Contains(stderr, "this looks like od or hexdump output") ||
				!strings.Contains(stderr, "od -An -tx1 -v FILE | amfcall "+cmd) {
				t.Errorf("%s of a listing %.20q: exit %d, want 4 and the od hint\n%s", cmd, in, code, stderr)
			}
		}
	}
	// The bytes alone, as the hint says to list them, are read.
	var bytesOnly strings.Builder
	for _, line := range strings.Split(od, "\n") {
		if _, rest, ok := strings.Cut(line, " "); ok {
			bytesOnly.WriteString(" " + rest + "\n")
		}
	}
	stdout, stderr, code := run(t, []string{"convert"}, bytesOnly.String(), nil, false)
	if code != 0 || !strings.Contains(stdout, `"value":{"a":1,"s":"hello"}`) {
		t.Errorf("od -An: exit %d, %q\n%s", code, stdout, stderr)
	}
}

package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertCutShortBothReadings: bytes that read as a packet cut short
// and as AMF Socket frames cut short get both readings from convert, as
// from dump (the same error line), plain and typed, with the hint to
// add --from socket. Before, convert said only the packet's.
func TestConvertCutShortBothReadings(t *testing.T) {
	t.Parallel()
	// Frame 1: a string of 10 bytes (length 12: a packet of 12 headers);
	// frame 2: a string cut short, which the packet reads as its first
	// header's flag, length and value, cut short (amf's
	// TestCutShortBothReadings).
	b := []byte{0, 0, 0, 12, 0x06, 21}
	b = append(b, "xxxxxxxxxx"...)
	b = append(b, 0, 0x08, 0x7f, 0x7f, 0x06, 0xc3, 0xa9, 0x01)
	b = append(b, bytes.Repeat([]byte("a"), 6+(0x06<<8|21)-len(b))...)
	b = append(b, 0, 0, 0, 0, 0, 0x02, 0x7f, 0x7f, 'b', 'b', 'b')
	in := filepath.Join(t.TempDir(), "cut.bin")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	const both = "; read as AMF Socket frames, they are cut short too: socket: frame 2: length 556927 exceeds the 1554 bytes left: unexpected EOF at offset 16"
	_, dumpErr, code := run(t, []string{"dump", in}, "", nil, false)
	if code != 4 || !strings.Contains(dumpErr, both) {
		t.Fatalf("dump: code %d, stderr %q", code, dumpErr)
	}
	errLine := dumpErr[strings.LastIndex(dumpErr[:strings.Index(dumpErr, both)], "amfcall: error: "):]
	errLine = errLine[:strings.IndexByte(errLine, '\n')+1]
	for _, args := range [][]string{{"convert", in}, {"convert", "--typed", in}} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 4 || stdout != "" || !strings.HasPrefix(stderr, errLine) ||
			!strings.Contains(stderr, "hint: its bytes end early read as an AMF packet and as AMF Socket frames alike") ||
			!strings.Contains(stderr, "add --from socket to read the frames") {
			t.Errorf("%v: code %d, stdout %q, stderr %q; dump's error %q", args, code, stdout, stderr, errLine)
		}
	}
}

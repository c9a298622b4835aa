package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpGuessCutFrames: AMF Socket frames of values other than objects
// (a string, an array), cut short, were guessed a packet cut short by
// dump and convert ("count 5 needs at least 40 bytes": their length read
// as a header count), which --from socket read right. They are now
// guessed frames, as --from socket reads them; bytes that read as both
// cut short say both, and name --from socket.
func TestDumpGuessCutFrames(t *testing.T) {
	dir := t.TempDir()
	frames, err := amf.AppendFrame(nil, "hello, frames")
	if err != nil {
		t.Fatal(err)
	}
	frames, _ = amf.AppendFrame(frames, &amf.Array{Dense: []any{1.5, "a", true}})
	for _, k := range []int{8, len(frames) - 3} {
		f := filepath.Join(dir, "cut.frames")
		if err := os.WriteFile(f, frames[:k], 0o644); err != nil {
			t.Fatal(err)
		}
		_, want, wantCode := run(t, []string{"dump", "--from", "socket", f}, "", nil, false)
		for _, cmd := range []string{"dump", "convert"} {
			_, stderr, code := run(t, []string{cmd, f}, "", nil, false)
			if code != 4 || wantCode != 4 || !strings.Contains(stderr, "frame ") || strings.Contains(stderr, "header") || strings.Contains(stderr, "packet") {
				t.Errorf("%s of frames cut at %d: exit %d\n%s(--from socket: %d\n%s)", cmd, k, code, stderr, wantCode, want)
			}
		}
	}

	// Both readings (TestCutShortBothReadings's bytes).
	b := []byte{0, 0, 0, 12, 0x06, 21}
	b = append(b, "xxxxxxxxxx"...)
	b = append(b, 0, 0x08, 0x7f, 0x7f, 0x06, 0xc3, 0xa9, 0x01)
	b = append(b, strings.Repeat("a", 6+(0x06<<8|21)-len(b))...)
	b = append(b, 0, 0, 0, 0, 0, 0x02, 0x7f, 0x7f, 'b', 'b', 'b')
	f := filepath.Join(dir, "both.bin")
	if err := os.WriteFile(f, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"dump", f}, "", nil, false)
	if code != 4 || !strings.Contains(stderr, "read as AMF Socket frames, they are cut short too: socket: frame 2") || !strings.Contains(stderr, "add --from socket") {
		t.Errorf("dump of bytes read both ways: exit %d\n%s", code, stderr)
	}
}

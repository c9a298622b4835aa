package commands

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// convert of frames whose first length lies long (data15's 00 00 00 8e
// 0a ...): it said "count 142 needs at least 1136 bytes" with the hint
// that the file was cut short, or, with --from socket, named frame 2's
// bogus length. Now frame 1's length, its value's bytes and where the
// frames go on.
func TestConvertLongFirstFrame(t *testing.T) {
	obj := []byte{0x0a, 0x0b, 0x01, 0x03, 'a', 0x04, 0x01, 0x01}
	frame := func(n int) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(n)), obj...) }
	many, few := frame(0x8e), frame(0x8e)
	for range 20 {
		many = append(many, frame(len(obj))...)
	}
	few = append(few, frame(len(obj))...)
	dir := t.TempDir()
	for _, tc := range []struct {
		name  string
		data  []byte
		left  int
		other []string
	}{
		{"many.frames", many, 248, nil},
		{"few.frames", few, 20, nil},
		{"many.frames", many, 248, []string{"--from", "socket"}},
	} {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		args := append(append([]string{"convert"}, tc.other...), p)
		_, stderr, code := run(t, args, "", nil, false)
		want := "error: " + p + ": amf: frame 1 at offset 0: its length says 142 bytes, but its AMF3 value is whole in 8 bytes, and frames follow from offset 12 (" +
			strconv.Itoa(tc.left) + " bytes follow the length): the length is wrong\namfcall: hint: write the length at offset 0 as 8 (00 00 00 08) and the frames read"
		if code != exitInput || !strings.Contains(stderr, want) || strings.Contains(stderr, "cut short") {
			t.Errorf("amfcall %s: code %d, stderr:\n%s\nwant %q", strings.Join(args, " "), code, stderr, want)
		}
	}
	// dump shows the bytes, and its error where reading them failed
	// (frame 2's bogus length), with the cause as its hint.
	p := filepath.Join(dir, "many.frames")
	_, stderr, code := run(t, []string{"dump", p}, "", nil, false)
	want := "hint: frame 1's length at offset 0 says 142 bytes, but its value is whole in 8, and frames follow from offset 12: the length is wrong; written as 8 (00 00 00 08), the frames read\n"
	if code != exitInput || !strings.HasSuffix(stderr, want) || strings.Contains(stderr, "cut short") {
		t.Errorf("amfcall dump %s: code %d, stderr:\n%s\nwant it to end %q", p, code, stderr, want)
	}
}

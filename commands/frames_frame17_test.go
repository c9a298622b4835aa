package commands

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// convert and dump of AMF Socket frames whose third length is wrong.
// Too long by 5, it took frame 4's length: convert (guessing) said
// "amf0: count 17 needs at least 136 bytes" with the hint "the file was
// cut short"; --from socket warned "frame 3: 5 bytes after its value are
// dropped" and then failed with "frame of 184615782 bytes exceeds the
// limit ... at offset 57". Too short, it was guessed a packet as well.
// Now frame 3 is named, with its offset, its length and its value's
// bytes, and no warning comes first; dump's hint names it too.
func TestConvertWrongLaterFrameLength(t *testing.T) {
	var good []byte
	for _, v := range []any{map[string]any{"a": 1, "b": "hello"}, map[string]any{"c": 2},
		map[string]any{"d": "xyz", "e": 3}, map[string]any{"f": 4}} {
		good, _ = amf.AppendFrame(good, v)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		length    int
		err, hint string
		dumpHint  string
	}{
		{20, "frame 3 at offset 33: its length says 20 bytes, but its AMF3 value is whole in 15 bytes, and frames follow from offset 52 (27 bytes follow the length): the length is wrong",
			"write the length at offset 33 as 15 (00 00 00 0f) and the frames read; amfcall dump --from socket F shows the bytes",
			"frame 3's length at offset 33 says 20 bytes, but its value is whole in 15, and frames follow from offset 52: the length is wrong; written as 15 (00 00 00 0f), the frames read"},
		{10, "frame 3 at offset 33: its length says 10 bytes, but its AMF3 value runs past them, whole in 15 bytes, to offset 52, where frames follow (27 bytes follow the length): the length is wrong",
			"write the length at offset 33 as 15 (00 00 00 0f) and the frames read; amfcall dump --from socket F shows the bytes",
			"frame 3's length at offset 33 says 10 bytes, but its value is whole in 15, and frames follow from offset 52: the length is wrong; written as 15 (00 00 00 0f), the frames read"},
	} {
		b := append([]byte{}, good...)
		binary.BigEndian.PutUint32(b[33:], uint32(tc.length))
		p := filepath.Join(dir, "F")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		hint := strings.Replace(tc.hint, " F ", " "+shellWord(p)+" ", 1)
		want := "amfcall: error: " + p + ": amf: " + tc.err + "\namfcall: hint: " + hint + "\n"
		for _, args := range [][]string{{"convert", p}, {"convert", "--from", "socket", p}} {
			stdout, stderr, code := run(t, args, "", nil, false)
			if code != exitInput || stderr != want || stdout != "" {
				t.Errorf("amfcall %s: code %d, stdout %q, stderr:\n%s\nwant:\n%s", strings.Join(args, " "), code, stdout, stderr, want)
			}
		}
		_, stderr, code := run(t, []string{"dump", p}, "", nil, false)
		if code != exitInput || !strings.HasSuffix(stderr, "hint: "+tc.dumpHint+"\n") {
			t.Errorf("amfcall dump %s: code %d, stderr:\n%s\nwant it to end %q", p, code, stderr, tc.dumpHint)
		}
	}
}

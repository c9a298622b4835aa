package amf_test

import (
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpJSONPathsOfFrames: the JSON dump's ranges had no "path" in AMF
// Socket frames, though the help says only headers and the fault lack
// one. Each frame's ranges now have "/N" (N its number from 1, as the
// text's "frame N" and convert's warnings count it) and the pointer
// convert's JSON line N has for the value; a frame's length and the
// bytes after its value have none, and neither do the fault and what
// follows it.
func TestDumpJSONPathsOfFrames(t *testing.T) {
	data, err := os.ReadFile("../testdata/socket/amfcall-client.frames")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range dumpPaths(t, data, amf.DumpFrames) {
		p := "-"
		if r.Path != nil {
			p = *r.Path
		}
		if _, ok := got[r.Text]; !ok {
			got[r.Text] = p // the first range of that text
		}
	}
	for text, want := range map[string]string{
		"frame 1: length 137": "-",
		`name "command" (U29 0f: inline, 7 bytes → strings[1])`: "/1/request/command",
		`string "echo" (U29 09: inline, 4 bytes → strings[2])`:  "/1/request/command",
		"double 2.5":         "/1/request/params/x/1",
		"frame 2: length 59": "-",
		`string "srv:1" (U29 0b: inline, 5 bytes → strings[2])`: "/2/response/messageId",
	} {
		if got[text] != want {
			t.Errorf("%s: path %q, want %q", text, got[text], want)
		}
	}

	// Two frames, the first with 2 bytes after its value, the second
	// cut inside its value: every range of a value has a path, the
	// trailing bytes and the fault none.
	frame := func(payload []byte) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(payload))), payload...)
	}
	in := append(frame([]byte{0x06, 0x03, 'a', 0xff, 0xff}), frame([]byte{0x09, 0x05, 0x01, 0x04, 0x01, 0x06})...)
	in = in[:len(in)-1] // the length says 6 bytes: cut the frame
	rs := dumpPaths(t, in, amf.DumpFrames)
	var lines []string
	for _, r := range rs {
		p := "-"
		if r.Path != nil {
			p = *r.Path
		}
		lines = append(lines, r.Class+" "+p+" "+r.Text)
	}
	joined := strings.Join(lines, "\n")
	for _, want := range []string{
		`string /1 string "a"`,
		"meta - 2 bytes after the value (ignored, as peers do)",
	} {
		if !strings.Contains(joined, want) {
			t.Errorf("no range %q in:\n%s", want, joined)
		}
	}
	for _, r := range rs {
		if (r.Class == "fault" || r.Class == "unread") && r.Path != nil {
			t.Errorf("the %s range has the path %q", r.Class, *r.Path)
		}
	}
}

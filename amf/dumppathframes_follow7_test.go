package amf_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
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

// FuzzDumpJSONPathsFrames: any input read as AMF Socket frames gives a
// JSON dump that does not panic, reads back as the dump's ranges, and,
// when the dump has no fault, has a path "/N..." for every range but a
// frame's length and the bytes after its value.
func FuzzDumpJSONPathsFrames(f *testing.F) {
	if b, err := os.ReadFile("../testdata/socket/amfcall-client.frames"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("\x00\x00\x00\x05\x06\x03a\xff\xff\x00\x00\x00\x02\x0a\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		var buf bytes.Buffer
		err := amf.WriteDumpJSON(&buf, data, amf.DumpFrames, false)
		var doc struct{ Ranges []pathRange }
		if jerr := json.Unmarshal(buf.Bytes(), &doc); jerr != nil {
			t.Fatalf("invalid JSON %v:\n%s", jerr, buf.String())
		}
		want := amf.NewDump(data, amf.DumpFrames).Ranges
		if len(want) != len(doc.Ranges) {
			t.Fatalf("%d ranges, the dump has %d", len(doc.Ranges), len(want))
		}
		for i, r := range doc.Ranges {
			if w := want[i]; r.Text != w.Text || r.Offset != w.Offset || r.Length != w.Length {
				t.Fatalf("range %d reads back as %+v, want %+v", i, r, w)
			}
			frameBytes := strings.HasPrefix(r.Text, "frame ") || strings.HasSuffix(r.Text, "after the value (ignored, as peers do)")
			switch {
			case frameBytes && r.Path != nil:
				t.Fatalf("%d %q has the path %q", r.Offset, r.Text, *r.Path)
			case err == nil && !frameBytes && r.Path == nil:
				t.Fatalf("%d %q has no path", r.Offset, r.Text)
			case r.Path != nil && !strings.HasPrefix(*r.Path, "/"):
				t.Fatalf("path %q is not under a frame", *r.Path)
			}
		}
	})
}

package convert

import (
	"bytes"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestCycleNotesBounded: a value whose references point back to an
// ancestor at a great many places, or at many different places, gives a
// few warnings and holds no line per reference until the end. Before: an
// AMF3 array of 2,000,000 references to itself (4 MB) printed 2,000,000
// warnings, or (after they were told apart at printing) held them all:
// 370 MB peak for plain convert. Both the streamed plain form (a bare
// value) and the value-model writer (a packet) are checked.
func TestCycleNotesBounded(t *testing.T) {
	const n = 200_000
	self := amf.AppendU29([]byte{0x09}, n<<1|1)
	self = append(self, 0x01)
	self = append(self, bytes.Repeat([]byte{0x09, 0x00}, n)...)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out, warns, err := publicJSON(self, "self.amf3", false)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], `the value at "" contains itself`) {
		t.Errorf("%d warnings, want 1: %.300q", len(warns), warns)
	}
	if !bytes.HasPrefix(out, []byte(`[{"$ref":""},{"$ref":""}`)) {
		t.Errorf("output starts %.60q", out)
	}
	// The output is 2.4 MB; one held warning per reference was 30 MB
	// more at this size.
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("converting %d bytes allocated %d bytes", len(self), got)
	}

	// 15 objects, each with a member that is itself: 10 places named,
	// the other 5 counted in one more line. As a bare value (streamed)
	// and as a packet's body (the value model).
	var items strings.Builder
	for i := range 15 {
		if i > 0 {
			items.WriteByte(',')
		}
		items.WriteString(`{"$id":` + strconv.Itoa(i+1) + `,"me":{"$ref":` + strconv.Itoa(i+1) + `}}`)
	}
	plainWarns(t, "["+items.String()+"]", func(t *testing.T, warns []string) {
		if len(warns) != 11 || !strings.Contains(warns[9], `/9" contains itself`) ||
			!strings.HasPrefix(warns[10], "cycle: 5 more references to a value that contains them, at places past the first 10 named") {
			t.Errorf("%d warnings, want 10 places and a count of 5 more: %q", len(warns), warns)
		}
	})
}

// plainWarns converts the JSON value to AMF3 as a bare value and as a
// packet's message body, then each to plain JSON (the streamed writer
// and the value-model writer), and gives check the warnings of each.
func plainWarns(t *testing.T, value string, check func(t *testing.T, warns []string)) {
	t.Helper()
	for _, tc := range []struct{ to, json, name string }{
		{"amf3", value, "x.amf3"},
		{"packet", `{"version":3,"headers":[],"messages":[{"target":"t","response":"/1","value":` + value + `}]}`, "x.amf"},
	} {
		t.Run(tc.to, func(t *testing.T) {
			data := renderAs(t, []byte(tc.json), "in.json", tc.to)
			_, warns, err := publicJSON(data, tc.name, false)
			if err != nil {
				t.Fatal(err)
			}
			check(t, warns)
		})
	}
}

// TestFrameWarnsBounded: a capture of many AMF Socket frames that each
// warn (a value that contains itself, bytes after the value) gives the
// first 20 warnings, each naming its frame, and one line counting the
// rest, in the streamed plain form, the value-model form (AppendFrames)
// and the typed form alike. Before: a line per frame (500,000 frames of
// 9 bytes printed 500,000 lines in 10-12 s), none naming its frame.
func TestFrameWarnsBounded(t *testing.T) {
	var data []byte
	const n = 100
	for range n {
		// The array [itself], then one byte after it.
		data = append(data, 0, 0, 0, 6, 0x09, 0x03, 0x01, 0x09, 0x00, 0x01)
	}
	for _, tc := range []struct {
		name     string
		typed    bool
		streamed bool
		want     int // warnings told one by one
		more     int
		lastAt   int // the frame the last of them names
	}{
		{"plain streamed", false, true, 20, 2*n - 20, 10},
		{"plain value model", false, false, 20, 2*n - 20, 10},
		{"typed", true, true, 20, n - 20, 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warns []string
			o := &Options{Typed: tc.typed, Warn: func(s string) { warns = append(warns, s) }}
			src := &Source{Name: "in", Kind: KindSocket, Data: data}
			var err error
			if tc.streamed {
				var buf bytes.Buffer
				var ok bool
				if ok, err = src.RenderTo(&buf, Target{Format: "json"}, o); !ok {
					t.Fatal("RenderTo did not take the frames")
				}
			} else {
				_, err = src.Render(Target{Format: "json"}, o)
			}
			if err != nil {
				t.Fatal(err)
			}
			last := strconv.Itoa(tc.more) + " more warnings of later frames are not shown (the first 20 are)"
			if len(warns) != tc.want+1 || warns[len(warns)-1] != last {
				t.Fatalf("%d warnings, want %d and %q: %q", len(warns), tc.want+1, last, warns)
			}
			if !strings.HasPrefix(warns[0], "frame 1: ") || !strings.HasPrefix(warns[tc.want-1], "frame "+strconv.Itoa(tc.lastAt)+": ") {
				t.Errorf("warnings do not name their frames: %q", warns)
			}
		})
	}
}

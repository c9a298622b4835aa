package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Each frame has its own reference tables: a value shared within a frame
// is an $id/$ref pair in its line, and the numbering starts again on the
// next line; writing the lines back gives the same bytes.
func TestFramesRestartReferences(t *testing.T) {
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	pair := &amf.Array{Dense: []any{shared, shared}}
	var capture []byte
	for i := 0; i < 2; i++ {
		var err error
		if capture, err = amf.AppendFrame(capture, pair); err != nil {
			t.Fatal(err)
		}
	}
	if !IsFrames(capture) {
		t.Fatal("IsFrames(capture) = false")
	}
	if g := Detect(capture); g.Kind != KindSocket {
		t.Fatalf("Detect = %v, want socket", g.Kind)
	}
	got, err := AppendFrames(nil, capture, &Options{Typed: true})
	if err != nil {
		t.Fatal(err)
	}
	line := `[{"$id":1,"k":"v"},{"$ref":1}]` + "\n"
	if string(got) != line+line {
		t.Fatalf("AppendFrames =\n%s\nwant each line\n%s", got, line)
	}
	back, err := FramesFromJSON(nil, got)
	if err != nil || !bytes.Equal(back, capture) {
		t.Fatalf("FramesFromJSON = %x, %v; want %x", back, err, capture)
	}
	// In one reference context (FromJSONLines), the second line's $ref
	// would point back into the first; in frames it may not.
	if _, err := FramesFromJSON(nil, []byte(`{"$id":1,"a":1}`+"\n"+`{"$ref":1}`)); err == nil {
		t.Fatal("a $ref to an earlier frame was accepted")
	}
}

func TestIsFrames(t *testing.T) {
	frame, _ := amf.AppendFrame(nil, "hi")
	for _, tc := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"one frame", frame, true},
		{"two frames", append(append([]byte{}, frame...), frame...), true},
		{"cut short", frame[:len(frame)-1], false},
		{"bytes after", append(append([]byte{}, frame...), 0), false},
		{"trailing inside", []byte{0, 0, 0, 3, 4, 5, 0}, false},
		{"empty frame", []byte{0, 0, 0, 0, 0}, false},
		{"bare AMF3 string", []byte{6, 5, 'h', 'i'}, false},
		{"JSON", []byte(`{"a": 1}`), false},
	} {
		if got := IsFrames(tc.in); got != tc.want {
			t.Errorf("%s: IsFrames(%x) = %v, want %v", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestAppendFramesErrors(t *testing.T) {
	_, err := AppendFrames(nil, []byte{0, 0, 0, 9, 6}, nil)
	var fe *amf.FrameError
	if !errors.As(err, &fe) || !errors.Is(err, io.ErrUnexpectedEOF) || err.Error() != "amf: frame 1 at offset 0: its length says 9 bytes, but the input ends 1 byte after it, at offset 5: unexpected EOF" {
		t.Fatalf("AppendFrames(cut) = %v", err)
	}
	var warned string
	out, err := AppendFrames(nil, []byte{0, 0, 0, 3, 4, 5, 0xff}, &Options{Warn: func(m string) { warned = m }})
	if err != nil || string(out) != "5\n" || warned != "frame 1: 1 bytes after its value are dropped" {
		t.Fatalf("AppendFrames(trailing) = %q, %v, warned %q", out, err, warned)
	}
}

// FuzzFrames: whatever IsFrames accepts converts to typed JSON lines that
// give back the same bytes when the frames were canonical, and always
// frames that convert to the same JSON again; or, for a capture IsFrames
// takes for frames cut short, fails naming the frame that is cut.
func FuzzFrames(f *testing.F) {
	frame, _ := amf.AppendFrame(nil, &amf.Array{Dense: []any{"a", amf.Int(1), 2.5}})
	f.Add(frame)
	f.Add([]byte{0, 0, 0, 3, 4, 5, 0})
	f.Add([]byte{0x80, 0, 0, 0, 0x0a})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		ok := IsFrames(data)
		j, err := AppendFrames(nil, data, &Options{Typed: true})
		var fe *amf.FrameError
		if ok && err != nil && !(errors.As(err, &fe) && errors.Is(fe.Err, io.ErrUnexpectedEOF)) {
			t.Fatalf("IsFrames but AppendFrames fails, and not on a frame cut short: %v", err)
		}
		if err != nil {
			return
		}
		back, err := FramesFromJSON(nil, j)
		if err != nil {
			t.Fatalf("own JSON %s does not convert back: %v", j, err)
		}
		j2, err := AppendFrames(nil, back, &Options{Typed: true})
		if err != nil || !bytes.Equal(j, j2) {
			t.Fatalf("JSON %s becomes %s (%v)", j, j2, err)
		}
	})
}

// Frames checked against bytearray-node, an independent AMF3 codec (see
// testdata/README.md): amfcall reads them as it does, writes the same
// bytes from their JSON, and the typed form gives the bytes back.
func TestFramesAgainstByteArrayNode(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "socket", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, name := range []string{"bytearray-node-server", "amfcall-client"} {
		frames, want := read(name+".frames"), read(name+".jsonl")
		if g := Detect(frames); g.Kind != KindSocket {
			t.Errorf("%s: Detect = %v", name, g.Kind)
		}
		got, err := AppendFrames(nil, frames, &Options{})
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: plain JSON\n%s(%v)\nwant what bytearray-node read\n%s", name, got, err, want)
		}
	}
	out, err := FramesFromJSON(nil, read("amfcall-client.jsonl"))
	if err != nil || !bytes.Equal(out, read("amfcall-client.frames")) {
		t.Errorf("amfcall-client.jsonl --to socket = %x (%v)", out, err)
	}
	typed := read("bytearray-node-server.typed.jsonl")
	got, err := AppendFrames(nil, read("bytearray-node-server.frames"), &Options{Typed: true})
	if err != nil || !bytes.Equal(got, typed) {
		t.Errorf("typed form\n%s(%v)\nwant\n%s", got, err, typed)
	}
	out, err = FramesFromJSON(nil, typed)
	if err != nil || !bytes.Equal(out, read("bytearray-node-server.frames")) {
		t.Errorf("typed form back = %x (%v), not the bytes bytearray-node wrote", out, err)
	}
}

// TestFramesFromJSONErrors: JSON lines to frames name the line and column
// of what does not convert, as the other JSON readers do, held (Render)
// and streamed (RenderTo, also for an output thrown away on an error);
// a $ref to an $id of an earlier line says that references do not
// cross frames, and names both frames.
func TestFramesFromJSONErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\"a\": 1}\n{\"b\": [1, 2,\n x]}\n", `in: json: invalid character 'x' looking for beginning of value at line 3, column 2 (offset 23)`},
		{"[1,\n\"$\", {\"$date\": \"nope\"}]", `in: json: $date "nope" is not an RFC 3339 date (want YYYY-MM-DDThh:mm:ss, an optional .fraction, then Z or ±hh:mm) at "/2/$date", line 2, column 16 (offset 19)`},
		{"{\"$id\": 1, \"a\": 1}\n{\"$id\": 2, \"c\": 3}\n{\"b\": {\"$ref\": 1}}\n",
			`in: json: frame 3: $ref 1 refers to $id 1 of frame 1, but references do not cross frames (each frame is its own AMF context: give the value again, or an $id of its own frame) at "/b/$ref", line 3, column 16 (offset 53)`},
		// No $id 2 anywhere before: the usual message.
		{"{\"$id\": 1, \"a\": 1}\n{\"b\": {\"$ref\": 2}}\n", `in: json: $ref 2 points to no value: no "$id": 2 is given in the document (was the value that carried it, at its first place, removed or replaced? write the value in full here instead) at "/b/$ref", line 2, column 16 (offset 34)`},
		// Within one frame a $ref still works.
		{"{\"$id\": 1, \"a\": 1}\n{\"$id\": 1, \"b\": {\"$ref\": 1}}\n", ""},
	} {
		src := &Source{Name: "in", Kind: KindJSON, Data: []byte(tc.in)}
		tg := Target{Format: "socket"}
		_, herr := src.Render(tg, &Options{})
		for _, disc := range []bool{false, true} {
			var buf bytes.Buffer
			ok, serr := src.RenderTo(&buf, tg, &Options{Discardable: disc})
			if !ok {
				t.Fatalf("%q: RenderTo did not take it", tc.in)
			}
			for _, err := range []error{herr, serr} {
				if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && got != tc.want {
					t.Errorf("%q (discardable %v):\n got %s\nwant %s", tc.in, disc, got, tc.want)
				}
			}
		}
	}
}

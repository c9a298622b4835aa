package convert

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// plainFrameOptions are the ways the plain frames path is checked:
// compact, --pretty, --color, --max-output (cutting inside most inputs).
var plainFrameOptions = []struct {
	name string
	o    Options
	enc  Encoding
}{
	{"compact", Options{}, Raw},
	{"pretty", Options{Indent: "  "}, Raw},
	{"color", Options{Palette: DefaultPalette}, Raw},
	{"limit", Options{MaxOutput: 200}, Raw},
	{"tiny", Options{MaxOutput: 5}, Raw},
	{"hex", Options{}, Hex},
}

// checkFramesPlain holds RenderTo's plain JSON of AMF Socket frames (the
// streamed path, framesplain.go) to Render's (the value path): the same
// bytes, warnings and error, or the input left to Render with nothing
// written. It reports whether RenderTo took the input.
func checkFramesPlain(t *testing.T, data []byte, o Options, enc Encoding) bool {
	t.Helper()
	var mw, dw []string
	mo, do := o, o
	mo.Warn = func(s string) { mw = append(mw, s) }
	do.Warn = func(s string) { dw = append(dw, s) }
	src := &Source{Name: "in", Kind: KindSocket, Data: data}
	tg := Target{Format: "json", Encoding: enc}
	model, merr := src.Render(tg, &mo)
	var buf bytes.Buffer
	ok, derr := src.RenderTo(&buf, tg, &do)
	if !ok {
		if buf.Len() > 0 || len(dw) > 0 || derr != nil {
			t.Fatalf("%x: RenderTo wrote %q, warned %q, said %v and left the input to Render", data, buf.Bytes(), dw, derr)
		}
		if merr == nil {
			t.Fatalf("%x: RenderTo did not take frames that Render converts", data)
		}
		return false
	}
	// The output limit is exact (limitWriter, and a check at the end of
	// each frame): both paths stop in the same frame, with the same
	// warnings (none for that frame), and no more than the limit is
	// written.
	if o.MaxOutput > 0 && enc == Raw && int64(buf.Len()) > o.MaxOutput {
		t.Fatalf("%x: streamed %d bytes past a limit of %d", data, buf.Len(), o.MaxOutput)
	}
	if strings.Join(dw, "\n") != strings.Join(mw, "\n") {
		t.Fatalf("%x: streamed warns %q; value path %q", data, dw, mw)
	}
	if merr != nil || derr != nil {
		if merr == nil || derr == nil || merr.Error() != derr.Error() {
			t.Fatalf("%x: streamed: %v; value path: %v", data, derr, merr)
		}
		// What was written before the error is a start of the output
		// the value path would have given without the limit.
		full, err := src.Render(tg, &Options{Indent: o.Indent, Palette: o.Palette})
		if err != nil && buf.Len() == 0 {
			return true // frames that do not read: their error, and nothing written, from the token pass (framesNotTaken)
		}
		if err != nil || !bytes.HasPrefix(full, buf.Bytes()) {
			t.Fatalf("%x: streamed %q before the error, not a start of %q (%v)", data, buf.Bytes(), full, err)
		}
		return true
	}
	if !bytes.Equal(buf.Bytes(), model) {
		t.Fatalf("%x:\nstreamed %s\nmodel    %s", data, buf.Bytes(), model)
	}
	return true
}

// plainFrameInputs are the inputs of TestFramesPlainDifferential: the
// frame files under testdata/socket; captures of three frames made of
// consecutive PyAMF AMF3 vectors (testdata/pyamf/vectors, and the shared
// ones where present), the middle one with two bytes after its value;
// every PyAMF capture (HTTP packets, testdata/pyamf/captures and the
// shared ones) as one frame, which mostly does not decode as AMF3; each
// of those cut short at a few places; and frames garbled by hand.
func plainFrameInputs(t *testing.T) (inputs [][]byte, valid int) {
	read := func(pattern string) [][]byte {
		names, _ := filepath.Glob(pattern)
		var out [][]byte
		for _, name := range names {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
		return out
	}
	inputs = read("../testdata/socket/*.frames")
	if len(inputs) < 2 {
		t.Fatalf("only %d frame files under testdata/socket", len(inputs))
	}
	valid = len(inputs)
	for _, dir := range []string{"../testdata/pyamf/vectors", "/work/shared/vectors/pyamf"} {
		vs := read(dir + "/*.amf3")
		for i := 0; i+2 < len(vs); i++ {
			inputs = append(inputs, frames(vs[i], append(bytes.Clone(vs[i+1]), 0x01, 0x02), vs[i+2]))
		}
	}
	for _, dir := range []string{"../testdata/pyamf/captures", "/work/shared/captures/pyamf"} {
		for _, c := range read(dir + "/*.amf") {
			inputs = append(inputs, frames(c), c)
		}
	}
	n := len(inputs)
	for _, in := range inputs[:n] {
		for _, cut := range []int{3, 4, 5, len(in) / 2, len(in) - 1} {
			if cut > 0 && cut < len(in) {
				inputs = append(inputs, in[:cut])
			}
		}
	}
	for _, h := range []string{
		"00000000",                                           // an empty frame
		"00000002" + "04",                                    // cut inside the payload
		"00000001" + "0a",                                    // an object cut short
		"00000002" + "0401" + "00000001" + "09",              // an array cut short in frame 2
		"00000004" + "0a0b0101" + "00000002" + "0a00",        // a reference to an empty table in frame 2
		"ffffffff" + "0a0b0101",                              // a length over the frame limit
		"00000003" + "060561" + "00000002" + "0600",          // a string reference to frame 1's table
		"00000006" + "0a0b010361" + "04" + "00000001" + "01", // cut after a member name
		"0000000a" + "0a0b0103610a00" + "010101",             // a cycle: an object holding itself
		"00000006" + "05" + "7ff8000000",                     // a double cut short
		"00000009" + "057ff0000000000000",                    // infinity: warned of
		"00000005" + "0605ff" + "fe01",                       // a string not UTF-8, a byte after it
	} {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(h, err)
		}
		inputs = append(inputs, b)
	}
	return inputs, valid
}

// TestFramesPlainDifferential holds the streamed plain JSON of frames to
// the value path's, on every input and way of writing it.
func TestFramesPlainDifferential(t *testing.T) {
	inputs, valid := plainFrameInputs(t)
	taken, rejected := 0, 0
	for i, in := range inputs {
		for _, tc := range plainFrameOptions {
			ok := checkFramesPlain(t, in, tc.o, tc.enc)
			if i < valid && !ok {
				t.Errorf("frame file %d: RenderTo did not take it (%s)", i, tc.name)
			}
			if tc.name == "compact" {
				p := plainPool.Get().(*plainConv)
				if _, err := framesError(in, p); err != nil {
					rejected++ // does not read: its error from the token pass
				} else if ok {
					taken++
				}
				p.release()
			}
		}
	}
	t.Logf("%d inputs: %d streamed, %d that do not decode", len(inputs), taken, rejected)
	if taken < 100 || rejected < 50 {
		t.Errorf("%d streamed, %d left to the value path: the inputs do not cover both", taken, rejected)
	}
}

// FuzzPlainFrames: on any bytes, as a capture of frames and as the same
// bytes cut into two frames, RenderTo gives Render's plain JSON bytes,
// warnings and error, or leaves the input to it.
func FuzzPlainFrames(f *testing.F) {
	addSeeds(f, "../testdata/socket/*.frames")
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, tc := range plainFrameOptions[:4] {
			checkFramesPlain(t, data, tc.o, tc.enc)
		}
		k := len(data) / 2
		if got, want := IsFrames(data), isFramesModel(data); got != want {
			t.Fatalf("%x: IsFrames = %v, the value decoder says %v", data, got, want)
		}
		checkFramesPlain(t, frames(data[:k], data[k:]), Options{MaxOutput: 1 << 20}, Raw)
		checkFramesPlain(t, frames(data), Options{Indent: " ", MaxOutput: 1 << 20}, Raw)
	})
}

// checkFramesFromJSON holds RenderTo's streamed JSON lines -> frames to
// Render's (FramesFromJSON): the same bytes or the same error, with
// nothing written then.
func checkFramesFromJSON(t *testing.T, data []byte, enc Encoding) {
	t.Helper()
	src := &Source{Name: "in", Kind: KindJSON, Data: data}
	tg := Target{Format: "socket", Encoding: enc}
	want, merr := src.Render(tg, &Options{})
	var buf bytes.Buffer
	ok, derr := src.RenderTo(&buf, tg, &Options{})
	if !ok {
		t.Fatalf("%.80q: RenderTo did not take JSON lines to frames", data)
	}
	if merr != nil || derr != nil {
		if merr == nil || derr == nil || merr.Error() != derr.Error() {
			t.Fatalf("%.80q: streamed: %v; Render: %v", data, derr, merr)
		}
		if buf.Len() > 0 {
			t.Fatalf("%.80q: %d bytes written before the error %v", data, buf.Len(), derr)
		}
		var one bytes.Buffer
		ok, oerr := src.RenderTo(&one, tg, &Options{Discardable: true})
		if !ok || oerr == nil || oerr.Error() != merr.Error() {
			t.Fatalf("%.80q: discardable: %v; Render: %v", data, oerr, merr)
		}
		if enc == Raw && !wholeFrames(one.Bytes()) {
			t.Fatalf("%.80q: discardable: a frame written in part before %v", data, oerr)
		}
		return
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("%.80q:\nstreamed %x\nRender   %x", data, buf.Bytes(), want)
	}
	// For an output thrown away on an error, in one pass: the same
	// frames, or the same error after whole frames only.
	var one bytes.Buffer
	if ok, err := src.RenderTo(&one, tg, &Options{Discardable: true}); !ok || err != nil || !bytes.Equal(one.Bytes(), want) {
		t.Fatalf("%.80q: discardable: %v, %d bytes, want %d", data, err, one.Len(), len(want))
	}
}

// wholeFrames reports whether b is whole frames, one after another.
func wholeFrames(b []byte) bool {
	for len(b) > 0 {
		_, rest, ok := amf.NextFrame(b)
		if !ok {
			return false
		}
		b = rest
	}
	return true
}

// TestFramesFromJSONStreamed: JSON lines to frames, streamed, against
// Render on the JSON lines under testdata/socket, the plain and typed
// JSON of every frame input that converts, and broken JSON lines; and
// past holdFrames, where the documents left are checked before output.
func TestFramesFromJSONStreamed(t *testing.T) {
	inputs, _ := plainFrameInputs(t)
	var docs [][]byte
	names, _ := filepath.Glob("../testdata/socket/*.jsonl")
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	for _, in := range inputs {
		for _, o := range []*Options{{}, {Typed: true}} {
			if j, err := AppendFrames(nil, in, o); err == nil {
				docs = append(docs, j)
			}
		}
	}
	if len(docs) < 100 {
		t.Fatalf("only %d JSON inputs", len(docs))
	}
	for _, d := range docs {
		checkFramesFromJSON(t, d, Raw)
		checkFramesFromJSON(t, d, Base64)
	}
	for _, s := range []string{"", "\n", `{"a": 1}` + "\n" + `{"a": `, `[1, 2]` + "\n" + `{"$ref": 3}`, `"x"` + "\n" + `{"$amf3": {"$date": "nope"}}`,
		`{"a": 1} x`, "\xff", `{"$bytes": "@@"}`, `1` + "\n" + `{"$vector": "int", "items": ["a"]}`} {
		checkFramesFromJSON(t, []byte(s), Raw)
	}
	// Past holdFrames: 5 MiB of documents, then a line that does not
	// convert; and the same without it.
	var big bytes.Buffer
	line := `{"text": "` + strings.Repeat("lorem ipsum ", 20000) + `", "n": 1}` + "\n"
	for big.Len() < holdFrames+holdFrames/4 {
		big.WriteString(line)
	}
	checkFramesFromJSON(t, big.Bytes(), Raw)
	big.WriteString(`{"$ref": 0}` + "\n")
	checkFramesFromJSON(t, big.Bytes(), Raw)
}

// isFramesModel is IsFrames as it was, every frame through the value
// decoder: the oracle of the token Reader's reading.
func isFramesModel(data []byte) bool {
	if len(data) < 5 {
		return false
	}
	fr := amf.NewFrameReader(bytes.NewReader(data))
	firstObject := false
	for {
		var v any
		err := fr.Decode(&v)
		if err == io.EOF {
			return fr.Frames() > 0
		}
		var fe *amf.FrameError
		if errors.As(err, &fe) && fe.Err == io.ErrUnexpectedEOF {
			if fe.Frame == 1 {
				return data[0] == 0 && amf.StartsObject(data[4:])
			}
			return firstObject
		}
		if err != nil || fr.Trailing > 0 {
			return false
		}
		if fr.Frames() == 1 {
			_, firstObject = v.(*amf.Object)
		}
	}
}

// TestIsFramesModel: IsFrames says what the value decoder says of every
// input of TestFramesPlainDifferential, its cuts at every byte of the
// short ones, and as two frames.
func TestIsFramesModel(t *testing.T) {
	inputs, _ := plainFrameInputs(t)
	yes := 0
	check := func(in []byte) {
		t.Helper()
		if got, want := IsFrames(in), isFramesModel(in); got != want {
			t.Fatalf("%x: IsFrames = %v, the value decoder says %v", in, got, want)
		} else if got {
			yes++
		}
	}
	for _, in := range inputs {
		check(in)
		k := len(in) / 2
		check(frames(in[:k], in[k:]))
		if len(in) < 300 {
			for i := range in {
				check(in[:i])
			}
		}
	}
	t.Logf("%d inputs, %d of them frames", len(inputs), yes)
	if yes < 100 {
		t.Errorf("only %d inputs taken as frames", yes)
	}
}

// TestFramesLimitWarning: the warning about strings that are not UTF-8
// comes with the output of the frame that holds them, and not before an
// output limit error for that frame (the frame's output is not written);
// the error names the frame whose output passes the limit, not the one
// after it. Held (Render) and streamed (RenderTo) alike.
func TestFramesLimitWarning(t *testing.T) {
	// Frame 1: "café xxxxxxxxxxxxxxxxxxxx" with é as the windows-1252
	// byte 0xe9 (29 bytes of JSON with the newline); frame 2: "abc"
	// (6 bytes).
	s1 := append([]byte("caf\xe9 "), bytes.Repeat([]byte("x"), 20)...)
	f1 := append([]byte{0x06, byte(len(s1)<<1 | 1)}, s1...)
	f2 := []byte{0x06, 3<<1 | 1, 'a', 'b', 'c'}
	var data []byte
	for _, f := range [][]byte{f1, f2} {
		data = binary.BigEndian.AppendUint32(data, uint32(len(f)))
		data = append(data, f...)
	}
	const warning = `frame 1: 1 string is not UTF-8 (the first at the top value): printed as windows-1252 text; the typed form keeps the bytes ({"$latin1": ...})`
	for _, tc := range []struct {
		limit int64
		err   string
		warns int
	}{
		{10, "in: frame 1: json: plain output exceeds 10 bytes (shared values expand at each use; a reference bomb?)", 0},
		{28, "in: frame 1: json: plain output exceeds 28 bytes (shared values expand at each use; a reference bomb?)", 0},
		{29, "in: frame 2: json: plain output exceeds 29 bytes (shared values expand at each use; a reference bomb?)", 1},
		{34, "in: frame 2: json: plain output exceeds 34 bytes (shared values expand at each use; a reference bomb?)", 1},
		{35, "", 1},
	} {
		for _, streamed := range []bool{false, true} {
			var warns []string
			o := &Options{MaxOutput: tc.limit, Warn: func(s string) { warns = append(warns, s) }}
			src := &Source{Name: "in", Kind: KindSocket, Data: data}
			var out []byte
			var err error
			if streamed {
				var buf bytes.Buffer
				var ok bool
				if ok, err = src.RenderTo(&buf, Target{Format: "json"}, o); !ok {
					t.Fatalf("limit %d: RenderTo did not take the frames", tc.limit)
				}
				out = buf.Bytes()
			} else {
				out, err = src.Render(Target{Format: "json"}, o)
			}
			if got := fmt.Sprint(err); tc.err == "" && err != nil || tc.err != "" && got != tc.err {
				t.Errorf("limit %d (streamed %v): error %v, want %s", tc.limit, streamed, err, tc.err)
			}
			if len(warns) != tc.warns || tc.warns > 0 && warns[0] != warning {
				t.Errorf("limit %d (streamed %v): warnings %q, want %d", tc.limit, streamed, warns, tc.warns)
			}
			if int64(len(out)) > tc.limit {
				t.Errorf("limit %d (streamed %v): %d bytes written", tc.limit, streamed, len(out))
			}
			if tc.err == "" && string(out) != "\"café xxxxxxxxxxxxxxxxxxxx\"\n\"abc\"\n" {
				t.Errorf("limit %d (streamed %v): wrote %q", tc.limit, streamed, out)
			}
		}
	}
}

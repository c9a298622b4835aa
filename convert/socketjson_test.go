package convert

import (
	"bytes"
	"strings"
	"testing"
)

// framesJSONInputs are JSON lines for the two frame writers: plain and
// typed, references within a line and across lines, keys given twice,
// escaped and short member names at the end of a line, lines the direct
// writer leaves to the value model between lines it writes, and errors.
var framesJSONInputs = []string{
	`{"command":"echo","params":{"a":1}}` + "\n" + `{"command":"echo","params":{"a":2}}`,
	`{"a":1,"b":2}` + "\n" + `{"a":1,"a":2}` + "\n" + `{"a":1,"b":2}`,
	`{"a":1,"a":[1,{"x":}]}` + "\n" + `{"a":1,"a":2}`,
	`{"a":1,"a":{"$vector":"int","items":[1]}}` + "\n" + `{"a":1,"a":2}`,
	`[{"$id":1,"k":1},{"$ref":1}]` + "\n" + `[{"$id":1,"k":2},{"$ref":1}]`,
	`[{"$id":1,"k":1},{"$ref":1}]` + "\n" + `[{"$ref":1}]`,
	`{"k":1,"$class":"a.B"}` + "\n" + `{"$class":"a.B","k":2}` + "\n" + `{"k":3}`,
	`{"$class":"flex.messaging.io.ArrayCollection","source":[1,2]}` + "\n" + `{"a":"\u00e9"}`,
	`"s"` + "\n" + `1` + "\n" + `null` + "\n" + `true` + "\n" + `[]` + "\n" + `{}`,
	`{"a":"x"}{"a":"y"}[1][2]`,
	`{"\u0061":1}` + "\n" + `{"a":1}` + "\n" + `{"a\"":1}`,
	`{"a":{"$date":"2020-01-01T00:00:00Z"}}` + "\n" + `{"b":{"$bytes":"AAE="}}`,
	`{"a":{"$date":"2020-01-01T00:00:00Z","$tz":60}}` + "\n" + `[{"$date":1,"$tz":-5},{"$vector":"int","items":[1]}]`,
	`{"a":1}` + "\n" + `{"a":`,
	`{"a":1}` + "\n" + `{"a":1e400}`,
	``,
	// Where one document ends and the next begins (the one-pass writer
	// finds it as it writes).
	`1 2`, `1{"a":1}`, `1"x"`, `truefalse`, `null1`, `"a""b"`, `{"a":1}x`, `[1,]`, "\ufeff{}", "{\"a\":\"\xff\"}",
	"{\"a\":1}\r\n\t{\"b\":[]}\n\n", `-0 1e5 1.5E-3`, `{"a":1}` + strings.Repeat(`[`, 600) + strings.Repeat(`]`, 600),
}

// checkFramePaths fails t when WriteFramesFromJSON (the direct writer,
// one Writer and scanner reset for each frame) and FramesFromJSON (the
// value model) disagree on data: output, error, or keys given twice.
func checkFramePaths(t *testing.T, data []byte) {
	t.Helper()
	var dkModel, dkDirect dupKeys
	want, errModel := framesFromJSON(nil, data, &dkModel)
	var got bytes.Buffer
	errDirect := writeFramesFromJSON(&got, data, true, &dkDirect)
	if (errModel == nil) != (errDirect == nil) || errModel != nil && errModel.Error() != errDirect.Error() {
		t.Fatalf("%q: value model error %v, direct %v", data, errModel, errDirect)
	}
	if errModel != nil {
		if got.Len() != 0 {
			t.Fatalf("%q: %d bytes written before the error %v", data, got.Len(), errDirect)
		}
		return
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("%q:\ndirect % x\nmodel  % x", data, got.Bytes(), want)
	}
	if dkModel.count != dkDirect.count || dkModel.first != dkDirect.first || dkModel.at != dkDirect.at {
		t.Fatalf("%q: keys given twice: model %d (%q at %d), direct %d (%q at %d)", data,
			dkModel.count, dkModel.first, dkModel.at, dkDirect.count, dkDirect.first, dkDirect.at)
	}
	if w, g := warningsOf(&dkModel, data), warningsOf(&dkDirect, data); w != g {
		t.Fatalf("%q: model warns %q, direct %q", data, w, g)
	}
}

func TestFramesFromJSONPaths(t *testing.T) {
	for _, in := range framesJSONInputs {
		checkFramePaths(t, []byte(in))
		checkFramesPromises(t, []byte(in))
	}
}

// FuzzFramesFromJSON: the frames of JSON lines are the same, with the
// same error and the same keys noted as given twice, whether written by
// the direct writer reused across frames or through the value model;
// the error names a place in the input, and the frames are one a
// document and convert back from their typed JSON (checkFramesPromises).
func FuzzFramesFromJSON(f *testing.F) {
	for _, in := range framesJSONInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		checkFramePaths(t, data)
		checkFramesPromises(t, data)
	})
}

// JSON lines to frames reuse one Writer and scanner: the allocations of
// 2,000 small lines do not grow with the lines (before, some 14 a
// frame: 23 KB, review2 F21). The bound is for the held output and the
// spans, growing by doubling.
func TestFramesFromJSONAllocs(t *testing.T) {
	lines := []byte(strings.Repeat(`{"command":"echo","params":{"a":1}}`+"\n", 2000))
	var out bytes.Buffer
	allocs := testing.AllocsPerRun(5, func() {
		out.Reset()
		if err := WriteFramesFromJSON(&out, lines); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 100 {
		t.Errorf("WriteFramesFromJSON of 2,000 lines: %.0f allocations, want at most 100", allocs)
	}
	if n := bytes.Count(out.Bytes(), []byte("command")); n != 2000 {
		t.Errorf("%d frames hold \"command\", want 2000", n)
	}
}

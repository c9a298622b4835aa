package convert

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// jsonReaders are the readers of JSON text in this package: plain and
// typed JSON into AMF values (both versions, and straight to bytes), JSON
// lines, packets, .sol files, AMF Socket frames, FLV and HAR files.
var jsonReaders = []struct {
	name string
	read func([]byte) error
}{
	{"FromJSON", func(b []byte) error { _, err := FromJSON(b); return err }},
	{"FromJSONWarnIn AMF3", func(b []byte) error { _, err := FromJSONWarnIn(b, amf.AMF3, func(string) {}); return err }},
	{"FromJSONLines", func(b []byte) error { _, err := FromJSONLines(b); return err }},
	{"AppendJSONAsAMF AMF0", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF0); return err }},
	{"AppendJSONAsAMF AMF3", func(b []byte) error { _, err := AppendJSONAsAMF(nil, b, amf.AMF3); return err }},
	{"PacketFromJSON", func(b []byte) error { _, err := PacketFromJSON(b); return err }},
	{"AppendPacketJSON", func(b []byte) error { _, err := AppendPacketJSON(nil, b); return err }},
	{"SOLFromJSON", func(b []byte) error { _, err := SOLFromJSON(b); return err }},
	{"AppendSOLJSON", func(b []byte) error { _, err := AppendSOLJSON(nil, b); return err }},
	{"FramesFromJSON", func(b []byte) error { _, err := FramesFromJSON(nil, b); return err }},
	{"FLVFromJSON", func(b []byte) error { _, err := FLVFromJSON(b); return err }},
	{"ReadHAR", func(b []byte) error { _, err := ReadHAR(b); return err }},
}

// whereRE is how a JSON reader's error says where: "line L, column C
// (offset O)", or "offset O" alone.
var whereRE = regexp.MustCompile(`(?:line (\d+), column (\d+) \(offset (\d+)\)|offset (\d+))`)

// errorSaysWhere reports what is wrong with the position an error of a
// JSON reader gives for data, or "" when it names a place inside data
// (an offset from 0 to len(data), and a line and column that agree with
// it when given).
func errorSaysWhere(err error, data []byte) string {
	ms := whereRE.FindAllStringSubmatch(err.Error(), -1)
	if len(ms) == 0 {
		return "no position"
	}
	m := ms[len(ms)-1]
	offText := m[4]
	if m[3] != "" {
		offText = m[3]
	}
	off, perr := strconv.Atoi(offText)
	if perr != nil || off < 0 || off > len(data) {
		return "offset " + offText + " outside the input of " + strconv.Itoa(len(data)) + " bytes"
	}
	if m[1] == "" {
		return ""
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	if m[1] != strconv.Itoa(line) || m[2] != strconv.Itoa(col) {
		return "line " + m[1] + ", column " + m[2] + " for offset " + offText + ", which is line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col)
	}
	return ""
}

// jsonWhereSeeds are the inputs of the committed corpora of the JSON
// targets.
func jsonWhereSeeds() [][]byte {
	var out [][]byte
	for _, dir := range []string{"FuzzFromJSON", "FuzzJSONToAMF3", "FuzzJSONScan", "FuzzCheckSpans",
		"FuzzPacketJSON", "FuzzSOLJSON", "FuzzTypedJSON", "FuzzReadHAR", "FuzzFramesFromJSON", "FuzzFLVFromJSON",
		"FuzzJSONErrorsSayWhere"} {
		names, _ := filepath.Glob(filepath.Join("testdata/fuzz", dir, "*"))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil {
				out = append(out, corpusInputs(b)...)
			}
		}
	}
	if b, err := os.ReadFile("../testdata/har/pyamf.har"); err == nil {
		out = append(out, b)
	}
	return out
}

// FuzzJSONErrorsSayWhere: for any input a JSON reader refuses, the error
// names a place inside the input (a line and column with the offset, or
// the offset).
func FuzzJSONErrorsSayWhere(f *testing.F) {
	for _, b := range jsonWhereSeeds() {
		if len(b) <= 4096 {
			f.Add(b)
		}
	}
	for _, c := range typedCases {
		f.Add([]byte(c))
	}
	for _, in := range framesJSONInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		for _, r := range jsonReaders {
			err := r.read(data)
			if err == nil {
				continue
			}
			if what := errorSaysWhere(err, data); what != "" {
				t.Fatalf("%s(%.300q): %s in the error: %v", r.name, data, what, err)
			}
		}
	})
}

// TestJSONErrorsSayWhereCorpus runs the check over every input of the
// JSON corpora (the fuzz target's seeds), and checks that the check can
// fail: an error without a position, or with one past the end, is caught.
func TestJSONErrorsSayWhereCorpus(t *testing.T) {
	seeds := jsonWhereSeeds()
	if len(seeds) < 100 {
		t.Fatalf("only %d corpus inputs found", len(seeds))
	}
	refused := 0
	for _, data := range seeds {
		for _, r := range jsonReaders {
			if err := r.read(data); err != nil {
				refused++
				if what := errorSaysWhere(err, data); what != "" {
					t.Errorf("%s(%.200q): %s in the error: %v", r.name, data, what, err)
				}
			}
		}
	}
	if refused == 0 {
		t.Fatal("no corpus input was refused")
	}
	t.Logf("%d inputs, %d refusals", len(seeds), refused)
	for _, tc := range []struct {
		err  string
		data string
		ok   bool
	}{
		{"json: bad at line 2, column 1 (offset 2)", "a\nb", true},
		{"json: bad at offset 3", "abc", true},
		{"json: bad", "abc", false},
		{"json: bad at offset 4", "abc", false},
		{"json: bad at line 1, column 3 (offset 2)", "a\nb", false},
	} {
		if got := errorSaysWhere(errString(tc.err), []byte(tc.data)); (got == "") != tc.ok {
			t.Errorf("%q on %q: %q", tc.err, tc.data, got)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

package amf

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The JSON dump's paths carried member names with their C1 controls and
// bidi overrides raw (review F-A): they are escaped as convert escapes
// them, and the document still reads back to the same names.
func TestDumpJSONEscapesTerminalRunes(t *testing.T) {
	const name = "k\u009bx\u202ey\u2066"
	data, err := Marshal(&Object{Members: []Member{{Name: name, Value: "v"}}}, AMF3)
	if err != nil {
		t.Fatal(err)
	}
	for _, lines := range []bool{false, true} {
		var out bytes.Buffer
		if err := WriteDumpJSON(&out, data, DumpAMF3, lines); err != nil {
			t.Fatal(err)
		}
		for _, r := range out.String() {
			if r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
				t.Fatalf("U+%04X raw in %s", r, out.String())
			}
		}
		if !strings.Contains(out.String(), `"path":"/k\u009bx\u202ey\u2066"`) && !strings.Contains(out.String(), `"path": "/k\u009bx\u202ey\u2066"`) {
			t.Errorf("lines %v: %s", lines, out.String())
		}
		var doc struct{ Ranges []struct{ Path string } }
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, rg := range doc.Ranges {
			found = found || rg.Path == "/"+name
		}
		if !found {
			t.Errorf("no range with the path /%+q", name)
		}
	}
}

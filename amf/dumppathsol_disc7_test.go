package amf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpJSONPathsOfSOL: the JSON dump's ranges had no "path" in a .sol
// file, though its errors name the member ("within \"/a\"") and the help
// says only the header's ranges have none: jq could not select a
// member's bytes. Each member's ranges now have "/" and its name (and
// what is under it), AMF0 and AMF3 files alike; the header and each
// member's closing 00 have none.
func TestDumpJSONPathsOfSOL(t *testing.T) {
	data, err := os.ReadFile("../testdata/sol/shared.sol")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range dumpPaths(t, data, amf.DumpSOL) {
		p := "-"
		if r.Path != nil {
			p = *r.Path
		}
		got[r.Text] = p
	}
	for text, want := range map[string]string{
		".sol magic 00 bf":                         "-",
		`member "cyclic_object" (u16 length 13)`:   "/cyclic_object",
		`string "cyc" (u16 length 3)`:              "/cyclic_object/name",
		"reference → refs[1] (the object at 0x2b)": "/cyclic_object/prop",
		`member "d" (u16 length 1)`:                "/d",
		"end of member (00)":                       "-",
	} {
		if got[text] != want {
			t.Errorf("%s: path %q, want %q", text, got[text], want)
		}
	}

	// Every range of a value has a path, in every .sol file at hand.
	files, _ := filepath.Glob("../testdata/external/flash-lso/*.sol")
	files = append(files, "../testdata/sol/shared.sol", "../testdata/sol/selfref.sol")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range dumpPaths(t, data, amf.DumpSOL) {
			switch {
			case r.Offset <= 16, r.Class == "fault", r.Class == "unread", r.Text == "end of member (00)",
				r.Class == "section", r.Text == "padding 00 00 00":
				if r.Path != nil {
					t.Errorf("%s: the header range at %d (%s) has the path %q", f, r.Offset, r.Text, *r.Path)
				}
			case r.Path == nil || !strings.HasPrefix(*r.Path, "/"):
				t.Errorf("%s: the range at %d (%s) has no path", f, r.Offset, r.Text)
			}
		}
	}
}

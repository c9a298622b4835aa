package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestWarningPathsOfLatin1Names: convert's warnings named a member whose
// name is not UTF-8 by its bytes ("/caf\xe9"), where its plain JSON
// prints the name decoded with --charset ("café"): a jq path taken from
// the warning named nothing. Each warning's JSON Pointer now resolves
// in the output it warns about, with the default charset and another,
// for bare AMF0 and AMF3 values, a packet and a .sol file.
func TestWarningPathsOfLatin1Names(t *testing.T) {
	const name = "caf\xe9"
	// {café: {a: 1, a: 2}}: the name is the first string that is not
	// UTF-8, and the member given twice stands under it.
	obj := &amf.Object{Members: []amf.Member{{Name: name, Value: &amf.Object{Members: []amf.Member{{Name: "a", Value: 1.0}, {Name: "a", Value: 2.0}}}}}}
	amf0, err := amf.Marshal(obj, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	amf3, err := amf.Marshal(obj, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	packet, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: obj}}})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := amf.MarshalSOL(&amf.SOL{Name: "s", Members: []amf.Member{{Name: name, Value: obj.Members[0].Value}}})
	if err != nil {
		t.Fatal(err)
	}
	at := regexp.MustCompile(`\((?:the first )?at ("(?:[^"\\]|\\.)*")`)
	dir := t.TempDir()
	for _, tc := range []struct {
		from string
		data []byte
	}{{"amf0", amf0}, {"amf3", amf3}, {"packet", packet}, {"sol", sol}} {
		file := filepath.Join(dir, tc.from+".bin")
		if err := os.WriteFile(file, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cs := range [][]string{nil, {"--charset", "koi8-r"}} {
			for _, layout := range [][]string{nil, {"--compact"}} {
				args := append(append(append([]string{"convert", "--from", tc.from}, cs...), layout...), file)
				out, stderr, code := run(t, args, "", nil, false)
				if code != 0 {
					t.Fatalf("%v: exit %d: %s", args, code, stderr)
				}
				var doc any
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, out)
				}
				found := at.FindAllStringSubmatch(stderr, -1)
				if len(found) != 2 {
					t.Errorf("%v: %d warnings with a path, want 2 (text, name given twice): %s", args, len(found), stderr)
				}
				for _, m := range found {
					p, err := strconv.Unquote(m[1])
					if err != nil {
						t.Fatalf("%v: %s: %v", args, m[1], err)
					}
					if !jsonPointerIn(doc, p) {
						t.Errorf("%v: the warning's path %q is not in the output:\n%s\nstderr: %s", args, p, out, stderr)
					}
				}
			}
		}
	}
}

package commands

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestDumpPathsOfLatin1NamesOpen11: dump --format json named a member
// whose name is not UTF-8 by its raw bytes (U+FFFD once in JSON), while
// convert's plain JSON decodes the name with --charset (default
// windows-1252): the path named nothing in convert's output (fuzz10's
// FuzzDumpFLVPaths input). Now each path of the dump, followed as a JSON
// Pointer, names a value of convert's output of the same file, with the
// default charset and with another given to both, for bare AMF0 and
// AMF3 values, a packet, a .sol file and an FLV file; the text dump
// still shows the name's bytes.
func TestDumpPathsOfLatin1NamesOpen11(t *testing.T) {
	dir := t.TempDir()
	const name = "caf\xe9"
	obj := &amf.Object{Members: []amf.Member{{Name: name, Value: "x"}, {Name: "n", Value: &amf.Object{Members: []amf.Member{{Name: name, Value: 1.0}}}}}}
	amf0, err := amf.Marshal(obj, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	// AMF3: the name inline, then by string reference in the second
	// object, and as a sealed member's name.
	amf3 := []byte("\x09\x07\x01" +
		"\x0a\x0b\x01\x09" + name + "\x06\x03x\x01" +
		"\x0a\x0b\x01\x00\x04\x01\x01" +
		"\x0a\x13\x03C\x00\x04\x02")
	packet, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: obj}}})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := amf.MarshalSOL(&amf.SOL{Name: "s", Members: []amf.Member{{Name: name, Value: obj}, {Name: "b", Value: obj}}})
	if err != nil {
		t.Fatal(err)
	}
	script := append([]byte("\x02\x00\x0aonMetaData"), amf0...)
	flv := []byte("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00")
	flv = append(flv, 0x12, byte(len(script)>>16), byte(len(script)>>8), byte(len(script)), 0, 0, 0, 0, 0, 0, 0)
	flv = append(flv, script...)
	flv = binary.BigEndian.AppendUint32(flv, uint32(11+len(script)))

	for _, tc := range []struct {
		name, from string
		data       []byte
		prefix     string // where the dump's paths stand in convert's JSON
	}{
		{"amf0", "amf0", amf0, ""},
		{"amf3", "amf3", amf3, ""},
		{"packet", "packet", packet, ""},
		{"sol", "sol", sol, "/data"},
		{"flv", "flv", flv, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, tc.name+".bin")
			if err := os.WriteFile(file, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cs := range [][]string{nil, {"--charset", "koi8-r"}} {
				out, stderr, code := run(t, append(append([]string{"dump", "--format", "json", "--from", tc.from}, cs...), file), "", nil, false)
				if code != 0 {
					t.Fatalf("dump %v: exit %d: %s", cs, code, stderr)
				}
				var doc struct {
					Ranges []struct {
						Text string
						Path *string
					}
				}
				if err := json.Unmarshal([]byte(out), &doc); err != nil {
					t.Fatalf("dump %v: %v\n%s", cs, err, out)
				}
				conv, stderr, code := run(t, append(append([]string{"convert", "--from", tc.from}, cs...), file), "", nil, false)
				if code != 0 {
					t.Fatalf("convert %v: exit %d: %s", cs, code, stderr)
				}
				var whole any
				if err := json.Unmarshal([]byte(conv), &whole); err != nil {
					t.Fatalf("convert %v: %v\n%s", cs, err, conv)
				}
				named, raw := 0, false
				for _, r := range doc.Ranges {
					raw = raw || strings.Contains(r.Text, `"caf\xe9"`)
					if r.Path == nil {
						continue
					}
					p := *r.Path
					if tc.from == "packet" && (strings.HasSuffix(p, "/length") || !strings.Contains(p, "/value")) {
						continue // the envelope's fields: convert prints no length
					}
					if strings.Contains(p, "caf") {
						named++
					}
					if !jsonPointerIn(whole, tc.prefix+p) {
						t.Errorf("dump %v: path %q (%s) is not in convert's JSON:\n%s", cs, p, r.Text, conv)
					}
				}
				if named == 0 || !raw {
					t.Errorf("dump %v: %d paths through the name, its bytes shown: %v\n%s", cs, named, raw, out)
				}
			}
		})
	}

	// The text dump shows the bytes, whatever --charset says.
	file := filepath.Join(dir, "amf0.bin")
	out, _, code := run(t, []string{"dump", "--from", "amf0", "--charset", "koi8-r", file}, "", nil, false)
	if code != 0 || !strings.Contains(out, `name "caf\xe9" (u16 length 4)`) {
		t.Errorf("text dump (exit %d):\n%s", code, out)
	}
	// A charset convert does not know is refused as convert refuses it.
	_, stderr, code := run(t, []string{"dump", "--charset", "nope", file}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, `--charset: unknown charset "nope"`) {
		t.Errorf("--charset nope: exit %d, %s", code, stderr)
	}
}

// jsonPointerIn reports whether the JSON Pointer p names a value of doc.
func jsonPointerIn(doc any, p string) bool {
	if p == "" {
		return true
	}
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		switch v := doc.(type) {
		case map[string]any:
			x, ok := v[seg]
			if !ok {
				return false
			}
			doc = x
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return false
			}
			doc = v[i]
		default:
			return false
		}
	}
	return true
}

package commands

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func unhex(t *testing.T, s string) string {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A version-3 request whose second argument, in its own 0x11 switch, is a
// reference to the object of the first switch.
const crossSwitchReq = "0003 0000 0001 0003 612e62 0002 2f31 ffffffff " +
	"0a00000002 11 0a0b01 0361 0401 01 11 0a00"

func TestCrossSwitchReferenceRoundTrip(t *testing.T) {
	in := unhex(t, crossSwitchReq)
	typed, stderr, code := run(t, []string{"convert", "--typed"}, in, nil, false)
	want := `"value":[{"$amf3":{"$id":1,"a":1}},{"$amf3":{"$ref":1}}]`
	if code != 0 || !strings.Contains(typed, want) {
		t.Fatalf("typed: code %d, stdout %q, stderr %q; want %s", code, typed, stderr, want)
	}
	out := filepath.Join(t.TempDir(), "back.amf")
	if _, stderr, code = run(t, []string{"convert", "-o", out}, typed, nil, false); code != 0 {
		t.Fatalf("back: code %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != in {
		t.Errorf("round trip changed the bytes:\n got %x\nwant %x", got, in)
	}
}

func TestCallAMF3WritesTypedReference(t *testing.T) {
	req := filepath.Join(t.TempDir(), "req.amf")
	stdout, stderr, code := run(t, []string{"call", "--offline", "--amf3", "--save-request", req,
		"http://127.0.0.1:1/gw", "svc.m", "-d", `[{"$id":1,"a":1},{"$ref":1}]`}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `{"$amf3":{"$ref":1}}`) {
		t.Fatalf("call --offline: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	got, _ := os.ReadFile(req)
	// The second argument is the AMF3 reference 0A 00, not the object again.
	if want := unhex(t, "0a00000002 110a0b01 0361 0401 01 110a00"); !strings.HasSuffix(string(got), want) {
		t.Errorf("request bytes %x, want them to end in %x", got, want)
	}
}

// Flash-written AMF0 .sol files number references from the data object
// (digest §6.1); they convert to JSON and back byte for byte.
func TestConvertSOLReferences(t *testing.T) {
	for _, tc := range []struct{ file, plain, warn string }{
		{"selfref.sol", `{"sol":"selfref","version":0,"data":{"foo":{"n":1,"self":{"$ref":"/data/foo"}}}}`,
			`the value at "/data/foo" contains itself`},
		{"shared.sol", `{"sol":"shared","version":0,"data":{"cyclic_object":{"name":"cyc","prop":{"$ref":"/data/cyclic_object"}},` +
			`"d":"2005-03-18T01:58:31.000Z","x":"<a b=\"1\"/>","arr_strict":[1,2],"arr_strict_ref":[1,2],` +
			`"arr_mixed":{"0":"a","k":true},"arr_mixed_ref":{"0":"a","k":true},"t_reg":{"v":7},"t_reg_ref":{"v":7},"top":{"so":{"$ref":"/data"}}}}`,
			`the value at "/data" contains itself`},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "sol", tc.file)
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			plain, stderr, code := run(t, []string{"convert", path}, "", nil, false)
			if code != 0 || plain != tc.plain+"\n" || !strings.Contains(stderr, tc.warn) {
				t.Fatalf("plain: code %d\nstdout %s\nstderr %s", code, plain, stderr)
			}
			typed, stderr, code := run(t, []string{"convert", "--typed", path}, "", nil, false)
			if code != 0 {
				t.Fatalf("typed: code %d, stderr %q", code, stderr)
			}
			for i, in := range []string{typed, plain} {
				out := filepath.Join(t.TempDir(), "back.sol")
				if _, stderr, code := run(t, []string{"convert", "-o", out}, in, nil, false); code != 0 {
					t.Fatalf("JSON -> .sol: code %d, stderr %q", code, stderr)
				}
				got, _ := os.ReadFile(out)
				if i == 0 && string(got) != string(orig) {
					t.Errorf("typed JSON -> .sol changed the bytes:\n got %x\nwant %x\nfrom %s", got, orig, in)
				}
				// Plain JSON loses the sharing and the date, but keeps
				// the cycles where they were.
				if again, _, _ := run(t, []string{"convert", out}, "", nil, false); again != plain {
					t.Errorf("plain JSON -> .sol -> JSON = %s, want %s", again, plain)
				}
			}
		})
	}
}

// Requests numbered by different players (digest §1.4) read as each meant
// them, -v says which numbering was used, and typed JSON converts back to
// the same bytes.
func TestConvertRequestNumbering(t *testing.T) {
	for _, tc := range []struct{ file, plain, numbering string }{
		{"avm1-xml-ref.amf", `"value":[{"n_xml":"<p><item id=\"1\">forty-two bytes</item></p>","n_xml_ref":"<p><item id=\"1\">forty-two bytes</item></p>"}]`, ""},
		{"red5-echo-shared.amf", `"value":[[{"a":1},{"a":1}]]`, "PyAMF (the argument array takes no slot)"},
		{"red5-echo-date.amf", `"value":[["2005-03-18T01:58:31.000Z","2005-03-18T01:58:31.000Z"]]`,
			"Flash Player 9 as Red5 reads it (the argument array takes no slot, dates take one)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "numbering", tc.file)
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := run(t, []string{"convert", "-v", path}, "", nil, false)
			if code != 0 || !strings.Contains(stdout, tc.plain) || strings.Contains(stderr, "cycle") {
				t.Errorf("plain: code %d\nstdout %s\nstderr %s", code, stdout, stderr)
			}
			said := strings.Contains(stderr, "AMF0 references numbered as")
			if tc.numbering == "" && said || tc.numbering != "" && !strings.Contains(stderr, "numbered as "+tc.numbering) {
				t.Errorf("-v: stderr %s\nwant numbering %q", stderr, tc.numbering)
			}
			typed, _, _ := run(t, []string{"convert", "--typed", path}, "", nil, false)
			back, stderr, code := run(t, []string{"convert", "-o", "-"}, typed, nil, false)
			if code != 0 || back != string(orig) {
				t.Errorf("typed round trip: code %d, stderr %q\n got %x\nwant %x\nfrom %s", code, stderr, back, orig, typed)
			}
		})
	}
}

// Packets whose writer referred, in a later 0x11 switch, to a string or
// traits of an earlier one (as BlazeDS and Flash do, digest §3.7), and a
// version-3 packet whose values were left in AMF0: typed JSON says so, and
// converting it back gives the same bytes.
func TestConvertTypedPacketExact(t *testing.T) {
	for _, tc := range []struct{ name, hex, want string }{
		{"string reference across switches",
			`0003 0000 0001 0003 612e62 0002 2f31 0000000d 0a00000002 11 0605 6162 11 0600`,
			`"crossEscapeRefs":true,"value":[{"$amf3":"ab"},{"$amf3":"ab"}]`},
		{"traits reference across switches",
			`0003 0000 0001 0001 74 0001 72 00000013 0a00000002 11 0a13 0343 0378 0401 11 0a01 0402`,
			`"crossEscapeRefs":true,"value":[{"$amf3":{"$class":"C","x":1}},{"$amf3":{"$class":"C","x":2}}]`},
		{"strings written inline again",
			`0003 0000 0001 0003 612e62 0002 2f31 0000000f 0a00000002 11 0605 6162 11 0605 6162`,
			`"response":"/1","value":[{"$amf3":"ab"},{"$amf3":"ab"}]`},
		{"version 3, arguments left in AMF0",
			`0003 0001 0001 48 00 00000002 0101 0001 0003 612e62 0002 2f31 0000000e 0a00000001 00 3ff0000000000000`,
			`"headers":[{"name":"H","mustUnderstand":false,"amf0":true,"value":true}],"messages":[{"target":"a.b","response":"/1","amf0":true,"value":[1.0]}]`},
		{"version 3, an ECMA array in AMF0",
			`0003 0000 0001 000b 2f312f6f6e526573756c74 0004 6e756c6c 0000000c 08 00000001 0001 6b 0500 0009`,
			`"amf0":true,"value":{"$ecma":{"k":null}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := unhex(t, tc.hex)
			typed, stderr, code := run(t, []string{"convert", "--typed"}, in, nil, false)
			if code != 0 || !strings.Contains(typed, tc.want) {
				t.Fatalf("typed: code %d, stdout %q, stderr %q; want %s", code, typed, stderr, tc.want)
			}
			if strings.Contains(tc.want, `"crossEscapeRefs"`) != strings.Contains(typed, `"crossEscapeRefs"`) ||
				strings.Contains(tc.want, `"amf0"`) != strings.Contains(typed, `"amf0"`) {
				t.Fatalf("typed: %s, want only the marks of %s", typed, tc.want)
			}
			_, stderr, _ = run(t, []string{"convert", "-v", "--typed"}, in, nil, false)
			if says := strings.Contains(stderr, "referred to across 0x11 switches"); says != strings.Contains(tc.want, `"crossEscapeRefs"`) {
				t.Errorf("-v: %q", stderr)
			}
			out := filepath.Join(t.TempDir(), "back.amf")
			if _, stderr, code = run(t, []string{"convert", "-o", out}, typed, nil, false); code != 0 {
				t.Fatalf("back: code %d, stderr %q", code, stderr)
			}
			if got, _ := os.ReadFile(out); string(got) != in {
				t.Errorf("round trip changed the bytes:\n got %x\nwant %x", got, in)
			}
		})
	}
}

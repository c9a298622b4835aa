package commands

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDump(t *testing.T) {
	const obj = "0a0b010361040201" // {"a": 2} in AMF3, as hex text
	const objDump = "" +
		"00000000  0a 0b                    object: U29 0b = inline object, inline traits, dynamic, 0 sealed members → traits[0] → objects[0]\n" +
		"00000002  01                         class name \"\" (U29 01: the empty string, never in the table)\n" +
		"00000003  03 61                      name \"a\" (U29 03: inline, 1 byte → strings[0])\n" +
		"00000005  04 02                      integer 2 (U29 02)\n" +
		"00000007  01                       end of dynamic members (empty name, U29 01)\n"
	for _, tc := range []cliCase{
		{name: "hex text of an AMF3 object", args: []string{"dump"}, stdin: obj, stdout: objDump},
		{name: "base64 text", args: []string{"dump"}, stdin: "CgsBA2EEAgE=\n", stdout: objDump},
		{name: "plain on a terminal with NO_COLOR", args: []string{"dump"}, stdin: obj, term: true, stdout: objDump},
		{name: "AMF0 by file name or --from", args: []string{"dump", "--from", "hex:amf0"}, stdin: "0101",
			stdout: "00000000  01 01                    boolean true\n"},
		{name: "truncated: everything up to the fault, then exit 4", args: []string{"dump", "--from", "hex:amf3"}, stdin: "0a0b01096104", code: 4,
			stdout: "" +
				"00000000  0a 0b                    object: U29 0b = inline object, inline traits, dynamic, 0 sealed members → traits[0] → objects[0]\n" +
				"00000002  01                         class name \"\" (U29 01: the empty string, never in the table)\n" +
				"00000003  09                         name (U29 09: inline, 4 bytes, but only 2 left)\n" +
				"00000004                           error: amf3: length 4 exceeds the 2 bytes left: unexpected EOF at offset 3; item at 3 (0x3), reading stopped at 4 (0x4)\n" +
				"00000004  61 04                    2 bytes not read\n",
			stderr: "amfcall: error: stdin (hex-decoded): amf3: length 4 exceeds the 2 bytes left: unexpected EOF at offset 3\n"},
		{name: "JSON, a line per range on a terminal", args: []string{"dump", "--format", "json", "--from", "hex:amf0"}, stdin: "0101", term: true,
			env: plainEnv,
			stdout: "{\n  \"input\": \"amf0\",\n  \"size\": 2,\n  \"ranges\": [\n" +
				`    {"offset":0,"length":2,"depth":0,"class":"scalar","hex":"0101","text":"boolean true","path":""}` + "\n  ]\n}\n"},
		{name: "JSON, one line in a pipe", args: []string{"dump", "--format", "json", "--from", "hex:amf0"}, stdin: "0101",
			stdout: `{"input":"amf0","size":2,"ranges":[{"offset":0,"length":2,"depth":0,"class":"scalar","hex":"0101","text":"boolean true","path":""}]}` + "\n"},
		{name: "JSON input is refused", args: []string{"dump"}, stdin: `{"a": 1}`, code: 4,
			stderr: "amfcall: error: stdin: this is JSON text, not AMF\n" +
				"amfcall: hint: convert it to AMF first: amfcall convert FILE | amfcall dump\n"},
		{name: "--from json is refused", args: []string{"dump", "--from", "json"}, stdin: `{"a": 1}`, code: 2,
			stderr: "amfcall: error: dump reads AMF, not JSON\n" +
				"amfcall: hint: convert JSON to AMF first: amfcall convert FILE | amfcall dump\n"},
		{name: "a HAR is refused with the way to its requests", args: []string{"dump", "../testdata/har/pyamf.har"}, code: 4,
			stderr: "amfcall: error: ../testdata/har/pyamf.har: this is a HAR file (JSON text), not AMF\n" +
				"amfcall: hint: dump its N-th AMF request: amfcall call --offline --from-har ../testdata/har/pyamf.har#N --save-request req.amf, then amfcall dump req.amf\n" +
				"amfcall: hint: amfcall convert ../testdata/har/pyamf.har shows each exchange decoded\n"},
		{name: "empty input", args: []string{"dump"}, stdin: "", code: 4,
			stderr: "amfcall: error: stdin: the input is empty\n"},
		{name: "bad --format", args: []string{"dump", "--format", "xml"}, code: 2,
			stderr: "amfcall: error: invalid --format value \"xml\"\namfcall: hint: use --format text or --format json\n"},
		{name: "too many arguments", args: []string{"dump", "a", "b"}, code: 2,
			stderr: "amfcall: error: amfcall dump: too many arguments (want at most 1, got 2: \"a\", \"b\")\namfcall: hint: usage: amfcall dump [FILE]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestDumpColour(t *testing.T) {
	stdout, _, code := run(t, []string{"dump"}, "0a0b010361040201", map[string]string{"TERM": "xterm"}, true)
	if code != 0 || !strings.Contains(stdout, "\x1b[32m") || !strings.Contains(stdout, "\x1b[34m") {
		t.Errorf("no colour on a terminal (code %d):\n%q", code, stdout)
	}
	stdout, _, _ = run(t, []string{"dump", "--color=always"}, "0a0b01096104", plainEnv, false)
	if !strings.Contains(stdout, "\x1b[31;1merror: amf3") {
		t.Errorf("--color=always: the fault is not red:\n%q", stdout)
	}
}

// TestDumpCaptures dumps every capture as a user would, as text and as
// JSON: the JSON ranges cover the file exactly, and the exit status is 0
// exactly when convert reads the file.
func TestDumpCaptures(t *testing.T) {
	ents, err := os.ReadDir(captures)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".amf") {
			continue
		}
		path := captures + e.Name()
		data, _ := os.ReadFile(path)
		_, _, convCode := run(t, []string{"convert", path}, "", nil, false)
		text, _, code := run(t, []string{"dump", path}, "", nil, false)
		if code != convCode || (code != 0) != strings.Contains(text, "error: ") {
			t.Errorf("%s: dump exits %d, convert %d", e.Name(), code, convCode)
		}
		out, _, _ := run(t, []string{"dump", "--format", "json", path}, "", nil, false)
		var doc struct {
			Input  string
			Size   int
			Ranges []struct {
				Offset, Length int
				Hex            string
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var hex strings.Builder
		pos := 0
		for _, r := range doc.Ranges {
			if r.Offset != pos {
				t.Fatalf("%s: range at %d, want %d", e.Name(), r.Offset, pos)
			}
			pos += r.Length
			hex.WriteString(r.Hex)
		}
		if doc.Size != len(data) || pos != len(data) || hex.String() != strings.ToLower(hexOf(data)) {
			t.Errorf("%s: the JSON ranges do not cover the file", e.Name())
		}
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestDumpPyAMFArgs(t *testing.T) {
	// echo([[{x: 1}, <reference 1>]]): reference 1 is the inner array in
	// Flash's numbering, the object in PyAMF's (see amf.TestUnregisteredArgs).
	// Flash's makes the inner list contain itself, so the decoder, and the
	// dump with it, take PyAMF's unless told; --pyamf-args asks outright.
	const req = "00000000000100046563686f" + "00022f31" + "0000001b" +
		"0a00000001" + "0a00000002" + "03000178003ff0000000000000000009" + "070001"
	flash, _, code := run(t, []string{"dump", "--from", "hex:packet"}, req, nil, false)
	pyamf, _, code2 := run(t, []string{"dump", "--from", "hex:packet", "--pyamf-args"}, req, nil, false)
	if code != 0 || code2 != 0 ||
		!strings.Contains(flash, "reference → refs[1] (the object at 0x1e)") ||
		!strings.Contains(flash, "PyAMF numbering") ||
		!strings.Contains(pyamf, "reference → refs[1] (the object at 0x1e)") ||
		!strings.Contains(pyamf, "PyAMF numbering") {
		t.Errorf("default numbering (%d):\n%s\nPyAMF numbering (%d):\n%s", code, flash, code2, pyamf)
	}
}

// A capture cut short: the dump goes up to the fault, exits 4 and says
// what it took the input for.
func TestDumpTruncatedCapture(t *testing.T) {
	data, err := os.ReadFile(captures + "default-flex_ping.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"dump"}, string(data[:60]), nil, false)
	wantErr := "amfcall: error: stdin: amf3: length 38 exceeds the 30 bytes left: unexpected EOF within \"/messages/0/value/0\" at offset 29\n" +
		"amfcall: hint: it is the start of an AMF packet whose bytes end early: the file was cut short (a download or capture that stopped?); get it whole again. If it is a bare value instead, add --from amf3 or --from amf0\n"
	if code != 4 || stderr != wantErr ||
		!strings.Contains(stdout, "0000001d  4d                               class name (U29 4d: inline, 38 bytes, but only 30 left)\n") ||
		!strings.Contains(stdout, "0000001e                           error: amf3: length 38") ||
		!strings.HasSuffix(stdout, "00000036  43 6f 6d 6d 61 6e\n") {
		t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// The hints for JSON input work as written: the plain JSON converted
// with no flags dumps, and so does the HAR's first request saved by
// call --offline --from-har.
func TestDumpJSONHintsWork(t *testing.T) {
	amfBytes, stderr, code := run(t, []string{"convert"}, `{"a": 1}`, nil, false)
	if code != 0 {
		t.Fatalf("convert: %d %s", code, stderr)
	}
	stdout, stderr, code := run(t, []string{"dump"}, amfBytes, nil, false)
	if code != 0 || !strings.Contains(stdout, `name "a"`) || !strings.Contains(stdout, "integer 1") {
		t.Errorf("dump of the converted JSON: %d %s\n%s", code, stderr, stdout)
	}
	req := filepath.Join(t.TempDir(), "req.amf")
	if _, stderr, code := run(t, []string{"call", "--offline", "--from-har", "../testdata/har/pyamf.har#1", "--save-request", req}, "", nil, false); code != 0 {
		t.Fatalf("call --offline --from-har: %d %s", code, stderr)
	}
	stdout, stderr, code = run(t, []string{"dump", req}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `target "nosuch.method"`) {
		t.Errorf("dump of the saved request: %d %s\n%s", code, stderr, stdout)
	}
}

// TestDumpPrettyCompact: cli.md gives every JSON-writing command
// --pretty and --compact; dump took neither ("unknown flag"). Its JSON
// keeps its layouts (a range per line on a terminal, one line in a pipe
// or a file), either flag forces one, and either asks for JSON.
func TestDumpPrettyCompact(t *testing.T) {
	lines := "{\n  \"input\": \"amf0\",\n  \"size\": 2,\n  \"ranges\": [\n" +
		`    {"offset":0,"length":2,"depth":0,"class":"scalar","hex":"0101","text":"boolean true","path":""}` + "\n  ]\n}\n"
	oneLine := `{"input":"amf0","size":2,"ranges":[{"offset":0,"length":2,"depth":0,"class":"scalar","hex":"0101","text":"boolean true","path":""}]}` + "\n"
	dump := []string{"dump", "--from", "hex:amf0"}
	for _, tc := range []cliCase{
		{name: "--pretty in a pipe", args: append(dump, "--format", "json", "--pretty"), stdin: "0101", stdout: lines},
		{name: "--pretty alone asks for JSON", args: append(dump, "--pretty"), stdin: "0101", stdout: lines},
		{name: "--compact on a terminal", args: append(dump, "--format", "json", "--compact"), stdin: "0101", term: true, stdout: oneLine},
		{name: "--compact alone asks for JSON", args: append(dump, "--compact"), stdin: "0101", term: true, stdout: oneLine},
		{name: "both", args: append(dump, "--pretty", "--compact"), stdin: "0101", code: 2,
			stderr: "amfcall: error: --pretty can't be used with --compact\n"},
		{name: "with --format text", args: append(dump, "--format", "text", "--compact"), stdin: "0101", code: 2,
			stderr: "amfcall: error: --pretty and --compact lay out JSON, not --format text\n" +
				"amfcall: hint: drop --format text, or give --format json\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	// Into a file: one line unless --pretty.
	dir := t.TempDir()
	for _, tc := range []struct {
		flag, want string
	}{{"", oneLine}, {"--pretty", lines}} {
		path := filepath.Join(dir, "dump"+tc.flag+".json")
		args := append(append([]string{}, dump...), "--format", "json", "-o", path)
		if tc.flag != "" {
			args = append(args, tc.flag)
		}
		_, stderr, code := run(t, args, "0101", nil, true)
		got, _ := os.ReadFile(path)
		if code != 0 || string(got) != tc.want {
			t.Errorf("amfcall %s: exit %d %s\n%s\nwant:\n%s", strings.Join(args, " "), code, stderr, got, tc.want)
		}
	}
	// An FLV file, dumped as a stream, takes them too.
	flv := filepath.Join(dir, "empty.flv")
	if err := os.WriteFile(flv, []byte("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, []string{"dump", "--pretty", flv}, "", nil, false)
	if code != 0 || !strings.HasPrefix(out, "{\n  \"input\": \"flv\",\n") {
		t.Errorf("dump --pretty of an FLV file: exit %d %s\n%s", code, stderr, out)
	}
	out, stderr, code = run(t, []string{"dump", "--compact", flv}, "", nil, true)
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, `{"input":"flv",`) {
		t.Errorf("dump --compact of an FLV file on a terminal: exit %d %s\n%s", code, stderr, out)
	}
}

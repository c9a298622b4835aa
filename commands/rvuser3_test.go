package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A gateway whose certificate is trusted (--cacert) but names other
// hosts: the hint said to pass its CA with --cacert, which had been
// given; it now names the certificate's hosts, which the URL must use.
// httptest's certificate is for example.com, 127.0.0.1 and ::1, so
// https://localhost:PORT/ mismatches.
func TestTLSHostnameHint(t *testing.T) {
	t.Parallel()
	url, ca := tlsGateway(t)
	local := strings.Replace(url, "127.0.0.1", "localhost", 1)
	stdout, stderr, code := run(t, []string{"call", "--cacert", ca, local, "echo.echo", "1"}, "", nil, false)
	want := "amfcall: hint: the certificate is for example.com, *.example.com, 127.0.0.1, ::1, not localhost: put one of those names in the URL instead of localhost (--cacert does not change the names), or skip the check with --insecure\n"
	if code != 3 || stdout != "" || !strings.HasSuffix(stderr, want) || strings.Contains(stderr, "pass its CA") {
		t.Errorf("code %d\nstdout: %s\nstderr:\n%s\nwant the hint:\n%s", code, stdout, stderr, want)
	}
	// The same certificate by a name it holds is answered.
	stdout, stderr, code = run(t, []string{"call", "--cacert", ca, url, "echo.echo", "1"}, "", nil, false)
	if code != 0 || stdout != "1\n" || stderr != "" {
		t.Errorf("by its IP: code %d\nstdout: %s\nstderr:\n%s", code, stdout, stderr)
	}
}

// A command's flag written before the command, as curl users write
// flags anywhere (amfcall -v call URL ...), was "unknown flag -v for
// amfcall" with the hint to read the global flags, which do not have
// it; the hint now says which command takes it and where it goes.
func TestCommandFlagBeforeCommand(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "-v before call", args: []string{"-v", "call", "http://127.0.0.1:1/", "a.b"}, code: 2, stderr: `amfcall: error: unknown flag -v for amfcall
amfcall: hint: -v is a flag of amfcall call, not of amfcall: write it after the command name (amfcall call -v ...)
`},
		{name: "-vv, a group", args: []string{"-vv", "convert", "x.amf"}, code: 2, stderr: `amfcall: error: unknown flag -vv for amfcall
amfcall: hint: -vv is a flag of amfcall convert, not of amfcall: write it after the command name (amfcall convert -vv ...)
`},
		{name: "a subcommand's", args: []string{"--pretty", "socket", "call", "127.0.0.1:1", "x"}, code: 2, stderr: `amfcall: error: unknown flag --pretty for amfcall
amfcall: hint: --pretty is a flag of amfcall socket call, not of amfcall: write it after the command name (amfcall socket call --pretty ...)
`},
		{name: "no command named", args: []string{"--typed"}, code: 2, stderr: `amfcall: error: unknown flag --typed for amfcall
amfcall: hint: --typed is a flag of commands (call, convert, upload, ...), not of amfcall: write it after the command name (amfcall call --typed ...)
`},
		{name: "not that command's", args: []string{"--typed", "demo"}, code: 2, stderr: `amfcall: error: unknown flag --typed for amfcall
amfcall: hint: run "amfcall --help" for the flags
`},
		{name: "no command has it", args: []string{"-z", "call"}, code: 2, stderr: `amfcall: error: unknown flag -z for amfcall
amfcall: hint: run "amfcall --help" for the flags
`},
		{name: "a misspelt global flag still gets its suggestion", args: []string{"--colr=never", "call"}, code: 2, stderr: `amfcall: error: unknown flag --colr for amfcall
amfcall: hint: did you mean --color?
amfcall: hint: run "amfcall --help" for the flags
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checkCase(t, tc)
		})
	}
}

// "amfcall version", as go and kubectl have it, was an unknown command
// with only "run amfcall help"; the hint now gives --version.
func TestVersionCommandHint(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"version"}, code: 2, stderr: `amfcall: error: unknown command "version"
amfcall: hint: the version is printed by amfcall --version
`})
	stdout, stderr, code := run(t, []string{"--version"}, "", nil, false)
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "amfcall version ") {
		t.Errorf("--version: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// The man page's ENVIRONMENT said AMFCALL_URL served call, upload and
// snapshots; every command that takes a gateway URL uses it. Each is run
// here with AMFCALL_URL naming a port nothing listens on and no URL on
// the line: it must try that gateway (exit 3, naming it), and the man
// page must name it in AMFCALL_URL's paragraph.
func TestManPageAMFCALLURL(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../doc/amfcall.1")
	if err != nil {
		t.Fatal(err)
	}
	man := string(b)
	start := strings.Index(man, ".B AMFCALL_URL\n")
	end := strings.Index(man[start+1:], ".TP")
	if start < 0 || end < 0 {
		t.Fatal("doc/amfcall.1 has no AMFCALL_URL paragraph")
	}
	para := man[start : start+1+end]
	env := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_URL": "http://127.0.0.1:1/"}
	file := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff})
	for _, args := range [][]string{
		{"call", "echo.echo"},
		{"upload", "ByteArray.saveSnapshot", file},
		{"snapshots"},
		{"bench", "-n", "1", "echo.echo"},
		{"list"},
		{"describe", "echo"},
		{"probe"},
		{"logout"},
		{"publish", "chat", `"x"`},
		{"subscribe", "--count", "1", "chat"},
	} {
		stdout, stderr, code := run(t, args, "", env, false)
		if code != 3 || !strings.Contains(stdout+stderr, "127.0.0.1:1") { // bench names it in its summary
			t.Errorf("AMFCALL_URL=http://127.0.0.1:1/ amfcall %s: code %d (want 3, the gateway tried)\n%s", strings.Join(args, " "), code, stderr)
		}
		if !strings.Contains(para, `\fB`+args[0]+`\fP`) {
			t.Errorf("doc/amfcall.1's AMFCALL_URL paragraph does not name %s:\n%s", args[0], para)
		}
	}
	if !strings.Contains(man, "130\ninterrupted by Ctrl-C") {
		t.Error("doc/amfcall.1's EXIT STATUS does not give 130 for Ctrl-C")
	}
}

// convert of JSON that becomes a .sol file, a packet or socket frames,
// on a terminal, was refused with the hint '"--to hex:amf3" (or hex:amf0,
// hex:packet)': hex:amf3 of a .sol file's JSON writes its object as a
// bare value, not the file. The hint now names the form being written.
func TestRefuseBinaryNamesTheForm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, stdin, to, form string }{
		{"a .sol file's JSON", `{"sol": "s", "data": {"a": 1}}`, "", "sol"},
		{"a packet's JSON", `{"messages": []}`, "", "packet"},
		{"socket frames", `{"a": 1}`, "socket", "socket"},
		{"bare values", `{"a": 1}`, "", "amf3"},
	} {
		args := []string{"convert"}
		if tc.to != "" {
			args = append(args, "--to", tc.to)
		}
		stdout, stderr, code := run(t, args, tc.stdin, nil, true)
		want := "amfcall: error: refusing to write AMF bytes (" + tc.form + ") to a terminal\n" +
			"amfcall: hint: write them to a file with -o FILE, see them as hex with \"--to hex:" + tc.form + "\", or force it with \"-o -\"\n"
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("%s: code %d, stdout %q\nstderr:\n%s\nwant:\n%s", tc.name, code, stdout, stderr, want)
		}
		// The hinted form converts the same input.
		stdout, stderr, code = run(t, []string{"convert", "--to", "hex:" + tc.form}, tc.stdin, nil, true)
		if code != 0 || stdout == "" || stderr != "" {
			t.Errorf("%s: --to hex:%s: code %d, stdout %q, stderr %q", tc.name, tc.form, code, stdout, stderr)
		}
	}
}

// cat reply.json | amfcall convert --typed | jq: JSON input is converted
// to AMF, and --typed (which asks for JSON) was dropped without a word,
// so jq got AMF bytes. A warning now says so and gives --to json; -o FILE
// and --to say what they want, and stay quiet.
func TestConvertTypedJSONInputWarns(t *testing.T) {
	t.Parallel()
	const warn = "amfcall: warning: --typed applies to JSON output: JSON input is converted to AMF (amf3); add --to json for typed JSON\n"
	stdout, stderr, code := run(t, []string{"convert", "--typed"}, `{"a": 1}`, nil, false)
	if code != 0 || stdout != "\x0a\x0b\x01\x03a\x04\x01\x01" || stderr != warn {
		t.Errorf("--typed of JSON: code %d, stdout %q\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"convert", "--typed", "--to", "json"}, `{"a": 1}`, nil, false)
	if code != 0 || stdout != "{\"a\":1}\n" || stderr != "" {
		t.Errorf("--typed --to json: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	out := t.TempDir() + "/x.amf"
	if _, stderr, code := run(t, []string{"convert", "--typed", "-o", out}, `{"a": 1}`, nil, false); code != 0 || stderr != "" {
		t.Errorf("--typed -o FILE: code %d, stderr %q", code, stderr)
	}
	if _, stderr, code := run(t, []string{"convert", "--typed", "--to", "amf0"}, `{"a": 1}`, nil, false); code != 0 || stderr != "" {
		t.Errorf("--typed --to amf0: code %d, stderr %q", code, stderr)
	}
}

// echo 1e400 | amfcall convert: a JSON number out of a double's range
// got the hint "if this is hex, it has an odd number of digits (5)",
// since 1, e, 4, 0, 0 are hex digits; a lone JSON number's error is the
// number's. Odd hex that is no JSON keeps the hint.
func TestOddHexHintNotForJSONNumbers(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "1e400\n", code: 4,
		stderr: "amfcall: error: stdin: json: number 1e400 is out of range for a double at line 1, column 1 (offset 0)\n"})
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "0a0b0\n", code: 4,
		stderr: "amfcall: error: stdin: json: invalid character 'a' after top-level value at line 1, column 2 (offset 1)\n" +
			"amfcall: hint: if this is hex, it has an odd number of digits (5): one is missing or one too many\n"})
}

// A saved reply or capture cut short (a download that stopped): convert
// and dump said "it looks like an AMF packet; if it is a bare value, add
// --from amf3 or --from amf0", as if the guess were the problem. They now
// say the packet's bytes end early; a packet that is wrong, not short,
// keeps the old hint.
func TestCutPacketHint(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(captures + "default-echo_amf3_rich.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	const cut = "amfcall: hint: it is the start of an AMF packet whose bytes end early: the file was cut short (a download or capture that stopped?); get it whole again. If it is a bare value instead, add --from amf3 or --from amf0\n"
	file := writeFile(t, "reply.amf", data[:40])
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, file}, "", nil, false)
		if code != 4 || !strings.HasSuffix(stderr, cut) || strings.Count(stderr, "hint:") != 1 {
			t.Errorf("%s of a cut reply: code %d\n%s", cmd, code, stderr)
		}
	}
	// A wrong marker inside a packet is not a cut.
	bad := writeFile(t, "bad.amf", []byte("\x00\x03\x00\x00\x00\x01\x00\x01a\x00\x00\x00\x00\x00\x02\x99\x99"))
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, bad}, "", nil, false)
		if code != 4 || !strings.HasSuffix(stderr, "amfcall: hint: it looks like an AMF packet; if it is a bare value, add --from amf3 or --from amf0\n") {
			t.Errorf("%s of a wrong marker: code %d\n%s", cmd, code, stderr)
		}
	}
}

// A reply that does not decode: the hint said to keep its bytes "to look
// at them" (with what?), and once kept only where they were. It now
// names amfcall dump, which explains them up to the fault; the test
// follows the hint as given.
func TestSavedReplyHintNamesDump(t *testing.T) {
	t.Parallel()
	srv := undecodableReplyServer(t)
	_, stderr, code := run(t, []string{"call", srv.URL, "x"}, "", nil, false)
	if code != 3 || !strings.HasSuffix(stderr, "amfcall: hint: keep the reply's bytes with --save-response FILE; amfcall dump FILE then shows each byte up to the fault\n") {
		t.Errorf("call: exit %d\n%s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "reply 1.amf")
	_, stderr, code = run(t, []string{"call", "--save-response", file, srv.URL, "x"}, "", nil, false)
	want := "amfcall: hint: the reply's 34 bytes are in " + file + ": amfcall dump --from packet " + shellWord(file) + " shows each byte up to the fault\n"
	if code != 3 || !strings.HasSuffix(stderr, want) {
		t.Fatalf("call --save-response: exit %d\n%s\nwant:\n%s", code, stderr, want)
	}
	stdout, stderr, code := run(t, []string{"dump", "--from", "packet", file}, "", nil, false)
	if code != 4 || !strings.Contains(stdout, `target "/1/onResult"`) || !strings.Contains(stdout, "error: amf0:") || !strings.Contains(stderr, "offset 30") {
		t.Errorf("dump of the saved reply: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// bench --format json wrote one long line on a terminal and refused
// --pretty and --compact, where cli.md has JSON indented on a terminal
// and compact in a pipe for every command, and both flags forcing
// either. It now follows the rule; --pretty alone asks for JSON.
func TestBenchJSONLayout(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	for _, tc := range []struct {
		args     []string
		term     bool
		indented bool
	}{
		{[]string{"--format", "json"}, false, false},
		{[]string{"--format", "json"}, true, true},
		{[]string{"--format", "json", "--compact"}, true, false},
		{[]string{"--pretty"}, false, true},
		{[]string{"--compact"}, true, false},
	} {
		args := append(append([]string{"bench", "-n", "2", "-c", "1"}, tc.args...), url, "echo.echo", "1")
		stdout, stderr, code := run(t, args, "", nil, tc.term)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "{") || !strings.Contains(stdout, `"requests":`) && !strings.Contains(stdout, `"requests": `) {
			t.Errorf("%v (terminal %v): code %d\nstdout:\n%s\nstderr:\n%s", tc.args, tc.term, code, stdout, stderr)
			continue
		}
		if got := strings.HasPrefix(stdout, "{\n  \"url\": "); got != tc.indented || strings.Count(stdout, "\n") > 1 != tc.indented {
			t.Errorf("%v (terminal %v): indented %v, want %v:\n%s", tc.args, tc.term, got, tc.indented, stdout)
		}
	}
	checkCase(t, cliCase{args: []string{"bench", "--format", "text", "--pretty", url, "echo.echo"}, code: 2,
		stderr: "amfcall: error: --pretty and --compact lay out JSON, not --format text\n"})
}

// PyAMF's users write Python: call URL svc.m True, None, 'hi' or
// {'a': 1}. The hint said to quote True as a string ('"True"'), quoted
// 'hi' with its quotes kept ('"'\”hi'\”"'), and had nothing for None
// inside an array or single quotes inside an object. It now gives JSON's
// spelling of the literal, and double quotes for single-quoted strings.
func TestForeignLiteralHints(t *testing.T) {
	t.Parallel()
	const url = "http://127.0.0.1:1/" // never reached: the arguments fail first
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"True"}, `True is not JSON: write true (or '"True"' for the string)`},
		{[]string{"1", "None"}, `None is not JSON: write null (or '"None"' for the string)`},
		{[]string{"[1, None]"}, `None is not JSON: write null`},
		{[]string{`{"ok": False}`}, `False is not JSON: write false`},
		{[]string{"NaN"}, `NaN is not JSON: write {"$double": "NaN"} (or '"NaN"' for the string)`},
		{[]string{"'hi'"}, `JSON strings take double quotes, not single: '"hi"'`},
		{[]string{"{'a': 1}"}, `JSON strings and member names take double quotes, not single: {"name": "value"}`},
		{[]string{"-d", "[None]"}, `None is not JSON: write null`},
		{[]string{"hello"}, `arguments are JSON: write a string with its quotes, e.g. '"hello"'`},
	} {
		args := []string{"call", url, "echo.echo"}
		if tc.args[0] == "-d" {
			args = []string{"call", "-d", tc.args[1], url, "echo.echo"}
		} else {
			args = append(args, tc.args...)
		}
		_, stderr, code := run(t, args, "", nil, false)
		if code != 4 || !strings.HasSuffix(stderr, "amfcall: hint: "+tc.hint+"\n") || strings.Count(stderr, "hint:") != 1 {
			t.Errorf("%v: code %d\n%s\nwant the hint: %s", tc.args, code, stderr, tc.hint)
		}
	}
}

// The same in a --batch file: each line's JSON error gets the hint.
func TestForeignLiteralHintsInBatch(t *testing.T) {
	t.Parallel()
	batch := "{\"target\": \"echo.echo\", \"args\": [1]}\n{\"target\": \"echo.echo\", \"args\": [None]}\n"
	checkCase(t, cliCase{args: []string{"call", "--batch", "-", "http://127.0.0.1:1/"}, stdin: batch, code: 4,
		stderr: "amfcall: error: --batch stdin line 2, column 34: json: invalid character 'N' looking for beginning of value\n" +
			"amfcall: hint: None is not JSON: write null\n"})
}

// And in convert's JSON input (a Python repr of PyAMF's data pasted in).
func TestForeignLiteralHintsInConvert(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "{\"a\": 1}\n{\"b\": None}\n", code: 4,
		stderr: "amfcall: error: stdin: json: invalid character 'N' looking for beginning of value at line 2, column 7 (offset 15)\n" +
			"amfcall: hint: None is not JSON: write null\n"})
	checkCase(t, cliCase{args: []string{"convert"}, stdin: "{'a': 1}", code: 4,
		stderr: "amfcall: error: stdin: json: invalid character '\\'' looking for beginning of object key string at line 1, column 2 (offset 1)\n" +
			"amfcall: hint: JSON strings and member names take double quotes, not single: {\"name\": \"value\"}\n"})
}

// upload -q URL ...: -q is quiet in wget, apt and grep; here it is
// --query, and it took the URL. The error now says --quiet is the flag
// that turns the progress bar off.
func TestUploadQuietHint(t *testing.T) {
	t.Parallel()
	file := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff})
	checkCase(t, cliCase{args: []string{"upload", "-q", "http://127.0.0.1:1/", "ByteArray.saveSnapshot", file}, code: 2,
		stderr: "amfcall: error: amfcall upload: the flag -q took the URL \"http://127.0.0.1:1/\" as its value; -q does not take a URL\n" +
			"amfcall: hint: the flag's own value is missing: write -q PATH before the URL\n" +
			"amfcall: hint: -q is --query here; --quiet draws no progress bar\n"})
}

// dump --from <TAB> offered json and har, which dump refuses, and
// dump --from har called any input "a HAR file (JSON text)", since the
// flag said so. No completion offered hex:socket or base64:socket,
// which convert and dump read. Every value offered is now one the
// command takes (it may still fail on the input, never as a usage
// error), and dump --from har says it is convert's.
func TestFromToCompletionValuesAreAccepted(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cmd, flag string }{{"dump", "--from"}, {"convert", "--from"}, {"convert", "--to"}} {
		stdout, _, code := run(t, []string{tc.cmd, tc.flag, "", "--generate-bash-completion"}, "", nil, false)
		values := strings.Fields(stdout)
		if code != 0 || len(values) < 10 {
			t.Fatalf("%s %s <TAB>: code %d, %q", tc.cmd, tc.flag, code, stdout)
		}
		for _, want := range []string{"hex:socket", "base64:socket"} {
			if !slices.Contains(values, want) {
				t.Errorf("%s %s <TAB> does not offer %s: %q", tc.cmd, tc.flag, want, values)
			}
		}
		for _, v := range values {
			// The value is read before the input: a file that does not
			// exist fails after it, with "open".
			_, stderr, code := run(t, []string{tc.cmd, tc.flag, v, "-o", filepath.Join(t.TempDir(), "out"), "no/such/file"}, "", nil, false)
			if code != 2 || !strings.HasPrefix(stderr, "amfcall: error: open no/such/file:") {
				t.Errorf("%s %s %s (offered by completion) is refused:\n%s", tc.cmd, tc.flag, v, stderr)
			}
		}
	}
	checkCase(t, cliCase{args: []string{"dump", "--from", "har", "../testdata/socket/amfcall-client.frames"}, code: 2, stderr: "amfcall: error: dump reads AMF, not HAR files (--from har is convert's)\n" +
		"amfcall: hint: dump a HAR file's N-th AMF request: amfcall call --offline --from-har ../testdata/socket/amfcall-client.frames#N --save-request req.amf, then amfcall dump req.amf\n"})
}

// --charset <TAB> offered the files of the folder; it now offers charset
// names, each one --charset takes.
func TestCharsetCompletion(t *testing.T) {
	t.Parallel()
	stdout, _, code := run(t, []string{"convert", "--charset", "", "--generate-bash-completion"}, "", nil, false)
	values := strings.Fields(stdout)
	if code != 0 || !slices.Contains(values, "windows-1252") || !slices.Contains(values, "shift_jis") {
		t.Fatalf("convert --charset <TAB>: code %d, %q", code, values)
	}
	latin1 := "\x06\x09caf\xe9" // AMF3 "café" in Latin-1 bytes
	for _, cs := range values {
		stdout, stderr, code := run(t, []string{"convert", "--from", "amf3", "--charset", cs}, latin1, nil, false)
		if code != 0 || !strings.HasPrefix(stdout, `"caf`) || !strings.Contains(stderr, "printed as ") {
			t.Errorf("--charset %s: code %d, stdout %q\nstderr:\n%s", cs, code, stdout, stderr)
		}
	}
	// The same in call and the other commands with --charset.
	stdout, _, _ = run(t, []string{"call", "--charset", "", "--generate-bash-completion"}, "", nil, false)
	if !slices.Contains(strings.Fields(stdout), "iso-8859-15") {
		t.Errorf("call --charset <TAB>: %q", stdout)
	}
}

// A file named where @FILE was meant: call URL svc.m photo.jpg was
// hinted to quote "photo.jpg" as a string, -d args.json (curl's -d
// @FILE) the same, and upload URL svc.m @photo.jpg said only "no such
// file". Each now names the spelling that sends the file.
func TestFileWithoutOrWithAt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.jpg")
	args := filepath.Join(dir, "args.json")
	if err := os.WriteFile(photo, []byte{0xff, 0xd8, 0xff}, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(args, []byte(`[1]`), 0o600); err != nil {
		t.Fatal(err)
	}
	const url = "http://127.0.0.1:1/" // never reached
	for _, tc := range []struct {
		args []string
		code int
		hint string
	}{
		{[]string{"call", url, "ByteArray.saveSnapshot", photo, `"jpg"`}, 4,
			photo + " is a file: send its bytes as a ByteArray with " + atWord(photo) + " (or, for the text, " + shellQuote(strconv.Quote(photo)) + ")"},
		{[]string{"bench", url, "ByteArray.saveSnapshot", photo}, 4,
			photo + " is a file: send its bytes as a ByteArray with " + atWord(photo) + " (or, for the text, " + shellQuote(strconv.Quote(photo)) + ")"},
		{[]string{"call", "-d", args, url, "echo.echo"}, 4,
			args + " is a file: read the argument list from it with -d " + atWord(args)},
		{[]string{"upload", url, "ByteArray.saveSnapshot", "@" + photo}, 2,
			"upload takes FILE without @ (call's @FILE is a ByteArray argument): write " + shellWord(photo)},
		{[]string{"call", url, "echo.echo", "nofile.jpg"}, 4, `arguments are JSON: write a string with its quotes, e.g. '"nofile.jpg"'`},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != tc.code || !strings.HasSuffix(stderr, "amfcall: hint: "+tc.hint+"\n") {
			t.Errorf("%v: code %d\n%s\nwant code %d and the hint: %s", tc.args, code, stderr, tc.code, tc.hint)
		}
	}
}

// curl's @FILE where a plain file name goes: convert @reply.amf, dump
// @reply.amf, --batch @calls.jsonl, --packet @req.amf said "no such
// file" and to check the name; they now say to drop the @.
func TestAtWhereAPlainFileNameGoes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	reply := filepath.Join(dir, "reply.amf")
	data, err := os.ReadFile(captures + "default-fail.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reply, data, 0o600); err != nil {
		t.Fatal(err)
	}
	const url = "http://127.0.0.1:1/"
	drop := "amfcall: hint: the file name comes without @ here (@FILE is for call's arguments and -d): write " + shellWord(reply) + "\n"
	for _, args := range [][]string{
		{"convert", "@" + reply},
		{"dump", "@" + reply},
		{"call", "--batch", "@" + reply, url},
		{"call", "--packet", "@" + reply, url},
	} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 2 || !strings.HasSuffix(stderr, drop) {
			t.Errorf("%v: code %d\n%s", args, code, stderr)
		}
	}
	_, stderr, code := run(t, []string{"call", url, "echo.echo", "@@" + reply}, "", nil, false)
	if code != 2 || !strings.HasSuffix(stderr, "amfcall: hint: one @ is enough: write "+atWord(reply)+"\n") {
		t.Errorf("@@FILE: code %d\n%s", code, stderr)
	}
	// The name exists with its @: read as it is.
	at := filepath.Join(dir, "@odd.amf")
	if err := os.WriteFile(at, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, []string{"convert", at}, "", nil, false); code != 0 {
		t.Errorf("a file whose name starts with @: code %d\n%s", code, stderr)
	}
}

// stdout on a full disk (> /dev/full), in a real process: call,
// snapshots, bench, upload and completion said "write /dev/stdout: no
// space left on device" (dump "writing stdout: write /dev/stdout: ..."),
// convert "writing stdout: ..." with a hint; every command now says it
// convert's way, exit 2.
func TestFullStdoutSaidAlike(t *testing.T) {
	t.Parallel()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full here")
	}
	defer full.Close()
	_, url := startGateway(t, gateway.Options{})
	photo := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff, 0xe0})
	cut := writeFile(t, "cut.amf", []byte("\x00\x03\x00\x00\x00\x01\x00\x04a.b"))
	for _, args := range [][]string{
		{"call", url, "echo.echo", "1"},
		{"snapshots", url},
		{"bench", "-n", "2", url, "echo.echo", "1"},
		{"upload", url, "echo.echo", photo},
		{"completion", "bash"},
		{"dump", cut},
		{"convert", captures + "default-fail.request.amf"},
		{"--help"},
	} {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=")
		cmd.Stdout = full
		var errb strings.Builder
		cmd.Stderr = &errb
		err := cmd.Run()
		ee, _ := err.(*exec.ExitError)
		want := "amfcall: error: writing stdout: no space left on device\namfcall: hint: check that there is room where the output goes\n"
		got := errb.String()
		if runtime.GOOS == "windows" {
			// Wine maps /dev/full through, and the system words a full
			// disk its own way ("Disk full."); real Windows has no
			// /dev/full. The error's place and the hint are the same.
			first, _, _ := strings.Cut(got, "\n")
			if strings.HasPrefix(first, "amfcall: error: writing stdout: ") {
				got = strings.Replace(got, first, "amfcall: error: writing stdout: no space left on device", 1)
			}
		}
		if ee == nil || ee.ExitCode() != exitUsage || got != want {
			t.Errorf("amfcall %s > /dev/full: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
	}
}

// "1 of 1 reply bodies are faults" (--packet, --from-har) and "1 of 1
// calls answered with a fault" (--batch of one call): the counts now fit
// the words.
func TestFaultCountWording(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"call", "--packet", captures + "default-fail.request.amf", url}, "", "amfcall: error: the reply body is a fault\n"},
		{[]string{"call", "--packet", captures + "default-batch.request.amf", url}, "", "amfcall: error: 1 of 3 reply bodies is a fault\n"},
		{[]string{"call", "--batch", "-", url}, `{"target": "echo.fail", "args": ["x"]}`, "amfcall: error: the call was answered with a fault\n"},
		{[]string{"call", "--batch", "-", url}, "{\"target\": \"echo.fail\", \"args\": [\"x\"]}\n{\"target\": \"echo.echo\"}", "amfcall: error: 1 of 2 calls answered with a fault\n"},
	} {
		_, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 1 || !strings.HasSuffix(stderr, tc.want) {
			t.Errorf("%v: code %d\n%s\nwant the last line %q", tc.args, code, stderr, tc.want)
		}
	}
}

// call -q PATH of a fault printed the whole fault, which the help did not
// say: a script reading $(amfcall call ... -q id -r) got the fault's
// JSON. The help of -q now says so, and the behaviour is pinned.
func TestQueryOfAFaultIsSaid(t *testing.T) {
	t.Parallel()
	stdout, _, _ := run(t, []string{"call", "--help"}, "", nil, false)
	if !strings.Contains(stdout, "a fault is printed whole (exit 1)") {
		t.Errorf("call --help does not say what -q does with a fault:\n%s", stdout)
	}
	_, url := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"call", "-q", "id", "-r", url, "echo.fail", `"boom"`}, "", nil, false)
	if code != 1 || !strings.HasPrefix(stdout, `{"code":"Echo.Failure","description":"boom"`) || stderr != "amfcall: error: Echo.Failure: boom\n" {
		t.Errorf("-q of a fault: code %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
}

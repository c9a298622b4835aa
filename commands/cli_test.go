package commands

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

var update = flag.Bool("update", false, "rewrite the completion scripts in ../completions and the man page in ../doc")

// TestMain lets the test binary stand in for amfcall, for the tests that
// run a shell against it.
func TestMain(m *testing.M) {
	if os.Getenv("AMFCALL_TEST_AS_AMFCALL") == "1" {
		code := Run(os.Args, os.Stdin, os.Stdout, os.Stderr)
		if os.Getenv("AMFCALL_TEST_PEAK_RSS") == "1" {
			// The process's own peak (VmHWM): rusage's maxrss may be
			// the parent's, inherited across exec.
			if b, err := os.ReadFile("/proc/self/status"); err == nil {
				if m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b); m != nil {
					fmt.Fprintf(os.Stderr, "peak RSS %s kB\n", m[1])
				}
			}
		}
		os.Exit(code)
	}
	// The tests' caches (list's targets, serve's images) go to a folder
	// of their own, not the user's (sectester15 found 185 files of the
	// tests in ~/.cache/amfcall/list).
	cache, err := os.MkdirTemp("", "amfcall-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	os.Setenv("LocalAppData", cache)
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

const vectors = "../testdata/pyamf/vectors/"
const captures = "../testdata/pyamf/captures/"

// cliCase is one run of the program. env is the whole environment the
// program sees (NO_COLOR and TERM are always given explicitly); term makes
// stdout look like a terminal.
type cliCase struct {
	name   string
	args   []string
	stdin  string
	env    map[string]string
	term   bool
	stdout string
	stderr string
	code   int
}

var plainEnv = map[string]string{"NO_COLOR": "1", "TERM": "xterm"}

// run runs amfcall in process with buffers for its streams.
func run(t *testing.T, args []string, stdin string, env map[string]string, term bool) (string, string, int) {
	t.Helper()
	if env == nil {
		env = plainEnv
	}
	var out, errb bytes.Buffer
	e := &runEnv{
		args:   append([]string{"amfcall"}, args...),
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errb,
		getenv: func(k string) string { return env[k] },
		isTerminal: func(s any) bool {
			return term && s == any(&out)
		},
	}
	code := e.run()
	return out.String(), errb.String(), code
}

func checkCase(t *testing.T, tc cliCase) {
	t.Helper()
	stdout, stderr, code := run(t, tc.args, tc.stdin, tc.env, tc.term)
	stderr = osText(stderr)
	if code != tc.code || stdout != tc.stdout || stderr != tc.stderr {
		t.Errorf("amfcall %s\n got code %d, stdout:\n%s\nstderr:\n%s\nwant code %d, stdout:\n%s\nstderr:\n%s",
			strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "unknown command", args: []string{"conver", "x.amf"}, code: 2, stderr: `amfcall: error: unknown command "conver"
amfcall: hint: did you mean "convert"?
amfcall: hint: run "amfcall help" for the list of commands
`},
		{name: "unknown command far from any", args: []string{"frobnicate"}, code: 2, stderr: `amfcall: error: unknown command "frobnicate"
amfcall: hint: run "amfcall help" for the list of commands
`},
		{name: "help for an unknown command", args: []string{"help", "nope"}, code: 2, stderr: `amfcall: error: unknown command "nope"
amfcall: hint: run "amfcall help" for the list of commands
`},
		{name: "unknown flag", args: []string{"convert", "--typd"}, code: 2, stderr: `amfcall: error: unknown flag --typd for amfcall convert
amfcall: hint: did you mean --typed?
amfcall: hint: run "amfcall convert --help" for the flags
`},
		{name: "unknown flag after the file", args: []string{"convert", "x.amf", "--bogus"}, code: 2, stderr: `amfcall: error: unknown flag --bogus for amfcall convert
amfcall: hint: run "amfcall convert --help" for the flags
`},
		{name: "unknown global flag", args: []string{"--colour=never", "convert"}, code: 2, stderr: `amfcall: error: unknown flag --colour for amfcall
amfcall: hint: did you mean --color?
amfcall: hint: run "amfcall --help" for the flags
`},
		{name: "flag without its value", args: []string{"convert", "-o"}, code: 2, stderr: `amfcall: error: flag -o needs a value
amfcall: hint: run "amfcall convert --help" for the flags
`},
		{name: "duration flag took the URL", args: []string{"call", "--timeout", "localhost:8000/gateway", "echo.echo"}, code: 2, stderr: `amfcall: error: --timeout: invalid duration "localhost:8000/gateway" (the flag's value is missing: it took the next argument)
amfcall: hint: give a duration such as 30s, 2m or 90
`},
		{name: "size flag took the URL", args: []string{"bench", "--max-response-size", "localhost:8000/gateway", "echo.echo"}, code: 2, stderr: `amfcall: error: --max-response-size: invalid size "localhost:8000/gateway" (the flag's value is missing: it took the next argument)
amfcall: hint: give a byte count such as 1048576, 100M or 1G
`},
		{name: "a bad duration is only that", args: []string{"call", "--timeout", "5x", "http://127.0.0.1:1/", "echo.echo"}, code: 2, stderr: `amfcall: error: --timeout: invalid duration "5x"
amfcall: hint: give a duration such as 30s, 2m or 90
`},
		{name: "too many arguments", args: []string{"convert", "a", "b", "c", "d"}, code: 2, stderr: `amfcall: error: amfcall convert: too many arguments (want at most 1, got 4: "a", "b", "c", ... (1 more))
amfcall: hint: usage: amfcall convert [FILE]
`},
		{name: "pretty and compact", args: []string{"convert", "--pretty", "--compact"}, stdin: "1", code: 2, stderr: `amfcall: error: --pretty can't be used with --compact
`},
		{name: "bad --from", args: []string{"convert", "--from", "xml"}, code: 2, stderr: `amfcall: error: invalid --from value "xml"
amfcall: hint: use auto, json, packet, amf0, amf3, sol, flv, har, socket, hex, base64, or hex:FORMAT / base64:FORMAT
`},
		{name: "bad --to", args: []string{"convert", "--to", "hex:json"}, code: 2, stderr: `amfcall: error: --to hex:json: only AMF bytes can be written as hex
amfcall: hint: use --to hex:amf3, hex:amf0 or hex:packet
`},
		{name: "bad --color", args: []string{"convert", "--color", "sometimes"}, code: 2, stderr: `amfcall: error: invalid --color value "sometimes"
amfcall: hint: use --color=auto, --color=always or --color=never
`},
		{name: "bad --max-output", args: []string{"convert", "--max-output", "lots"}, stdin: "1", code: 2, stderr: `amfcall: error: --max-output: invalid size "lots"
amfcall: hint: give a byte count such as 1048576, 500M or 2G
`},
		{name: "missing file", args: []string{"convert", "no/such.amf"}, code: 2, stderr: `amfcall: error: open no/such.amf: no such file or directory
amfcall: hint: check the file name; use - or no FILE for stdin
`},
		{name: "packet to bare value", args: []string{"convert", "--to", "amf3", captures + "default-batch.request.amf"}, code: 2, stderr: `amfcall: error: a packet can't be written as bare AMF3 values
amfcall: hint: use --to packet or --to json
`},
		{name: "completion without a shell", args: []string{"completion"}, code: 2, stderr: `amfcall: error: amfcall completion: missing SHELL
amfcall: hint: usage: amfcall completion bash|zsh|fish|powershell
`},
		{name: "completion for an unknown shell", args: []string{"completion", "tcsh"}, code: 2, stderr: `amfcall: error: unknown shell "tcsh"
amfcall: hint: use bash, zsh, fish or powershell
`},
		{name: "sol to a bare value", args: []string{"convert", "--from", "hex", "--to", "amf0"},
			stdin: "00BF 00000015 5443534F 000400000000 0005 68656C6C6F 000000 00", code: 2,
			stderr: `amfcall: error: a .sol file can't be written as amf0
amfcall: hint: use --to sol or --to json
`},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestNoCommand(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, nil, "", nil, false)
	if code != 2 || stdout != "" {
		t.Errorf("code %d, stdout %q; want 2 and nothing on stdout", code, stdout)
	}
	if !strings.Contains(stderr, "COMMANDS:") || !strings.HasSuffix(stderr, "amfcall: error: missing command\namfcall: hint: run \"amfcall help COMMAND\" for the usage of a command\n") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

func TestHelpGoesToStdout(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"help"}, {"help", "convert"}, {"convert", "--help"}} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || stderr != "" || !strings.Contains(stdout, "USAGE:") {
			t.Errorf("amfcall %v: code %d, stderr %q, stdout:\n%s", args, code, stderr, stdout)
		}
	}
}

func TestConvert(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "json to amf3 hex", args: []string{"convert", "--to", "hex:amf3"}, stdin: `{"a": [1, 2.5]}`,
			stdout: "0a0b010361090501040105400400000000000001\n"},
		{name: "json to amf0 hex", args: []string{"convert", "--to", "hex:amf0"}, stdin: `{"a": [1, 2.5]}`,
			stdout: "03000161" + "0a00000002" + "003ff0000000000000" + "004004000000000000" + "000009\n"},
		{name: "json with a byte order mark", args: []string{"convert", "--to", "hex"}, stdin: "\xEF\xBB\xBF[1]",
			stdout: "0903010401\n"},
		{name: "hex input guessed", args: []string{"convert"}, stdin: "0a0b0103610905010401054004000000000000 01\n",
			stdout: `{"a":[1,2.5]}` + "\n"},
		{name: "typed", args: []string{"convert", "-x", "--from", "hex:amf0"}, stdin: "03000161 0a00000002 003ff0000000000000 004004000000000000 000009",
			stdout: `{"a":[1.0,2.5]}` + "\n"},
		{name: "amf0 guessed when amf3 cannot read it", args: []string{"convert", "-x", "-v"}, stdin: "AwABYQoAAAACAD/wAAAAAAAAAEAEAAAAAAAAAAAJ",
			stdout: `{"a":[1.0,2.5]}` + "\n",
			stderr: "amfcall: input: stdin (base64-decoded), 40 bytes of base64 text, 30 bytes decoded: bare AMF values, read as AMF0 (they do not decode as AMF3), in base64 text; the kind guessed from the content\n" +
				"amfcall: output: JSON (typed, compact) to stdout\n"},
		{name: "json lines to values and back", args: []string{"convert", "--to", "hex"}, stdin: "1\n\"x\"\n[true]\n",
			stdout: "040106037809030103\n"},
		{name: "values to json lines", args: []string{"convert", "--from", "hex:amf3"}, stdin: "040106037809030103",
			stdout: "1\n\"x\"\n[true]\n"},
		{name: "json packet to packet", args: []string{"convert", "--to", "hex"},
			stdin:  `{"version": 0, "messages": [{"target": "echo", "response": "/1", "value": ["x"]}]}`,
			stdout: "0000000000010004" + "6563686f" + "00022f31" + "00000009" + "0a00000001" + "02000178\n"},
		{name: "packet to json", args: []string{"convert", "--from", "hex"},
			stdin:  "0000000000010004 6563686f 00022f31 00000009 0a00000001 02000178",
			stdout: `{"version":0,"headers":[],"messages":[{"target":"echo","response":"/1","value":["x"]}]}` + "\n"},
		{name: "flv", args: []string{"convert", "--from", "hex:flv"},
			stdin:  "464C5601050000000900000000 1200003800000000000000 02000A6F6E4D65746144617461 0800000002 00086475726174696F6E004024000000000000 00057769647468004084000000000000 000009 00000043",
			stdout: `{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"duration":10,"width":640}}]}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestTerminalAndColour(t *testing.T) {
	t.Parallel()
	const key, num, reset = "\x1b[34;1m", "\x1b[36m", "\x1b[0m"
	pretty := "{\n  \"a\": [\n    1\n  ]\n}\n"
	const amfA1 = "0a0b010361090301040101" // {"a":[1]} in AMF3, as hex text
	for _, tc := range []cliCase{
		{name: "pretty on a terminal", args: []string{"convert"}, stdin: amfA1, term: true, stdout: pretty},
		{name: "compact in a pipe", args: []string{"convert"}, stdin: amfA1, stdout: `{"a":[1]}` + "\n"},
		{name: "--pretty in a pipe", args: []string{"convert", "--pretty"}, stdin: amfA1, stdout: pretty},
		{name: "--compact on a terminal", args: []string{"convert", "--compact"}, stdin: amfA1, term: true, stdout: `{"a":[1]}` + "\n"},
		{name: "colour on a terminal", args: []string{"convert", "--compact"}, stdin: amfA1, term: true,
			env:    map[string]string{"TERM": "xterm"},
			stdout: "{" + key + `"a"` + reset + ":[" + num + "1" + reset + "]}\n"},
		{name: "NO_COLOR", args: []string{"convert", "--compact"}, stdin: amfA1, term: true,
			env: map[string]string{"TERM": "xterm", "NO_COLOR": "1"}, stdout: `{"a":[1]}` + "\n"},
		{name: "TERM=dumb", args: []string{"convert", "--compact"}, stdin: amfA1, term: true,
			env: map[string]string{"TERM": "dumb"}, stdout: `{"a":[1]}` + "\n"},
		{name: "--color=never on a terminal", args: []string{"--color=never", "convert", "--compact"}, stdin: amfA1, term: true,
			env: map[string]string{"TERM": "xterm"}, stdout: `{"a":[1]}` + "\n"},
		{name: "--color=always in a pipe, after the command", args: []string{"convert", "--color=always"}, stdin: amfA1,
			env:    map[string]string{"NO_COLOR": "1"},
			stdout: "{" + key + `"a"` + reset + ":[" + num + "1" + reset + "]}\n"},
		{name: "refusing AMF bytes on a terminal", args: []string{"convert"}, stdin: `{"a":[1]}`, term: true, code: 2,
			stderr: "amfcall: error: refusing to write AMF bytes (amf3) to a terminal\n" +
				"amfcall: hint: write them to a file with -o FILE, see them as hex with \"--to hex:amf3\", or force it with \"-o -\"\n"},
		{name: "refusing before reading with an explicit --to", args: []string{"convert", "--to", "amf0", "no/such/file"}, term: true, code: 2,
			stderr: "amfcall: error: refusing to write AMF bytes (amf0) to a terminal\n" +
				"amfcall: hint: write them to a file with -o FILE, see them as hex with \"--to hex:amf0\", or force it with \"-o -\"\n"},
		{name: "forced with -o -", args: []string{"convert", "-o", "-"}, stdin: `{"a":[1]}`, term: true,
			stdout: "\x0a\x0b\x01\x03a\x09\x03\x01\x04\x01\x01"},
		{name: "hex is text, fine on a terminal", args: []string{"convert", "--to", "hex:amf3"}, stdin: `{"a":[1]}`, term: true,
			stdout: "0a0b010361090301040101\n"},
		{name: "errors in colour on a colour terminal", args: []string{"--color=always", "nope"}, code: 2,
			stderr: "amfcall: \x1b[31;1merror:\x1b[0;22m unknown command \"nope\"\namfcall: \x1b[36mhint:\x1b[0m run \"amfcall help\" for the list of commands\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestColorOn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		mode    string
		noColor string
		term    string
		tty     bool
		want    bool
	}{
		{"auto", "", "xterm", true, true},
		{"auto", "", "xterm", false, false},
		{"auto", "1", "xterm", true, false},
		{"auto", "", "dumb", true, false},
		{"always", "1", "dumb", false, true},
		{"never", "", "xterm", true, false},
		{"", "", "xterm", true, true},
	} {
		e := &runEnv{
			getenv:     func(k string) string { return map[string]string{"NO_COLOR": tc.noColor, "TERM": tc.term}[k] },
			isTerminal: func(any) bool { return tc.tty },
		}
		if got := e.colorOn(tc.mode, &bytes.Buffer{}); got != tc.want {
			t.Errorf("colorOn(%q) with NO_COLOR=%q TERM=%q tty=%v = %v, want %v", tc.mode, tc.noColor, tc.term, tc.tty, got, tc.want)
		}
	}
}

// TestConvertRoundTrip converts AMF files to typed JSON and back through
// the command line, and wants the same bytes.
func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	files := []string{
		vectors + "array_dense.amf3",
		vectors + "array_mixed.amf0",
		vectors + "bytearray_small.amf3",
		vectors + "cyclic_typed.amf3",
		vectors + "cyclic_object.amf0",
		vectors + "date_ms.amf0",
		vectors + "arraycollection_items.amf3",
		vectors + "dec_amf0_date_tz.amf0",
		vectors + "dec_amf0_ecma_flash_count.amf0",
		vectors + "env_req_echo_amf3_rich.amf",
		vectors + "env_resp_flex_error.amf",
		captures + "default-saveSnapshot_amf3.request.amf",
		captures + "default-echo_amf0_rich.response.amf",
	}
	dir := t.TempDir()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			want, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			js, stderr, code := run(t, []string{"convert", "--typed", f}, "", nil, false)
			if code != 0 || stderr != "" {
				t.Fatalf("to JSON: code %d, stderr %s", code, stderr)
			}
			to := "packet"
			if ext := filepath.Ext(f); ext == ".amf0" || ext == ".amf3" {
				to = ext[1:]
			}
			out := filepath.Join(dir, filepath.Base(f))
			stdout, stderr, code := run(t, []string{"convert", "--to", to, "-", "-o", out}, js, nil, false)
			if code != 0 || stderr != "" || stdout != "" {
				t.Fatalf("back to AMF: code %d, stdout %q, stderr %s", code, stdout, stderr)
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("round trip through %s differs:\n got %x\nwant %x", js, got, want)
			}
		})
	}
}

func TestMalformedInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []cliCase{
		{name: "bad amf3 reference", args: []string{"convert", vectors + "dec_amf3_bad_string_ref.amf3"}, code: 4,
			stderr: "amfcall: error: " + vectors + "dec_amf3_bad_string_ref.amf3: amf3: invalid string reference 5 (table has 0) at offset 1\n"},
		{name: "truncated amf3", args: []string{"convert", "--from", "amf3", vectors + "dec_amf3_truncated_int.amf3"}, code: 4,
			stderr: "amfcall: error: " + vectors + "dec_amf3_truncated_int.amf3: amf3: unexpected EOF at offset 2\n"},
		{name: "truncated packet", args: []string{"convert", "--from", "hex"}, stdin: "0000 0000 0001 0004 6563686f 0002 2f31 00000009 0a00000001 0200", code: 4,
			stderr: "amfcall: error: stdin (hex-decoded): amf0: unexpected EOF within \"/messages/0/value/0\" at offset 27\n" +
				"amfcall: hint: it is the start of an AMF packet whose bytes end early: the file was cut short (a download or capture that stopped?); get it whole again. If it is a bare value instead, add --from amf3 or --from amf0\n"},
		{name: "trailing bytes after a packet", args: []string{"convert", "--from", "hex:packet"}, stdin: "0000 0000 0000 ff", code: 4,
			stderr: "amfcall: error: stdin (hex-decoded): amf: 1 bytes of trailing data at offset 6\n"},
		{name: "bad hex", args: []string{"convert", "--from", "hex"}, stdin: "0a0b0", code: 4,
			stderr: "amfcall: error: stdin: hex: odd number of hex digits at offset 5\n"},
		{name: "empty", args: []string{"convert"}, stdin: "\n", code: 4,
			stderr: "amfcall: error: stdin: the input is empty\n"},
		{name: "text that is not amf", args: []string{"convert"}, stdin: "hello", code: 4,
			stderr: "amfcall: error: stdin: amf3: unknown or invalid marker 0x68 at offset 0\n" +
				"amfcall: hint: it is text, not AMF, JSON, hex or base64 (it was read as bare AMF3 values, the default); --from says what it is if it is one of them\n"},
		// Words are not base64 (it said "stdin (base64-decoded): ... marker 0x85").
		{name: "words that are not base64", args: []string{"convert"}, stdin: "hello world\n", code: 4,
			stderr: "amfcall: error: stdin: amf3: unknown or invalid marker 0x68 at offset 0\n" +
				"amfcall: hint: it is text, not AMF, JSON, hex or base64 (it was read as bare AMF3 values, the default); --from says what it is if it is one of them\n"},
		{name: "base64 with a blank that reads as amf", args: []string{"convert"}, stdin: "Bgto ZWxsbw==\n", stdout: "\"hello\"\n"},
		// JSON saved by PowerShell (UTF-16 with a byte order mark) is
		// read as the same text (utf16_win9_test.go); cut short, it is
		// not UTF-16 text.
		{name: "utf-16 json", args: []string{"convert"}, stdin: "\xff\xfe{\x00\"\x00a\x00\"\x00:\x001\x00}\x00", stdout: "\x0a\x0b\x01\x03a\x04\x01\x01"},
		{name: "utf-16 json cut short", args: []string{"convert"}, stdin: "\xff\xfe{\x00\"\x00a\x00\"\x00:\x001\x00}", code: 4,
			stderr: "amfcall: error: stdin: amf3: unknown or invalid marker 0xff at offset 0\n" +
				// left17: the hint names what is wrong, and where.
				"amfcall: hint: it is not UTF-16 text after its byte order mark (FF FE, little-endian): one byte (7d) left over at the end, half a character (an odd number of bytes: cut short?) at line 1, column 7 (offset 14)\n"},
		// dump gave the hint --from amf0 where convert says it cannot tell.
		{name: "dump of bytes whose amf0 is not believable", args: []string{"dump"}, stdin: "\x00\x03garbage", code: 4,
			stdout: "00000000  00                       undefined\n00000001  03                       true\n" +
				"00000002                           error: amf3: unknown or invalid marker 0x67 at offset 2\n" +
				"00000002  67 61 72 62 61 67 65     7 bytes not read\n", stderr: "amfcall: error: stdin: amf3: unknown or invalid marker 0x67 at offset 2\n" +
				"amfcall: hint: it was read as bare AMF3 values, the default; --from says what it is (amf0, packet, sol, flv, socket...)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestMalformedJSON(t *testing.T) {
	t.Parallel()
	// The offset is the JSON reader's (package convert); here it matters
	// that there is one, on one line, with exit status 4.
	stdout, stderr, code := run(t, []string{"convert"}, `{"a": [1, }`, nil, false)
	if code != 4 || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: stdin: json: invalid character '}' looking for beginning of value at line 1, column 11 (offset 10)\n") ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestOutputFile checks -o: the file is written whole on success, and an
// existing file is left untouched on error, with no temporary file left.
func TestOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "out.json")
	if err := os.WriteFile(out, []byte("precious\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"convert", "-o", out}, "0a0b0", nil, false)
	if code != 4 || stdout != "" || !strings.Contains(stderr, "offset") {
		t.Fatalf("bad input: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "precious\n" {
		t.Errorf("after an error the file holds %q", b)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out.json"}) {
		t.Errorf("files left: %v", names)
	}

	// Flags after the file name work too.
	stdout, stderr, code = run(t, []string{"convert", "-", "-o", out, "--to", "json"}, `[1, "a"]`, nil, false)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("good input: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != `[1,"a"]`+"\n" {
		t.Errorf("file holds %q", b)
	}
	if st, _ := os.Stat(out); !permIs(st.Mode(), 0o600) {
		t.Errorf("mode %v, want the old file's 0600", st.Mode().Perm())
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out.json"}) {
		t.Errorf("files left: %v", names)
	}

	// A directory that does not exist.
	_, stderr, code = run(t, []string{"convert", "-o", filepath.Join(dir, "no", "x.json")}, "1", nil, false)
	if code != 2 || !strings.Contains(stderr, "check that the directory exists") {
		t.Errorf("missing directory: code %d, stderr %q", code, stderr)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestVerbose(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{name: "verbose", args: []string{"convert", "-v", captures + "default-batch.request.amf"},
		stdout: `{"version":0,"headers":[],"messages":[{"target":"echo.echo","response":"/1","value":["first"]},{"target":"echo.fail","response":"/2","value":["second"]},{"target":"getSnapshots","response":"/3","value":[]}]}` + "\n",
		stderr: "amfcall: input: " + captures + "default-batch.request.amf, 98 bytes: an AMF packet (version 0, 0 headers, 3 messages); guessed from the content\n" +
			"amfcall: output: JSON (plain, compact) to stdout\n"})
}

// TestPublicRun goes through Run itself, with the real environment made
// explicit.
func TestPublicRun(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	t.Setenv("TERM", "dumb")
	var out, errb bytes.Buffer
	code := Run([]string{"amfcall", "convert", "--to", "hex"}, strings.NewReader("[1]"), &out, &errb)
	if code != 0 || out.String() != "0903010401\n" || errb.Len() != 0 {
		t.Errorf("code %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

func TestPanicIsAnInternalError(t *testing.T) {
	t.Parallel()
	var errb bytes.Buffer
	e := &runEnv{
		args:       []string{"amfcall", "boom"},
		stdin:      strings.NewReader(""),
		stdout:     &bytes.Buffer{},
		stderr:     &errb,
		getenv:     func(k string) string { return plainEnv[k] },
		isTerminal: func(any) bool { return false },
		commands:   append(slices.Clone(commands), &cli.Command{Name: "boom", Action: func(*cli.Context) error { panic("kaboom") }}),
	}
	want := "amfcall: error: internal error: kaboom\n" +
		"amfcall: hint: this is a bug in amfcall; please report it with the command line and the input\n"
	if code := e.run(); code != 1 || errb.String() != want {
		t.Errorf("code %d, stderr %q", code, errb.String())
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err    error
		code   int
		stderr string
	}{
		{errors.New("disk on fire"), 1, "amfcall: error: internal error: disk on fire\n"},
		{withCode(exitFault, errors.New("Echo.Failure: boom")), 1, "amfcall: error: Echo.Failure: boom\n"},
		{withCode(exitNetwork, errors.New("connection refused")).hint("is the gateway running?"), 3,
			"amfcall: error: connection refused\namfcall: hint: is the gateway running?\n"},
		{fmt.Errorf("x.amf: %w", &amf.SyntaxError{Version: "amf3", Offset: 7, Err: amf.ErrBadMarker}), 4,
			"amfcall: error: x.amf: amf3: unknown or invalid marker at offset 7\n"},
		{fmt.Errorf("x.json: %w", &convert.Error{Offset: 3, Err: errors.New("bad")}), 4, "amfcall: error: x.json: json: bad at offset 3\n"},
		{&amf.TrailingDataError{N: 2, Offset: 5}, 4, "amfcall: error: amf: 2 bytes of trailing data at offset 5\n"},
		{&convert.OutputLimitError{Limit: 10}, 4, "amfcall: error: " + (&convert.OutputLimitError{Limit: 10}).Error() + "\n" +
			"amfcall: hint: use the typed form (--typed), which writes each shared value once, or raise --max-output\n"},
		{fmt.Errorf("x.amf: %w", &convert.TypedOutputLimitError{OutputLimitError: convert.OutputLimitError{Limit: 10}}), 4,
			"amfcall: error: x.amf: json: typed output exceeds 10 bytes (strings sent by reference are written out at each use)\n" +
				"amfcall: hint: raise --max-output if the output is meant to be this large\n"},
		{cli.Exit("from elsewhere", 3), 3, "amfcall: error: from elsewhere\n"},
		{&os.PathError{Op: "open", Path: "f", Err: os.ErrNotExist}, 2, "amfcall: error: open f: file does not exist\n"},
	} {
		var errb bytes.Buffer
		e := &runEnv{stderr: &errb, getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }}
		if code := e.report(tc.err); code != tc.code || errb.String() != tc.stderr {
			t.Errorf("report(%v) = %d, %q; want %d, %q", tc.err, code, errb.String(), tc.code, tc.stderr)
		}
	}
}

func TestReorder(t *testing.T) {
	t.Parallel()
	app := newApp(&runEnv{})
	for _, tc := range []struct{ in, want string }{
		{"convert x.amf -o y --typed", "convert -o y --typed x.amf"},
		{"convert x.amf --to=amf0", "convert --to=amf0 x.amf"},
		{"convert - -v", "convert -v -"},
		{"--color never convert x -x", "--color never convert -x x"},
		{"convert -- -x", "convert -- -x"},
		{"convert x -5", "convert -- x -5"},
		{"convert x --bogus", "convert --bogus x"},
		{"nope -x y", "nope -x y"},
		{"completion bash", "completion bash"},
		// Groups of one-letter flags stay whole (urfave/cli splits them);
		// the group takes a value when its last letter does.
		{"call -vv http://h/ svc.m", "call -vv http://h/ svc.m"},
		{"call http://h/ svc.m -xr -q a", "call -xr -q a http://h/ svc.m"},
		{"call -kvd [1] http://h/ svc.m", "call -kvd [1] http://h/ svc.m"},
		{"call http://h/ svc.m -kvd [1]", "call -kvd [1] http://h/ svc.m"},
		// A value flag takes the next word, unless it is a flag of the
		// command (TestValueFlagTookAFlag).
		{"convert x -o -", "convert -o - x"},
		{"call u t -q -x0", "call -q -x0 u t"},
	} {
		got, err := reorder(app, append([]string{"amfcall"}, strings.Fields(tc.in)...))
		if err != nil || strings.Join(got[1:], " ") != tc.want {
			t.Errorf("reorder(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestValueFlagWithoutValue: a value flag typed last is a usage error
// (exit 2) that touches nothing; it never takes a positional argument as
// its value.
func TestValueFlagWithoutValue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.json")
	if err := os.WriteFile(victim, []byte("[1]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	withURL := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_URL": "http://127.0.0.1:1/"}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		flag string
		cmd  string
	}{
		{[]string{"convert", victim, "-o"}, nil, "-o", "amfcall convert"},
		{[]string{"convert", victim, "--output"}, nil, "--output", "amfcall convert"},
		{[]string{"convert", victim, "-xo"}, nil, "-xo", "amfcall convert"},
		{[]string{"snapshots", "http://127.0.0.1:1/", "--download"}, withURL, "--download", "amfcall snapshots"},
		{[]string{"call", "http://127.0.0.1:1/", "echo.echo", "1", "-q"}, withURL, "-q", "amfcall call"},
		{[]string{"call", "http://127.0.0.1:1/", "echo.echo", "1", "-q"}, nil, "-q", "amfcall call"},
		{[]string{"upload", "http://127.0.0.1:1/", "a.b", victim, "--timeout"}, nil, "--timeout", "amfcall upload"},
		{[]string{"--color"}, nil, "--color", "amfcall"},
	} {
		stdout, stderr, code := run(t, tc.args, "[1,2]", tc.env, false)
		want := "amfcall: error: flag " + tc.flag + " needs a value\namfcall: hint: run \"" + tc.cmd + " --help\" for the flags\n"
		if code != 2 || stdout != "" || stderr != want {
			t.Errorf("amfcall %s: code %d, stdout %q, stderr %q; want 2 and %q", strings.Join(tc.args, " "), code, stdout, stderr, want)
		}
	}
	if b, _ := os.ReadFile(victim); string(b) != "[1]\n" {
		t.Errorf("victim.json was changed: %q", b)
	}
	if _, err := os.Stat("http:"); err == nil {
		t.Errorf("a folder named after the URL was created")
	}
}

// TestCompleteCandidates asks for completions the way the shell scripts
// do: the words so far, the word being completed, the hidden flag.
func TestCompleteCandidates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ words, want string }{
		{"|", strings.Join(append(commandNames(), "help"), " ")},
		{"co|", "convert completion"},
		{"convert|", "convert"},
		{"convert --t|", "--to --typed"},
		{"convert --to |", strings.Join(flagChoices["to"], " ")},
		{"convert --to hex:a|", "hex:amf0 hex:amf3"},
		{"convert --to=hex:p|", "--to=hex:packet"},
		{"convert -o |", ""},
		{"convert x.amf |", ""},
		{"--color |", "auto always never"},
		{"--color=n|", "--color=never"},
		{"completion |", "bash zsh fish powershell"},
		{"help co|", "convert completion"},
		{"convert --bogus |", ""},
		{"convert --bogus --t|", "--to --typed"},
		{"convert -- --t|", ""},
	} {
		line := strings.TrimSuffix(tc.words, "|") // the cursor is at the end
		words := strings.Fields(line)
		if line == "" || strings.HasSuffix(line, " ") {
			words = append(words, "")
		}
		args := append(words, "--generate-bash-completion")
		stdout, stderr, code := run(t, args, "", nil, false)
		got := strings.Join(strings.Fields(stdout), " ")
		if code != 0 || stderr != "" || got != tc.want {
			t.Errorf("complete %q = %q (code %d, stderr %q), want %q", tc.words, got, code, stderr, tc.want)
		}
	}
}

func commandNames() []string {
	var names []string
	for _, c := range visibleCommands(commands) {
		names = append(names, c.Names()...)
	}
	return names
}

// TestCompletionScripts checks that the committed scripts and man page
// are what amfcall prints and generates; -update rewrites them.
func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	if *update {
		if err := writeDocs("..", &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := generatedDocs()
	if err != nil {
		t.Fatal(err)
	}
	for _, sh := range shells {
		stdout, stderr, code := run(t, []string{"completion", sh}, "", nil, false)
		if code != 0 || stderr != "" {
			t.Fatalf("completion %s: code %d, stderr %q", sh, code, stderr)
		}
		name := map[string]string{"bash": "amfcall.bash", "zsh": "_amfcall", "fish": "amfcall.fish", "powershell": "amfcall.ps1"}[sh]
		if string(files["completions/"+name]) != stdout {
			t.Errorf("completion %s differs from what gen-docs writes", sh)
		}
	}
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(path)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is out of date (%v): run go test ./commands -update", path, err)
		}
	}
}

// TestBashCompletion types into a real interactive bash, driven through
// tmux, with the bash script loaded and this test binary standing in for
// amfcall, and reads back the line after TAB: bash's own word splitting
// (at = and :) is what is tested, not a simulation of COMP_WORDS.
func TestBashCompletion(t *testing.T) {
	t.Parallel()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(self, filepath.Join(dir, "amfcall")); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("../completions/amfcall.bash")
	sock := filepath.Join(dir, "tmux.sock")
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		return string(out), err
	}
	// HISTFILE=/dev/null: bash killed with the tmux server writes its
	// history on the way out, into HOME, which is dir; the cleanup of
	// dir then failed now and then ("directory not empty").
	shell := fmt.Sprintf("env -i HOME=%s HISTFILE=/dev/null TERM=xterm PATH=%s:/usr/bin:/bin AMFCALL_TEST_AS_AMFCALL=1 PS1='$ ' %s --norc --noprofile",
		dir, dir, bash)
	if out, err := tm("new-session", "-d", "-x", "200", "-y", "20", shell); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { tm("kill-server") })
	for _, name := range []string{"photo.jpg", "args.json", "shots/a.jpg"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tm("send-keys", "-l", "source "+script+"; cd "+dir+"; clear\n")
	// line waits for the prompt line to end with the marker "|", typed
	// after TAB: bash reads it only once the completion is done.
	line := func() string {
		last := ""
		for i := 0; i < 400; i++ {
			time.Sleep(25 * time.Millisecond)
			out, _ := tm("capture-pane", "-p")
			lines := strings.Split(strings.TrimRight(out, "\n "), "\n")
			if last = lines[len(lines)-1]; strings.HasSuffix(last, "|") {
				return strings.TrimSuffix(last, "|")
			}
		}
		return last
	}
	// Wait until bash has run the setup: "42ready" is printed by it,
	// never echoed as typed.
	tm("send-keys", "-l", "echo $((6*7))ready\n")
	for i := 0; ; i++ {
		out, _ := tm("capture-pane", "-p")
		if strings.Contains(out, "\n42ready\n") || strings.HasPrefix(out, "42ready\n") {
			break
		}
		if i == 400 {
			t.Fatalf("bash did not start:\n%s", out)
		}
		time.Sleep(25 * time.Millisecond)
	}
	for _, tc := range []struct{ typed, want string }{
		{"amfcall conv", "$ amfcall convert "},
		{"amfcall convert --ty", "$ amfcall convert --typed "},
		{"amfcall convert --to=hex:pa", "$ amfcall convert --to=hex:packet "},
		{"amfcall convert --to=hex:a", "$ amfcall convert --to=hex:amf"},
		{"amfcall convert --to hex:fl", "$ amfcall convert --to hex:flv "},
		{"amfcall convert --to hex:fr", "$ amfcall convert --to hex:frames "},
		{"amfcall convert --to=fl", "$ amfcall convert --to=flv "},
		{"amfcall convert in.amf --from base64:fl", "$ amfcall convert in.amf --from base64:flv "},
		{"amfcall snapshots --format t", "$ amfcall snapshots --format table "},
		{"amfcall convert --color n", "$ amfcall convert --color never "},
		{"amfcall convert --col", "$ amfcall convert --color "},
		{"amfcall snapshots --format json --col", "$ amfcall snapshots --format json --color "},
		{"amfcall --color=al", "$ amfcall --color=always "},
		{"amfcall completion p", "$ amfcall completion powershell "},
		// Words typed in quotes or with backslashes.
		{"amfcall snapshots --format 'j", "$ amfcall snapshots --format 'json' "},
		{`amfcall snapshots --format "t`, `$ amfcall snapshots --format "table" `},
		{`amfcall convert --to hex\:fl`, "$ amfcall convert --to hex:flv "},
		// @FILE arguments: bash breaks words at @ but replaces it too.
		{"amfcall call http://h/ a.b @pho", "$ amfcall call http://h/ a.b @photo.jpg "},
		{"amfcall call -d @arg", "$ amfcall call -d @args.json "},
		{"amfcall call http://h/ a.b @sh", "$ amfcall call http://h/ a.b @shots/"},
		// The value of a flag that takes no file: no file names (they
		// were offered); -o's value is a file.
		{"amfcall call --timeout pho", "$ amfcall call --timeout pho"},
		{"amfcall call -u pho", "$ amfcall call -u pho"},
		{"amfcall bench -c pho", "$ amfcall bench -c pho"},
		{"amfcall convert --to=pho", "$ amfcall convert --to=pho"},
		{"amfcall convert -o pho", "$ amfcall convert -o photo.jpg "},
	} {
		// A loaded machine can make a terminal miss a beat; a completion
		// that is wrong twice in a row is wrong.
		var got string
		for try := 0; try < 2 && got != tc.want; try++ {
			tm("send-keys", "C-u")
			// Wait for the line to be empty: else the last case's line,
			// which ends with the marker too, may be read as this one's.
			for i := 0; i < 400; i++ {
				out, _ := tm("capture-pane", "-p")
				lines := strings.Split(strings.TrimRight(out, "\n "), "\n")
				if lines[len(lines)-1] == "$" {
					break
				}
				time.Sleep(25 * time.Millisecond)
			}
			tm("send-keys", "-l", tc.typed)
			tm("send-keys", "Tab")
			tm("send-keys", "-l", "|") // also shows whether TAB added a space
			got = line()
		}
		if got != tc.want {
			out, _ := tm("capture-pane", "-p")
			t.Errorf("bash: %q then TAB gives %q, want %q; the terminal:\n%s", tc.typed, got, tc.want, out)
		}
	}
	tm("send-keys", "C-u")
}

// TestOutputLimitHintFromStdin: output over --max-output gets the same
// hint whether the input came by name or on stdin, where the version of a
// bare value is a guess (the hint about the guess once came instead).
func TestOutputLimitHintFromStdin(t *testing.T) {
	t.Parallel()
	s := strings.Repeat("a", 50)
	// An AMF3 array of a 50-byte string and two references to it.
	in := "\x09\x07\x01\x06" + string(rune(len(s)<<1|1)) + s + "\x06\x00\x06\x00"
	_, stderr, code := run(t, []string{"convert", "--max-output", "100"}, in, nil, false)
	want := "amfcall: hint: use the typed form (--typed), which writes each shared value once, or raise --max-output\n"
	if code != 4 || !strings.HasSuffix(stderr, want) {
		t.Errorf("code %d, stderr %q; want 4 and the hint %q", code, stderr, want)
	}
}

package commands

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A value flag written without its value, followed by another flag of
// the command: the flag took the other flag as its value, so "call URL
// TARGET -q -r" printed null with exit 0 (the path "-r" of the result)
// and "subscribe --subtopic --for 1s URL DEST" said "1s" is not a
// gateway URL. Both are now the usage error that says which flag lacks
// its value; a value that starts with "-" is still given as -q=VALUE.
func TestValueFlagTookAFlag(t *testing.T) {
	const url = "http://127.0.0.1:1/"
	lacks := func(cmd, flag, next string) string {
		return "amfcall: error: flag " + flag + " needs a value: the next word is the flag " + next + "\n" +
			"amfcall: hint: give " + flag + " its value before " + next + " (a value that starts with - is written " + flag + "=VALUE)\n" +
			`amfcall: hint: run "amfcall ` + cmd + ` --help" for the flags` + "\n"
	}
	for _, c := range []cliCase{
		{args: []string{"call", url, "echo.echo", "1", "-q", "-r"}, code: 2, stderr: lacks("call", "-q", "-r")},
		{args: []string{"subscribe", "--subtopic", "--for", "1s", url, "chat"}, code: 2, stderr: lacks("subscribe", "--subtopic", "--for")},
		{args: []string{"publish", "--subtopic", "--message-header=a=1", url, "chat", "1"}, code: 2, stderr: lacks("publish", "--subtopic", "--message-header=a=1")},
		{args: []string{"call", "-d", "-kv", url, "echo.echo"}, code: 2, stderr: lacks("call", "-d", "-kv")},
		{args: []string{"socket", "call", "--timeout", "-v", "127.0.0.1:1", "echo"}, code: 2, stderr: lacks("socket call", "--timeout", "-v")},
		{args: []string{"dump", "-o", "--help"}, code: 2, stderr: lacks("dump", "-o", "--help")},
	} {
		checkCase(t, c)
	}
	// Words that only start with "-" are values still: stdin, a negative
	// number, a word that is no flag of the command.
	gw := serveGateway(t)
	for _, c := range []cliCase{
		{args: []string{"convert", "-o", "-", "--to", "json"}, stdin: "[1]", code: 0, stdout: "[1]\n"},
		{args: []string{"call", gw, "echo.echo", `{"-r": 5}`, "-q=-r"}, code: 0, stdout: "5\n"},
		{args: []string{"call", gw, "echo.echo", `{"-x0": 6}`, "-q", "-x0"}, code: 0, stdout: "6\n"},
	} {
		checkCase(t, c)
	}
}

// A gateway amfcall does not know, answering every probe with a fault:
// probe printed "unknown" and nothing else (exit 0), leaving the user
// nothing to go on. It now says what each AMF reply was: its target and
// the fault's code and description.
func TestProbeUnknownSaysWhatItGot(t *testing.T) {
	t.Parallel()
	gw := faultGateway(t)
	stdout, stderr, code := run(t, []string{"probe", gw}, "", nil, false)
	line := func(probe string) string {
		return "  (" + probe + `: an AMF reply, not one amfcall knows: "/1/onStatus" fault Server.Down "try later")` + "\n"
	}
	want := "unknown\n" + line("amf0-unknown-service") + line("amf3-unknown-service") + line("flex-ping")
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("probe of an unknown gateway: code %d\nstdout:\n%s\nstderr:\n%s\nwant stdout:\n%s", code, stdout, stderr, want)
	}
}

// dump --from with a format it does not know listed convert's formats,
// json and har among them, which dump then refuses; it lists dump's own.
func TestDumpFromUnknownListsDumpFormats(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"dump", "--from", "amf4"}, stdin: "01", code: 2,
		stderr: `amfcall: error: invalid --from value "amf4"` + "\n" +
			"amfcall: hint: use auto, packet, amf0, amf3, sol, flv, socket, hex, base64, or hex:FORMAT / base64:FORMAT\n"})
}

// A flag given in both its forms ("dump --all -a") got urfave/cli's
// words, "Cannot use two forms of the same flag: a all"; it now names
// the flags as they are typed.
func TestTwoFormsOfOneFlag(t *testing.T) {
	t.Parallel()
	for _, c := range []cliCase{
		{args: []string{"dump", "--all", "-a"}, stdin: "01", code: 2,
			stderr: "amfcall: error: -a and --all are the same flag, given twice\namfcall: hint: give it once, in either form\n"},
		{args: []string{"call", "-u", "a:b", "--user", "c:d", "http://127.0.0.1:1/", "x"}, code: 2,
			stderr: "amfcall: error: -u and --user are the same flag, given twice\namfcall: hint: give it once, in either form\n"},
	} {
		checkCase(t, c)
	}
}

// dump -o FILE of malformed input: the help said FILE "appears whole or
// not at all", and a user who reads -o as cli.md's "never written on
// failure" expected the old FILE back after exit 4. The dump up to the
// fault is dump's output, and is written; the help says so now.
func TestDumpOutputOnFault(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dump.txt")
	if err := os.WriteFile(out, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"dump", "-o", out, "--from", "amf3"}, "\x01\xff", nil, false)
	got, _ := os.ReadFile(out)
	if code != 4 || !strings.Contains(string(got), "error: amf3: unknown or invalid marker 0xff at offset 1") || !strings.Contains(stderr, "amfcall: error: stdin: amf3: unknown or invalid marker 0xff at offset 1") {
		t.Errorf("dump -o of malformed input: exit %d\nfile:\n%s\nstderr:\n%s", code, got, stderr)
	}
	help, _, _ := run(t, []string{"dump", "--help"}, "", nil, false)
	if !strings.Contains(strings.Join(strings.Fields(help), " "), "malformed input's dump, up to the fault, is written too, with exit status 4") {
		t.Errorf("dump --help does not say what -o does on malformed input:\n%s", help)
	}
}

// describe URL with no SERVICE said only its usage; a user who does not
// know the names yet is pointed at list.
func TestDescribeWithoutServicePointsAtList(t *testing.T) {
	t.Parallel()
	usage := "amfcall: error: amfcall describe: missing SERVICE\namfcall: hint: usage: amfcall describe URL SERVICE[.METHOD]\n"
	for _, c := range []cliCase{
		{args: []string{"describe", "http://127.0.0.1:1/amf"}, code: 2,
			stderr: usage + "amfcall: hint: amfcall list http://127.0.0.1:1/amf shows the services\n"},
		{args: []string{"describe"}, env: map[string]string{"AMFCALL_URL": "http://127.0.0.1:1/amf"}, code: 2,
			stderr: usage + "amfcall: hint: amfcall list shows the services (of AMFCALL_URL's gateway)\n"},
	} {
		checkCase(t, c)
	}
}

// publish URL DEST - (the body on stdin, as convert and -d - read it)
// said "BODY: json: unexpected end of JSON input", and @- sent stdin's
// bytes as a ByteArray: a JSON body could not come from a pipe. "-" now
// reads it from stdin. call's ARG "-" stays a JSON error, with a hint
// to -d - and @-.
func TestPublishBodyFromStdin(t *testing.T) {
	t.Parallel()
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	// A subscription first, so that the message is kept for the poll.
	sub := startSubscriber(t, "--count", "1", "--interval", "20ms", "--for", "20s", u, "piped")
	waitLog(t, log, "CommandMessage subscribe piped", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "piped", "-"}, stdin: `{"from": "stdin", "n": [1, 2]}` + "\n"})
	if code := sub.wait(t); code != 0 || !strings.HasSuffix(sub.stdout.String(), `"body":{"from":"stdin","n":[1,2]}}`+"\n") {
		t.Errorf("subscriber: code %d stdout %q stderr %q", code, sub.stdout.String(), sub.stderr.String())
	}
	for _, c := range []cliCase{
		{args: []string{"publish", u, "piped", "-"}, stdin: `{"a":`, code: 4,
			stderr: "amfcall: error: BODY (stdin): json: unexpected end of JSON input at line 1, column 6 (offset 5)\n"},
		{args: []string{"call", u, "echo.echo", "-"}, stdin: "1", code: 4,
			stderr: "amfcall: error: argument 1: json: unexpected end of JSON input at line 1, column 2 (offset 1)\n" +
				"amfcall: hint: an ARG is a JSON value, not stdin; @- sends stdin's bytes as a ByteArray\n" +
				"amfcall: hint: --data - (-d -) reads the argument list, a JSON array, from stdin\n"},
		// bench has no -d: the hint that names it is call's alone.
		{args: []string{"bench", "-n", "1", u, "echo.echo", "-"}, stdin: "1", code: 4,
			stderr: "amfcall: error: argument 1: json: unexpected end of JSON input at line 1, column 2 (offset 1)\n" +
				"amfcall: hint: an ARG is a JSON value, not stdin; @- sends stdin's bytes as a ByteArray\n"},
	} {
		checkCase(t, c)
	}
}

// list, describe and probe --pretty (or --compact) printed their text
// report, the flag unread, where bench's and dump's give JSON; they now
// imply --format json, and with --format text are a usage error.
func TestGatewayCommandsPrettyImpliesJSON(t *testing.T) {
	u := serveGateway(t) // list keeps the names in the cache folder: a temporary one
	for _, args := range [][]string{
		{"list", "--pretty", u},
		{"describe", "--pretty", u, "echo"},
		{"probe", "--pretty", u},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 0 || !strings.HasPrefix(stdout, "{\n  \"") || stderr != "" {
			t.Errorf("amfcall %s: code %d stderr %q\n%s", strings.Join(args, " "), code, stderr, stdout)
		}
	}
	stdout, _, code := run(t, []string{"list", "--compact", u}, "", nil, true)
	if code != 0 || !strings.HasPrefix(stdout, `{"dialect":"amfcall","services":[`) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("list --compact on a terminal: code %d\n%s", code, stdout)
	}
	checkCase(t, cliCase{args: []string{"list", "--format", "text", "--pretty", u}, code: 2,
		stderr: "amfcall: error: --pretty and --compact lay out JSON, not --format text\namfcall: hint: drop --format text, or give --format json\n"})
}

// call --save-response of a reply cut short after its message count:
// the hint said "amfcall dump FILE shows each byte up to the fault", and
// dump took the bytes for bare AMF3 values (undefined, true, undefined,
// ...). The hint now gives --from packet, and following it shows the
// packet up to the fault.
func TestSavedReplyHintDumpsAPacket(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write([]byte("\x00\x03\x00\x00\x00\x01\xff\xff"))
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "reply.amf")
	_, stderr, code := run(t, []string{"call", "--save-response", file, srv.URL, "x.y"}, "", nil, false)
	want := "amfcall: hint: the reply's 8 bytes are in " + file + ": amfcall dump --from packet " + shellWord(file) + " shows each byte up to the fault\n"
	if code != 3 || !strings.HasSuffix(stderr, want) {
		t.Fatalf("call: exit %d\n%s\nwant:\n%s", code, stderr, want)
	}
	stdout, _, code := run(t, []string{"dump", "--from", "packet", file}, "", nil, false)
	if code != 4 || !strings.Contains(stdout, "packet version 3") || !strings.Contains(stdout, "1 message, but only 2 bytes left") {
		t.Errorf("the dump the hint gives: exit %d\n%s", code, stdout)
	}
}

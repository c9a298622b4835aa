package commands

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// The tests in this file come from the rvuser review: amfcall used as a
// new user would, against the README and the contract (cli.md).

// TestRawOnTerminalEscapesControls: -r prints a string result as text;
// on a terminal a gateway's escape sequences (ESC, the 8-bit CSI U+009B)
// are written escaped, as in error messages, so that they cannot drive
// it. Newlines and tabs stay; a pipe gets the text as it is.
func TestRawOnTerminalEscapesControls(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	arg := `"a\u001b[31mb\u009b2J\n\tc"`
	stdout, stderr, code := run(t, []string{"call", u, "echo.echo", arg, "-r"}, "", nil, true)
	if want := `a\x1b[31mb\u009b2J` + "\n\tc\n"; code != 0 || stdout != want || stderr != "" {
		t.Errorf("terminal: code %d stdout %q (want %q) stderr %q", code, stdout, want, stderr)
	}
	stdout, _, code = run(t, []string{"call", u, "echo.echo", arg, "-r"}, "", nil, false)
	if want := "a\x1b[31mb\u009b2J\n\tc\n"; code != 0 || stdout != want {
		t.Errorf("pipe: code %d stdout %q, want %q", code, stdout, want)
	}
	// -q picks a string out of an object: the same.
	stdout, _, code = run(t, []string{"call", u, "echo.echo", `{"s": ` + arg + `}`, "-q", "s", "-r"}, "", nil, true)
	if want := `a\x1b[31mb\u009b2J` + "\n\tc\n"; code != 0 || stdout != want {
		t.Errorf("-q s -r on a terminal: code %d stdout %q, want %q", code, stdout, want)
	}
}

// TestSubscribeForPollsAtTheEnd: what is published while subscribe
// --for waits for its next poll is printed: it polls once more when
// --for is over. Before, the deadline cut the wait and it unsubscribed:
// with --for shorter than the interval, nothing but the first poll's
// messages was ever printed.
func TestSubscribeForPollsAtTheEnd(t *testing.T) {
	t.Parallel()
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	sub := startSubscriber(t, "--interval", "1h", "--for", "3s", "-q", "body", u, "chat")
	waitLog(t, log, "CommandMessage poll", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "chat", `"within --for"`}})
	if code := sub.wait(t); code != 0 || sub.stdout.String() != `"within --for"`+"\n" || sub.stderr.Len() != 0 {
		t.Errorf("code %d\nstdout %q\nstderr %s", code, sub.stdout.String(), sub.stderr.String())
	}
	if n := log.count("CommandMessage poll"); n != 2 {
		t.Errorf("%d polls, want 2 (the first, and the last at --for's end):\n%s", n, log.String())
	}
	if !strings.Contains(log.String(), "CommandMessage unsubscribe chat") {
		t.Errorf("no unsubscribe:\n%s", log.String())
	}
}

// TestEmptySessionFileIsNew: an empty --session file (S=$(mktemp), as
// curl's cookie jar is made) starts a new session, as a missing one does,
// and is written at the end. It was "the session file is not valid:
// unexpected end of JSON input; delete it", exit 4.
func TestEmptySessionFileIsNew(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	for _, args := range [][]string{
		{"call", u, "echo.echo", "1"},
		{"call", "--destination", "echo", u, "echo", "1"},
	} {
		s := writeFile(t, "s.json", nil)
		stdout, stderr, code := run(t, append([]string{args[0], "--session", s}, args[1:]...), "", nil, false)
		if code != 0 || stdout != "1\n" || stderr != "" {
			t.Errorf("%v: code %d stdout %q stderr %s", args, code, stdout, stderr)
		}
		if b, err := os.ReadFile(s); err != nil || !strings.Contains(string(b), `"gateway": "`+u+`"`) {
			t.Errorf("%v: the session file holds %q (%v)", args, b, err)
		}
	}
	s := writeFile(t, "s.json", []byte("\n"))
	_, stderr, code := run(t, []string{"logout", "--session", s, u}, "", nil, false)
	if want := "amfcall: warning: no DSId is known (the session " + s + " holds none: it is new or empty, or no Flex call was made with it): this logs out a new Flex client only\n"; code != 0 || stderr != want {
		t.Errorf("logout: code %d stderr %s\nwant %s", code, stderr, want)
	}
}

// TestProbeWordlistOutput: probe --wordlist writes text after its text
// report ("TARGET (KIND): ANSWER"), and with --format json JSON lines
// after its JSON document, so that "| jq" reads the whole stream; before,
// the text report was followed by JSON lines, which jq refused at line 1.
// --wordlist - reads the names from stdin.
func TestProbeWordlistOutput(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	const hit = "secure (service): Service.MethodNotFound: Unknown method secure.amfcallProbeNoSuchMethod\n"
	words := writeFile(t, "words.txt", []byte("nosuch\nsecure\n"))
	stdout, _, code := run(t, []string{"probe", "--wordlist", words, "--rate", "1000", "--max", "2", u}, "", nil, false)
	if code != 0 || !strings.HasPrefix(stdout, "amfcall serve\n") || !strings.HasSuffix(stdout, "\n"+hit) || strings.Contains(stdout, "{") {
		t.Errorf("text: code %d stdout:\n%s", code, stdout)
	}
	stdout, _, code = run(t, []string{"probe", "--format", "json", "--wordlist", "-", "--rate", "1000", "--max", "2", u}, "nosuch\nsecure\n", nil, false)
	dec := json.NewDecoder(strings.NewReader(stdout))
	var docs []map[string]any
	for {
		var v map[string]any
		if err := dec.Decode(&v); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("--format json: %v in\n%s", err, stdout)
		}
		docs = append(docs, v)
	}
	if code != 0 || len(docs) != 2 || docs[0]["gateway"] != "amfcall serve" || docs[1]["target"] != "secure" || docs[1]["kind"] != "service" {
		t.Errorf("--format json: code %d, %d documents:\n%s", code, len(docs), stdout)
	}
}

// TestOfflineQuery: call --offline -q PATH picks from the request packet
// it prints, and -r unquotes a string there; both were ignored (the whole
// packet was printed).
func TestOfflineQuery(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"call", "--offline", "http://127.0.0.1:1/", "echo.echo", "1", "-q", "messages.0.target", "-r"},
		stdout: "echo.echo\n"})
	checkCase(t, cliCase{args: []string{"call", "--offline", "--amf3", "http://127.0.0.1:1/", "echo.echo", "1", "-q", "messages.0.value"},
		stdout: `[{"$amf3":1}]` + "\n"})
}

// faultGateway answers every POST with an /onStatus fault.
func faultGateway(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fault := &amf.Object{Members: []amf.Member{{Name: "code", Value: "Server.Down"}, {Name: "description", Value: "try later"}}}
		reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null", Value: fault}}})
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/gateway"
}

// TestSnapshotsOutputContract: snapshots keeps cli.md's conventions as
// call does: --pretty and --compact lay out its JSON (they were unknown
// flags); a fault is printed as JSON on stdout too (stdout was empty);
// --download - is refused before any request (it made a folder "-").
func TestSnapshotsOutputContract(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"snapshots", "--pretty", u}, "", nil, false)
	if code != 0 || stdout != "[]\n" || stderr != "" {
		t.Errorf("--pretty, none: code %d stdout %q stderr %s", code, stdout, stderr)
	}
	gw, _ := snapshotGateway(t, func(base string) any {
		return []any{base, []any{"jpg"}, []any{&amf.Object{Members: []amf.Member{{Name: "name", Value: "a.jpg"}}}}}
	}, nil)
	stdout, stderr, code = run(t, []string{"snapshots", "--pretty", gw}, "", nil, false)
	if code != 0 || !strings.HasPrefix(stdout, "[\n  {\n    \"name\": \"a.jpg\",\n") || stderr != "" {
		t.Errorf("--pretty in a pipe: code %d stdout %q stderr %s", code, stdout, stderr)
	}
	stdout, _, code = run(t, []string{"snapshots", "--compact", gw}, "", nil, true)
	if code != 0 || !strings.HasPrefix(stdout, `[{"name":"a.jpg","url":"`) {
		t.Errorf("--compact on a terminal: code %d stdout %q", code, stdout)
	}
	checkCase(t, cliCase{args: []string{"snapshots", "--pretty", "--format", "table", gw}, code: exitUsage,
		stderr: "amfcall: error: --pretty and --compact lay out JSON, not --format table\n"})

	checkCase(t, cliCase{args: []string{"snapshots", faultGateway(t)}, code: exitFault,
		stdout: `{"code":"Server.Down","description":"try later"}` + "\n",
		stderr: "amfcall: error: Server.Down: try later\n"})

	stdout, stderr, code = run(t, []string{"snapshots", "--download", "-", gw}, "", nil, false)
	if code != exitUsage || stdout != "" || stderr != "amfcall: error: --download needs a folder, not -\namfcall: hint: give a folder to download into, e.g. --download ./shots\n" {
		t.Errorf("--download -: code %d stdout %q stderr %s", code, stdout, stderr)
	}
	if _, err := os.Stat("-"); err == nil {
		os.RemoveAll("-")
		t.Errorf(`--download - made a folder "-"`)
	}
}

// TestStreamsHonourPretty: an explicit --pretty indents each document of
// the commands that write one JSON document a line (socket call with
// several --call, socket listen, subscribe), as call --batch does; it was
// accepted and ignored. Without it they stay one line each, even on a
// terminal.
func TestStreamsHonourPretty(t *testing.T) {
	t.Parallel()
	addr := socketDemo(t)
	checkCase(t, cliCase{args: []string{"socket", "call", "--pretty", addr, "--call", `echo={"x":1}`, "--call", `echo={"y":2}`},
		stdout: "{\n  \"x\": 1\n}\n{\n  \"y\": 2\n}\n"})
	stdout, _, code := run(t, []string{"socket", "call", addr, "--call", `echo={"x":1}`, "--call", `echo={"y":2}`}, "", nil, true)
	if code != 0 || stdout != "{\"x\":1}\n{\"y\":2}\n" {
		t.Errorf("no --pretty, terminal: code %d stdout %q", code, stdout)
	}
	stdout, _, code = run(t, []string{"socket", "listen", "--pretty", addr, "--send", `echo={"x":1}`, "--for", "1s"}, "", nil, false)
	if code != 0 || !strings.HasPrefix(stdout, "{\n  \"response\": {\n") {
		t.Errorf("listen --pretty: code %d stdout %q", code, stdout)
	}

	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	sub := startSubscriber(t, "--pretty", "--count", "1", "--interval", "20ms", "--for", "20s", "-q", "body", u, "chat")
	waitLog(t, log, "CommandMessage subscribe chat", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "chat", `{"text": "hi"}`}})
	if code := sub.wait(t); code != 0 || sub.stdout.String() != "{\n  \"text\": \"hi\"\n}\n" {
		t.Errorf("subscribe --pretty: code %d stdout %q stderr %s", code, sub.stdout.String(), sub.stderr.String())
	}
}

// TestSocketQuietIsNoQuery: socket call's -q is --quiet; "-q PATH", as
// call takes it, left PATH as a fourth argument and a bare "too many
// arguments". The error now says what -q is here.
func TestSocketQuietIsNoQuery(t *testing.T) {
	t.Parallel()
	addr := socketDemo(t)
	checkCase(t, cliCase{args: []string{"socket", "call", addr, "echo", `{"a":{"b":1}}`, "-q", "a.b"}, code: exitUsage,
		stderr: `amfcall: error: amfcall socket call: too many arguments (want at most 3, got 4: "` + addr + `", "echo", "{\"a\":{\"b\":1}}", ... (1 more))` + "\n" +
			"amfcall: hint: usage: amfcall socket call HOST:PORT [COMMAND [PARAMS]]\n" +
			"amfcall: hint: -q is --quiet here (it hides the messages the server pushes) and takes no PATH: pick a part of the result with jq, e.g. | jq .a\n"})
}

// TestURLAfterTarget: "call TARGET URL" said "missing URL" of a URL that
// was there, second; --session - made a file named "-".
func TestURLAfterTarget(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"call", "echo.echo", "http://127.0.0.1:1/gw", "1"}, code: exitUsage,
		stderr: "amfcall: error: amfcall call: the URL http://127.0.0.1:1/gw comes after \"echo.echo\": it goes first\n" +
			"amfcall: hint: usage: amfcall call URL TARGET [ARG...]\n"})
	const dash = "amfcall: error: --session needs a file name, not -\n" +
		"amfcall: hint: the session is read at the start and written at the end, e.g. --session s.json\n"
	checkCase(t, cliCase{args: []string{"call", "--session", "-", "http://127.0.0.1:1/gw", "echo.echo"}, code: exitUsage, stderr: dash})
	checkCase(t, cliCase{args: []string{"logout", "--session", "-", "http://127.0.0.1:1/gw"}, code: exitUsage, stderr: dash})
	if _, err := os.Stat("-"); err == nil {
		os.Remove("-")
		t.Errorf(`--session - wrote a file "-"`)
	}
}

// TestDumpTextIsNotJSON: dump of text that starts like JSON but is none
// (a saved "400 Bad Request" page) said "this is JSON text"; it says it
// is text and shows its start. JSON still gets the convert hint. dump's
// help names --from socket (which it reads) and says nothing of AMF
// bytes on a terminal (it writes text).
func TestDumpTextIsNotJSON(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"dump"}, stdin: "400 Bad Request\n\nTo access this PyAMF gateway you must use POST requests (GET received)", code: exitInput,
		stderr: "amfcall: error: stdin: this is text, not AMF: \"400 Bad Request To access this PyAMF gateway you must use PO...\"\n" +
			"amfcall: hint: dump reads AMF: a packet, bare values, a .sol or FLV file, or hex or base64 text of them\n"})
	checkCase(t, cliCase{args: []string{"dump"}, stdin: "[1, 2]\n{\"a\": ", code: exitInput,
		stderr: "amfcall: error: stdin: this is JSON text, not AMF\namfcall: hint: convert it to AMF first: amfcall convert FILE | amfcall dump\n"})
	stdout, _, _ := run(t, []string{"dump", "--help"}, "", nil, false)
	if !strings.Contains(stdout, "flv, socket (AMF Socket frames)") || strings.Contains(stdout, "AMF bytes go to a terminal") {
		t.Errorf("dump --help:\n%s", stdout)
	}
}

// TestPublishFlexHeadersRefused: publish --message-header DSId=... sent a
// second DSId member beside amfcall's own, and DSSubtopic went round
// --subtopic's checks; names that start with DS are refused before
// anything is sent.
func TestPublishFlexHeadersRefused(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	for _, name := range []string{"DSId", "DSSubtopic"} {
		checkCase(t, cliCase{args: []string{"publish", "--message-header", name + `="x"`, srv.URL, "chat", "1"}, code: exitUsage,
			stderr: "amfcall: error: --message-header " + name + ": names that start with DS are Flex's own headers, which amfcall sets\n" +
				"amfcall: hint: use --subtopic for DSSubtopic, --priority for DSPriority, --session for the DSId, --endpoint for DSEndpoint\n"})
	}
	if n := len(sent()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestUserAndCredentialsHeader: -u and --amf-header Credentials=... both
// set the Credentials header; the header silently replaced -u's.
func TestUserAndCredentialsHeader(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"call", "--offline", "-u", "a:b", "--amf-header", `Credentials={"userid":"x","password":"y"}`, "http://127.0.0.1:1/", "echo.echo"},
		code: exitUsage, stderr: "amfcall: error: -u and --amf-header Credentials both set the Credentials header\n" +
			"amfcall: hint: give one: -u USER:PASSWORD sends {userid, password}; --amf-header 'Credentials=JSON' any other value\n"})
}

// TestUploadTraceSmallFileWhole: upload -v showed its streamed ByteArray
// cut ("$cut") whatever its size; one of up to 1 KiB is shown whole, as
// json-mapping.md says of any ByteArray in a -v trace. A larger one is
// still cut (it is streamed, never in memory).
func TestUploadTraceSmallFileWhole(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	small := writeFile(t, "small.bin", []byte("hello, world"))
	_, stderr, code := run(t, []string{"upload", "-v", u, "echo.echo", small}, "", nil, false)
	if want := `"value":[{"$amf3":{"$bytes":"aGVsbG8sIHdvcmxk"}}]`; code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("small: code %d, want %s in\n%s", code, want, stderr)
	}
	big := writeFile(t, "big.bin", make([]byte, 1025))
	_, stderr, code = run(t, []string{"upload", "-v", u, "echo.echo", big}, "", nil, false)
	if want := `"$size":1025,"$cut":true`; code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("big: code %d, want %s in\n%s", code, want, stderr)
	}
}

// TestPersistentHeaderNote: a call whose reply asks for a persistent AMF
// header (a login) says, without --session, that the header is lost when
// amfcall exits; the next call's "Session.Required" fault gave no clue.
func TestPersistentHeaderNote(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	checkCase(t, cliCase{args: []string{"call", u, "login", `"alice"`, `"pw"`}, stdout: `{"user":"alice","session":"started"}` + "\n",
		stderr: `amfcall: the gateway asked for the header "SessionToken" on every later request (RequestPersistentHeader); it is lost when amfcall exits: keep it with --session FILE` + "\n"})
	s := filepath.Join(t.TempDir(), "s.json")
	checkCase(t, cliCase{args: []string{"call", "--session", s, u, "login", `"alice"`, `"pw"`}, stdout: `{"user":"alice","session":"started"}` + "\n"})
	checkCase(t, cliCase{args: []string{"call", u, "echo.echo", "1"}, stdout: "1\n"})
}

// TestSubscribeForLongPoll: a gateway that holds a poll until a message
// comes (long polling) holds the last poll of --for too: subscribe gives
// it a few seconds, then ends as --for says, exit 0, having unsubscribed.
// The poll held when --for ends is that last poll: no other is sent.
func TestSubscribeForLongPoll(t *testing.T) {
	t.Parallel()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	var polls, unsubscribes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if p, err := amf.UnmarshalPacket(body); err == nil && len(p.Messages) == 1 {
			if a, ok := p.Messages[0].Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if m, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok && m.Class == amf.ClassCommandMessage {
					switch op, _ := amf.FlexField(m, "operation").(amf.Int); op {
					case 2:
						polls.Add(1)
						<-r.Context().Done() // no message comes
						return
					case 1:
						unsubscribes.Add(1)
					}
				}
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	stdout, stderr, code := run(t, []string{"subscribe", "--for", "300ms", srv.URL + "/", "chat"}, "", nil, false)
	if code != 0 || stdout != "" || stderr != "" || polls.Load() != 1 || unsubscribes.Load() != 1 {
		t.Errorf("code %d, %d polls, %d unsubscribes\nstdout %q\nstderr %s", code, polls.Load(), unsubscribes.Load(), stdout, stderr)
	}
}

// TestLineStreamsPrettyHelp: subscribe's and socket listen's --pretty
// said "(the default on a terminal)", which is not so for them: one JSON
// document a line, on a terminal too, unless --pretty.
func TestLineStreamsPrettyHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"subscribe", "--help"}, {"socket", "listen", "--help"}} {
		stdout, _, _ := run(t, args, "", nil, false)
		if !strings.Contains(stdout, "--pretty           indent each JSON document (they are one a line otherwise, on a terminal too)") ||
			strings.Contains(stdout, "the default on a terminal") {
			t.Errorf("%v:\n%s", args, stdout)
		}
	}
}

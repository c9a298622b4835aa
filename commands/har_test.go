package commands

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/har/pyamf.har is built from the PyAMF captures (see
// testdata/README.md): entry 1 a page, 2 unknown_service (base64 both
// ways), 3 echo_amf3_rich (request mangled to text by the browser), 4
// getSnapshots (reply not kept), 5 fail (base64 both ways).
const harFile = "../testdata/har/pyamf.har"

const (
	unknownReplyJSON = `{"version":0,"headers":[],"messages":[{"target":"/1/onStatus","response":"null","value":{"code":"Service.ResourceNotFound","description":"Unknown service nosuch.method","details":null,"level":"error","type":""}}]}`
	failReplyJSON    = `{"version":0,"headers":[],"messages":[{"target":"/1/onStatus","response":"null","value":{"code":"Echo.Failure","description":"boom","details":null,"level":"error","type":""}}]}`
	mangledMsg       = "the browser kept this binary body as text and replaced the bytes that are not UTF-8 (U+FFFD): the bytes sent are lost; export the HAR with bodies in base64, or capture with a proxy"
	notKeptMsg       = "the HAR file does not hold this body (the browser did not keep it)"
)

func TestConvertHAR(t *testing.T) {
	stdout, stderr, code := run(t, []string{"convert", harFile}, "", nil, false)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != exitInput || len(lines) != 4 {
		t.Fatalf("code %d, %d lines; stdout:\n%s\nstderr:\n%s", code, len(lines), stdout, stderr)
	}
	url := `"url":"http://127.0.0.1:8000/gateway","status":200`
	want := []string{
		`{"n":1,"entry":2,"method":"POST",` + url + `,"request":{"version":0,"headers":[],"messages":[{"target":"nosuch.method","response":"/1","value":[]}]},"response":` + unknownReplyJSON + `}`,
		`{"n":2,"entry":3,"method":"POST",` + url + `,"request_error":"` + mangledMsg + `","response":`,
		`{"n":3,"entry":4,"method":"POST",` + url + `,"request":{"version":0,"headers":[],"messages":[{"target":"getSnapshots","response":"/1","value":[]}]},"response_error":"` + notKeptMsg + `"}`,
		`{"n":4,"entry":5,"method":"POST",` + url + `,"request":{"version":0,"headers":[],"messages":[{"target":"echo.fail","response":"/1","value":["boom"]}]},"response":` + failReplyJSON + `}`,
	}
	for i, w := range want {
		if i == 1 {
			if !strings.HasPrefix(lines[i], w) || !strings.Contains(lines[i], `"target":"/1/onResult"`) {
				t.Errorf("line %d:\n got %s\nwant prefix %s", i+1, lines[i], w)
			}
			continue
		}
		if lines[i] != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, lines[i], w)
		}
	}
	wantErr := "amfcall: warning: cycle: the value at \"/messages/0/value/0\" contains itself; plain JSON writes {\"$ref\": \"/messages/0/value/0\"} where it recurs (the typed form keeps the cycle)\n" +
		"amfcall: warning: cycle: the value at \"/messages/0/value/1\" contains itself; plain JSON writes {\"$ref\": \"/messages/0/value/1\"} where it recurs (the typed form keeps the cycle)\n" +
		"amfcall: warning: " + harFile + ": AMF exchange 2 (entry 3): request: " + mangledMsg + "\n" +
		"amfcall: warning: " + harFile + ": AMF exchange 3 (entry 4): response: " + notKeptMsg + "\n" +
		"amfcall: error: " + harFile + ": 2 AMF bodies could not be read (see the *_error members)\n"
	if stderr != wantErr {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, wantErr)
	}
}

func TestConvertHARForced(t *testing.T) {
	// --from har on a JSON document that is not a HAR, and on no AMF.
	checkCase(t, cliCase{name: "not har", args: []string{"convert", "--from", "har", "-"}, stdin: `{"a": 1}`,
		stderr: "amfcall: error: stdin: json: not a HAR file: no \"log.entries\" array at line 1, column 1 (offset 0)\n", code: exitInput})
	checkCase(t, cliCase{name: "no amf", args: []string{"convert", "-"},
		stdin:  `{"log": {"entries": [{"request": {"method": "GET", "url": "http://x/"}, "response": {"status": 200, "content": {"mimeType": "text/html", "text": "hi"}}}]}}`,
		stderr: "amfcall: error: stdin: no AMF exchange in this HAR file (no request or reply of type application/x-amf)\namfcall: hint: export the HAR from the page that talks to the gateway, with the requests kept\n", code: exitInput})
	checkCase(t, cliCase{name: "to amf", args: []string{"convert", "--to", "amf3", harFile},
		stderr: "amfcall: error: a HAR file converts to JSON lines only, not to amf3\namfcall: hint: write the bytes of its N-th AMF request: amfcall call --offline --from-har " + shellWord(harFile) + "#N --save-request req.amf; or leave out --to for JSON lines\n", code: exitUsage})
}

func TestCallFromHAR(t *testing.T) {
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	checkCase(t, cliCase{name: "unknown", args: []string{"call", "--from-har", harFile + "#1", u},
		stdout: unknownReplyJSON + "\n",
		stderr: "amfcall: /1/onStatus: Service.ResourceNotFound: Unknown service nosuch.method\namfcall: error: the reply body is a fault\n", code: exitFault})
	checkCase(t, cliCase{name: "fail", args: []string{"call", "--from-har", harFile + "#4", u},
		stdout: failReplyJSON + "\n",
		stderr: "amfcall: /1/onStatus: Echo.Failure: boom\namfcall: error: the reply body is a fault\n", code: exitFault})
	// The bytes sent are the captured request's, byte for byte.
	reqs := gw.requests()
	if len(reqs) != 2 || !bytes.Equal(reqs[0], captureBytes(t, "default-unknown_service.request.amf")) ||
		!bytes.Equal(reqs[1], captureBytes(t, "default-fail.request.amf")) {
		t.Errorf("the gateway got %d requests, not the captured bytes: %x", len(reqs), reqs)
	}

	for _, tc := range []cliCase{
		{name: "which", args: []string{"call", "--from-har", harFile, u},
			stderr: "amfcall: error: --from-har " + harFile + ": the file holds 4 AMF requests; say which with " + harFile + "#N\namfcall: hint: list them with: amfcall convert " + harFile + "\n", code: exitUsage},
		{name: "too far", args: []string{"call", "--from-har", harFile + "#9", u},
			stderr: "amfcall: error: --from-har " + harFile + "#9: the file holds 4 AMF requests\namfcall: hint: N counts the AMF requests from 1; list them with: amfcall convert " + harFile + "\n", code: exitUsage},
		{name: "bad n", args: []string{"call", "--from-har", harFile + "#x", u},
			stderr: "amfcall: error: --from-har \"" + harFile + "#x\": want FILE#N with N a number from 1\namfcall: hint: N counts the AMF requests of the file from 1, e.g. --from-har session.har#2\n", code: exitUsage},
		{name: "mangled", args: []string{"call", "--from-har", harFile + "#2", u},
			stderr: "amfcall: error: --from-har " + harFile + "#2: " + mangledMsg + "\n", code: exitInput},
		{name: "with target", args: []string{"call", "--from-har", harFile + "#1", u, "echo.echo"},
			stderr: "amfcall: error: --from-har/--packet send a whole packet: no TARGET or ARG arguments (got \"echo.echo\")\namfcall: hint: to change its target or arguments, edit it as typed JSON: amfcall call --offline --from-har " + shellWord(harFile+"#1") + " > packet.json, edit packet.json, then amfcall call --packet packet.json " + u + "\n", code: exitUsage},
		{name: "with amf3", args: []string{"call", "--amf3", "--from-har", harFile + "#1", u},
			stderr: "amfcall: error: --from-har can't be used with --amf3\namfcall: hint: the packet is sent as it is; to change it, convert it to typed JSON, edit it, and send it with --packet\n", code: exitUsage},
		{name: "offline", args: []string{"call", "--offline", "--from-har", harFile + "#4"},
			stdout: `{"version":0,"headers":[],"messages":[{"target":"echo.fail","response":"/1","value":["boom"]}]}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	if n := len(gw.requests()); n != 2 {
		t.Errorf("the failed runs sent %d requests", n-2)
	}

	// -v names the size of what was sent: the captured request's bytes,
	// streamed, not the 0 bytes of an encoded body the trace never saw.
	_, stderr, _ := run(t, []string{"call", "-v", "--from-har", harFile + "#1", u}, "", nil, false)
	sent := len(captureBytes(t, "default-unknown_service.request.amf"))
	if want := fmt.Sprintf("* POST %s (%d bytes)\n", u, sent); !strings.Contains(stderr, want) {
		t.Errorf("-v does not say %q:\n%s", want, stderr)
	}
}

func TestCallPacket(t *testing.T) {
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	// Edit a captured request as typed JSON (echo.fail("boom") to
	// echo.fail("boom")), send it whole.
	stdout, stderr, code := run(t, []string{"convert", "--typed", captures + "default-fail.request.amf"}, "", nil, false)
	if code != 0 {
		t.Fatalf("convert: %d %s", code, stderr)
	}
	dir := t.TempDir()
	pkt := filepath.Join(dir, "p.json")
	if err := os.WriteFile(pkt, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{name: "packet", args: []string{"call", "--packet", pkt, u},
		stdout: failReplyJSON + "\n",
		stderr: "amfcall: /1/onStatus: Echo.Failure: boom\namfcall: error: the reply body is a fault\n", code: exitFault})
	if r := gw.requests(); len(r) != 1 || !bytes.Equal(r[0], captureBytes(t, "default-fail.request.amf")) {
		t.Errorf("the packet sent is not the captured request: %x", r)
	}
	// AMF bytes go as they are.
	raw := writeFile(t, "req.amf", captureBytes(t, "default-unknown_service.request.amf"))
	checkCase(t, cliCase{name: "amf bytes", args: []string{"call", "--packet", raw, u},
		stdout: unknownReplyJSON + "\n",
		stderr: "amfcall: /1/onStatus: Service.ResourceNotFound: Unknown service nosuch.method\namfcall: error: the reply body is a fault\n", code: exitFault})
	if r := gw.requests(); len(r) != 2 || !bytes.Equal(r[1], captureBytes(t, "default-unknown_service.request.amf")) {
		t.Errorf("the AMF packet sent is not the file's bytes: %x", r)
	}
	checkCase(t, cliCase{name: "stdin", args: []string{"call", "--packet", "-", u}, stdin: `{"messages": [`,
		stderr: "amfcall: error: --packet stdin: json: unexpected end of JSON input at line 1, column 15 (offset 14)\namfcall: hint: write the packet as amfcall convert --typed prints one: {\"version\": 0, \"headers\": [], \"messages\": [...]}\n", code: exitInput})
	checkCase(t, cliCase{name: "both", args: []string{"call", "--packet", pkt, "--from-har", harFile, u},
		stderr: "amfcall: error: --from-har can't be used with --packet\namfcall: hint: send one packet at a time\n", code: exitUsage})
	// --packet names its targets: only the URL is missing.
	checkCase(t, cliCase{name: "no url", args: []string{"call", "--packet", pkt},
		stderr: "amfcall: error: amfcall call: missing URL\namfcall: hint: usage: amfcall call --packet FILE URL\namfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n", code: exitUsage})
	// -q and -r select from the reply packet printed, as they do from a
	// call's result; -q 0 selects nothing from an object.
	checkCase(t, cliCase{name: "query", args: []string{"call", "--packet", pkt, u, "-q", "messages.0.value.code", "-r"},
		stdout: "Echo.Failure\n",
		stderr: "amfcall: /1/onStatus: Echo.Failure: boom\namfcall: error: the reply body is a fault\n", code: exitFault})
	checkCase(t, cliCase{name: "query 0", args: []string{"call", "--packet", pkt, u, "-q", "0"},
		stdout: "null\n",
		stderr: "amfcall: /1/onStatus: Echo.Failure: boom\namfcall: error: the reply body is a fault\n", code: exitFault})
	checkCase(t, cliCase{name: "offline query", args: []string{"call", "--offline", "--packet", pkt, "-q", "messages.0.target"},
		stdout: "\"echo.fail\"\n"})
}

// TestConvertHARMasksPasswords: a HAR records a URL as the page gave it,
// userinfo and all; convert prints it with the password masked (as -v
// prints URLs), and a URL that does not parse without its userinfo. The
// rest of the line is as it was.
func TestConvertHARMasksPasswords(t *testing.T) {
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	const plain = `"http://127.0.0.1:8000/gateway"`
	har := strings.Replace(string(data), plain, `"http://alice:s3cret@127.0.0.1:8000/gateway"`, 1)
	har = strings.Replace(har, plain, `"http://bob:p w%zz@127.0.0.1:8000/gateway?x=1"`, 1) // does not parse
	har = strings.Replace(har, plain, `"http://carol@127.0.0.1:8000/gateway"`, 1)          // no password
	stdout, _, _ := run(t, []string{"convert", "-"}, har, nil, false)
	want, _, _ := run(t, []string{"convert", harFile}, "", nil, false)
	for _, secret := range []string{"s3cret", "p w", "zz"} {
		if strings.Contains(stdout, secret) {
			t.Errorf("the password %q is printed:\n%s", secret, stdout)
		}
	}
	lines := strings.Split(want, "\n")
	for i, u := range []string{`"http://alice:xxxxx@127.0.0.1:8000/gateway"`, `"http://bob:xxxxx@127.0.0.1:8000/gateway?x=1"`, `"http://carol@127.0.0.1:8000/gateway"`} {
		lines[i] = strings.Replace(lines[i], plain, u, 1)
	}
	if got := strings.Join(lines, "\n"); stdout != got {
		t.Errorf("got:\n%s\nwant:\n%s", stdout, got)
	}
}

// TestConvertHAROutputLimit: an exchange whose JSON passes --max-output
// stops the conversion with the limit's error and hint, after the lines
// before it and the start of its own; it was a *_error member saying
// that the body "is not an AMF packet".
func TestConvertHAROutputLimit(t *testing.T) {
	stdout, stderr, code := run(t, []string{"convert", "--max-output", "300", harFile}, "", nil, false)
	wantErr := "amfcall: error: " + harFile + "#2 response: json: plain output exceeds 300 bytes"
	if code != exitInput || !strings.Contains(stderr, wantErr) || !strings.Contains(stderr, "hint: use the typed form") || strings.Contains(stderr, "not an AMF packet") {
		t.Errorf("code %d, stderr:\n%s", code, stderr)
	}
	full, _, _ := run(t, []string{"convert", harFile}, "", nil, false)
	if !strings.HasPrefix(full, stdout) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("stdout is not the first line and the start of the second:\n%s", stdout)
	}
}

package commands

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
	"github.com/amfcall/amfcall/client/gateway"
)

// callReplay is a gateway on 127.0.0.1 that answers with the recorded
// PyAMF replies in testdata/pyamf/captures, chosen by the request's
// targets (and header names, packet version, Flex operation).
type callReplay struct {
	*httptest.Server
	mu   sync.Mutex
	reqs [][]byte
}

type recorded struct {
	status      int
	contentType string
	body        []byte
}

func replayKeyOf(p *amf.Packet) string {
	var b strings.Builder
	b.WriteString("v" + strconv.Itoa(int(p.Version)))
	for _, h := range p.Headers {
		b.WriteString(" h:" + h.Name)
	}
	for _, m := range p.Messages {
		b.WriteString(" " + m.Target)
		if a, ok := m.Value.(*amf.Array); ok && m.Target == "null" && len(a.Dense) == 1 {
			if o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok {
				op, _ := o.Get("operation")
				s, _ := op.(string)
				b.WriteString(":" + s)
			}
		}
	}
	return b.String()
}

func loadRecorded(t *testing.T, name string) recorded {
	t.Helper()
	base := filepath.Join(captures, "default-"+name)
	hdr, err := os.ReadFile(base + ".response-headers.txt")
	if err != nil {
		t.Fatal(err)
	}
	var r recorded
	sc := bufio.NewScanner(bytes.NewReader(hdr))
	for first := true; sc.Scan(); first = false {
		if first {
			r.status, _ = strconv.Atoi(strings.Fields(sc.Text())[1])
		} else if v, ok := strings.CutPrefix(sc.Text(), "Content-Type: "); ok {
			r.contentType = v
		}
	}
	for _, ext := range []string{".response.amf", ".response.txt"} {
		if b, err := os.ReadFile(base + ext); err == nil {
			r.body = b
		}
	}
	return r
}

func newCallReplay(t *testing.T) *callReplay {
	t.Helper()
	byKey := map[string]recorded{}
	for _, name := range []string{"batch", "credentials", "fail", "flex_fail", "flex_ping", "flex_remoting",
		"getSnapshots_strict", "saveSnapshot_amf3", "secure_nocreds", "unknown_service"} {
		req, err := os.ReadFile(filepath.Join(captures, "default-"+name+".request.amf"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := amf.UnmarshalPacket(req)
		if err != nil {
			t.Fatal(err)
		}
		byKey[replayKeyOf(p)] = loadRecorded(t, name)
	}
	garbage := loadRecorded(t, "garbage")
	r := &callReplay{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, body)
		r.mu.Unlock()
		rec := garbage
		if p, err := amf.UnmarshalPacket(body); err == nil {
			var ok bool
			if rec, ok = byKey[replayKeyOf(p)]; !ok {
				http.Error(w, "no capture for "+replayKeyOf(p), 404)
				return
			}
		}
		w.Header().Set("Content-Type", rec.contentType)
		w.WriteHeader(rec.status)
		w.Write(amftest.RenumberReply(rec.body, body))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *callReplay) requests() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.reqs...)
}

func captureBytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(captures, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const snapshotsJSON = `["http://127.0.0.1:8000/images/",["jpg","png"],[{"name":"snapshot_y0rfzwu2.jpg"},{"name":"snapshot_snbe8_34.jpg"},{"name":"snapshot_xsl27n4m.jpg"}]]` + "\n"

func TestCallReplay(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	u := gw.URL + "/gateway"
	jpg := filepath.Join(captures, "tiny.jpg")
	failJSON := `{"code":"Echo.Failure","description":"boom","details":null,"level":"error","type":""}` + "\n"
	for _, tc := range []cliCase{
		{name: "result", args: []string{"call", u, "getSnapshots"}, stdout: snapshotsJSON},
		{name: "flags after args", args: []string{"call", u, "getSnapshots", "--compact"}, stdout: snapshotsJSON},
		{name: "fault", args: []string{"call", u, "echo.fail", `"boom"`}, code: 1,
			stdout: failJSON, stderr: "amfcall: error: Echo.Failure: boom\n"},
		{name: "fault via -d", args: []string{"call", "-d", `["boom"]`, u, "echo.fail"}, code: 1,
			stdout: failJSON, stderr: "amfcall: error: Echo.Failure: boom\n"},
		{name: "fault via -d -", args: []string{"call", "-d", "-", u, "echo.fail"}, stdin: ` [ "boom" ] `, code: 1,
			stdout: failJSON, stderr: "amfcall: error: Echo.Failure: boom\n"},
		{name: "unknown service", args: []string{"call", u, "nosuch.method"}, code: 1,
			stdout: `{"code":"Service.ResourceNotFound","description":"Unknown service nosuch.method","details":null,"level":"error","type":""}` + "\n",
			stderr: "amfcall: error: Service.ResourceNotFound: Unknown service nosuch.method\n" +
				"amfcall: hint: amfcall list " + u + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + u + " guesses names\n"},
		{name: "credentials", args: []string{"call", "-u", "alice:wonderland", u, "secure.whoami"}, stdout: `"alice"` + "\n"},
		{name: "no credentials", args: []string{"call", u, "secure.whoami"}, code: 1,
			stdout: `{"code":"AuthenticationError","description":"Authentication failed","details":"","level":"error","type":""}` + "\n",
			stderr: "amfcall: error: AuthenticationError: Authentication failed\n" +
				"amfcall: hint: the method wants credentials: add -u USER:PASSWORD (the AMF Credentials header, as NetConnection.setCredentials sends it)\n"},
		{name: "bytearray amf3", args: []string{"call", "--amf3", u, "ByteArray.saveSnapshot", "@" + jpg, `"jpg"`},
			stdout: `{"url":"http://127.0.0.1:8000/images/snapshot_8c_t_nje.jpg","name":"snapshot_8c_t_nje.jpg"}` + "\n"},
		{name: "bytearray typed", args: []string{"call", "--amf3", "--typed", u, "ByteArray.saveSnapshot", "@" + jpg, `"jpg"`},
			stdout: `{"url":"http://127.0.0.1:8000/images/snapshot_8c_t_nje.jpg","name":"snapshot_8c_t_nje.jpg"}` + "\n"},
		{name: "query raw", args: []string{"call", u, "getSnapshots", "-q", "2.#.name", "-r"},
			stdout: "snapshot_y0rfzwu2.jpg\nsnapshot_snbe8_34.jpg\nsnapshot_xsl27n4m.jpg\n"}, // one a line, as jq -r '.[]'
		{name: "query string raw", args: []string{"call", u, "getSnapshots", "-q", "2.1.name", "-r"}, stdout: "snapshot_snbe8_34.jpg\n"},
		{name: "query string", args: []string{"call", u, "getSnapshots", "-q", "2.1.name"}, stdout: `"snapshot_snbe8_34.jpg"` + "\n"},
		{name: "query missing", args: []string{"call", u, "getSnapshots", "-q", "7"}, stdout: "null\n"},
		{name: "query pretty", args: []string{"call", "--pretty", u, "getSnapshots", "-q", "1"}, stdout: "[\n  \"jpg\",\n  \"png\"\n]\n"},
		{name: "flex", args: []string{"call", "--flex", u, "echo.echo", `[1, "two"]`}, stdout: `[1,"two"]` + "\n",
			stderr: "amfcall: warning: the acknowledgement's correlationId"},
		{name: "flex fault", args: []string{"call", "--flex", u, "echo.fail", `"flex boom"`, "-q", "faultString"}, code: 1,
			stdout: `{"faultCode":"Echo.Failure","faultString":"flex boom","faultDetail":null,"rootCause":{"message":"flex boom","name":"EchoFailure"},"extendedData":null}` + "\n",
			stderr: "amfcall: warning: the acknowledgement's correlationId",
		},
		{name: "env url", args: []string{"call", "getSnapshots"}, env: map[string]string{"NO_COLOR": "1", "AMFCALL_URL": u}, stdout: snapshotsJSON},
		{name: "url beats env", args: []string{"call", u, "getSnapshots"}, env: map[string]string{"NO_COLOR": "1", "AMFCALL_URL": "http://127.0.0.1:1/"}, stdout: snapshotsJSON},
		{name: "batch", args: []string{"call", "--batch", "-", u},
			stdin: `{"target": "echo.echo", "args": ["first"]}` + "\n\n" + `{"target":"echo.fail","args":["second"]}` + "\r\n" + `{"target":"getSnapshots"}`,
			code:  1,
			stdout: `{"target":"echo.echo","result":"first"}` + "\n" +
				`{"target":"echo.fail","fault":{"code":"Echo.Failure","description":"second","details":null,"level":"error","type":""}}` + "\n" +
				`{"target":"getSnapshots","result":["http://127.0.0.1:8000/images/",["jpg","png"],[{"name":"snapshot_8c_t_nje.jpg"},{"name":"snapshot_y0rfzwu2.jpg"},{"name":"snapshot_snbe8_34.jpg"},{"name":"snapshot_xsl27n4m.jpg"}]]}` + "\n",
			stderr: "amfcall: echo.fail (/2): Echo.Failure: second\namfcall: error: 1 of 3 calls answered with a fault\n"},
		{name: "batch query", args: []string{"call", "--batch", "-", u, "-q", "result.1", "-r"},
			stdin: `{"target":"echo.echo","args":["first"]}` + "\n" +
				`{"target":"echo.fail","args":["second"]}` + "\n" + `{"target":"getSnapshots","args":[]}` + "\n",
			code:   1,
			stdout: "null\nnull\n[\"jpg\",\"png\"]\n",
			stderr: "amfcall: echo.fail (/2): Echo.Failure: second\namfcall: error: 1 of 3 calls answered with a fault\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if strings.HasPrefix(tc.name, "flex") {
				// The recorded acknowledgements (of the ping, then of
				// the call) answer other message ids than our random
				// ones, which amfcall warns about.
				stdout, stderr, code := run(t, tc.args, tc.stdin, tc.env, tc.term)
				lines := strings.Count(stderr, "\n")
				if code != tc.code || stdout != tc.stdout || !strings.HasPrefix(stderr, tc.stderr) || lines != 2 ||
					(tc.code == 1 && !strings.HasSuffix(stderr, "amfcall: error: Echo.Failure: flex boom\n")) {
					t.Errorf("got code %d\nstdout %s\nstderr %s", code, stdout, stderr)
				}
				return
			}
			checkCase(t, tc)
		})
	}
}

// TestCallRequestsMatchCaptures checks that what amfcall sends for the
// recorded calls is what the recorded client sent, byte for byte.
func TestCallRequestsMatchCaptures(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	jpg := filepath.Join(captures, "tiny.jpg")
	for _, tc := range []struct {
		capture string
		args    []string
		stdin   string
	}{
		{"getSnapshots_strict", []string{"getSnapshots"}, ""},
		{"fail", []string{"echo.fail", `"boom"`}, ""},
		{"credentials", []string{"-u", "alice:wonderland", "secure.whoami"}, ""},
		{"saveSnapshot_amf3", []string{"--amf3", "ByteArray.saveSnapshot", "@" + jpg, `"jpg"`}, ""},
		{"batch", []string{"--batch", "-"}, `{"target":"echo.echo","args":["first"]}` + "\n" +
			`{"target":"echo.fail","args":["second"]}` + "\n" + `{"target":"getSnapshots","args":[]}` + "\n"},
	} {
		t.Run(tc.capture, func(t *testing.T) {
			dir := t.TempDir()
			req, resp := filepath.Join(dir, "req.amf"), filepath.Join(dir, "resp.amf")
			args := append([]string{"call", "--save-request", req, "--save-response", resp, gw.URL}, tc.args...)
			run(t, args, tc.stdin, nil, false)
			reqs := gw.requests()
			want := captureBytes(t, "default-"+tc.capture+".request.amf")
			if got := reqs[len(reqs)-1]; !bytes.Equal(got, want) {
				t.Errorf("sent %x\nwant %x", got, want)
			}
			if saved, _ := os.ReadFile(req); !bytes.Equal(saved, want) {
				t.Errorf("--save-request wrote %x", saved)
			}
			if saved, _ := os.ReadFile(resp); !bytes.Equal(saved, captureBytes(t, "default-"+tc.capture+".response.amf")) {
				t.Errorf("--save-response wrote %x", saved)
			}
		})
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// acceptAll listens on 127.0.0.1 until the test ends and hands each
// connection to serve, in a goroutine of its own; it returns the address.
func acceptAll(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go serve(nc)
		}
	}()
	return ln.Addr().String()
}

func TestCallFailures(t *testing.T) {
	t.Parallel()
	addr := closedPort(t)
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		io.WriteString(w, "<html><body>Internal\nServer Error</body></html>")
	}))
	defer html.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html><title>Welcome</title>")
	}))
	defer page.Close()
	full := captureBytes(t, "default-fail.response.amf")
	truncated := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(full[:40])
	}))
	defer truncated.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer slow.Close()
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Header().Set("Content-Length", "2048")
		w.Write(make([]byte, 2048))
	}))
	defer big.Close()
	for _, tc := range []cliCase{
		{name: "refused", args: []string{"call", "http://" + addr + "/gw", "svc.m"}, code: 3,
			stderr: "amfcall: error: connection refused (http://" + addr + "/gw); is the gateway running? check the host and port in the URL\n"},
		{name: "html 500", args: []string{"call", html.URL, "svc.m"}, code: 3,
			stderr: "amfcall: error: unexpected HTTP status (" + html.URL + "): HTTP 500 Internal Server Error; the reply starts with: \"<html><body>Internal Server Error</body></html>\"; the gateway failed; its reply or its log may say why\n"},
		{name: "not amf", args: []string{"call", page.URL, "svc.m"}, code: 3,
			stderr: "amfcall: error: reply is not application/x-amf (" + page.URL + "): HTTP 200 OK: got text/html; the reply starts with: \"<!DOCTYPE html><title>Welcome</title>\"; check that the URL is the AMF gateway (the path matters), not a web page\n"},
		{name: "truncated", args: []string{"call", truncated.URL, "svc.m"}, code: 3,
			stderr: "amfcall: error: the reply from " + truncated.URL + " is not a valid AMF packet: amf0: length 12 exceeds the 1 bytes left: unexpected EOF within \"/messages/0/value/code\" at offset 37\namfcall: hint: keep the reply's bytes with --save-response FILE; amfcall dump FILE then shows each byte up to the fault\n"},
		{name: "timeout", args: []string{"call", "--timeout", "0.2", slow.URL, "svc.m"}, code: 3,
			stderr: "amfcall: error: timed out (" + slow.URL + "): no complete reply within 200ms; the gateway is slow or stuck\namfcall: hint: raise --timeout (0 is no limit)\n"},
		{name: "too big", args: []string{"call", "--max-response-size", "1K", big.URL, "svc.m"}, code: 3,
			stderr: "amfcall: error: reply too large (" + big.URL + "): Content-Length is 2048 bytes; the limit is 1024 bytes\namfcall: hint: raise --max-response-size\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestCallInputErrors(t *testing.T) {
	t.Parallel()
	addr := closedPort(t) // never reached: the input fails first
	u := "http://" + addr + "/"
	for _, tc := range []cliCase{
		{name: "bare word", args: []string{"call", u, "svc.m", "hello"}, code: 4,
			stderr: "amfcall: error: argument 1: json: invalid character 'h' looking for beginning of value at offset *\n" +
				"amfcall: hint: arguments are JSON: write a string with its quotes, e.g. '\"hello\"'\n"},
		{name: "bad json", args: []string{"call", u, "svc.m", "1", `{"a":}`}, code: 4,
			stderr: "amfcall: error: argument 2: json: invalid character '}' looking for beginning of value at offset *\n"},
		{name: "bad -d", args: []string{"call", "-d", "[1,", u, "svc.m"}, code: 4,
			stderr: "amfcall: error: -d: json: unexpected end of JSON input at line 1, column 4 (offset 3)\n"},
		{name: "bad amf header", args: []string{"call", "--amf-header", "X={", u, "svc.m"}, code: 4,
			stderr: "amfcall: error: --amf-header X: json: unexpected end of JSON input at line 1, column 2 (offset 1)\n"},
		{name: "bad batch line", args: []string{"call", "--batch", "-", u}, stdin: "{\"target\":\"a.b\"}\n[1]\n", code: 4,
			stderr: "amfcall: error: --batch stdin line 2, column 1: want an object {\"target\": \"svc.method\", \"args\": [...]}\n"},
		{name: "batch unknown key", args: []string{"call", "--batch", "-", u}, stdin: `{"target":"a.b","arg":[1]}`, code: 4,
			stderr: "amfcall: error: --batch stdin line 1, column 17: unknown key \"arg\" (want \"target\" and \"args\")\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if before, after, ok := strings.Cut(tc.stderr, "at offset *"); ok {
				// The offset is convert's business; the rest is ours.
				_, stderr, code := run(t, tc.args, tc.stdin, nil, false)
				if code != tc.code || !strings.HasPrefix(stderr, strings.TrimSuffix(before, "offset *")) || !strings.Contains(stderr, "at line 1, column ") || !strings.HasSuffix(stderr, after) {
					t.Errorf("code %d stderr %s", code, stderr)
				}
				return
			}
			checkCase(t, tc)
		})
	}
}

func TestCallUsageErrors(t *testing.T) {
	t.Parallel()
	u := "http://127.0.0.1:1/"
	usage := "amfcall: hint: usage: amfcall call URL TARGET [ARG...]\n"
	for _, tc := range []cliCase{
		{name: "nothing", args: []string{"call"}, code: 2,
			stderr: "amfcall: error: amfcall call: missing URL and TARGET\n" + usage +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		{name: "no url", args: []string{"call", "svc.m"}, code: 2,
			stderr: "amfcall: error: amfcall call: missing URL\n" + usage +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		{name: "no target", args: []string{"call", u}, code: 2,
			stderr: "amfcall: error: amfcall call: missing TARGET\n" + usage},
		{name: "no scheme", args: []string{"call", "localhost:8000/gw", "svc.m"}, code: 2,
			stderr: "amfcall: error: invalid gateway URL \"localhost:8000/gw\": want an http:// or https:// URL\n" +
				"amfcall: hint: write the gateway URL with its scheme: http://localhost:8000/gw (or https://)\n"},
		// An IP address and port: url.Parse's own reason was given ("first
		// path segment in URL cannot contain colon").
		{name: "no scheme, address", args: []string{"call", "127.0.0.1:8000/gw", "svc.m"}, code: 2,
			stderr: "amfcall: error: invalid gateway URL \"127.0.0.1:8000/gw\": want an http:// or https:// URL\n" +
				"amfcall: hint: write the gateway URL with its scheme: http://127.0.0.1:8000/gw (or https://)\n"},
		{name: "user", args: []string{"call", "-u", "alice", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: -u alice has no password, and there is no " + passwordTTY + " to ask for it on\namfcall: hint: set AMFCALL_PASSWORD to the password, or give -u alice:PASSWORD\n"},
		{name: "header", args: []string{"call", "-H", "NoColon", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: -H \"NoColon\": want 'Name: value'\namfcall: hint: for example -H 'Authorization: Bearer TOKEN'\n"},
		{name: "data and args", args: []string{"call", "-d", "[1]", u, "svc.m", "2"}, code: 2,
			stderr: "amfcall: error: -d/--data can't be used with ARG arguments\namfcall: hint: put every argument in the -d array, or give them all as ARGs\n"},
		{name: "data not array", args: []string{"call", "-d", `{"a":1}`, u, "svc.m"}, code: 2,
			stderr: "amfcall: error: -d: the argument list must be a JSON array\namfcall: hint: wrap the arguments in [...]: -d '[\"hello\", 1]'\n"},
		{name: "batch and target", args: []string{"call", "--batch", "x", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --batch can't be used with TARGET and ARG arguments (got \"svc.m\")\namfcall: hint: the batch file names the targets\n"},
		{name: "batch and data", args: []string{"call", "--batch", "x", "-d", "[]", u}, code: 2,
			stderr: "amfcall: error: --batch can't be used with -d/--data\namfcall: hint: give each call's arguments in the batch file\n"},
		{name: "empty batch", args: []string{"call", "--batch", "-", u}, stdin: "\n\n", code: 2,
			stderr: "amfcall: error: --batch stdin: no calls in it\namfcall: hint: write one {\"target\": ..., \"args\": [...]} per line\n"},
		{name: "timeout", args: []string{"call", "--timeout", "soon", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --timeout: invalid duration \"soon\"\namfcall: hint: give a duration such as 30s, 2m or 90\n"},
		{name: "size", args: []string{"call", "--max-response-size", "-1", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --max-response-size: invalid size \"-1\"\namfcall: hint: give a byte count such as 1048576, 100M or 1G\n"},
		{name: "missing file arg", args: []string{"call", u, "svc.m", "@/nonexistent/x.jpg"}, code: 2,
			stderr: "amfcall: error: argument 1: open /nonexistent/x.jpg: no such file or directory\namfcall: hint: check the file name; use @- for stdin\n"},
		{name: "empty stdin", args: []string{"call", "-d", "-", u, "svc.m"}, stdin: "", code: 4},
		{name: "save to stdout", args: []string{"call", "--save-request", "-", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --save-request/--save-response need a file name, not -\namfcall: hint: stdout carries the JSON result\n"},
		{name: "offline save response", args: []string{"call", "--offline", "--save-response", "x", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --offline can't be used with --save-response\namfcall: hint: nothing is received with --offline\n"},
		{name: "must understand alone", args: []string{"call", "--must-understand", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --must-understand needs --amf-header\n"},
		{name: "cacert", args: []string{"call", "--cacert", "/nonexistent/ca.pem", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: --cacert: open /nonexistent/ca.pem: no such file or directory\namfcall: hint: give a PEM file of CA certificates\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "empty stdin" {
				// An empty stdin is not a JSON array: malformed input.
				_, stderr, code := run(t, tc.args, tc.stdin, nil, false)
				if code != 4 || !strings.Contains(stderr, "-d -: json: no JSON value in the input") {
					t.Errorf("code %d stderr %s", code, stderr)
				}
				return
			}
			checkCase(t, tc)
		})
	}
	// Two readers of stdin.
	_, stderr, code := run(t, []string{"call", u, "svc.m", "@-", "@-"}, "x", nil, false)
	if code != 2 || !strings.Contains(stderr, "stdin is already read by") {
		t.Errorf("@- twice: code %d %s", code, stderr)
	}
}

func TestCallOffline(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	dir := t.TempDir()
	req := filepath.Join(dir, "req.amf")
	stdout, stderr, code := run(t, []string{"call", "--offline", "--save-request", req, "-u", "alice:wonderland", gw.URL, "secure.whoami"}, "", nil, false)
	want := `{"version":0,"headers":[{"name":"Credentials","mustUnderstand":true,"value":{"userid":"alice","password":"wonderland"}}],"messages":[{"target":"secure.whoami","response":"/1","value":[]}]}` + "\n"
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if n := len(gw.requests()); n != 0 {
		t.Errorf("--offline sent %d requests", n)
	}
	if b, _ := os.ReadFile(req); !bytes.Equal(b, captureBytes(t, "default-credentials.request.amf")) {
		t.Errorf("--save-request wrote %x", b)
	}
	// No URL is needed offline; AMF3 wraps every value.
	stdout, _, code = run(t, []string{"call", "--offline", "--amf3", "svc.m", "1", `"s"`}, "", nil, false)
	if code != 0 || stdout != `{"version":3,"headers":[],"messages":[{"target":"svc.m","response":"/1","value":[{"$amf3":1},{"$amf3":"s"}]}]}`+"\n" {
		t.Errorf("code %d stdout %s", code, stdout)
	}
}

func TestCallVerbose(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	_, stderr, code := run(t, []string{"call", "-v", "-u", "alice:wonderland", gw.URL, "secure.whoami"}, "", nil, false)
	want := "* POST " + gw.URL + " (95 bytes)\n" +
		"* request packet:\n" +
		`{"version":0,"headers":[{"name":"Credentials","mustUnderstand":true,"value":{"userid":"alice","password":"***"}}],"messages":[{"target":"secure.whoami","response":"/1","value":[]}]}` + "\n" +
		"* reply packet (37 bytes):\n" +
		`{"version":0,"headers":[],"messages":[{"target":"/1/onResult","response":"null","length":0,"value":"alice"}]}` + "\n"
	if code != 0 || stderr != want {
		t.Errorf("code %d stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	_, stderr, code = run(t, []string{"call", "-v", "-v", "-H", "Authorization: Bearer s3cret", gw.URL, "getSnapshots"}, "", nil, false)
	for _, line := range []string{
		"> POST /\n", "> Authorization: Bearer ***\n", "> Content-Type: application/x-amf\n",
		"> User-Agent: amfcall/", "< HTTP/1.1 200 OK\n", "< Content-Type: application/x-amf\n", "* timings: ",
	} {
		if !strings.Contains(stderr, line) {
			t.Errorf("-v -v output lacks %q:\n%s", line, stderr)
		}
	}
	if code != 0 || strings.Contains(stderr, "s3cret") {
		t.Errorf("code %d, stderr:\n%s", code, stderr)
	}
}

func TestCallTerminal(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	stdout, _, _ := run(t, []string{"call", gw.URL, "getSnapshots", "-q", "1"}, "", plainEnv, true)
	if stdout != "[\n  \"jpg\",\n  \"png\"\n]\n" {
		t.Errorf("terminal, NO_COLOR: %q", stdout)
	}
	stdout, _, _ = run(t, []string{"call", gw.URL, "getSnapshots", "-q", "1"}, "", map[string]string{"TERM": "xterm"}, true)
	if stdout != "[\n  \x1b[32m\"jpg\"\x1b[0m,\n  \x1b[32m\"png\"\x1b[0m\n]\n" {
		t.Errorf("terminal, colour: %q", stdout)
	}
	stdout, _, _ = run(t, []string{"call", gw.URL, "secure.whoami", "-u", "alice:wonderland"}, "", map[string]string{"TERM": "xterm"}, true)
	if stdout != "\x1b[32m\"alice\"\x1b[0m\n" {
		t.Errorf("terminal, colour: %q", stdout)
	}
}

// TestCallSession runs amfcall twice with one session file against a
// gateway that sets a cookie, rewrites its URL and asks for a persistent
// header on the first call.
func TestCallSession(t *testing.T) {
	t.Parallel()
	type seen struct {
		uri, cookie string
		headers     []string
	}
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		s := seen{uri: r.RequestURI, cookie: r.Header.Get("Cookie")}
		for _, h := range req.Headers {
			js, _ := amf.Marshal(h.Value, amf.AMF0)
			s.headers = append(s.headers, h.Name+"="+strconv.Quote(string(js)))
		}
		mu.Lock()
		first := len(got) == 0
		got = append(got, s)
		mu.Unlock()
		p := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}}
		if first {
			http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: "abc", Path: "/"})
			p.Headers = []amf.Header{
				{Name: "AppendToGatewayUrl", Value: ";jsessionid=abc"},
				{Name: "RequestPersistentHeader", Value: &amf.Object{Members: []amf.Member{
					{Name: "name", Value: "Token"}, {Name: "mustUnderstand", Value: false}, {Name: "data", Value: "t-1"}}}},
			}
		}
		out, _ := amf.MarshalPacket(p)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	defer srv.Close()
	session := filepath.Join(t.TempDir(), "s.json")
	for i := 0; i < 2; i++ {
		stdout, stderr, code := run(t, []string{"call", "--session", session, srv.URL + "/gw", "svc.m"}, "", nil, false)
		if code != 0 || stdout != "\"ok\"\n" || stderr != "" {
			t.Fatalf("run %d: code %d stdout %q stderr %q", i+1, code, stdout, stderr)
		}
	}
	if len(got) != 2 {
		t.Fatalf("%d requests", len(got))
	}
	if got[0].uri != "/gw" || got[0].cookie != "" || len(got[0].headers) != 0 {
		t.Errorf("first request %+v", got[0])
	}
	if got[1].uri != "/gw;jsessionid=abc" || got[1].cookie != "JSESSIONID=abc" ||
		len(got[1].headers) != 1 || got[1].headers[0] != `Token="\x02\x00\x03t-1"` {
		t.Errorf("second request %+v", got[1])
	}
	st, err := os.Stat(session)
	if err != nil {
		t.Fatal(err)
	}
	if !permIs(st.Mode(), 0o600) {
		t.Errorf("session file mode %v", st.Mode())
	}
	data, _ := os.ReadFile(session)
	for _, want := range []string{`"append": ";jsessionid=abc"`, `"name": "JSESSIONID"`, `"value": "t-1"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("session file lacks %s:\n%s", want, data)
		}
	}
	// A damaged session file is malformed input.
	os.WriteFile(session, []byte("{"), 0o600)
	_, stderr, code := run(t, []string{"call", "--session", session, srv.URL + "/gw", "svc.m"}, "", nil, false)
	if code != 4 || !strings.Contains(stderr, "--session "+session+": the session file is not valid") {
		t.Errorf("code %d stderr %s", code, stderr)
	}
}

// A fault that names an unknown service or method says where to find
// the right name (list, probe, describe), without the URL's password;
// other faults get no such hint.
func TestCallUnknownTargetHint(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	withPassword := strings.Replace(url, "http://", "http://u:secret@", 1)
	redacted := strings.Replace(url, "http://", "http://u:xxxxx@", 1)
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"call", url, "nosuch.method"}, "amfcall: error: Service.ResourceNotFound: Unknown service nosuch.method\n" +
			"amfcall: hint: amfcall list " + url + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + url + " guesses names\n"},
		{[]string{"call", withPassword, "nosuch.method"}, "amfcall: error: Service.ResourceNotFound: Unknown service nosuch.method\n" +
			"amfcall: hint: amfcall list " + redacted + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + redacted + " guesses names\n"},
		{[]string{"call", url, "echo.nosuch"}, "amfcall: error: Service.MethodNotFound: Unknown method echo.nosuch\n" +
			"amfcall: hint: amfcall describe " + url + " echo shows the service's methods, where the gateway says\n"},
		{[]string{"call", url, "echo.fail", `"x"`}, "amfcall: error: Echo.Failure: x\n"},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, false)
		if code != 1 || stderr != tc.stderr || !strings.HasPrefix(stdout, `{"code":`) {
			t.Errorf("%q: code %d\nstdout %s\nstderr %s\nwant   %s", tc.args, code, stdout, stderr, tc.stderr)
		}
	}
}

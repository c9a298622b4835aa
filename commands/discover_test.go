package commands

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/discover"
	"github.com/amfcall/amfcall/client/gateway"
)

// serveGateway runs amfcall's own gateway on 127.0.0.1 and points the
// user cache folder at a temporary one.
func serveGateway(t *testing.T) string {
	t.Helper()
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	_, u := startGateway(t, gateway.Options{})
	return u
}

func TestListDescribe(t *testing.T) {
	u := serveGateway(t)
	for _, tc := range []cliCase{
		{name: "list", args: []string{"list", u},
			stdout: "getSnapshots\nlogin\nlogout\nByteArray\namfcall\necho\nsecure\nsession\n"},
		{name: "describe", args: []string{"describe", u, "echo"},
			stdout: "echo: returns what it is sent, or fails on request\n" +
				"  echo(value: *) -> *\n      returns its argument (several come back as an array, none as null)\n" +
				"  fail(message: String) -> void\n      answers a fault (code Echo.Failure) whose description is its argument\n"},
		{name: "describe method", args: []string{"describe", u, "ByteArray.saveSnapshot"},
			stdout: "ByteArray.saveSnapshot(bytes: ByteArray, type: String) -> Object\n    saves an image and returns {url, name}\n"},
		{name: "describe json", args: []string{"describe", "--format", "json", "--pretty", u, "secure.whoami"},
			stdout: "{\n  \"dialect\": \"amfcall\",\n  \"service\": \"secure\",\n  \"method\": {\n    \"name\": \"whoami\",\n" +
				"    \"description\": \"returns the caller's user name (null without credentials)\",\n    \"params\": [],\n    \"returns\": \"String\"\n  }\n}\n"},
		{name: "describe a method list shows without a service", args: []string{"describe", u, "getSnapshots"},
			stdout: "getSnapshots() -> Array\n    lists the saved snapshots: [base URL, [types], ArrayCollection of {name}]\n"},
		{name: "no service", args: []string{"describe", u, "nosuch"}, code: exitUsage,
			stderr: "amfcall: error: \"nosuch\" is not in what the gateway's discovery service (amfcall) lists; it lists the services ByteArray, amfcall, echo, secure, session, and methods called without a service: getSnapshots, login, logout\n" +
				"amfcall: hint: amfcall list " + u + " shows every service\n"},
		{name: "no method", args: []string{"describe", u, "echo.nosuch"}, code: exitUsage,
			stderr: "amfcall: error: service \"echo\" has no method \"nosuch\" in what the gateway's discovery service (amfcall) says\n" +
				"amfcall: hint: amfcall describe " + u + " echo lists its methods\n"},
		{name: "format", args: []string{"list", "--format", "yaml", u}, code: exitUsage,
			stderr: "amfcall: error: invalid --format value \"yaml\"\namfcall: hint: use --format text or --format json\n"},
		{name: "no service arg", args: []string{"describe", u}, code: exitUsage,
			stderr: "amfcall: error: amfcall describe: missing SERVICE\namfcall: hint: usage: amfcall describe URL SERVICE[.METHOD]\n" +
				"amfcall: hint: amfcall list " + u + " shows the services\n"},
		{name: "no args", args: []string{"describe"}, code: exitUsage,
			stderr: "amfcall: error: amfcall describe: missing URL\namfcall: hint: usage: amfcall describe URL SERVICE[.METHOD]\n" +
				"amfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		// AMFCALL_URL is the gateway when no URL is given, as for call.
		{name: "list AMFCALL_URL", args: []string{"list"}, env: map[string]string{"AMFCALL_URL": u},
			stdout: "getSnapshots\nlogin\nlogout\nByteArray\namfcall\necho\nsecure\nsession\n"},
		{name: "describe AMFCALL_URL", args: []string{"describe", "echo.fail"}, env: map[string]string{"AMFCALL_URL": u},
			stdout: "echo.fail(message: String) -> void\n    answers a fault (code Echo.Failure) whose description is its argument\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}

	if stdout, stderr, code := run(t, []string{"probe"}, "", map[string]string{"AMFCALL_URL": u}, false); code != 0 || !strings.HasPrefix(stdout, "amfcall serve\n") {
		t.Errorf("probe with AMFCALL_URL: %d %s\n%s", code, stderr, stdout)
	}

	// list --format json is one document with every method.
	stdout, stderr, code := run(t, []string{"list", "--format", "json", u}, "", nil, false)
	var doc struct {
		Dialect  string `json:"dialect"`
		Services []struct {
			Name    string `json:"name"`
			Methods []struct {
				Name string `json:"name"`
			} `json:"methods"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || stderr != "" ||
		doc.Dialect != "amfcall" || len(doc.Services) != 6 || doc.Services[3].Name != "echo" || len(doc.Services[3].Methods) != 2 {
		t.Errorf("list --format json: %d %v %s\n%s", code, err, stderr, stdout)
	}

	// What list found completes "call URL <TAB>", from the cache only.
	stdout, _, _ = run(t, []string{"call", u, "echo.", "--generate-bash-completion"}, "", nil, false)
	if stdout != "echo.echo\necho.fail\n" {
		t.Errorf("completion of call URL echo.: %q", stdout)
	}
	// bench and upload take URL TARGET as call does.
	stdout, _, _ = run(t, []string{"bench", "-c", "2", u, "echo.", "--generate-bash-completion"}, "", nil, false)
	if stdout != "echo.echo\necho.fail\n" {
		t.Errorf("completion of bench URL echo.: %q", stdout)
	}
	stdout, _, _ = run(t, []string{"upload", u, "Byte", "--generate-bash-completion"}, "", nil, false)
	if stdout != "ByteArray.getSnapshots\nByteArray.saveSnapshot\n" {
		t.Errorf("completion of upload URL Byte: %q", stdout)
	}
	stdout, _, _ = run(t, []string{"describe", "-k", u, "Byte", "--generate-bash-completion"}, "", nil, false)
	if stdout != "ByteArray\nByteArray.getSnapshots\nByteArray.saveSnapshot\n" {
		t.Errorf("completion of describe URL Byte: %q", stdout)
	}
	stdout, _, _ = run(t, []string{"call", "http://127.0.0.1:1/", "", "--generate-bash-completion"}, "", nil, false)
	if stdout != "" {
		t.Errorf("completion for a URL never listed: %q", stdout)
	}
}

func TestListNoDiscovery(t *testing.T) {
	// A gateway that answers every call with PyAMF's recorded "Unknown
	// service" fault, under the call's response number.
	reply, err := amf.UnmarshalPacket(captureBytes(t, "default-unknown_service.response.amf"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		p := *reply
		p.Messages = []amf.Message{reply.Messages[0]}
		p.Messages[0].Target = req.Messages[0].Response + "/onStatus"
		out, _ := amf.MarshalPacket(&p)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/gateway"
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	checkCase(t, cliCase{name: "list", args: []string{"list", u}, code: exitFault,
		stderr: "amfcall: error: the gateway offers no discovery service amfcall knows (tried amfcall.discover, AmfphpDiscoveryService.discover, amfphp.DiscoveryService.getServices); its faults are worded as PyAMF's\n" +
			"amfcall: hint: amfcall probe " + u + " tells what the gateway is\n" +
			"amfcall: hint: amfcall probe --wordlist FILE " + u + " guesses service and method names from its faults\n"})
}

// TestListAnswersAnything: a gateway that answers every call with a
// result (here a string) has no discovery service; list and describe say
// so, with what it answered, rather than an internal error. No fault was
// answered, so not exit 1 (cli.md: the remote answered with a fault) but
// 4, an answer of the wrong shape.
func TestListAnswersAnything(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onResult", Response: "null", Value: "welcome"}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	u := srv.URL + "/gateway"
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	hints := "amfcall: hint: amfcall probe " + u + " tells what the gateway is\n" +
		"amfcall: hint: amfcall probe --wordlist FILE " + u + " guesses service and method names from its faults\n"
	checkCase(t, cliCase{name: "list", args: []string{"list", u}, code: exitInput,
		stderr: "amfcall: error: the gateway offers no discovery service amfcall knows (tried amfcall.discover, AmfphpDiscoveryService.discover, amfphp.DiscoveryService.getServices); " +
			"amfcall.discover answered, but not with a list of services: want a list or map of services, got a string (and 2 more alike)\n" + hints})
	checkCase(t, cliCase{name: "describe", args: []string{"describe", u, "echo"}, code: exitInput,
		stderr: "amfcall: error: the gateway offers no discovery service amfcall knows (tried amfcall.discover, AmfphpDiscoveryService.discover, amfphp.DiscoveryService.getServices, Zend_Amf_Adobe_Introspector.introspect); " +
			"amfcall.discover answered, but not with a list of services: want a list or map of services, got a string (and 3 more alike)\n" + hints})
}

// TestDiscoveryShapeError: a discovery answer in a form amfcall does not
// know is the gateway's malformed answer (exit 4), not an internal error.
func TestDiscoveryShapeError(t *testing.T) {
	err := discoveryError(fmt.Errorf("%s: %w: got a string", discover.TargetAMFPHP1Describe, discover.ErrShape), "http://h/")
	code, hints := classify(err)
	if code != exitInput || unclassified(err) || len(hints) != 1 || !strings.Contains(hints[0], "amfcall call http://h/ TARGET") {
		t.Errorf("code %d, hints %q", code, hints)
	}
}

func TestProbe(t *testing.T) {
	u := serveGateway(t)
	stdout, stderr, code := run(t, []string{"probe", u}, "", nil, false)
	lines := strings.Split(stdout, "\n")
	if code != 0 || stderr != "" || lines[0] != "amfcall serve" || lines[1] != "  amfcall serve +10: Server: amfcall-gateway" {
		t.Errorf("probe: %d %s\n%s", code, stderr, stdout)
	}

	stdout, stderr, code = run(t, []string{"probe", "--format", "json", u}, "", nil, false)
	var doc struct {
		Gateway   string `json:"gateway"`
		Score     int    `json:"score"`
		Exchanges []struct {
			Probe  string `json:"probe"`
			Status int    `json:"status"`
		} `json:"exchanges"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || code != 0 || doc.Gateway != "amfcall serve" || doc.Score != 30 ||
		len(doc.Exchanges) != 4 || doc.Exchanges[3].Probe != "get" || doc.Exchanges[3].Status != 400 {
		t.Errorf("probe --format json: %d %v %s\n%s", code, err, stderr, stdout)
	}

	words := writeFile(t, "words.txt", []byte("# a word list\nnosuch\nsecure\nwhoami\n"))
	dir := t.TempDir()
	stdout, stderr, code = run(t, []string{"probe", "--wordlist", words, "--rate", "1000", "--max", "8", u}, "", nil, false)
	lines = strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	hits := lines[len(lines)-1:]
	want := []string{
		`secure (service): Service.MethodNotFound: Unknown method secure.amfcallProbeNoSuchMethod`,
	}
	if code != 0 || strings.Join(hits, "\n") != strings.Join(want, "\n") ||
		stderr != "amfcall: warning: stopped after 8 guessing requests (--max); 1 name found so far\n" {
		t.Errorf("probe --wordlist: %d %s\n%s", code, stderr, stdout)
	}

	for _, tc := range []cliCase{
		{name: "rate", args: []string{"probe", "--rate", "0", u}, code: exitUsage,
			stderr: "amfcall: error: --rate 0: want a number of requests a second in (0, 1000]\n"},
		{name: "wordlist missing", args: []string{"probe", "--wordlist", dir + "/none", u}, code: exitUsage,
			stderr: "amfcall: error: --wordlist " + dir + "/none: no such file or directory\namfcall: hint: give a file with one name a line; - reads stdin\n"},
		{name: "refused", args: []string{"probe", "http://127.0.0.1:1/"}, code: exitNetwork,
			stderr: "amfcall: error: connection refused (http://127.0.0.1:1/); is the gateway running? check the host and port in the URL\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

func TestProbeNotAGateway(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.24.0")
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>\x1b[31mhello</html>")
	}))
	t.Cleanup(page.Close)
	stdout, stderr, code := run(t, []string{"probe", page.URL}, "", nil, false)
	want := "unknown\n" +
		"  (amf0-unknown-service: reply is not application/x-amf (" + page.URL + "): HTTP 200 OK: got text/html; the reply starts with: \"<html>\\x1b[31mhello</html>\"; check that the URL is the AMF gateway (the path matters), not a web page)\n"
	// The report is printed, and the exit code says no AMF came (cli.md's
	// 3, a reply that is not AMF); it was 0.
	wantErr := "amfcall: error: no probe got an AMF reply from " + page.URL + "\n" +
		"amfcall: hint: check that the URL is the AMF gateway (the path matters); the lines above say what each probe got\n"
	if code != 3 || stderr != wantErr || !strings.HasPrefix(stdout, want) || strings.Contains(stdout, "\x1b") {
		t.Errorf("probe of a web page: %d %q\n%q", code, stderr, stdout)
	}

	// A server that never answers: each exchange ends at --timeout.
	done := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(stall.Close)
	t.Cleanup(func() { close(done) }) // runs first
	_, stderr, code = run(t, []string{"probe", "--timeout", "100ms", stall.URL}, "", nil, false)
	if code != exitNetwork || !strings.HasPrefix(stderr, "amfcall: error: timed out") {
		t.Errorf("probe of a stalled server: %d %q", code, stderr)
	}
}

package commands

import (
	"bytes"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// TestFlexDestination calls the gateway in process on 127.0.0.1 as a new
// user would: by destination, by source, a fault, a wrong routing.
func TestFlexDestination(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	const echoFault = `{"faultCode":"Echo.Failure","faultString":"boom","faultDetail":null,"rootCause":{"message":"boom","name":"EchoFailure"},"extendedData":null}` + "\n"
	for _, tc := range []cliCase{
		{name: "destination", args: []string{"call", "--destination", "echo", u, "echo", `"hi"`, `{"a": 1}`}, stdout: `["hi",{"a":1}]` + "\n"},
		{name: "flex", args: []string{"call", "--flex", u, "echo.echo", `"hi"`}, stdout: `"hi"` + "\n"},
		{name: "source", args: []string{"call", "--destination", "amfphp", "--source", "echo", u, "echo", `"hi"`}, stdout: `"hi"` + "\n"},
		{name: "fault", args: []string{"call", "--destination", "echo", u, "fail", `"boom"`}, code: 1,
			stdout: echoFault, stderr: "amfcall: error: Echo.Failure: boom\n"},
		{name: "not found by destination", args: []string{"call", "--destination", "EchoService", u, "echo", `"hi"`}, code: 1,
			stdout: `{"faultCode":"Service.ResourceNotFound","faultString":"Unknown service EchoService.echo","faultDetail":null,"rootCause":{"message":"Unknown service EchoService.echo","name":"UnknownServiceError"},"extendedData":null}` + "\n",
			stderr: "amfcall: error: Service.ResourceNotFound: Unknown service EchoService.echo\n" +
				"amfcall: hint: gateways such as AMFPHP route Flex calls by source (the service class), not destination: try --source CLASS\n"},
		{name: "not found by source", args: []string{"call", "--destination", "x", "--source", "EchoService", u, "echo"}, code: 1,
			stdout: `{"faultCode":"Service.ResourceNotFound","faultString":"Unknown service EchoService.echo","faultDetail":null,"rootCause":{"message":"Unknown service EchoService.echo","name":"UnknownServiceError"},"extendedData":null}` + "\n",
			stderr: "amfcall: error: Service.ResourceNotFound: Unknown service EchoService.echo\n" +
				"amfcall: hint: gateways such as BlazeDS, PyAMF and GraniteDS route by destination: try without --source, with the service as --destination\n"},
		{name: "source without destination", args: []string{"call", "--source", "echo", u, "echo.echo"}, code: 2,
			stderr: "amfcall: error: --source needs --destination (or --flex)\namfcall: hint: it is a field of the Flex RemotingMessage\n"},
		{name: "dotted operation", args: []string{"call", "--destination", "echo", u, "echo.echo"}, code: 2,
			stderr: "amfcall: error: --destination echo: the operation \"echo.echo\" has a dot\n" +
				"amfcall: hint: with --destination give the method name only, e.g. \"echo\"; or use --flex with \"DEST.OPERATION\"\n"},
		{name: "destination with batch", args: []string{"call", "--destination", "echo", "--batch", "-", u}, code: 2,
			stderr: "amfcall: error: --destination can't be used with --batch\n" +
				"amfcall: hint: use --flex and write each target as \"DEST.OPERATION\" in the batch file\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

// TestFlexLogin: -u logs in with a CommandMessage before the call; the
// session keeps the login for later calls; logout ends it; -v shows each
// message with the secrets masked.
func TestFlexLogin(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{User: "alice", Password: "wonderland", Log: log})
	sess := filepath.Join(t.TempDir(), "s.json")
	const wantsLogin = "amfcall: hint: the destination wants a login: add -u USER:PASSWORD (with --session FILE, later calls stay logged in)\n"
	const authFault = `{"faultCode":"AuthenticationError","faultString":"Authentication failed","faultDetail":"","rootCause":{"message":"Authentication failed","name":"AuthenticationError"},"extendedData":null}` + "\n"
	for _, tc := range []cliCase{
		{name: "no login", args: []string{"call", "--destination", "secure", u, "whoami"}, code: 1,
			stdout: authFault, stderr: "amfcall: error: AuthenticationError: Authentication failed\n" + wantsLogin},
		{name: "bad login", args: []string{"call", "-u", "alice:nope", "--destination", "secure", u, "whoami"}, code: 1,
			stdout: `{"faultCode":"Client.Authentication","faultString":"Authentication failed","faultDetail":"","rootCause":{"message":"Authentication failed","name":"AuthenticationError"},"extendedData":null}` + "\n",
			stderr: "amfcall: error: Client.Authentication: Authentication failed\n" +
				"amfcall: hint: the gateway refused the login: check the user name and password given with -u\n"},
		{name: "login", args: []string{"call", "-u", "alice:wonderland", "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"},
		{name: "login into session", args: []string{"call", "--session", sess, "-u", "alice:wonderland", "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"},
		{name: "session keeps the login", args: []string{"call", "--session", sess, "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"},
		{name: "logout", args: []string{"logout", "--session", sess, u}},
		{name: "logged out", args: []string{"call", "--session", sess, "--destination", "secure", u, "whoami"}, code: 1,
			stdout: authFault, stderr: "amfcall: error: AuthenticationError: Authentication failed\n" +
				"amfcall: hint: the destination wants a login, and the session " + shellWord(sess) + " holds none (none was made with it, or a logout ended it): add -u USER:PASSWORD with the same --session " + shellWord(sess) + ", and later calls with it stay logged in\n"},
		{name: "remote credentials", args: []string{"call", "--remote-user", "alice:wonderland", "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"},
		{name: "bad remote credentials", args: []string{"call", "--remote-user", "alice:x", "--destination", "secure", u, "whoami"}, code: 1,
			stdout: authFault, stderr: "amfcall: error: AuthenticationError: Authentication failed\n" +
				"amfcall: hint: the gateway refused the credentials: check --remote-user USER:PASSWORD, or log in with -u USER:PASSWORD\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	data, err := os.ReadFile(sess)
	if err != nil || !strings.Contains(string(data), `"dsid": "`) || strings.Contains(string(data), "wonderland") {
		t.Errorf("session file: %v\n%s", err, data)
	}
	// A run pings only without -u and without a session's DSId ("no
	// login", the two with remote credentials); the runs with the
	// session send their call (or logout) alone, as /1.
	if n, logins, alone := log.count("CommandMessage ping"), log.count("CommandMessage login"), log.count("secure.whoami /1 "); n != 3 || logins != 3 || alone != 2 {
		t.Errorf("%d pings, %d logins, %d calls alone; want 3, 3, 2:\n%s", n, logins, alone, log.String())
	}

	// -v: the login, then the call, each request and reply as typed JSON;
	// neither the password nor its base64 appears.
	secret := base64.StdEncoding.EncodeToString([]byte("alice:wonderland"))
	stdout, stderr, code := run(t, []string{"call", "-v", "-u", "alice:wonderland", "--remote-user", "alice:wonderland", "--destination", "secure", u, "whoami"}, "", nil, false)
	if code != 0 || stdout != `"alice"`+"\n" {
		t.Fatalf("code %d stdout %s stderr %s", code, stdout, stderr)
	}
	if n := strings.Count(stderr, "* request packet:"); n != 2 {
		t.Errorf("-v shows %d requests, want 2 (login, call):\n%s", n, stderr)
	}
	if !strings.Contains(stderr, `"operation":{"$int":8}`) && !strings.Contains(stderr, `"operation":8`) {
		t.Errorf("-v does not show the login command:\n%s", stderr)
	}
	if strings.Contains(stderr, secret) || strings.Contains(stderr, "wonderland") || strings.Count(stderr, `"***"`) != 2 {
		t.Errorf("-v shows the secrets:\n%s", stderr)
	}
}

// syncBuffer is a log the gateway and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Len() int { return len(s.String()) }

func (s *syncBuffer) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Count(s.b.String(), sub)
}

// subscriber runs "amfcall subscribe" in a child process (the test binary
// stands in for amfcall), so that several run at once and get real
// signals.
type subscriber struct {
	cmd            *exec.Cmd
	stdout, stderr syncBuffer
}

func startSubscriber(t *testing.T, args ...string) *subscriber {
	t.Helper()
	s := &subscriber{cmd: exec.Command(os.Args[0], append([]string{"subscribe"}, args...)...)}
	s.cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=")
	s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			s.cmd.Wait()
		}
	})
	return s
}

// wait waits for the subscriber to exit and returns its exit code.
func (s *subscriber) wait(t *testing.T) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		t.Fatal("the subscriber did not stop")
	}
	return s.cmd.ProcessState.ExitCode()
}

// waitLog waits until the gateway's log holds n lines with sub.
func waitLog(t *testing.T, log *syncBuffer, sub string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for log.count(sub) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the log has %d %q, want %d:\n%s", log.count(sub), sub, n, log.b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestFlexMessaging: three subscribers watch a destination while another
// run publishes to it; each prints every message, in order, as one JSON
// line, and unsubscribes at the end.
func TestFlexMessaging(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	var subs []*subscriber
	for i := range 3 {
		args := []string{"--count", "3", "--interval", "20ms", "--for", "20s", u, "chat"}
		if i == 2 {
			args = append(args, "-q", "body", "-r")
		}
		subs = append(subs, startSubscriber(t, args...))
	}
	waitLog(t, log, "CommandMessage subscribe chat", 3)
	for _, tc := range []cliCase{
		{name: "publish 1", args: []string{"publish", u, "chat", `{"text": "one"}`}},
		{name: "publish elsewhere", args: []string{"publish", u, "news", `"not for chat"`}},
		{name: "publish to a subtopic", args: []string{"publish", "--subtopic", "room1", u, "chat", `"not for chat without subtopic"`}},
		{name: "publish 2", args: []string{"publish", "--message-header", "priority=5", u, "chat", `"two"`}},
		{name: "publish 3", args: []string{"publish", u, "chat", `[3]`}},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	stdout, stderr, code := run(t, []string{"publish", u, "chat", `three`}, "", nil, false)
	if code != 4 || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: BODY: ") {
		t.Errorf("bad body: code %d stdout %q stderr %q", code, stdout, stderr)
	}
	for i, s := range subs {
		code := s.wait(t)
		if i == 2 {
			if code != 0 || s.stdout.String() != `{"text":"one"}`+"\ntwo\n[3]\n" {
				t.Errorf("subscriber with -q body -r: code %d\nstdout %s\nstderr %s", code, s.stdout.String(), s.stderr.String())
			}
			continue
		}
		lines := strings.Split(strings.TrimSuffix(s.stdout.String(), "\n"), "\n")
		if code != 0 || s.stderr.Len() != 0 || len(lines) != 3 {
			t.Fatalf("subscriber %d: code %d\nstdout %s\nstderr %s", i, code, s.stdout.String(), s.stderr.String())
		}
		for j, want := range []string{`"body":{"text":"one"}`, `"headers":{"priority":5},"body":"two"`, `"body":[3]`} {
			if !strings.HasPrefix(lines[j], `{"destination":"chat","subtopic":null,"messageId":"`) || !strings.HasSuffix(lines[j], want+"}") {
				t.Errorf("subscriber %d line %d: %s", i, j+1, lines[j])
			}
		}
	}
	if n := log.count("CommandMessage unsubscribe chat"); n != 3 {
		t.Errorf("%d unsubscribes, want 3:\n%s", n, log.b.String())
	}
}

// TestFlexSubscribeInterrupt: Ctrl-C (SIGINT) stops a subscriber, which
// unsubscribes on the way out and exits 0.
func TestFlexSubscribeInterrupt(t *testing.T) {
	skipInterruptOnWindows(t)
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	s := startSubscriber(t, "--interval", "20ms", u, "alerts")
	waitLog(t, log, "CommandMessage subscribe alerts", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "alerts", `"fire"`}})
	waitLog(t, &s.stdout, `"body":"fire"`, 1)
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if code := s.wait(t); code != 0 || s.stderr.Len() != 0 {
		t.Errorf("code %d stderr %s", code, s.stderr.String())
	}
	if log.count("CommandMessage unsubscribe alerts") != 1 {
		t.Errorf("no unsubscribe after Ctrl-C:\n%s", log.b.String())
	}
}

// TestFlexSubscribeStops: --for ends a watch with no messages (exit 0,
// unsubscribed); -q picks a part of each line.
func TestFlexSubscribeStops(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	// --for counts from before the subscribe request: under Wine on a
	// loaded machine 100 ms passed before the gateway's answer came (exit
	// 3, "no subscription within --for"), so give it a second.
	stdout, stderr, code := run(t, []string{"subscribe", "--for", "1s", "--interval", "50ms", u, "quiet"}, "", nil, false)
	if code != 0 || stdout != "" || stderr != "" || log.count("CommandMessage unsubscribe quiet") != 1 {
		t.Errorf("code %d stdout %q stderr %q\nlog %s", code, stdout, stderr, log.b.String())
	}
	_, stderr, code = run(t, []string{"subscribe", "-v", "--for", "1s", "--interval", "50ms", u, "quiet"}, "", nil, false)
	if code != 0 || !strings.HasSuffix(stderr, "amfcall: unsubscribed after 0 messages\n") {
		t.Errorf("-v: code %d stderr %q", code, stderr)
	}
	s := startSubscriber(t, "-v", "--count", "1", "--interval", "20ms", u, "one")
	waitLog(t, log, "CommandMessage subscribe one", 1)
	checkCase(t, cliCase{args: []string{"publish", u, "one", "1"}})
	if code := s.wait(t); code != 0 || !strings.HasSuffix(s.stderr.String(), "amfcall: unsubscribed after 1 message\n") {
		t.Errorf("-v --count 1: code %d stderr %q", code, s.stderr.String())
	}
	_, stderr, code = run(t, []string{"subscribe", "--interval", "x", u, "quiet"}, "", nil, false)
	if code != 2 || !strings.HasPrefix(stderr, "amfcall: error: --interval: invalid duration \"x\"\n") {
		t.Errorf("--interval x: code %d stderr %q", code, stderr)
	}
}

// flexFaultServer acknowledges the ping and answers every other Flex
// message with an ErrorMessage of the given fields.
func flexFaultServer(t *testing.T, fault ...amf.Member) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req bytes.Buffer
		req.ReadFrom(r.Body)
		p, _ := amf.UnmarshalPacket(req.Bytes())
		resp := p.Messages[0].Response
		msg := &amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
			{Name: "body", Value: true},
			{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "D5"}}}},
		}}
		target := resp + "/onResult"
		if resp != "/1" {
			target = resp + "/onStatus"
			msg = &amf.Object{Class: amf.ClassErrorMessage, Members: fault}
		}
		out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: target, Response: "null", Value: amf.AVMPlus{Value: msg}}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestFlexFaultControlCharacters: a hostile gateway's fault code and
// string cannot write terminal escapes (or break the line) on stderr;
// stdout keeps them, escaped, in the JSON.
func TestFlexFaultControlCharacters(t *testing.T) {
	u := flexFaultServer(t,
		amf.Member{Name: "faultCode", Value: "Evil\x1b]0;pwned\x07"},
		amf.Member{Name: "faultString", Value: "no\x1b[2Jsuch\r\ndestination\u009b31m"})
	for _, args := range [][]string{
		{"call", "--destination", "d", u, "op"},
		{"publish", u, "chat", "1"},
	} {
		t.Run(args[0], func(t *testing.T) {
			stdout, stderr, code := run(t, args, "", nil, false)
			// One line, no control character (shown as a space or an
			// escape), the text around them kept.
			first, _, _ := strings.Cut(stderr, "\n")
			if code != 1 || !strings.HasPrefix(first, "amfcall: error: Evil") || !strings.Contains(first, "pwned") ||
				!strings.Contains(first, "destination") || strings.ContainsFunc(stderr, func(r rune) bool { return r != '\n' && unicode.IsControl(r) }) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			if !strings.Contains(stdout, `"faultCode":"Evil\u001b]0;pwned\u0007"`) {
				t.Errorf("stdout %q", stdout)
			}
		})
	}
}

// TestFlexPublishLoginHint: a messaging destination that wants a login
// says how to give one.
func TestFlexPublishLoginHint(t *testing.T) {
	u := flexFaultServer(t,
		amf.Member{Name: "faultCode", Value: "Client.Authentication"},
		amf.Member{Name: "faultString", Value: "Login required before authorization can proceed."})
	checkCase(t, cliCase{args: []string{"publish", u, "chat", "1"}, code: 1,
		stdout: `{"faultCode":"Client.Authentication","faultString":"Login required before authorization can proceed.","faultDetail":null,"rootCause":null,"extendedData":null}` + "\n",
		stderr: "amfcall: error: Client.Authentication: Login required before authorization can proceed.\n" +
			"amfcall: hint: the destination wants a login: add -u USER:PASSWORD (with --session FILE, later calls stay logged in)\n"})
}

// TestFlexFaultCodeNumber: a gateway that sends faultCode as a number
// still gives a fault line and exit 1.
func TestFlexFaultCodeNumber(t *testing.T) {
	u := flexFaultServer(t,
		amf.Member{Name: "faultCode", Value: amf.Int(404)},
		amf.Member{Name: "faultString", Value: "no such destination"},
		amf.Member{Name: "extendedData", Value: &amf.Object{Members: []amf.Member{{Name: "n", Value: 1.5}}}})
	checkCase(t, cliCase{args: []string{"call", "--destination", "d", u, "op"}, code: 1,
		stdout: `{"faultCode":404,"faultString":"no such destination","faultDetail":null,"rootCause":null,"extendedData":{"n":1.5}}` + "\n",
		stderr: "amfcall: error: 404: no such destination\n" +
			"amfcall: hint: gateways such as AMFPHP route Flex calls by source (the service class), not destination: try --source CLASS\n"})
}

func TestFlexUsageErrors(t *testing.T) {
	u := "http://127.0.0.1:1/"
	for _, tc := range []cliCase{
		{args: []string{"publish", u, "chat"}, code: 2,
			stderr: "amfcall: error: amfcall publish: missing BODY\namfcall: hint: usage: amfcall publish URL DEST BODY\n"},
		{args: []string{"publish", u, "chat", "1", "2"}, code: 2,
			stderr: "amfcall: error: amfcall publish: too many arguments (got \"2\")\namfcall: hint: usage: amfcall publish URL DEST BODY\n"},
		{args: []string{"publish", "--message-header", "x", u, "chat", "1"}, code: 2,
			stderr: "amfcall: error: --message-header \"x\": want NAME=JSON\namfcall: hint: for example --message-header 'from=\"ann\"'\n"},
		{args: []string{"subscribe", "--count", "-1", u, "chat"}, code: 2,
			stderr: "amfcall: error: --count: want a number of messages, got -1\n"},
		{args: []string{"subscribe", "--for", "0", u, "chat"}, code: 2,
			stderr: "amfcall: error: --for: invalid duration \"0\"\namfcall: hint: give a duration such as 30s or 5m\n"},
		{args: []string{"publish", "localhost", "chat", "1"}, code: 2,
			stderr: "amfcall: error: amfcall publish: \"localhost\" is not a gateway URL\namfcall: hint: usage: amfcall publish URL DEST BODY\n" +
				"amfcall: hint: the URL starts with http:// or https://, e.g. http://localhost:8000/gateway\n"},
		{args: []string{"call", "--flex", u, "echo"}, code: 2,
			stderr: "amfcall: error: --flex echo: want DESTINATION.OPERATION\n" +
				"amfcall: hint: name the destination: --flex URL DEST.echo, or --destination DEST URL echo\n"},
		{args: []string{"logout"}, code: 2,
			stderr: "amfcall: error: amfcall logout: missing URL\namfcall: hint: usage: amfcall logout URL\namfcall: hint: the URL starts with http:// or https://; AMFCALL_URL gives a default\n"},
		{args: []string{"logout", u, "extra"}, code: 2,
			stderr: "amfcall: error: amfcall logout: too many arguments (got \"extra\")\namfcall: hint: usage: amfcall logout URL\n"},
		{args: []string{"call", "--remote-user", "bob", "--destination", "d", u, "op"}, code: 2,
			stderr: "amfcall: error: --remote-user wants USER:PASSWORD\namfcall: hint: for example --remote-user bob:secret\n"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) { checkCase(t, tc) })
	}
}

// TestReadmeFlexExamples runs the README's Flex examples as written
// against amfcall serve (all but subscribe, which runs until Ctrl-C).
func TestReadmeFlexExamples(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "### Flex:")
	if !ok {
		t.Fatal("no Flex section in the README")
	}
	_, block, _ = strings.Cut(block, "```\n")
	block, _, _ = strings.Cut(block, "```")
	_, u := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		line, _, _ = strings.Cut(line, "  #")
		args := shellWords(t, line)
		if len(args) < 2 || args[0] != "amfcall" || args[1] == "subscribe" {
			continue
		}
		for i, a := range args {
			args[i] = strings.ReplaceAll(strings.ReplaceAll(a, "$URL", u), "s.json", filepath.Join(dir, "s.json"))
		}
		n++
		stdout, stderr, code := run(t, args[1:], "", nil, false)
		if code != 0 {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s", line, code, stdout, stderr)
		}
	}
	if n < 5 {
		t.Errorf("ran %d examples, want at least 5", n)
	}
}

// shellWords splits a command line as sh does for words, single quotes
// and double quotes without escapes.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("unclosed quote in %q", line)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// TestInterruptStopsAtOnce: Ctrl-C during publish, logout or socket call
// stops amfcall as it stops call: killed by the signal, with no message
// (it said "connection failed: cancelled", exit 3, as if the network had
// failed).
func TestInterruptStopsAtOnce(t *testing.T) {
	skipInterruptOnWindows(t)
	got := make(chan struct{}, 4)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first
	addr := acceptAll(t, func(nc net.Conn) {
		got <- struct{}{}
		io.Copy(io.Discard, nc)
		nc.Close()
	})
	for _, args := range [][]string{
		{"publish", srv.URL, "chat", "1"},
		{"logout", srv.URL},
		{"socket", "call", addr, "echo"},
	} {
		t.Run(args[0], func(t *testing.T) {
			s := &subscriber{cmd: exec.Command(os.Args[0], args...)}
			s.cmd.Env = append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "AMFCALL_URL=")
			s.cmd.Stdout, s.cmd.Stderr = &s.stdout, &s.stderr
			if err := s.cmd.Start(); err != nil {
				t.Fatal(err)
			}
			select {
			case <-got:
			case <-time.After(10 * time.Second):
				s.cmd.Process.Kill()
				t.Fatal("no request came")
			}
			if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			s.wait(t)
			ws, _ := s.cmd.ProcessState.Sys().(syscall.WaitStatus)
			// (logout warns first that it knows no DSId.)
			if !ws.Signaled() || ws.Signal() != syscall.SIGINT || strings.Contains(s.stderr.String(), "error") || s.stdout.Len() != 0 {
				t.Errorf("%s: exit %d, stderr %q", s.cmd.ProcessState, s.cmd.ProcessState.ExitCode(), s.stderr.String())
			}
		})
	}
}

// TestFlexDestinationWithURLChars: with AMFCALL_URL set, a destination
// holding / or : is the destination, not a gateway URL; a URL with a
// scheme or a HOST:PORT start still is one.
func TestFlexDestinationWithURLChars(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	env := map[string]string{"NO_COLOR": "1", "AMFCALL_URL": u}
	for _, dest := range []string{"chat/room", "ns:chat"} {
		checkCase(t, cliCase{name: dest, args: []string{"publish", dest, `"hi"`}, env: env})
	}
	for _, want := range []string{"chat/room", "ns:chat"} {
		if log.count(want) == 0 {
			t.Errorf("nothing published to %q:\n%s", want, log.b.String())
		}
	}
	for arg, want := range map[string]bool{
		"chat/room": false, "ns:chat": false, "a:b/c": false, "echo.echo": false,
		"http://h/gw": true, "https://h:8443/gw": true, "localhost:8000/gateway": true, "127.0.0.1:8000": true,
	} {
		if got := isGatewayArg(arg, true); got != want {
			t.Errorf("isGatewayArg(%q) with AMFCALL_URL = %v, want %v", arg, got, want)
		}
	}
	for _, arg := range []string{"chat/room", "localhost:8000/gateway"} {
		if !isGatewayArg(arg, false) {
			t.Errorf("isGatewayArg(%q) without AMFCALL_URL = false: a URL without its scheme gets no clear error", arg)
		}
	}
}

package commands

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
	"github.com/amfcall/amfcall/client/socket"
)

// startServe runs "amfcall serve --addr 127.0.0.1:0 ARGS..." in the
// background and returns its address and stop, which ends it and
// returns its exit code and stderr. Not for parallel tests (serveStarted
// is shared).
func startServe(t *testing.T, args ...string) (string, func() (int, string)) {
	t.Helper()
	addrs := make(chan string, 1)
	stops := make(chan context.CancelFunc, 1)
	serveStarted = func(addr string, stop context.CancelFunc) { addrs <- addr; stops <- stop }
	t.Cleanup(func() { serveStarted = nil })
	done := make(chan int, 1)
	var serveErr string
	go func() {
		_, stderr, code := run(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--images", t.TempDir()}, args...), "", nil, false)
		serveErr = stderr
		done <- code
	}()
	select {
	case addr := <-addrs:
		stop := <-stops
		return addr, func() (int, string) {
			stop()
			select {
			case c := <-done:
				return c, serveErr
			case <-time.After(10 * time.Second):
				t.Fatal("serve did not stop")
				return 0, ""
			}
		}
	case code := <-done:
		t.Fatalf("serve ended with %d: %s", code, serveErr)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

// serve answers amfcall's own clients, and refuses what a web page of
// another site can make a browser send it: a POST that is not typed
// application/x-amf (415), a Host that is a name it was not told of (403).
func TestServeRefusesCrossSite(t *testing.T) {
	addr, stop := startServe(t, "--allow-host", "amf.test")
	url := "http://" + addr + "/"
	if stdout, stderr, code := run(t, []string{"call", url, "echo.echo", `{"a": 1}`}, "", nil, false); code != 0 || stdout != "{\"a\":1}\n" {
		t.Errorf("call: exit %d, %q %q", code, stdout, stderr)
	}
	if stdout, stderr, code := run(t, []string{"call", "--destination", "echo", url, "echo", `"hi"`}, "", nil, false); code != 0 || stdout != "\"hi\"\n" {
		t.Errorf("call --destination: exit %d, %q %q", code, stdout, stderr)
	}
	if _, stderr, code := run(t, []string{"publish", url, "chat", `{"text": "x"}`}, "", nil, false); code != 0 {
		t.Errorf("publish: exit %d, %q", code, stderr)
	}
	// As a browser would send them.
	body := []byte("\x00\x00\x00\x00\x00\x01\x00\x09echo.echo\x00\x02/1\x00\x00\x00\x05\x0a\x00\x00\x00\x01\x02\x00\x02hi")
	for _, tc := range []struct {
		host, ct string
		want     int
	}{
		{"", "text/plain;charset=UTF-8", 415},
		{"", "", 415},
		{"rebound.example:" + strings.Split(addr, ":")[1], "application/x-amf", 403},
		{"amf.test", "application/x-amf", 200},
		{"localhost", "application/x-amf", 200},
		{"", "application/x-amf", 200},
	} {
		req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
		if tc.host != "" {
			req.Host = tc.host
		}
		if tc.ct != "" {
			req.Header.Set("Content-Type", tc.ct)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != tc.want {
			t.Errorf("Host %q, Content-Type %q: status %d, want %d", tc.host, tc.ct, res.StatusCode, tc.want)
		}
	}
	code, log := stop()
	if code != 0 {
		t.Errorf("serve: exit %d: %s", code, log)
	}
	if !strings.Contains(log, "-> 415 ") || !strings.Contains(log, "-> 403 ") {
		t.Errorf("serve's log lacks the refusals:\n%s", log)
	}
}

func TestServeAllowHostUsage(t *testing.T) {
	_, stderr, code := run(t, []string{"serve", "--allow-host", "a.test:80"}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, `invalid --allow-host "a.test:80": want a host name`) {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// subscribe --interval has a floor of 10ms: a shorter one polls the
// gateway in a busy loop.
func TestSubscribeIntervalFloor(t *testing.T) {
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	for _, iv := range []string{"1ns", "0.001", "9ms"} {
		_, stderr, code := run(t, []string{"subscribe", "--for", "50ms", "--interval", iv, u, "quiet"}, "", nil, false)
		if code != 2 || !strings.Contains(stderr, "amfcall: error: --interval "+iv+" is below the floor of 10ms\n") {
			t.Errorf("--interval %s: exit %d, %q", iv, code, stderr)
		}
	}
	if log.count("CommandMessage poll") != 0 {
		t.Errorf("a refused --interval polled:\n%s", log.b.String())
	}
	if _, stderr, code := run(t, []string{"subscribe", "--for", "1s", "--interval", "10ms", u, "quiet"}, "", nil, false); code != 0 {
		t.Errorf("--interval 10ms: exit %d, %q", code, stderr)
	}
}

// socket --max-frame takes sizes up to 4G, the limit of a frame's
// 4-byte length, and refuses larger ones; --timeout 0 is no limit on
// the responses (as call's), not a usage error.
func TestSocketMaxFrameAndTimeoutZero(t *testing.T) {
	_, addr, stopServe := serveWithSocket(t, "127.0.0.1:0", "127.0.0.1:0")
	defer stopServe()
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"--max-frame", "4G"}, 0, "5\n", ""},
		{[]string{"--max-frame", "4294967296"}, 0, "5\n", ""},
		{[]string{"--max-frame", "4294967295"}, 0, "5\n", ""},
		{[]string{"--max-frame", "4294967297"}, 2, "", `invalid --max-frame "4294967297"`},
		{[]string{"--max-frame", "5G"}, 2, "", `invalid --max-frame "5G"`},
		{[]string{"--timeout", "0"}, 0, "5\n", ""},
		{[]string{"--timeout", "x"}, 2, "", `invalid --timeout "x"`},
	} {
		stdout, stderr, code := run(t, append([]string{"socket", "call", addr, "add", `{"a": 2, "b": 3}`}, tc.args...), "", nil, false)
		if code != tc.code || stdout != tc.stdout || !strings.Contains(stderr, tc.stderr) || tc.stderr == "" && stderr != "" {
			t.Errorf("%v: exit %d, %q %q", tc.args, code, stdout, stderr)
		}
	}
	// --timeout 0 waits for a response that takes a while (sleep).
	stdout, stderr, code := run(t, []string{"socket", "call", "--timeout", "0", addr, "sleep", `{"ms": 300}`}, "", nil, false)
	if code != 0 || stdout != "{\"slept\":300}\n" {
		t.Errorf("--timeout 0, sleep: exit %d, %q %q", code, stdout, stderr)
	}
}

// serve --socket-max-conns closes one connection over it at once (the
// client sees the connection end, serve logs it); --socket-idle-timeout
// closes a connection with only pings on it.
func TestServeSocketLimits(t *testing.T) {
	sock := make(chan string, 1)
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { socketServeStarted = nil })
	_, stop := startServe(t, "--socket", "127.0.0.1:0", "--socket-max-conns", "1", "--socket-idle-timeout", "2s") // long enough for the next call to find the slot taken, under Wine too
	addr := <-sock
	held, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	held.Write(socketFrame(t, "first"))
	held.SetReadDeadline(time.Now().Add(10 * time.Second))
	var first any
	if err := amf.NewFrameReader(held).Decode(&first); err != nil { // its answer: the slot is taken
		t.Fatalf("held connection: %v", err)
	}
	_, stderr, code := run(t, []string{"socket", "call", "--timeout", "5s", addr, "echo"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "it may be at its connection limit") {
		t.Errorf("socket call over the limit: exit %d, %q; want 3 and a hint naming the connection limit", code, stderr)
	}
	// The held connection says nothing but its first request: it is
	// closed after the idle timeout.
	held.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.Copy(io.Discard, held); err != nil {
		t.Errorf("held connection: %v, want it closed by serve", err)
	}
	// The slot is free once serve has seen the connection end, which
	// may come just after this side saw it.
	var stdout string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		stdout, stderr, code = run(t, []string{"socket", "call", addr, "add", `{"a": 1, "b": 2}`}, "", nil, false)
		if code == 0 || time.Now().After(deadline) {
			break
		}
	}
	if code != 0 || stdout != "3\n" {
		t.Errorf("socket call once the slot is free: exit %d, %q %q", code, stdout, stderr)
	}
	code, log := stop()
	for _, want := range []string{"refused: 1 connections open, the limit; 1 refused so far", "only pings"} {
		if !strings.Contains(log, want) {
			t.Errorf("serve's log lacks %q:\n%s", want, log)
		}
	}
	for _, tc := range [][]string{{"--socket-max-conns", "0"}, {"--socket-idle-timeout", "x"}} {
		if _, stderr, code := run(t, append([]string{"serve"}, tc...), "", nil, false); code != 2 || !strings.Contains(stderr, "invalid "+tc[0]) {
			t.Errorf("%v: exit %d, %q", tc, code, stderr)
		}
	}
}

func socketFrame(t *testing.T, id string) []byte {
	b, err := amf.AppendFrame(nil, socket.RequestObject(id, "echo", &amf.Object{}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

package commands

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// bench socket://HOST:PORT: against serve --socket in process and raw
// peers, all on 127.0.0.1, each peer connection bounded by 10 s.

// benchPeer accepts every connection on 127.0.0.1 and runs f on each
// (with a frame reader) until the test ends.
func benchPeer(t *testing.T, f func(nc net.Conn, fr *amf.FrameReader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, nc)
			mu.Unlock()
			_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				f(nc, amf.NewFrameReader(nc))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, nc := range open {
			nc.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// peerRequest reads the client's next request; nil once the connection
// ends.
func peerRequest(fr *amf.FrameReader) *socket.RPC {
	for {
		var v any
		if err := fr.Decode(&v); err != nil {
			return nil
		}
		if r, err := socket.ParseRPC(v); err == nil && r.Kind == socket.KindRequest {
			return r
		}
	}
}

func TestBenchSocket(t *testing.T) {
	_, addr, stopServe := serveWithSocket(t, "127.0.0.1:0", "127.0.0.1:0")
	defer stopServe()
	target := "socket://" + addr
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "20", target, "add", `{"a": 2, "b": 3}`}, "", nil, false)
	if code != 0 || stderr != "" {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	for _, re := range []string{
		`^` + regexp.QuoteMeta(target) + ` add, 2 connections, \d+\.\d\ds\n`,
		`\n  requests   20 \([\d,.]+/s\)\n`,
		`\n  calls      20 answered \([\d,.]+/s\): 20 results, 0 faults\n`,
		`\n  latency    p50 [\d.]+m?s  p90 [\d.]+m?s  p99 [\d.]+m?s  max [\d.]+m?s  \(mean [\d.]+m?s\)\n$`,
	} {
		if !regexp.MustCompile(re).MatchString(stdout) {
			t.Errorf("stdout does not match %s:\n%s", re, stdout)
		}
	}

	// Error results are faults, by code: all faults is exit 1, as for
	// HTTP; JSON has the reconnects.
	stdout, stderr, code = run(t, []string{"bench", "-n", "5", "--format", "json", target, "nope"}, "", nil, false)
	var s struct {
		Requests   int64            `json:"requests"`
		Faults     int64            `json:"faults"`
		FaultCodes map[string]int64 `json:"fault_codes"`
		Reconnects *int64           `json:"reconnects"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != 1 || s.Requests != 5 || s.Faults != 5 ||
		s.FaultCodes["unknown_command"] != 5 || s.Reconnects == nil || *s.Reconnects != 0 {
		t.Fatalf("code %d, %v: %s\n%s", code, err, stdout, stderr)
	}
	if !strings.Contains(stderr, "amfcall: error: every call answered with an error result (5 faults; the commonest unknown_command)\n"+
		"amfcall: hint: see one with: amfcall socket call "+addr+" nope\n") {
		t.Errorf("stderr:\n%s", stderr)
	}

	// -v shows one exchange, not one per request.
	_, stderr, code = run(t, []string{"bench", "-v", "-c", "2", "-n", "6", target, "echo", `{"x": 1}`}, "", nil, false)
	if code != 0 || strings.Count(stderr, `> request "echo"`) != 1 || strings.Count(stderr, "< response") != 1 {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}

	// AMFCALL_URL may name the server; socket call takes socket:// too.
	stdout, stderr, code = run(t, []string{"bench", "-n", "3", "add", `{"a": 1, "b": 1}`}, "", map[string]string{"NO_COLOR": "1", "AMFCALL_URL": target}, false)
	if code != 0 || !strings.HasPrefix(stdout, target+" add, ") || !strings.Contains(stdout, "3 results, 0 faults") {
		t.Fatalf("with AMFCALL_URL: code %d:\n%s\n%s", code, stdout, stderr)
	}
	for _, cmd := range [][]string{{"socket", "call", target, "add", `{"a": 2, "b": 3}`}, {"socket", "call", target + "/", "add", `{"a": 2, "b": 3}`}} {
		stdout, stderr, code = run(t, cmd, "", nil, false)
		if code != 0 || stdout != "5\n" {
			t.Fatalf("%v: code %d %q %q", cmd, code, stdout, stderr)
		}
	}
	stdout, stderr, code = run(t, []string{"socket", "listen", target, "--send", `push={"count": 1, "interval": 0}`, "--count", "1"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"command":"tick"`) {
		t.Fatalf("listen: code %d %q %q", code, stdout, stderr)
	}
}

// Flags that mean nothing for an AMF Socket server are usage errors, as
// are a bad address and arguments that are no request.
func TestBenchSocketUsage(t *testing.T) {
	const target = "socket://127.0.0.1:1"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-H", "X: 1"}, "amfcall: error: -H/--header can't be used with an AMF Socket server (socket://127.0.0.1:1)\n"},
		{[]string{"--proxy", "http://127.0.0.1:2/"}, "amfcall: error: --proxy can't be used with"},
		{[]string{"--amf3"}, "amfcall: error: --amf3 can't be used with"},
		{[]string{"--flex"}, "amfcall: error: --flex can't be used with"},
		{[]string{"-u", "a:b"}, "amfcall: error: -u/--user can't be used with"},
		{[]string{"--insecure"}, "amfcall: error: -k/--insecure can't be used with"},
		{[]string{"--session", "s.json"}, "amfcall: error: --session can't be used with"},
		{[]string{"--amf-header", "A=1"}, "amfcall: error: --amf-header can't be used with"},
		{[]string{"--batch", "b.jsonl"}, "amfcall: error: --batch can't be used with"},
	} {
		args := append(append([]string{"bench"}, tc.args...), target, "add")
		_, stderr, code := run(t, args, "", nil, false)
		if code != 2 || !strings.HasPrefix(stderr, tc.want) || !strings.Contains(stderr, "amfcall: hint: AMF Socket is AMF3 frames over one plain TCP connection") {
			t.Errorf("amfcall %s: code %d, stderr %q", strings.Join(args, " "), code, stderr)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"bench", "socket://127.0.0.1", "add"}, 2, "amfcall: error: invalid address \"socket://127.0.0.1\": want socket://HOST:PORT\namfcall: hint: for example socket://127.0.0.1:9001\n"},
		{[]string{"bench", "socket://127.0.0.1:0", "add"}, 2, "amfcall: error: invalid address"},
		{[]string{"bench", target}, 2, "amfcall: error: amfcall bench: missing COMMAND\namfcall: hint: usage: amfcall bench socket://HOST:PORT COMMAND [PARAMS]\n"},
		{[]string{"bench", target, "add", "1", "2"}, 2, "amfcall: error: amfcall bench: too many arguments for an AMF Socket request (got \"add\", \"1\", \"2\")\n"},
		{[]string{"bench", target, "add", "[1]"}, 2, "amfcall: error: PARAMS: params must be a JSON object, not [1]\n"},
		{[]string{"bench", target, "add", "{a"}, 4, "amfcall: error: PARAMS: json: "},
		{[]string{"bench", "--timeout", "soon", target, "add"}, 2, "amfcall: error: invalid --timeout \"soon\"\n"},
		{[]string{"bench", "--max-response-size", "5G", target, "add"}, 2, "amfcall: error: invalid --max-response-size \"5G\"\n"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != tc.code || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("amfcall %s: code %d, stderr %q, want %d and %q", strings.Join(tc.args, " "), code, stderr, tc.code, tc.want)
		}
	}
}

// A server that closes each connection after one response: bench dials
// again and says how often.
func TestBenchSocketRedial(t *testing.T) {
	addr := benchPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		if r := peerRequest(fr); r != nil {
			b, _ := amf.AppendFrame(nil, socket.ResponseObject(r.MessageID, "ok"))
			nc.Write(b)
		}
	})
	stdout, stderr, code := run(t, []string{"bench", "-c", "1", "-n", "10", "--format", "json", "socket://" + addr, "x"}, "", nil, false)
	var s struct {
		OK              int64            `json:"ok"`
		TransportErrors map[string]int64 `json:"transport_errors"`
		Reconnects      int64            `json:"reconnects"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != 0 {
		t.Fatalf("code %d, %v: %s\n%s", code, err, stdout, stderr)
	}
	// A request sent as the server closes meets the close, or a reset.
	if s.OK+s.TransportErrors["connection closed by the server"]+s.TransportErrors["connection reset"] != 10 || s.OK < 2 || s.Reconnects < s.OK-1 {
		t.Fatalf("%+v", s)
	}
	stdout, _, _ = run(t, []string{"bench", "-c", "1", "-n", "4", "socket://" + addr, "x"}, "", nil, false)
	if !regexp.MustCompile(`\n  reconnects [1-4] \(connections dialled again after one ended\)\n`).MatchString(stdout) {
		t.Fatalf("text:\n%s", stdout)
	}
}

// A server that reads and never answers: every request times out, exit
// 3 with the hint toward --timeout and the socket call to try.
func TestBenchSocketTimeouts(t *testing.T) {
	addr := benchPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		for peerRequest(fr) != nil {
		}
	})
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "4", "--timeout", "200ms", "socket://" + addr, "add", `{"a": 1}`}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  transport errors:\n           4  timed out\n") ||
		!strings.Contains(stderr, "amfcall: error: no call was answered (4 requests)\n"+
			"amfcall: hint: no response came within --timeout (200ms); raise it if the server is only slow (0 is no limit)\n"+
			"amfcall: hint: see one exchange with amfcall socket call -v --timeout 200ms "+addr+" add '{\"a\": 1}'\n") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Nothing answered within --for: exit 3 too.
	_, stderr, code = run(t, []string{"bench", "-c", "1", "--for", "300ms", "socket://" + addr, "x"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "amfcall: error: no request finished within --for 300ms: the server answered none in that time\n") {
		t.Fatalf("--for: code %d\n%s", code, stderr)
	}
}

// A refused connection: exit 3, with the hint to start a server.
func TestBenchSocketRefused(t *testing.T) {
	addr := closedPort(t)
	stdout, stderr, code := run(t, []string{"bench", "-n", "3", "socket://" + addr, "add"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "transport errors:\n           3  connection refused\n") ||
		!strings.Contains(stderr, "amfcall: hint: is the server running? try one with: amfcall serve --socket "+addr+"\n") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// Ctrl-C during the run prints the summary so far and exits as the run
// went (0 here).
func TestBenchSocketInterrupt(t *testing.T) {
	_, addr, stopServe := serveWithSocket(t, "127.0.0.1:0", "127.0.0.1:0")
	defer stopServe()
	benchStarted = func(stop context.CancelFunc) { time.AfterFunc(300*time.Millisecond, stop) }
	defer func() { benchStarted = nil }()
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "--for", "1h", "socket://" + addr, "sleep", `{"ms": 10}`}, "", nil, false)
	if code != 0 || stderr != "amfcall: interrupted: the summary so far\n" || !regexp.MustCompile(`\n  calls      [1-9][\d,]* answered`).MatchString(stdout) {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestBenchSocketHostileMemory: a server whose every reply is a frame
// as large as allowed (64 MiB): of bytes that never decode, or a valid
// response whose result is a 60 MiB string; at -c 8 and -c 32, in a
// child process whose peak RSS is logged (opt-in: AMFCALL_BIG_TESTS=1).
// A figure for the report, not an assert.
func TestBenchSocketHostileMemory(t *testing.T) {
	bigTest(t, "sends 64 MiB frames to bench in a child")
	const claim = amf.DefaultMaxFrame
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = 0x0a
	}
	big := strings.Repeat("v", 60<<20)
	for _, valid := range []bool{false, true} {
		addr := benchPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
			for {
				r := peerRequest(fr)
				if r == nil {
					return
				}
				// Large replies take turns: one may wait a while.
				_ = nc.SetDeadline(time.Now().Add(60 * time.Second))
				if valid {
					b, _ := amf.AppendFrame(nil, socket.ResponseObject(r.MessageID, big))
					if _, err := nc.Write(b); err != nil {
						return
					}
					continue
				}
				if _, err := nc.Write(binary.BigEndian.AppendUint32(nil, claim)); err != nil {
					return
				}
				for sent := 0; sent < claim; sent += len(junk) {
					if _, err := nc.Write(junk); err != nil {
						return
					}
				}
			}
		})
		for _, c := range []string{"8", "32"} {
			cmd := childAmfcall(t, "bench", "-c", c, "-n", "32", "--timeout", "60s", "socket://"+addr, "x")
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			_ = cmd.Run() // exit 3 for junk: no call answered
			m := hwmLine.FindStringSubmatch(stderr.String())
			if m == nil {
				t.Fatalf("no peak RSS:\n%s\n%s", stdout.String(), stderr.String())
			}
			t.Logf("valid %v, -c %s: peak RSS %s kB\n%s", valid, c, m[1], stdout.String())
		}
	}
}

package commands

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

func TestBench(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "20", url, "echo.echo", `"x"`}, "", nil, false)
	if code != 0 || stderr != "" {
		t.Fatalf("code %d, stderr %q", code, stderr)
	}
	for _, re := range []string{
		`^` + regexp.QuoteMeta(url) + ` echo.echo, 2 connections, \d+\.\d\ds\n`,
		`\n  requests   20 \([\d,.]+/s\)\n`,
		`\n  calls      20 answered \([\d,.]+/s\): 20 results, 0 faults\n`,
		`\n  latency    p50 [\d.]+m?s  p90 [\d.]+m?s  p99 [\d.]+m?s  max [\d.]+m?s  \(mean [\d.]+m?s\)\n$`,
	} {
		if !regexp.MustCompile(re).MatchString(stdout) {
			t.Errorf("stdout does not match %s:\n%s", re, stdout)
		}
	}

	stdout, _, code = run(t, []string{"bench", "-n", "5", "--format", "json", url, "echo.fail", `"no"`}, "", nil, false)
	var s struct {
		Requests   int64              `json:"requests"`
		Faults     int64              `json:"faults"`
		FaultCodes map[string]int64   `json:"fault_codes"`
		LatencyMs  map[string]float64 `json:"latency_ms"`
		CallsPerS  float64            `json:"calls_per_s"`
	}
	// Every call faulted: the summary is printed, and the exit code is
	// a fault's (1), as call's (TestBenchAllFaults).
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != 1 {
		t.Fatalf("code %d, %v: %s", code, err, stdout)
	}
	if s.Requests != 5 || s.Faults != 5 || s.FaultCodes["Echo.Failure"] != 5 || s.LatencyMs["p99"] <= 0 || s.CallsPerS <= 0 {
		t.Fatalf("%+v", s)
	}

	// A batch file: three calls per packet.
	batch := writeFile(t, "calls.jsonl", []byte(`{"target": "echo.echo", "args": [1]}`+"\n"+`{"target": "echo.fail"}`+"\n"+`{"target": "getSnapshots"}`+"\n"))
	stdout, _, code = run(t, []string{"bench", "-n", "4", "--amf3", "--batch", batch, url}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "3 calls per packet") || !strings.Contains(stdout, "12 answered") || !strings.Contains(stdout, "8 results, 4 faults") ||
		!strings.Contains(stdout, "  faults:\n           4  Echo.Failure\n") {
		t.Fatalf("code %d:\n%s", code, stdout)
	}

	// AMFCALL_URL gives the gateway, as for call.
	stdout, stderr, code = run(t, []string{"bench", "-n", "3", "echo.echo", "1"}, "", map[string]string{"NO_COLOR": "1", "AMFCALL_URL": url}, false)
	if code != 0 || !strings.HasPrefix(stdout, url+" echo.echo, ") || !strings.Contains(stdout, "3 results, 0 faults") {
		t.Fatalf("with AMFCALL_URL: code %d:\n%s\n%s", code, stdout, stderr)
	}
}

func TestBenchNoAnswer(t *testing.T) {
	addr := closedPort(t)
	stdout, stderr, code := run(t, []string{"bench", "-n", "3", "http://" + addr + "/", "a.b"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "transport errors:\n           3  connection refused\n") ||
		!strings.Contains(stderr, "amfcall: error: no call was answered (3 requests)") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestBenchUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bench"}, "amfcall: error: amfcall bench: missing URL and TARGET\n"},
		{[]string{"bench", "http://127.0.0.1:1/"}, "amfcall: error: amfcall bench: missing TARGET\n"},
		{[]string{"bench", "echo.echo"}, "amfcall: error: amfcall bench: missing URL\n"},
		{[]string{"bench", "--flex", "http://127.0.0.1:1/", "echo"}, "amfcall: error: --flex echo: want DESTINATION.OPERATION\namfcall: hint: name the destination: --flex URL DEST.echo, or --destination DEST URL echo\n"},
		{[]string{"bench", "--format", "xml", "http://127.0.0.1:1/", "a.b"}, `amfcall: error: invalid --format "xml": want text or json` + "\n"},
		{[]string{"bench", "-c", "0", "http://127.0.0.1:1/", "a.b"}, "amfcall: error: invalid -c/--concurrency 0: want 1 to 10000\n"},
		{[]string{"bench", "--for", "soon", "http://127.0.0.1:1/", "a.b"}, `amfcall: error: invalid --for "soon": want a duration such as 20s or 1m` + "\n"},
		{[]string{"bench", "-n", "0", "http://127.0.0.1:1/", "a.b"}, "amfcall: error: invalid -n/--count 0: want at least 1\n"},
		{[]string{"bench", "--batch", "x", "http://127.0.0.1:1/", "a.b"}, `amfcall: error: --batch can't be used with TARGET and ARG arguments (got "a.b")` + "\n"},
		{[]string{"bench", "http://127.0.0.1:1/", "a.b", "bare"}, "amfcall: error: argument 1: "},
		// As call refuses it; bench read a file named "-".
		{[]string{"bench", "--session", "-", "http://127.0.0.1:1/", "a.b"}, "amfcall: error: --session needs a file name, not -\n"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 2 && !(code == 4 && strings.Contains(tc.want, "argument 1")) || !strings.HasPrefix(stderr, tc.want) {
			t.Errorf("amfcall %s: code %d, stderr %q, want %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
}

func TestCallDebugEvents(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	stdout, stderr, code := run(t, []string{"call", "--debug-events", url, "echo.echo", `"hi"`}, "", nil, false)
	if code != 0 || stdout != "\"hi\"\n" {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	re := regexp.MustCompile(`^debug: trace: echo\.echo \(/1\) onResult in [\d.]+ms\ndebug: log: 127\.0\.0\.1:\d+ echo\.echo /1 -> onResult [\d.]+ms\n$`)
	if !re.MatchString(stderr) {
		t.Fatalf("stderr:\n%s", stderr)
	}
	_, stderr, code = run(t, []string{"call", "--debug-events", "-v", url, "echo.fail", `"a\u001b[2Jb"`}, "", nil, false)
	if code != 1 || !strings.Contains(stderr, `debug: trace: {"EventType":"trace","Source":"Server","Time":{"$date":"`) ||
		!strings.Contains(stderr, `debug: log: {"EventType":"log","Source":"Server","Time":{"$date":"`) || strings.Contains(debugLines(stderr), "\x1b") {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}
	// Without the flag the header is not sent and nothing is printed.
	_, stderr, _ = run(t, []string{"call", url, "echo.echo", `"hi"`}, "", nil, false)
	if stderr != "" {
		t.Fatalf("stderr without --debug-events: %q", stderr)
	}
}

func debugLines(stderr string) string {
	var b strings.Builder
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "debug: ") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestDebugLineHostile(t *testing.T) {
	ev := &amf.Object{Members: []amf.Member{{Name: "EventType", Value: "lo\x1bg"}, {Name: "Message", Value: "a\x1b]0;x\x07\u009b\u202eb\nc"}}}
	if got, want := debugLine(ev, false), "debug: lo?g: a?]0;x???b c"; got != want {
		t.Fatalf("debugLine = %q, want %q", got, want)
	}
	ev = &amf.Object{Members: []amf.Member{{Name: "EventType", Value: "x"}, {Name: "N", Value: 1.5}, {Name: "S", Value: "a\x1b"}}}
	if got, want := debugLine(ev, false), `debug: x: N=1.5 S="a\u001b"`; got != want {
		t.Fatalf("debugLine = %q, want %q", got, want)
	}
	if got, want := debugLine("just text", false), `debug: event: "just text"`; got != want {
		t.Fatalf("debugLine = %q, want %q", got, want)
	}
}

// TestCallDebugEventsTerminal: on a terminal, where stdout and stderr
// share one screen, every line comes whole: the result line is never
// split by the debug lines ("1debug: trace: ..."), it comes first, and -v with
// --debug-events does not tell the user to add -v.
func TestCallDebugEventsTerminal(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	for _, args := range [][]string{
		{"call", "--debug-events", url, "echo.echo", "1"},
		{"call", "--debug-events", "--color", "always", url, "echo.echo", "1"},
		{"call", "--debug-events", "--destination", "echo", url, "echo", "1"},
		{"call", "--debug-events", "-v", url, "echo.echo", "1"},
	} {
		var screen bytes.Buffer
		e := &runEnv{
			args: append([]string{"amfcall"}, args...), stdin: strings.NewReader(""),
			stdout: &screen, stderr: &screen,
			getenv:     func(k string) string { return map[string]string{"TERM": "xterm"}[k] },
			isTerminal: func(s any) bool { return s == any(&screen) },
		}
		if code := e.run(); code != 0 {
			t.Fatalf("%v: exit %d:\n%s", args, code, screen.String())
		}
		for _, line := range strings.Split(strings.TrimSuffix(screen.String(), "\n"), "\n") {
			if i := strings.Index(line, "debug: "); i > 0 {
				t.Errorf("%v: a debug line is glued to other output: %q\n%s", args, line, screen.String())
			}
			if strings.Contains(line, "see them with -v") {
				t.Errorf("%v: says %q", args, line)
			}
		}
		if !strings.Contains(screen.String(), "debug: trace: ") {
			t.Errorf("%v: no debug line:\n%s", args, screen.String())
		}
		// The result comes first, as the README shows; the debug lines
		// after it.
		plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(screen.String(), "")
		if args[2] != "-v" && !strings.HasPrefix(plain, "1\ndebug: ") {
			t.Errorf("%v: the result is not the first line:\n%s", args, screen.String())
		}
	}
}

// bench has call's HTTP flags: --max-response-size bounds each reply (a
// larger one is a "reply too large" transport error, and the hint says
// which flag raises it), and -H reaches the gateway.
func TestBenchHTTPFlags(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	big := `"` + strings.Repeat("x", 100_000) + `"`
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "4", "--max-response-size", "10K", url, "echo.echo", big}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  calls      0 answered") || !strings.Contains(stdout, "transport errors:\n           4  reply too large\n") ||
		stderr != "amfcall: error: no call was answered (4 requests)\namfcall: hint: the replies are over --max-response-size (10K), or would take more than 8 times that once decoded; raise it\n"+
			"amfcall: hint: check the URL; see one exchange with amfcall call -vv, given the same flags, URL and call (its arguments are too long to write out here)\n" {
		t.Fatalf("10K: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"bench", "-c", "2", "-n", "4", "--max-response-size", "1M", url, "echo.echo", big}, "", nil, false)
	if code != 0 || stderr != "" || !strings.Contains(stdout, "4 answered") || !strings.Contains(stdout, "4 results, 0 faults") {
		t.Fatalf("1M: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	_, stderr, code = run(t, []string{"bench", "--max-response-size", "lots", url, "echo.echo"}, "", nil, false)
	if code != 2 || stderr != "amfcall: error: --max-response-size: invalid size \"lots\"\namfcall: hint: give a byte count such as 1048576, 100M or 1G\n" {
		t.Fatalf("lots: code %d, stderr %q", code, stderr)
	}

	// -H goes with every request: a gateway behind a check of it answers.
	g, _ := startGateway(t, gateway.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != "t0k" {
			http.Error(w, "no token", http.StatusForbidden)
			return
		}
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	stdout, _, code = run(t, []string{"bench", "-n", "3", srv.URL + "/", "echo.echo", "1"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "  HTTP errors:\n           3  403 Forbidden\n") {
		t.Fatalf("without -H: code %d\n%s", code, stdout)
	}
	stdout, stderr, code = run(t, []string{"bench", "-n", "3", "-H", "X-Token: t0k", srv.URL + "/", "echo.echo", "1"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "3 results, 0 faults") {
		t.Fatalf("with -H: code %d\n%s\n%s", code, stdout, stderr)
	}
}

// A gateway that never answers: every request times out, and the hint
// names the timeouts.
func TestBenchTimeoutHint(t *testing.T) {
	addr := acceptAll(t, func(c net.Conn) { io.Copy(io.Discard, c) })
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "-n", "2", "--timeout", "200ms", "http://" + addr + "/", "echo.echo"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, "transport errors:\n           2  timed out\n") ||
		stderr != "amfcall: error: no call was answered (2 requests)\n"+
			"amfcall: hint: no reply came within --timeout (200ms) or --idle-timeout (60s); raise them if the gateway is only slow (0 is no limit)\n"+
			"amfcall: hint: check the URL; see one exchange with amfcall call -vv --timeout 200ms http://"+addr+"/ echo.echo\n" {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// bench @FILE over what a ByteArray holds (256 MiB - 1) is refused from
// its size before it is read, naming the argument and the file, as call
// refuses it (byteArrayArg); it was read whole (up to 1 GiB), then
// failed to encode, naming neither. Nothing is sent.
func TestBenchByteArrayArgumentTooLarge(t *testing.T) {
	t.Parallel()
	big := filepath.Join(t.TempDir(), "sp.bin")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(300 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	for _, cmd := range []string{"bench", "call"} {
		_, stderr, code := run(t, []string{cmd, srv.URL + "/", "a.b", "1", "@" + big}, "", nil, false)
		want := "amfcall: error: argument 2: " + big + " is 314572800 bytes; an AMF3 ByteArray holds at most 268435455 bytes (256 MiB - 1)\n" +
			"amfcall: hint: AMF cannot carry it in one call; split the file or send it another way\n"
		if code != exitUsage || stderr != want {
			t.Errorf("%s: exit %d, stderr %q\nwant %q", cmd, code, stderr, want)
		}
	}
	if hits != 0 {
		t.Errorf("%d requests sent", hits)
	}
}

// An argument's (or --amf-header's) typed date keeps its "$tz" in AMF0;
// sent in AMF3 (--amf3, --flex or --destination: each value through the
// switch) it is dropped, and call and bench warn once, naming the
// argument and where the "$tz" is.
func TestArgumentDateTZ(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	const arg = `{"when": {"$date": 0, "$tz": -60}}`
	const warn = `amfcall: warning: argument 1: the "$tz" of the date at "/when" (line 1, column 24) is dropped: AMF3 dates have no time-zone field (AMF0 writes it); the date is written without it` + "\n"
	const batch = `{"target": "echo.echo", "args": [` + arg + `]}` + "\n"
	const batchWarn = `amfcall: warning: --batch stdin: the "$tz" of the date at "/args/0/when" (line 1, column 57) is dropped`
	for _, tc := range []struct {
		args  []string
		warn  string
		stdin string
	}{
		{[]string{"call", "--offline", "--amf3", url, "echo.echo", arg}, warn, ""},
		{[]string{"call", "--offline", url, "echo.echo", arg}, "", ""},
		{[]string{"call", "--offline", "--amf3", "-d", "[" + arg + "]", url, "echo.echo"},
			`amfcall: warning: -d: the "$tz" of the date at "/0/when" (line 1, column 25) is dropped`, ""},
		{[]string{"call", "--offline", "--destination", "echoService", url, "echo", arg}, warn, ""},
		{[]string{"call", "--offline", "--amf3", "--amf-header", "T=" + arg, url, "echo.echo"},
			`amfcall: warning: --amf-header T: the "$tz" of the date at "/when" (line 1, column 24) is dropped`, ""},
		{[]string{"call", "--offline", "--amf-header", "T=" + arg, url, "echo.echo"}, "", ""},
		{[]string{"bench", "-n", "2", "--amf3", url, "echo.echo", arg}, warn, ""},
		{[]string{"bench", "-n", "2", url, "echo.echo", arg}, "", ""},
		{[]string{"call", "--offline", "--amf3", "--batch", "-", url}, batchWarn, batch},
		{[]string{"call", "--offline", "--batch", "-", url}, "", batch},
		{[]string{"bench", "-n", "2", "--amf3", "--batch", "-", url}, batchWarn, batch},
	} {
		_, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 0 || !strings.HasPrefix(stderr, tc.warn) || strings.Count(stderr, "$tz") != strings.Count(tc.warn, "$tz") {
			t.Errorf("%q: exit %d, stderr %q\nwant %q", tc.args, code, stderr, tc.warn)
		}
	}
}

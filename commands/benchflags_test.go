package commands

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// bench has call's flags, with call's own definitions (one help text).
func TestBenchSharesCallFlags(t *testing.T) {
	for _, name := range []string{"amf3", "flex", "amf-header", "must-understand", "user", "destination", "source", "remote-user", "endpoint", "debug-events"} {
		b, c := findFlag(benchCommand.Flags, name), findFlag(callCommand.Flags, name)
		if b == nil || b != c {
			t.Errorf("--%s: bench %v, call %v", name, b, c)
		}
	}
	for _, name := range []string{"session", "verbose"} {
		if findFlag(benchCommand.Flags, name) == nil {
			t.Errorf("bench has no --%s", name)
		}
	}
}

// bench takes call's flags and does with them what call does: -u, Flex
// destinations with a login once per connection, --amf-header,
// --session (read, never written), -v (one exchange per run, not one per
// request) and --debug-events.
func TestBenchCallFlags(t *testing.T) {
	_, url := startGateway(t, gateway.Options{User: "alice", Password: "pw"})
	ok := func(n string) string { return "calls      " + n + " answered" }
	for _, tc := range []struct {
		args     []string
		code     int
		stdout   string // a part of it
		stderr   string // a part of it ("" for none at all)
		requests int    // "* request packet" lines on stderr
	}{
		{args: []string{"-u", "alice:pw", url, "secure.whoami"}, stdout: ok("12") + " (", requests: 0},
		{args: []string{"--destination", "secure", "-u", "alice:pw", url, "whoami"}, stdout: "12 results, 0 faults"},
		{args: []string{"--destination", "secure", "-u", "alice:nope", url, "whoami"}, code: 1,
			stderr: "amfcall: error: Flex login before the run: "},
		{args: []string{"--flex", "--source", "echo", url, "nosuch.echo", "1"}, stdout: "12 results, 0 faults"},
		{args: []string{"--amf-header", `Tok="a"`, "--must-understand", url, "echo.echo", "1"}, code: 1,
			stdout: "12  Server.Header.NotUnderstood", stderr: "amfcall: error: every call answered with a fault"},
		{args: []string{"--must-understand", url, "echo.echo"}, code: 2, stderr: "amfcall: error: --must-understand needs --amf-header\n"},
		{args: []string{"--source", "x", url, "echo.echo"}, code: 2, stderr: "amfcall: error: --source needs --destination (or --flex)\n"},
		{args: []string{"-v", url, "echo.echo", `"x"`}, stdout: "12 results", stderr: "* reply packet", requests: 1},
		{args: []string{"-v", "--destination", "echo", url, "echo", `"x"`}, stdout: "12 results", stderr: "CommandMessage", requests: 2},
		{args: []string{"--debug-events", url, "echo.echo", `"x"`}, stdout: "12 results", stderr: "debug: trace: echo.echo (/1) onResult"},
	} {
		args := append([]string{"bench", "-c", "3", "-n", "12"}, tc.args...)
		stdout, stderr, code := run(t, args, "", nil, false)
		n := strings.Count(stderr, "* request packet")
		if code != tc.code || !strings.Contains(stdout, tc.stdout) || (tc.stderr == "") != (stderr == "") || !strings.Contains(stderr, tc.stderr) || n != tc.requests {
			t.Errorf("%q: exit %d, %d requests shown\nstdout:\n%s\nstderr:\n%s", args, code, n, stdout, stderr)
		}
		if strings.Contains(tc.args[0], "debug") && strings.Count(stderr, "debug: trace:") != 1 {
			t.Errorf("--debug-events: want the events of one reply:\n%s", stderr)
		}
	}

	// --session: the session call made, used by every connection, and
	// left as it was.
	session := writeFile(t, "s.json", nil)
	os.Remove(session)
	if _, stderr, code := run(t, []string{"call", "--session", session, url, "login", `"alice"`, `"pw"`}, "", nil, false); code != 0 {
		t.Fatalf("login: %d %s", code, stderr)
	}
	before, _ := os.ReadFile(session)
	stdout, stderr, code := run(t, []string{"bench", "-c", "3", "-n", "9", "--session", session, url, "session.whoami"}, "", nil, false)
	after, _ := os.ReadFile(session)
	if code != 0 || !strings.Contains(stdout, "9 results, 0 faults") || !bytes.Equal(before, after) {
		t.Fatalf("--session: %d\n%s\n%s\nsession changed: %v", code, stdout, stderr, !bytes.Equal(before, after))
	}
	_, stderr, code = run(t, []string{"bench", "-n", "1", "--session", session + ".none", url, "session.whoami"}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, "no such file") {
		t.Fatalf("missing session: %d %s", code, stderr)
	}
}

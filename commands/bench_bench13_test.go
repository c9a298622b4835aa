package commands

import (
	"strings"
	"testing"
)

// socketHintLine is the command a hint of stderr gives after "write: ".
func socketHintLine(t *testing.T, stderr string) string {
	t.Helper()
	for _, l := range strings.Split(stderr, "\n") {
		if _, line, ok := strings.Cut(l, "amfcall: hint: for an AMF Socket server at "); ok {
			if _, cmd, ok := strings.Cut(line, ", write: "); ok {
				return cmd
			}
		}
	}
	t.Fatalf("no command hint:\n%s", stderr)
	return ""
}

// "bench HOST:PORT COMMAND [PARAMS]" (as socket call is written) is
// told the bench command that runs as pasted: the run's flags, the
// address as socket://HOST:PORT and the command; it wrote
// "amfcall bench socket://HOST:PORT COMMAND [PARAMS]", placeholders in
// place of what the user had typed.
func TestBenchSocketAddressHintRuns(t *testing.T) {
	addr := socketDemo(t)
	_, stderr, code := run(t, []string{"bench", "-n", "3", "--format", "json", addr, "add", `{"a": 2, "b": 3}`}, "", nil, false)
	line := socketHintLine(t, stderr)
	if code != 2 || line != "amfcall bench --count 3 --format json socket://"+addr+` add '{"a": 2, "b": 3}'` {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	words := shellWords(t, line)
	stdout, stderr, code := run(t, words[1:], "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"requests":3,`) || !strings.Contains(stdout, `"ok":3,`) {
		t.Fatalf("%q: code %d\n%s\n%s", line, code, stdout, stderr)
	}
	// Flags a socket target refuses are left out of the line.
	_, stderr, _ = run(t, []string{"bench", "-H", "X-A: 1", "-n", "1", addr, "add"}, "", nil, false)
	if line := socketHintLine(t, stderr); line != "amfcall bench --count 1 socket://"+addr+" add" {
		t.Fatalf("%s", stderr)
	}
}

// socket call and socket listen given an http:// URL with a port are
// told their command with HOST:PORT, to paste, as bench is told its
// own; it said only "for example 127.0.0.1:9001".
func TestSocketHTTPAddressHintRuns(t *testing.T) {
	addr := socketDemo(t)
	_, stderr, code := run(t, []string{"socket", "call", "--timeout", "5s", "http://" + addr + "/", "add", `{"a": 2, "b": 3}`}, "", nil, false)
	line := socketHintLine(t, stderr)
	if code != 2 || line != "amfcall socket call --timeout 5s "+addr+` add '{"a": 2, "b": 3}'` {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, shellWords(t, line)[1:], "", nil, false)
	if code != 0 || strings.TrimSpace(stdout) != "5" {
		t.Fatalf("%q: code %d\n%s\n%s", line, code, stdout, stderr)
	}
	_, stderr, code = run(t, []string{"socket", "listen", "--for", "1s", "http://" + addr}, "", nil, false)
	if line := socketHintLine(t, stderr); code != 2 || line != "amfcall socket listen --for 1s "+addr {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	// No port: no HOST:PORT to write.
	_, stderr, _ = run(t, []string{"socket", "call", "http://example.com/gw", "add"}, "", nil, false)
	if strings.Contains(stderr, "write:") {
		t.Fatalf("%s", stderr)
	}
}

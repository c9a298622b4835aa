package commands

import (
	"io"
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// bench with no call answered hinted "see one exchange with amfcall call
// -vv", with no URL or call: not a command to run. It now writes out the
// call bench made (as the all-faults hint does), and split by a real
// shell and run, it shows the exchange and fails as bench's calls did.
func TestBenchNoAnswerCallLine(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no POSIX shell to split the line")
	}
	t.Parallel()
	u := "http://" + closedPort(t) + "/"
	_, stderr, code := run(t, []string{"bench", "-n", "1", "--timeout", "5s", u, "echo.echo", `"it's"`}, "", nil, false)
	const lead = "amfcall: hint: check the URL; see one exchange with "
	i := strings.Index(stderr, lead)
	if code != 3 || i < 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	line, _, _ := strings.Cut(stderr[i+len(lead):], "\n")
	if want := `amfcall call -vv --timeout 5s ` + u + ` echo.echo '"it'\''s"'`; line != want {
		t.Errorf("line:\n%s\nwant:\n%s", line, want)
	}
	out, err := exec.Command(sh, "-c", `printf '%s\0' `+line).Output()
	if err != nil {
		t.Fatalf("sh cannot split %s: %v", line, err)
	}
	words := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	_, stderr, code = run(t, words[1:], "", nil, false)
	if code != 3 || !strings.Contains(stderr, "* POST "+u) || !strings.Contains(stderr, "connection refused") {
		t.Errorf("%s: exit %d\nstderr %s", line, code, stderr)
	}
}

// bench --for against a gateway that answers nothing within the run: the
// summary was all zeros ("requests 0 (0.0/s)") with exit 0 and not a
// word, as if the run had worked. It now exits 3 (cli.md: the network
// failed, a timeout) saying that no request finished within --for, with
// the summary still on stdout.
func TestBenchForNothingFinished(t *testing.T) {
	t.Parallel()
	u := "http://" + acceptAll(t, func(c net.Conn) { io.Copy(io.Discard, c) }) + "/"
	stdout, stderr, code := run(t, []string{"bench", "-c", "2", "--for", "200ms", u, "echo.echo", "1"}, "", nil, false)
	want := "amfcall: error: no request finished within --for 200ms: the gateway answered none in that time\n" +
		"amfcall: hint: raise --for if the gateway is only slow; see one exchange with amfcall call -vv " + u + " echo.echo 1\n"
	if code != 3 || stderr != want || !strings.Contains(stdout, "  requests   0 (0.0/s)\n") {
		t.Errorf("code %d\nstdout:\n%s\nstderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}
	stdout, _, code = run(t, []string{"bench", "-c", "2", "--for", "200ms", "--format", "json", u, "echo.echo", "1"}, "", nil, false)
	if code != 3 || !strings.Contains(stdout, `"requests":0,`) {
		t.Errorf("--format json: code %d\n%s", code, stdout)
	}
}

// bench's call-line hints wrote every ARG whole: a 100 KB argument made
// a 100 KB hint, the argument again on stderr. A line over 1000 bytes is
// now described instead.
func TestBenchCallLineHintBounded(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	long := `"` + strings.Repeat("x", 100_000) + `"`
	_, stderr, code := run(t, []string{"bench", "-n", "2", "-c", "1", u, "echo.fail", long}, "", nil, false)
	want := "amfcall: error: every call answered with a fault (2 faults; the commonest Echo.Failure)\n" +
		"amfcall: hint: see one with: amfcall call, given the same flags, URL and call (its arguments are too long to write out here)\n"
	if code != 1 || stderr != want {
		t.Errorf("code %d, %d bytes of stderr:\n%.500s", code, len(stderr), stderr)
	}
	// A short one is still written out.
	_, stderr, _ = run(t, []string{"bench", "-n", "2", "-c", "1", u, "echo.fail", `"x"`}, "", nil, false)
	if !strings.HasSuffix(stderr, "amfcall: hint: see one with: amfcall call "+u+` echo.fail '"x"'`+"\n") {
		t.Errorf("short: %s", stderr)
	}
}

package commands

import (
	"os/exec"
	"strings"
	"testing"
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

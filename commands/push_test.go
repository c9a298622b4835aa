package commands

import (
	"regexp"
	"testing"
)

// TestSocketCallPush: during "socket call", each message the server
// pushes shows on stderr as one line, push: COMMAND: JSON, escaped; -q
// hides them; stdout has the results only.
func TestSocketCallPush(t *testing.T) {
	t.Parallel()
	addr := socketDemo(t)
	args := []string{"socket", "call", addr, "--call", `push={"count": 2, "interval": 0}`, "--call", `sleep={"ms": 300}`}
	stdout, stderr, code := run(t, args, "", nil, false)
	re := regexp.MustCompile(`^push: tick: \{"n":1,"of":2,"time":\d+\}\npush: tick: \{"n":2,"of":2,"time":\d+\}\n$`)
	if code != 0 || stdout != "{\"pushing\":2}\n{\"slept\":300}\n" || !re.MatchString(stderr) {
		t.Errorf("code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, append([]string{"socket", "call", "-q"}, args[2:]...), "", nil, false)
	if code != 0 || stdout != "{\"pushing\":2}\n{\"slept\":300}\n" || stderr != "" {
		t.Errorf("-q: code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	// A hostile command name and body cannot drive the terminal or break
	// the line.
	args = []string{"socket", "call", addr, "--call", `push={"count": 1, "interval": 0, "command": "\u001b[2J\n\u202e"}`, "--call", `sleep={"ms": 300}`}
	_, stderr, code = run(t, args, "", nil, false)
	re = regexp.MustCompile(`^push: \\x1b\[2J\\x0a\\u202e: \{"n":1,"of":1,"time":\d+\}\n$`)
	if code != 0 || !re.MatchString(stderr) {
		t.Errorf("hostile: code %d\nstderr %q", code, stderr)
	}
}

package commands

import (
	"strings"
	"testing"
)

// subscribe --retry-for 1s against a gateway that stops: the warning
// said "trying again, for up to 1s, at most 2s apart", a wait longer
// than the whole bound. It says "for up to 1s" alone, and the bound
// ends it (exit 3).
func TestSubscribeShortRetryForWording(t *testing.T) {
	u, ops, stop := serveGatewayAt(t, "127.0.0.1:0")
	type result struct {
		stderr string
		code   int
	}
	res := make(chan result, 1)
	go func() {
		_, e, c := run(t, []string{"subscribe", "--interval", "50ms", "--retry-for", "1s", "--for", "20s", u, "chat"}, "", nil, false)
		res <- result{e, c}
	}()
	waitFor(t, "a poll", func() bool { return ops.ops[2].Load() >= 1 })
	stop()
	r := <-res
	if r.code != 3 || !strings.Contains(r.stderr, "trying again, for up to 1s; nothing is received meanwhile") || strings.Contains(r.stderr, "apart") {
		t.Errorf("exit %d\n%s", r.code, r.stderr)
	}
}

// call pointed at an AMF Socket server's port: the server reads the
// HTTP request as a frame length and closes; the hint said only TLS or
// a crashed gateway (flexuser15).
func TestCallAtSocketPortHint(t *testing.T) {
	t.Parallel()
	addr := socketDemo(t)
	_, stderr, code := run(t, []string{"call", "http://" + addr + "/", "echo.echo", "1"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "if it is an AMF Socket server's, it speaks frames, not HTTP") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

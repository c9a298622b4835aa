package commands

import (
	"strings"
	"testing"
)

// --for ends while the gateway does not answer: exit 3, saying since
// when nothing was received. The hint said to raise --retry-for ("now
// 2m0s"), which had not run out: --for had (the two deadlines are the
// same instant, and which one Watch saw first was a race that --retry-for
// mostly won). It now says --for ended the run.
func TestSubscribeForEndsWhileDown(t *testing.T) {
	u, ops, stop := serveGatewayAt(t, "127.0.0.1:0")
	type result struct {
		stdout, stderr string
		code           int
	}
	res := make(chan result, 1)
	go func() {
		o, e, c := run(t, []string{"subscribe", "--interval", "20ms", "--for", "400ms", u, "chat"}, "", nil, false)
		res <- result{o, e, c}
	}()
	waitFor(t, "the subscription", func() bool { return ops.ops[0].Load() == 1 })
	stop()
	r := <-res
	if r.code != exitNetwork || strings.Contains(r.stderr, "--retry-for DURATION") ||
		!strings.Contains(r.stderr, "amfcall: error: subscribe to chat: the gateway did not answer for ") ||
		!strings.Contains(r.stderr, "messages published since 20") ||
		!strings.Contains(r.stderr, "--for (400ms) ended while the gateway did not answer") {
		t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, exitNetwork, r.stdout, r.stderr)
	}
}

package commands

import (
	"strings"
	"testing"
)

// subscribe tried a gateway that went away for a fixed 2 minutes, with no
// way for a script to have exit 3 at the first failure, as before the
// retry. --retry-for DURATION sets the time (as curl's --retry-max-time
// bounds its retries); 0 ends at the first failure the retry would
// outlive (refused, reset, 5xx), exit 3, with no "trying again".
func TestSubscribeRetryFor(t *testing.T) {
	for _, tc := range []struct {
		retry string
		want  []string // in stderr
		not   string
	}{
		// The first failure: a refused connection, or (on Windows) the
		// kept-alive one reset as the gateway stops.
		{"0", []string{"amfcall: error: connection "}, "trying again"},
		{"300ms", []string{"trying again, for up to 300ms", "the gateway did not answer for", "connection refused"}, ""},
	} {
		u, ops, stop := serveGatewayAt(t, "127.0.0.1:0")
		type result struct {
			stderr string
			code   int
		}
		res := make(chan result, 1)
		go func() {
			// --for is long: only the outage ends subscribe.
			_, e, c := run(t, []string{"subscribe", "--interval", "50ms", "--for", "60s", "--retry-for", tc.retry, u, "chat"}, "", nil, false)
			res <- result{e, c}
		}()
		waitFor(t, "the subscription", func() bool { return ops.ops[0].Load() == 1 })
		stop()
		r := <-res
		ok := r.code == exitNetwork && (tc.not == "" || !strings.Contains(r.stderr, tc.not))
		for _, w := range tc.want {
			ok = ok && strings.Contains(r.stderr, w)
		}
		if !ok {
			t.Errorf("--retry-for %s: exit %d, want 3 with %q and not %q; stderr:\n%s", tc.retry, r.code, tc.want, tc.not, r.stderr)
		}
	}
	checkCase(t, cliCase{name: "bad", args: []string{"subscribe", "--retry-for", "soon", "http://127.0.0.1:1/", "chat"}, code: exitUsage,
		stderr: "amfcall: error: --retry-for: invalid duration \"soon\"\namfcall: hint: give a duration such as 2m or 30s, or 0 to stop at the first failure\n"})
}

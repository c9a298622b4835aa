package commands

import (
	"io"
	"net"
	"strings"
	"testing"
)

// subscribe to a gateway that never answers, within --for: the hint said
// "check the gateway with amfcall call -v", which names no URL nor call
// (and a plain call is not the Flex ping that stalled). It now gives the
// same subscribe with -vv, which, run, traces the ping it waits on.
func TestSubscribeForHintRuns(t *testing.T) {
	t.Parallel()
	u := "http://" + acceptAll(t, func(c net.Conn) { io.Copy(io.Discard, c) }) + "/"
	checkCase(t, cliCase{args: []string{"subscribe", "--for", "200ms", u, "my room"}, code: 3,
		stderr: "amfcall: error: subscribe (" + u + "): no subscription within --for 200ms: the gateway did not answer the subscribe request in that time\n" +
			"amfcall: hint: raise --for; amfcall subscribe -vv --for 200ms " + u + " " + shellWord("my room") + " shows each exchange (the ping, the subscribe) and where it stops\n"})
	_, stderr, code := run(t, []string{"subscribe", "-vv", "--for", "200ms", u, "my room"}, "", nil, false)
	if code != 3 || !strings.Contains(stderr, "* POST "+u) || !strings.Contains(stderr, `"operation":5`) {
		t.Errorf("the hint, run: code %d\n%s", code, stderr)
	}
}

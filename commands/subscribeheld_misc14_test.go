package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A gateway that answered the subscription and a poll at once, then
// reads the next poll and never answers (stuck, or the network between
// went dead under a kept-alive connection): subscribe took every poll
// cut at --timeout for one a long-polling channel holds, warned to
// raise --timeout, and polled again for ever; the outage logic
// (--retry-for, the warning that nothing is received) never started.
// A poll held far past the gateway's own wait (its polls answered in a
// few milliseconds) is now an outage: tried again, then exit 3 once
// --retry-for is over.
func TestSubscribeStuckGatewayIsAnOutage(t *testing.T) {
	release := make(chan struct{})
	var first = make(chan struct{}, 1)
	first <- struct{}{}
	u, polls := oddPollServer(t, func() any {
		select {
		case <-first:
		default:
			<-release // read, and never answered
		}
		return flexReply(amf.ClassAcknowledgeMessage, nil)
	})
	t.Cleanup(func() { close(release) }) // before the server's Close, which waits for its handlers
	stdout, stderr, code := run(t, []string{"subscribe", "--timeout", "200ms", "--interval", "50ms", "--retry-for", "150ms", "--for", "3s", u, "chat"}, "", nil, false)
	if code != exitNetwork || stdout != "" || polls.Load() < 3 ||
		!strings.Contains(stderr, "amfcall: warning: gateway unreachable: a poll failed: timed out") ||
		!strings.Contains(stderr, "amfcall: error: subscribe to chat: the gateway did not answer for ") ||
		strings.Contains(stderr, "a poll was not answered in time") {
		t.Errorf("exit %d after %d polls, want %d after 3 or more, an outage; stdout %q\nstderr:\n%s", code, polls.Load(), exitNetwork, stdout, stderr)
	}
}

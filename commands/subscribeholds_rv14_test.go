package commands

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// A long-polling gateway that answers some polls at once with nothing
// (BlazeDS does when more polls wait than max-waiting-poll-requests, or
// when another poll of the client comes) and holds the others until a
// message comes, longer than --timeout. misc14 took the first held poll
// for a stuck gateway ("held far past its own wait" of 1ms): the
// warning that it is unreachable, then exit 3 once --retry-for was
// over, while the gateway answered everything else at once and held
// the poll as a long-polling channel does. A gateway that still
// answers (a Flex ping, at once) is holding the poll: not an outage.
func TestSubscribeHoldingGatewayIsNoOutage(t *testing.T) {
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{{Name: "body", Value: "late"}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	var n atomic.Int64
	u, _ := oddPollServer(t, func() any {
		switch n.Add(1) {
		case 1, 2:
			return flexReply(amf.ClassAcknowledgeMessage, nil) // at once, nothing
		case 3, 4:
			time.Sleep(250 * time.Millisecond) // held past --timeout
			return flexReply(amf.ClassAcknowledgeMessage, nil)
		}
		return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{msg}})
	})
	stdout, stderr, code := run(t, []string{"subscribe", "--timeout", "150ms", "--interval", "10ms", "--retry-for", "100ms", "--count", "1", "--for", "5s", u, "chat"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"body":"late"`) || strings.Contains(stderr, "unreachable") ||
		!strings.Contains(stderr, "a poll was not answered in time") {
		t.Errorf("exit %d, stdout %q; stderr:\n%s", code, stdout, stderr)
	}
}

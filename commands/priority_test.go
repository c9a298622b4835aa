package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestPublishPriority: publish --priority N sends the message with Flex's
// DSPriority header (0 to 9, digest §4.3), which --message-header refuses
// as one of Flex's own; a priority out of range is a usage error before
// anything is sent.
func TestPublishPriority(t *testing.T) {
	t.Parallel()
	srv, sent := recordingGateway(t)
	checkCase(t, cliCase{args: []string{"publish", "--priority", "10", srv.URL, "alerts", `"x"`}, code: exitUsage,
		stderr: "amfcall: error: --priority 10: a Flex message's priority is 0 to 9\namfcall: hint: 4 is a Producer's default; 9 the most urgent\n"})
	if n := len(sent()); n != 0 {
		t.Fatalf("%d requests sent for a bad priority", n)
	}
	_, u := startGateway(t, gateway.Options{})
	_, stderr, code := run(t, []string{"publish", "-vv", "--priority", "7", u, "alerts", `"disk full"`}, "", nil, false)
	if code != 0 {
		t.Fatalf("publish --priority 7: code %d, stderr %s", code, stderr)
	}
	// The request packet as -vv shows it: the AsyncMessage's headers.
	if !strings.Contains(stderr, `"$class":"flex.messaging.messages.AsyncMessage","body":"disk full"`) ||
		!strings.Contains(stderr, `"DSEndpoint":"my-amf","DSPriority":7}`) {
		t.Errorf("no DSPriority 7 in the published message:\n%s", stderr)
	}
}

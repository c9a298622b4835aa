package commands

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
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
// few milliseconds), by a gateway that answers no Flex ping either, is
// now an outage: tried again, then exit 3 once --retry-for is over.
func TestSubscribeStuckGatewayIsAnOutage(t *testing.T) {
	release := make(chan struct{})
	var first = make(chan struct{}, 1)
	first <- struct{}{}
	var stuck atomic.Bool
	inner, polls := oddPollServer(t, func() any {
		select {
		case <-first:
		default:
			stuck.Store(true) // from now on nothing is answered, not even a ping
			<-release         // read, and never answered
		}
		return flexReply(amf.ClassAcknowledgeMessage, nil)
	})
	to, _ := url.Parse(inner)
	proxy := httputil.NewSingleHostReverseProxy(to)
	proxy.ErrorLog = log.New(io.Discard, "", 0)
	var unanswered atomic.Int64 // requests read and never answered
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stuck.Load() {
			unanswered.Add(1)
			io.Copy(io.Discard, r.Body)
			<-release
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	t.Cleanup(func() { close(release) }) // before the servers' Close, which waits for their handlers
	u := front.URL + "/"
	stdout, stderr, code := run(t, []string{"subscribe", "--timeout", "150ms", "--interval", "50ms", "--retry-for", "100ms", "--for", "3s", u, "chat"}, "", nil, false)
	if code != exitNetwork || stdout != "" || polls.Load() < 2 || unanswered.Load() < 2 ||
		!strings.Contains(stderr, "amfcall: warning: gateway unreachable: a poll failed: timed out") ||
		!strings.Contains(stderr, "amfcall: error: subscribe to chat: the gateway did not answer for ") ||
		strings.Contains(stderr, "a poll was not answered in time") {
		t.Errorf("exit %d after %d polls and %d requests unanswered, want %d after 2 or more of each, an outage; stdout %q\nstderr:\n%s", code, polls.Load(), unanswered.Load(), exitNetwork, stdout, stderr)
	}
}

package commands

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// flexOpCounter wraps a gateway's handler and counts the Flex
// CommandMessages it passes on, by operation.
type flexOpCounter struct {
	h   http.Handler
	ops [16]atomic.Int64
}

func (f *flexOpCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if p, err := amf.UnmarshalPacket(body); err == nil {
		for _, m := range p.Messages {
			if a, ok := m.Value.(*amf.Array); ok && len(a.Dense) == 1 {
				if o, ok := amf.Unwrap(a.Dense[0]).(*amf.Object); ok && o.Class == amf.ClassCommandMessage {
					if op, _ := amf.FlexField(o, "operation").(amf.Int); op >= 0 && int(op) < len(f.ops) {
						f.ops[op].Add(1)
					}
				}
			}
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	f.h.ServeHTTP(w, r)
}

// serveGatewayAt runs a new amfcall gateway on addr ("127.0.0.1:0" for
// any port) until stop.
func serveGatewayAt(t *testing.T, addr string) (url string, ops *flexOpCounter, stop func()) {
	t.Helper()
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	var ln net.Listener
	for i := 0; i < 50; i++ { // the old one's port may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	ops = &flexOpCounter{h: g}
	srv := &http.Server{Handler: ops}
	done := make(chan struct{})
	go func() { srv.Serve(ln); close(done) }()
	var once atomic.Bool
	stop = func() {
		if once.Swap(true) {
			return
		}
		srv.Close()
		<-done
		g.Close()
	}
	t.Cleanup(stop)
	return "http://" + ln.Addr().String() + "/", ops, stop
}

// waitFor waits (at most 10s) until cond holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A gateway restarted under a running subscribe: subscribe ended at
// the first poll that found it down (exit 3), and what was published
// once the gateway was back was never seen. It now tries again until
// the gateway answers, subscribes again, and prints what is published
// after the restart, with one warning for the outage and one for the
// return.
func TestSubscribeOutlivesGatewayRestart(t *testing.T) {
	u, ops1, stop1 := serveGatewayAt(t, "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
	type result struct {
		stdout, stderr string
		code           int
	}
	res := make(chan result, 1)
	go func() {
		o, e, c := run(t, []string{"subscribe", "--interval", "50ms", "--count", "2", "--for", "20s", u, "chat"}, "", nil, false)
		res <- result{o, e, c}
	}()
	waitFor(t, "the subscription", func() bool { return ops1.ops[0].Load() == 1 })
	if _, stderr, code := run(t, []string{"publish", u, "chat", `"before"`}, "", nil, false); code != 0 {
		t.Fatalf("publish: exit %d, %s", code, stderr)
	}
	polls := ops1.ops[2].Load()
	waitFor(t, "a poll after the publish", func() bool { return ops1.ops[2].Load() > polls })
	stop1()
	time.Sleep(300 * time.Millisecond) // some polls find nothing listening
	_, ops2, _ := serveGatewayAt(t, addr)
	waitFor(t, "subscribe to subscribe again, or end", func() bool { return ops2.ops[0].Load() >= 1 || len(res) > 0 })
	if len(res) == 0 {
		if _, stderr, code := run(t, []string{"publish", u, "chat", `"after"`}, "", nil, false); code != 0 {
			t.Fatalf("publish after the restart: exit %d, %s", code, stderr)
		}
	}
	r := <-res
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.Contains(lines[0], `"body":"before"`) || !strings.Contains(lines[1], `"body":"after"`) {
		t.Errorf("exit %d; want both messages, got stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if n := strings.Count(r.stderr, "warning:"); n != 2 || !strings.Contains(r.stderr, "trying again") || !strings.Contains(r.stderr, "subscribed to chat again") {
		t.Errorf("want a warning for the outage and one for the return, got %d:\n%s", n, r.stderr)
	}
}

// A gateway that does not come back within --for: one warning, not one
// per try, and the exit status of a network failure (3), since the
// messages of the outage were not received.
func TestSubscribeGatewayGone(t *testing.T) {
	u, ops, stop := serveGatewayAt(t, "127.0.0.1:0")
	type result struct {
		stderr string
		code   int
	}
	res := make(chan result, 1)
	go func() {
		_, e, c := run(t, []string{"subscribe", "--interval", "50ms", "--for", "2s", u, "chat"}, "", nil, false)
		res <- result{e, c}
	}()
	waitFor(t, "the subscription", func() bool { return ops.ops[0].Load() == 1 })
	stop()
	r := <-res
	if r.code != 3 || strings.Count(r.stderr, "warning:") != 1 || !strings.Contains(r.stderr, "connection refused") {
		t.Errorf("exit %d, want 3 with one warning; stderr:\n%s", r.code, r.stderr)
	}
}

// A poll reply that says the gateway ended the subscription
// (CommandMessage operation 10, BlazeDS's SUBSCRIPTION_INVALIDATE) was
// printed as a message with a null body, and no message came after it:
// the subscription was gone. Now it is not printed; subscribe subscribes
// again and goes on, warning once (and counting the others).
func TestSubscribeInvalidated(t *testing.T) {
	invalidate := &amf.Object{Class: amf.ClassCommandMessage, Members: []amf.Member{
		{Name: "operation", Value: amf.Int(10)}, {Name: "body", Value: nil}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M0"}}}
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{{Name: "body", Value: "hello"}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	var n atomic.Int64
	u, _ := oddPollServer(t, func() any {
		if n.Add(1)%2 == 1 {
			return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{invalidate}})
		}
		return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{msg}})
	})
	stdout, stderr, code := run(t, []string{"subscribe", "--count", "3", "--for", "10s", "--interval", "10ms", u, "chat"}, "", nil, false)
	if code != 0 || strings.Count(stdout, "\n") != 3 || strings.Count(stdout, `"body":"hello"`) != 3 {
		t.Errorf("exit %d; want 3 messages, got stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if strings.Count(stderr, "warning:") != 2 || !strings.Contains(stderr, "the gateway ended the subscription to chat") || !strings.Contains(stderr, "2 more times") {
		t.Errorf("want one warning and its count, got:\n%s", stderr)
	}
}

// A gateway that sends many messages each with a string that is not
// UTF-8 (a Latin-1 database behind BlazeDS): subscribe printed the same
// warning for every message, 1000 lines for 1000 messages. Now the
// first is told, and at the end how many more came.
func TestSubscribeWarnsOncePerKind(t *testing.T) {
	var batch []any
	for i := 0; i < 50; i++ {
		batch = append(batch, &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
			{Name: "body", Value: &amf.Object{Members: []amf.Member{{Name: fmt.Sprint("f", i%3), Value: "caf\xe9"}}}},
			{Name: "destination", Value: "chat"}, {Name: "messageId", Value: fmt.Sprint("M", i)}}})
	}
	u, _ := oddPollServer(t, func() any { return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: batch}) })
	stdout, stderr, code := run(t, []string{"subscribe", "--count", "200", "--for", "10s", "--interval", "10ms", u, "chat"}, "", nil, false)
	if code != 0 || strings.Count(stdout, "\n") != 200 || strings.Count(stdout, `café`) != 200 {
		t.Fatalf("exit %d, %d lines; stderr:\n%.2000s", code, strings.Count(stdout, "\n"), stderr)
	}
	want := "amfcall: warning: 1 string is not UTF-8 (the first at \"/body/f0\"): printed as windows-1252 text; the typed form keeps the bytes ({\"$latin1\": ...})\n" +
		"amfcall: warning: 199 more times, not repeated: 1 string is not UTF-8 (the first at \"/body/f0\"): printed as windows-1252 text; the typed form keeps ...\n"
	if stderr != want {
		t.Errorf("stderr:\n%.3000s\nwant:\n%s", stderr, want)
	}
}

// Past maxWarnKinds kinds, warnings are only counted.
func TestWarnTallyBounded(t *testing.T) {
	var told []string
	w := &warnTally{warn: func(m string) { told = append(told, m) }}
	for i := 0; i < 10000; i++ {
		w.add(fmt.Sprintf("the ack's correlationId \"%d\" is not the message's messageId", i))
		w.add(strings.Repeat("x", i%50) + " a kind of its own")
	}
	w.flush()
	// The first of each of 20 kinds, the count of each, and one line for
	// the 31 kinds past them (200 each).
	if len(told) != 2*maxWarnKinds+1 || !strings.HasPrefix(told[maxWarnKinds], "9999 more times, not repeated: the ack's correlationId \"0\"") ||
		told[len(told)-1] != "6200 more warnings, of kinds past the first 20, not shown" {
		t.Errorf("%d lines:\n%s", len(told), strings.Join(told, "\n"))
	}
}

// A gateway whose every poll reply has a wrong correlationId (each a
// new one): a warning per poll before, one line and a count now.
func TestSubscribeOddAckWarnsOnce(t *testing.T) {
	var n atomic.Int64
	u, polls := oddPollServer(t, func() any {
		r := flexReply(amf.ClassAcknowledgeMessage, nil)
		r.Members = append(r.Members, amf.Member{Name: "correlationId", Value: fmt.Sprint("WRONG-", n.Add(1))})
		return r
	})
	_, stderr, code := run(t, []string{"subscribe", "--for", "500ms", "--interval", "10ms", u, "chat"}, "", nil, false)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	// The count is of the replies read: a poll the server counted may
	// be left unread when --for runs out (under Wine in CI, 16 polls
	// and "14 more times").
	var more int
	if len(lines) == 2 {
		fmt.Sscanf(strings.TrimPrefix(lines[1], "amfcall: warning: "), "%d more times, not repeated", &more)
	}
	if code != 0 || polls.Load() < 3 || len(lines) != 2 || !strings.Contains(lines[0], `correlationId "WRONG-1"`) ||
		more < 1 || int64(more) > polls.Load()-1 || int64(more) < polls.Load()-3 {
		t.Errorf("exit %d, %d polls; stderr:\n%.2000s", code, polls.Load(), stderr)
	}
}

// A long-polling channel holds each poll until a message comes, past
// --timeout when the topic is quiet: subscribe ended there (exit 3). It
// now polls again (one warning saying why, and how to avoid it), prints
// the message when it comes, and a poll held past --for is no error.
func TestSubscribeHeldPolls(t *testing.T) {
	msg := &amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{{Name: "body", Value: "late"}, {Name: "destination", Value: "chat"}, {Name: "messageId", Value: "M1"}}}
	var n atomic.Int64
	u, _ := oddPollServer(t, func() any {
		if n.Add(1) <= 3 {
			time.Sleep(600 * time.Millisecond) // held past --timeout
			return flexReply(amf.ClassAcknowledgeMessage, nil)
		}
		return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{msg}})
	})
	stdout, stderr, code := run(t, []string{"subscribe", "--timeout", "300ms", "--count", "1", "--for", "20s", u, "chat"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, `"body":"late"`) {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "a poll was not answered in time") || !strings.HasSuffix(lines[0], "its wait (--timeout)") ||
		!strings.Contains(lines[1], "2 more times, not repeated") || strings.Contains(stderr, "answers again") {
		t.Errorf("stderr:\n%s", stderr)
	}
}

// The gateway restarted between two polls (no poll found it down): the
// new one knew no subscription and answered every poll with nothing, so
// subscribe printed nothing more, for ever, exit 0. It now answers as
// BlazeDS does (the fault Server.Processing.NotSubscribed), and
// subscribe subscribes again and prints what is published next.
func TestSubscribeRestartBetweenPolls(t *testing.T) {
	u, ops1, stop1 := serveGatewayAt(t, "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
	type result struct {
		stdout, stderr string
		code           int
	}
	res := make(chan result, 1)
	go func() {
		o, e, c := run(t, []string{"subscribe", "--interval", "1s", "--count", "1", "--for", "20s", u, "chat"}, "", nil, false)
		res <- result{o, e, c}
	}()
	waitFor(t, "the first poll", func() bool { return ops1.ops[2].Load() >= 1 })
	stop1()
	_, ops2, _ := serveGatewayAt(t, addr)
	waitFor(t, "subscribe to subscribe again, or end", func() bool { return ops2.ops[0].Load() >= 1 || len(res) > 0 })
	if len(res) == 0 {
		if _, stderr, code := run(t, []string{"publish", u, "chat", `"after"`}, "", nil, false); code != 0 {
			t.Fatalf("publish after the restart: exit %d, %s", code, stderr)
		}
	}
	r := <-res
	if r.code != 0 || !strings.Contains(r.stdout, `"body":"after"`) || !strings.Contains(r.stderr, "no longer knows the subscription to chat") {
		t.Errorf("exit %d; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// A gateway that answers "not subscribed" again right after subscribe
// subscribed again: subscribe stops with that fault (exit 1), not a
// loop. One that ends the subscription (operation 10) in every poll
// reply is polled at the usual pace, not in a busy loop.
func TestSubscribeNotSubscribedTwice(t *testing.T) {
	u, polls := oddPollServer(t, func() any {
		return &amf.Object{Class: amf.ClassErrorMessage, Members: []amf.Member{{Name: "faultCode", Value: "Server.Processing.NotSubscribed"}, {Name: "faultString", Value: "not subscribed"}}}
	})
	stdout, stderr, code := run(t, []string{"subscribe", "--for", "10s", "--interval", "10ms", u, "chat"}, "", nil, false)
	if code != 1 || polls.Load() != 2 || !strings.Contains(stdout, "Server.Processing.NotSubscribed") {
		t.Errorf("exit %d after %d polls; stdout %s\nstderr:\n%s", code, polls.Load(), stdout, stderr)
	}

	invalidate := &amf.Object{Class: amf.ClassCommandMessage, Members: []amf.Member{{Name: "operation", Value: amf.Int(10)}, {Name: "messageId", Value: "M0"}}}
	u, polls = oddPollServer(t, func() any { return flexReply(amf.ClassCommandMessage, &amf.Array{Dense: []any{invalidate}}) })
	_, stderr, code = run(t, []string{"subscribe", "--for", "500ms", "--interval", "100ms", u, "chat"}, "", nil, false)
	if code != 0 || polls.Load() > 10 || len(strings.Split(strings.TrimSpace(stderr), "\n")) != 2 {
		t.Errorf("exit %d after %d polls in 500ms at --interval 100ms; stderr:\n%s", code, polls.Load(), stderr)
	}
}

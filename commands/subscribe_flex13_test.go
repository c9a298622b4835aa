package commands

import (
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A gateway restarted under subscribe: the message it had queued for
// the next poll, and one published after the restart before subscribe
// came back, are lost. subscribe said only "subscribed to chat again";
// it now says the gateway is unreachable, then that it lost the
// subscription and between which instants what was published may be
// lost, and goes on (exit 0 at --count).
func TestSubscribeRestartSaysWhatMayBeLost(t *testing.T) {
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
	waitFor(t, "a poll after the publish", func() bool { return ops1.ops[2].Load() > polls+1 })
	stop1()
	time.Sleep(150 * time.Millisecond) // some polls find nothing listening
	_, ops2, _ := serveGatewayAt(t, addr)
	waitFor(t, "subscribe to subscribe again, or end", func() bool { return ops2.ops[0].Load() >= 1 || len(res) > 0 })
	if len(res) == 0 {
		if _, stderr, code := run(t, []string{"publish", u, "chat", `"after"`}, "", nil, false); code != 0 {
			t.Fatalf("publish after the restart: exit %d, %s", code, stderr)
		}
	}
	r := <-res
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != 0 || !strings.Contains(r.stdout, `"body":"before"`) || !strings.Contains(r.stdout, `"body":"after"`) || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], "amfcall: warning: gateway unreachable: a poll failed: connection refused") ||
		!strings.HasSuffix(lines[0], "trying again, for up to 2m0s, at most 2s apart; nothing is received meanwhile (--retry-for)") ||
		!strings.HasPrefix(lines[1], "amfcall: warning: the gateway answers again after ") ||
		!strings.Contains(lines[1], "without the subscription to chat (it answered the poll with the fault Server.Processing.NotSubscribed: it restarted, or ended the subscription): subscribed to chat again; messages published between 20") ||
		!strings.HasSuffix(lines[1], " may be lost") {
		t.Errorf("exit %d; stdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// Ctrl-C while the gateway does not answer: subscribe ended with status
// 0, as for a live subscription, after trying to unsubscribe from the
// gateway that did not answer; it now exits 130 at once, and says since
// when nothing was received. Two outages are told each (not "1 more
// time" at the end).
func TestSubscribeInterruptedWhileDown(t *testing.T) {
	u, ops1, stop1 := serveGatewayAt(t, "127.0.0.1:0")
	addr := strings.TrimSuffix(strings.TrimPrefix(u, "http://"), "/")
	var interrupt atomic.Pointer[func(os.Signal)]
	subscribeStarted = func(f func(os.Signal)) { interrupt.Store(&f) }
	defer func() { subscribeStarted = nil }()
	type result struct {
		stdout, stderr string
		code           int
	}
	res := make(chan result, 1)
	go func() {
		o, e, c := run(t, []string{"subscribe", "--interval", "20ms", "--for", "20s", u, "chat"}, "", nil, false)
		res <- result{o, e, c}
	}()
	waitFor(t, "the subscription", func() bool { return ops1.ops[0].Load() == 1 })
	stop1()
	time.Sleep(150 * time.Millisecond)
	_, ops2, stop2 := serveGatewayAt(t, addr) // back: subscribed again
	waitFor(t, "subscribe to subscribe again", func() bool { return ops2.ops[0].Load() >= 1 })
	polls := ops2.ops[2].Load()
	waitFor(t, "a poll of the new subscription", func() bool { return ops2.ops[2].Load() > polls })
	stop2()
	time.Sleep(150 * time.Millisecond) // down again
	(*interrupt.Load())(os.Interrupt)
	var r result
	select {
	case r = <-res:
	case <-time.After(3 * time.Second):
		t.Fatal("subscribe did not end at Ctrl-C while the gateway was down")
	}
	if r.code != exitInterrupted || r.stdout != "" || strings.Count(r.stderr, "gateway unreachable") != 2 || strings.Contains(r.stderr, "more time") ||
		!strings.Contains(r.stderr, "amfcall: error: interrupted by SIGINT while the gateway at "+u+" did not answer (for ") ||
		!strings.Contains(r.stderr, "(messages published since 20") {
		t.Errorf("exit %d, want %d; stdout:\n%s\nstderr:\n%s", r.code, exitInterrupted, r.stdout, r.stderr)
	}
}

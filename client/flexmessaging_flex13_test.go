package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// restartable is an amfcall gateway on a fixed loopback address that a
// test stops (connections refused) and starts again, as a new gateway
// (a restart: it knows no subscription) or the same one (an outage of
// the network between: it kept them).
type restartable struct {
	t    *testing.T
	addr string
	g    *gateway.Gateway
	srv  *http.Server
	done chan struct{}
	// front, when set, answers instead of the gateway (nil: pass on).
	front atomic.Pointer[func(w http.ResponseWriter, r *http.Request, body []byte) bool]
}

func newRestartable(t *testing.T) *restartable {
	r := &restartable{t: t, addr: "127.0.0.1:0"}
	r.start(true)
	t.Cleanup(func() { r.stop(); r.g.Close() })
	return r
}

func (r *restartable) url() string { return "http://" + r.addr + "/" }

// start serves again; fresh makes it a new gateway.
func (r *restartable) start(fresh bool) {
	r.t.Helper()
	if fresh {
		if r.g != nil {
			r.g.Close()
		}
		g, err := gateway.New(gateway.Options{ImagesDir: r.t.TempDir()})
		if err != nil {
			r.t.Fatal(err)
		}
		r.g = g
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old port may take a moment to free
		if ln, err = net.Listen("tcp", r.addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	g := r.g
	r.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if f := r.front.Load(); f != nil && (*f)(w, req, body) {
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, req)
	})}
	r.done = make(chan struct{})
	go func(srv *http.Server, done chan struct{}) { srv.Serve(ln); close(done) }(r.srv, r.done)
}

func (r *restartable) stop() {
	if r.srv != nil {
		r.srv.Close()
		<-r.done
		r.srv = nil
	}
}

// notices collects a client's notices, for a test to wait for one.
type notices struct {
	mu   sync.Mutex
	list []Notice
}

func (n *notices) OnRequest(*RequestEvent)   {}
func (n *notices) OnResponse(*ResponseEvent) {}
func (n *notices) OnNotice(x Notice) {
	n.mu.Lock()
	n.list = append(n.list, x)
	n.mu.Unlock()
}

// wait waits (at most 5s) for a notice of kind, and returns it.
func (n *notices) wait(t *testing.T, kind NoticeKind) Notice {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		n.mu.Lock()
		for _, x := range n.list {
			if x.Kind == kind {
				n.mu.Unlock()
				return x
			}
		}
		n.mu.Unlock()
	}
	t.Fatalf("no notice of kind %d; got %+v", kind, n.all())
	return Notice{}
}

func (n *notices) all() []Notice {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]Notice(nil), n.list...)
}

// watching subscribes to chat at u and watches in the background,
// passing each message's body on got.
func watching(t *testing.T, u string, ev EventHandler) (sub *Subscription, got chan any, cancel func() error) {
	t.Helper()
	cl, err := New(u, Config{Flex: true, Events: ev})
	if err != nil {
		t.Fatal(err)
	}
	sub, err = cl.Subscribe(context.Background(), "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
	got = make(chan any, 16)
	res := make(chan error, 1)
	go func() {
		res <- sub.Watch(ctx, 20*time.Millisecond, func(m *amf.Object) bool { got <- amf.FlexField(m, "body"); return true })
	}()
	return sub, got, func() error { stop(); return <-res }
}

func publishTo(t *testing.T, u, body string) error {
	t.Helper()
	cl, err := New(u, Config{Flex: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = cl.Publish(ctx, "chat", "", body, nil)
	return err
}

func receive(t *testing.T, got chan any, want string) {
	t.Helper()
	select {
	case b := <-got:
		if b != want {
			t.Fatalf("got the message %v, want %q", b, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no message %q", want)
	}
}

// A gateway that restarts under a subscription loses it, and what it
// had queued: the poll after the restart is answered
// Server.Processing.NotSubscribed. Watch subscribes again and says what
// may be lost, from the last poll answered before the outage to the
// new subscription; before, it said only "subscribed to chat again"
// (and the help "what was published while it was down is lost").
func TestWatchRestartSaysWhatMayBeLost(t *testing.T) {
	gw := newRestartable(t)
	ev := &notices{}
	_, got, cancel := watching(t, gw.url(), ev)
	if err := publishTo(t, gw.url(), "before"); err != nil {
		t.Fatal(err)
	}
	receive(t, got, "before")
	stopped := time.Now()
	gw.stop()
	down := ev.wait(t, NoticeUnreachable)
	if !strings.Contains(down.Msg, "gateway unreachable") || !strings.Contains(down.Msg, "trying again, for up to 2m0s, at most 2s apart") {
		t.Errorf("the outage's notice: %q", down.Msg)
	}
	gw.start(true)
	started := time.Now()
	back := ev.wait(t, NoticeResubscribed)
	if !strings.Contains(back.Msg, "without the subscription to chat (it answered the poll with the fault Server.Processing.NotSubscribed") ||
		!strings.Contains(back.Msg, "subscribed to chat again; messages published between ") || !strings.HasSuffix(back.Msg, " may be lost") {
		t.Fatalf("the return's notice: %q", back.Msg)
	}
	// The span named holds the outage: from before the stop to after
	// the restart.
	var from, to string
	if i := strings.Index(back.Msg, " between "); i >= 0 {
		from, to, _ = strings.Cut(strings.TrimSuffix(back.Msg[i+len(" between "):], " may be lost"), " and ")
	}
	t1, err1 := time.Parse("2006-01-02T15:04:05.000Z07:00", from)
	t2, err2 := time.Parse("2006-01-02T15:04:05.000Z07:00", to)
	if err1 != nil || err2 != nil || !t1.Before(stopped) || t2.Before(started.Truncate(time.Millisecond)) {
		t.Errorf("the span %q .. %q does not hold the outage (stopped %v, started %v)", from, to, stopped, started)
	}
	if err := publishTo(t, gw.url(), "after"); err != nil {
		t.Fatal(err)
	}
	receive(t, got, "after")
	if err := cancel(); err != nil {
		t.Errorf("Watch: %v, want nil (ended while subscribed)", err)
	}
	if n := len(ev.all()); n != 2 {
		t.Errorf("%d notices, want 2: %+v", n, ev.all())
	}
}

// A gateway that was out of reach (a proxy in front answering 502) but
// kept running kept the subscription and queued what was published
// meanwhile: the poll after the outage brings it, and Watch says that
// nothing was lost (before, it said "subscribed to chat again", as after
// a restart, and the help that what was published was lost).
func TestWatchOutageKeptSubscription(t *testing.T) {
	gw := newRestartable(t)
	ev := &notices{}
	sub, got, cancel := watching(t, gw.url(), ev)
	id := sub.ID
	var blocked atomic.Bool
	dsid := []byte(sub.c.DSId())
	front := func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if !blocked.Load() || !bytes.Contains(body, dsid) { // the publisher gets through
			return false
		}
		http.Error(w, "upstream unreachable", http.StatusBadGateway)
		return true
	}
	gw.front.Store(&front)
	blocked.Store(true)
	ev.wait(t, NoticeUnreachable)
	if err := publishTo(t, gw.url(), "meanwhile"); err != nil {
		t.Fatal(err)
	}
	blocked.Store(false)
	receive(t, got, "meanwhile")
	back := ev.wait(t, NoticeResubscribed)
	if !strings.Contains(back.Msg, "kept the subscription to chat: what was published meanwhile is delivered") || strings.Contains(back.Msg, "lost") {
		t.Errorf("the return's notice: %q", back.Msg)
	}
	if err := cancel(); err != nil || sub.ID != id {
		t.Errorf("Watch: %v, subscription %s (was %s)", err, sub.ID, id)
	}
}

// BlazeDS's sign of a restart: the gateway answers as a new Flex client
// (another DSId in the reply's headers). Its answer to the poll is no
// error, yet it has no subscription for that client: Watch subscribes
// again, and says what may be lost.
func TestWatchNewDSIdMeansResubscribe(t *testing.T) {
	gw := newRestartable(t)
	ev := &notices{}
	sub, got, cancel := watching(t, gw.url(), ev)
	old := sub.c.DSId()
	var blocked, answered atomic.Bool
	front := func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		if blocked.Load() {
			http.Error(w, "restarting", http.StatusServiceUnavailable)
			return true
		}
		if !bytes.Contains(body, []byte("DSId")) || answered.Swap(true) {
			return false
		}
		// The first request after the outage (a poll): an empty
		// acknowledgement from a new Flex client.
		p, _ := amf.UnmarshalPacket(body)
		ack := &amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
			{Name: "body", Value: nil},
			{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "0F0F0F0F-NEW0-CLIE-NT00-000000000000"}}}},
		}}
		out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: p.Messages[0].Response + "/onResult", Response: "null", Value: amf.AVMPlus{Value: ack}}}})
		w.Header().Set("Content-Type", ContentType)
		w.Write(out)
		return true
	}
	blocked.Store(true)
	gw.front.Store(&front)
	ev.wait(t, NoticeUnreachable)
	blocked.Store(false)
	back := ev.wait(t, NoticeResubscribed)
	if !strings.Contains(back.Msg, "as a new Flex client (DSId 0F0F0F0F-NEW0-CLIE-NT00-000000000000, was "+old+"): it restarted") || !strings.HasSuffix(back.Msg, "may be lost") {
		t.Fatalf("the return's notice: %q", back.Msg)
	}
	if err := publishTo(t, gw.url(), "after"); err != nil {
		t.Fatal(err)
	}
	receive(t, got, "after")
	if err := cancel(); err != nil {
		t.Errorf("Watch: %v", err)
	}
}

// Ctrl-C while the gateway does not answer ends Watch at once with an
// *OutageError marked Interrupted (the command line's exit 130), not
// nil as for a subscription that was live: what was published since the
// last poll was not received. The tries are spaced (no hot loop): from
// 100ms at an interval of 20ms, each twice the last.
func TestWatchInterruptedWhileDown(t *testing.T) {
	gw := newRestartable(t)
	var tries atomic.Int64
	front := func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		tries.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
		return true
	}
	ev := &notices{}
	cl, err := New(gw.url(), Config{Flex: true, Events: ev})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cl.Subscribe(context.Background(), "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	gw.front.Store(&front)
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	start := time.Now()
	go func() { res <- sub.Watch(ctx, 10*time.Millisecond, func(*amf.Object) bool { return true }) }()
	ev.wait(t, NoticeUnreachable)
	time.Sleep(500 * time.Millisecond)
	cancel()
	var err2 error
	select {
	case err2 = <-res:
	case <-time.After(3 * time.Second):
		t.Fatal("Watch did not end at Ctrl-C while the gateway was down")
	}
	elapsed := time.Since(start)
	var oe *OutageError
	if !errors.As(err2, &oe) || !oe.Interrupted || oe.Since.IsZero() || !strings.Contains(err2.Error(), "messages published since ") {
		t.Errorf("Watch: %v, want an interrupted OutageError", err2)
	}
	// 100ms, 200ms, 400ms, ... apart: in any span, at most 2 + log2 of
	// it over 100ms tries (at the floor of 10ms there would be dozens).
	if n, most := tries.Load(), 2+int64(elapsed/(100*time.Millisecond)); n > 8 || n > most {
		t.Errorf("%d tries in %v: a hot loop", n, elapsed)
	}
}

// The waits between tries: from 500ms (or the interval, not under
// 100ms) doubling to 2s; jittered down by at most a fifth.
func TestRetryWait(t *testing.T) {
	var got []time.Duration
	for d := time.Duration(0); len(got) < 6; {
		d = retryWait(d, 0)
		got = append(got, d)
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("waits %v, want %v", got, want)
		}
	}
	if d := retryWait(0, 10*time.Millisecond); d != minPollWait {
		t.Errorf("first wait at --interval 10ms: %v, want %v", d, minPollWait)
	}
	if d := retryWait(0, 200*time.Millisecond); d != 200*time.Millisecond {
		t.Errorf("first wait at --interval 200ms: %v", d)
	}
	for i := 0; i < 1000; i++ {
		if j := jitter(2 * time.Second); j < 1600*time.Millisecond || j > 2*time.Second {
			t.Fatalf("jitter(2s) = %v", j)
		}
	}
}

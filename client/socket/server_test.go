package socket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// logLines collects a Server's log.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logf(format string, a ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, a...))
	l.mu.Unlock()
}

func (l *logLines) waitFor(t *testing.T, part string) string {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for time.Now().Before(deadline) {
		l.mu.Lock()
		for _, s := range l.lines {
			if strings.Contains(s, part) {
				l.mu.Unlock()
				return s
			}
		}
		l.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t.Fatalf("no log line with %q in %d s:\n%s", part, testWait/time.Second, strings.Join(l.lines, "\n"))
	return ""
}

func startServer(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if s.Options.OnRequest == nil {
		s.Options.OnRequest = DemoRequest
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// closedSoon reports whether the server closes nc within testWait.
func closedSoon(nc net.Conn) error {
	_ = nc.SetReadDeadline(time.Now().Add(testWait))
	fr := amf.NewFrameReader(nc)
	for {
		var v any
		err := fr.Decode(&v)
		if err == nil {
			continue // pings
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return err
		}
		return nil
	}
}

// One connection over MaxConns is closed at once and logged, not left
// waiting in the listen backlog; its slot comes back when one ends.
func TestServerMaxConns(t *testing.T) {
	log := &logLines{}
	addr := startServer(t, &Server{MaxConns: 2, Log: log.logf})
	var held []*Conn
	for i := 0; i < 2; i++ {
		c, err := Dial(testCtx(t), addr, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Call(testCtx(t), "echo", params("i", amf.Int(i))); err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for i := 0; i < 3; i++ {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if err := closedSoon(nc); err != nil {
			t.Fatalf("connection %d over the limit: %v, want it closed", i+1, err)
		}
		nc.Close()
	}
	line := log.waitFor(t, "refused")
	if !strings.Contains(line, "2 connections open, the limit; 1 refused so far") {
		t.Errorf("log line %q", line)
	}
	held[0].Close()
	log.waitFor(t, "disconnected")
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Call(testCtx(t), "echo", params()); err != nil {
		t.Fatalf("after a slot came back: %v", err)
	}
}

// A client that answers pings and does nothing else is dropped after
// IdleTimeout.
func TestServerIdleTimeout(t *testing.T) {
	log := &logLines{}
	addr := startServer(t, &Server{IdleTimeout: 300 * time.Millisecond, Options: Options{PingInterval: 20 * time.Millisecond}, Log: log.logf})
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Call(testCtx(t), "echo", params()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(testWait):
		t.Fatal("an idle client (answering pings) is still connected")
	}
	if line := log.waitFor(t, "dropped"); !strings.Contains(line, "only pings") {
		t.Errorf("log line %q", line)
	}
}

// testBudget is a budget of max bytes that refuses at once what it
// has no room for.
type testBudget struct {
	mu       sync.Mutex
	max, use int64
	refused  int
}

func (b *testBudget) Reserve(ctx context.Context, n int64) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.use+n > b.max {
		b.refused++
		return nil, fmt.Errorf("the budget of %d bytes is taken (%d in use), %d wanted", b.max, b.use, n)
	}
	b.use += n
	return func() { b.mu.Lock(); b.use -= n; b.mu.Unlock() }, nil
}

func (b *testBudget) inUse() int64 { b.mu.Lock(); defer b.mu.Unlock(); return b.use }

// A frame is charged to the budget from its header on (its first
// upfrontFrame bytes), and the rest as it arrives, before it is whole:
// a client part way through a large frame holds memory the others
// can't take, and a frame the budget refuses drops its connection. The
// charge is paid back once the frame is answered.
//
// It runs under Wine too. It was skipped there: once in seven runs the
// server let go of the first client (it sends nothing between its two
// writes and answers no ping, and a stall of 15 s under load passed the
// read idle timeout, or a ping's interval and timeout), and Wine's send
// of the rest of the frame to the dropped connection then blocked until
// the 10 min timeout where Linux fails at once. The idle timeout and
// pings are off here, the writes have deadlines (a drop fails in
// testWait, with the server's log), and a peer mid-frame is no longer
// dropped for a ping (TestPingWaitsForFrameInFlight): 150 runs in a row
// under Wine 8 pass, under a load average of 7 on 2 cores.
func TestServerFrameBudget(t *testing.T) {
	log := &logLines{}
	b := &testBudget{max: 4 << 20}
	addr := startServer(t, &Server{Options: Options{Budget: b, IdleTimeout: -1, PingInterval: -1}, Log: log.logf})

	big := frame(t, RequestObject("big", "echo", params("s", strings.Repeat("x", 1<<20))))
	a, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Write(big[:len(big)-100]); err != nil {
		t.Fatal(err)
	}
	// Charged for what came, in steps: all of the frame, or all but
	// the 100 bytes still to come.
	want := frameCost(int64(len(big) - 4))
	deadline := time.Now().Add(testWait)
	for b.inUse() < want-300 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := b.inUse(); got < want-300 || got > want {
		t.Fatalf("budget in use %d while the big frame is read, want %d (or 300 less)", got, want)
	}
	// A second client's frame finds no room: its connection is dropped.
	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	_ = c2.SetWriteDeadline(time.Now().Add(testWait))
	c2.Write(frame(t, RequestObject("2", "echo", params("s", strings.Repeat("y", 600<<10)))))
	if err := closedSoon(c2); err != nil {
		t.Fatalf("second client: %v, want its connection dropped", err)
	}
	if line := log.waitFor(t, "refused"); !strings.Contains(line, "frame 1 of ") || !strings.Contains(line, "budget") {
		t.Errorf("log line %q", line)
	}
	// The first one finishes its frame and gets its answer; then the
	// budget is free again.
	_ = a.SetWriteDeadline(time.Now().Add(testWait))
	if _, err := a.Write(big[len(big)-100:]); err != nil {
		t.Fatalf("the rest of the big frame: %v; server log %q", err, log.all())
	}
	_ = a.SetReadDeadline(time.Now().Add(testWait))
	fr := amf.NewFrameReader(a)
	for {
		r := readRPC(t, fr)
		if t.Failed() {
			return
		}
		if r.Kind == KindResponse && r.MessageID == "big" {
			break
		}
	}
	for b.inUse() != 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := b.inUse(); got != 0 {
		t.Errorf("budget in use %d after the answer, want 0", got)
	}
}

// A peer sending odd frames by the thousand gets one notice of each
// kind, then a count when the connection ends.
func TestOddFrameNoticesOnce(t *testing.T) {
	addr := rawServer(t, func(nc net.Conn, fr *amf.FrameReader) {
		var buf []byte
		for i := 0; i < 500; i++ {
			buf, _ = amf.AppendFrame(buf, amf.Int(i)) // not an RPC object
			buf = append(buf, frame(t, ResponseObject(fmt.Sprint("nobody-", i), nil))...)
		}
		nc.Write(buf)
	})
	rec := &recorder{}
	c, err := Dial(testCtx(t), addr, Options{Events: rec})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(testWait):
		t.Fatal("the peer's close was not seen")
	}
	c.Close()
	got := rec.noticeText()
	for _, want := range []string{
		"frame 1 ignored: ",
		"frame 2: response to an unknown request \"nobody-0\" ignored\n",
		"500 frames that are not RPC objects (ignored) in all on this connection (only the first was shown)\n",
		"500 responses to unknown requests (ignored) in all on this connection (only the first was shown)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notices lack %q", want)
		}
	}
	if n := strings.Count(got, "\n"); n != 4 {
		t.Errorf("%d notices, want 4:\n%.2000s", n, got)
	}
}

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

// sizedBudget is a budget of max bytes that says its Size and keeps the
// most it had in use at once.
type sizedBudget struct {
	mu             sync.Mutex
	max, use, peak int64
}

func (b *sizedBudget) Size() int64 { return b.max }

func (b *sizedBudget) Reserve(ctx context.Context, n int64) (func(), error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.use+n > b.max {
		return nil, fmt.Errorf("the budget of %d bytes is taken (%d in use), %d wanted", b.max, b.use, n)
	}
	b.use += n
	b.peak = max(b.peak, b.use)
	return func() { b.mu.Lock(); b.use -= n; b.mu.Unlock() }, nil
}

func (b *sizedBudget) peakUse() int64 { b.mu.Lock(); defer b.mu.Unlock(); return b.peak }

// nullsFrame is an echo request frame whose params hold n nulls: n
// bytes that decode to 16 n.
func nullsFrame(t *testing.T, id string, n int) []byte {
	return frame(t, RequestObject(id, "echo", params("a", &amf.Array{Dense: make([]any, n)})))
}

// TestFrameValuesCharged: a frame's values are charged to the budget
// before they are decoded, not three times its bytes only: 200,000 nulls
// (200 KB, 0.6 MB charged before) decode to 3.2 MB and are charged so;
// 400,000 (6.4 MB) are more than a budget of 4 MiB and drop the
// connection, with a log line that says why.
func TestFrameValuesCharged(t *testing.T) {
	log := &logLines{}
	b := &sizedBudget{max: 4 << 20}
	addr := startServer(t, &Server{Options: Options{Budget: b, OnRequest: func(r *Request) { _ = r.Reply("ok") }}, Log: log.logf})

	a, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.Write(nullsFrame(t, "fits", 200000)); err != nil {
		t.Fatal(err)
	}
	_ = a.SetReadDeadline(time.Now().Add(testWait))
	fr := amf.NewFrameReader(a)
	for {
		r := readRPC(t, fr)
		if t.Failed() {
			return
		}
		if r.Kind == KindResponse && r.MessageID == "fits" {
			break
		}
	}
	if peak := b.peakUse(); peak < 16*200000 {
		t.Errorf("a frame of 200,000 nulls was charged %d bytes at most, less than the %d they decode to", peak, 16*200000)
	}

	c2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	c2.Write(nullsFrame(t, "over", 400000))
	if err := closedSoon(c2); err != nil {
		t.Fatalf("a frame of 400,000 nulls: %v, want its connection dropped", err)
	}
	if line := log.waitFor(t, "once decoded"); !strings.Contains(line, "frame 1 of ") || !strings.Contains(line, "more than the memory budget of 4194304") {
		t.Errorf("log line %q", line)
	}
}

// TestFrameValuesBounded: a Conn without a budget (a client) refuses a
// frame whose values would take more than MaxValueFactor times MaxFrame
// once decoded, before decoding it: 40,000 nulls (40 KB under a MaxFrame
// of 64 KiB) would take 640 KB. A frame of 20,000 is read.
func TestFrameValuesBounded(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	var got []string
	var mu sync.Mutex
	c := NewConn(b, Options{MaxFrame: 64 << 10, OnMessage: func(m *Request) {
		mu.Lock()
		got = append(got, m.Command)
		mu.Unlock()
	}})
	defer c.Close()
	go func() {
		a.Write(frame(t, MessageObject("1", "small", params("a", &amf.Array{Dense: make([]any, 20000)}))))
		a.Write(frame(t, MessageObject("2", "big", params("a", &amf.Array{Dense: make([]any, 40000)}))))
	}()
	select {
	case <-c.Done():
	case <-time.After(testWait):
		t.Fatal("the connection is still open")
	}
	var fe *amf.FrameError
	if err := c.Err(); !errors.As(err, &fe) || fe.Frame != 2 || !strings.Contains(err.Error(), "KiB once decoded; the limit is 8 times the frame size limit of 65536 bytes") {
		t.Errorf("the connection ended with %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != "small" {
		t.Errorf("messages %q, want the small one", got)
	}
}

// timeoutConn is a connection whose every read fails as a read deadline
// that passed, counting the reads.
type timeoutConn struct {
	net.Conn // nil: only what a Conn calls is implemented
	mu       sync.Mutex
	reads    int
}

type deadlineErr struct{}

func (deadlineErr) Error() string   { return "i/o timeout" }
func (deadlineErr) Timeout() bool   { return true }
func (deadlineErr) Temporary() bool { return true }

func (c *timeoutConn) Read([]byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reads++
	return 0, deadlineErr{}
}
func (c *timeoutConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *timeoutConn) Close() error                     { return nil }
func (c *timeoutConn) SetReadDeadline(time.Time) error  { return nil }
func (c *timeoutConn) SetWriteDeadline(time.Time) error { return nil }
func (c *timeoutConn) RemoteAddr() net.Addr             { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1} }
func (c *timeoutConn) LocalAddr() net.Addr              { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 2} }

// TestIdleTimeoutReadOnce: the idle timeout ends the connection at the
// first read that times out: looking at the next frame's header first
// (for its size) must not read again, which waited a whole idle timeout
// more (socket listen --idle-timeout 2s gave up after 4.2 s).
func TestIdleTimeoutReadOnce(t *testing.T) {
	for _, budget := range []Budget{nil, &sizedBudget{max: 1 << 20}} {
		nc := &timeoutConn{}
		c := NewConn(nc, Options{Budget: budget, IdleTimeout: time.Hour})
		select {
		case <-c.Done():
		case <-time.After(testWait):
			t.Fatal("the connection is still open")
		}
		var te *TimeoutError
		if err := c.Err(); !errors.As(err, &te) {
			t.Errorf("budget %v: the connection ended with %v, want a *TimeoutError", budget != nil, err)
		}
		nc.mu.Lock()
		if nc.reads != 1 {
			t.Errorf("budget %v: %d reads after the first timed out, want none", budget != nil, nc.reads-1)
		}
		nc.mu.Unlock()
		c.Close()
	}
}

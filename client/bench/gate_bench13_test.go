package bench

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/socket"
)

// A dead server sees a bounded rate of attempts whatever -c: the
// workers that failed wait at one gate, not each on its own clock (a
// wait per worker let -c 10000 dial a closed port some 25,000 times a
// second). 1,000 workers for 300 ms make their first request each, then
// about one more every 7.5 ms (some 40; 100 allowed); with a wait per
// worker they made some 8,000.
func TestDialGateBoundsTotal(t *testing.T) {
	const workers = 1000
	var sent atomic.Int64
	s := drive(context.Background(), bounds{duration: 300 * time.Millisecond}, workers, false, func(_ context.Context, _ int, w *worker) outcome {
		sent.Add(1)
		return outcome{counted: true, errs: 1, unreached: true}
	}, nil)
	if n := sent.Load(); n < workers || n > workers+100 {
		t.Fatalf("%d requests from %d workers against a dead server in 300 ms", n, workers)
	}
	if s == nil {
		t.Fatal("no summary")
	}
}

// The same against a closed port for real, over AMF Socket and HTTP.
func TestRefusedBoundedTotal(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	const workers = 200
	// The bound is the point: at most one request a worker and about
	// 100 more in 300 ms. A loaded machine may not start every worker
	// before the run ends (CI saw 194 of 200): at least half must have.
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Concurrency: workers, Duration: 300 * time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests < workers/2 || s.Requests > workers+100 || s.TransportErrors[client.ErrRefused.Error()] != s.Requests {
		t.Fatalf("socket: %d requests, %v", s.Requests, s.TransportErrors)
	}
	s, err = Run(context.Background(), Config{URL: "http://" + addr + "/", Calls: []client.Call{{Target: "echo"}}, Concurrency: workers,
		Duration: 300 * time.Millisecond, Client: client.Config{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests < workers/2 || s.Requests > workers+100 || s.TransportErrors[client.ErrRefused.Error()] != s.Requests {
		t.Fatalf("http: %d requests, %v", s.Requests, s.TransportErrors)
	}
}

// A worker back from the gate that reaches the server lets two more go
// at once, and each of those two more: a server back up gets its
// workers again in a few round trips, not one per gap. A failure stops
// that.
func TestDialGateSlowStart(t *testing.T) {
	g := newDialGate() // no pace: only credits let workers go
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 10
	var released atomic.Int64
	var wg sync.WaitGroup
	g.failed()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.wait(ctx)
			released.Add(1)
		}()
	}
	waitQueued := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; {
			g.mu.Lock()
			q := g.waiting.Len()
			g.mu.Unlock()
			if q == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d queued, want %d", q, want)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitQueued(n)
	g.reached() // the worker the pace let go reached the server
	waitQueued(n - 2)
	g.reached()
	g.reached() // the two it let go
	waitQueued(n - 6)
	g.failed() // one of those four did not: no more at once
	g.reached()
	waitQueued(n - 8)
	g.mu.Lock()
	credit, gap := g.credit, g.gap
	g.mu.Unlock()
	if credit != 0 || gap != 0 {
		t.Fatalf("credit %d, gap %v", credit, gap)
	}
	for deadline := time.Now().Add(5 * time.Second); released.Load() < 8 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := released.Load(); n != 8 {
		t.Fatalf("%d released", n)
	}
	cancel()
	wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.waiting.Len() != 0 {
		t.Fatalf("%d left queued after the run", g.waiting.Len())
	}
}

// --for ends the run at its time: the summary does not wait for the
// requests in flight (at -c 10000 each woken worker's wind-down made
// --for 5s last 6 to 10 s). Here the requests in flight ignore their
// context altogether: the run still ends, and what they record after
// it is not counted.
func TestDriveEndsAtDeadline(t *testing.T) {
	hold := make(chan struct{})
	var inFlight atomic.Int64
	var mu sync.Mutex
	shards := map[*worker]bool{}
	done := make(chan *Summary, 1)
	go func() {
		done <- drive(context.Background(), bounds{duration: 100 * time.Millisecond}, 4, false, func(_ context.Context, i int, w *worker) outcome {
			mu.Lock()
			shards[w] = true
			mu.Unlock()
			if i == 0 {
				w.record(nil, &amf.Packet{}, &amf.Packet{}, nil, time.Millisecond)
				time.Sleep(time.Millisecond)
				return outcome{counted: true}
			}
			inFlight.Add(1)
			defer inFlight.Add(-1)
			<-hold // a request that does not end with the run
			w.record(nil, &amf.Packet{}, &amf.Packet{}, nil, time.Millisecond)
			return outcome{counted: true}
		}, nil)
	}()
	var s *Summary
	select {
	case s = <-done:
	case <-time.After(10 * time.Second):
		close(hold)
		t.Fatal("the run waited for its requests in flight")
	}
	if s.Requests == 0 || s.Interrupted || s.Elapsed < 100*time.Millisecond {
		t.Fatalf("%+v", s)
	}
	close(hold)
	for deadline := time.Now().Add(5 * time.Second); inFlight.Load() > 0 && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	mu.Lock()
	var all []*worker
	for w := range shards {
		all = append(all, w)
	}
	mu.Unlock()
	if len(all) != 4 {
		t.Fatalf("%d shards", len(all))
	}
	if again := summarize(context.Background(), all, 0); again.Requests != s.Requests {
		t.Fatalf("%d requests counted, %d once those in flight at the end were recorded", s.Requests, again.Requests)
	}
}

// nullsPeer answers each request with a result of n nulls: n bytes of
// the frame that decode to 16 n bytes of values.
func nullsPeer(t *testing.T, n int) string {
	return rawPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		for {
			r := readRequest(fr)
			if r == nil {
				return
			}
			b, err := amf.AppendFrame(nil, socket.ResponseObject(r.MessageID, make([]any, n)))
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := nc.Write(b); err != nil {
				return
			}
		}
	})
}

// bench reads a frame that socket call reads (values of up to
// MaxValueFactor times the frame limit once decoded), and refuses one
// that socket call refuses: it refused those over twice the limit.
func TestSocketValueLimitAsSocketCall(t *testing.T) {
	const maxFrame = 64 << 10
	for _, tc := range []struct {
		nulls int // 16 bytes each once decoded
		ok    bool
	}{
		{16000, true},  // 16 KB that take 256 KB: over twice the limit, under 8 times
		{40000, false}, // 40 KB that take 640 KB: over 8 times
	} {
		addr := nullsPeer(t, tc.nulls)
		ctx, cancel := context.WithTimeout(context.Background(), peerWait)
		c, err := socket.Dial(ctx, addr, socket.Options{MaxFrame: maxFrame}) // as socket call's
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		_, callErr := c.Call(ctx, "x", &amf.Object{})
		c.Close()
		cancel()
		s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Concurrency: 2, Count: 4,
			Timeout: peerWait, Options: socket.Options{MaxFrame: maxFrame}})
		if err != nil {
			t.Fatal(err)
		}
		if tc.ok {
			if callErr != nil || s.OK != 4 {
				t.Errorf("%d nulls: socket call: %v; bench: %+v", tc.nulls, callErr, s)
			}
			continue
		}
		if callErr == nil || s.OK != 0 || s.TransportErrors[client.ErrTooLarge.Error()] != 4 {
			t.Errorf("%d nulls: socket call: %v; bench: %+v", tc.nulls, callErr, s)
		}
	}
}

// A frame whose values need more than the large pool is read alone, past
// it, not waited for until the wait runs out: the connection with the
// turn has all of the pool and charges nothing past it.
func TestMemBudgetPastPool(t *testing.T) {
	b := newMemBudget(100, 800, 2, 50*time.Millisecond)
	c1, c2 := b.forConn(), b.forConn()
	r1, err := c1.Reserve(context.Background(), 150) // bytes, past its share of 50
	if err != nil || c1.large != 150 {
		t.Fatalf("%v %+v", err, c1)
	}
	r2, err := c1.Reserve(context.Background(), 700) // its values: 50 charged, the rest past the pool
	if err != nil || c1.large != 200 {
		t.Fatalf("%v %+v", err, c1)
	}
	if _, err := c2.Reserve(context.Background(), 60); err != ErrBudgetWait {
		t.Fatalf("no turn: %v", err)
	}
	r2()
	r1()
	if c1.hasTurn || !b.large.TryAcquire(200) {
		t.Fatalf("not given back: %+v", c1)
	}
}

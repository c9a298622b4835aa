package bench

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// The socket target runs against the demo server and against raw peers,
// all on 127.0.0.1, every connection bounded by peerWait.

const peerWait = 5 * time.Second

// demoSocket runs the AMF Socket demo server (serve --socket's) until
// the test ends and returns its HOST:PORT.
func demoSocket(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- (&socket.Server{Options: socket.Options{OnRequest: socket.DemoRequest}}).Serve(ctx, ln)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// rawPeer accepts every connection on 127.0.0.1 and runs f on each (with
// a frame reader), bounded by peerWait; it stops when the test ends.
func rawPeer(t *testing.T, f func(nc net.Conn, fr *amf.FrameReader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			open = append(open, nc)
			mu.Unlock()
			_ = nc.SetDeadline(time.Now().Add(peerWait))
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				f(nc, amf.NewFrameReader(nc))
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, nc := range open {
			nc.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

// readRequest reads the next request of the client's, skipping anything
// else; nil when the connection ends.
func readRequest(fr *amf.FrameReader) *socket.RPC {
	for {
		var v any
		if err := fr.Decode(&v); err != nil {
			return nil
		}
		if r, err := socket.ParseRPC(v); err == nil && r.Kind == socket.KindRequest {
			return r
		}
	}
}

func addParams(a, b int) *amf.Object {
	return &amf.Object{Members: []amf.Member{{Name: "a", Value: amf.Int(a)}, {Name: "b", Value: amf.Int(b)}}}
}

func TestSocketCount(t *testing.T) {
	addr := demoSocket(t)
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "add", Params: addParams(2, 3),
		Concurrency: 4, Count: 50, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 50 || s.Calls != 50 || s.OK != 50 || s.Faults != 0 || s.Latency.TotalCount() != 50 ||
		s.Reconnects != 0 || len(s.TransportErrors) != 0 || s.Interrupted {
		t.Fatalf("%+v", s)
	}
	if s.URL != "socket://"+addr || s.Target != "add" || s.CallsPer != 1 || s.Concurrency != 4 {
		t.Fatalf("%+v", s)
	}
	if s.Percentile(50) <= 0 || s.Percentile(100) < s.Percentile(50) {
		t.Fatalf("percentiles %v %v", s.Percentile(50), s.Percentile(100))
	}
}

// An error result ({"error": {"code": ...}}) is a fault, counted by its
// code; a result of another shape is not.
func TestSocketFaults(t *testing.T) {
	addr := demoSocket(t)
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "nope", Concurrency: 2, Count: 6})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 6 || s.Calls != 6 || s.Faults != 6 || s.OK != 0 || s.FaultCodes["unknown_command"] != 6 {
		t.Fatalf("%+v", s)
	}
	// add without numbers: bad_params; echo of {"error": 5}: a result.
	s, _ = RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "add", Count: 2})
	if s.Faults != 2 || s.FaultCodes["bad_params"] != 2 {
		t.Fatalf("%+v", s)
	}
	echo := &amf.Object{Members: []amf.Member{{Name: "error", Value: amf.Int(5)}}}
	s, _ = RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "echo", Params: echo, Count: 2})
	if s.OK != 2 || s.Faults != 0 {
		t.Fatalf("%+v", s)
	}
}

// A server that closes each connection after one response: the workers
// dial again (counted), and a request that meets the close fails as
// "connection closed by the server" (or reset).
func TestSocketRedial(t *testing.T) {
	addr := rawPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		if r := readRequest(fr); r != nil {
			b, _ := amf.AppendFrame(nil, socket.ResponseObject(r.MessageID, amf.Int(1)))
			nc.Write(b)
		}
	})
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Concurrency: 2, Count: 20, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// A request sent as the server closes meets the close, or a reset.
	closed := s.TransportErrors[KindPeerClosed] + s.TransportErrors[KindReset]
	if s.Requests != 20 || s.OK+closed != 20 || s.OK < 2 || s.Latency.TotalCount() != s.OK {
		t.Fatalf("%+v", s)
	}
	// Each connection answers once: every answer but the first of each
	// worker came on a connection dialled again.
	if s.Reconnects < s.OK-2 || s.Reconnects > 20 {
		t.Fatalf("%d reconnects for %d answers: %+v", s.Reconnects, s.OK, s)
	}
}

// A server that stops answering: each request times out (no latency),
// and the connection stays (no reconnect).
func TestSocketTimeouts(t *testing.T) {
	addr := rawPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
		for readRequest(fr) != nil {
		}
	})
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Concurrency: 2, Count: 4, Timeout: 150 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 4 || s.TransportErrors["timed out"] != 4 || s.Calls != 0 || s.Latency.TotalCount() != 0 || s.Reconnects != 0 {
		t.Fatalf("%+v", s)
	}
}

// Refused connections are transport errors, one per request.
func TestSocketRefused(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 3 || s.TransportErrors["connection refused"] != 3 || s.Reconnects != 0 {
		t.Fatalf("%+v", s.TransportErrors)
	}
}

// The caller's context (Ctrl-C) ends a run with the summary so far; the
// requests it cut short are not counted.
func TestSocketInterrupt(t *testing.T) {
	addr := demoSocket(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	sleep := &amf.Object{Members: []amf.Member{{Name: "ms", Value: amf.Int(20)}}}
	s, err := RunSocket(ctx, SocketConfig{Addr: addr, Command: "sleep", Params: sleep, Concurrency: 2, Duration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Interrupted || s.Requests == 0 || s.Requests != s.OK || len(s.TransportErrors) != 0 {
		t.Fatalf("%+v", s)
	}
	if _, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x"}); !errors.Is(err, ErrNoBound) {
		t.Fatalf("no bound: %v", err)
	}
}

// A hostile server whose every reply is a frame as large as allowed, of
// bytes that do not decode, or that claims more than allowed: each
// request fails (and its connection is dialled again), the run ends.
func TestSocketHostileFrames(t *testing.T) {
	const maxFrame = 1 << 20
	for _, claim := range []uint32{maxFrame, maxFrame + 1} {
		addr := rawPeer(t, func(nc net.Conn, fr *amf.FrameReader) {
			if readRequest(fr) == nil {
				return
			}
			hdr := []byte{byte(claim >> 24), byte(claim >> 16), byte(claim >> 8), byte(claim)}
			if _, err := nc.Write(hdr); err != nil {
				return
			}
			junk := make([]byte, 32<<10)
			for i := range junk {
				junk[i] = 0x0a // objects, never closed
			}
			for sent := 0; sent < maxFrame; sent += len(junk) {
				if _, err := nc.Write(junk); err != nil {
					return
				}
			}
		})
		s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "x", Concurrency: 8, Count: 16,
			Timeout: 3 * time.Second, Options: socket.Options{MaxFrame: maxFrame}})
		if err != nil {
			t.Fatal(err)
		}
		want := KindBadFrame
		if claim > maxFrame {
			want = "reply too large"
		}
		if s.Requests != 16 || s.Calls != 0 || s.TransportErrors[want] != 16 || s.Reconnects != 8 {
			t.Fatalf("claim %d: %+v", claim, s)
		}
	}
}

// The budget: a connection charges its share freely; past it, it waits
// for the turn (and fails with ErrBudgetWait when the wait runs out),
// keeps it until it has given back what it took past its share, and
// holds nothing while it waits.
func TestMemBudget(t *testing.T) {
	b := newMemBudget(100, 800, 2, 50*time.Millisecond) // a share of 50 each
	c1, c2 := b.forConn(), b.forConn()
	s1, err := c1.Reserve(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	l1, err := c1.Reserve(context.Background(), 1000) // the turn, 200 at most
	if err != nil || !c1.hasTurn || c1.large != 200 {
		t.Fatalf("%v %+v", err, c1)
	}
	if _, err := c2.Reserve(context.Background(), 60); !errors.Is(err, ErrBudgetWait) || c2.small != 0 || c2.large != 0 {
		t.Fatalf("no turn: %v %+v", err, c2)
	}
	s2, err := c2.Reserve(context.Background(), 50) // its share is free
	if err != nil {
		t.Fatal(err)
	}
	l1()
	l1() // once only
	if c1.hasTurn {
		t.Fatal("the turn kept")
	}
	l2, err := c2.Reserve(context.Background(), 60)
	if err != nil || !c2.hasTurn {
		t.Fatalf("%v %+v", err, c2)
	}
	l2()
	s1()
	s2()
	if c1.small != 0 || c2.small != 0 || c2.hasTurn || !b.turn.TryAcquire(1) || !b.large.TryAcquire(200) {
		t.Fatalf("not all given back: %+v %+v", c1, c2)
	}
}

// Replies over a connection's share, from 8 connections at once, take
// turns and are all answered (with one budget where each frame waited
// on the others', they all gave up).
func TestSocketLargeRepliesTakeTurns(t *testing.T) {
	addr := demoSocket(t)
	big := &amf.Object{Members: []amf.Member{{Name: "v", Value: strings.Repeat("v", 3<<20)}}}
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "echo", Params: big, Concurrency: 8, Count: 24,
		Timeout: 20 * time.Second, Options: socket.Options{MaxFrame: 4 << 20}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 24 || s.OK != 24 {
		t.Fatalf("%+v", s)
	}
}

// BenchmarkSocketLoopbackAdd: the load test itself, b.N add requests
// from 8 connections to the demo server on 127.0.0.1 (client and server
// in this process), as BenchmarkLoopbackEcho for HTTP.
func BenchmarkSocketLoopbackAdd(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- (&socket.Server{Options: socket.Options{OnRequest: socket.DemoRequest}}).Serve(ctx, ln)
	}()
	defer func() { cancel(); <-done }()
	b.ReportAllocs()
	b.ResetTimer()
	s, err := RunSocket(context.Background(), SocketConfig{Addr: ln.Addr().String(), Command: "add", Params: addParams(2, 3),
		Concurrency: 8, Count: int64(b.N)})
	if err != nil {
		b.Fatal(err)
	}
	if s.OK != int64(b.N) {
		b.Fatalf("%d of %d answered", s.OK, b.N)
	}
	b.ReportMetric(float64(s.Percentile(99).Microseconds()), "p99-µs")
}

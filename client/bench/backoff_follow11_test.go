package bench

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client"
)

// recordSleeps replaces backoffSleep for the test with one that records
// the waits asked for and does not wait.
func recordSleeps(t *testing.T) func() []time.Duration {
	t.Helper()
	var mu sync.Mutex
	var got []time.Duration
	old := backoffSleep
	backoffSleep = func(ctx context.Context, d time.Duration) {
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
	}
	t.Cleanup(func() { backoffSleep = old })
	return func() []time.Duration {
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Duration(nil), got...)
	}
}

// A worker waits after each request that did not reach the server,
// longer after each in a row up to backoffMax, not after one that did,
// and not after the count's last request (one worker alone in the
// queue of the run's dialGate).
func TestDriveBacksOff(t *testing.T) {
	sleeps := recordSleeps(t)
	script := []bool{true, true, true, true, true, true, true, false, true, true}
	var n int
	s := drive(context.Background(), bounds{count: int64(len(script))}, 1, false, func(context.Context, int, *worker) outcome {
		o := outcome{counted: true, errs: 1, unreached: script[n]}
		n++
		return o
	}, nil)
	if n != len(script) || s == nil {
		t.Fatalf("ran %d requests, want %d", n, len(script))
	}
	got := sleeps()
	// Waits before requests 2-8 (after 7 failures in a row), none
	// before request 9 (request 8 reached the server), one before 10,
	// none after it (the last).
	if len(got) != 8 {
		t.Fatalf("waits %v: want 8", got)
	}
	caps := []time.Duration{1, 2, 4, 8, 10, 10, 10, 1}
	for i, d := range got {
		hi := caps[i] * time.Millisecond
		if d < hi/2 || d > hi {
			t.Errorf("wait %d = %v, want between %v and %v", i+1, d, hi/2, hi)
		}
	}
}

// The wait ends with the run: a worker waiting when --for's time is up
// or Ctrl-C comes stops at once, and the run's summary is not held up.
func TestDriveBackoffEndsWithRun(t *testing.T) {
	old := backoffSleep
	backoffSleep = func(ctx context.Context, d time.Duration) { <-ctx.Done() } // as if the wait were endless
	t.Cleanup(func() { backoffSleep = old })
	var sent atomic.Int64
	unreached := func(context.Context, int, *worker) outcome {
		sent.Add(1)
		return outcome{counted: true, errs: 1, unreached: true}
	}
	done := make(chan int64)
	go func() {
		drive(context.Background(), bounds{duration: 50 * time.Millisecond}, 4, false, unreached, nil)
		done <- sent.Load()
	}()
	select {
	case n := <-done:
		if n != 4 { // one each, then the endless wait
			t.Errorf("requests %d, want 4", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run outlasted --for while its workers waited")
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		drive(ctx, bounds{count: 1000}, 2, false, unreached, nil)
		done <- 0
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the run outlasted Ctrl-C while its workers waited")
	}
	// The real wait, too, ends with its context.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	old(ctx, time.Hour)
}

// Against a port with nothing listening, each refused dial is still a
// request counted as refused, and the worker waits between them: of a
// socket target, and of an HTTP one.
func TestRefusedBacksOff(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	sleeps := recordSleeps(t)
	s, err := RunSocket(context.Background(), SocketConfig{Addr: addr, Command: "add", Count: 5, Concurrency: 1, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 5 || s.TransportErrors[client.ErrRefused.Error()] != 5 {
		t.Fatalf("socket: requests %d, errors %v", s.Requests, s.TransportErrors)
	}
	if got := sleeps(); len(got) != 4 {
		t.Fatalf("socket: waits %v, want 4 (between the 5 requests)", got)
	}

	sleeps = recordSleeps(t)
	s, err = Run(context.Background(), Config{URL: "http://" + addr + "/gw", Calls: []client.Call{{Target: "echo"}}, Count: 5, Concurrency: 1,
		Client: client.Config{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 5 || s.TransportErrors[client.ErrRefused.Error()] != 5 {
		t.Fatalf("http: requests %d, errors %v", s.Requests, s.TransportErrors)
	}
	if got := sleeps(); len(got) != 4 {
		t.Fatalf("http: waits %v, want 4 (between the 5 requests)", got)
	}
}

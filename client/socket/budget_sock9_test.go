package socket

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

func (b *sizedBudget) inUse() int64 { b.mu.Lock(); defer b.mu.Unlock(); return b.use }

// waitFor polls cond until it holds, or fails the test after testWait.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(testWait); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%s: not within %s", what, testWait)
		}
	}
}

// TestLargeFrameChargedAsItArrives: a frame's header charges the budget
// for its first upfrontFrame bytes only; the rest is charged as it
// arrives. A header claiming 8 MiB followed by 10 bytes took 24 MiB of
// the budget at once, held for as long as the peer trickled the rest
// (serve's 256 MiB budget: two headers of 64 MiB kept HTTP requests of
// more than 21 MB out, for hours at the minimum rate). The frame, once
// whole, is still charged three times its size, and all of it is given
// back once answered.
func TestLargeFrameChargedAsItArrives(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	peer, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	nc, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	b := &sizedBudget{max: 256 << 20}
	c := NewConn(nc, Options{Budget: b, IdleTimeout: time.Hour, OnRequest: func(r *Request) { _ = r.Reply("ok") }})
	defer c.Close()

	const size = 8 << 20
	f := frame(t, RequestObject("big", "echo", params("s", strings.Repeat("x", size))))
	if _, err := peer.Write(f[:14]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the header and 10 bytes read", func() bool { return c.inBytes.Load() >= 14 && b.inUse() > 0 })
	if use := b.inUse(); use > 1<<20 {
		t.Fatalf("a header claiming %d bytes and 10 bytes of payload hold %d bytes of the budget, want at most 1 MiB", len(f)-4, use)
	}
	if _, err := peer.Write(f[14:]); err != nil {
		t.Fatal(err)
	}
	_ = peer.SetReadDeadline(time.Now().Add(testWait))
	var v any
	if err := amf.NewFrameReader(peer).Decode(&v); err != nil {
		t.Fatal(err)
	}
	if r, err := ParseRPC(v); err != nil || r.Kind != KindResponse || r.MessageID != "big" || r.Result != "ok" {
		t.Fatalf("reply %v (%v)", amf.Describe(v), err)
	}
	if peak := b.peakUse(); peak < 3*size {
		t.Errorf("the whole frame was charged %d at most, want at least three times its %d bytes", peak, size)
	}
	waitFor(t, "the charge given back", func() bool { return b.inUse() == 0 })
}

// TestLargeFrameRefusedMidway: a frame whose bytes find no room in the
// budget as they arrive (others hold most of it) ends the connection
// with an error that says which frame, how far it had come, and why;
// what it was charged is given back.
func TestLargeFrameRefusedMidway(t *testing.T) {
	a, nc := net.Pipe()
	defer a.Close()
	b := &sizedBudget{max: 16 << 20}
	others, err := b.Reserve(context.Background(), 12<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer others()
	c := NewConn(nc, Options{Budget: b, IdleTimeout: time.Hour})
	defer c.Close()
	f := frame(t, RequestObject("big", "echo", params("s", strings.Repeat("x", 3<<20))))
	go func() { _, _ = a.Write(f) }()
	select {
	case <-c.Done():
	case <-time.After(testWait):
		t.Fatal("the connection is still open")
	}
	err = c.Err()
	if err == nil || !strings.Contains(err.Error(), "frame 1 of 3145") || !strings.Contains(err.Error(), "refused after") || !strings.Contains(err.Error(), "budget of 16777216 bytes is taken") {
		t.Fatalf("the connection ended with %v", err)
	}
	waitFor(t, "the charge given back", func() bool { return b.inUse() == 12<<20 })
}

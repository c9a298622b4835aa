package socket

import (
	"io"
	"net"
	"testing"
	"time"
)

// FuzzConnBudget: whatever bytes a peer sends to a Conn that charges a
// budget (as serve --socket does), the Conn never panics, ends once the
// peer hangs up, and has given the whole budget back once closed; the
// budget is never overdrawn (sizedBudget refuses that) and a frame it
// cannot hold ends the connection with an error instead.
func FuzzConnBudget(f *testing.F) {
	t := &testing.T{}
	f.Add(frame(t, RequestObject("a", "echo", params("x", 1.0))))
	f.Add(append(frame(t, RequestObject("a", "echo", params("s", "x"))), frame(t, ResponseObject("b", "pong"))...))
	f.Add(frame(t, MessageObject("c", "tick", params())))
	f.Add(nullsFrame(t, "n", 20000))            // decodes to more than the budget
	f.Add([]byte{0x7f, 0xff, 0xff, 0xff, 0x0a}) // a header claiming 2 GiB
	f.Add([]byte{0, 0, 0, 3, 0x0a, 0x0b, 0x01, 0, 0, 0, 1, 0x0c})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		b := &sizedBudget{max: 256 << 10}
		peer, nc := net.Pipe()
		defer peer.Close()
		c := NewConn(nc, Options{Budget: b, IdleTimeout: time.Minute, OnRequest: func(r *Request) { _ = r.Reply(r.Params) }})
		go func() { _, _ = io.Copy(io.Discard, peer) }()
		wrote := make(chan struct{})
		go func() {
			_, _ = peer.Write(data)
			close(wrote)
		}()
		select {
		case <-wrote:
		case <-c.Done():
		case <-time.After(testWait):
			t.Fatalf("the Conn neither read %d bytes nor ended within %s", len(data), testWait)
		}
		peer.Close()
		select {
		case <-c.Done():
		case <-time.After(testWait):
			t.Fatalf("the Conn did not end within %s of the peer hanging up", testWait)
		}
		if c.Err() == nil {
			t.Fatal("ended without saying why")
		}
		c.Close()
		if use := b.inUse(); use != 0 {
			t.Fatalf("%d bytes of the budget still taken after Close (peak %d)", use, b.peakUse())
		}
	})
}

package socket

import (
	"context"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// failingListener fails its first Accepts with err, as a process out of
// file descriptors does.
type failingListener struct {
	net.Listener
	fails atomic.Int32
	err   error
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, l.err
	}
	return l.Listener.Accept()
}

// TestServerAcceptRetries: an Accept that fails for want of file
// descriptors (EMFILE, a flood of connections) does not stop the
// server: it logs it once, waits and accepts again, and the next client
// is served. Before, Serve returned at the first, and serve --socket
// went on without its socket server, saying nothing.
func TestServerAcceptRetries(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl := &failingListener{Listener: ln, err: &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}}
	fl.fails.Store(3)
	var log logLines
	s := &Server{Options: Options{OnRequest: DemoRequest}, Log: log.logf}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, fl) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	c, err := Dial(ctx, ln.Addr().String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cctx, ccancel := context.WithTimeout(ctx, testWait)
	defer ccancel()
	if _, err := c.Call(cctx, "echo", nil); err != nil {
		t.Fatalf("a call after the failed accepts: %v", err)
	}
	log.waitFor(t, "too many open files; accepting again in a moment")
	log.mu.Lock()
	defer log.mu.Unlock()
	n := 0
	for _, l := range log.lines {
		if strings.Contains(l, "accepting again") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the failed accepts logged %d times, want once", n)
	}
}

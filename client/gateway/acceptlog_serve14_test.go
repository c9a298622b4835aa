package gateway

import (
	"context"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/internal/ratelog"
)

// failingListener fails its first Accepts as a process out of file
// descriptors does (EMFILE), which net/http retries after a backoff.
type failingListener struct {
	net.Listener
	fails atomic.Int32
}

func (l *failingListener) Accept() (net.Conn, error) {
	if l.fails.Add(-1) >= 0 {
		return nil, &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}
	}
	return l.Listener.Accept()
}

// TestAcceptErrorsLoggedOnce: net/http's line for each failed Accept
// is logged once a minute at most, with a count; it was logged at each
// retry (5 failures, 5 lines; one a second for as long as they last).
// Then the gateway answers as usual.
func TestAcceptErrorsLoggedOnce(t *testing.T) {
	var logBuf lockedBuffer
	g := newTestGateway(t, Options{Log: &logBuf})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl := &failingListener{Listener: ln}
	fl.fails.Store(5)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, fl) }()
	defer func() {
		cancel()
		<-done
	}()
	waitFor(t, func() bool { return fl.fails.Load() < 0 }) // past the failures: accepting
	c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	cancel()
	<-done
	done <- nil
	if n := strings.Count(logBuf.String(), "Accept error"); n != 1 {
		t.Errorf("5 failed accepts logged %d times, want once:\n%s", n, logBuf.String())
	}
	var l ratelog.Limiter
	t0 := time.Unix(1000, 0)
	l.Due(t0)
	for i := range 3 {
		if ok, _ := l.Due(t0.Add(time.Duration(i) * 10 * time.Second)); ok {
			t.Errorf("due again %ds later", i*10)
		}
	}
	if ok, skipped := l.Due(t0.Add(ratelog.Every)); !ok || skipped != 3 {
		t.Errorf("a minute later: %v %d, want true 3", ok, skipped)
	}
}

package socket

import (
	"context"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/internal/ratelog"
)

// flappingListener fails every other Accept with err, as a process out
// of file descriptors does while connections close now and then: each
// frees a descriptor, the next Accept succeeds, the one after fails.
type flappingListener struct {
	net.Listener
	mu    sync.Mutex
	n     int
	fails int // Accepts to fail in all
	err   error
}

func (l *flappingListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.n++
	fail := l.n%2 == 1 && l.fails > 0
	if fail {
		l.fails--
	}
	l.mu.Unlock()
	if fail {
		return nil, l.err
	}
	return l.Listener.Accept()
}

// TestServerAcceptErrorsLoggedOnce: accept errors between successful
// accepts are logged once (then at most once a minute, with a count),
// not once after each connection accepted. Before, three clients
// accepted between four EMFILE failures made four identical lines.
func TestServerAcceptErrorsLoggedOnce(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	fl := &flappingListener{Listener: ln, fails: 4, err: &net.OpError{Op: "accept", Net: "tcp", Err: os.NewSyscallError("accept4", syscall.EMFILE)}}
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
	for i := range 3 {
		c, err := Dial(ctx, ln.Addr().String(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		cctx, ccancel := context.WithTimeout(ctx, testWait)
		_, err = c.Call(cctx, "echo", nil)
		ccancel()
		c.Close()
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// The fourth failure comes with the fourth Accept after the third
	// client: wait for it.
	for deadline := time.Now().Add(testWait); ; {
		fl.mu.Lock()
		left := fl.fails
		fl.mu.Unlock()
		if left == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener's failures were not all taken")
		}
		time.Sleep(5 * time.Millisecond)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	n := 0
	for _, l := range log.lines {
		if strings.Contains(l, "too many open files") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("4 failed accepts between 3 accepted logged %d times, want once:\n%s", n, strings.Join(log.lines, "\n"))
	}
}

// TestRateLog: a line is due at first, then not again within a minute;
// the next one says how many were held back.
func TestRateLog(t *testing.T) {
	var l ratelog.Limiter
	t0 := time.Unix(1000, 0)
	if ok, skipped := l.Due(t0); !ok || skipped != 0 {
		t.Fatalf("first: %v %d, want true 0", ok, skipped)
	}
	for i := range 5 {
		if ok, _ := l.Due(t0.Add(time.Duration(i) * 10 * time.Second)); ok {
			t.Fatalf("due again %ds later", i*10)
		}
	}
	if ok, skipped := l.Due(t0.Add(ratelog.Every)); !ok || skipped != 5 {
		t.Fatalf("a minute later: %v %d, want true 5", ok, skipped)
	}
	if ok, _ := l.Due(t0.Add(ratelog.Every + time.Second)); ok {
		t.Fatal("due a second after the last line")
	}
}

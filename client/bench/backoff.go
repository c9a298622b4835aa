package bench

import (
	"container/list"
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// A worker whose request could not reach the server (a refused or
// failed dial, a connection reset or closed under it) does not send its
// next request at once, as a load tester should not: without a wait,
// eight workers against a port with nothing listening made some 10,000
// dials a second, which only inflated "requests/s" and took the CPU the
// server would need once back. The failures are still counted, one per
// request.
//
// The waits are the run's, not each worker's: a wait per worker (5 ms
// doubling to 100 ms) still let -c 10000 dial a dead server some 25,000
// times a second, the rate growing with -c. The workers that failed
// queue at one dialGate, which lets them go one at a time: the first
// backoffMin after a failure, and the gap doubles with each failure that
// follows, up to backoffMax (each gap drawn between half of it and all
// of it). A server that stays down so sees about 130 attempts a second
// whatever -c, about what -c 8 made with a wait per worker: a run of
// -n 200 against a closed port still ends in under 2 s (with gaps of
// up to 100 ms it took 14 s). A worker that comes back from the queue
// and reaches the server (an answer, a fault, an HTTP status, a timeout
// waiting for the reply) resets the gap and lets two more go at once,
// and each of those that reaches it two more: a server back up gets all
// the workers again within a few round trips (as TCP's slow start), and
// a server that refuses some connections and takes others (at its
// connection limit) gets no burst of the whole queue for each it takes.
// A wait never outlasts the run: it ends with --for's deadline, the
// count's last request or Ctrl-C (the run's context).
const (
	backoffMin = 1 * time.Millisecond
	backoffMax = 10 * time.Millisecond
)

// dialGate is the queue of the workers that wait after a connection
// failure, shared by the workers of one run.
type dialGate struct {
	mu      sync.Mutex
	gap     time.Duration // between two releases; 0 until a failure
	credit  int           // workers that may go at once, earned by those that reached the server
	waiting list.List     // of chan struct{}, first come first released
	kick    chan struct{} // a worker queued (for pace)
	sleep   func(context.Context, time.Duration)
}

func newDialGate() *dialGate {
	// pace may outlast the run a little: it keeps the sleep it began
	// with (tests change backoffSleep).
	return &dialGate{kick: make(chan struct{}, 1), sleep: backoffSleep}
}

// failed notes a request that did not reach the server: the gap doubles
// and the credit is gone.
func (g *dialGate) failed() {
	g.mu.Lock()
	g.gap = min(max(2*g.gap, backoffMin), backoffMax)
	g.credit = 0
	g.mu.Unlock()
}

// reached notes a request that reached the server, from a worker that
// had waited: the gap is reset, and two more workers go at once.
func (g *dialGate) reached() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gap = 0
	g.credit += 2
	for g.credit > 0 && g.waiting.Len() > 0 {
		g.credit--
		close(g.waiting.Remove(g.waiting.Front()).(chan struct{}))
	}
}

// wait queues a worker after a failed request until the gate lets it go
// (pace, or a credit), or ctx ends.
func (g *dialGate) wait(ctx context.Context) {
	g.mu.Lock()
	if g.credit > 0 {
		g.credit--
		g.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	e := g.waiting.PushBack(ch)
	g.mu.Unlock()
	select {
	case g.kick <- struct{}{}:
	default:
	}
	select {
	case <-ch:
	case <-ctx.Done():
		g.mu.Lock()
		select {
		case <-ch: // released meanwhile
		default:
			g.waiting.Remove(e)
		}
		g.mu.Unlock()
	}
}

// pace lets the queued workers go one at a time, the gap apart (drawn
// between half of it and all of it), until ctx ends.
func (g *dialGate) pace(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-g.kick:
		}
		for {
			g.mu.Lock()
			n, gap := g.waiting.Len(), max(g.gap, backoffMin)
			g.mu.Unlock()
			if n == 0 {
				break
			}
			g.sleep(ctx, gap/2+rand.N(gap/2+1))
			if ctx.Err() != nil {
				return
			}
			g.mu.Lock()
			if e := g.waiting.Front(); e != nil {
				close(g.waiting.Remove(e).(chan struct{}))
			}
			g.mu.Unlock()
		}
	}
}

// backoffSleep waits d, less when ctx ends first (a variable for tests).
var backoffSleep = func(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

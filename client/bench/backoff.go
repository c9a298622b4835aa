package bench

import (
	"context"
	"math/rand/v2"
	"time"
)

// A worker whose request could not reach the server (a refused or
// failed dial, a connection reset or closed under it) waits a little
// before its next request, as a load tester should: without the wait,
// eight workers against a port with nothing listening made some 10,000
// dials a second (38,000 in a 4 s run whose server was down for 2 s),
// which only inflated "requests/s" and took the CPU the server would
// need once back. The failures are still counted, one per request.
//
// The wait starts at backoffMin and doubles after each such failure in
// a row, up to backoffMax; a request that reaches the server (an
// answer, a fault, an HTTP status, a timeout waiting for the reply)
// resets it. Each wait is drawn between half of it and all of it, so
// workers that failed together do not dial again together. A wait
// never outlasts the run: it ends with --for's deadline, the count's
// last request or Ctrl-C (runCtx).
const (
	backoffMin = 5 * time.Millisecond
	backoffMax = 100 * time.Millisecond
)

// backoff is one worker's wait after connection failures (used by that
// worker alone).
type backoff struct {
	next time.Duration
}

// reset forgets the failures: the server was reached.
func (b *backoff) reset() { b.next = 0 }

// wait waits after a connection failure, less when ctx ends first.
func (b *backoff) wait(ctx context.Context) {
	if b.next < backoffMin {
		b.next = backoffMin
	}
	d := b.next/2 + rand.N(b.next/2+1)
	b.next = min(2*b.next, backoffMax)
	backoffSleep(ctx, d)
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

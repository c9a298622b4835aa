// Package ratelog lets a log line that may repeat many times a second
// through at most once a minute, counting those it holds back: the
// accept errors of a gateway out of file descriptors (HTTP and AMF
// Socket alike) were logged once per streak of failures, and with
// connections closing now and then (each frees a descriptor, and the
// next Accept succeeds) a flood of them logged a line every few
// milliseconds.
package ratelog

import (
	"sync"
	"time"
)

// Every is how often a Limiter lets a line through.
const Every = time.Minute

// A Limiter decides which of a repeating line's occurrences are logged.
// Its zero value lets the first through. It is safe for concurrent use.
type Limiter struct {
	mu      sync.Mutex
	last    time.Time // when a line was last let through; zero: never
	skipped int       // lines held back since
}

// Due says whether a line is to be logged at now, and how many were
// held back since the last one.
func (l *Limiter) Due(now time.Time) (ok bool, skipped int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < Every {
		l.skipped++
		return false, 0
	}
	skipped, l.skipped, l.last = l.skipped, 0, now
	return true, skipped
}

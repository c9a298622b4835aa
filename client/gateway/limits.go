package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
)

// Defaults of the request limits (see [Options]).
const (
	DefaultMaxMemory    = 256 << 20
	DefaultBodyTimeout  = 10 * time.Second
	DefaultMinBodyRate  = 1024
	DefaultMaxBodyTime  = 10 * time.Minute
	DefaultWriteTimeout = 30 * time.Second
	DefaultMaxConns     = 1024
	// MemoryWait is how long a request waits for its share of the memory
	// budget before it is refused with a 503.
	MemoryWait = 5 * time.Second
)

// requestBase is what every request is charged besides its body: the
// buffers of its connection and of its reply.
const requestBase = 64 << 10

// limits are the request limits every handler of the gateway sits behind.
type limits struct {
	budget   *semaphore.Weighted
	max      int64 // the budget, in bytes
	inFlight atomic.Int64

	bodyTimeout  time.Duration
	minRate      int64         // bytes per second; 0: no minimum
	maxBodyTime  time.Duration // for a whole body; 0: no limit
	writeTimeout time.Duration
	maxConns     int
	wait         time.Duration // MemoryWait; shorter in tests

	freeMu    sync.Mutex
	freeNext  time.Time // when memory may next be handed back to the system
	freeTimer *time.Timer
	bigDone   atomic.Bool
}

func newLimits(o *Options) *limits {
	return &limits{
		budget:       semaphore.NewWeighted(o.MaxMemory),
		max:          o.MaxMemory,
		bodyTimeout:  o.BodyTimeout,
		minRate:      o.MinBodyRate,
		maxBodyTime:  max(o.MaxBodyTime, 0),
		writeTimeout: o.WriteTimeout,
		maxConns:     o.MaxConns,
		wait:         MemoryWait,
	}
}

// checkLimits fills in the defaults of the limit options and checks their
// ranges.
func checkLimits(o *Options) error {
	if o.MaxMemory == 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	if o.MaxMemory < 1<<20 {
		return fmt.Errorf("gateway: invalid memory budget %d (at least 1 MiB)", o.MaxMemory)
	}
	if o.BodyTimeout == 0 {
		o.BodyTimeout = DefaultBodyTimeout
	}
	if o.BodyTimeout < 0 {
		return fmt.Errorf("gateway: invalid body timeout %v (want a positive duration)", o.BodyTimeout)
	}
	switch {
	case o.MinBodyRate == 0:
		o.MinBodyRate = DefaultMinBodyRate
	case o.MinBodyRate < 0:
		o.MinBodyRate = 0 // no minimum
	}
	if o.MaxBodyTime == 0 {
		o.MaxBodyTime = DefaultMaxBodyTime // negative: no limit
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.WriteTimeout < 0 {
		return fmt.Errorf("gateway: invalid write timeout %v (want a positive duration)", o.WriteTimeout)
	}
	if o.MaxConns == 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.MaxConns < 1 {
		return fmt.Errorf("gateway: invalid connection limit %d (at least 1)", o.MaxConns)
	}
	return nil
}

// need makes the reservation total bytes (at most the whole budget).
// When the budget has no room at once, it waits holding only held
// bytes (what the request keeps in memory whatever it waits for: a
// body read, the values decoded), so that requests waiting for more
// cannot hold each other up with what they have not taken yet; the
// wait ends MemoryWait after the request came in. Before, a request
// waited holding nothing: 8 packets of 65,535 Flex calls (7 MB each) at
// once, each waiting for the room of its answers with its values
// decoded (38 MB), took serve to 335 MB under a budget of 256 MiB.
func (res *reservation) need(ctx context.Context, total, held int64) error {
	if res == nil {
		return nil
	}
	l := res.l
	total = min(total, l.max)
	if total <= res.n {
		return nil
	}
	if l.budget.TryAcquire(total - res.n) {
		l.inFlight.Add(total - res.n)
		res.n = total
		return nil
	}
	held = min(held, res.n)
	if res.n > held {
		l.budget.Release(res.n - held)
		l.inFlight.Add(held - res.n)
		res.n = held
	}
	ctx, cancel := context.WithDeadline(ctx, res.start.Add(res.l.wait))
	defer cancel()
	if err := l.budget.Acquire(ctx, total-res.n); err != nil {
		return &errBudget{want: total, budget: l.max}
	}
	l.inFlight.Add(total - res.n)
	res.n = total
	return nil
}

// tryGrow adds n bytes to the reservation if the budget has room for
// them now, without waiting, and reports whether it did. n over half
// the budget counts as half, so that anything can be charged once the
// budget is free. A nil reservation (outside the limits) always has
// room.
func (res *reservation) tryGrow(n int64) bool {
	if res == nil || n <= 0 {
		return true
	}
	n = min(n, res.l.max/2)
	if res.n+n > res.l.max || !res.l.budget.TryAcquire(n) {
		return false
	}
	res.n += n
	res.l.inFlight.Add(n)
	return true
}

// Budget is the gateway's memory budget, for another server of the
// same process to charge what it reads to (serve's AMF Socket server
// charges its frames): requests of either kind then share it.
type Budget struct{ l *limits }

// Budget returns the gateway's memory budget.
func (g *Gateway) Budget() *Budget { return &Budget{l: g.lim} }

// Reserve takes n bytes of the budget (the whole budget when n is
// larger: that one runs alone), waiting up to MemoryWait for room
// while ctx lasts. release gives them back; call it once.
func (b *Budget) Reserve(ctx context.Context, n int64) (release func(), err error) {
	res := &reservation{l: b.l, start: time.Now()}
	if err := res.grow(ctx, n); err != nil {
		return nil, err
	}
	return res.release, nil
}

// Size is the whole budget, in bytes.
func (b *Budget) Size() int64 { return b.l.max }

// chargeResult charges the request's reservation n bytes more for
// what a call's result takes while the reply is built (what its
// arguments cost is charged before the calls run), so that a small
// request whose calls answer with much (a batch of getSnapshots calls)
// cannot take memory past the budget. A result that finds no room is
// a fault for that call alone: one the whole budget cannot hold at
// once, Server.ResourceLimit; one whose room does not come within
// MemoryWait of the request's start, Server.Busy. Outside the limits
// (a test calling Handle) nothing is charged.
func (c *call) chargeResult(n int64, what string) *Fault {
	return reservationOf(c.r).chargeReply(c.r.Context(), n, what)
}

// chargeReply charges the reservation n bytes more for what (a call's
// result, or its part of the reply) takes while the reply is built;
// see chargeResult for the faults it answers when it finds no room. A
// nil reservation has room.
func (res *reservation) chargeReply(ctx context.Context, n int64, what string) *Fault {
	if res == nil || n <= 0 {
		return nil
	}
	if res.n+n > res.l.max {
		return &Fault{Code: "Server.ResourceLimit", Type: "MemoryError", Name: "MemoryError", Description: fmt.Sprintf(
			"%s would take about %s more while the reply is built, and this request already holds %s: more than the gateway's memory budget of %s for requests in flight; send fewer calls in one request",
			what, sizeText(n), sizeText(res.n), sizeText(res.l.max))}
	}
	if err := res.grow(ctx, n); err != nil {
		return &Fault{Code: "Server.Busy", Type: "MemoryError", Name: "MemoryError", Description: fmt.Sprintf(
			"%s would take about %s more while the reply is built: %v; try again later", what, sizeText(n), err)}
	}
	return nil
}

// reservation is one request's share of the memory budget.
type reservation struct {
	l     *limits
	n     int64
	start time.Time
}

type reservationKey struct{}

// reservationOf returns the request's reservation (nil outside the
// limits, as in tests that call Handle directly).
func reservationOf(r *http.Request) *reservation {
	res, _ := r.Context().Value(reservationKey{}).(*reservation)
	return res
}

// errBudget says a request's memory could not be reserved in time.
type errBudget struct {
	want, budget int64
}

func (e *errBudget) Error() string {
	return fmt.Sprintf("the gateway's memory budget for requests in flight (%s) is taken by other requests; this one needs %s",
		sizeText(e.budget), sizeText(e.want))
}

// grow adds n bytes to the reservation, waiting for the budget until
// MemoryWait has passed since the request came in. A request larger than
// the whole budget is charged the whole budget: it runs alone.
func (res *reservation) grow(ctx context.Context, n int64) error {
	if res == nil || n <= 0 {
		return nil
	}
	want := min(n, res.l.max-res.n)
	if want <= 0 {
		return nil
	}
	if !res.l.budget.TryAcquire(want) {
		ctx, cancel := context.WithDeadline(ctx, res.start.Add(res.l.wait))
		defer cancel()
		if err := res.l.budget.Acquire(ctx, want); err != nil {
			return &errBudget{want: res.n + n, budget: res.l.max}
		}
	}
	res.n += want
	res.l.inFlight.Add(want)
	return nil
}

// held is what the reservation holds (0 for none).
func (res *reservation) held() int64 {
	if res == nil {
		return 0
	}
	return res.n
}

// shrink gives back what the reservation holds over n bytes (a request
// that turned out to need less than it was charged).
func (res *reservation) shrink(n int64) {
	if res == nil || res.n <= n {
		return
	}
	res.l.budget.Release(res.n - n)
	res.l.inFlight.Add(n - res.n)
	res.n = n
}

// release gives the reservation back. After a large request, once no
// request holds more than a little, the freed memory is handed back to
// the system (at most once a second, and once more after the last one),
// so that a burst of uploads does not leave the process large.
func (res *reservation) release() {
	if res == nil || res.n == 0 {
		return
	}
	l := res.l
	big := res.n > 8<<20
	l.budget.Release(res.n)
	left := l.inFlight.Add(-res.n)
	res.n = 0
	if big {
		l.bigDone.Store(true)
	}
	if left <= idleInFlight && l.bigDone.Load() {
		l.freeMemory()
	}
}

// idleInFlight is the reserved memory below which the gateway counts as
// idle, for handing memory back.
const idleInFlight = 64 * requestBase

// freeMemory hands freed memory back to the system now, or, when it did
// so less than a second ago, once that second has passed.
func (l *limits) freeMemory() {
	l.freeMu.Lock()
	defer l.freeMu.Unlock()
	if l.freeTimer != nil {
		return // one is due
	}
	wait := time.Until(l.freeNext)
	if wait < 0 {
		wait = 0
	}
	l.freeTimer = time.AfterFunc(wait, func() {
		l.freeMu.Lock()
		l.freeTimer = nil
		l.freeNext = time.Now().Add(time.Second)
		l.freeMu.Unlock()
		if l.inFlight.Load() <= idleInFlight && l.bigDone.Swap(false) {
			debug.FreeOSMemory()
		}
	})
}

// admit reserves a request's base memory and wraps its body in a reader
// that charges the budget for the bytes as they arrive (a handler that
// knows better reserves ahead, or turns the charging off for a body it
// streams to disk) and holds the client to a minimum rate and a stall
// timeout, and the reply writer in one that bounds each write. A
// request it refuses is answered here.
func (g *Gateway) admit(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request, func(), bool) {
	l := g.lim
	a := &admission{res: reservation{l: l, start: time.Now()}}
	res := &a.res
	if err := res.grow(r.Context(), requestBase); err != nil {
		g.busy(w, r, err)
		return nil, nil, nil, false
	}
	rc := http.NewResponseController(w)
	if r.Body != nil && r.Body != http.NoBody {
		a.body = rateReader{rc: g.bodyRC(rc), body: r.Body, res: res, idle: g.idle, rate: l.minRate, whole: l.maxBodyTime, start: res.start}
		r.Body = &a.body
	}
	a.w = stallWriter{ResponseWriter: w, rc: rc, timeout: l.writeTimeout}
	r = r.WithContext(context.WithValue(r.Context(), reservationKey{}, res))
	return &a.w, r, a.done, true
}

// done ends a request admitted: its reservation is given back, and a
// body the handler left unread is not waited for. net/http reads what
// a handler left of a body (up to 256 KiB) before it writes the reply,
// with no deadline but the ones the body's reader set: a client that
// sent a request head with a Content-Length over the limit (a 413), or
// any body to a handler that does not read it, and then nothing, never
// got its answer and held its connection (and a place of --max-conns)
// for good. The read deadline is set to unreadBodyWait from now: what
// the client has already sent is read (so the connection is not closed
// on unread bytes, which makes the kernel send a reset that can destroy
// the reply before the client reads it: TestBodyLimit failed that way
// about one run in ten with the deadline set to now), and a client
// that sends no more has its reply after that wait, then the
// connection closes.
func (a *admission) done() {
	if x := &a.body; x.body != nil && x.rc != nil && !x.eof {
		x.rc.SetReadDeadline(time.Now().Add(unreadBodyWait))
	}
	a.res.release()
}

// unreadBodyWait is how long net/http may go on reading a body its
// handler left unread before the reply is written (admission.done).
const unreadBodyWait = 500 * time.Millisecond

// admission is what admit makes for one request, in one allocation.
type admission struct {
	res  reservation
	body rateReader
	w    stallWriter
}

// bodyRC is the controller that sets read deadlines, nil when the
// connection has none (a test's recorder).
func (g *Gateway) bodyRC(rc *http.ResponseController) *http.ResponseController {
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return nil
	}
	return rc
}

// busy answers a request the memory budget has no room for, with a 503
// (see refuseUnread).
func (g *Gateway) busy(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Retry-After", "5")
	g.refuseUnread(w, r, http.StatusServiceUnavailable, err.Error()+"; try again later.")
}

// refuseUnread answers a request whose body the gateway will not use,
// and closes its connection. The rest of the body is read and thrown
// away (for at most lingerTime), without being kept, so that the
// client, still sending, sees the answer rather than a reset
// connection.
func (g *Gateway) refuseUnread(w http.ResponseWriter, r *http.Request, status int, reason string) {
	w.Header().Set("Connection", "close")
	g.refuse(w, r, status, reason)
	if r.Body == nil || r.Body == http.NoBody || strings.EqualFold(r.Header.Get("Expect"), "100-continue") {
		return // nothing to read, or a client that waits for our answer before sending
	}
	http.NewResponseController(w).Flush()
	x, ok := r.Body.(*rateReader)
	if !ok || x.rc == nil {
		return // no deadlines to bound the reading with
	}
	x.uncharged = true
	x.until = time.Now().Add(lingerTime)
	io.CopyN(io.Discard, r.Body, g.opt.MaxUpload+requestOverhead+1)
}

// lingerTime bounds how long a refused body is read and thrown away.
const lingerTime = 5 * time.Second

// sizeText writes a byte count in words a log reader takes in at a
// glance: "64 MiB", "1.5 MiB", "512 KiB", "100 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	case n == 1:
		return "1 byte"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// ErrSlowBody is the error a request body's reader returns when the
// client sends too slowly: it stalled for the body timeout, or fell
// below the minimum rate.
var ErrSlowBody = errors.New("the request body arrives too slowly")

// rateReader reads a request body under a read deadline that moves
// with the bytes received: each read must complete within the body
// timeout, after the first body timeout the body must keep up with the
// minimum rate on average, and the whole body must have come within
// the longest body time of the request's start. A body of unknown
// length grows the request's memory reservation as it arrives.
//
// Without that last bound, a body sent at exactly the minimum rate
// lasted its size over the rate (the 65 MiB a request may hold, at
// 1 KiB/s: 18 hours), holding its connection and its share of the
// memory budget; as nginx's client_body_timeout, the first two bound
// each read, not the whole (Go's http.Server.ReadTimeout bounds the
// whole).
type rateReader struct {
	rc    *http.ResponseController
	body  io.ReadCloser
	res   *reservation
	idle  time.Duration
	rate  int64
	whole time.Duration // the longest the whole body may take; 0: no limit
	start time.Time
	n     int64 // bytes read
	err   error
	// overall: the read deadline set is the whole body's (whole).
	overall bool
	// uncharged: the handler streams the body to disk, so the bytes
	// read cost no memory.
	uncharged bool
	// until, when set, is a deadline no read goes past.
	until time.Time
	// eof: the body was read to its end.
	eof bool
	// cut: the connection ended before the body's Content-Length (the
	// client went away).
	cut bool
}

// chargeBody turns the charging of a request's body for memory off (a
// body streamed to disk) or on again.
func chargeBody(r *http.Request, on bool) {
	if x, ok := r.Body.(*rateReader); ok {
		x.uncharged = !on
	}
}

func (x *rateReader) Read(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	if x.rc != nil {
		now := time.Now()
		dl := now.Add(x.idle)
		if x.rate > 0 {
			// By then the body must have reached the minimum rate, counted
			// from the end of a first body timeout of grace.
			due := x.start.Add(x.idle + time.Duration(float64(x.n+1)/float64(x.rate)*float64(time.Second)))
			if due.Before(dl) {
				dl = due
			}
		}
		x.overall = false
		if x.whole > 0 {
			if end := x.start.Add(x.whole); end.Before(dl) {
				dl, x.overall = end, true
			}
		}
		if !x.until.IsZero() && x.until.Before(dl) {
			dl, x.overall = x.until, false
		}
		x.rc.SetReadDeadline(dl)
	}
	n, err := x.body.Read(p)
	x.n += int64(n)
	if err == io.EOF {
		x.eof = true
	}
	if err == io.ErrUnexpectedEOF {
		// net/http's reader of a body with a Content-Length says so
		// when the connection ends first.
		x.cut = true
	}
	if over := x.n + requestBase - x.res.n; over > 0 && !x.uncharged {
		// Unknown length (or more than declared, which net/http refuses):
		// reserve what came, in 1 MiB steps.
		if gerr := x.res.grow(context.Background(), max(over, 1<<20)); gerr != nil {
			x.err = gerr
			return n, gerr
		}
	}
	if err != nil && err != io.EOF {
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout() && x.overall:
			err = fmt.Errorf("%w (%d bytes in %s; the gateway waits at most %s for a whole body, however steadily it comes)",
				ErrSlowBody, x.n, fmtDur(time.Since(x.start)), x.whole)
		case errors.As(err, &ne) && ne.Timeout():
			err = fmt.Errorf("%w (%d bytes in %s; the gateway wants a byte at least every %s and %d bytes/s on average)",
				ErrSlowBody, x.n, fmtDur(time.Since(x.start)), x.idle, x.rate)
		}
		x.err = err
	}
	return n, err
}

func (x *rateReader) Close() error { return x.body.Close() }

// cutShort says, for a request whose body the client stopped sending
// by closing the connection, how much of it came; "" otherwise. Such a
// body was logged as one that "was unable to be successfully decoded:
// reading the ByteArray: unexpected EOF", which reads as a malformed
// request rather than an upload given up (Ctrl-C, a client that
// crashed).
func cutShort(r *http.Request) string {
	x, ok := r.Body.(*rateReader)
	if !ok || !x.cut {
		return ""
	}
	if r.ContentLength > 0 {
		return fmt.Sprintf("the client closed the connection after %d of the %d bytes of the body", x.n, r.ContentLength)
	}
	return fmt.Sprintf("the client closed the connection after %d bytes of the body", x.n)
}

// stallWriter bounds each write of a reply: a client that stops reading
// loses its connection after the write timeout.
type stallWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	off     bool // the writer has no deadlines
}

func (w *stallWriter) Write(p []byte) (int, error) {
	if !w.off {
		if err := w.rc.SetWriteDeadline(time.Now().Add(w.timeout)); err != nil {
			w.off = true
		}
	}
	return w.ResponseWriter.Write(p)
}

// whole returns the writer to write one reply of several pieces
// through, under one write deadline set now: as one Write of it would
// be. Written piece by piece through w, each piece would have its own
// deadline, and a client that reads a piece now and then would hold a
// large reply (and its share of the memory budget) for as long as it
// likes.
func (w *stallWriter) whole() io.Writer {
	if w.off || w.rc.SetWriteDeadline(time.Now().Add(w.timeout)) != nil {
		return w
	}
	return w.ResponseWriter
}

// Flush sends what is buffered, for handlers that stream a reply.
func (w *stallWriter) Flush() { w.rc.Flush() }

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *stallWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// connLimiter is a listener that keeps at most max connections open;
// one over the limit is answered with a 503 and closed at once, so that
// a flood of idle connections cannot take every file descriptor.
type connLimiter struct {
	net.Listener
	sem      chan struct{}
	refusers chan struct{} // connections being refused (see refuse)
	refused  atomic.Int64
	g        *Gateway
	reply    string // what a connection over the limit is told
}

func newConnLimiter(ln net.Listener, max int, g *Gateway) *connLimiter {
	return &connLimiter{Listener: ln, sem: make(chan struct{}, max), refusers: make(chan struct{}, maxRefusers), g: g, reply: busyReply(max)}
}

// busyReply is what a connection over the limit of max is told.
func busyReply(max int) string {
	text := fmt.Sprintf("503 Service Unavailable\n\nThis gateway has as many connections open as it takes (its connection limit is %d); try again later.\n", max)
	return "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + strconv.Itoa(len(text)) + "\r\n\r\n" + text
}

func (l *connLimiter) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.sem <- struct{}{}:
			return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
		default:
		}
		if n := l.refused.Add(1); n == 1 || n%1000 == 0 {
			l.g.logf("%s refused: this gateway's connection limit (%d) is reached; %d refused so far", esc(c.RemoteAddr().String(), 60), cap(l.sem), n)
		}
		select {
		case l.refusers <- struct{}{}:
			go func() {
				defer func() { <-l.refusers }()
				l.refuse(c)
			}()
		default:
			// Too many being refused at once: answer without waiting for
			// the request.
			go func() {
				c.SetWriteDeadline(time.Now().Add(time.Second))
				io.WriteString(c, l.reply)
				c.Close()
			}()
		}
	}
}

// How a connection over the limit is refused: the request head is read
// (for at most refuseHeadWait, refuseHeadMax bytes) before the 503 is
// written, then what the client still sends (its body) is read and
// dropped for at most refuseLinger, refuseDrainMax bytes, before the
// connection closes. A socket closed with bytes unread resets the
// connection, and the client would see that rather than the 503.
const (
	refuseHeadWait = time.Second
	refuseHeadMax  = 64 << 10
	refuseLinger   = time.Second
	refuseDrainMax = 4 << 20
	maxRefusers    = 64 // refused this way at once; more are answered at once
)

func (l *connLimiter) refuse(c net.Conn) {
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(refuseHeadWait))
	readHead(c, refuseHeadMax)
	c.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := io.WriteString(c, l.reply); err != nil {
		return
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	c.SetReadDeadline(time.Now().Add(refuseLinger))
	io.CopyN(io.Discard, c, refuseDrainMax)
}

// readHead reads from r until the end of an HTTP request head (an empty
// line), at most max bytes, an error or the deadline. What it reads is
// dropped.
func readHead(r io.Reader, max int) {
	buf := make([]byte, 4096)
	var last [3]byte // the bytes before buf, for an end split between reads
	for n := 0; n < max; {
		k, err := r.Read(buf)
		if k > 0 {
			joined := append(last[:], buf[:k]...)
			if bytes.Contains(joined, []byte("\r\n\r\n")) {
				return
			}
			copy(last[:], joined[len(joined)-3:])
			n += k
		}
		if err != nil {
			return
		}
	}
}

// open is the number of connections open.
func (l *connLimiter) open() int { return len(l.sem) }

// connState closes a keep-alive connection as soon as it falls idle
// while three quarters of the connection slots are taken, so that idle
// connections cannot crowd out new clients.
func (l *connLimiter) connState(c net.Conn, st http.ConnState) {
	if st == http.StateIdle && l.open()*4 >= cap(l.sem)*3 {
		c.Close()
	}
}

// limitedConn gives its slot back once, when closed.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// readBody reads the rest of a body of at most limit bytes. declared is
// the Content-Length (-1 if none); the request's reservation already
// holds it, so a declared body is read into one buffer of its size
// rather than a doubling one. A body of unknown length grows as it
// comes (readUnknown, which calls join before it copies it into one
// buffer).
func readBody(r io.Reader, declared, limit int64, join func(n int64) error) ([]byte, error) {
	if declared < 0 {
		return readUnknown(r, limit, join)
	}
	if declared > limit {
		return readAll(r, declared, limit)
	}
	buf := make([]byte, declared+1) // one more, to see the end
	n, err := io.ReadFull(r, buf)
	switch {
	case err == nil:
		return nil, errTooLarge // more than declared: net/http refuses it, but be sure
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		if int64(n) < declared {
			return nil, fmt.Errorf("reading the request body: the body ends after %d of %d bytes: %w", n, declared, io.ErrUnexpectedEOF)
		}
		return buf[:n], nil
	}
	return nil, fmt.Errorf("reading the request body: %w", err)
}

// Reply buffers: the chunks a reply is built in (reply.go) are pooled.
const (
	replyPooled = 64 << 10
	replyKept   = 256 << 10
)

var replyPool = sync.Pool{New: func() any { b := make([]byte, 0, replyPooled); return &b }}

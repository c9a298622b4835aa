package bench

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/internal/connreset"
	"github.com/amfcall/amfcall/client/socket"
)

// SocketConfig is one load test of an AMF Socket server: one request
// (Command with Params) sent again and again from several connections.
// Addr and Command are required, and at least one of Count and Duration.
//
// Each worker has its own [socket.Conn], dialled at its first request
// (whose latency so includes connecting) and dialled again, counted in
// Summary.Reconnects, once it has ended (closed by the server, reset, a
// frame that cannot be read). A request that gets no response within
// Timeout fails as timed out and leaves its connection open: a late
// response is ignored, as the protocol allows. A response whose result
// is the conventional error result ({"error": {"code", ...}}, see
// [socket.ErrorOf]) is a fault, counted by its code. The server's pings
// are answered, its requests answered with [socket.Unanswered] and its
// one-way messages dropped.
//
// Memory is bounded whatever the concurrency: the connections' frames
// are charged to one budget of six times MaxFrame (three times a frame's
// bytes, as they arrive, and what its values decode to). Each connection
// has a share of a third of it; frames past their share take turns with
// the rest (see memBudget), and one that needs more than the rest is
// read alone. A frame whose values would take more than
// socket.MaxValueFactor times MaxFrame once decoded is refused as too
// large, as a connection of socket call refuses it. A frame that waits
// for its turn longer than Timeout (30 s without one) ends its
// connection, counted as [ErrBudgetWait].
type SocketConfig struct {
	// Addr is the server's HOST:PORT.
	Addr string
	// Command and Params are the request; Params an *amf.Object (nil
	// sends {}).
	Command string
	Params  any
	// Options configure each connection: DialTimeout, IdleTimeout,
	// WriteTimeout, MaxFrame. Its Budget, handlers and Events are the
	// run's own.
	Options socket.Options
	// Timeout bounds the wait for each response; 0: no bound.
	Timeout time.Duration
	// Events, when set, is told each distinct warning of the
	// connections once (at most 16), and with ShowFirst every frame and
	// notice of the first worker's connection until its first request
	// has its response (or fails): one exchange of the run, not one per
	// request.
	Events    socket.EventHandler
	ShowFirst bool
	// Concurrency is the number of workers, each with its own
	// connection. Default 1.
	Concurrency int
	// Count bounds the number of requests sent; 0: no bound.
	Count int64
	// Duration bounds the run's time; 0: no bound.
	Duration time.Duration
	// Progress, if set, is called about every ProgressEvery with the
	// counts so far, from a goroutine of its own.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// ErrBudgetWait is the kind, in Summary.TransportErrors, of a frame that
// found no room in the run's memory budget in time: its connection ended
// (other connections held the budget with large frames).
var ErrBudgetWait = errors.New("reply refused: no room in the memory budget in time")

// Kinds of socket failures in Summary.TransportErrors, beside those of
// HTTP (client.ErrRefused, client.ErrTimeout, client.ErrTooLarge...).
const (
	KindPeerClosed  = "connection closed by the server"
	KindReset       = "connection reset"
	KindDialTimeout = "timed out connecting"
	KindIdle        = "no data from the server in time (idle timeout)"
	KindWrite       = "the server took no data in time (write timeout)"
	KindBadFrame    = "reply is not a valid AMF Socket frame"
)

// RunSocket runs the load test of an AMF Socket server that cfg
// describes, as Run does for an HTTP gateway: until Count requests
// have been sent or Duration has passed, or ctx is done. The summary's
// URL is socket://Addr, its HTTPErrors empty. The connections of the
// requests cut short by the end are closed in the background, as their
// workers stop.
func RunSocket(ctx context.Context, cfg SocketConfig) (*Summary, error) {
	if cfg.Count <= 0 && cfg.Duration <= 0 {
		return nil, ErrNoBound
	}
	if cfg.Command == "" {
		return nil, errors.New("bench: no command to send")
	}
	workers := max(cfg.Concurrency, 1)
	if cfg.Count > 0 && int64(workers) > cfg.Count {
		workers = int(cfg.Count)
	}
	opt := cfg.Options
	opt.OnRequest, opt.OnMessage, opt.OnReceive = nil, nil, nil
	opt.PingInterval = 0
	maxFrame := int64(opt.MaxFrame)
	if maxFrame <= 0 {
		maxFrame = amf.DefaultMaxFrame
	}
	wait := cfg.Timeout
	if wait <= 0 {
		wait = 30 * time.Second
	}
	budget := newMemBudget(2*maxFrame, socket.MaxValueFactor*maxFrame, workers, wait)
	params := cfg.Params
	if params == nil {
		params = &amf.Object{}
	}

	var once *onceSocketWarnings
	if cfg.Events != nil {
		once = &onceSocketWarnings{next: cfg.Events, warnGate: warnGate{seen: map[string]bool{}}}
	}
	var shown *firstSocketExchange
	if cfg.ShowFirst && once != nil {
		shown = &firstSocketExchange{once: once}
	}
	conns := make([]socketWorker, workers)
	for i := range conns {
		conns[i].opt, conns[i].budget = opt, budget
		switch {
		case i == 0 && shown != nil:
			conns[i].opt.Events = shown
		case once != nil:
			conns[i].opt.Events = once
		default:
			conns[i].opt.Events = nil
		}
	}

	reserved := shown != nil && cfg.Count > 0
	b := bounds{count: cfg.Count, duration: cfg.Duration, progress: cfg.Progress, every: cfg.ProgressEvery}
	s := drive(ctx, b, workers, reserved, func(runCtx context.Context, i int, w *worker) outcome {
		sw := &conns[i]
		t0 := time.Now()
		res, err := sw.call(runCtx, cfg, params, w)
		took := time.Since(t0)
		if i == 0 && shown != nil {
			shown.done.Store(true)
		}
		if err != nil && runCtx.Err() != nil {
			return outcome{} // cut short by the end of the run: not counted
		}
		n, f, e := w.recordSocket(res, err, took)
		// A failure that left the worker without a connection (a
		// failed dial, one ended under the request) is waited after; a
		// timed-out response leaves it open and has waited already.
		return outcome{answered: n, faults: f, errs: e, counted: true, unreached: err != nil && sw.conn == nil}
	}, func(i int) {
		// Each worker closes its connection as it stops: those that
		// stop after the summary (cancelled in flight) in the
		// background.
		if c := conns[i].conn; c != nil {
			c.Close()
		}
	})
	if once != nil {
		once.close()
	}
	s.URL = "socket://" + cfg.Addr
	s.Target = cfg.Command
	s.CallsPer = 1
	s.Concurrency = workers
	return s, nil
}

// socketWorker is one worker's connection (used by that worker alone).
type socketWorker struct {
	opt     socket.Options
	budget  *memBudget
	conn    *socket.Conn
	dialled bool
}

// call sends the request on the worker's connection, dialled (again)
// first when there is none or it has ended, and waits for the result
// within cfg.Timeout. A connection that ends with the request is
// dropped, to be dialled again by the next.
func (sw *socketWorker) call(runCtx context.Context, cfg SocketConfig, params any, w *worker) (any, error) {
	if sw.conn != nil {
		select {
		case <-sw.conn.Done():
			// Ended between two requests (the server closed it after
			// its response): no request of ours failed.
			sw.conn.Close()
			sw.conn = nil
		default:
		}
	}
	if sw.conn == nil {
		opt := sw.opt
		opt.Budget = sw.budget.forConn()
		c, err := socket.Dial(runCtx, cfg.Addr, opt)
		if err != nil {
			return nil, err
		}
		if sw.dialled {
			w.mu.Lock()
			if !w.closed {
				w.reconnects++
			}
			w.mu.Unlock()
		}
		sw.conn, sw.dialled = c, true
	}
	ctx := runCtx
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(runCtx, cfg.Timeout)
		defer cancel()
	}
	res, err := sw.conn.Call(ctx, cfg.Command, params)
	if err != nil && sw.conn.Err() != nil {
		sw.conn.Close()
		sw.conn = nil
	}
	return res, err
}

// recordSocket counts one socket request's outcome, as record does an
// HTTP request's. Failures have no latency.
func (w *worker) recordSocket(res any, err error, took time.Duration) (answered, faults, errs int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, 0, 0
	}
	w.requests++
	if err != nil {
		tally(w.transportErrors, SocketErrorKind(err), 1)
		return 0, 0, 1
	}
	w.hist.RecordValue(max(took.Microseconds(), minLatency))
	w.calls++
	if code, _, ok := socket.ErrorOf(res); ok {
		w.faults++
		if code == "" {
			code = "(no code)"
		}
		tally(w.faultCodes, code, 1)
		return 1, 1, 0
	}
	w.ok++
	return 1, 0, 0
}

// SocketErrorKind is the kind a failed socket request is counted under
// in Summary.TransportErrors.
func SocketErrorKind(err error) string {
	var (
		te *socket.TimeoutError
		ne *socket.NetError
		se *amf.FrameSizeError
		fe *amf.FrameError
		de *net.DNSError
	)
	switch {
	case errors.Is(err, socket.ErrOverBudget), errors.As(err, &se):
		return client.ErrTooLarge.Error()
	case errors.Is(err, ErrBudgetWait):
		return ErrBudgetWait.Error()
	case errors.As(err, &te):
		switch te.Wait {
		case socket.WaitDial:
			return KindDialTimeout
		case socket.WaitIdle:
			return KindIdle
		case socket.WaitWrite:
			return KindWrite
		}
		return client.ErrTimeout.Error()
	case errors.As(err, &ne):
		switch {
		case ne.Op == "dial" && (errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "refused")):
			return client.ErrRefused.Error()
		case ne.Op == "dial" && errors.As(err, &de):
			return client.ErrDNS.Error()
		case errors.Is(err, socket.ErrPeerClosed):
			return KindPeerClosed
		case connreset.Is(err):
			return KindReset
		}
		return client.ErrConnection.Error()
	case errors.As(err, &fe):
		return KindBadFrame
	}
	return err.Error()
}

// memBudget is the memory budget the connections of a run share, as a
// socket.Budget for each connection (forConn). A connection charges its
// own share (a third of the capacity, split between the connections)
// freely; past that it waits for its turn (up to wait) to charge the
// large pool, which one connection at a time uses: large frames take
// turns, and none holds part of the budget while it waits for more of it
// (which let eight 1 MiB frames at once wait for each other until each
// gave up). The capacity is three times size, the large pool twice it.
//
// A frame is refused as too large when its values would take more than
// limit once decoded (socket.Conn asks Size): limit is the rule of a
// connection without a budget, as socket call has, MaxValueFactor times
// the frame limit. A frame that needs more than the large pool is
// charged the whole pool and read past it, alone (it holds the turn):
// with limit at the budget's size, bench refused frames that decoded to
// more than twice the frame limit, which socket call read.
type memBudget struct {
	size  int64
	limit int64
	share int64
	turn  *semaphore.Weighted
	large *semaphore.Weighted
	wait  time.Duration
}

func newMemBudget(size, limit int64, workers int, wait time.Duration) *memBudget {
	return &memBudget{size: size, limit: limit, share: size / int64(max(workers, 1)),
		turn: semaphore.NewWeighted(1), large: semaphore.NewWeighted(2 * size), wait: wait}
}

// forConn is the budget of a new connection.
func (b *memBudget) forConn() *connBudget { return &connBudget{b: b} }

// connBudget is one connection's view of the run's memory budget.
type connBudget struct {
	b       *memBudget
	mu      sync.Mutex
	small   int64 // charged to its share
	large   int64 // charged to the large pool, while it has the turn
	hasTurn bool
}

// Size is the most a frame's values may take once decoded.
func (c *connBudget) Size() int64 { return c.b.limit }

// Reserve takes n bytes: from the connection's share when they fit,
// else from the large pool once the connection has the turn, which it
// keeps until it has given all of those back. What the pool cannot
// hold is not charged: the connection with the turn reads it alone.
func (c *connBudget) Reserve(ctx context.Context, n int64) (func(), error) {
	b := c.b
	n = max(n, 0)
	c.mu.Lock()
	if c.small+n <= b.share {
		c.small += n
		c.mu.Unlock()
		var once sync.Once
		return func() {
			once.Do(func() {
				c.mu.Lock()
				c.small -= n
				c.mu.Unlock()
			})
		}, nil
	}
	has := c.hasTurn
	c.mu.Unlock()
	wctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if !has {
		// Only this connection's reader reserves: no other call of
		// its own takes the turn meanwhile.
		if err := b.turn.Acquire(wctx, 1); err != nil {
			return nil, ErrBudgetWait
		}
		c.mu.Lock()
		c.hasTurn = true
		c.mu.Unlock()
	}
	// The pool is this connection's while it has the turn (the turn is
	// given back only once all of the pool is): it never waits here
	// for more than the pool.
	c.mu.Lock()
	n = min(n, 2*b.size-c.large)
	c.mu.Unlock()
	if err := b.large.Acquire(wctx, n); err != nil {
		c.mu.Lock()
		c.giveBack()
		c.mu.Unlock()
		return nil, ErrBudgetWait
	}
	c.mu.Lock()
	c.large += n
	c.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			b.large.Release(n)
			c.mu.Lock()
			c.large -= n
			c.giveBack()
			c.mu.Unlock()
		})
	}, nil
}

// giveBack gives the turn back once nothing of the large pool is held
// (c.mu held).
func (c *connBudget) giveBack() {
	if c.hasTurn && c.large == 0 {
		c.hasTurn = false
		c.b.turn.Release(1)
	}
}

// onceSocketWarnings passes each distinct warning of the connections on
// once (at most 16), and nothing else.
type onceSocketWarnings struct {
	warnGate
	next socket.EventHandler
}

func (o *onceSocketWarnings) OnFrame(*socket.FrameEvent) {}

func (o *onceSocketWarnings) OnNotice(n socket.Notice) {
	if n.Warning {
		n.Unanswered = false // the run answers the peer's requests itself
		o.once(n.Msg, func() { o.next.OnNotice(n) })
	}
}

// firstSocketExchange is the first worker's event handler with
// ShowFirst: everything until its first request is done, then warnings
// only (as onceSocketWarnings).
type firstSocketExchange struct {
	once *onceSocketWarnings
	done atomic.Bool
}

func (f *firstSocketExchange) OnFrame(ev *socket.FrameEvent) {
	if f.done.Load() {
		return
	}
	f.once.mu.Lock()
	defer f.once.mu.Unlock()
	if !f.once.closed {
		f.once.next.OnFrame(ev)
	}
}

func (f *firstSocketExchange) OnNotice(n socket.Notice) {
	if f.done.Load() {
		f.once.OnNotice(n)
		return
	}
	n.Unanswered = false
	f.once.mu.Lock()
	defer f.once.mu.Unlock()
	if f.once.closed {
		return
	}
	if n.Warning {
		f.once.seen[n.Msg] = true
	}
	f.once.next.OnNotice(n)
}

// Package bench load-tests an AMF gateway: it sends one request packet
// (one call, or a batch) over and over from several connections at once
// and measures calls per second, latencies and failures, as hey and ghz
// do for HTTP and gRPC.
//
// Each worker has its own [client.Client], so its own keep-alive
// connection. The packet is built once by the client package
// ([client.Client.BuildPacket]) and encoded once; each request posts the
// same bytes ([client.Client.SendEncoded]: redirects are followed as a
// call follows them, the credentials kept from other hosts) and reads the
// outcome of each call from the reply as call reads it
// ([client.Client.Results]: a body that names no call, or one fault for
// the batch, answers, with one warning for the run). Latencies go into an
// HdrHistogram (microsecond resolution, 3 significant digits, up to one
// hour).
//
// Memory is bounded whatever the concurrency: the workers share a
// [client.ReplyShare], so that each reads and decodes a reply of up to
// MaxResponseSize / Concurrency bytes freely, and a larger one only
// while no other worker holds one (a reply of unknown length is told
// large once that many bytes of it have come). The replies held at once
// so take at most about twice MaxResponseSize (64 MiB by default), where
// each worker could hold MaxResponseSize (c=32 against an endless reply:
// some 6 GB). Large replies then wait for each other; their latency
// includes that wait.
//
// A reply's HTTP header fields are not in that share: net/http reads
// them whole before the body, and holds them as strings in a map, some
// 3 to 11 times their bytes (client.MaxHeaderBytes, 256 KiB, was about
// 1 MB per connection: 200 connections took 190 MB against a gateway
// sending 250 KB of them). Each connection's bound on them is lowered
// with their number instead (see [HeaderBytes]): 1/16 of MaxResponseSize
// for all of them, but at least 8 KiB each.
package bench

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/internal/textcut"
)

// Config is one load test. URL and Calls are required, and at least one
// of Count and Duration.
type Config struct {
	// URL is the gateway URL.
	URL string
	// Calls are the calls of the packet sent again and again (one, or a
	// batch).
	Calls []client.Call
	// Client configures each worker's client (AMF3, Flex, timeouts...).
	// Of its Events, OnNotice alone is used, for warnings (a reply with
	// text before its packet): each distinct one once, whichever worker
	// has it first, and at most 16; with ShowFirst, the whole of one
	// exchange too.
	Client client.Config
	// Setup, if set, prepares each worker's client (credentials, packet
	// headers, a session loaded read-only) before the first request; an
	// error ends the run before it starts, as a *SetupError.
	Setup func(*client.Client) error
	// ShowFirst passes the events of the first worker's first request
	// (and of its Flex handshake) to Client.Events whole: -v shows one
	// exchange of the run, not one per request. That request's latency
	// includes the time the handler takes.
	ShowFirst bool
	// Concurrency is the number of workers, each with its own
	// connection. Default 1.
	Concurrency int
	// Count bounds the number of requests (packets) sent; 0: no bound.
	Count int64
	// Duration bounds the run's time; 0: no bound.
	Duration time.Duration
	// Progress, if set, is called about every ProgressEvery with the
	// counts so far, from a goroutine of its own.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// MinHeaderBytes is the least [HeaderBytes] gives each connection:
// twice what nginx reads of a reply's header by default (4 or 8 KiB,
// proxy_buffer_size) before it refuses it as a proxy. An AMF gateway
// sends a few hundred bytes of them.
const MinHeaderBytes = 8 << 10

// HeaderBytes is the bound on each reply's HTTP header fields (in
// client.Config.MaxHeaderBytes) of a run with workers connections whose
// reply bodies are bounded at maxResponse bytes (0: the default): 1/16
// of maxResponse shared among the connections, in whole KiB, at least
// MinHeaderBytes and at most client.MaxHeaderBytes. With the default
// 64 MiB: 256 KiB up to 16 connections, 20 KiB at 200, 8 KiB from 512.
func HeaderBytes(maxResponse int64, workers int) int64 {
	if maxResponse <= 0 {
		maxResponse = client.DefaultMaxResponseSize
	}
	b := maxResponse / 16 / int64(max(workers, 1)) &^ (1<<10 - 1)
	return min(max(b, MinHeaderBytes), client.MaxHeaderBytes)
}

// KindHeaderTooLarge is the kind, in Summary.TransportErrors, of a reply
// whose HTTP header fields exceed the run's bound on them
// ([HeaderBytes]).
const KindHeaderTooLarge = "reply header fields too large"

// BadReply is the kind, in Summary.TransportErrors, of a reply that is
// not a valid AMF packet (cut short, or bytes that do not decode).
const BadReply = "reply is not a valid AMF packet"

// Progress is the state of a run in progress.
type Progress struct {
	Elapsed  time.Duration
	Requests int64 // requests answered (or failed)
	Calls    int64 // calls answered
	Faults   int64
	Errors   int64 // HTTP and transport errors
}

// Summary is the outcome of a run.
type Summary struct {
	URL         string        `json:"url"`
	Target      string        `json:"target"` // the first call's target
	CallsPer    int           `json:"calls_per_request"`
	Concurrency int           `json:"concurrency"`
	Elapsed     time.Duration `json:"-"`
	Interrupted bool          `json:"interrupted"` // stopped by the caller's context (Ctrl-C)

	Requests int64 `json:"requests"` // requests that got a reply or failed
	Calls    int64 `json:"calls"`    // calls that got an answer (result or fault)
	OK       int64 `json:"ok"`       // calls answered with a result
	Faults   int64 `json:"faults"`   // calls answered with a fault
	NoReply  int64 `json:"no_reply"` // calls the reply had no answer for

	// FaultCodes counts the faults by code; HTTPErrors the refused
	// requests by HTTP status; TransportErrors the failed requests by
	// kind ("connection refused", "timed out", "bad reply"...).
	FaultCodes      map[string]int64 `json:"fault_codes"`
	HTTPErrors      map[string]int64 `json:"http_errors"`
	TransportErrors map[string]int64 `json:"transport_errors"`

	// Reconnects counts, in a run against an AMF Socket server
	// (RunSocket), the connections dialled again after one had ended
	// (closed by the server, reset, a frame that could not be read).
	Reconnects int64 `json:"-"`

	// Latency of the requests that got a reply (HTTP errors included),
	// in microseconds.
	Latency *hdrhistogram.Histogram `json:"-"`
}

// RequestsPerSecond is the rate of requests over the run.
func (s *Summary) RequestsPerSecond() float64 { return rate(s.Requests, s.Elapsed) }

// CallsPerSecond is the rate of answered calls over the run.
func (s *Summary) CallsPerSecond() float64 { return rate(s.Calls, s.Elapsed) }

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// Percentile returns a latency percentile (50, 90, 99, 100 for the
// maximum) as a duration; 0 when nothing was measured.
func (s *Summary) Percentile(p float64) time.Duration {
	if s.Latency == nil || s.Latency.TotalCount() == 0 {
		return 0
	}
	if p >= 100 {
		return time.Duration(s.Latency.Max()) * time.Microsecond
	}
	return time.Duration(s.Latency.ValueAtQuantile(p)) * time.Microsecond
}

// Mean is the mean latency.
func (s *Summary) Mean() time.Duration {
	if s.Latency == nil || s.Latency.TotalCount() == 0 {
		return 0
	}
	return time.Duration(s.Latency.Mean() * float64(time.Microsecond))
}

// Histogram bounds: 1 µs to one hour, 3 significant digits.
const (
	minLatency = 1
	maxLatency = int64(time.Hour / time.Microsecond)
	sigFigs    = 3
)

// ErrNoBound says a Config has neither Count nor Duration.
var ErrNoBound = errors.New("bench: a run needs a count or a duration")

// SetupError is the failure of a worker's preparation before the run:
// Config.Setup's error, or the Flex handshake's (a refused login is a
// *client.Fault, a failed exchange a *client.HTTPError, in Err).
type SetupError struct {
	What string // "setup", "Flex login", "Flex ping"
	Err  error
}

func (e *SetupError) Error() string { return e.What + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *SetupError) Unwrap() error { return e.Err }

// Run sends the packet until Count requests have been sent or Duration
// has passed, whichever comes first, or ctx is done; it returns the
// summary either way (with Interrupted set when ctx ended it). Requests
// cut short by the end of the run are not counted, nor waited for: Run
// returns at the end, and cancels them as it does (they end in the
// background; Config.Client's events of them are not passed on). The
// error is for a configuration that cannot run (a bad URL, a packet
// that does not encode).
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	if cfg.Count <= 0 && cfg.Duration <= 0 {
		return nil, ErrNoBound
	}
	if len(cfg.Calls) == 0 {
		return nil, errors.New("bench: no calls to send")
	}
	workers := max(cfg.Concurrency, 1)
	if cfg.Count > 0 && int64(workers) > cfg.Count {
		workers = int(cfg.Count)
	}
	cc := cfg.Client
	if cc.Replies == nil && workers > 1 {
		// The workers hold at most twice the reply limit together,
		// whatever their number (see the package doc).
		limit := cc.MaxResponseSize
		if limit <= 0 {
			limit = client.DefaultMaxResponseSize
		}
		cc.Replies = client.NewReplyShare(limit / int64(workers))
	}
	if cc.MaxHeaderBytes <= 0 {
		cc.MaxHeaderBytes = HeaderBytes(cc.MaxResponseSize, workers)
	}
	// A worker is done with each reply (record) before its next request:
	// replies are decoded into the memory of the one before.
	cc.ReuseReplies = true
	cc.Events = nil
	var once *onceWarnings
	if h := cfg.Client.Events; h != nil {
		once = &onceWarnings{next: h, warnGate: warnGate{seen: map[string]bool{}}}
		cc.Events = once
	}
	var shown *firstExchange
	clients := make([]*client.Client, workers)
	for i := range clients {
		wc := cc
		if i == 0 && cfg.ShowFirst && once != nil {
			shown = &firstExchange{once: once}
			wc.Events = shown
		}
		cl, err := client.New(cfg.URL, wc)
		if err != nil {
			return nil, err
		}
		if cfg.Setup != nil {
			if err := cfg.Setup(cl); err != nil {
				return nil, &SetupError{What: "setup", Err: err}
			}
		}
		clients[i] = cl
	}
	if cc.Flex {
		if err := flexHandshakes(ctx, clients, cc.FlexUser != ""); err != nil {
			return nil, err
		}
	}
	if shown != nil {
		shown.running.Store(true)
	}
	// One packet per DSId: the workers of one Flex client id (all, but
	// for Flex without a session) share its bytes.
	type encoded struct {
		p    *amf.Packet
		body []byte
	}
	packets := map[string]encoded{}
	sends := make([]encoded, workers)
	for i, cl := range clients {
		key := ""
		if cc.Flex {
			key = cl.DSId()
		}
		e, ok := packets[key]
		if !ok {
			e.p = cl.BuildPacket(cfg.Calls)
			var err error
			if e.body, err = amf.MarshalPacket(e.p); err != nil {
				return nil, fmt.Errorf("bench: the request packet does not encode: %w", err)
			}
			packets[key] = e
		}
		sends[i] = e
	}

	// With ShowFirst and a count, the first request is kept for worker 0,
	// whose exchange is the one shown: else the other workers could take
	// all of a short run's requests before worker 0 runs, and none would
	// be shown.
	reserved := shown != nil && cfg.Count > 0
	b := bounds{count: cfg.Count, duration: cfg.Duration, progress: cfg.Progress, every: cfg.ProgressEvery}
	// Each call's outcome as call reads it (a body that names no call,
	// one fault for the batch): the client's matching, whose warnings
	// the run gives once (onceWarnings).
	matchers := make([]matcher, len(clients))
	for i, cl := range clients {
		matchers[i] = func(reply, p *amf.Packet) []client.Result { return cl.Results(reply, p, cfg.Calls) }
	}
	s := drive(ctx, b, workers, reserved, func(runCtx context.Context, i int, w *worker) outcome {
		cl, e := clients[i], sends[i]
		t0 := time.Now()
		reply, err := cl.SendEncoded(runCtx, e.p, e.body)
		took := time.Since(t0)
		if err != nil && runCtx.Err() != nil {
			return outcome{} // cut short by the end of the run: not counted
		}
		n, f, errs := w.record(matchers[i], e.p, reply, err, took)
		return outcome{answered: n, faults: f, errs: errs, counted: true, unreached: unreached(err)}
	}, nil)
	if once != nil {
		once.close()
	}
	s.URL = client.RedactURL(cfg.URL)
	s.Target = cfg.Calls[0].Target
	s.CallsPer = len(cfg.Calls)
	s.Concurrency = workers
	return s, nil
}

// bounds are the limits of a run and its progress reports.
type bounds struct {
	count    int64
	duration time.Duration
	progress func(Progress)
	every    time.Duration
}

// outcome is what one request of a run came to, for drive: the calls
// answered, the faults and the errors of it; counted is false for a
// request cut short by the end of the run (not counted), and unreached
// true for one that did not reach the server (see backoff).
type outcome struct {
	answered, faults, errs int64
	counted, unreached     bool
}

// unreached reports whether an HTTP request's error is one of the
// connection failures a worker waits after (see backoff): a refused or
// failed connection, a host not found, a TLS handshake that failed. A
// timeout has waited already; an HTTP status or a bad reply came from
// the server.
func unreached(err error) bool {
	var he *client.HTTPError
	if err == nil || !errors.As(err, &he) {
		return false
	}
	switch he.Kind {
	case client.ErrRefused, client.ErrConnection, client.ErrDNS, client.ErrTLS:
		return true
	}
	return false
}

// drive runs workers goroutines, each calling one (with its index and
// the tally it shares) for one request after another, until b.count
// requests have started, b.duration has passed or ctx ends. one reports
// its request's outcome. A worker whose request did not reach the
// server waits (dialGate) before its next one, once that one is sure to
// be sent: not after the count's last request. With reserved, the first
// request is worker 0's. exit, if set, is called by each worker as it
// stops.
//
// drive returns the summary as soon as the run ends: by its duration or
// ctx, the tallies are closed at once (what is recorded later is not
// counted, as a request cut short by the end is not), the summary made,
// and only then the requests in flight cancelled; their workers stop in
// the background. Waiting for them made --for 5s last 6 to 10 s at
// -c 10000: each woken worker winds its connection down, and the
// goroutine that waits is woken behind them all. Elapsed is the time
// until the tallies were closed.
func drive(ctx context.Context, b bounds, workers int, reserved bool, one func(runCtx context.Context, i int, w *worker) outcome, exit func(i int)) *Summary {
	start := time.Now()
	runCtx, cancel := context.WithCancel(ctx)
	// Cancelled once the summary is made, from a goroutine of its own:
	// cancelling thousands of requests takes a while, and woke as many
	// goroutines that the caller, printing the summary, came after them.
	defer func() { go cancel() }()
	var (
		started  atomic.Int64
		requests atomic.Int64
		calls    atomic.Int64
		faults   atomic.Int64
		errs     atomic.Int64
	)
	// Workers share a few tallies (a histogram takes some 200 KB), each
	// behind its own lock.
	results := make([]*worker, min(workers, maxShards))
	for i := range results {
		results[i] = newWorker()
	}

	// The end of the run: the duration, ctx, or every worker done (the
	// count). stopped tells the workers to send no more; the tallies are
	// closed there and then, by the goroutine that ends the run (the
	// timer's for --for), not once this one is woken: behind thousands
	// of workers, that took up to half a second.
	var (
		stopped atomic.Bool
		endOnce sync.Once
		elapsed time.Duration
	)
	ended := make(chan struct{})
	end := func() {
		endOnce.Do(func() {
			stopped.Store(true)
			for _, w := range results {
				w.mu.Lock()
				w.closed = true
				w.mu.Unlock()
			}
			elapsed = time.Since(start)
			close(ended)
		})
	}
	if b.duration > 0 {
		t := time.AfterFunc(b.duration, end)
		defer t.Stop()
	}
	defer context.AfterFunc(ctx, end)()

	stopProgress := make(chan struct{})
	var progressDone sync.WaitGroup
	if b.progress != nil {
		every := b.every
		if every <= 0 {
			every = 250 * time.Millisecond
		}
		progressDone.Add(1)
		go func() {
			defer progressDone.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-stopProgress:
					return
				case <-t.C:
					b.progress(Progress{Elapsed: time.Since(start), Requests: requests.Load(), Calls: calls.Load(), Faults: faults.Load(), Errors: errs.Load()})
				}
			}
		}()
	}

	gate := newDialGate()
	go gate.pace(runCtx)
	if reserved {
		started.Store(1)
	}
	var wg sync.WaitGroup
	for i := range workers {
		w := results[i%len(results)]
		wg.Add(1)
		go func(first bool) {
			defer wg.Done()
			if exit != nil {
				defer exit(i)
			}
			pause := false
			for {
				if stopped.Load() || runCtx.Err() != nil {
					return
				}
				if first {
					first = false // its request was counted in started
				} else if b.count > 0 && started.Add(1) > b.count {
					return
				}
				waited := pause
				if pause {
					gate.wait(runCtx)
					if stopped.Load() || runCtx.Err() != nil {
						return
					}
				}
				o := one(runCtx, i, w)
				if !o.counted || stopped.Load() {
					return // not counted in the progress either
				}
				requests.Add(1)
				calls.Add(o.answered)
				faults.Add(o.faults)
				errs.Add(o.errs)
				switch pause = o.unreached; {
				case pause:
					gate.failed()
				case waited:
					gate.reached()
				}
			}
		}(reserved && i == 0)
	}
	go func() {
		wg.Wait()
		end()
	}()
	<-ended
	close(stopProgress)
	progressDone.Wait()
	// The summary before the requests in flight are cancelled (by the
	// deferred cancel): thousands of workers woken at once would hold
	// this goroutine up for seconds.
	return summarize(ctx, results, elapsed)
}

// summarize adds up the tallies of a run that ctx could interrupt.
func summarize(ctx context.Context, results []*worker, elapsed time.Duration) *Summary {
	s := &Summary{
		Elapsed:         elapsed,
		Interrupted:     ctx.Err() != nil,
		FaultCodes:      map[string]int64{},
		HTTPErrors:      map[string]int64{},
		TransportErrors: map[string]int64{},
		Latency:         hdrhistogram.New(minLatency, maxLatency, sigFigs),
	}
	for _, w := range results {
		w.mu.Lock()
		s.Requests += w.requests
		s.Calls += w.calls
		s.OK += w.ok
		s.Faults += w.faults
		s.NoReply += w.noReply
		s.Reconnects += w.reconnects
		addCounts(s.FaultCodes, w.faultCodes)
		addCounts(s.HTTPErrors, w.httpErrors)
		addCounts(s.TransportErrors, w.transportErrors)
		s.Latency.Merge(w.hist)
		w.mu.Unlock()
	}
	return s
}

func addCounts(dst, src map[string]int64) {
	for k, v := range src {
		tally(dst, k, v)
	}
}

// The fault codes, HTTP statuses and error kinds a summary counts are
// what the gateway said: a hostile gateway that answers every call with
// a new 32 KB fault code made a 2,000-request run hold 376 MB and print
// 66 MB, and memory grew with the run. Each is cut at MaxCountKey bytes,
// and at most MaxCountKinds are told apart in each count; later new
// ones are counted together under OtherKinds.
const (
	MaxCountKey   = 256
	MaxCountKinds = 100
	OtherKinds    = "(others, past the first 100 kinds)"
)

// tally adds n to m's count of key, cut and bounded as said above. The
// OtherKinds entry is not one of the kinds told apart: counting it among
// them let a merge that met a worker's OtherKinds before its 100th kind
// keep only 99 (the summary's merge walks maps in random order).
func tally(m map[string]int64, key string, n int64) {
	key = textcut.Cut(key, MaxCountKey)
	if _, ok := m[key]; !ok && key != OtherKinds && kinds(m) >= MaxCountKinds {
		key = OtherKinds
	}
	m[key] += n
}

// kinds is how many kinds m tells apart, its OtherKinds entry left out.
func kinds(m map[string]int64) int {
	if _, ok := m[OtherKinds]; ok {
		return len(m) - 1
	}
	return len(m)
}

// maxShards bounds the tallies the workers share.
const maxShards = 32

// worker holds the counts of the workers that share it.
type worker struct {
	mu              sync.Mutex
	hist            *hdrhistogram.Histogram
	requests, calls int64
	ok, faults      int64
	noReply         int64
	reconnects      int64
	closed          bool // the run has ended: nothing more is counted
	faultCodes      map[string]int64
	httpErrors      map[string]int64
	transportErrors map[string]int64
}

func newWorker() *worker {
	return &worker{
		hist:            hdrhistogram.New(minLatency, maxLatency, sigFigs),
		faultCodes:      map[string]int64{},
		httpErrors:      map[string]int64{},
		transportErrors: map[string]int64{},
	}
}

// matcher gives the outcome of each call of request p from its reply
// (client.Client.Results with the run's calls).
type matcher func(reply, p *amf.Packet) []client.Result

// record counts one request's outcome, each call's as match gives it
// from the reply, and returns its answered calls, faults and errors (for
// the progress line).
func (w *worker) record(match matcher, p *amf.Packet, reply *amf.Packet, err error, took time.Duration) (answered, faults, errs int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, 0, 0
	}
	w.requests++
	if err != nil {
		var he *client.HTTPError
		var de *client.DecodeError
		switch {
		case errors.As(err, &he) && errors.Is(err, client.ErrStatus):
			w.hist.RecordValue(max(took.Microseconds(), minLatency))
			st := he.Status
			if st == "" {
				st = "unknown status"
			}
			tally(w.httpErrors, st, 1)
		case errors.As(err, &he) && he.Reason == client.ReasonHeaderTooLarge:
			tally(w.transportErrors, KindHeaderTooLarge, 1)
		case errors.As(err, &he):
			tally(w.transportErrors, he.Kind.Error(), 1)
		case errors.As(err, &de):
			w.hist.RecordValue(max(took.Microseconds(), minLatency))
			tally(w.transportErrors, BadReply, 1)
		default:
			tally(w.transportErrors, err.Error(), 1)
		}
		return 0, 0, 1
	}
	w.hist.RecordValue(max(took.Microseconds(), minLatency))
	if match == nil || len(p.Messages) == 0 {
		return 0, 0, 0
	}
	for _, r := range match(reply, p) {
		cerr := r.Err
		var f *client.Fault
		switch {
		case cerr == nil:
			w.ok++
			w.calls++
			answered++
		case errors.As(cerr, &f):
			w.faults++
			w.calls++
			answered++
			faults++
			code := f.Code
			if code == "" {
				code = "(no code)"
			}
			tally(w.faultCodes, code, 1)
		default:
			w.noReply++
		}
	}
	return answered, faults, 0
}

// SortedCounts returns the entries of a count map, largest first (then
// by name), for printing.
func SortedCounts(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].What < out[j].What
	})
	return out
}

// Count is one entry of a count map.
type Count struct {
	What string
	N    int64
}

// warnGate passes each distinct warning on once (16 at most), until the
// run is over; the HTTP and socket targets' handlers share it.
type warnGate struct {
	mu     sync.Mutex
	seen   map[string]bool
	closed bool // the run is over: nothing more is passed on
}

// close passes nothing more on: the workers still stopping after the
// run (see drive) do not print after its summary.
func (g *warnGate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// once calls pass, under g's lock, unless msg was passed on already,
// 16 were, or the run is over.
func (g *warnGate) once(msg string, pass func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed || g.seen[msg] || len(g.seen) >= 16 {
		return
	}
	g.seen[msg] = true
	pass()
}

// onceWarnings passes each distinct warning of the workers' clients on
// once, and nothing else.
type onceWarnings struct {
	client.NopHandler
	warnGate
	next client.EventHandler
}

func (o *onceWarnings) OnNotice(n client.Notice) {
	if n.Warning {
		o.once(n.Msg, func() { o.next.OnNotice(n) })
	}
}

// flexHandshakes pings (or logs in) with each client at once, before the
// run: the requests it times then carry a DSId, as a Flex client's do.
func flexHandshakes(ctx context.Context, clients []*client.Client, login bool) error {
	what := "Flex ping"
	if login {
		what = "Flex login"
	}
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i, cl := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = cl.FlexHandshake(ctx)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return &SetupError{What: what, Err: err}
		}
	}
	return nil
}

// firstExchange is the first worker's event handler with ShowFirst: it
// passes everything on until the first request of the run has its
// reply, then warnings only (as onceWarnings).
type firstExchange struct {
	once    *onceWarnings
	running atomic.Bool // the handshakes are done: the run's requests
	done    atomic.Bool
}

func (f *firstExchange) OnRequest(ev *client.RequestEvent) {
	if f.done.Load() {
		return
	}
	f.once.mu.Lock()
	defer f.once.mu.Unlock()
	if !f.once.closed {
		f.once.next.OnRequest(ev)
	}
}

func (f *firstExchange) OnResponse(ev *client.ResponseEvent) {
	if f.done.Load() {
		return
	}
	f.once.mu.Lock()
	if !f.once.closed {
		f.once.next.OnResponse(ev)
	}
	f.once.mu.Unlock()
	if f.running.Load() {
		f.done.Store(true)
	}
}

func (f *firstExchange) OnNotice(n client.Notice) {
	if f.done.Load() {
		f.once.OnNotice(n)
		return
	}
	f.once.mu.Lock()
	defer f.once.mu.Unlock()
	if f.once.closed {
		return
	}
	if n.Warning {
		if f.once.seen[n.Msg] {
			// Another worker's reply said it first (a gateway that
			// deviates in every reply): once for the run.
			return
		}
		f.once.seen[n.Msg] = true // not again from another worker
	}
	f.once.next.OnNotice(n) // information too: the exchange is shown whole
}

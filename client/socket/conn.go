package socket

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/connreset"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// Options configure a [Conn]. The zero value is usable: every zero field
// means its default.
type Options struct {
	// DialTimeout bounds connecting. Default 10 s.
	DialTimeout time.Duration
	// IdleTimeout ends the connection when no byte arrives for this long
	// (servers ping every 5 s). Default 15 s; negative means none.
	IdleTimeout time.Duration
	// WriteTimeout bounds each frame written. Default 10 s.
	WriteTimeout time.Duration
	// MaxFrame bounds a frame's payload. Default amf.DefaultMaxFrame.
	MaxFrame int
	// MaxFrameTime, when positive, bounds the time a frame from the peer
	// may take to arrive whole, from its first byte on, however
	// steadily it comes (IdleTimeout bounds only each pause): a frame
	// not whole by then ends the connection with a *TimeoutError of
	// Wait WaitFrame. Default none.
	MaxFrameTime time.Duration
	// OnRequest handles a request from the peer (pings excepted, which
	// the Conn answers itself), on a goroutine of its own. It answers
	// with req.Reply; a request it leaves unanswered is answered with
	// [Unanswered] and reported as a warning notice.
	OnRequest func(req *Request)
	// OnMessage receives the peer's one-way messages, in order, on the
	// reader goroutine: it must not block for long.
	OnMessage func(msg *Request)
	// OnReceive sees every RPC object that arrives, pings included, in
	// arrival order on the reader goroutine, before it is handled: it
	// must not block for long. A response's MessageID may be unknown.
	OnReceive func(r *RPC)
	// Events sees every frame and notice; nil sees nothing.
	Events EventHandler
	// PingInterval, when positive, makes this side ping the peer as
	// servers do; a ping left unanswered for PingTimeout (default 10 s)
	// ends the connection.
	PingInterval time.Duration
	PingTimeout  time.Duration
	// Budget, when set, is charged for each frame three times its
	// payload (the bytes, the value they decode to, a reply as large):
	// its first 256 KiB as its header is read, the rest as it arrives,
	// and paid back once the frame is handled (a request: once
	// answered). A frame the budget refuses ends the connection.
	Budget Budget
}

// Budget is a memory budget shared with other users (a gateway's
// requests in flight).
type Budget interface {
	// Reserve takes n bytes of the budget, or fails (after a wait the
	// budget chooses, within ctx); release gives back what it took.
	Reserve(ctx context.Context, n int64) (release func(), err error)
}

func (o *Options) defaults() {
	if o.DialTimeout <= 0 {
		o.DialTimeout = 10 * time.Second
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = 15 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.MaxFrame <= 0 {
		o.MaxFrame = amf.DefaultMaxFrame
	}
	if o.PingTimeout <= 0 {
		o.PingTimeout = 10 * time.Second
	}
	if o.Events == nil {
		o.Events = nopEvents{}
	}
}

// Direction is which way a frame went.
type Direction uint8

const (
	In  Direction = iota // from the peer
	Out                  // to the peer
)

// FrameEvent describes one frame read or written.
type FrameEvent struct {
	Dir   Direction
	Value any
	Size  int           // bytes on the wire, header included
	At    time.Duration // since the connection opened
	// RPC is the frame read as an RPC object; nil when it is not one.
	RPC *RPC
	// RoundTrip is, for a response to one of our requests, the time since
	// the request went out.
	RoundTrip time.Duration
}

// Notice is something to tell the user that does not end the connection.
type Notice struct {
	Warning bool
	Msg     string
	// Unanswered is set on the notice of the first request of the
	// peer's that nothing answered (a caller may say how to answer).
	Unanswered bool
}

// EventHandler receives frames and notices, so that a caller can show
// them; the package never prints. Calls may come from several goroutines
// but never at once for one Conn.
type EventHandler interface {
	OnFrame(ev *FrameEvent)
	OnNotice(n Notice)
}

type nopEvents struct{}

func (nopEvents) OnFrame(*FrameEvent) {}
func (nopEvents) OnNotice(Notice)     {}

// maxHandlers bounds the peer requests handled at once on one Conn.
const maxHandlers = 64

// Conn is one AMF Socket connection, client or server side. It is safe
// for concurrent use.
type Conn struct {
	nc    net.Conn
	addr  string
	opt   Options
	start time.Time

	wmu  sync.Mutex
	wbuf []byte

	evmu sync.Mutex // serialises Events calls

	mu      sync.Mutex
	pending map[string]*Pending
	err     error

	closed     chan struct{}
	ctx        context.Context // done once closed
	cancel     context.CancelFunc
	closeOnce  sync.Once
	readerDone chan struct{}

	prefix string
	seq    atomic.Uint64
	sem    chan struct{}
	hwg    sync.WaitGroup // handlers of peer requests

	// active is when the last frame other than a ping (or a ping's
	// answer) went either way, in Unix nanoseconds.
	active atomic.Int64
	// lastIn is when the last byte came from the peer, in Unix
	// nanoseconds, and inBytes how many have come; frameAt is when the
	// frame being read began (0 between frames) and frameIn inBytes
	// then; held is set while the reader waits for something other
	// than the peer (room in the budget, a handler's place). A ping's
	// answer may be on its way behind a frame still arriving.
	lastIn  atomic.Int64
	inBytes atomic.Int64
	frameAt atomic.Int64
	frameIn atomic.Int64
	held    atomic.Bool
	// charge is, with a Budget, the charge of the frame whose payload is
	// being read when it is larger than upfrontFrame: its bytes are
	// charged as they arrive (reader goroutine only).
	charge *frameCharge
	// noticed counts the notices of each kind (evmu held): only the
	// first of a kind is told as it happens, the count when the
	// connection ends.
	noticed map[noticeKind]int
}

// noticeKind is a kind of notice about the peer's frames, told once a
// connection however often it happens.
type noticeKind uint8

const (
	noticeTrailing noticeKind = iota + 1
	noticeIgnored
	noticeUnknownResponse
	noticeUnanswered
)

// noticeKinds says, for the count at the end, what each kind was.
var noticeKinds = map[noticeKind]struct {
	warn bool
	what string
}{
	noticeTrailing:        {true, "frames with bytes after their value (ignored)"},
	noticeIgnored:         {true, "frames that are not RPC objects (ignored)"},
	noticeUnknownResponse: {false, "responses to unknown requests (ignored)"},
	noticeUnanswered:      {true, "requests of the peer with no answer (answered \"unanswered\")"},
}

// Dial connects to addr (HOST:PORT) and starts reading.
func Dial(ctx context.Context, addr string, opt Options) (*Conn, error) {
	opt.defaults()
	d := net.Dialer{Timeout: opt.DialTimeout}
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, &TimeoutError{What: "no connection to " + addr, After: opt.DialTimeout, Wait: WaitDial}
		}
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Err != nil {
			err = oe.Err
		}
		return nil, &NetError{Op: "dial", Addr: addr, Err: err}
	}
	return NewConn(nc, opt), nil
}

// NewConn runs the protocol on an open connection (a client's, or one a
// server accepted) and starts reading.
func NewConn(nc net.Conn, opt Options) *Conn {
	opt.defaults()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	c := &Conn{
		nc:         nc,
		addr:       nc.RemoteAddr().String(),
		opt:        opt,
		start:      time.Now(),
		pending:    map[string]*Pending{},
		closed:     make(chan struct{}),
		readerDone: make(chan struct{}),
		prefix:     "amfcall:" + hex.EncodeToString(rnd[:]) + ":",
		sem:        make(chan struct{}, maxHandlers),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.touch()
	go c.readLoop()
	if opt.PingInterval > 0 {
		go c.pingLoop()
	}
	return c
}

// RemoteAddr is the peer's address.
func (c *Conn) RemoteAddr() string { return c.addr }

// Done is closed when the connection has ended; Err then says why.
func (c *Conn) Done() <-chan struct{} { return c.closed }

// Err is why the connection ended (ErrClosed after Close), or nil while
// it is open.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close ends the connection and waits for its reader and the handlers of
// peer requests to stop (so it must not be called from a handler).
// Requests still waiting fail with ErrClosed.
func (c *Conn) Close() error {
	c.fail(ErrClosed)
	<-c.readerDone
	c.hwg.Wait()
	return nil
}

// fail ends the connection with err, once, and fails every pending
// request with it.
func (c *Conn) fail(err error) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.err = err
		pend := c.pending
		c.pending = map[string]*Pending{}
		c.mu.Unlock()
		close(c.closed)
		c.cancel()
		_ = c.nc.Close()
		for _, p := range pend {
			p.err = err
			close(p.done)
		}
	})
}

func (c *Conn) newID() string {
	return c.prefix + strconv.FormatUint(c.seq.Add(1), 10)
}

func (c *Conn) event(ev *FrameEvent) {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	ev.At = time.Since(c.start)
	c.opt.Events.OnFrame(ev)
}

func (c *Conn) notice(warn bool, format string, a ...any) {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	c.opt.Events.OnNotice(Notice{Warning: warn, Msg: fmt.Sprintf(format, a...)})
}

// noticeOnce tells a notice of kind the first time only, and counts
// the others for noticeCounts: a peer sending odd frames by the
// thousand gets one line, not thousands.
func (c *Conn) noticeOnce(kind noticeKind, format string, a ...any) {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	if c.noticed == nil {
		c.noticed = map[noticeKind]int{}
	}
	c.noticed[kind]++
	if c.noticed[kind] == 1 {
		c.opt.Events.OnNotice(Notice{Warning: noticeKinds[kind].warn, Msg: fmt.Sprintf(format, a...), Unanswered: kind == noticeUnanswered})
	}
}

// noticeCounts tells, for each kind noticed more than once, how often.
func (c *Conn) noticeCounts() {
	c.evmu.Lock()
	defer c.evmu.Unlock()
	for kind := noticeTrailing; kind <= noticeUnanswered; kind++ {
		if n := c.noticed[kind]; n > 1 {
			k := noticeKinds[kind]
			c.opt.Events.OnNotice(Notice{Warning: k.warn, Msg: fmt.Sprintf("%d %s in all on this connection (only the first was shown)", n, k.what)})
		}
	}
}

// touch marks the connection active now.
func (c *Conn) touch() { c.active.Store(time.Now().UnixNano()) }

// Idle is how long no frame but pings and their answers has gone
// either way.
func (c *Conn) Idle() time.Duration { return time.Since(time.Unix(0, c.active.Load())) }

// write sends v as one frame. An encoding error leaves the connection
// open; a write error ends it.
func (c *Conn) write(v *amf.Object) error {
	select {
	case <-c.closed:
		return c.Err()
	default:
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	b, err := amf.AppendFrame(c.wbuf[:0], v)
	if err != nil {
		return err
	}
	if cap(b) <= 1<<20 {
		c.wbuf = b
	}
	r, _ := ParseRPC(v)
	c.event(&FrameEvent{Dir: Out, Value: v, Size: len(b), RPC: r})
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.opt.WriteTimeout))
	if _, err := c.nc.Write(b); err != nil {
		select {
		case <-c.closed:
			return c.Err()
		default:
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			err = &TimeoutError{What: "the peer took no data", After: c.opt.WriteTimeout, Addr: c.addr, Wait: WaitWrite}
		} else {
			err = &NetError{Op: "write", Addr: c.addr, Err: unwrapOp(err)}
		}
		c.fail(err)
		return err
	}
	return nil
}

func unwrapOp(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}

// Pending is a request on its way: its response comes later.
type Pending struct {
	ID      string
	Command string
	sent    time.Time
	done    chan struct{}
	result  any
	err     error
	conn    *Conn
}

// Start sends a request and returns at once. params must be an object
// (an *amf.Object; nil sends {}), since servers drop the connection on
// anything else.
func (c *Conn) Start(command string, params any) (*Pending, error) {
	if command != PingCommand {
		c.touch()
	}
	p := &Pending{ID: c.newID(), Command: command, done: make(chan struct{}), conn: c, sent: time.Now()}
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, err
	}
	c.pending[p.ID] = p
	c.mu.Unlock()
	if err := c.write(RequestObject(p.ID, command, params)); err != nil {
		c.forget(p.ID)
		return nil, err
	}
	return p, nil
}

func (c *Conn) forget(id string) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

// Done is closed when the response has come or the connection has ended.
func (p *Pending) Done() <-chan struct{} { return p.done }

// Wait waits for the response until ctx ends. A deadline that passes is
// a *TimeoutError; a late response is then ignored.
func (p *Pending) Wait(ctx context.Context) (any, error) {
	select {
	case <-p.done:
		return p.result, p.err
	case <-ctx.Done():
	}
	p.conn.forget(p.ID)
	select {
	case <-p.done: // it came after all
		return p.result, p.err
	default:
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, &TimeoutError{What: fmt.Sprintf("no response to %q", p.Command), After: time.Since(p.sent), Addr: p.conn.addr, Wait: WaitResponse}
	}
	return nil, fmt.Errorf("socket: stopped waiting for the response to %q: %w", p.Command, ctx.Err())
}

// Call sends a request and waits for its result until ctx ends.
func (c *Conn) Call(ctx context.Context, command string, params any) (any, error) {
	p, err := c.Start(command, params)
	if err != nil {
		return nil, err
	}
	return p.Wait(ctx)
}

// Send sends a one-way message.
func (c *Conn) Send(command string, params any) error {
	c.touch()
	return c.write(MessageObject(c.newID(), command, params))
}

// idleReader sets the idle deadline before each read.
type idleReader struct{ c *Conn }

func (r idleReader) Read(p []byte) (int, error) {
	if d := r.c.opt.IdleTimeout; d > 0 {
		_ = r.c.nc.SetReadDeadline(time.Now().Add(d))
	}
	n, err := r.c.nc.Read(p)
	if n > 0 {
		r.c.lastIn.Store(time.Now().UnixNano())
		in := r.c.inBytes.Add(int64(n))
		if ch := r.c.charge; ch != nil && err == nil {
			err = ch.grow(r.c, in)
		}
	}
	return n, err
}

func (c *Conn) readLoop() {
	defer close(c.readerDone)
	defer c.noticeCounts()
	br := newFrameBuf(idleReader{c})
	defer br.close()
	fr := amf.NewFrameReader(br)
	fr.MaxFrame = c.opt.MaxFrame
	for {
		before := fr.Offset()
		// A frame's time runs from its first byte: from its whole
		// length header, a header trickled a byte at a time, each byte
		// just within the idle timeout, added up to four of them.
		var slow *time.Timer
		var known *atomic.Int64 // the frame's length, once its header is whole; -1 before
		var began func()
		if d := c.opt.MaxFrameTime; d > 0 {
			known = new(atomic.Int64)
			known.Store(-1)
			began = func() {
				n := fr.Frames() + 1
				slow = time.AfterFunc(d, func() {
					what := fmt.Sprintf("frame %d not whole (its 4-byte length header had not come)", n)
					if size := known.Load(); size >= 0 {
						what = fmt.Sprintf("frame %d (%d bytes) not whole", n, size)
					}
					c.fail(&TimeoutError{What: what, After: d, Addr: c.addr, Wait: WaitFrame})
				})
			}
		}
		size, err := peekHeader(br, fr, began)
		if err != nil {
			if slow != nil {
				slow.Stop()
			}
			c.fail(c.readErr(err))
			return
		}
		if known != nil {
			known.Store(size)
		}
		c.frameIn.Store(c.inBytes.Load() - int64(br.Buffered()))
		c.frameAt.Store(time.Now().UnixNano())
		c.held.Store(true)
		release, err := c.reserveFrame(size, fr.Frames()+1)
		c.held.Store(false)
		if err != nil {
			if slow != nil {
				slow.Stop()
			}
			c.fail(err)
			return
		}
		var v any
		err = c.decode(size, fr, &v, &release)
		if slow != nil {
			slow.Stop()
		}
		c.charge = nil
		c.frameAt.Store(0)
		if err != nil {
			release()
			var r refusedFrame
			if errors.As(err, &r) {
				c.fail(r.error)
			} else {
				c.fail(c.readErr(err))
			}
			return
		}
		if !c.handleFrame(fr, v, before, release) {
			return
		}
	}
}

// peekHeader waits for the next frame's length header and returns the
// length it says, leaving the header to be read; began is called once
// the header's first byte has come. Its read errors are
// the ones fr's read of the header would have given (io.EOF between
// frames, a *amf.FrameError otherwise): bufio's Peek hands an error over
// once, so that reading again after it waited a whole idle timeout more
// (a Peek before Decode doubled the idle timeout).
func peekHeader(br *frameBuf, fr *amf.FrameReader, began func()) (int64, error) {
	hdr, err := br.Peek(1)
	if err == nil {
		if began != nil {
			began()
		}
		hdr, err = br.Peek(4)
	}
	if err == nil {
		return int64(binary.BigEndian.Uint32(hdr)), nil
	}
	if len(hdr) == 0 && err == io.EOF {
		return 0, io.EOF
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return 0, &amf.FrameError{Frame: fr.Frames() + 1, Offset: fr.Offset(), Err: err}
}

// reserveFrame charges Options.Budget for the frame n of size bytes
// whose header comes next, before its payload is read. A header that
// claims too much costs nothing: Decode reports it.
func (c *Conn) reserveFrame(size int64, n int) (release func(), err error) {
	if c.opt.Budget == nil {
		return func() {}, nil
	}
	if size == 0 || size > int64(c.opt.MaxFrame) {
		return func() {}, nil
	}
	rel, err := c.opt.Budget.Reserve(c.ctx, frameCost(min(size, upfrontFrame)))
	if err != nil {
		return nil, fmt.Errorf("socket: frame %d of %d bytes from %s refused: %w", n, size, c.addr, err)
	}
	var ch *frameCharge
	if size > upfrontFrame {
		// The rest is charged as it arrives: a header alone claiming
		// 64 MiB took 192 MiB of the budget (of serve's 256 MiB) for as
		// long as its sender trickled the payload at the minimum rate
		// (18 hours at 1 KB/s), and a few such connections kept every
		// HTTP request out.
		ch = &frameCharge{n: n, size: size, from: c.frameIn.Load() + 4, covered: upfrontFrame, charged: frameCost(upfrontFrame)}
		c.charge = ch
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			rel()
			if ch != nil {
				for _, r := range ch.rels {
					r()
				}
			}
		})
	}, nil
}

// upfrontFrame is the payload of a frame charged from its header, with a
// Budget; a larger frame's payload past that is charged as it arrives,
// in chargeStep steps, as the gateway charges an HTTP body.
const (
	upfrontFrame = 256 << 10
	chargeStep   = 256 << 10
)

// frameCharge is the charge of the payload of a large frame being read
// (frame n, of size bytes, whose payload starts at the connection's
// byte from): covered is the payload charged for so far.
type frameCharge struct {
	n                int
	size, from       int64
	covered, charged int64
	rels             []func()
}

// grow charges the budget for the payload up to the connection's byte
// in, in chargeStep steps (three times each, as frameCost). A charge past
// the whole budget (one the Budget says the Size of) is capped there: the
// frame then runs alone, as the gateway lets a request over the budget.
// A charge refused ends the connection.
func (ch *frameCharge) grow(c *Conn, in int64) error {
	for got := min(in-ch.from, ch.size); got > ch.covered; {
		step := min(max(got-ch.covered, chargeStep), ch.size-ch.covered)
		cost := 3 * step
		if sized, ok := c.opt.Budget.(interface{ Size() int64 }); ok {
			cost = min(cost, sized.Size()-ch.charged)
		}
		ch.covered += step
		if cost <= 0 {
			continue
		}
		c.held.Store(true)
		rel, err := c.opt.Budget.Reserve(c.ctx, cost)
		c.held.Store(false)
		if err != nil {
			return refusedFrame{fmt.Errorf("socket: frame %d of %d bytes from %s refused after %d bytes of it: %w", ch.n, ch.size, c.addr, got, err)}
		}
		ch.charged += cost
		ch.rels = append(ch.rels, rel)
	}
	return nil
}

// decode reads the next frame's value (of size bytes) into *v. With a Budget, the
// payload is read first and what its values decode to is charged too
// (added to *release) before they are decoded: a frame of dense small
// values (nulls, empty objects) decodes to 15-40 times its bytes, more
// than frameCost. A frame whose values alone would take more than the
// whole budget (when the Budget says its Size) is refused.
//
// Without a Budget, a frame whose values would take more than
// MaxValueFactor times MaxFrame once decoded is refused with a
// *amf.FrameError: 48 MB of nulls decoded to 865 MB. A frame of fewer
// bytes than that over the most a byte can cost is not looked at.
func (c *Conn) decode(size int64, fr *amf.FrameReader, v *any, release *func()) error {
	limit := MaxValueFactor * int64(c.opt.MaxFrame)
	if c.opt.Budget == nil && size*valuecost.MaxPerByte <= limit {
		return fr.Decode(v)
	}
	payload, err := fr.ReadFrame()
	if err != nil {
		return err
	}
	cost, _ := valuecost.Value(amf.NewReader(payload, amf.AMF3))
	if c.opt.Budget == nil {
		if cost > limit {
			return &amf.FrameError{Frame: fr.Frames(), Offset: fr.Offset() - 4 - int64(len(payload)),
				Err: fmt.Errorf("its %d bytes hold values that would take about %s once decoded; the limit is %d times the frame size limit of %d bytes", len(payload), valuecost.Text(cost), MaxValueFactor, c.opt.MaxFrame)}
		}
		return c.decodePayload(fr, payload, v)
	}
	if sized, ok := c.opt.Budget.(interface{ Size() int64 }); ok && cost > sized.Size() {
		return refusedFrame{fmt.Errorf("socket: frame %d of %d bytes from %s refused: its values would take about %d bytes once decoded, %w of %d", fr.Frames(), len(payload), c.addr, cost, ErrOverBudget, sized.Size())}
	}
	rel, err := c.opt.Budget.Reserve(c.ctx, cost)
	if err != nil {
		return refusedFrame{fmt.Errorf("socket: frame %d of %d bytes from %s refused: %w", fr.Frames(), len(payload), c.addr, err)}
	}
	first := *release
	var once sync.Once
	*release = func() { once.Do(func() { first(); rel() }) }
	return c.decodePayload(fr, payload, v)
}

// decodePayload decodes the payload of the frame fr read last into *v,
// as fr.Decode would have.
func (c *Conn) decodePayload(fr *amf.FrameReader, payload []byte, v *any) error {
	x, trailing, err := amf.DecodeFrame(payload)
	fr.Trailing = trailing
	if err != nil {
		return &amf.FrameError{Frame: fr.Frames(), Offset: fr.Offset() - 4 - int64(len(payload)), Err: err}
	}
	*v = x
	return nil
}

// MaxValueFactor bounds what a frame's values may take once decoded, as
// a multiple of Options.MaxFrame, on a Conn without a Budget.
const MaxValueFactor = 8

// refusedFrame is a frame the budget refused: the connection ends with
// it as it is.
type refusedFrame struct{ error }

// frameCost is what a frame of size bytes is charged: its bytes, the
// value they decode to and a reply as large, and a little for the rest.
func frameCost(size int64) int64 { return 3*size + 4<<10 }

// handleFrame handles the frame read, value v from offset before, and
// releases its charge once done with it (a request's, once answered).
// It reports false when the connection has ended.
func (c *Conn) handleFrame(fr *amf.FrameReader, v any, before int64, release func()) bool {
	handed := false
	defer func() {
		if !handed {
			release()
		}
	}()
	r, perr := ParseRPC(v)
	ev := &FrameEvent{Dir: In, Value: v, Size: int(fr.Offset() - before), RPC: r}
	var p *Pending
	if r != nil && r.Kind == KindResponse {
		c.mu.Lock()
		p = c.pending[r.MessageID]
		delete(c.pending, r.MessageID)
		c.mu.Unlock()
		if p != nil {
			ev.RoundTrip = time.Since(p.sent)
		}
	}
	c.event(ev)
	if r == nil || !(r.Command == PingCommand || p != nil && p.Command == PingCommand) {
		c.touch()
	}
	if fr.Trailing > 0 {
		c.noticeOnce(noticeTrailing, "frame %d: %d bytes after its value ignored", fr.Frames(), fr.Trailing)
	}
	if perr != nil {
		c.noticeOnce(noticeIgnored, "frame %d ignored: %v", fr.Frames(), perr)
		return true
	}
	if c.opt.OnReceive != nil {
		c.opt.OnReceive(r)
	}
	switch r.Kind {
	case KindResponse:
		if p == nil {
			c.noticeOnce(noticeUnknownResponse, "frame %d: response to an unknown request %q ignored", fr.Frames(), shorten(r.MessageID))
			return true
		}
		p.result = r.Result
		close(p.done)
	case KindRequest:
		req := &Request{RPC: *r, conn: c, replied: make(chan struct{})}
		if r.Command == PingCommand {
			_ = req.Reply(nil)
			return true
		}
		c.held.Store(true)
		select {
		case c.sem <- struct{}{}:
		case <-c.closed:
			c.held.Store(false)
			return false
		}
		c.held.Store(false)
		c.hwg.Add(1)
		handed = true
		go c.handle(req, release)
	case KindMessage:
		if c.opt.OnMessage != nil {
			c.opt.OnMessage(&Request{RPC: *r, conn: c, replied: make(chan struct{})})
		}
	}
	return true
}

func (c *Conn) handle(req *Request, release func()) {
	defer func() { release(); <-c.sem; c.hwg.Done() }()
	if c.opt.OnRequest != nil {
		c.opt.OnRequest(req)
	}
	if !req.answered() {
		c.noticeOnce(noticeUnanswered, "the peer's request %q (%q) had no answer: answering with the \"unanswered\" error result", req.Command, shorten(req.MessageID))
		_ = req.Reply(Unanswered(req.Command))
	}
}

// readErr turns a reader failure into the error the connection ends with.
func (c *Conn) readErr(err error) error {
	select {
	case <-c.closed:
		return c.Err()
	default:
	}
	var fe *amf.FrameError
	var ne net.Error
	switch {
	case err == io.EOF:
		return &NetError{Op: "read", Addr: c.addr, Err: ErrPeerClosed, Unheard: c.inBytes.Load() == 0}
	case errors.As(err, &ne) && ne.Timeout():
		return &TimeoutError{What: "no data from the peer", After: c.opt.IdleTimeout, Addr: c.addr, Wait: WaitIdle}
	case errors.As(err, &fe) && fe.Err == io.ErrUnexpectedEOF:
		return &NetError{Op: "read", Addr: c.addr,
			Err: fmt.Errorf("%w inside frame %d (offset %d)", ErrPeerClosed, fe.Frame, fe.Offset)}
	case errors.As(err, &fe):
		var inner net.Error
		if errors.As(fe.Err, &inner) || errors.Is(fe.Err, net.ErrClosed) {
			return &NetError{Op: "read", Addr: c.addr, Err: unwrapOp(fe.Err), Unheard: c.resetUnheard(fe.Err)}
		}
		return err
	}
	var se *amf.FrameSizeError
	if errors.As(err, &se) {
		return err
	}
	return &NetError{Op: "read", Addr: c.addr, Err: unwrapOp(err), Unheard: c.resetUnheard(err)}
}

// resetUnheard reports whether err is the peer resetting the connection
// before it sent a byte: what a server does that closes on a first frame
// it cannot read while that frame is still unread.
func (c *Conn) resetUnheard(err error) bool {
	return connreset.Is(err) && c.inBytes.Load() == 0
}

// pingLoop pings the peer every PingInterval, as servers do, and ends
// the connection when a ping stays unanswered for PingTimeout.
func (c *Conn) pingLoop() {
	t := time.NewTicker(c.opt.PingInterval)
	defer t.Stop()
	var latency atomic.Int64 // of the last ping answered, in ns
	for {
		select {
		case <-c.closed:
			return
		case <-t.C:
		}
		params := obj(
			amf.Member{Name: "latency", Value: time.Duration(latency.Load()).Seconds()},
			amf.Member{Name: "time", Value: float64(time.Now().Unix())},
		)
		p, err := c.Start(PingCommand, params)
		if err != nil {
			return
		}
		go func() {
			if c.waitPing(p) {
				latency.Store(int64(time.Since(p.sent)))
			}
		}()
	}
}

// minFrameRate is the average rate, in bytes per second since its
// header, at which a frame still arriving keeps its sender from a ping's
// timeout: serve's --min-body-rate default. A peer that trickles a
// frame to hold the budget its header reserved is dropped as one that
// does not answer.
const minFrameRate = 1024

// waitPing waits for the answer to the ping p and reports whether it
// came. It ends the connection once the answer has not come for
// PingTimeout, unless the reader has not read it yet: held up by the
// budget or by busy handlers, or in the middle of a frame whose bytes
// keep coming (the last within PingTimeout, minFrameRate on average):
// the peer answers after the frame, on one stream. The connection's
// idle timeouts bound those.
func (c *Conn) waitPing(p *Pending) bool {
	d := c.opt.PingTimeout
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return p.err == nil
		case <-t.C:
		}
		since := d
		if at := c.frameAt.Load(); at != 0 {
			took := time.Since(time.Unix(0, at)).Seconds()
			if float64(c.inBytes.Load()-c.frameIn.Load()) >= minFrameRate*took {
				since = time.Since(time.Unix(0, c.lastIn.Load()))
			}
		}
		if c.held.Load() {
			since = 0
		}
		if since < d {
			t.Reset(d - since)
			continue
		}
		c.forget(p.ID)
		c.fail(&TimeoutError{What: "no answer to a ping", After: d, Addr: c.addr, Wait: WaitPing})
		return false
	}
}

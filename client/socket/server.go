package socket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"syscall"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/ratelog"
)

// Server accepts AMF Socket connections and runs each as a [Conn] with
// its Options (give them OnRequest and OnMessage; PingInterval defaults
// to 5 s, as amf_socket_ruby pings).
type Server struct {
	Options Options
	// MaxConns bounds the connections served at once; one more is
	// closed as soon as it is accepted (and logged). Default
	// DefaultMaxConns.
	MaxConns int
	// IdleTimeout ends a connection on which no frame but pings and
	// their answers has gone either way for this long (a client that
	// holds a connection and does nothing); while MaxConns are open, a
	// new connection ends the one idle longest once it has been idle for
	// 30 seconds. Default DefaultServerIdle; negative means none (and
	// no connection makes room).
	IdleTimeout time.Duration
	// Log, when set, is told of each connection opening and closing,
	// and of connections refused.
	Log func(format string, a ...any)
}

// Defaults of a Server's limits.
const (
	DefaultMaxConns   = 64
	DefaultServerIdle = 2 * time.Minute
)

// fullIdle is how long a connection with nothing but pings on it keeps
// its place while every place is taken: a new connection then ends the
// one idle longest, if it has been idle this long, rather than being
// refused. Before, 64 clients that only answered pings kept every other
// client out for the whole idle timeout (2 minutes). A variable for
// tests.
var fullIdle = 30 * time.Second

// Serve accepts connections on ln until ctx ends, then closes them all
// and returns nil. It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	opt := s.Options
	if opt.PingInterval == 0 {
		opt.PingInterval = 5 * time.Second
	}
	maxConns := s.MaxConns
	if maxConns <= 0 {
		maxConns = DefaultMaxConns
	}
	idle := s.IdleTimeout
	if idle == 0 {
		idle = DefaultServerIdle
	}
	logf := s.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	var mu sync.Mutex
	conns := map[*Conn]bool{}
	refused := 0
	var wg sync.WaitGroup
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	defer func() {
		mu.Lock()
		for c := range conns {
			c.fail(ErrClosed)
		}
		mu.Unlock()
		wg.Wait()
	}()
	var backoff time.Duration  // after an accept error that passes
	var errLog ratelog.Limiter // of those errors
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if acceptRetries(err) {
				// Out of file descriptors (a flood of connections, here
				// or on the HTTP side), or a connection reset before it
				// was taken: wait, as net/http does, and go on. The
				// server stopped for good at the first, silently. Said
				// at most once a minute (see package ratelog).
				if ok, skipped := errLog.Due(time.Now()); ok && skipped > 0 {
					logf("socket server: %v; accepting again in a moment (%d more since the last such line)", err, skipped)
				} else if ok {
					logf("socket server: %v; accepting again in a moment", err)
				}
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				select {
				case <-time.After(backoff):
				case <-ctx.Done():
					return nil
				}
				continue
			}
			ln.Close()
			return err
		}
		backoff = 0
		mu.Lock()
		full := len(conns) >= maxConns
		if full && idle > 0 {
			// A connection on which nothing but pings has gone for
			// fullIdle makes room, the one idle longest first.
			var oldest *Conn
			for c := range conns {
				if oldest == nil || c.active.Load() < oldest.active.Load() {
					oldest = c
				}
			}
			if d := oldest.Idle(); d >= fullIdle {
				delete(conns, oldest)
				full = false
				oldest.fail(fmt.Errorf("socket: nothing but pings for %s while all %d connections were taken: ended to make room for a new one", d.Round(time.Second), maxConns))
			}
		}
		if full {
			refused++
		}
		n := refused
		mu.Unlock()
		if full {
			// The protocol has no way to say "busy": close at once, so
			// that the client sees it rather than waiting on a backlog.
			nc.Close()
			if n == 1 || n%100 == 0 {
				logf("socket client %s refused: %d connections open, the limit; %d refused so far", nc.RemoteAddr(), maxConns, n)
			}
			continue
		}
		c := NewConn(nc, opt)
		mu.Lock()
		conns[c] = true
		mu.Unlock()
		logf("socket client %s connected", c.addr)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if idle > 0 {
				c.endWhenIdle(idle)
			}
			<-c.readerDone
			mu.Lock()
			delete(conns, c)
			mu.Unlock()
			why := c.Err()
			if errors.Is(why, ErrPeerClosed) {
				logf("socket client %s disconnected", c.addr)
			} else {
				logf("socket client %s dropped: %v", c.addr, why)
			}
		}()
	}
}

// acceptRetries reports whether an Accept error passes: a timeout, a
// process or system out of file descriptors, a connection aborted
// before it was accepted.
func acceptRetries(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.ENOMEM)
}

// endWhenIdle ends the connection once it has been idle (see Idle) for
// d, and returns when the connection ends.
func (c *Conn) endWhenIdle(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-c.closed:
			return
		case <-t.C:
		}
		if idle := c.Idle(); idle < d {
			t.Reset(d - idle)
			continue
		}
		c.fail(&TimeoutError{What: "no request, response or message (only pings) either way", After: d, Addr: c.addr, Wait: WaitActivity})
		return
	}
}

// The demo server's commands, for trying a client with nothing else
// installed. See [DemoRequest].
const (
	demoMaxPush     = 1000
	demoMaxInterval = 10 * time.Second
	demoMaxSleep    = 30 * time.Second
)

// DemoRequest answers the demo commands:
//
//	echo {...}                       the params back
//	add {"a": N, "b": M}             a + b (an integer while it fits 29 bits, as RocketAMF writes it)
//	push {"count": N, "interval": MS, "command": NAME}
//	                                 answers {"pushing": N}, then sends N one-way messages
//	                                 NAME (default "tick") {"n": i, "of": N, "time": UNIX_MS}
//	ask {"command": NAME, "params": {...}}
//	                                 sends the client a request NAME (default "question")
//	                                 and answers {"answer": its result}
//	sleep {"ms": N}                  answers {"slept": N} after N ms (at most 30 s)
//
// Anything else is answered with the error result "unknown_command".
func DemoRequest(req *Request) {
	p, _ := req.Params.(*amf.Object)
	if p == nil {
		p = obj()
	}
	switch req.Command {
	case "echo":
		_ = req.Reply(req.Params)
	case "add":
		a, aok := number(p, "a")
		b, bok := number(p, "b")
		if !aok || !bok {
			_ = req.Reply(ErrorResult("bad_params", `add wants {"a": number, "b": number}`))
			return
		}
		_ = req.Reply(numberValue(a + b))
	case "push":
		count := intParam(p, "count", 3, 0, demoMaxPush)
		interval := time.Duration(intParam(p, "interval", 200, 0, int(demoMaxInterval/time.Millisecond))) * time.Millisecond
		cmd := "tick"
		if s, ok := get(p, "command").(string); ok && s != "" {
			cmd = s
		}
		if req.Reply(obj(amf.Member{Name: "pushing", Value: amf.Int(count)})) != nil {
			return
		}
		for i := 1; i <= count; i++ {
			if i > 1 || interval > 0 {
				select {
				case <-time.After(interval):
				case <-req.conn.closed:
					return
				}
			}
			msg := obj(
				amf.Member{Name: "n", Value: amf.Int(i)},
				amf.Member{Name: "of", Value: amf.Int(count)},
				amf.Member{Name: "time", Value: float64(time.Now().UnixMilli())},
			)
			if req.conn.Send(cmd, msg) != nil {
				return
			}
		}
	case "ask":
		cmd := "question"
		if s, ok := get(p, "command").(string); ok && s != "" {
			cmd = s
		}
		params := get(p, "params")
		if _, ok := params.(*amf.Object); !ok {
			params = obj(amf.Member{Name: "text", Value: "What is your name?"})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := req.conn.Call(ctx, cmd, params)
		if err != nil {
			_ = req.Reply(ErrorResult("no_answer", err.Error()))
			return
		}
		_ = req.Reply(obj(amf.Member{Name: "answer", Value: res}))
	case "sleep":
		ms := intParam(p, "ms", 1000, 0, int(demoMaxSleep/time.Millisecond))
		select {
		case <-time.After(time.Duration(ms) * time.Millisecond):
		case <-req.conn.closed:
			return
		}
		_ = req.Reply(obj(amf.Member{Name: "slept", Value: amf.Int(ms)}))
	default:
		_ = req.Reply(ErrorResult("unknown_command",
			fmt.Sprintf("unknown command %q; the demo knows echo, add, push, ask, sleep", shorten(req.Command))))
	}
}

func get(o *amf.Object, name string) any {
	v, _ := o.Get(name)
	return v
}

func number(o *amf.Object, name string) (float64, bool) {
	switch n := get(o, name).(type) {
	case amf.Int:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

func numberValue(f float64) any {
	if f == float64(int64(f)) && f >= amf.MinInt && f <= amf.MaxInt {
		return amf.Int(f)
	}
	return f
}

func intParam(o *amf.Object, name string, def, lo, hi int) int {
	f, ok := number(o, name)
	if !ok {
		return def
	}
	return int(max(float64(lo), min(float64(hi), f)))
}

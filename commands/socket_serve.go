package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client/socket"
	"github.com/amfcall/amfcall/convert"
)

// socketServeFlag is serve's --socket.
var socketServeFlag = &cli.StringFlag{Name: "socket", Category: catMisc,
	Usage: "also run an AMF Socket server on `HOST:PORT` with the demo commands echo, add, push, ask and sleep (try it with amfcall socket call)"}

// socketLimitFlags are serve's limits of the AMF Socket server.
var socketLimitFlags = []cli.Flag{
	&cli.IntFlag{Name: "socket-max-conns", Category: catLimits, Value: socket.DefaultMaxConns,
		Usage: "keep at most `N` AMF Socket connections open (--socket); one more is closed at once and logged, unless one idle for 30s makes room"},
	&cli.StringFlag{Name: "socket-idle-timeout", Category: catLimits, Value: "2m",
		Usage: "close an AMF Socket connection on which nothing but pings has gone for `DURATION` (0: never)"},
}

// checkSocketAddr checks serve's --socket and its limits before any I/O.
func checkSocketAddr(c *cli.Context) error {
	if n := c.Int("socket-max-conns"); n < 1 {
		return usageErrorf("invalid --socket-max-conns %d: want at least 1", n)
	}
	if d, err := parseDuration(c.String("socket-idle-timeout")); err != nil || d < 0 {
		return usageErrorf("invalid --socket-idle-timeout %q", c.String("socket-idle-timeout")).hint("give a duration such as 2m or 30s, or 0 for none")
	}
	addr := socketAddr(c.String("socket"))
	if addr == "" {
		return nil
	}
	if _, port, err := net.SplitHostPort(addr); err != nil || !validPort(port) {
		return usageErrorf("invalid --socket %q: want HOST:PORT", addr).
			hint("for example --socket 127.0.0.1:9001, or --socket 127.0.0.1:0 for a free port")
	}
	return nil
}

// serveSocket starts the AMF Socket demo server of serve --socket until
// ctx ends; wait returns once it has stopped. Its frames are charged to
// budget, the gateway's (--max-memory). With no --socket it does
// nothing.
func serveSocket(ctx context.Context, c *cli.Context, budget socket.Budget) (wait func() error, err error) {
	addr := socketAddr(c.String("socket")) // socket://HOST:PORT too, as bench and socket call take it
	if addr == "" {
		return func() error { return nil }, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, withCode(exitNetwork, fmt.Errorf("cannot listen on %s: %w", addr, unwrapNetErr(err))).
			hint("choose another address with --socket HOST:PORT (port 0 picks a free port)")
	}
	at, where := reachable(ln.Addr())
	infof(c, "AMF Socket server at %s (commands echo, add, push, ask, sleep); try: amfcall socket call %s add '{\"a\": 2, \"b\": 3}'",
		at, at)
	if where != "" {
		warnf(c, "AMF Socket server listening on %s: anyone who can reach it can use it", where)
	}
	if socketServeStarted != nil {
		socketServeStarted(at)
	}
	idle, _ := parseDuration(c.String("socket-idle-timeout")) // checked by checkSocketAddr
	if idle == 0 {
		idle = -1 // none
	}
	// A frame trickled slowly but steadily (never idle long enough for
	// --socket-idle-timeout) is bounded as an HTTP body is: by
	// --max-body-time, checked by limitOptions (0: none).
	frameTime, _ := parseDuration(c.String("max-body-time"))
	srv := &socket.Server{Options: socket.Options{OnRequest: socket.DemoRequest, Budget: budget, MaxFrameTime: frameTime},
		MaxConns: c.Int("socket-max-conns"), IdleTimeout: idle}
	srv.Log = func(format string, a ...any) { infof(c, format, a...) }
	// Odd frames are warned about at every level, as README says (once
	// per kind, with a count at the end); -v adds every frame.
	srv.Options.Events = &serveSocketTrace{c: c, frames: verbosity(c) > 0}
	done := make(chan error, 1)
	go func() {
		err := srv.Serve(ctx, ln)
		if err != nil {
			// Said when it happens: serve goes on with HTTP alone, and
			// the error was only returned to a deferred call that
			// dropped it.
			warnf(c, "the AMF Socket server stopped: %v (the gateway goes on)", err)
		}
		done <- err
	}()
	return func() error { return <-done }, nil
}

// socketServeStarted, when set (by tests), is told the address of the
// AMF Socket server.
var socketServeStarted func(addr string)

// serveSocketTrace logs the socket server's warnings, and with -v
// (frames) its frames as typed JSON and its other notices.
type serveSocketTrace struct {
	c      *cli.Context
	frames bool
}

func (t *serveSocketTrace) OnFrame(ev *socket.FrameEvent) {
	if !t.frames {
		return
	}
	dir := "<"
	if ev.Dir == socket.Out {
		dir = ">"
	}
	// As the gateway's -v log of packets: a client's frame of one string
	// and many references to it is gigabytes of typed JSON (a string
	// sent by reference is written at each use), so it is built to
	// socketLogJSON at most, and a line is cut to socketLogLine.
	buf, err := convert.AppendValue(nil, ev.Value, &convert.Options{Typed: true, MaxOutput: socketLogJSON})
	var ol *convert.OutputLimitError
	switch {
	case errors.As(err, &ol):
		buf = []byte(fmt.Sprintf("(not shown: its typed JSON is over %d bytes; strings sent by reference are written out at each use)", socketLogJSON))
	case err != nil:
		buf = []byte(err.Error())
	case len(buf) > socketLogLine:
		more := len(buf) - socketLogLine
		buf = append(buf[:socketLogLine:socketLogLine], fmt.Sprintf("... (%d more bytes)", more)...)
	}
	infof(t.c, "socket %s %d bytes: %s", dir, ev.Size, buf)
}

// Bounds of a frame logged by serve --socket -v.
const (
	socketLogJSON = 1 << 20
	socketLogLine = 64 << 10
)

func (t *serveSocketTrace) OnNotice(n socket.Notice) {
	if n.Warning {
		warnf(t.c, "socket: %s", n.Msg)
	} else if t.frames {
		infof(t.c, "socket: %s", n.Msg)
	}
}

// syncWriter serialises writes to a stream shared by goroutines.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func newSyncWriter(w io.Writer) io.Writer {
	if _, ok := w.(*syncWriter); ok {
		return w
	}
	return &syncWriter{w: w}
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// Fd is the stream's file descriptor, so that a terminal is still told
// apart; ^0 when the stream is no file.
func (s *syncWriter) Fd() uintptr {
	if f, ok := s.w.(interface{ Fd() uintptr }); ok {
		return f.Fd()
	}
	return ^uintptr(0)
}

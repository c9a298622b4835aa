package socket

import (
	"bytes"
	"context"
	"errors"
	"github.com/amfcall/amfcall/client/socket/sockettest"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// Every test runs on 127.0.0.1 with short timeouts; none waits for more
// than a few seconds even when it fails.

const testWait = 5 * time.Second

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testWait)
	t.Cleanup(cancel)
	return ctx
}

// demoServer runs the demo server and returns its address.
func demoServer(t testing.TB, opt Options) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opt.OnRequest == nil {
		opt.OnRequest = DemoRequest
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- (&Server{Options: opt}).Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// rawServer accepts one connection and hands it to f: a misbehaving peer.
func rawServer(t *testing.T, f func(nc net.Conn, fr *amf.FrameReader)) string {
	t.Helper()
	return sockettest.OneConn(t, f)
}

func frame(t *testing.T, v any) []byte {
	t.Helper()
	b, err := amf.AppendFrame(nil, v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readRPC reads one frame as an RPC object.
func readRPC(t *testing.T, fr *amf.FrameReader) *RPC {
	t.Helper()
	var v any
	if err := fr.Decode(&v); err != nil {
		t.Errorf("server read: %v", err)
		return &RPC{}
	}
	r, err := ParseRPC(v)
	if err != nil {
		t.Errorf("server read: %v", err)
		return &RPC{}
	}
	return r
}

func params(kv ...any) *amf.Object {
	o := obj()
	for i := 0; i < len(kv); i += 2 {
		o.Members = append(o.Members, amf.Member{Name: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

type recorder struct {
	mu      sync.Mutex
	frames  []*FrameEvent
	notices []Notice
}

func (r *recorder) OnFrame(ev *FrameEvent) {
	r.mu.Lock()
	r.frames = append(r.frames, ev)
	r.mu.Unlock()
}
func (r *recorder) OnNotice(n Notice) { r.mu.Lock(); r.notices = append(r.notices, n); r.mu.Unlock() }
func (r *recorder) noticeText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, n := range r.notices {
		b.WriteString(n.Msg + "\n")
	}
	return b.String()
}

func TestDemoServer(t *testing.T) {
	addr := demoServer(t, Options{})
	ctx := testCtx(t)
	var mu sync.Mutex
	var got []any
	ev := &recorder{}
	c, err := Dial(ctx, addr, Options{
		OnMessage: func(m *Request) { mu.Lock(); got = append(got, m.Params); mu.Unlock() },
		OnRequest: func(r *Request) {
			if r.Command == "question" {
				_ = r.Reply("Brian")
			}
		},
		Events: ev,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	res, err := c.Call(ctx, "add", params("a", amf.Int(2), "b", 2.5))
	if err != nil || res != 4.5 {
		t.Fatalf("add = %v, %v; want 4.5", res, err)
	}
	res, err = c.Call(ctx, "add", params("a", amf.Int(amf.MaxInt), "b", amf.Int(1)))
	if err != nil || res != float64(amf.MaxInt+1) {
		t.Fatalf("add past 2^28 = %#v, %v; want a double", res, err)
	}
	res, err = c.Call(ctx, "echo", params("x", "y"))
	if o, ok := res.(*amf.Object); err != nil || !ok || get(o, "x") != "y" {
		t.Fatalf("echo = %v, %v", res, err)
	}
	res, err = c.Call(ctx, "ask", nil)
	if o, ok := res.(*amf.Object); err != nil || !ok || get(o, "answer") != "Brian" {
		t.Fatalf("ask = %v, %v", res, err)
	}
	// A request nothing answers gets the conventional error result.
	res, err = c.Call(ctx, "ask", params("command", "riddle"))
	ans, _ := res.(*amf.Object)
	if err != nil || ans == nil {
		t.Fatalf("ask riddle = %v, %v", res, err)
	}
	e, _ := get(ans, "answer").(*amf.Object)
	if e == nil || get(get(e, "error").(*amf.Object), "code") != "unanswered" {
		t.Fatalf("unanswered ask = %v", res)
	}
	if !strings.Contains(ev.noticeText(), `the peer's request "riddle"`) {
		t.Errorf("notices %q say nothing of the unanswered request", ev.noticeText())
	}
	res, err = c.Call(ctx, "push", params("count", amf.Int(3), "interval", amf.Int(0)))
	if o, ok := res.(*amf.Object); err != nil || !ok || get(o, "pushing") != amf.Int(3) {
		t.Fatalf("push = %v, %v", res, err)
	}
	deadline := time.Now().Add(testWait)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pushed messages, want 3", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for i, m := range got {
		if get(m.(*amf.Object), "n") != amf.Int(i+1) {
			t.Errorf("message %d = %v", i, m)
		}
	}
	res, err = c.Call(ctx, "nope", nil)
	if o, ok := res.(*amf.Object); err != nil || !ok || get(get(o, "error").(*amf.Object), "code") != "unknown_command" {
		t.Fatalf("nope = %v, %v", res, err)
	}
}

// Pings that come while a request waits are answered with a response that
// has a result; the response itself may come late, cut into single bytes.
func TestPingsWhileWaiting(t *testing.T) {
	addr := rawServer(t, func(nc net.Conn, fr *amf.FrameReader) {
		req := readRPC(t, fr)
		for i := 0; i < 3; i++ {
			id := "ping" + string(rune('0'+i))
			nc.Write(frame(t, RequestObject(id, PingCommand, params("time", 1.7e9, "latency", 0.0))))
			var v any
			if err := fr.Decode(&v); err != nil {
				t.Errorf("no pong: %v", err)
				return
			}
			pong := v.(*amf.Object)
			resp, _ := pong.Get("response")
			if _, ok := resp.(*amf.Object).Get("result"); !ok || get(resp.(*amf.Object), "messageId") != id {
				t.Errorf("pong %v lacks the result or the id %s", v, id)
			}
		}
		for _, b := range frame(t, ResponseObject(req.MessageID, "late")) {
			nc.Write([]byte{b})
		}
	})
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	res, err := c.Call(testCtx(t), "slow", nil)
	if err != nil || res != "late" {
		t.Fatalf("Call = %v, %v; want late", res, err)
	}
}

// Responses pipelined in one write and out of order reach their requests.
func TestPipelinedOutOfOrder(t *testing.T) {
	addr := rawServer(t, func(nc net.Conn, fr *amf.FrameReader) {
		a, b := readRPC(t, fr), readRPC(t, fr)
		var out []byte
		out = append(out, frame(t, ResponseObject("unknown", "stray"))...)
		out = append(out, frame(t, ResponseObject(b.MessageID, b.Command))...)
		out = append(out, frame(t, MessageObject("m1", "news", params()))...)
		out = append(out, frame(t, ResponseObject(a.MessageID, a.Command))...)
		nc.Write(out)
		io.Copy(io.Discard, nc) // until the client closes
	})
	ev := &recorder{}
	c, err := Dial(testCtx(t), addr, Options{Events: ev})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pa, err := c.Start("first", nil)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := c.Start("second", nil)
	if err != nil {
		t.Fatal(err)
	}
	ra, erra := pa.Wait(testCtx(t))
	rb, errb := pb.Wait(testCtx(t))
	if ra != "first" || rb != "second" || erra != nil || errb != nil {
		t.Fatalf("results %v %v (%v, %v)", ra, rb, erra, errb)
	}
	if !strings.Contains(ev.noticeText(), `response to an unknown request "unknown" ignored`) {
		t.Errorf("notices: %q", ev.noticeText())
	}
}

func TestConnFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server func(t *testing.T, nc net.Conn, fr *amf.FrameReader)
		opt    Options
		check  func(error) bool
		want   string
	}{
		{"2 GiB length header", func(t *testing.T, nc net.Conn, fr *amf.FrameReader) {
			readRPC(t, fr)
			nc.Write([]byte{0x80, 0, 0, 0, 0x0a})
			io.Copy(io.Discard, nc)
		}, Options{}, func(err error) bool { var e *amf.FrameSizeError; return errors.As(err, &e) },
			"amf: frame of 2147483648 bytes exceeds the limit of 67108864 bytes at offset 0"},
		{"non-AMF frame", func(t *testing.T, nc net.Conn, fr *amf.FrameReader) {
			readRPC(t, fr)
			nc.Write([]byte("\x00\x00\x00\x04<pol"))
			io.Copy(io.Discard, nc)
		}, Options{}, func(err error) bool { var e *amf.SyntaxError; return errors.As(err, &e) },
			"amf: frame 1 at offset 0: amf3: unknown or invalid marker 0x3c at offset 0"},
		{"abrupt close", func(t *testing.T, nc net.Conn, fr *amf.FrameReader) {
			readRPC(t, fr)
		}, Options{}, func(err error) bool { return errors.Is(err, ErrPeerClosed) },
			"socket: read ADDR: the peer closed the connection"},
		{"close inside a frame", func(t *testing.T, nc net.Conn, fr *amf.FrameReader) {
			readRPC(t, fr)
			nc.Write([]byte{0, 0, 0, 9, 0x06})
		}, Options{}, func(err error) bool { return errors.Is(err, ErrPeerClosed) },
			"socket: read ADDR: the peer closed the connection inside frame 1 (offset 0)"},
		{"silent server", func(t *testing.T, nc net.Conn, fr *amf.FrameReader) {
			readRPC(t, fr)
			io.Copy(io.Discard, nc)
		}, Options{IdleTimeout: 100 * time.Millisecond}, func(err error) bool { var e *TimeoutError; return errors.As(err, &e) },
			"socket: ADDR: no data from the peer within 100ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := rawServer(t, func(nc net.Conn, fr *amf.FrameReader) { tc.server(t, nc, fr) })
			c, err := Dial(testCtx(t), addr, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			start := time.Now()
			_, err = c.Call(testCtx(t), "x", nil)
			if err == nil || !tc.check(err) || strings.ReplaceAll(err.Error(), addr, "ADDR") != tc.want {
				t.Fatalf("Call = %v (%T), want %s", err, err, tc.want)
			}
			if d := time.Since(start); d > 4*time.Second {
				t.Errorf("took %v", d)
			}
			if !errors.Is(c.Err(), err) && c.Err().Error() != err.Error() {
				t.Errorf("Err() = %v, want %v", c.Err(), err)
			}
		})
	}
}

func TestRequestTimeoutAndRefused(t *testing.T) {
	addr := rawServer(t, func(nc net.Conn, fr *amf.FrameReader) {
		readRPC(t, fr)
		io.Copy(io.Discard, nc) // never answers; waits for the close
	})
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Call(ctx, "never", nil)
	var te *TimeoutError
	if !errors.As(err, &te) || !strings.HasPrefix(err.Error(), "socket: "+c.RemoteAddr()+`: no response to "never" within `) {
		t.Fatalf("Call = %v, want a timeout", err)
	}
	c.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	_, err = Dial(testCtx(t), closed, Options{})
	var ne *NetError
	if !errors.As(err, &ne) || ne.Op != "dial" || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("Dial(closed port) = %v", err)
	}
}

// A server drops a client that leaves a ping unanswered, and keeps one
// that answers.
func TestServerPings(t *testing.T) {
	addr := demoServer(t, Options{PingInterval: 50 * time.Millisecond, PingTimeout: 500 * time.Millisecond})

	// A client that answers late: the server gives up.
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(testWait))
	fr := amf.NewFrameReader(nc)
	ping := readRPC(t, fr)
	if ping.Command != PingCommand {
		t.Fatalf("first frame %v, want a ping", ping.Value)
	}
	time.Sleep(800 * time.Millisecond)
	nc.Write(frame(t, ResponseObject(ping.MessageID, "pong")))
	var v any
	for {
		if err = fr.Decode(&v); err != nil {
			break
		}
	}
	if !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("late ponger: %v, want the server to close", err)
	}

	// Our client answers every ping and stays.
	c, err := Dial(testCtx(t), addr, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	time.Sleep(700 * time.Millisecond) // past the ping timeout
	if res, err := c.Call(testCtx(t), "echo", params("still", true)); err != nil {
		t.Fatalf("after pings: %v, %v", res, err)
	}
}

func TestParseRPC(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"hi", "not an RPC object: the value is a string, not an object"},
		{params("type", "rpcFoo"), `unknown RPC type "rpcFoo"`},
		{params("type", TypeRequest), `rpcRequest without a "request" object`},
		{params("type", TypeResponse, "response", params("messageId", amf.Int(1))), "rpcResponse without a string messageId"},
		{params("type", TypeMessage, "message", params("messageId", "1")), `rpcMessage "1" without a string command`},
	} {
		if _, err := ParseRPC(tc.v); err == nil || err.Error() != tc.want {
			t.Errorf("ParseRPC(%v) = %v, want %s", tc.v, err, tc.want)
		}
	}
	// The digest's worked example.
	hello := []byte("\x0a\x0b\x01\x0frequest\x0a\x01\x0fcommand\x06\x0bhello\x13messageId\x06\x07abc\x0dparams\x0a\x01\x07foo\x06\x07bar\x01\x01\x09type\x06\x15rpcRequest\x01")
	v, _, err := amf.DecodeFrame(hello)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRPC(v)
	if err != nil || r.Kind != KindRequest || r.Command != "hello" || r.MessageID != "abc" || get(r.Params.(*amf.Object), "foo") != "bar" {
		t.Fatalf("ParseRPC(hello) = %+v, %v", r, err)
	}
	if !bytes.Equal(frame(t, RequestObject("abc", "hello", params("foo", "bar")))[4:], hello) {
		t.Errorf("RequestObject does not write what RocketAMF writes")
	}
}

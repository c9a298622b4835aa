package gateway

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// startServe runs g.Serve on a loopback port and returns its address.
func startServe(t *testing.T, g *Gateway) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return ln.Addr().String()
}

// TestMemoryBudget: a request that finds the budget taken waits, then
// gets a 503 with Retry-After naming the budget; once the first request
// is done, the budget is whole again.
func TestMemoryBudget(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	g.lim.wait = 300 * time.Millisecond
	srv := httptest.NewServer(g)
	defer srv.Close()

	// The first request declares 200,000 bytes (reserving 3 times that
	// before its body is read) and sends them slowly.
	body := packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{1}, 200000)})
	pr, pw := io.Pipe()
	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", srv.URL, pr)
		req.Header.Set("Content-Type", "application/x-amf")
		req.ContentLength = int64(len(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- -1
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		first <- res.StatusCode
	}()
	pw.Write(body[:100])
	waitFor(t, func() bool { return g.lim.inFlight.Load() > 3*200000 })

	start := time.Now()
	res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("second request: %d (Retry-After %q) %s", res.StatusCode, res.Header.Get("Retry-After"), text)
	}
	if !strings.Contains(string(text), "memory budget for requests in flight (1 MiB)") {
		t.Fatalf("the 503 does not name the budget: %s", text)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Fatalf("refused after %v, without waiting", waited)
	}

	pw.Write(body[100:])
	pw.Close()
	if code := <-first; code != 200 {
		t.Fatalf("first request: %d", code)
	}
	waitFor(t, func() bool { return g.lim.inFlight.Load() == 0 })
	// Now the same request passes.
	m := callGW(t, g, body)
	if m.Target != "/1/onResult" {
		t.Fatalf("after the load: %s", m.Target)
	}
}

// TestMemoryBudgetWaits: a request that finds the budget taken for less
// than the wait is answered once the other is done.
func TestMemoryBudgetWaits(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	srv := httptest.NewServer(g)
	defer srv.Close()
	body := packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{1}, 200000)})
	pr, pw := io.Pipe()
	go func() {
		req, _ := http.NewRequest("POST", srv.URL, pr)
		req.Header.Set("Content-Type", "application/x-amf")
		req.ContentLength = int64(len(body))
		if res, err := http.DefaultClient.Do(req); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}()
	pw.Write(body[:10])
	waitFor(t, func() bool { return g.lim.inFlight.Load() > 3*200000 })
	time.AfterFunc(200*time.Millisecond, func() { pw.Write(body[10:]); pw.Close() })
	res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d, want 200 after waiting", res.StatusCode)
	}
}

// TestRequestLargerThanBudget: a request read whole that alone needs
// more than the whole budget (three times its body) ran alone, charged
// the budget but holding more (serve echoed 200 MB at 426 MB under a
// budget of 256 MiB). It gets a 413 naming the budget, and nothing is
// left reserved; one that fits is answered.
func TestRequestLargerThanBudget(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	rec := post(t, g, packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{1}, 600000)}))
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "memory budget of 1 MiB") ||
		!strings.Contains(rec.Body.String(), "at most 320 KiB") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved", n)
	}
	if m := callGW(t, g, packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{1}, 300000)})); m.Target != "/1/onResult" {
		t.Fatalf("%s", m.Target)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatal("timed out waiting")
		}
	}
}

// TestSlowBodies: connections that send a byte now and then are closed
// by the server within the body timeout, with a 408.
func TestSlowBodies(t *testing.T) {
	g := newTestGateway(t, Options{BodyTimeout: 300 * time.Millisecond, MinBodyRate: 1024})
	addr := startServe(t, g)
	const n = 50
	var wg sync.WaitGroup
	lives := make([]time.Duration, n)
	replies := make([]string, n)
	for i := range n {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			start := time.Now()
			fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: 1000\r\n\r\n")
			got := make(chan []byte, 1)
			go func() {
				c.SetReadDeadline(time.Now().Add(10 * time.Second))
				b, _ := io.ReadAll(c)
				got <- b
			}()
			tick := time.NewTicker(100 * time.Millisecond) // 10 bytes/s
			defer tick.Stop()
			for {
				select {
				case b := <-got:
					lives[i], replies[i] = time.Since(start), string(b)
					return
				case <-tick.C:
					c.Write([]byte{0})
				}
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if lives[i] > 3*time.Second {
			t.Errorf("connection %d lived %v", i, lives[i])
		}
		if !strings.HasPrefix(replies[i], "HTTP/1.1 408 ") || !strings.Contains(replies[i], "the gateway wants a byte at least every") || strings.Contains(replies[i], "--") {
			t.Errorf("connection %d: reply %q", i, replies[i])
		}
	}
}

// TestStalledReader: a client that stops reading a large reply loses its
// connection after the write timeout: with one connection allowed, a
// new client is served once the write timeout has passed.
func TestStalledReader(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{WriteTimeout: 200 * time.Millisecond, MaxConns: 1, Log: &logBuf})
	big := append(append([]byte{}, jpegBytes...), make([]byte, 32<<20)...)
	if err := os.WriteFile(filepath.Join(g.ImagesDir(), "big.jpg"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	addr := startServe(t, g)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	fmt.Fprintf(c, "GET /images/big.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	// Read nothing. The server's writes stall; after the write timeout
	// it drops the connection and its slot is free again.
	var code int
	waitFor(t, func() bool {
		r, err := http.Get("http://" + addr + "/images/none.jpg")
		if err != nil {
			return false
		}
		r.Body.Close()
		code = r.StatusCode
		return code != 503
	})
	if code != 404 {
		t.Fatalf("status %d, want 404; log:\n%s", code, logBuf.String())
	}
}

// TestMaxConns: a connection over the limit is answered 503 and closed;
// once one closes, a new one is served.
func TestMaxConns(t *testing.T) {
	var logBuf lockedBuffer
	g := newTestGateway(t, Options{MaxConns: 2, Log: &logBuf})
	addr := startServe(t, g)
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		held = append(held, c)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept them
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(c)
	c.Close()
	if !strings.HasPrefix(string(b), "HTTP/1.1 503 ") || !strings.Contains(string(b), "its connection limit is 2)") || strings.Contains(string(b), "--") {
		t.Fatalf("third connection: %q", b)
	}
	res, err := http.ReadResponse(bufioReader(b), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.ContentLength != int64(len(body)) {
		t.Fatalf("Content-Length %d, body %d bytes", res.ContentLength, len(body))
	}
	held[0].Close()
	time.Sleep(100 * time.Millisecond)
	r, err := http.Get("http://" + addr + "/images/none.jpg")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 404 {
		t.Fatalf("after a slot freed: %d", r.StatusCode)
	}
	if log := logBuf.String(); !strings.Contains(log, " refused: this gateway's connection limit (2) is reached; 1 refused so far\n") || strings.Contains(log, "--") {
		t.Errorf("log:\n%s", log)
	}
}

// lockedBuffer is a log the gateway writes from its goroutines while a
// test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogEscapes: what a client chose reaches the log escaped.
func TestLogEscapes(t *testing.T) {
	var logBuf bytes.Buffer
	g := newTestGateway(t, Options{Log: &logBuf})
	w := httptest.NewRecorder()
	g.ServeHTTP(w, newRequest("GET", "/images/%1b%5b2J%1b%5b31mred%c2%9b%e2%80%ae.jpg", nil))
	callGW(t, g, packet(0, "echo.fail", "a\x1b[2Jb\u009bc\u202ed"))
	callGW(t, g, packet(0, "svc\x1b]0;title\x07.m"))
	log := logBuf.String()
	for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e"} {
		if strings.Contains(log, bad) {
			t.Fatalf("the log holds %q raw:\n%s", bad, log)
		}
	}
	for _, want := range []string{`/images/\x1b[2J\x1b[31mred\u009b\u202e.jpg -> 404`, `a\x1b[2Jb\u009bc\u202ed`, `svc\x1b]0;title\x07.m`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
}

func TestEsc(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\there", `tab\x09here`},
		{"\x1b[2J", `\x1b[2J`},
		{"del\x7f", `del\x7f`},
		{"c1 \u0085\u009b", `c1 \u0085\u009b`},
		{"bidi \u202e \u2066", `bidi \u202e \u2066`},
		{"bad \xff\xfe utf-8", `bad \xff\xfe utf-8`},
		{"héllo wörld ✓", "héllo wörld ✓"},
		{"tag \U000E0001", `tag \U000e0001`},
	}
	for _, tc := range tests {
		if got := esc(tc.in, 0); got != tc.want {
			t.Errorf("esc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := esc(strings.Repeat("a", 50), 10); got != "aaaaaaaaaa..." {
		t.Errorf("esc cut: %q", got)
	}
}

// TestSnapshotTooLarge413: an image over the upload limit gets a 413 naming
// the limit, whether the body is larger than the decoder takes or not.
func TestSnapshotTooLarge413(t *testing.T) {
	for _, tc := range []struct {
		name      string
		maxUpload int64
		size      int
	}{
		{"small limit", 100, 140},
		{"over the decoder's length limit", 2 << 20, 2<<20 + 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newTestGateway(t, Options{MaxUpload: tc.maxUpload})
			img := append(append([]byte{}, jpegBytes...), make([]byte, tc.size-len(jpegBytes))...)
			for _, ver := range []uint16{0, 3} {
				body := packet(ver, "ByteArray.saveSnapshot", &amf.ByteArray{Data: img}, "jpg")
				if len(body) > int(tc.maxUpload)+requestOverhead {
					t.Fatalf("test body too large for the request limit")
				}
				rec := post(t, g, body)
				if rec.Code != 413 || !strings.Contains(rec.Body.String(), "upload limit of "+sizeText(tc.maxUpload)) || strings.Contains(rec.Body.String(), "--") {
					t.Fatalf("v%d: %d %s", ver, rec.Code, rec.Body.String())
				}
			}
			// The same call as a Flex RemotingMessage.
			msg := &amf.Object{Class: amf.ClassRemotingMessage, Members: []amf.Member{
				{Name: "destination", Value: "ByteArray"}, {Name: "operation", Value: "saveSnapshot"},
				{Name: "body", Value: &amf.Array{Dense: []any{&amf.ByteArray{Data: img}, "jpg"}}},
				{Name: "headers", Value: &amf.Object{}}, {Name: "messageId", Value: "M"},
			}}
			rec := post(t, g, packet(3, "null", amf.AVMPlus{Value: msg}))
			if rec.Code != 413 || !strings.Contains(rec.Body.String(), "upload limit of "+sizeText(tc.maxUpload)) || strings.Contains(rec.Body.String(), "--") {
				t.Fatalf("flex: %d %s", rec.Code, rec.Body.String())
			}
		})
	}
}

// TestDebugEvents: amf_server_debug gets one /N/onDebugEvents body per
// call, holding a trace and a log event.
func TestDebugEvents(t *testing.T) {
	var logBuf bytes.Buffer
	g := newTestGateway(t, Options{Log: &logBuf})
	for _, ver := range []uint16{0, 3} {
		p := &amf.Packet{Version: ver,
			Headers: []amf.Header{{Name: DebugHeader, Value: &amf.Object{Members: []amf.Member{{Name: "trace", Value: true}}}}},
			Messages: []amf.Message{
				{Target: "echo.echo", Response: "/1", Value: []any{"hi"}},
				{Target: "echo.fail", Response: "/2", Value: []any{"boom"}},
			}}
		body, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		rec := post(t, g, body)
		reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var targets []string
		events := map[string][]any{}
		for _, m := range reply.Messages {
			targets = append(targets, m.Target)
			if strings.HasSuffix(m.Target, "/onDebugEvents") {
				events[m.Target] = amf.Unwrap(m.Value).(*amf.Array).Dense
			}
		}
		if got := strings.Join(targets, " "); got != "/1/onResult /2/onStatus /1/onDebugEvents /2/onDebugEvents" {
			t.Fatalf("v%d: bodies %s", ver, got)
		}
		for id, outcome := range map[string]string{"/1": "onResult", "/2": "onStatus"} {
			evs := events[id+"/onDebugEvents"]
			if len(evs) != 2 {
				t.Fatalf("v%d %s: %d events", ver, id, len(evs))
			}
			trace, log := evs[0].(*amf.Object), evs[1].(*amf.Object)
			if memberString(trace, "EventType") != "trace" || memberString(trace, "Source") != "Server" ||
				memberString(trace, "ResponseURI") != id || memberString(trace, "Outcome") != outcome {
				t.Fatalf("v%d %s: trace %+v", ver, id, trace.Members)
			}
			if d, _ := trace.Get("Duration"); d == nil {
				t.Fatalf("v%d %s: no Duration", ver, id)
			}
			if _, ok := trace.Get("Time"); !ok {
				t.Fatalf("v%d %s: no Time", ver, id)
			}
			msg := memberString(log, "Message")
			if memberString(log, "EventType") != "log" || !strings.Contains(msg, id+" -> "+outcome) || !strings.Contains(logBuf.String(), msg[:strings.LastIndexByte(msg, ' ')]) {
				t.Fatalf("v%d %s: log event %q, log:\n%s", ver, id, msg, logBuf.String())
			}
		}
	}
	// Without the header, no debug bodies.
	rec := post(t, g, packet(0, "echo.echo", "hi"))
	reply, _ := amf.UnmarshalPacket(rec.Body.Bytes())
	if len(reply.Messages) != 1 {
		t.Fatalf("%d bodies without amf_server_debug", len(reply.Messages))
	}
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// TestIdleConnsMakeRoom: near the connection limit, keep-alive
// connections are closed once idle, so a new client gets in.
func TestIdleConnsMakeRoom(t *testing.T) {
	g := newTestGateway(t, Options{MaxConns: 4})
	addr := startServe(t, g)
	// Four connections opened first, then a request on each, kept alive:
	// an http.Transport (as this test had) may dial a connection that it
	// then sends no request on, which holds its slot until the server's
	// ReadHeaderTimeout (10 s), past the wait below: under load in CI
	// that happened once.
	conns := make([]net.Conn, 4)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
	}
	for _, c := range conns {
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(c, "GET /images/none.jpg HTTP/1.1\r\nHost: "+addr+"\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	// Up to 9 s, under serve's ReadHeaderTimeout (10 s) and IdleTimeout
	// (60 s): room made by either would not be what is tested. waitFor's
	// 5 s ran out once under Wine in a loaded CI run (not reproduced in
	// 8 runs alone and 3 of the package's tests).
	var code int
	start := time.Now()
	for {
		if r, err := http.Get("http://" + addr + "/images/none.jpg"); err == nil {
			r.Body.Close()
			if code = r.StatusCode; code != 503 {
				break
			}
		}
		if time.Since(start) > 9*time.Second {
			t.Fatalf("no room made for a new connection in 9 s (last status %d)", code)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if code != 404 {
		t.Fatalf("status %d", code)
	}
}

// TestLargeRequestsTakeTurns: requests that each need more than half
// the budget are answered one after the other, not held up by each
// other until they time out.
func TestLargeRequestsTakeTurns(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	srv := httptest.NewServer(g)
	defer srv.Close()
	body := packet(0, "echo.echo", &amf.ByteArray{Data: bytes.Repeat([]byte{1}, 300000)})
	start := time.Now()
	var wg sync.WaitGroup
	codes := make([]int, 4)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(body))
			if err != nil {
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			codes[i] = res.StatusCode
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("request %d: status %d", i, c)
		}
	}
	if took := time.Since(start); took > 4*time.Second {
		t.Fatalf("took %v: the requests waited for each other", took)
	}
}

// TestOneLineC1: oneLine (targets, fault texts and destinations in the
// log) folds white space and escapes every control character, the C1
// range (U+0080-U+009F, 8-bit CSI U+009B included) too.
func TestOneLineC1(t *testing.T) {
	for in, want := range map[string]string{
		"a\u009b31mred":       `a\u009b31mred`,
		"x\u0085y \n\t z":     `x\u0085y z`,
		"\u0080\u009f":        `\u0080\u009f`,
		"line1\r\nline2\x1b]": `line1 line2\x1b]`,
	} {
		if got := oneLine(in, 0); got != want {
			t.Errorf("oneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// The budget other servers charge (serve's AMF Socket frames) is the
// one requests are charged: what one takes, the other waits for.
func TestBudgetShared(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 1 << 20})
	g.lim.wait = 50 * time.Millisecond
	b := g.Budget()
	release, err := b.Reserve(context.Background(), 3<<20) // over the budget: takes it all
	if err != nil {
		t.Fatal(err)
	}
	if got := g.lim.inFlight.Load(); got != 1<<20 {
		t.Fatalf("in flight %d, want the whole budget", got)
	}
	rec := post(t, g, packet(0, "echo.echo", "hi"))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "memory budget") {
		t.Errorf("a request while the budget is taken: %d %q, want 503", rec.Code, rec.Body.String())
	}
	if _, err := b.Reserve(context.Background(), 1); err == nil {
		t.Error("a second reservation got room in a taken budget")
	}
	release()
	if got := g.lim.inFlight.Load(); got != 0 {
		t.Fatalf("in flight %d after release, want 0", got)
	}
	if rec := post(t, g, packet(0, "echo.echo", "hi")); rec.Code != 200 {
		t.Errorf("after release: %d %q", rec.Code, rec.Body.String())
	}
}

// TestMaxConnsReplyNotReset: a client over the connection limit that
// sends its request at once (head and body) gets the 503, not a reset
// connection: the gateway reads the request head, answers, and reads
// what the client still sends before it closes.
func TestMaxConnsReplyNotReset(t *testing.T) {
	g := newTestGateway(t, Options{MaxConns: 1})
	addr := startServe(t, g)
	held, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	// A body still coming takes the one slot; the 100 Continue says the
	// gateway has it.
	fmt.Fprintf(held, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
	held.SetReadDeadline(time.Now().Add(5 * time.Second))
	cont := make([]byte, len("HTTP/1.1 100 Continue\r\n\r\n"))
	if _, err := io.ReadFull(held, cont); err != nil || !strings.HasPrefix(string(cont), "HTTP/1.1 100 ") {
		t.Fatalf("held connection: %v %q", err, cont)
	}
	body := make([]byte, 256<<10)
	for i := range 5 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(body))
			c.Write(body)
		}()
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		b, err := io.ReadAll(c)
		c.Close()
		if err != nil || !strings.HasPrefix(string(b), "HTTP/1.1 503 ") {
			t.Fatalf("request %d over the limit: %v, reply %.80q; want the 503 whole", i+1, err, b)
		}
	}
}

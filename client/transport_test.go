package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// okReply is a valid reply packet: /1/onResult "hi".
func okReply(t testing.TB) []byte {
	t.Helper()
	b, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "hi"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func server(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func amfHandler(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ContentType)
		w.Write(body)
	}
}

func wantHTTPError(t *testing.T, err error, kind error, contains ...string) *HTTPError {
	t.Helper()
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("err = %v (%T), want *HTTPError", err, err)
	}
	if !errors.Is(err, kind) {
		t.Errorf("err = %v, want kind %v", err, kind)
	}
	for _, s := range contains {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	return he
}

func call(t testing.TB, url string, cfg Config) (any, error) {
	t.Helper()
	c := newClient(t, url, cfg)
	return c.Call(context.Background(), "svc.m", []any{"hi"})
}

func TestRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = call(t, "http://"+addr+"/gw", Config{})
	wantHTTPError(t, err, ErrRefused, "connection refused (http://"+addr+"/gw)", "is the gateway running?")
}

func TestSlowServerTimesOut(t *testing.T) {
	block := func(w http.ResponseWriter, r *http.Request) {
		// Reading the body lets the server notice the client going away.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	slowBody := func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", "100")
		w.Write([]byte{0, 0, 0, 0})
		w.(http.Flusher).Flush()
		block(w, r)
	}
	for name, h := range map[string]http.HandlerFunc{"headers": block, "body": slowBody} {
		t.Run(name, func(t *testing.T) {
			s := server(t, h)
			start := time.Now()
			_, err := call(t, s.URL, Config{Timeout: 300 * time.Millisecond})
			wantHTTPError(t, err, ErrTimeout, "within 300ms", "slow or stuck")
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestCloseMidReply(t *testing.T) {
	reply := okReply(t)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Length: 100\r\n\r\n")
		buf.Write(reply[:10])
		buf.Flush()
		conn.Close()
	})
	_, err := call(t, s.URL, Config{})
	wantHTTPError(t, err, ErrConnection, "closed before the reply was complete", "after 10 bytes")

	// Closed before any reply at all.
	s2 := server(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	_, err = call(t, s2.URL, Config{})
	wantHTTPError(t, err, ErrConnection)
}

func TestHTML500(t *testing.T) {
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(500)
		io.WriteString(w, "<html>\n<body><h1>500 Internal Server Error</h1>\n\n<p>Traceback\x00 here</p></body></html>")
	})
	_, err := call(t, s.URL, Config{})
	he := wantHTTPError(t, err, ErrStatus, "HTTP 500 Internal Server Error", "the gateway failed")
	want := `"<html> <body><h1>500 Internal Server Error</h1> <p>Traceback\x00 here</p></body></html>"`
	if he.Snippet != want {
		t.Errorf("snippet = %s\nwant      %s", he.Snippet, want)
	}
}

func TestWrongContentType(t *testing.T) {
	long := strings.Repeat("x", 500)
	for _, ct := range []string{"text/html", ""} {
		s := server(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{ct}
			io.WriteString(w, "<!DOCTYPE html><title>Login</title>"+long)
		})
		_, err := call(t, s.URL, Config{})
		he := wantHTTPError(t, err, ErrContentType, "reply is not application/x-amf", "<!DOCTYPE html><title>Login</title>xxx")
		if ct == "" && !strings.Contains(err.Error(), "got no Content-Type") {
			t.Errorf("err = %v", err)
		}
		if !strings.HasSuffix(he.Snippet, `x"...`) || len(he.Snippet) > 210 {
			t.Errorf("snippet %q not cut", he.Snippet)
		}
	}
	// Parameters of the media type are fine.
	reply := okReply(t)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf; charset=binary")
		w.Write(reply)
	})
	if res, err := call(t, s.URL, Config{}); err != nil || res != "hi" {
		t.Errorf("with parameters: %v %v", res, err)
	}
}

func TestTruncatedPacket(t *testing.T) {
	full := loadCapture(t, "fail").response
	s := server(t, amfHandler(full[:len(full)/2]))
	_, err := call(t, s.URL, Config{})
	var de *DecodeError
	var se *amf.SyntaxError
	if !errors.As(err, &de) || !errors.As(err, &se) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v (%T)", err, err)
	}
	if !strings.Contains(err.Error(), "at offset") || !strings.Contains(err.Error(), s.URL) {
		t.Errorf("err = %v", err)
	}
	// Bytes after a whole packet are left out with a warning
	// (TestTextAfterPacket); a packet cut short is still an error.
	s2 := server(t, amfHandler(append(okReply(t), 0xFF)))
	rec := &recorder{}
	if res, err := call(t, s2.URL, Config{Events: rec}); err != nil || res != "hi" || len(rec.warns) != 1 {
		t.Errorf("trailing byte: res %v, err %v, warnings %q", res, err, rec.warns)
	}
}

func TestEmptyReply(t *testing.T) {
	s := server(t, amfHandler(nil))
	_, err := call(t, s.URL, Config{})
	wantHTTPError(t, err, ErrEmptyBody, "no body")
}

func TestOversizedReply(t *testing.T) {
	big := bytes.Repeat([]byte{0}, 4096)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "4096")
		amfHandler(big)(w, r)
	})
	_, err := call(t, s.URL, Config{MaxResponseSize: 1024})
	wantHTTPError(t, err, ErrTooLarge, "Content-Length is 4096 bytes", "limit is 1024 bytes")

	// Without a Content-Length the limit stops the read.
	s2 := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		for range 8 {
			w.Write(big[:512])
			w.(http.Flusher).Flush()
		}
	})
	_, err = call(t, s2.URL, Config{MaxResponseSize: 1024})
	wantHTTPError(t, err, ErrTooLarge, "limit is 1024 bytes")

	// A gzip bomb is bounded after decompression.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(bytes.Repeat([]byte{0}, 4<<20))
	zw.Close()
	s3 := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(z.Bytes())
	})
	_, err = call(t, s3.URL, Config{MaxResponseSize: 1 << 20})
	wantHTTPError(t, err, ErrTooLarge, "limit is 1048576 bytes")
}

func TestLengthFields(t *testing.T) {
	for _, n := range []uint32{0, 1, 0xFFFFFFFF, 12345} {
		p := &amf.Packet{
			Headers:  []amf.Header{{Name: "X", Length: &n, Value: "h"}},
			Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Length: &n, Value: "hi"}},
		}
		b, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		s := server(t, amfHandler(b))
		res, err := call(t, s.URL, Config{})
		if err != nil || res != "hi" {
			t.Errorf("length %#x: %v, %v", n, res, err)
		}
	}
}

func TestGzipReply(t *testing.T) {
	reply := okReply(t)
	var mu sync.Mutex
	var acceptEnc []string
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		acceptEnc = append(acceptEnc, r.Header.Get("Accept-Encoding"))
		mu.Unlock()
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		zw.Write(reply)
		zw.Close()
	})
	// Go's transport asks for gzip and inflates by itself.
	if res, err := call(t, s.URL, Config{}); err != nil || res != "hi" {
		t.Errorf("transparent gzip: %v %v", res, err)
	}
	// With an explicit Accept-Encoding the client inflates itself.
	if res, err := call(t, s.URL, Config{Header: map[string][]string{"Accept-Encoding": {"gzip"}}}); err != nil || res != "hi" {
		t.Errorf("explicit gzip: %v %v", res, err)
	}
	if len(acceptEnc) != 2 || acceptEnc[0] != "gzip" || acceptEnc[1] != "gzip" {
		t.Errorf("Accept-Encoding sent: %q", acceptEnc)
	}
}

func TestRedirects(t *testing.T) {
	reply := okReply(t)
	var mu sync.Mutex
	var bodies []string
	mux := http.NewServeMux()
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, r.Method+" "+string(b[len(b)-3:]))
		mu.Unlock()
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	for _, code := range []int{301, 302, 303, 307, 308} {
		mux.HandleFunc("/r"+http.StatusText(code)[:3], func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/new", code)
		})
	}
	s := server(t, mux.ServeHTTP)
	for _, code := range []int{301, 302, 303} {
		_, err := call(t, s.URL+"/r"+http.StatusText(code)[:3], Config{})
		wantHTTPError(t, err, ErrRedirect, "redirects to "+s.URL+"/new", "POST into a GET")
	}
	for _, code := range []int{307, 308} {
		res, err := call(t, s.URL+"/r"+http.StatusText(code)[:3], Config{})
		if err != nil || res != "hi" {
			t.Errorf("%d: %v %v", code, res, err)
		}
	}
	mu.Lock()
	if len(bodies) != 2 || bodies[0] != "POST \x02hi" || bodies[1] != "POST \x02hi" {
		t.Errorf("redirected requests: %q", bodies)
	}
	mu.Unlock()
	// A streamed body is not sent twice: the 307 is an error naming where.
	c := newClient(t, s.URL+"/r"+http.StatusText(307)[:3], Config{})
	body, _ := amf.MarshalPacket(c.BuildPacket([]Call{{Target: "svc.m"}}))
	_, err := c.PostStream(context.Background(), io.MultiReader(bytes.NewReader(body)), int64(len(body)))
	wantHTTPError(t, err, ErrStatus, "HTTP 307 Temporary Redirect", "redirected to "+s.URL+"/new")
}

func TestTLS(t *testing.T) {
	s := httptest.NewUnstartedServer(amfHandler(okReply(t)))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake errors are expected
	s.StartTLS()
	defer s.Close()
	_, err := call(t, s.URL, Config{})
	wantHTTPError(t, err, ErrTLS, "certificate is not trusted")
	if res, err := call(t, s.URL, Config{Insecure: true}); err != nil || res != "hi" {
		t.Errorf("--insecure: %v %v", res, err)
	}
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Certificate().Raw})
	if res, err := call(t, s.URL, Config{CACerts: ca}); err != nil || res != "hi" {
		t.Errorf("--cacert: %v %v", res, err)
	}
	if _, err := New(s.URL, Config{CACerts: []byte("not pem")}); err == nil {
		t.Error("New accepted CA data without a certificate")
	}
	// Plain HTTP spoken to an https:// URL.
	plain := server(t, amfHandler(okReply(t)))
	_, err = call(t, strings.Replace(plain.URL, "http:", "https:", 1), Config{})
	wantHTTPError(t, err, ErrTLS, "try http://")
}

func TestBadURL(t *testing.T) {
	for _, u := range []string{"ftp://x/", "localhost:8000", "http://", "http://a b/"} {
		if _, err := New(u, Config{}); err == nil {
			t.Errorf("New(%q) accepted", u)
		}
	}
	_, err := New("http://user:secret@[::1", Config{})
	if err == nil || strings.Contains(err.Error(), "secret") && !strings.Contains(err.Error(), "invalid") {
		t.Errorf("err = %v", err)
	}
}

func TestRequestHeaders(t *testing.T) {
	var got http.Header
	var host string
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		got, host = r.Header.Clone(), r.Host
		amfHandler(okReply(t))(w, r)
	})
	_, err := call(t, s.URL, Config{
		UserAgent: "test/1",
		Referer:   "http://example.com/app.swf",
		Header:    http.Header{"X-Token": {"a", "b"}, "Host": {"gw.example"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Get("User-Agent") != "test/1" || got.Get("Referer") != "http://example.com/app.swf" ||
		strings.Join(got["X-Token"], ",") != "a,b" || host != "gw.example" {
		t.Errorf("headers %v host %q", got, host)
	}
}

// recorder is an EventHandler that keeps what it sees.
type recorder struct {
	mu      sync.Mutex
	reqs    []*RequestEvent
	resps   []*ResponseEvent
	notices []string
	warns   []string
}

func (r *recorder) OnRequest(ev *RequestEvent) {
	r.mu.Lock()
	r.reqs = append(r.reqs, ev)
	r.mu.Unlock()
}

func (r *recorder) OnResponse(ev *ResponseEvent) {
	r.mu.Lock()
	r.resps = append(r.resps, ev)
	r.mu.Unlock()
}

func (r *recorder) OnNotice(n Notice) {
	r.mu.Lock()
	r.notices = append(r.notices, n.Msg)
	if n.Warning {
		r.warns = append(r.warns, n.Msg)
	}
	r.mu.Unlock()
}

func TestEvents(t *testing.T) {
	reply := okReply(t)
	s := server(t, amfHandler(reply))
	rec := &recorder{}
	if _, err := call(t, s.URL, Config{Events: rec}); err != nil {
		t.Fatal(err)
	}
	if len(rec.reqs) != 1 || len(rec.resps) != 1 {
		t.Fatalf("%d requests, %d responses", len(rec.reqs), len(rec.resps))
	}
	rq, rp := rec.reqs[0], rec.resps[0]
	want, _ := amf.MarshalPacket(rq.Packet)
	if !bytes.Equal(rq.Body, want) || rq.HTTP.Method != "POST" {
		t.Errorf("request event %+v", rq)
	}
	if rp.HTTP.StatusCode != 200 || !bytes.Equal(rp.Body, reply) || rp.Packet == nil || rp.Err != nil {
		t.Errorf("response event %+v", rp)
	}
	if rp.SentHeader.Get("Content-Length") != strconv.Itoa(len(want)) || rp.SentHeader.Get("Host") == "" {
		t.Errorf("sent header %v", rp.SentHeader)
	}
	tm := rp.Timings
	if tm.Connect <= 0 || tm.FirstByte < tm.Connect || tm.Total < tm.FirstByte {
		t.Errorf("timings %+v", tm)
	}

	// A failure still gives a response event with what came back.
	s2 := server(t, func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", 404) })
	rec = &recorder{}
	_, err := call(t, s2.URL, Config{Events: rec})
	wantHTTPError(t, err, ErrStatus, "HTTP 404 Not Found", "check the gateway URL's path")
	if len(rec.resps) != 1 || rec.resps[0].Err == nil || string(rec.resps[0].Body) != "nope\n" {
		t.Errorf("response event on failure: %+v", rec.resps)
	}
}

func TestPostStream(t *testing.T) {
	reply := okReply(t)
	var gotLen int64
	var gotTE []string
	var gotBody []byte
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		gotLen, gotTE = r.ContentLength, r.TransferEncoding
		gotBody, _ = io.ReadAll(r.Body)
		amfHandler(reply)(w, r)
	})
	c := newClient(t, s.URL, Config{})
	c.SetHeader("H", false, 1.0)
	body, err := amf.MarshalPacket(c.BuildPacket([]Call{{Target: "svc.m", Args: []any{"x"}}}))
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{int64(len(body)), -1} {
		// io.MultiReader hides the bytes.Reader: nothing knows the size
		// but the caller.
		p, err := c.PostStream(context.Background(), io.MultiReader(bytes.NewReader(body)), size)
		if err != nil {
			t.Fatal(err)
		}
		if gotLen != size || !bytes.Equal(gotBody, body) {
			t.Errorf("size %d: server saw Content-Length %d, TE %q, %d bytes", size, gotLen, gotTE, len(gotBody))
		}
		if size < 0 && (len(gotTE) != 1 || gotTE[0] != "chunked") {
			t.Errorf("unknown size sent with TE %q", gotTE)
		}
		res, err := ResultOf(p, "svc.m", "/1")
		if err != nil || res != "hi" {
			t.Errorf("ResultOf = %v, %v", res, err)
		}
		_, err = ResultOf(p, "svc.m", "/2")
		wantHTTPError(t, err, ErrNoReply, "svc.m (/2)")
	}
}

func TestBatchMatching(t *testing.T) {
	// The gateway answers out of order, skips /2 and adds a body for no
	// call.
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(b)
		if err != nil || len(req.Messages) != 3 {
			http.Error(w, "bad", 400)
			return
		}
		p := &amf.Packet{Messages: []amf.Message{
			{Target: "/99/onResult", Response: "null", Value: "stray"},
			{Target: "/3/onStatus", Response: "null", Value: "plain string fault"},
			{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: amf.Int(1)}},
			{Target: "/1/onResult", Response: "null", Value: "again"},
			{Target: "/1/onDebugEvents", Response: "null", Value: nil},
		}}
		out, _ := amf.MarshalPacket(p)
		w.Header().Set("Content-Type", ContentType)
		w.Write(out)
	})
	rec := &recorder{}
	c := newClient(t, s.URL, Config{Events: rec})
	rs, err := c.Batch(context.Background(), []Call{{Target: "a.one"}, {Target: "a.two"}, {Target: "a.three"}})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Err != nil || rs[0].Value != amf.Int(1) {
		t.Errorf("result 1 = %+v", rs[0])
	}
	wantHTTPError(t, rs[1].Err, ErrNoReply, "a.two (/2)")
	f := wantFault(t, rs[2].Err, "", "plain string fault")
	if f.Error() != "fault: plain string fault" {
		t.Errorf("fault message %q", f.Error())
	}
	if len(rec.warns) != 2 {
		t.Errorf("warnings %q", rec.warns)
	}
	joined := strings.Join(rec.notices, "\n")
	for _, want := range []string{`"/99/onResult" that answers no call`, "answers a.one (/1) more than once", "debug events for a.one"} {
		if !strings.Contains(joined, want) {
			t.Errorf("notices %q lack %q", joined, want)
		}
	}
	if _, err := c.Batch(context.Background(), nil); err == nil {
		t.Error("empty batch accepted")
	}
}

// TestStatusLineEscaped: the reason phrase of a hostile gateway's status
// line reaches the error message with its control characters escaped.
func TestStatusLineEscaped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		buf := make([]byte, 4096)
		c.Read(buf)
		c.Write([]byte("HTTP/1.1 500 Bad \x1b[2J\u009b31m stuff\r\nContent-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"))
	}()
	cl, err := New("http://"+ln.Addr().String()+"/", Config{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.Call(context.Background(), "echo.echo", []any{1.0})
	if err == nil || !strings.Contains(err.Error(), `HTTP 500 Bad \x1b[2J\u009b31m stuff`) {
		t.Fatalf("error %q, want the status line with its escapes written out", err)
	}
}

// noticeRecorder keeps the notices of a client.
type noticeRecorder struct {
	TraceHandler
	notices []Notice
}

func (n *noticeRecorder) OnNotice(x Notice) { n.notices = append(n.notices, x) }

// TestAMFWithWrongContentType: an AMF packet sent as text/html (a PHP
// gateway that printed a notice first, a misconfigured server) is read,
// with a warning; a body that is not a packet is still refused.
func TestAMFWithWrongContentType(t *testing.T) {
	reply := okReply(t)
	s := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		if r.URL.Path == "/broken" {
			w.Write(reply[:len(reply)-3]) // starts as a packet, does not decode
			return
		}
		w.Write(reply)
	})
	rec := &noticeRecorder{}
	res, err := call(t, s.URL, Config{Events: rec})
	if err != nil || res != "hi" {
		t.Fatalf("res %v, err %v", res, err)
	}
	if len(rec.notices) != 1 || !rec.notices[0].Warning ||
		rec.notices[0].Msg != "the reply's Content-Type is text/html; charset=UTF-8, not application/x-amf; its body is an AMF packet and is read as one" {
		t.Errorf("notices %+v", rec.notices)
	}
	_, err = call(t, s.URL+"/broken", Config{})
	wantHTTPError(t, err, ErrContentType, "reply is not application/x-amf", `"\x00\x00`)
}

// TestTextBeforePacket: a PHP gateway that prints a notice, a byte order
// mark or white space before its packet is read, with a warning that
// shows the skipped text on one line, escaped; -v shows it whole. Text
// that is not followed by a packet, or too much of it, is still refused.
func TestTextBeforePacket(t *testing.T) {
	reply := okReply(t)
	notice := "<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/amfphp/services/Svc.php</b> on line <b>12</b><br />\n"
	long := "Deprecated: " + strings.Repeat("y", 200) + "\n"
	hostile := "\x1b[2J\x1b]0;pwned\x07Warning: \u202e here\n"
	cases := []struct {
		name, ct, prefix string
		warn             string
	}{
		{"notice", ContentType, notice,
			`the reply has 109 bytes before its AMF packet, skipped: "<br />\x0a<b>Notice</b>:  Undefined index: x in <b>/var/www/amfphp/services/Svc.php</b> on line <b>12</b><br />\x0a"`},
		{"notice as html", "text/html; charset=UTF-8", notice,
			`the reply has 109 bytes before its AMF packet, skipped: "<br />\x0a<b>Notice</b>:  Undefined index: x in <b>/var/www/amfphp/services/Svc.php</b> on line <b>12</b><br />\x0a"`},
		{"bom", ContentType, "\ufeff", `the reply has 3 bytes before its AMF packet, skipped: "\ufeff"`},
		{"white space", ContentType, "\r\n\n", `the reply has 3 bytes before its AMF packet, skipped: "\x0d\x0a\x0a"`},
		{"long", ContentType, long, `the reply has 213 bytes before its AMF packet, skipped: "Deprecated: ` + strings.Repeat("y", 148) + `..."`},
		{"terminal escapes", ContentType, hostile,
			`the reply has 32 bytes before its AMF packet, skipped: "\x1b[2J\x1b]0;pwned\x07Warning: \u202e here\x0a"`},
		// A zero byte in the text: the first place that looks like a
		// packet does not decode to the end; the real one does.
		{"zero bytes", ContentType, "a\x00\x03\x00\x00b\x00\x00\x00\x01", `the reply has 10 bytes before its AMF packet, skipped: "a\x00\x03\x00\x00b\x00\x00\x00\x01"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := append([]byte(tc.prefix), reply...)
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", tc.ct)
				w.Write(body)
			})
			rec := &recorder{}
			res, err := call(t, s.URL, Config{Events: rec})
			if err != nil || res != "hi" {
				t.Fatalf("res %v, err %v", res, err)
			}
			if n := len(rec.warns); n == 0 || rec.warns[n-1] != tc.warn {
				t.Errorf("warnings %q\nwant last %q", rec.warns, tc.warn)
			}
			if ev := rec.resps[0]; ev.Skipped != len(tc.prefix) || !bytes.Equal(ev.Body, body) {
				t.Errorf("event: Skipped %d, Body %q", ev.Skipped, ev.Body)
			}
			// -v shows the text whole, escaped, and the packet after it.
			var out bytes.Buffer
			tr := &TraceHandler{Out: &out, VerbosityLevel: 1, Warn: func(Notice) {}}
			if _, err := call(t, s.URL, Config{Events: tr}); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("* the reply's first %d bytes are not AMF and were skipped: %s\n* reply packet (%d bytes, after the %d skipped):",
				len(tc.prefix), SkippedText([]byte(tc.prefix)), len(reply), len(tc.prefix))
			if !strings.Contains(out.String(), want) {
				t.Errorf("trace:\n%s\nwant it to contain\n%s", out.String(), want)
			}
			if strings.ContainsAny(out.String(), "\x1b\x07\u202e") {
				t.Errorf("trace has raw terminal controls: %q", out.String())
			}
		})
	}

	refused := []struct {
		name, ct string
		body     []byte
		kind     error
	}{
		// No packet after the text.
		{"text only", ContentType, []byte(notice), nil},
		{"text only as html", "text/html", []byte(notice), ErrContentType},
		// A packet that does not decode to the end after the text.
		{"cut packet", ContentType, append([]byte(notice), reply[:len(reply)-1]...), nil},
		// More than 64 KiB of text: not searched that far.
		{"too far", ContentType, append([]byte(strings.Repeat("z", amf.MaxPacketPrefix+1)), reply...), nil},
		{"too far as html", "text/html", append([]byte(strings.Repeat("z", amf.MaxPacketPrefix+1)), reply...), ErrContentType},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", tc.ct)
				w.Write(tc.body)
			})
			rec := &recorder{}
			_, err := call(t, s.URL, Config{Events: rec})
			if tc.kind != nil {
				wantHTTPError(t, err, tc.kind)
			} else if de, ce := (*DecodeError)(nil), (*CutAfterTextError)(nil); tc.name == "cut packet" && (!errors.As(err, &de) || !errors.As(err, &ce) || len(ce.Text) != len(notice)) {
				t.Errorf("err = %v (%T), want a DecodeError of a packet cut short after the notice", err, err)
			} else if tc.name != "cut packet" && (!errors.As(err, &de) || !strings.Contains(err.Error(), "at offset 0")) {
				t.Errorf("err = %v (%T), want a DecodeError at offset 0", err, err)
			}
			if len(rec.warns) != 0 {
				t.Errorf("warnings %q", rec.warns)
			}
		})
	}
}

// TestTextAfterPacket: a PHP script that ends in "?>\n", or prints a
// notice at shutdown, sends bytes after a whole packet. The packet is
// read, with a warning quoting the bytes left out; --save-response
// still gets the body whole.
func TestTextAfterPacket(t *testing.T) {
	reply := okReply(t)
	for _, tc := range []struct{ name, tail, warn string }{
		{"newline", "\n", fmt.Sprintf(`the reply has 1 byte after its AMF packet (which ends at byte %d), ignored: "\x0a"`, len(reply))},
		{"notice", "\x1b[2JNotice: shutdown\n", fmt.Sprintf(`the reply has 21 bytes after its AMF packet (which ends at byte %d), ignored: "\x1b[2JNotice: shutdown\x0a"`, len(reply))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := append(append([]byte{}, reply...), tc.tail...)
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", ContentType)
				w.Write(body)
			})
			rec := &recorder{}
			cl, err := New(s.URL, Config{Events: rec})
			if err != nil {
				t.Fatal(err)
			}
			res, err := cl.Call(context.Background(), "svc.m", nil)
			if err != nil || res != "hi" {
				t.Fatalf("res %v, err %v", res, err)
			}
			if len(rec.warns) != 1 || rec.warns[0] != tc.warn {
				t.Errorf("warnings %q\nwant %q", rec.warns, tc.warn)
			}
			if ev := rec.resps[0]; !bytes.Equal(ev.Body, body) {
				t.Errorf("event body %q", ev.Body)
			}
		})
	}
}

// Each status gets the hint that fits it: a 403 is not a request for
// HTTP authentication, and a 501 or 503 is not the gateway failing.
func TestStatusHints(t *testing.T) {
	for _, tc := range []struct {
		code  int
		retry string
		hint  string
	}{
		{401, "", "the server wants HTTP authentication"},
		{403, "", "the server refuses this request: the credentials given may lack access, or the URL is not the gateway's"},
		{500, "", "the gateway failed; its reply or its log may say why"},
		{501, "", "the server does not take this request (a POST of application/x-amf); check that the URL is the AMF gateway"},
		{502, "", "the gateway, or a proxy in front of it, is down or busy; try again later"},
		{503, "5\u202e", `the gateway, or a proxy in front of it, is down or busy; try again later (it says: Retry-After 5\u202e)`},
	} {
		s := server(t, func(w http.ResponseWriter, r *http.Request) {
			if tc.retry != "" {
				w.Header()["Retry-After"] = []string{tc.retry}
			}
			w.WriteHeader(tc.code)
		})
		_, err := call(t, s.URL, Config{})
		if he := wantHTTPError(t, err, ErrStatus); !strings.HasPrefix(he.Hint, tc.hint) {
			t.Errorf("HTTP %d: hint %q, want %q", tc.code, he.Hint, tc.hint)
		}
	}
}

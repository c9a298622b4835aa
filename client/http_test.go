package client

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hostLog records what a server got: the header fields asked for and
// whether the body held the password.
type hostLog struct {
	mu       sync.Mutex
	requests []string
}

func (s *hostLog) add(r *http.Request, fields ...string) {
	b, _ := io.ReadAll(r.Body)
	line := r.Host
	for _, f := range fields {
		line += " " + f + "=" + r.Header.Get(f)
	}
	if bytes.Contains(b, []byte("wonderland")) {
		line += " password"
	}
	s.mu.Lock()
	s.requests = append(s.requests, line)
	s.mu.Unlock()
}

func (s *hostLog) get() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// TestRedirectAcrossHosts: a 307 to another host (another port on
// loopback is another origin) gets neither the Credentials header in the
// body nor the -H fields, unless LocationTrusted; the same host gets all.
func TestRedirectAcrossHosts(t *testing.T) {
	t.Parallel()
	reply := okReply(t)
	var other hostLog
	otherSrv := server(t, func(w http.ResponseWriter, r *http.Request) {
		other.add(r, "X-Api-Key", "Authorization", "Cookie")
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	var first hostLog
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		first.add(r, "X-Api-Key")
		if r.URL.Path == "/same" {
			w.Header().Set("Content-Type", ContentType)
			w.Write(reply)
			return
		}
		if r.URL.Path == "/here" {
			http.Redirect(w, r, "/same", http.StatusTemporaryRedirect)
			return
		}
		http.Redirect(w, r, otherSrv.URL+"/gw", http.StatusPermanentRedirect)
	})
	hdr := http.Header{"X-Api-Key": {"k1"}, "Authorization": {"Bearer t"}, "Cookie": {"a=b"}}
	var notes []string
	ev := redirectNotices(func(n Notice) { notes = append(notes, n.Msg) })

	c := newClient(t, gw.URL+"/away", Config{Header: hdr, Events: ev})
	c.SetCredentials("alice", "wonderland")
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(otherSrv.URL, "http://")
	if got := other.get(); len(got) != 1 || got[0] != host+" X-Api-Key= Authorization= Cookie=" {
		t.Errorf("the other host got %q, want no key, no Authorization, no cookie, no password", got)
	}
	if got := first.get(); len(got) != 1 || !strings.HasSuffix(got[0], "X-Api-Key=k1 password") {
		t.Errorf("the gateway got %q", got)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "not sending Authorization, Cookie, X-Api-Key, the AMF Credentials header there") {
		t.Errorf("notices: %q", notes)
	}

	// --location-trusted: all of it goes along.
	other = hostLog{}
	c = newClient(t, gw.URL+"/away", Config{Header: hdr, LocationTrusted: true})
	c.SetCredentials("alice", "wonderland")
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if got := other.get(); len(got) != 1 || got[0] != host+" X-Api-Key=k1 Authorization=Bearer t Cookie=a=b password" {
		t.Errorf("trusted: the other host got %q", got)
	}

	// The same host: everything is sent again.
	first = hostLog{}
	c = newClient(t, gw.URL+"/here", Config{Header: hdr})
	c.SetCredentials("alice", "wonderland")
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if got := first.get(); len(got) != 2 || !strings.HasSuffix(got[1], "X-Api-Key=k1 password") {
		t.Errorf("same host: %q", got)
	}
}

type redirectNotices func(Notice)

func (f redirectNotices) OnRequest(*RequestEvent)   {}
func (f redirectNotices) OnResponse(*ResponseEvent) {}
func (f redirectNotices) OnNotice(n Notice)         { f(n) }

// TestRedirectHTTPSToHTTP: never followed, for the gateway and for
// downloads alike.
func TestRedirectHTTPSToHTTP(t *testing.T) {
	t.Parallel()
	var plainHits int
	plain := server(t, func(w http.ResponseWriter, r *http.Request) { plainHits++ })
	s := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/gw", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(s.Close)
	_, err := call(t, s.URL, Config{Insecure: true})
	wantHTTPError(t, err, ErrRedirect, "refusing to follow a redirect from https to "+plain.URL+"/gw")
	hc, err := NewHTTPClient(Config{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = hc.Get(s.URL + "/img.jpg")
	if err == nil || !strings.Contains(err.Error(), "refusing to follow a redirect from https") {
		t.Errorf("download: %v", err)
	}
	if plainHits != 0 {
		t.Errorf("the http server was reached %d times", plainHits)
	}
}

// TestIdleTimeout: a server that takes the request and never answers
// fails after the idle timeout even with no overall timeout; one that
// keeps sending bytes slowly does not.
func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				io.Copy(io.Discard, conn) // read forever, answer never
			}()
		}
	}()
	start := time.Now()
	_, err = call(t, "http://"+ln.Addr().String()+"/", Config{Timeout: -1, IdleTimeout: 150 * time.Millisecond})
	he := wantHTTPError(t, err, ErrTimeout, "no bytes moved for 150ms")
	var idle *IdleTimeoutError
	if he == nil || !errorsAs(err, &idle) || idle.Idle != 150*time.Millisecond {
		t.Errorf("not an *IdleTimeoutError: %#v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}

	reply := okReply(t)
	slow := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Header().Set("Content-Length", itoa(len(reply)))
		// Ten pieces, 150ms apart: 1.5s in all, longer than the idle
		// timeout, but bytes keep moving (with room for a loaded machine).
		for i := range 10 {
			time.Sleep(150 * time.Millisecond)
			w.Write(reply[i*len(reply)/10 : (i+1)*len(reply)/10])
			w.(http.Flusher).Flush()
		}
	})
	if res, err := call(t, slow.URL, Config{Timeout: -1, IdleTimeout: time.Second}); err != nil || res != "hi" {
		t.Errorf("a slow but moving reply: %v, %v", res, err)
	}
}

func errorsAs(err error, target any) bool { return errors.As(err, target) }

func itoa(n int) string { return strconv.Itoa(n) }

// TestIdleConnBothWays: the idle timeout counts bytes moving either way.
// The transport reads for the reply while a long body is still being
// written; that read must not time out while the writes move bytes (an
// upload longer than the idle timeout failed, "no bytes moved"). That it
// times out once nothing moves is TestIdleTimeout's.
func TestIdleConnBothWays(t *testing.T) {
	t.Parallel()
	local, peer := net.Pipe() // unbuffered: each write waits for the peer
	defer local.Close()
	const idle = 2 * time.Second
	c := &idleConn{Conn: local, idle: idle}
	const chunks = 300 // 10 ms each: the writes last longer than idle
	var writesDone atomic.Bool
	go func() { // the peer reads slowly, and never answers
		buf := make([]byte, 1024)
		for range chunks {
			time.Sleep(10 * time.Millisecond)
			if _, err := io.ReadFull(peer, buf); err != nil {
				return
			}
		}
	}()
	type result struct {
		early bool
		err   error
	}
	read := make(chan result, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		read <- result{!writesDone.Load(), err}
	}()
	for i := range chunks {
		if _, err := c.Write(make([]byte, 1024)); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	writesDone.Store(true)
	peer.Close() // the reply never comes: the read ends
	r := <-read
	var timeout *IdleTimeoutError
	if r.early || errors.As(r.err, &timeout) {
		t.Fatalf("the read failed while the writes were moving bytes (early %v): %v", r.early, r.err)
	}
}

// TestRedirectRefererAcrossHosts: Go's client names the first URL in a
// Referer header when it follows a redirect; to another host (127.0.0.1
// and localhost are two) none is sent, unless the user set one (that
// one is sent) or LocationTrusted.
func TestRedirectRefererAcrossHosts(t *testing.T) {
	t.Parallel()
	reply := okReply(t)
	var other hostLog
	otherSrv := server(t, func(w http.ResponseWriter, r *http.Request) {
		other.add(r, "Referer")
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(otherSrv.URL, "http://"))
	to := "http://localhost:" + port + "/gw"
	var first hostLog
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		first.add(r, "Referer")
		http.Redirect(w, r, to, http.StatusTemporaryRedirect)
	})
	from := gw.URL + "/away?token=s3cret"
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no --referer", Config{}, ""},
		{"--referer", Config{Referer: "http://swf.example/app.swf"}, "http://swf.example/app.swf"},
		{"--location-trusted", Config{LocationTrusted: true}, from},
	} {
		other, first = hostLog{}, hostLog{}
		c := newClient(t, from, tc.cfg)
		if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := other.get(); len(got) != 1 || got[0] != "localhost:"+port+" Referer="+tc.want {
			t.Errorf("%s: the other host got %q, want Referer=%q", tc.name, got, tc.want)
		}
		if got := first.get(); len(got) != 1 || got[0] != strings.TrimPrefix(gw.URL, "http://")+" Referer="+tc.cfg.Referer {
			t.Errorf("%s: the gateway got %q", tc.name, got)
		}
	}
}

// TestDownloadRedirectReferer: the download client (NewHTTPClient) sends
// no Referer naming the first URL to another host either.
func TestDownloadRedirectReferer(t *testing.T) {
	t.Parallel()
	var other hostLog
	otherSrv := server(t, func(w http.ResponseWriter, r *http.Request) {
		other.add(r, "Referer")
		io.WriteString(w, "image")
	})
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(otherSrv.URL, "http://"))
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://localhost:"+port+"/img.jpg", http.StatusFound)
	})
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, ""},
		{Config{Referer: "http://swf.example/app.swf"}, "http://swf.example/app.swf"},
		{Config{LocationTrusted: true}, gw.URL + "/images/a.jpg?token=s3cret"},
	} {
		other = hostLog{}
		hc, err := NewHTTPClient(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		res, err := hc.Get(gw.URL + "/images/a.jpg?token=s3cret")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := other.get(); len(got) != 1 || got[0] != "localhost:"+port+" Referer="+tc.want {
			t.Errorf("the other host got %q, want Referer=%q", got, tc.want)
		}
	}
}

// TestRedirectAcrossHostsURLUserinfo: the user and password of the
// gateway URL were dropped on a redirect to another host without a word,
// where -u, -H and cookies are said (review P5).
func TestRedirectAcrossHostsURLUserinfo(t *testing.T) {
	t.Parallel()
	reply := okReply(t)
	var other hostLog
	otherSrv := server(t, func(w http.ResponseWriter, r *http.Request) {
		other.add(r, "Authorization")
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherSrv.URL+"/gw", http.StatusTemporaryRedirect)
	})
	var notes []string
	ev := redirectNotices(func(n Notice) { notes = append(notes, n.Msg) })
	c := newClient(t, strings.Replace(gw.URL, "http://", "http://bob:URLPW@", 1)+"/away", Config{Events: ev})
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(otherSrv.URL, "http://")
	if got := other.get(); len(got) != 1 || got[0] != host+" Authorization=" {
		t.Errorf("the other host got %q", got)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "(http://"+host+"/gw): not sending the user and password of the URL there") || strings.Contains(notes[0], "URLPW") {
		t.Errorf("notices: %q", notes)
	}
}

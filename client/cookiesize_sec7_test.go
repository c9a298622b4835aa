package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// A gateway sets a new cookie of 1 MB on each reply, besides its session
// cookie. The client kept each, and sent them all with every later
// request: the fifth request's Cookie header was 4 MB, and a load test's
// requests grew by 1 MB each. (A reply's header fields are now bounded
// at MaxHeaderBytes, 256 KiB: the test's cookies are 200 KB.) Cookies over MaxCookieSize are now
// ignored, with one warning; the session cookie is still kept and sent.
func TestLargeCookiesIgnored(t *testing.T) {
	var (
		mu      sync.Mutex
		cookies []string
	)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := readAMFRequest(w, r)
		if req == nil {
			return
		}
		mu.Lock()
		cookies = append(cookies, r.Header.Get("Cookie"))
		n := len(cookies)
		mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1", Path: "/"})
		w.Header().Add("Set-Cookie", fmt.Sprintf("big%d=%s; Path=/", n, strings.Repeat("v", 200<<10)))
		writeReply(w, ContentType, resultsFor(req, "ok"))
	})
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	for i := range 5 {
		if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if len(cookies) != 5 {
		t.Fatalf("the gateway got %d requests, want 5", len(cookies))
	}
	for i, ck := range cookies[1:] {
		if len(ck) > MaxCookieSize || ck != "sid=s1" {
			t.Errorf("request %d sent a Cookie header of %d bytes (%.40q...), want sid=s1", i+2, len(ck), ck)
		}
	}
	warned := 0
	for _, w := range rec.warns {
		if strings.Contains(w, "ignored 1 cookie the gateway set") && strings.Contains(w, `"big`) && strings.Contains(w, fmt.Sprint(MaxCookieSize)) {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings of a cookie ignored for its size, want one:\n%s", warned, strings.Join(rec.warns, "\n"))
	}
}

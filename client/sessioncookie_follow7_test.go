package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A session file written before MaxCookieSize (or edited) holds a cookie
// of 1 MB. Loading it put the cookie in the jar as it was, so every
// request sent it; it is now left out, with one warning, and the other
// cookies of the file are still sent.
func TestSessionLargeCookieLeftOut(t *testing.T) {
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
		mu.Unlock()
		writeReply(w, ContentType, resultsFor(req, "ok"))
	})
	sf := sessionFile{
		Version: sessionVersion,
		Gateway: srv.URL + "/gw",
		Cookies: []savedCookie{
			{URL: srv.URL + "/gw", Name: "sid", Value: "s1", Path: "/"},
			{URL: srv.URL + "/gw", Name: "big", Value: strings.Repeat("v", 1<<20), Path: "/"},
			{URL: srv.URL + "/gw", Name: "edge", Value: strings.Repeat("e", MaxCookieSize-4), Path: "/"},
		},
	}
	data, err := json.Marshal(sf)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec})
	if err := c.LoadSession(data); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if len(cookies) != 1 {
		t.Fatalf("%d requests, want 1", len(cookies))
	}
	want := "sid=s1; edge=" + strings.Repeat("e", MaxCookieSize-4)
	if cookies[0] != want {
		t.Errorf("the request's Cookie header is %d bytes (%.40q...), want sid and edge only (%d bytes)", len(cookies[0]), cookies[0], len(want))
	}
	warned := 0
	for _, w := range rec.warns {
		if strings.Contains(w, "session file holds 1 cookies over") && strings.Contains(w, `"big"`) && strings.Contains(w, fmt.Sprint(MaxCookieSize)) {
			warned++
		}
	}
	if warned != 1 {
		t.Errorf("%d warnings of a session cookie left out, want one:\n%s", warned, strings.Join(rec.warns, "\n"))
	}
}

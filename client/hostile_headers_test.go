package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// manyHeaders is a RequestPersistentHeader value in PyAMF's map form
// naming n headers: more than a packet holds when n > 65,535.
func manyHeaders(n int, value any) *amf.Object {
	o := &amf.Object{Members: make([]amf.Member, n)}
	for i := range o.Members {
		o.Members[i] = amf.Member{Name: fmt.Sprintf("h%06d", i), Value: value}
	}
	return o
}

// A hostile gateway asks for 70,000 headers to be sent with every
// request. Before, each was looked up among the others (70,000 of them
// took about 20 s, 80,000 in a 720 KB reply 26 s), -v printed a line for
// each, and the next request failed to encode (more than 65,535
// headers), as did every request of a session saved from it. Now the
// first MaxServerHeaders are kept, one warning says how many were not,
// and the calls after it go on.
func TestPersistentHeadersBounded(t *testing.T) {
	const n = 70000
	ss := &scriptedServer{replies: [][]amf.Header{
		{{Name: "RequestPersistentHeader", Value: manyHeaders(n, true)}},
		// then a hostile gateway toggles them: set, removed, set...
		{
			{Name: "RequestPersistentHeader", Value: manyHeaders(n, nil)},
			{Name: "RequestPersistentHeader", Value: manyHeaders(n, "again")},
		},
	}}
	srv := server(t, ss.ServeHTTP)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	c.SetHeader("Mine", false, "m")
	ctx := context.Background()
	for i := range 3 {
		if _, err := c.Call(ctx, "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if len(ss.got) != 3 {
		t.Fatalf("the gateway got %d requests, want 3", len(ss.got))
	}
	for i, want := range []int{1, 1 + MaxServerHeaders, 1 + MaxServerHeaders} {
		if got := len(ss.got[i].headers); got != want {
			t.Errorf("request %d has %d headers, want %d", i+1, got, want)
		}
	}
	if v := headerValue(ss.got[2].headers, "h000063"); v != "again" {
		t.Errorf("h000063 = %#v, want \"again\"", v)
	}
	if v := headerValue(ss.got[2].headers, "h000064"); v != "<absent>" {
		t.Errorf("h000064 = %#v, want it absent", v)
	}
	warned := 0
	for _, w := range rec.warns {
		if strings.Contains(w, "ignored") && strings.Contains(w, "RequestPersistentHeader") {
			warned++
			if !strings.Contains(w, fmt.Sprint(n-MaxServerHeaders)) || !strings.Contains(w, `"h000064"`) {
				t.Errorf("warning %q: want the count %d and the first name ignored", w, n-MaxServerHeaders)
			}
		}
	}
	if warned != 2 { // one for each reply that asked for too many
		t.Errorf("%d warnings of ignored headers, want 2:\n%s", warned, strings.Join(rec.warns, "\n"))
	}
	// 3 × 70,000 changes asked for: a bounded number of lines.
	if len(rec.notices) > 3*(MaxServerHeaders+2)+10 {
		t.Errorf("%d notices for the gateway's headers; want at most %d a reply", len(rec.notices), MaxServerHeaders+2)
	}

	// The session saved from it holds what is sent, and loads as it was.
	data, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	c2 := newClient(t, srv.URL+"/gw", Config{})
	if err := c2.LoadSession(data); err != nil {
		t.Fatal(err)
	}
	if got := len(c2.Headers()); got != MaxServerHeaders {
		t.Errorf("the loaded session sends %d headers, want %d", got, MaxServerHeaders)
	}
}

// A session file holding more headers than MaxServerHeaders (saved by an
// older amfcall from such a gateway, or edited) loads the first of them,
// with a warning, and its next request encodes: before, 70,000 headers
// took about 30 s to load, then every call failed with "more than 65535
// headers or messages" (exit 4) until the file was deleted.
func TestLoadSessionManyHeaders(t *testing.T) {
	const n = 70000
	ss := &scriptedServer{}
	srv := server(t, ss.ServeHTTP)
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"version":%d,"gateway":%q,"headers":[`, sessionVersion, srv.URL+"/gw")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"h%06d","mustUnderstand":false,"value":true}`, i)
	}
	b.WriteString(`],"cookies":[]}`)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	if err := c.LoadSession(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatalf("call with the loaded session: %v", err)
	}
	if len(ss.got) != 1 || len(ss.got[0].headers) != MaxServerHeaders {
		t.Fatalf("the gateway got %d requests; want 1 with %d headers", len(ss.got), MaxServerHeaders)
	}
	if w := strings.Join(rec.warns, "\n"); !strings.Contains(w, fmt.Sprintf("holds %d headers", n)) || !strings.Contains(w, fmt.Sprintf("%d are left out", n-MaxServerHeaders)) {
		t.Errorf("warnings %q: want the count of headers left out", w)
	}
}

// cookieFlood answers each request with /N/onResult "ok" and perReply new
// cookies (net/http reads at most 3,000 of one reply), after a first
// reply that sets "keep"; it keeps the Cookie header of each request.
type cookieFlood struct {
	perReply int
	n        int
	got      []string
}

func (f *cookieFlood) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, _ := readAMFRequest(w, r)
	if req == nil {
		return
	}
	f.got = append(f.got, r.Header.Get("Cookie"))
	if len(f.got) == 1 {
		w.Header().Add("Set-Cookie", "keep=1; Path=/")
	} else {
		w.Header().Add("Set-Cookie", fmt.Sprintf("keep=%d; Path=/", len(f.got)))
		for range f.perReply {
			f.n++
			w.Header().Add("Set-Cookie", fmt.Sprintf("c%07d=1; Path=/", f.n))
		}
	}
	writeReply(w, ContentType, resultsFor(req, "ok"))
}

// A hostile gateway sets 2,900 new cookies on each reply. Before, each
// was compared with every cookie kept (parsing a URL each time): 5,800
// kept took about 10 s to load from a --session file, the count grew
// with each reply without end, and every request carried them all. Now
// the client keeps MaxCookies, says how many it ignored, and a cookie
// it keeps is still replaced.
func TestCookiesBounded(t *testing.T) {
	f := &cookieFlood{perReply: 2900}
	srv := server(t, f.ServeHTTP)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	ctx := context.Background()
	for i := range 5 {
		if _, err := c.Call(ctx, "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	sent := strings.Count(f.got[4], "=")
	if sent != MaxCookies {
		t.Errorf("request 5 sent %d cookies, want %d", sent, MaxCookies)
	}
	if !strings.Contains(f.got[4], "keep=4") {
		t.Errorf("request 5 lacks keep=4 (a cookie kept is replaced)")
	}
	warns := strings.Join(rec.warns, "\n")
	// replies 2-5 set 4 × 2,900 + 1 cookies kept: 1 + 2,999 new ones fit.
	for _, want := range []string{
		fmt.Sprintf("ignored %d cookies the gateway set, the first \"c%07d\"", 2*2900-(MaxCookies-1), MaxCookies),
		fmt.Sprintf("ignored 2900 cookies the gateway set, the first \"c%07d\"", 2*2900+1),
	} {
		if !strings.Contains(warns, want) {
			t.Errorf("warnings lack %q:\n%s", want, warns)
		}
	}
	data, err := c.SaveSession()
	if err != nil {
		t.Fatal(err)
	}
	var sf sessionFile
	if err := json.Unmarshal(data, &sf); err != nil {
		t.Fatal(err)
	}
	if len(sf.Cookies) != MaxCookies {
		t.Fatalf("the session holds %d cookies, want %d", len(sf.Cookies), MaxCookies)
	}
	if last := sf.Cookies[len(sf.Cookies)-1]; last.Name != "keep" || last.Value != "5" {
		t.Errorf("the last cookie set is %s=%s, want keep=5", last.Name, last.Value)
	}

	// A session file of more (an older amfcall's) loads MaxCookies.
	extra := make([]savedCookie, 2*MaxCookies)
	for i := range extra {
		extra[i] = savedCookie{URL: srv.URL + "/", Name: fmt.Sprintf("s%05d", i), Value: "1", Path: "/"}
	}
	sf.Cookies = extra
	big, _ := json.Marshal(sf)
	rec2 := &recorder{}
	c2 := newClient(t, srv.URL+"/gw", Config{Events: rec2})
	if err := c2.LoadSession(big); err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(rec2.warns, "\n"); !strings.Contains(w, fmt.Sprintf("holds %d cookies, more than the %d kept: %d are left out", 2*MaxCookies, MaxCookies, MaxCookies)) {
		t.Errorf("warnings %q: want the cookies left out counted", w)
	}
	if n := len(c2.jar.snapshot()); n != MaxCookies {
		t.Errorf("loaded %d cookies, want %d", n, MaxCookies)
	}
}

// A reply of 65,535 headers that amfcall ignores, each with a warning of
// its own before: 65,535 lines on stderr, and a URL header's value (up to
// 64 MiB) written whole into its warning. Now each kind of warning is
// given once a reply, with the count of the others, and what the gateway
// chose is cut.
func TestReplyHeaderWarningsBounded(t *testing.T) {
	long := strings.Repeat("A", 100_000) // in the first of them only
	var hs []amf.Header
	for i := range 65535 {
		switch i % 4 {
		case 0:
			hs = append(hs, amf.Header{Name: fmt.Sprintf("X%05d\x1b[2J", i), MustUnderstand: true, Value: nil})
		case 1:
			hs = append(hs, amf.Header{Name: "AppendToGatewayUrl", Value: 5.0})
		case 2:
			u := "http://evil.example/"
			if i == 2 {
				u += long
			}
			hs = append(hs, amf.Header{Name: "ReplaceGatewayUrl", Value: u})
		case 3:
			hs = append(hs, amf.Header{Name: "RequestPersistentHeader", Value: "not an object"})
		}
	}
	ss := &scriptedServer{replies: [][]amf.Header{hs}}
	srv := server(t, ss.ServeHTTP)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	if len(rec.warns) != 5 {
		t.Fatalf("%d warnings, want one per kind and a count:\n%.2000s", len(rec.warns), strings.Join(rec.warns, "\n"))
	}
	for _, w := range rec.warns {
		if len(w) > 1000 || strings.ContainsRune(w, 0x1b) {
			t.Errorf("warning of %d bytes: %.300q", len(w), w)
		}
	}
	if last := rec.warns[4]; last != "and 65531 more of the reply's headers were ignored for the same reasons" {
		t.Errorf("last warning %q", last)
	}
}

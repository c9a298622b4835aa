package client

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// lastResponse keeps the last ResponseEvent, and passes every event on
// to a TraceHandler.
type lastResponse struct {
	*TraceHandler
	ev *ResponseEvent
}

func (l *lastResponse) OnResponse(ev *ResponseEvent) { l.ev = ev; l.TraceHandler.OnResponse(ev) }

func echoPacket() *amf.Packet {
	return &amf.Packet{Messages: []amf.Message{{Target: "echo.echo", Response: "/1", Value: &amf.Array{Dense: []any{"hi"}}}}}
}

// A gateway URL that redirects (307) to a gateway on another loopback
// server: -vv showed one "> POST /" (the first request's path) over the
// header fields of both requests mixed (two Host fields), the last
// reply's status, and one line of timings that measured the second
// request from the first one's start, the first's lost. Each request
// now has its own fields and timings, the totals add up to the whole
// exchange's, and the trace says where the redirect went.
func TestRedirectTimingsPerRequest(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	b := httptest.NewServer(g)
	defer b.Close()
	const hold = 50 * time.Millisecond
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(hold) // the first request takes at least this
		http.Redirect(w, r, b.URL+"/gateway", http.StatusTemporaryRedirect)
	}))
	defer a.Close()
	var out bytes.Buffer
	h := &lastResponse{TraceHandler: &TraceHandler{Out: &out, VerbosityLevel: 2}}
	cl, err := New(a.URL+"/", Config{Events: h})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Send(context.Background(), echoPacket()); err != nil {
		t.Fatal(err)
	}
	ev := h.ev
	if len(ev.Redirects) != 1 {
		t.Fatalf("%d redirects, want 1", len(ev.Redirects))
	}
	r := ev.Redirects[0]
	host := func(h http.Header) string { return strings.Join(h["Host"], ",") }
	if r.HTTP.StatusCode != http.StatusTemporaryRedirect || host(r.SentHeader) != strings.TrimPrefix(a.URL, "http://") || host(ev.SentHeader) != strings.TrimPrefix(b.URL, "http://") {
		t.Errorf("redirect %s, its Host %q, the last request's Host %q", r.HTTP.Status, host(r.SentHeader), host(ev.SentHeader))
	}
	for i, tm := range []Timings{r.Timings, ev.Timings} {
		if tm.Connect <= 0 || tm.FirstByte < tm.Connect || tm.Total < tm.FirstByte {
			t.Errorf("request %d: timings %+v out of order", i+1, tm)
		}
	}
	// The first request's time is its own (its server held it), and
	// the two requests' totals are the whole exchange's.
	if r.Timings.FirstByte < hold || r.Timings.Total+ev.Timings.Total != ev.Elapsed {
		t.Errorf("first request %+v, last %+v, elapsed %v", r.Timings, ev.Timings, ev.Elapsed)
	}
	s := out.String()
	for _, want := range []string{
		"> POST /\n", "> Host: " + strings.TrimPrefix(a.URL, "http://") + "\n", "< HTTP/1.1 307 Temporary Redirect\n",
		"* timings of request 1 of 2: connect ", "* following the redirect to " + b.URL + "/gateway\n",
		"> POST /gateway\n", "> Host: " + strings.TrimPrefix(b.URL, "http://") + "\n", "< HTTP/1.1 200 OK\n",
		"* timings of request 2 of 2: connect ", "* timings of the 2 requests: total ",
	} {
		if strings.Count(s, want) != 1 {
			t.Errorf("the trace has %q %d times, want once:\n%s", want, strings.Count(s, want), s)
		}
	}
	if i, j := strings.Index(s, "307 Temporary"), strings.Index(s, "200 OK"); i < 0 || j < i {
		t.Errorf("the requests out of order:\n%s", s)
	}
}

// A redirect to the same server goes out on the connection the first
// request opened: the second request made no connection (Reused), where
// its line showed the first request's connect time beside "(reused
// connection)".
func TestRedirectReusedConnectionTimings(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/gateway", http.StatusPermanentRedirect)
			return
		}
		g.ServeHTTP(w, r)
	}))
	defer srv.Close()
	h := &lastResponse{TraceHandler: &TraceHandler{}}
	cl, err := New(srv.URL+"/old", Config{Events: h})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Send(context.Background(), echoPacket()); err != nil {
		t.Fatal(err)
	}
	ev := h.ev
	if len(ev.Redirects) != 1 || ev.Redirects[0].Timings.Connect <= 0 || ev.Redirects[0].Timings.Reused {
		t.Fatalf("redirects %+v", ev.Redirects)
	}
	if tm := ev.Timings; !tm.Reused || tm.Connect != 0 || !strings.HasSuffix(formatTimings(tm), "(reused connection)") {
		t.Errorf("the second request: %+v (%s)", tm, formatTimings(tm))
	}
}

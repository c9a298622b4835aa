package client

import (
	"context"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// A gateway's RequestPersistentHeader whose value names one 1 MiB string
// 200 times by AMF3 reference: a reply of 1 MB. The client sent it with
// every later request, where AMF0 writes the string whole at each use:
// the next request was 200 MiB (2,000 references: 2 GB, 10 GB allocated;
// 20,000: out of memory). It is now ignored with a warning; a small
// header of the same reply is kept and sent, and the request stays small.
func TestPersistentHeaderReferenceBomb(t *testing.T) {
	long := strings.Repeat("s", 1<<20)
	refs := &amf.Array{Dense: make([]any, 200)}
	for i := range refs.Dense {
		refs.Dense[i] = long
	}
	bomb := amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{
		{Name: "Token", Value: "t0k3n"},
		{Name: "Bomb", Value: refs},
	}}}
	gw := newPersistServer(t, bomb)
	rec := &recorder{}
	c := newClient(t, gw.url+"/gw", Config{Events: rec, Timeout: time.Minute})
	ctx := context.Background()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := range 2 {
		if _, err := c.Call(ctx, "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	runtime.ReadMemStats(&after)
	sizes, last := gw.seen()
	t.Logf("requests of %v bytes; %.1f MiB allocated", sizes, float64(after.TotalAlloc-before.TotalAlloc)/(1<<20))
	if len(sizes) != 2 {
		t.Fatalf("the gateway got %d requests, want 2", len(sizes))
	}
	if sizes[1] > 64<<10 {
		t.Errorf("the second request is %d bytes: the header was sent with it", sizes[1])
	}
	if v := headerValue(last.Headers, "Token"); v != "t0k3n" {
		t.Errorf("the small header of the same reply: %#v, want it sent", v)
	}
	if v := headerValue(last.Headers, "Bomb"); v != "<absent>" {
		t.Errorf("the large header was sent (%T)", v)
	}
	warned := false
	for _, w := range rec.warns {
		if strings.Contains(w, `"Bomb"`) && strings.Contains(w, "RequestPersistentHeader") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning names the header ignored:\n%s", strings.Join(rec.warns, "\n"))
	}
}

// sendCost counts a string at each use, a container met again as a
// reference, and stops past its limit or its steps.
func TestSendCost(t *testing.T) {
	s := strings.Repeat("x", 1000)
	shared := &amf.Object{Members: []amf.Member{{Name: "s", Value: s}}}
	for _, tc := range []struct {
		name       string
		v          any
		limit      int64
		steps      int64
		atLeast    int64
		atMost     int64
		overLimit  bool
		maxVisited int64
	}{
		{name: "a string 10 times", v: &amf.Array{Dense: []any{s, s, s, s, s, s, s, s, s, s}}, limit: 1 << 20, steps: 1 << 20, atLeast: 10000, atMost: 10200},
		{name: "an object 5 times", v: &amf.Array{Dense: []any{shared, shared, shared, shared, shared}}, limit: 1 << 20, steps: 1 << 20, atLeast: 1000, atMost: 1100},
		{name: "past the limit", v: &amf.Array{Dense: []any{s, s, s, s, s, s, s, s, s, s}}, limit: 2500, steps: 1 << 20, overLimit: true, maxVisited: 5},
		{name: "past the steps", v: &amf.Array{Dense: make([]any, 1000)}, limit: 1 << 20, steps: 10, overLimit: true, maxVisited: 11},
	} {
		cost, visited := sendCost(amf.Header{Name: "h", Value: tc.v}, false, tc.limit, tc.steps)
		switch {
		case tc.overLimit && cost <= tc.limit:
			t.Errorf("%s: cost %d, want over %d", tc.name, cost, tc.limit)
		case tc.overLimit && visited > tc.maxVisited:
			t.Errorf("%s: visited %d nodes, want at most %d", tc.name, visited, tc.maxVisited)
		case !tc.overLimit && (cost < tc.atLeast || cost > tc.atMost):
			t.Errorf("%s: cost %d, want %d to %d", tc.name, cost, tc.atLeast, tc.atMost)
		}
	}
}

// persistServer is a gateway whose first reply asks for a persistent
// header (RequestPersistentHeader) of a value, and that notes the size
// of each request and the last one.
type persistServer struct {
	url   string
	mu    sync.Mutex
	sizes []int
	last  *amf.Packet
}

func newPersistServer(t *testing.T, value any) *persistServer {
	s := &persistServer{}
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, b := readAMFRequest(w, r)
		if req == nil {
			return
		}
		s.mu.Lock()
		s.sizes = append(s.sizes, len(b))
		s.last = req
		first := len(s.sizes) == 1
		s.mu.Unlock()
		p := resultsFor(req, "ok")
		p.Version = 3
		if first {
			p.Headers = []amf.Header{{Name: "RequestPersistentHeader", Value: value}}
		}
		writeReply(w, ContentType, p)
	})
	s.url = srv.URL
	return s
}

// seen is the sizes of the requests so far, and the last of them.
func (s *persistServer) seen() ([]int, *amf.Packet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sizes), s.last
}

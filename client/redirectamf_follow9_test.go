package client

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// statusNotices records the client's notices whole (recorder keeps
// their text only).
type statusNotices struct {
	NopHandler
	mu sync.Mutex
	ns []Notice
}

func (s *statusNotices) OnNotice(n Notice) {
	s.mu.Lock()
	s.ns = append(s.ns, n)
	s.mu.Unlock()
}

// A reply with a 3xx status that was not followed (no Location, or a
// 300 the HTTP client leaves to its caller) whose body is an AMF
// packet was an "unexpected HTTP status" error, where a 4xx or 5xx with
// one is read as the reply. It is now read too, with one warning that
// names the status (and the Location, not followed), and that warning,
// as the 4xx/5xx one, carries the status in Notice.Status for callers
// that say it themselves (probe matched its wording). A 3xx whose body
// is not a packet, or not of AMF's Content-Type, is the status error as
// before.
func TestRedirectStatusAMFReply(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		location string
		ct       string
		text     bool // the body is text, not a packet
		want     string
	}{
		{name: "302 without Location", status: 302, ct: ContentType, want: "HTTP 302 Found with an AMF reply"},
		{name: "300 with Location", status: 300, location: "/other?password=x", ct: ContentType,
			want: "HTTP 300 Multiple Choices (a redirect to http://127.0.0.1"},
		{name: "500, as before", status: 500, ct: ContentType, want: "HTTP 500 Internal Server Error with an AMF reply"},
		{name: "302 text", status: 302, ct: ContentType, text: true},
		{name: "302 html packet", status: 302, ct: "text/html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				req, _ := readAMFRequest(w, r)
				if req == nil {
					return
				}
				if tc.location != "" {
					w.Header().Set("Location", tc.location)
				}
				if tc.text {
					w.Header().Set("Content-Type", tc.ct)
					w.WriteHeader(tc.status)
					w.Write([]byte("Moved"))
					return
				}
				w.Header().Set("Content-Type", tc.ct)
				w.WriteHeader(tc.status)
				writeReply(w, tc.ct, resultsFor(req, "ok"))
			})
			rec := &statusNotices{}
			c := newClient(t, s.URL+"/gw", Config{Events: rec})
			for i := range 2 {
				v, err := c.Call(context.Background(), "svc.m", nil)
				if tc.want == "" {
					wantHTTPError(t, err, ErrStatus, "HTTP", strings.TrimSpace(http.StatusText(tc.status)))
					continue
				}
				if err != nil || v != "ok" {
					t.Fatalf("call %d: %v, %v; want the reply read", i+1, v, err)
				}
			}
			var told []Notice
			for _, n := range rec.ns {
				if n.Status != 0 {
					told = append(told, n)
				}
			}
			if tc.want == "" {
				if len(told) != 0 {
					t.Errorf("notices with a status: %+v, want none", told)
				}
				return
			}
			if len(told) != 1 || told[0].Status != tc.status || !told[0].Warning || !strings.Contains(told[0].Msg, tc.want) {
				t.Fatalf("notices %+v: want one warning with Status %d saying %q", rec.ns, tc.status, tc.want)
			}
		})
	}
}

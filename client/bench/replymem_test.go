package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

func replyServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// Against an endless reply every request of every connection ends in
// "reply too large", and the run ends (the connections share the limit:
// one large reply at a time).
func TestEndlessReplies(t *testing.T) {
	url := replyServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", client.ContentType)
		buf := make([]byte, 32<<10)
		for {
			if _, err := w.Write(buf); err != nil {
				return
			}
		}
	})
	s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo"}},
		Client: client.Config{MaxResponseSize: 2 << 20}, Concurrency: 8, Count: 16})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 16 || s.TransportErrors["reply too large"] != 16 || s.Calls != 0 {
		t.Fatalf("%+v", s)
	}
}

// Replies over limit / -c, with and without Content-Length, wait for
// their turn and are all answered.
func TestLargeRepliesTakeTurns(t *testing.T) {
	const limit = 4 << 20
	value := strings.Repeat("v", 3<<20)
	body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: value}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, chunked := range []bool{false, true} {
		url := replyServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", client.ContentType)
			if chunked {
				w.Write(body[:1000])
				w.(http.Flusher).Flush()
				w.Write(body[1000:])
				return
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
		})
		s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo"}},
			Client: client.Config{MaxResponseSize: limit}, Concurrency: 8, Count: 24})
		if err != nil {
			t.Fatal(err)
		}
		if s.Requests != 24 || s.OK != 24 {
			t.Fatalf("chunked %v: %+v", chunked, s)
		}
	}
}

package commands

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// Ctrl-C while the Flex handshakes before the run are under way (a
// gateway that does not answer them) is an interruption, 130, not a
// failed connection: it was exit 3 with "connection failed ...:
// cancelled".
func TestBenchInterruptedBeforeRun(t *testing.T) {
	arrived, quit := make(chan struct{}), make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		select {
		case <-r.Context().Done():
		case <-quit:
		}
	}))
	defer srv.Close()
	defer close(quit)
	benchStarted = func(stop context.CancelFunc) {
		go func() { <-arrived; stop() }()
	}
	defer func() { benchStarted = nil }()
	stdout, stderr, code := run(t, []string{"bench", "--flex", "-c", "2", "-n", "4", srv.URL + "/", "echo.echo", "1"}, "", nil, false)
	if code != 130 || stdout != "" || !strings.Contains(stderr, "amfcall: error: interrupted by SIGINT before the run began") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestBenchLatencyOfReplies: requests that time out have no latency; the
// summary says of how many requests its percentiles are, where they
// looked as good as those of a run without a failure. A gateway that
// answers every other request and lets the others time out: 2 of 4.
func TestBenchLatencyOfReplies(t *testing.T) {
	g, _ := startGateway(t, gateway.Options{})
	var n atomic.Int64
	quit := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%2 == 0 {
			select {
			case <-r.Context().Done():
			case <-quit:
			}
			return
		}
		g.ServeHTTP(w, r)
	}))
	defer srv.Close()
	defer close(quit)
	args := []string{"bench", "-c", "1", "-n", "4", "--timeout", "300ms", srv.URL + "/", "echo.echo", "1"}
	stdout, stderr, code := run(t, args, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "\n  latency    p50 ") ||
		!strings.Contains(stdout, "\n             of the 2 requests with a reply; the 2 that failed without one (transport errors) are not in it\n") ||
		!strings.Contains(stdout, "           2  timed out\n") {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	n.Store(0)
	stdout, stderr, code = run(t, append(args[:1:1], append([]string{"--format", "json"}, args[1:]...)...), "", nil, false)
	var sum struct {
		Requests     int64 `json:"requests"`
		LatencyCount int64 `json:"latency_count"`
	}
	if err := json.Unmarshal([]byte(stdout), &sum); err != nil || code != 0 || sum.Requests != 4 || sum.LatencyCount != 2 {
		t.Fatalf("code %d, %v: %+v\n%s\n%s", code, err, sum, stdout, stderr)
	}
}

// TestBenchSocketAddress: "bench HOST:PORT COMMAND", as socket call is
// written, was told only to write http:// in front, which does not
// reach an AMF Socket server; the hint now names the socket:// form
// that bench takes for one.
func TestBenchSocketAddress(t *testing.T) {
	_, stderr, code := run(t, []string{"bench", "127.0.0.1:9001", "add", `{"a": 1}`}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, "amfcall: hint: write the gateway URL with its scheme: http://127.0.0.1:9001 (or https://)\n") ||
		!strings.HasSuffix(stderr, "amfcall: hint: for an AMF Socket server at HOST:PORT, write: amfcall bench socket://127.0.0.1:9001 add '{\"a\": 1}'\n") {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	// A URL with a path is no socket address: no such hint.
	_, stderr, _ = run(t, []string{"bench", "127.0.0.1:9001/gw", "echo.echo", "1"}, "", nil, false)
	if strings.Contains(stderr, "socket://") {
		t.Errorf("with a path:\n%s", stderr)
	}
}

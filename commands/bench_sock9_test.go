package commands

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
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

package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
)

// countingGateway runs the embedded gateway behind a handler that counts
// the requests and those that hold a Flex CommandMessage (a ping or a
// login).
func countingGateway(t *testing.T, opt gateway.Options) (url string, requests, commands *atomic.Int64) {
	t.Helper()
	opt.ImagesDir = t.TempDir()
	g, err := gateway.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	requests, commands = new(atomic.Int64), new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		requests.Add(1)
		if bytes.Contains(body, []byte("flex.messaging.messages.CommandMessage")) {
			commands.Add(1)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); g.Close() })
	return srv.URL + "/", requests, commands
}

// A Setup that fails ends the run before any request, as a *SetupError
// holding its error (no panic, no exit).
func TestSetupError(t *testing.T) {
	url, requests, _ := countingGateway(t, gateway.Options{})
	bad := errors.New("no good")
	_, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo"}}, Concurrency: 3, Count: 5,
		Setup: func(*client.Client) error { return bad }})
	var se *SetupError
	if !errors.As(err, &se) || !errors.Is(err, bad) || se.What != "setup" || requests.Load() != 0 {
		t.Fatalf("err %v, %d requests", err, requests.Load())
	}
}

// With Flex, each worker pings once before the run (not timed, not
// counted), so that the requests it times carry the DSId the gateway
// gave; a Flex login (FlexUser) replaces the ping, and a refused one
// ends the run as a *SetupError holding the fault.
func TestFlexHandshakeOncePerWorker(t *testing.T) {
	url, requests, commands := countingGateway(t, gateway.Options{User: "alice", Password: "pw"})
	calls := []client.Call{{Target: "echo.echo", Args: []any{"x"}}}
	s, err := Run(context.Background(), Config{URL: url, Calls: calls, Client: client.Config{Flex: true}, Concurrency: 4, Count: 40})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 40 || s.OK != 40 || commands.Load() != 4 || requests.Load() != 44 {
		t.Fatalf("%d requests, %d pings; summary %+v", requests.Load(), commands.Load(), s)
	}

	commands.Store(0)
	requests.Store(0)
	secure := []client.Call{{Target: "secure.whoami"}}
	s, err = Run(context.Background(), Config{URL: url, Calls: secure, Client: client.Config{Flex: true, FlexUser: "alice", FlexPassword: "pw"}, Concurrency: 3, Count: 9})
	if err != nil || s.OK != 9 || commands.Load() != 3 {
		t.Fatalf("login: %v, %d logins; %+v", err, commands.Load(), s)
	}
	_, err = Run(context.Background(), Config{URL: url, Calls: secure, Client: client.Config{Flex: true, FlexUser: "alice", FlexPassword: "wrong"}, Concurrency: 3, Count: 9})
	var se *SetupError
	var f *client.Fault
	if !errors.As(err, &se) || se.What != "Flex login" || !errors.As(err, &f) {
		t.Fatalf("refused login: %v", err)
	}
}

// recorder counts the events it is given.
type recorder struct {
	mu                  sync.Mutex
	requests, responses int
	notices             []string
}

func (r *recorder) OnRequest(*client.RequestEvent) { r.mu.Lock(); r.requests++; r.mu.Unlock() }
func (r *recorder) OnResponse(*client.ResponseEvent) {
	r.mu.Lock()
	r.responses++
	r.mu.Unlock()
}
func (r *recorder) OnNotice(n client.Notice) {
	r.mu.Lock()
	r.notices = append(r.notices, n.Msg)
	r.mu.Unlock()
}

// ShowFirst passes one exchange of the run to the handler (and the Flex
// handshake before it), not one per request; without it, none.
func TestShowFirst(t *testing.T) {
	url := startGateway(t, gateway.Options{})
	calls := []client.Call{{Target: "echo.echo", Args: []any{"x"}}}
	for _, tc := range []struct {
		cc        client.Config
		show      bool
		exchanges int
	}{
		{client.Config{}, true, 1},
		{client.Config{Flex: true}, true, 2}, // the ping, then the first call
		{client.Config{}, false, 0},
	} {
		r := &recorder{}
		cc := tc.cc
		cc.Events = r
		s, err := Run(context.Background(), Config{URL: url, Calls: calls, Client: cc, Concurrency: 4, Count: 30, ShowFirst: tc.show})
		if err != nil || s.OK != 30 {
			t.Fatalf("%v %+v", err, s)
		}
		if r.requests != tc.exchanges || r.responses != tc.exchanges {
			t.Errorf("flex %v, show %v: %d requests, %d responses shown, want %d", tc.cc.Flex, tc.show, r.requests, r.responses, tc.exchanges)
		}
	}
}

// The summary's URL never holds the password of the URL given.
func TestSummaryURLRedacted(t *testing.T) {
	url := startGateway(t, gateway.Options{})
	withPass := strings.Replace(url, "http://", "http://bob:s3cret@", 1)
	s, err := Run(context.Background(), Config{URL: withPass, Calls: []client.Call{{Target: "echo.echo"}}, Count: 2})
	if err != nil || strings.Contains(s.URL, "s3cret") || !strings.Contains(s.URL, "bob:xxxxx@") {
		t.Fatalf("%v: %q", err, s.URL)
	}
}

package bench

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
)

// startGateway runs the embedded gateway on 127.0.0.1 until the test
// ends and returns its URL.
func startGateway(tb testing.TB, opt gateway.Options) string {
	tb.Helper()
	if opt.ImagesDir == "" {
		opt.ImagesDir = tb.TempDir()
	}
	g, err := gateway.New(opt)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(g)
	tb.Cleanup(func() { srv.Close(); g.Close() })
	return srv.URL + "/"
}

func TestCount(t *testing.T) {
	url := startGateway(t, gateway.Options{})
	for _, cc := range []client.Config{{}, {AMF3: true}, {Flex: true}} {
		s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo", Args: []any{"x"}}},
			Client: cc, Concurrency: 4, Count: 50})
		if err != nil {
			t.Fatal(err)
		}
		if s.Requests != 50 || s.Calls != 50 || s.OK != 50 || s.Faults != 0 || s.Latency.TotalCount() != 50 {
			t.Fatalf("%+v: %+v", cc, s)
		}
		if s.Percentile(50) <= 0 || s.Percentile(100) < s.Percentile(99) || s.Percentile(99) < s.Percentile(50) {
			t.Fatalf("percentiles %v %v %v", s.Percentile(50), s.Percentile(99), s.Percentile(100))
		}
		if s.Interrupted {
			t.Fatal("interrupted")
		}
	}
}

func TestBatchAndFaults(t *testing.T) {
	url := startGateway(t, gateway.Options{})
	calls := []client.Call{{Target: "echo.echo", Args: []any{1.0}}, {Target: "echo.fail", Args: []any{"no"}}, {Target: "nope.m"}}
	s, err := Run(context.Background(), Config{URL: url, Calls: calls, Concurrency: 2, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if s.Requests != 10 || s.Calls != 30 || s.OK != 10 || s.Faults != 20 {
		t.Fatalf("%+v", s)
	}
	if s.FaultCodes["Echo.Failure"] != 10 || s.FaultCodes["Service.ResourceNotFound"] != 10 {
		t.Fatalf("fault codes %v", s.FaultCodes)
	}
}

func TestCredentials(t *testing.T) {
	url := startGateway(t, gateway.Options{User: "alice", Password: "pw"})
	cfg := Config{URL: url, Calls: []client.Call{{Target: "secure.whoami"}}, Count: 4}
	s, _ := Run(context.Background(), cfg)
	if s.Faults != 4 {
		t.Fatalf("without credentials: %+v", s)
	}
	cfg.Setup = func(cl *client.Client) error { cl.SetCredentials("alice", "pw"); return nil }
	s, _ = Run(context.Background(), cfg)
	if s.OK != 4 {
		t.Fatalf("with credentials: %+v", s)
	}
}

func TestHTTPAndTransportErrors(t *testing.T) {
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	s, err := Run(context.Background(), Config{URL: busy.URL, Calls: []client.Call{{Target: "a.b"}}, Concurrency: 2, Count: 6})
	if err != nil {
		t.Fatal(err)
	}
	if s.HTTPErrors["503 Service Unavailable"] != 6 || s.Calls != 0 {
		t.Fatalf("%+v", s)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	s, err = Run(context.Background(), Config{URL: "http://" + addr + "/", Calls: []client.Call{{Target: "a.b"}}, Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s.TransportErrors["connection refused"] != 3 {
		t.Fatalf("%+v", s.TransportErrors)
	}
}

func TestDurationAndInterrupt(t *testing.T) {
	url := startGateway(t, gateway.Options{})
	calls := []client.Call{{Target: "echo.echo"}}
	start := time.Now()
	s, err := Run(context.Background(), Config{URL: url, Calls: calls, Concurrency: 2, Duration: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second || s.Requests == 0 || s.Interrupted {
		t.Fatalf("took %v, %+v", took, s)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	var progress []Progress
	s, err = Run(ctx, Config{URL: url, Calls: calls, Concurrency: 2, Duration: time.Hour,
		Progress: func(p Progress) { progress = append(progress, p) }, ProgressEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Interrupted || s.Requests == 0 || s.Elapsed > 3*time.Second {
		t.Fatalf("%+v", s)
	}
	if len(progress) == 0 || progress[len(progress)-1].Requests > s.Requests {
		t.Fatalf("progress %+v", progress)
	}

	if _, err := Run(context.Background(), Config{URL: url, Calls: calls}); !errors.Is(err, ErrNoBound) {
		t.Fatalf("no bound: %v", err)
	}
}

// BenchmarkLoopbackEcho: the load test itself, b.N echo.echo calls from
// 8 connections to a gateway on 127.0.0.1 (client and server in this
// process).
func BenchmarkLoopbackEcho(b *testing.B) {
	url := startGateway(b, gateway.Options{})
	b.ReportAllocs()
	b.ResetTimer()
	s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo", Args: []any{"x"}}},
		Concurrency: 8, Count: int64(b.N)})
	if err != nil {
		b.Fatal(err)
	}
	if s.OK != int64(b.N) {
		b.Fatalf("%d of %d answered", s.OK, b.N)
	}
	b.ReportMetric(float64(s.Percentile(99).Microseconds()), "p99-µs")
}

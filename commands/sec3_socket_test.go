package commands

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/socket"
)

// TestSocketTraceReferenceBomb: socket -v shows each frame as typed
// JSON, in which a string sent by reference is written out at each
// use. A server's response of a 16 KiB string and 20,000 references
// (57 KB) is 330 MB of it, which the trace built whole (a frame of a 1
// MB string, 20 GB: up to the 1 GiB bound, then failed). The trace now
// shows a frame in 16 times its bytes and 16 MiB, and says why not.
func TestSocketTraceReferenceBomb(t *testing.T) {
	s := strings.Repeat("A", 16<<10)
	dense := make([]any, 20000)
	for i := range dense {
		dense[i] = s
	}
	addr := misbehaving(t, func(nc net.Conn, fr *amf.FrameReader, first *socket.RPC) {
		nc.Write(frameOf(t, socket.ResponseObject(first.MessageID, &amf.Array{Dense: dense})))
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, stderr, code := run(t, []string{"socket", "call", "-v", "--max-output", "1M", addr, "big", "{}"}, "", nil, false)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("exit %d, %.1f MiB allocated", code, float64(alloc)/(1<<20))
	if !strings.Contains(stderr, "< response, ") || !strings.Contains(stderr, "(cannot show it: json: typed output exceeds") {
		t.Errorf("exit %d, stderr %.600q", code, stderr)
	}
	if alloc > 256<<20 {
		t.Errorf("showing a frame of 20,000 references allocated %.1f MiB", float64(alloc)/(1<<20))
	}
}

// TestDebugEventsBounded: call --debug-events kept a line per debug
// event until the result was printed, each as long as the event's
// JSON. A reply whose onDebugEvents body is an array of 20,000
// references to one event holding a 64 KiB string (85 KB) made 20,000
// lines of 64 KiB (1.3 GB kept, and printed). Now at most 1,000 events
// are shown, each line cut to 16 KiB, and the rest counted.
func TestDebugEventsBounded(t *testing.T) {
	ev := &amf.Object{Members: []amf.Member{{Name: "EventType", Value: "trace"}, {Name: "Payload", Value: strings.Repeat("p", 64<<10)}}}
	events := make([]any, 20000)
	for i := range events {
		events[i] = ev
	}
	reply, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: "ok"},
		{Target: "/2/onDebugEvents", Response: "null", Value: amf.AVMPlus{Value: &amf.Array{Dense: events}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	defer srv.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stdout, stderr, code := run(t, []string{"call", "--debug-events", srv.URL + "/gw", "x.y"}, "", nil, false)
	runtime.ReadMemStats(&after)
	alloc := after.TotalAlloc - before.TotalAlloc
	lines := strings.Count(stderr, "\ndebug: trace: ") + strings.Count(stderr[:min(len(stderr), 14)], "debug: trace: ")
	t.Logf("exit %d, %d event lines, %d bytes of stderr, %.1f MiB allocated", code, lines, len(stderr), float64(alloc)/(1<<20))
	if code != 0 || strings.TrimSpace(stdout) != `"ok"` {
		t.Fatalf("exit %d, stdout %.200q, stderr %.300q", code, stdout, stderr)
	}
	if lines != maxDebugEvents || !strings.Contains(stderr, "debug: (19000 more debug events not shown: at most 1000 are)") {
		t.Errorf("%d event lines; the end of stderr %q", lines, stderr[max(0, len(stderr)-300):])
	}
	if len(stderr) > (maxDebugEvents+1)*(maxDebugLine+100) {
		t.Errorf("%d bytes of debug lines", len(stderr))
	}
	if alloc > 256<<20 {
		t.Errorf("showing 20,000 debug events allocated %.1f MiB", float64(alloc)/(1<<20))
	}
}

// TestServeSocketVerboseReferenceBomb: serve --socket -v logged each
// frame whole as typed JSON, in which a string sent by reference is
// written out at each use: a client's echo of a 16 KiB string and
// 20,000 references (57 KB) was logged as 330 MB, twice (the frame and
// its echo). Now at most 1 MiB of JSON is built and the line says why
// the frame is not shown.
func TestServeSocketVerboseReferenceBomb(t *testing.T) {
	ch := make(chan context.CancelFunc, 1)
	sock := make(chan string, 1)
	serveStarted = func(addr string, stop context.CancelFunc) { ch <- stop }
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { serveStarted, socketServeStarted = nil, nil })
	done := make(chan string, 1)
	go func() {
		_, stderr, _ := run(t, []string{"serve", "-v", "--addr", "127.0.0.1:0", "--images", t.TempDir(), "--socket", "127.0.0.1:0"}, "", nil, false)
		done <- stderr
	}()
	stop, addr := <-ch, <-sock
	s := strings.Repeat("A", 16<<10)
	dense := make([]any, 20000)
	for i := range dense {
		dense[i] = s
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	c, err := socket.Dial(context.Background(), addr, socket.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := c.Call(ctx, "echo", &amf.Object{Members: []amf.Member{{Name: "s", Value: &amf.Array{Dense: dense}}}})
	c.Close()
	runtime.ReadMemStats(&after)
	stop()
	log := <-done
	if err != nil {
		t.Fatalf("echo: %v (%T)", err, res)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%.1f MiB allocated, %d bytes of log", float64(alloc)/(1<<20), len(log))
	if n := strings.Count(log, "(not shown: its typed JSON is over"); n != 2 {
		t.Errorf("%d frames said not shown, want 2; log %.1000q", n, log)
	}
	if alloc > 256<<20 || len(log) > 1<<20 {
		t.Errorf("the echo allocated %.1f MiB, and logged %d bytes", float64(alloc)/(1<<20), len(log))
	}
}

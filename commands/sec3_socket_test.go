package commands

import (
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

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

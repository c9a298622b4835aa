package commands

import (
	"net"
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

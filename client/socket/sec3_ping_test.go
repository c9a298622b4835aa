package socket

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestPingWaitsForFrameInFlight: a peer still sending a frame cannot
// answer a ping before the frame's end (one stream), so the ping's
// timeout must not drop it while its bytes keep coming. The server let
// go of such a client once PingInterval+PingTimeout (15 s by default)
// had passed: a frame taking longer than that over a slow link was
// never answered (TestServerFrameBudget's first client, under Wine).
func TestPingWaitsForFrameInFlight(t *testing.T) {
	log := &logLines{}
	addr := startServer(t, &Server{Options: Options{PingInterval: 100 * time.Millisecond, PingTimeout: 900 * time.Millisecond}, Log: log.logf})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// The server's pings are read (and left unanswered: the frame is
	// not sent yet) so that its writes never block.
	got := make(chan *RPC, 64)
	go func() {
		defer close(got)
		fr := amf.NewFrameReader(nc)
		for {
			var v any
			if err := fr.Decode(&v); err != nil {
				return
			}
			if r, err := ParseRPC(v); err == nil && r.Kind == KindResponse {
				got <- r
			}
		}
	}()
	big := frame(t, RequestObject("slow", "echo", params("s", strings.Repeat("x", 64<<10))))
	// 2 s for the frame, a piece every 40 ms: more than two ping
	// timeouts. (Timeouts of 200, then 600 ms dropped the client under
	// Wine on a loaded machine, where 40 ms between writes can become
	// several hundred.)
	const pieces = 50
	step := len(big)/pieces + 1
	for i := 0; i < len(big); i += step {
		_ = nc.SetWriteDeadline(time.Now().Add(testWait))
		if _, err := nc.Write(big[i:min(i+step, len(big))]); err != nil {
			t.Fatalf("writing piece %d of the frame: %v (the server let go: %q)", i/step+1, err, log.all())
		}
		time.Sleep(40 * time.Millisecond)
	}
	select {
	case r, ok := <-got:
		if !ok || r.MessageID != "slow" {
			t.Fatalf("no answer to the slow frame (got %v); log %q", r, log.all())
		}
	case <-time.After(testWait):
		t.Fatalf("no answer to the slow frame in %v; log %q", testWait, log.all())
	}
	// A peer that sends nothing and leaves a ping unanswered is still
	// dropped.
	if line := log.waitFor(t, "dropped"); !strings.Contains(line, "no answer to a ping") {
		t.Errorf("log line %q", line)
	}
}

func (l *logLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// TestPingDropsFrameTrickler: a peer that sends a big frame's header
// (reserving three times its size of the budget) and then a byte now
// and then, slower than minFrameRate, is dropped at the ping's timeout
// as before, not kept until the server's idle timeout.
func TestPingDropsFrameTrickler(t *testing.T) {
	log := &logLines{}
	b := &testBudget{max: 64 << 20}
	addr := startServer(t, &Server{Options: Options{Budget: b, PingInterval: 100 * time.Millisecond, PingTimeout: 600 * time.Millisecond}, Log: log.logf})
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	go func() { // read the pings
		buf := make([]byte, 4096)
		for {
			if _, err := nc.Read(buf); err != nil {
				return
			}
		}
	}()
	big := frame(t, RequestObject("slow", "echo", params("s", strings.Repeat("x", 1<<20))))
	nc.Write(big[:64])
	// 20 bytes a second, for up to testWait.
	dropped := false
	deadline := time.Now().Add(testWait)
	for i := 64; i < len(big) && time.Now().Before(deadline); i++ {
		_ = nc.SetWriteDeadline(time.Now().Add(testWait))
		if _, err := nc.Write(big[i : i+1]); err != nil {
			dropped = true
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !dropped {
		t.Errorf("a peer sending 20 bytes a second was kept for %v", testWait)
	}
	if line := log.waitFor(t, "dropped"); !strings.Contains(line, "no answer to a ping") {
		t.Errorf("log line %q", line)
	}
}

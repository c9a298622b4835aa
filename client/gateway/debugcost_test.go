package gateway

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A request asking for debug events is charged for them before its calls
// run: two event objects a call, about 330 bytes encoded and 1.5 KB while
// the reply is built, for a call of 27 bytes. Before, only the body was
// charged (three times it), and 32 requests of 21,000 calls (577 KB)
// took serve to 695 MB under a 256 MiB budget. One whose debug events
// alone pass the whole budget gets a 413; the same calls without the
// header are answered.
func TestDebugEventsCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 4 << 20})
	calls := func(n int, debug bool) []byte {
		p := &amf.Packet{}
		if debug {
			p.Headers = []amf.Header{{Name: DebugHeader, Value: &amf.Object{Members: []amf.Member{{Name: "trace", Value: true}}}}}
		}
		for i := range n {
			p.Messages = append(p.Messages, amf.Message{Target: "echo.echo", Response: "/" + itoa(int64(i+1)), Value: []any{}})
		}
		b, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	rec := post(t, g, calls(3000, true)) // 6 MB of debug events: over 4 MiB
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "debug events for 3000 calls") {
		t.Fatalf("3000 calls with debug events: %d %q", rec.Code, rec.Body.String())
	}
	if rec := post(t, g, calls(3000, false)); rec.Code != 200 {
		t.Fatalf("3000 calls without: %d %q", rec.Code, rec.Body.String())
	}
	rec = post(t, g, calls(500, true))
	p, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if rec.Code != 200 || err != nil || len(p.Messages) != 1000 {
		t.Fatalf("500 calls with debug events: %d %v", rec.Code, err)
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved", n)
	}
}

// A request asking for debug events for more than 32,767 calls would be
// answered with more than the 65,535 bodies a packet holds (two a call):
// it is refused before its calls run (413, saying the most). Before, every
// call ran, then the reply could not be written (500).
func TestDebugEventsTooManyCalls(t *testing.T) {
	g := newTestGateway(t, Options{})
	p := &amf.Packet{Headers: []amf.Header{{Name: DebugHeader, Value: &amf.Object{Members: []amf.Member{{Name: "trace", Value: true}}}}}}
	for i := range 32768 {
		p.Messages = append(p.Messages, amf.Message{Target: "echo.echo", Response: "/" + itoa(int64(i+1)), Value: []any{}})
	}
	b, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := post(t, g, b)
	if rec.Code != 413 || !strings.Contains(rec.Body.String(), "send at most 32767 calls with amf_server_debug") {
		t.Fatalf("32768 calls with debug events: %d %q", rec.Code, rec.Body.String())
	}
}

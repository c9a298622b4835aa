package gateway

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestVerboseLogReferenceBomb: serve -v logs each request and reply as
// typed JSON, in which a string sent by reference is written out at
// each use. A request of one 16 KiB string and 20,000 references to it
// (57 KB) is 330 MB of typed JSON, built whole before the line was cut
// to 64 KiB (twice: the echo's reply is the same); one of a 1 MB string
// (1 MB) made serve -v run out of memory. The JSON is now built to
// maxLogJSON at most, and the line says why the packet is not shown.
func TestVerboseLogReferenceBomb(t *testing.T) {
	var log bytes.Buffer
	g := newTestGateway(t, Options{Verbose: true, Log: &log})
	s := strings.Repeat("A", 16<<10)
	dense := make([]any, 20000)
	for i := range dense {
		dense[i] = s
	}
	body, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
		{Target: "echo.echo", Response: "/1", Value: []any{amf.AVMPlus{Value: &amf.Array{Dense: dense}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	m := callGW(t, g, body)
	runtime.ReadMemStats(&after)
	if a, _ := amf.Unwrap(m.Value).(*amf.Array); a == nil || len(a.Dense) != len(dense) {
		t.Fatalf("echo answered %T", m.Value)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a request of %d bytes: %.1f MiB allocated in all", len(body), float64(allocated)/(1<<20))
	if allocated > 64<<20 {
		t.Errorf("the call and its log allocated %.1f MiB for a request of %d bytes", float64(allocated)/(1<<20), len(body))
	}
	if n := strings.Count(log.String(), "not shown: its typed JSON is over"); n != 2 {
		t.Errorf("%d log lines say the packet is not shown, want 2 (request and reply):\n%.2000s", n, log.String())
	}
	// A packet of ordinary size is still shown.
	log.Reset()
	callGW(t, g, flexPacket(flexMsg(amf.ClassCommandMessage, "", amf.Member{Name: "operation", Value: amf.Int(opPing)})))
	if !strings.Contains(log.String(), "request packet: {") {
		t.Errorf("a small request is not shown:\n%s", log.String())
	}
}

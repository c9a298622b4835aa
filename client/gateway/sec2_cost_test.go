package gateway

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// denseArgs are echo arguments whose values decode to many times their
// bytes: n AMF3 nulls, n empty objects, n objects of one member, n
// small integers.
func denseArgs(kind string, n int) any {
	items := make([]any, n)
	for i := range items {
		switch kind {
		case "objects":
			items[i] = &amf.Object{}
		case "members":
			items[i] = &amf.Object{Members: []amf.Member{{Name: "a", Value: nil}}}
		case "ints":
			items[i] = amf.Int(i & 127)
		}
	}
	return amf.AVMPlus{Value: &amf.Array{Dense: items}}
}

// TestDenseRequestCharged: the memory budget is charged for what a
// request's values decode to, not three times its bytes only: 400,000
// nulls (400 KB, 1.2 MB charged before) decode to 6 MB, more than a
// budget of 4 MiB, and are refused with a 413 that says so, before they
// are decoded. A request that fits is answered.
func TestDenseRequestCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 4 << 20})
	srv := httptest.NewServer(g)
	defer srv.Close()
	send := func(body []byte) (int, string) {
		t.Helper()
		res, err := http.Post(srv.URL, "application/x-amf", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(res.Body)
		return res.StatusCode, b.String()
	}
	for _, kind := range []string{"nulls", "objects"} {
		// secure.echo: an echo.echo alone in its packet is answered
		// without decoding its argument (echo.go).
		body := packet(3, "secure.echo", denseArgs(kind, 400000))
		code, text := send(body)
		if code != http.StatusRequestEntityTooLarge || !strings.Contains(text, "once decoded, more than this gateway's memory budget of 4 MiB") {
			t.Errorf("%s (%d bytes): %d %.200s", kind, len(body), code, text)
		}
	}
	if code, text := send(packet(3, "echo.echo", denseArgs("nulls", 20000))); code != 200 {
		t.Errorf("20,000 nulls: %d %.200s", code, text)
	}
	waitFor(t, func() bool { return g.lim.inFlight.Load() == 0 })
}

// TestValueCostCoversDecoding: what serveAMF reserves for a request
// (three times its bytes and valueCost) is at least what decoding it
// allocates, for packets of the densest kinds of value.
func TestValueCostCoversDecoding(t *testing.T) {
	g := newTestGateway(t, Options{})
	const n = 1 << 18
	for _, kind := range []string{"nulls", "objects", "members", "ints"} {
		body := packet(3, "echo.echo", denseArgs(kind, n))
		reserved := 3*int64(len(body)) + g.valueCost(body)
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		p, err := g.dec.UnmarshalPacket(body)
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		runtime.KeepAlive(p)
		alloc := int64(m1.TotalAlloc - m0.TotalAlloc)
		t.Logf("%s: %d bytes, %d reserved, %d allocated decoding them", kind, len(body), reserved, alloc)
		if reserved < alloc {
			t.Errorf("%s: %d bytes reserved for a request of %d bytes that allocated %d to decode", kind, reserved, len(body), alloc)
		}
	}
}

package gateway

import (
	"bytes"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// traitsPacket is a version 3 packet of one call to target whose one
// argument is an AMF3 array of objects of inline traits (each its own
// traits, not a reference to earlier ones: 0a 03 <class name>), of
// about size bytes.
func traitsPacket(target string, size int) []byte {
	var objs []any
	for total := 0; total < size; {
		c := strconv.FormatInt(int64(len(objs)), 36)
		objs = append(objs, &amf.Object{Class: c, Members: []amf.Member{}})
		total += len(c) + 3
	}
	return packet(3, target, amf.AVMPlus{Value: objs})
}

// heldTables is what a token Reader that has read all of the packet data
// (of one message) holds of
// its tables (the least of three runs, each after two collections).
func heldTables(data []byte) int64 {
	least := int64(-1)
	for range 3 {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(&a)
		r := amf.NewReader(data, amf.AMF0)
		r.NoReplay = true
		r.ReadPacketStart()
		r.ReadMessagesStart()
		if _, _, _, err := r.ReadMessageStart(); err != nil {
			panic(err)
		}
		for {
			if _, err := r.NextToken(); err != nil {
				break
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&b)
		runtime.KeepAlive(r)
		if n := int64(b.HeapAlloc) - int64(a.HeapAlloc); least < 0 || n < least {
			least = n
		}
	}
	return least
}

// TestInlineTraitsTablesCharged: as a token Reader begins a request of
// objects of inline traits (the scan of a lone echo, or the count of a
// call's values), the request holds at least its body and the tables
// that Reader keeps: the first 4,096 traits whole (with their names),
// and 4 bytes an object. Before, an echo of 250 KB of them (charged
// three times its body, 814 KB) made 1.5 MB of tables; 200 at once took
// serve to 98-130 MB under a budget of 64 MiB.
func TestInlineTraitsTablesCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 32 << 20})
	var held []int64
	tablesHook = func(n int64) { held = append(held, n) }
	defer func() { tablesHook = nil }()
	for _, c := range []struct {
		target string
		size   int
	}{
		{"echo.echo", 250_000},   // not peeked: three times its body
		{"echo.echo", 1_000_000}, // peeked: echoCost
		{"x.y", 250_000},         // counted (then Unknown service)
	} {
		body := traitsPacket(c.target, c.size)
		held = held[:0]
		w := httptest.NewRecorder()
		g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(body)))
		if w.Code != 200 {
			t.Fatalf("%s of %d bytes: status %d: %.300s", c.target, len(body), w.Code, w.Body.String())
		}
		if len(held) == 0 {
			t.Fatalf("%s of %d bytes: no token Reader began", c.target, len(body))
		}
		tables := heldTables(body)
		if want := int64(len(body)) + tables; held[0] < want {
			t.Errorf("%s of %d bytes: held %d bytes of the budget as its tables were made, under its body and their %d bytes", c.target, len(body), held[0], tables)
		} else {
			t.Logf("%s of %d bytes: held %d, body and tables %d", c.target, len(body), held[0], want)
		}
		if n := g.lim.inFlight.Load(); n != 0 {
			t.Errorf("%s: %d bytes of the budget still held", c.target, n)
		}
	}
}

package gateway

import (
	"bytes"
	"encoding/binary"
	"net/http/httptest"
	"runtime"
	"testing"
)

// objects0Packet is a version 0 packet of one call to target whose
// argument is an AMF0 strict array of n empty AMF0 objects (03 00 00
// 09, the smallest a token Reader keeps an object table entry for).
func objects0Packet(target string, n int) []byte {
	var v bytes.Buffer
	v.WriteByte(0x0a)
	binary.Write(&v, binary.BigEndian, uint32(1))
	v.WriteByte(0x0a)
	binary.Write(&v, binary.BigEndian, uint32(n))
	for range n {
		v.Write([]byte{3, 0, 0, 9})
	}
	var p bytes.Buffer
	p.Write([]byte{0, 0, 0, 0, 0, 1})
	for _, s := range []string{target, "/1"} {
		binary.Write(&p, binary.BigEndian, uint16(len(s)))
		p.WriteString(s)
	}
	binary.Write(&p, binary.BigEndian, uint32(v.Len()))
	p.Write(v.Bytes())
	return p.Bytes()
}

// allocated is what f allocates, in bytes.
func allocated(f func()) int64 {
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return int64(b.TotalAlloc - a.TotalAlloc)
}

// TestAMF0TablesCharged: as a token Reader begins a request (the scan
// of a lone echo, or the count of a call's values), the request holds
// at least its body and what that Reader allocates: for a value of
// empty AMF0 objects, a table of 8 bytes each that doubles as it grows
// (16.8 MB for 4 MB of objects). Before, a lone echo of 4 MB held 9 MB
// (12 of them at once took serve to 98 MB under a budget of 64 MiB),
// one of 256 KiB (not peeked: charged three times its body) 832 KiB,
// and a secure.echo of 4 MB three times its body, 12 MB.
func TestAMF0TablesCharged(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 16 << 20})
	var held []int64
	tablesHook = func(n int64) { held = append(held, n) }
	defer func() { tablesHook = nil }()
	for _, c := range []struct {
		target string
		n      int
		status int
	}{
		{"echo.echo", 300_000, 200},
		{"echo.echo", 65_000, 200},
		{"secure.echo", 300_000, 413}, // its values would take 36.6 MiB
	} {
		body := objects0Packet(c.target, c.n)
		held = held[:0]
		w := httptest.NewRecorder()
		g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(body)))
		if w.Code != c.status {
			t.Fatalf("%s of %d objects: status %d: %.300s", c.target, c.n, w.Code, w.Body.String())
		}
		if len(held) == 0 {
			t.Fatalf("%s of %d objects: no token Reader began", c.target, c.n)
		}
		// The least of three runs: what else runs meanwhile only adds.
		// Each with the pools emptied (two collections), as when
		// requests come at once: ScanPacket keeps the tables of up to
		// 65,536 entries of a Reader it pools.
		tables := int64(-1)
		for range 3 {
			runtime.GC()
			runtime.GC()
			var n int64
			if c.target == "echo.echo" {
				n = allocated(func() { g.dec.ScanPacket(body) })
			} else {
				n = allocated(func() { g.valueCost(body) })
			}
			if tables < 0 || n < tables {
				tables = n
			}
		}
		if want := int64(len(body)) + tables; held[0] < want {
			t.Errorf("%s of %d objects (%d bytes): held %d bytes of the budget as its tables were made, under its body and their %d bytes", c.target, c.n, len(body), held[0], tables)
		}
		if n := g.lim.inFlight.Load(); n != 0 {
			t.Errorf("%s: %d bytes of the budget still held", c.target, n)
		}
	}
}

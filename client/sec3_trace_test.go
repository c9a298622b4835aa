package client

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// traceReply shows a reply of packet p at level as a trace does, and
// returns the trace and the bytes allocated meanwhile.
func traceReply(t *testing.T, level int, p *amf.Packet) (string, uint64) {
	t.Helper()
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	th := &TraceHandler{Out: &out, VerbosityLevel: level}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	th.OnResponse(&ResponseEvent{Body: body, Packet: p})
	runtime.ReadMemStats(&after)
	return out.String(), after.TotalAlloc - before.TotalAlloc
}

func replyOf(v any) *amf.Packet {
	return &amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: v}}}}
}

// TestTraceReferenceBombBounded: typed JSON writes a string sent by
// reference at each use, so that a reply of a 16 KiB string and 20,000
// references (60 KB) is 330 MB of it, which -v built whole (and a reply
// of a 1 MB string, 20 GB: amfcall call -v ran out of memory). The
// trace's JSON is now bounded by 16 times the reply's bytes and 16 MiB,
// and the trace says it cannot show the packet.
func TestTraceReferenceBombBounded(t *testing.T) {
	s := strings.Repeat("A", 16<<10)
	dense := make([]any, 20000)
	for i := range dense {
		dense[i] = s
	}
	for _, level := range []int{1, 2} {
		out, alloc := traceReply(t, level, replyOf(&amf.Array{Dense: dense}))
		t.Logf("-v level %d: %.1f MiB allocated", level, float64(alloc)/(1<<20))
		if alloc > 256<<20 {
			t.Errorf("level %d: showing a reply of 20,000 references allocated %.1f MiB", level, float64(alloc)/(1<<20))
		}
		if !strings.Contains(out, "cannot show it") || !strings.Contains(out, "exceeds") {
			t.Errorf("level %d: trace %.300q", level, out)
		}
	}
	// A reply of ordinary size is shown.
	if out, _ := traceReply(t, 1, replyOf(s)); !strings.Contains(out, s) {
		t.Errorf("a 16 KiB string is not shown")
	}
}

// TestTraceCutsInOnePass: -v cuts each ByteArray over 1 KiB to its
// first bytes and "$size"/"$cut" members. Each cut copied the whole
// JSON once (bytes.Replace): a reply of 20,000 such ByteArrays (22 MB)
// took 31 s to show, 5,000 took 2.6 s. 4,000 allocated about 1.6 GB.
func TestTraceCutsInOnePass(t *testing.T) {
	const n = 4000
	dense := make([]any, n)
	for i := range dense {
		b := make([]byte, 1100+i%7)
		b[0] = byte(i)
		dense[i] = &amf.ByteArray{Data: b}
	}
	// One shown whole (1 KiB at most) holds what a marker begins with.
	dense = append(dense, &amf.ByteArray{Data: []byte("\x00cu\x00cut")})
	out, alloc := traceReply(t, 1, replyOf(&amf.Array{Dense: dense}))
	t.Logf("%d ByteArrays cut: %.1f MiB allocated", n, float64(alloc)/(1<<20))
	if alloc > 64<<20 {
		t.Errorf("cutting %d ByteArrays allocated %.1f MiB", n, float64(alloc)/(1<<20))
	}
	for i := range 7 {
		want := `"$size":` + itoa(1100+i) + `,"$cut":true}`
		if got, wantN := strings.Count(out, want), (n-i+6)/7; got != wantN {
			t.Errorf("%d cuts of %q, want %d", got, want, wantN)
		}
	}
	if strings.Contains(out, "AGN1dA") && !strings.Contains(out, `"$bytes":"AGN1AGN1dA=="`) {
		t.Errorf("a marker is left in the trace")
	}
	if !strings.Contains(out, `{"$bytes":"AGN1AGN1dA=="}`) {
		t.Errorf("the small ByteArray is not shown whole")
	}
}

// TestSessionHeaderBombNotSaved: a gateway's persistent header whose
// value is one string and many references to it (57 KB) was saved in
// the session as 330 MB of typed JSON, read and sent again at every
// later call (one of 1 MB: 20 GB, the save failing at 1 GiB). A header
// whose typed JSON passes maxSavedHeader is left out, with a warning;
// the others are saved. (Such a header is no longer kept at all, since
// MaxServerHeaderBytes bounds what it adds to a request: this one, 40
// references to 16 KiB of control characters, is sent as 655 KB, and
// its JSON, each character written \u0001, is 3.9 MB.)
func TestSessionHeaderBombNotSaved(t *testing.T) {
	s := strings.Repeat("\x01", 16<<10)
	dense := make([]any, 40)
	for i := range dense {
		dense[i] = s
	}
	persistent := func(name string, v any) amf.Header {
		return amf.Header{Name: "RequestPersistentHeader", Value: &amf.Object{Members: []amf.Member{
			{Name: "name", Value: name}, {Name: "mustUnderstand", Value: false}, {Name: "data", Value: v}}}}
	}
	ss := &scriptedServer{replies: [][]amf.Header{{
		persistent("Bomb", amf.AVMPlus{Value: &amf.Array{Dense: dense}}),
		persistent("Token", "t-1"),
	}}}
	srv := server(t, ss.ServeHTTP)
	rec := &recorder{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec})
	if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	data, err := c.SaveSession()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("session of %d bytes, %.1f MiB allocated", len(data), float64(alloc)/(1<<20))
	if len(data) > 64<<10 || alloc > 64<<20 {
		t.Errorf("session of %d bytes, %.1f MiB allocated", len(data), float64(alloc)/(1<<20))
	}
	if !strings.Contains(string(data), `"t-1"`) || strings.Contains(string(data), `"Bomb"`) {
		t.Errorf("session %.500s", data)
	}
	warned := false
	for _, w := range rec.warns {
		warned = warned || strings.Contains(w, `header "Bomb" is not saved`)
	}
	if !warned {
		t.Errorf("no warning about Bomb: %q", rec.warns)
	}
}

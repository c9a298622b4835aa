package client

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// A reply whose packet is followed by 16 MiB of other bytes: the client
// kept a copy of them for as long as it lived, to warn once while a
// gateway sends the same (a load test's 16 workers, each a client,
// peaked at 1.15 GB for replies of 60 MB). It now keeps their digest:
// the same text is still warned about once, another again.
func TestTrailingTextNotKept(t *testing.T) {
	chunk := bytes.Repeat([]byte("?>\n"), 1<<20/3) // 16 of them after the packet
	n := 0
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := readAMFRequest(w, r)
		if req == nil {
			return
		}
		n++
		writeReply(w, ContentType, resultsFor(req, "ok"))
		if n == 3 {
			w.Write([]byte("another text"))
		}
		for range 16 {
			w.Write(chunk)
		}
	})
	rec := &warnings{}
	c := newClient(t, srv.URL+"/gw", Config{Events: rec, Timeout: time.Minute})
	for i := range 3 {
		if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	runtime.KeepAlive(c)
	t.Logf("heap in use after the calls, the client alive: %.1f MiB", float64(ms.HeapAlloc)/(1<<20))
	if ms.HeapAlloc > 12<<20 {
		t.Errorf("%.1f MiB in use after the calls: the client keeps the text after the packet", float64(ms.HeapAlloc)/(1<<20))
	}
	warned := 0
	for _, w := range rec.warns {
		if strings.Contains(w, "after its AMF packet") {
			warned++
		}
	}
	if warned != 2 {
		t.Errorf("%d warnings of text after the packet, want 2 (the same text twice, then another):\n%s", warned, strings.Join(rec.warns, "\n"))
	}
}

// warnings keeps the warnings a client gives, and nothing else.
type warnings struct {
	NopHandler
	mu    sync.Mutex
	warns []string
}

func (w *warnings) OnNotice(n Notice) {
	if n.Warning {
		w.mu.Lock()
		w.warns = append(w.warns, n.Msg)
		w.mu.Unlock()
	}
}

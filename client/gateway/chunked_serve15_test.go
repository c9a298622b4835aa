package gateway

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// discardWriter is a ResponseWriter that keeps nothing but the status.
type discardWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *discardWriter) Header() http.Header {
	if w.h == nil {
		w.h = http.Header{}
	}
	return w.h
}
func (w *discardWriter) WriteHeader(code int) { w.code = code }
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = 200
	}
	w.n += len(p)
	return len(p), nil
}

// TestChunkedEchoChargedWhatItTakes: a body of unknown length (chunked)
// took one buffer of the whole read limit once a quarter of it had
// come (an echo's limit: 47.9 MiB under a budget of 64 MiB), charged
// only for the bytes that came: an echo of 13 MB allocated 61 MB, held
// 20 MB of the budget, and 8 of them at once took serve to 156 MB. It
// is now read in chunks as it comes and copied into one buffer of its
// size, the copy charged first: what it allocates is within what it
// held.
func TestChunkedEchoChargedWhatItTakes(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 64 << 20, MaxUpload: 128 << 20})
	body := packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: bytes.Repeat([]byte("0123456789abcdef"), 13<<20/16)}})
	var held int64
	tablesHook = func(n int64) { held = n }
	defer func() { tablesHook = nil }()
	r := newRequest("POST", "/", io.MultiReader(bytes.NewReader(body)))
	r.ContentLength = -1
	w := &discardWriter{}
	alloc := allocated(func() { g.ServeHTTP(w, r) })
	if w.code != 200 || w.n < len(body)-64 {
		t.Fatalf("status %d, %d bytes of reply for a body of %d", w.code, w.n, len(body))
	}
	t.Logf("body %d bytes: allocated %d, held %d", len(body), alloc, held)
	if alloc > held+4<<20 { // slack for what else runs meanwhile
		t.Errorf("a chunked echo of %d bytes allocated %d bytes, holding %d of the budget", len(body), alloc, held)
	}
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Errorf("%d bytes of the budget still held", n)
	}
}

// TestChunkedBodyBusy: a body of unknown length whose bytes find no room
// in the budget as they come gets the 503 (with Retry-After) that any
// wait for the budget gets. It was a 400: "The request body was unable
// to be successfully decoded: reading the request body: the gateway's
// memory budget ... is taken by other requests".
func TestChunkedBodyBusy(t *testing.T) {
	g := newTestGateway(t, Options{MaxMemory: 16 << 20})
	g.lim.wait = 50 * time.Millisecond
	release, err := g.Budget().Reserve(context.Background(), 14<<20)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	body := packet(3, "echo.echo", amf.AVMPlus{Value: &amf.ByteArray{Data: make([]byte, 4<<20)}})
	r := newRequest("POST", "/", io.MultiReader(bytes.NewReader(body)))
	r.ContentLength = -1
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "memory budget") {
		t.Errorf("status %d, Retry-After %q: %.300s", w.Code, w.Header().Get("Retry-After"), w.Body.String())
	}
}

package client

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestWatchGivesUpAtMaxOutage: Watch ends at MaxOutage, not up to a
// whole wait between tries past it. With 300ms and an interval of 290ms
// the tries came at 0, ~0.26s, and, after a wait twice as long, ~0.8s:
// the end came 0.5s late (--retry-for 2s ended after 3s). Now the last
// try is at the limit. The bound left is generous (a loopback try on a
// busy machine), well short of the overrun.
func TestWatchGivesUpAtMaxOutage(t *testing.T) {
	gw := newRestartable(t)
	front := func(w http.ResponseWriter, r *http.Request, body []byte) bool {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return true
	}
	cl, err := New(gw.url(), Config{Flex: true, Events: &notices{}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cl.Subscribe(context.Background(), "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	const limit = 300 * time.Millisecond
	sub.MaxOutage = limit
	gw.front.Store(&front)
	start := time.Now()
	err = sub.Watch(context.Background(), 290*time.Millisecond, func(*amf.Object) bool { return true })
	took := time.Since(start)
	var oe *OutageError
	if !errors.As(err, &oe) || oe.Interrupted {
		t.Fatalf("Watch: %v, want an OutageError", err)
	}
	if took > limit+250*time.Millisecond {
		t.Errorf("Watch gave up after %v, with MaxOutage %v", took, limit)
	}
	if oe.For < 200*time.Millisecond || oe.For > limit+250*time.Millisecond {
		t.Errorf("OutageError.For %v (%v), want about %v", oe.For, err, limit)
	}
}

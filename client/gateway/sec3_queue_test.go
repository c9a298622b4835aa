package gateway

import (
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

// TestQueuedMessagesCountDecoded: the message queues hold what
// publishes queued decoded, so their bound must hold in memory, not in
// encoded bytes. A message of dense small values (empty objects, 3
// bytes each in AMF3, 70-140 bytes each decoded) was counted by its
// bytes: 64 subscriptions of one such message of 75 KB each held 110
// MB (and serve, 53 messages of a megabyte, 1.27 GB) under a 64 MiB
// bound.
func TestQueuedMessagesCountDecoded(t *testing.T) {
	g := newTestGateway(t, Options{})
	a := ping(t, g)
	const subs, objects = 64, 25000
	for i := range subs {
		subscribe(t, g, a, "dense"+itoa(int64(i)), "")
	}
	before := heapInUse()
	queued, full := 0, 0
	for i := range subs {
		dense := make([]any, objects)
		for j := range dense {
			dense[j] = &amf.Object{}
		}
		o, ok := publishTo(t, g, a, "dense"+itoa(int64(i)), "", &amf.Array{Dense: dense})
		switch {
		case ok:
			queued++
		case memberString(o, "faultCode") == "Server.Resource.Unavailable":
			full++
		default:
			t.Fatalf("publish %d: %s", i+1, memberString(o, "faultString"))
		}
	}
	grown := heapInUse() - before
	t.Logf("%d messages of %d empty objects queued, %d refused (queues full); the heap grew %.1f MiB", queued, objects, full, float64(grown)/(1<<20))
	if grown > maxTotalBytes+8<<20 {
		t.Errorf("the queues hold %.1f MiB, over their bound of %d MiB", float64(grown)/(1<<20), maxTotalBytes>>20)
	}
	if queued == 0 || full == 0 {
		t.Errorf("%d queued, %d refused: want some of each", queued, full)
	}
	// One message whose values alone pass a subscription's bound is
	// refused, saying so.
	dense := make([]any, 200000)
	for j := range dense {
		dense[j] = &amf.Object{}
	}
	if o, ok := publishTo(t, g, a, "dense0", "", &amf.Array{Dense: dense}); ok || !strings.Contains(memberString(o, "faultString"), "would take about") {
		t.Errorf("a message of 200,000 empty objects: ok %v, %q", ok, memberString(o, "faultString"))
	}
}

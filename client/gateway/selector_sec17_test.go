package gateway

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestSelectorsOutsideQueuesLock: a publish evaluates its subscriptions'
// selectors without the queues' lock, so that hostile selectors (about
// 1 s per publish over 256 subscriptions) do not stall the other
// clients' polls and subscribes; the message still reaches the
// subscriptions whose selector is true, and only them.
func TestSelectorsOutsideQueuesLock(t *testing.T) {
	g := newTestGateway(t, Options{})
	a, b, c, pub := ping(t, g), ping(t, g), ping(t, g), ping(t, g)
	subA := subscribeSel(t, g, a, "feed", "prio > 5")
	subB := subscribeSel(t, g, b, "feed", "prio < 5")
	subC := subscribe(t, g, c, "feed", "")
	calls, free := 0, 0
	selectorEvaluating = func() {
		calls++
		if g.topics.mu.TryLock() {
			free++
			g.topics.mu.Unlock()
		}
	}
	defer func() { selectorEvaluating = nil }()
	msg := flexMsg(amf.ClassAsyncMessage, pub, amf.Member{Name: "destination", Value: "feed"}, amf.Member{Name: "body", Value: "hi"})
	withHeaders(msg, amf.Member{Name: "prio", Value: amf.Int(9)})
	if o, ok := flexCall(t, g, msg); !ok {
		t.Fatalf("publish: %s", memberString(o, "faultString"))
	}
	if calls != 2 || free != 2 {
		t.Errorf("selectors evaluated %d times, %d of them without the queues' lock held; want 2 and 2", calls, free)
	}
	if got := poll(t, g, a, subA); !equalBodies(got, "hi") {
		t.Errorf("prio > 5 got %v", got)
	}
	if got := poll(t, g, c, subC); !equalBodies(got, "hi") {
		t.Errorf("no selector got %v", got)
	}
	if got := poll(t, g, b, subB); len(got) != 0 {
		t.Errorf("prio < 5 got %v", got)
	}
}

// TestSelectorHeadersIndex: identifiers are looked up in an index of the
// headers made once per message (a message of 60,000 headers against
// 256 subscriptions of 500 identifiers took 7.9 s per publish through
// the list, 0.18 s so), with the list's meaning: the first header of a
// name counts, a non-scalar one is NULL.
func TestSelectorHeadersIndex(t *testing.T) {
	h := []amf.Member{{Name: "o", Value: &amf.Object{}}, {Name: "o", Value: "later"}, {Name: "p", Value: amf.Int(3)}, {Name: "p", Value: amf.Int(9)}, {Name: "s", Value: "x"}}
	for sel, want := range map[string]bool{
		"o IS NULL": true, "o = 'later'": false, "p = 3": true, "p = 9": false, "s = 'x' AND q IS NULL": true,
		strings.TrimSuffix(strings.Repeat("zz = 1 OR ", 400), " OR ") + " OR p = 3": true,
	} {
		n, err := parseSelector(sel)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := selectorMatches(n, h); got != want || !ok {
			t.Errorf("%.40q: %v %v, want %v", sel, got, ok, want)
		}
	}
}

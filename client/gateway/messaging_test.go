package gateway

import (
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// flexCall sends one Flex message and returns the reply message and
// whether it was an /onResult.
func flexCall(t *testing.T, g *Gateway, msg *amf.Object) (*amf.Object, bool) {
	t.Helper()
	m := callGW(t, g, flexPacket(msg))
	o, _ := amf.Unwrap(m.Value).(*amf.Object)
	if o == nil {
		t.Fatalf("reply %#v", m.Value)
	}
	return o, strings.HasSuffix(m.Target, "/onResult")
}

func withHeaders(o *amf.Object, hs ...amf.Member) *amf.Object {
	h := member(o, "headers").(*amf.Object)
	h.Members = append(h.Members, hs...)
	return o
}

func ping(t *testing.T, g *Gateway) string {
	t.Helper()
	ack, ok := flexCall(t, g, flexMsg(amf.ClassCommandMessage, "nil", amf.Member{Name: "operation", Value: amf.Int(opPing)}))
	if !ok {
		t.Fatal("ping failed")
	}
	return headerString(ack, "DSId")
}

func subscribe(t *testing.T, g *Gateway, dsid, dest, subtopic string) string {
	t.Helper()
	msg := flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: dest})
	if subtopic != "" {
		withHeaders(msg, amf.Member{Name: "DSSubtopic", Value: subtopic})
	}
	ack, ok := flexCall(t, g, msg)
	id := memberString(ack, "clientId")
	if !ok || len(id) != 36 {
		t.Fatalf("subscribe %s: %v clientId %q", dest, ok, id)
	}
	return id
}

func publishTo(t *testing.T, g *Gateway, dsid, dest, subtopic string, body any) (*amf.Object, bool) {
	t.Helper()
	msg := flexMsg(amf.ClassAsyncMessage, dsid, amf.Member{Name: "destination", Value: dest}, amf.Member{Name: "body", Value: body})
	if subtopic != "" {
		withHeaders(msg, amf.Member{Name: "DSSubtopic", Value: subtopic})
	}
	return flexCall(t, g, msg)
}

// poll returns the bodies of the messages queued for dsid, checking that
// each is addressed to one of its subscriptions.
func poll(t *testing.T, g *Gateway, dsid string, subs ...string) []any {
	t.Helper()
	reply, ok := flexCall(t, g, flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opPoll)}))
	if !ok {
		t.Fatalf("poll: %s", memberString(reply, "faultString"))
	}
	if reply.Class == amf.ClassAcknowledgeMessage {
		return nil
	}
	if op, _ := memberInt(reply, "operation"); reply.Class != amf.ClassCommandMessage || op != opClientSync {
		t.Fatalf("poll reply %s operation %d", reply.Class, op)
	}
	var out []any
	for _, v := range member(reply, "body").(*amf.Array).Dense {
		m := amf.Unwrap(v).(*amf.Object)
		if id := memberString(m, "clientId"); m.Class != amf.ClassAsyncMessage || !containsString(subs, id) {
			t.Errorf("message %s to %q, want one of %q", m.Class, id, subs)
		}
		out = append(out, member(m, "body"))
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestMessagingTwoSubscribers(t *testing.T) {
	g := newTestGateway(t, Options{})
	a, b, pub := ping(t, g), ping(t, g), ping(t, g)
	subA := subscribe(t, g, a, "chat", "")
	subB := subscribe(t, g, b, "chat", "")
	subBRoom := subscribe(t, g, b, "chat", "room1")
	for _, body := range []string{"one", "two", "three"} {
		if o, ok := publishTo(t, g, pub, "chat", "", body); !ok {
			t.Fatalf("publish: %s", memberString(o, "faultString"))
		}
	}
	publishTo(t, g, pub, "chat", "room1", "in room1")
	publishTo(t, g, pub, "news", "", "elsewhere")
	if got := poll(t, g, a, subA); len(got) != 3 || got[0] != "one" || got[1] != "two" || got[2] != "three" {
		t.Errorf("subscriber A got %v", got)
	}
	if got := poll(t, g, b, subB, subBRoom); len(got) != 4 || got[0] != "one" || got[2] != "three" || got[3] != "in room1" {
		t.Errorf("subscriber B got %v", got)
	}
	if got := poll(t, g, a, subA); got != nil {
		t.Errorf("second poll got %v", got)
	}
	// Unsubscribed: nothing more arrives.
	unsub := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opUnsubscribe)}, amf.Member{Name: "destination", Value: "chat"}, amf.Member{Name: "clientId", Value: subA})
	if _, ok := flexCall(t, g, unsub); !ok {
		t.Fatal("unsubscribe")
	}
	publishTo(t, g, pub, "chat", "", "four")
	// A has no subscription left: its poll is answered as BlazeDS
	// answers one (rvflex7), so that a client can tell it lost them.
	pollA := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opPoll)})
	if reply, ok := flexCall(t, g, pollA); ok || memberString(reply, "faultCode") != "Server.Processing.NotSubscribed" {
		t.Errorf("after unsubscribing, A's poll got %s %q", reply.Class, memberString(reply, "faultCode"))
	}
	if got := poll(t, g, b, subB, subBRoom); len(got) != 1 || got[0] != "four" {
		t.Errorf("B got %v", got)
	}
}

// TestMessagingBounds: a subscriber that never polls holds at most
// maxQueued messages (the oldest go), and the subscriptions are bounded.
func TestMessagingBounds(t *testing.T) {
	g := newTestGateway(t, Options{})
	a := ping(t, g)
	sub := subscribe(t, g, a, "flood", "")
	for i := range maxQueued + 5 {
		publishTo(t, g, a, "flood", "", amf.Int(i))
	}
	var got []any
	for range maxQueued/maxPollBatch + 1 {
		got = append(got, poll(t, g, a, sub)...)
	}
	if len(got) != maxQueued || got[0] != amf.Int(5) || got[len(got)-1] != amf.Int(maxQueued+4) {
		t.Fatalf("got %d messages, first %v", len(got), got[0])
	}
	big := strings.Repeat("x", maxMessageBytes)
	if o, ok := publishTo(t, g, a, "flood", "", big); ok || !strings.Contains(memberString(o, "faultString"), "larger") {
		t.Errorf("a message of %d bytes was queued", len(big))
	}
	for i := len(g.topics.subs); i < maxSubscriptions; i++ {
		subscribe(t, g, a, "many", "")
	}
	msg := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "many"})
	if o, ok := flexCall(t, g, msg); ok || memberString(o, "faultCode") != "Server.Resource.Unavailable" {
		t.Errorf("subscription %d accepted", maxSubscriptions+1)
	}
}

// TestMessagingTotalBound: a publish that would take the queues past
// maxTotalBytes is refused until space is freed.
func TestMessagingTotalBound(t *testing.T) {
	g := newTestGateway(t, Options{})
	a := ping(t, g)
	var subs []string
	for range 17 {
		subs = append(subs, subscribe(t, g, a, "big", ""))
	}
	body := strings.Repeat("y", 900<<10)
	for i := range 4 {
		if o, ok := publishTo(t, g, a, "big", "", body); !ok {
			t.Fatalf("publish %d: %s", i+1, memberString(o, "faultString"))
		}
	}
	if o, ok := publishTo(t, g, a, "big", "", body); ok || memberString(o, "faultCode") != "Server.Resource.Unavailable" {
		t.Fatalf("publish beyond %d bytes accepted", maxTotalBytes)
	}
	for _, id := range subs[1:] {
		msg := flexMsg(amf.ClassCommandMessage, a, amf.Member{Name: "operation", Value: amf.Int(opUnsubscribe)}, amf.Member{Name: "destination", Value: "big"}, amf.Member{Name: "clientId", Value: id})
		if _, ok := flexCall(t, g, msg); !ok {
			t.Fatal("unsubscribe")
		}
	}
	if o, ok := publishTo(t, g, a, "big", "", body); !ok {
		t.Fatalf("publish after unsubscribing: %s", memberString(o, "faultString"))
	}
	if g.topics.bytes != g.topics.subs[subs[0]].bytes || len(g.topics.subs[subs[0]].queue) != 4 {
		t.Errorf("total %d bytes, the subscription holds %d in %d messages", g.topics.bytes, g.topics.subs[subs[0]].bytes, len(g.topics.subs[subs[0]].queue))
	}
}

func TestFlexSourceRouting(t *testing.T) {
	g := newTestGateway(t, Options{})
	dsid := ping(t, g)
	msg := flexMsg(amf.ClassRemotingMessage, dsid, amf.Member{Name: "destination", Value: "amfphp"}, amf.Member{Name: "operation", Value: "echo"},
		amf.Member{Name: "body", Value: []any{"hi"}}, amf.Member{Name: "source", Value: "echo"})
	if o, ok := flexCall(t, g, msg); !ok || member(o, "body") != "hi" {
		t.Errorf("routed by source: %v %#v", ok, member(o, "body"))
	}
}

// BenchmarkFlexPublishPoll measures the gateway's messaging: a publish
// decoded and queued for 4 subscribers, each polled every 100 messages.
func BenchmarkFlexPublishPoll(b *testing.B) {
	g, err := New(Options{ImagesDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	handle := func(data []byte) *amf.Packet {
		req, err := g.dec.UnmarshalPacket(data)
		if err != nil {
			b.Fatal(err)
		}
		return g.Handle(nil, req)
	}
	var dsids []string
	for i := range 4 {
		dsid := "SUB" + itoa(int64(i))
		dsids = append(dsids, dsid)
		handle(flexPacket(flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "chat"})))
	}
	body := &amf.Object{Members: []amf.Member{{Name: "from", Value: "ann"}, {Name: "text", Value: "hello, this is a chat line"}, {Name: "n", Value: amf.Int(42)}}}
	pub := flexPacket(flexMsg(amf.ClassAsyncMessage, "PUB", amf.Member{Name: "destination", Value: "chat"}, amf.Member{Name: "body", Value: body}))
	polls := make([][]byte, len(dsids))
	for i, d := range dsids {
		polls[i] = flexPacket(flexMsg(amf.ClassCommandMessage, d, amf.Member{Name: "operation", Value: amf.Int(opPoll)}))
	}
	b.SetBytes(int64(len(pub)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		handle(pub)
		if i%100 == 99 {
			for _, p := range polls {
				if _, err := amf.MarshalPacket(handle(p)); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// A message's headers are queued with it, so they count against the
// bounds as its body does: a publisher can't queue megabytes per
// message in headers while each counts a few bytes.
func TestMessagingCountsHeaders(t *testing.T) {
	g := newTestGateway(t, Options{})
	dsid := ping(t, g)
	subscribe(t, g, dsid, "chat", "")
	big := strings.Repeat("h", 600<<10)
	for i := 0; i < 20; i++ {
		msg := withHeaders(flexMsg(amf.ClassAsyncMessage, dsid, amf.Member{Name: "destination", Value: "chat"}, amf.Member{Name: "body", Value: "x"}),
			amf.Member{Name: "note", Value: big})
		if _, ok := flexCall(t, g, msg); !ok {
			t.Fatalf("publish %d refused", i)
		}
	}
	g.topics.mu.Lock()
	queued, bytes := 0, g.topics.bytes
	for _, s := range g.topics.subs {
		queued += len(s.queue)
	}
	g.topics.mu.Unlock()
	if bytes > maxQueuedBytes || queued*len(big) > maxQueuedBytes+len(big) {
		t.Errorf("%d messages of %d KiB of headers queued, counted as %d bytes; the bound is %d", queued, len(big)>>10, bytes, maxQueuedBytes)
	}
	if bytes < queued*len(big) {
		t.Errorf("queued %d bytes counted as %d", queued*len(big), bytes)
	}
	huge := withHeaders(flexMsg(amf.ClassAsyncMessage, dsid, amf.Member{Name: "destination", Value: "chat"}, amf.Member{Name: "body", Value: "x"}),
		amf.Member{Name: "note", Value: strings.Repeat("h", maxMessageBytes)})
	if reply, ok := flexCall(t, g, huge); ok || !strings.Contains(memberString(reply, "faultString"), "body and headers") {
		t.Errorf("a message with headers over %d bytes: ok %v, %q", maxMessageBytes, ok, memberString(reply, "faultString"))
	}
}

// While every subscription place is taken, one not polled for a minute
// makes room for a new subscription (and the log says so); one polled
// lately does not.
func TestMessagingEvictsIdleWhenFull(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var log syncBuffer
	g := newTestGateway(t, Options{Log: &log, Now: func() time.Time { return now }})
	a := ping(t, g)
	first := subscribe(t, g, a, "many", "")
	now = now.Add(10 * time.Second)
	b := ping(t, g)
	for i := len(g.topics.subs); i < maxSubscriptions; i++ {
		subscribe(t, g, b, "many", "")
	}
	msg := func() *amf.Object {
		return flexMsg(amf.ClassCommandMessage, b, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "other"})
	}
	now = now.Add(40 * time.Second) // the first idle 50s
	if o, ok := flexCall(t, g, msg()); ok || memberString(o, "faultCode") != "Server.Resource.Unavailable" {
		t.Fatalf("subscription %d accepted while none was idle a minute", maxSubscriptions+1)
	}
	now = now.Add(11 * time.Second) // the first idle 61s, the others 51s
	if _, ok := flexCall(t, g, msg()); !ok {
		t.Fatal("no room made by the subscription idle for a minute")
	}
	if _, ok := g.topics.subs[first]; ok || len(g.topics.subs) != maxSubscriptions {
		t.Errorf("first subscription kept (%d subscriptions)", len(g.topics.subs))
	}
	if !strings.Contains(log.String(), "subscription "+first+" to many ended: not polled for 61.00s") {
		t.Errorf("log:\n%.600s", log.String())
	}
	if o, ok := flexCall(t, g, msg()); ok || memberString(o, "faultCode") != "Server.Resource.Unavailable" {
		t.Error("a subscription idle 51s was ended")
	}
}

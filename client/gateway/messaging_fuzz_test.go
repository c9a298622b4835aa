package gateway

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzFlexMessaging sends any packet to one gateway, whose messaging
// state carries over between inputs: it never panics, every reply
// encodes, and the subscriptions and queues stay within their bounds.
func FuzzFlexMessaging(f *testing.F) {
	dsid := "D5"
	sub := flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "t"})
	pub := flexMsg(amf.ClassAsyncMessage, dsid, amf.Member{Name: "destination", Value: "t"}, amf.Member{Name: "body", Value: "x"})
	pollMsg := flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opPoll)})
	unsub := flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opUnsubscribe)}, amf.Member{Name: "destination", Value: "t"})
	dsa := &amf.Object{Class: amf.ClassDSA, Members: []amf.Member{
		{Name: "body", Value: 1.5}, {Name: "destination", Value: "t"},
		{Name: "clientIdBytes", Value: &amf.ByteArray{Data: make([]byte, 16)}},
	}}
	f.Add(flexPacket(sub, pub, pollMsg))
	f.Add(flexPacket(sub, pub, pub, unsub, pollMsg))
	f.Add(flexPacket(dsa, pollMsg))
	// Wildcard subtopics and a selector.
	wild := withHeaders(flexMsg(amf.ClassCommandMessage, dsid, amf.Member{Name: "operation", Value: amf.Int(opSubscribe)}, amf.Member{Name: "destination", Value: "t"}),
		amf.Member{Name: "DSSubtopic", Value: "a.*"}, amf.Member{Name: "DSSelector", Value: "x > 1"})
	pubSub := withHeaders(flexMsg(amf.ClassAsyncMessage, dsid, amf.Member{Name: "destination", Value: "t"}, amf.Member{Name: "body", Value: "y"}),
		amf.Member{Name: "DSSubtopic", Value: "a.b.c"})
	f.Add(flexPacket(wild, pubSub, pollMsg))
	g, err := New(Options{ImagesDir: f.TempDir()})
	if err != nil {
		f.Fatal(err)
	}
	defer g.Close()
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := g.dec.UnmarshalPacket(data)
		if err != nil || len(req.Messages) > 64 {
			return
		}
		resp := g.Handle(nil, req)
		if _, err := amf.MarshalPacket(resp); err != nil {
			g.replaceUnencodable(resp)
			if _, err := amf.MarshalPacket(resp); err != nil {
				t.Fatalf("reply does not encode: %v", err)
			}
		}
		g.topics.mu.Lock()
		defer g.topics.mu.Unlock()
		if len(g.topics.subs) > maxSubscriptions || len(g.topics.order) != len(g.topics.subs) {
			t.Fatalf("%d subscriptions, %d in order", len(g.topics.subs), len(g.topics.order))
		}
		total := 0
		for _, s := range g.topics.subs {
			if len(s.queue) > maxQueued || s.bytes > maxQueuedBytes || s.bytes < 0 {
				t.Fatalf("queue of %d messages, %d bytes", len(s.queue), s.bytes)
			}
			total += s.bytes
		}
		if total != g.topics.bytes || total > maxTotalBytes {
			t.Fatalf("queues hold %d bytes, the count says %d", total, g.topics.bytes)
		}
	})
}

package client

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/gateway"
)

// Two subscribers polling with one DSId (two subscribe commands sharing
// a --session) share the gateway's queue: a poll takes the messages of
// every subscription of the Flex client, and each subscriber keeps only
// its own. What one took for the other was dropped without a word, and
// the other never got it (seen: of c1..c5 and n1..n5 published to chat
// and news, the chat subscriber printed c2..c5 and the news one n1,
// nothing said). The subscriber that takes them says so now, every time.
func TestPollSaysItTookAnotherSubscriptionsMessages(t *testing.T) {
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	srv := httptest.NewServer(g)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	evA := &notices{}
	a, err := New(srv.URL+"/", Config{Flex: true, Events: evA})
	if err != nil {
		t.Fatal(err)
	}
	subA, err := a.Subscribe(ctx, "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	// B starts from A's DSId, as a command that read A's session does.
	b, err := New(srv.URL+"/", Config{Flex: true})
	if err != nil {
		t.Fatal(err)
	}
	b.dsid = a.DSId()
	subB, err := b.Subscribe(ctx, "news", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if b.DSId() != a.DSId() {
		t.Fatalf("B's DSId %s, A's %s: the test needs one", b.DSId(), a.DSId())
	}
	p, err := New(srv.URL+"/", Config{Flex: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{"news", "news", "chat"} {
		if _, err := p.Publish(ctx, dest, "", dest, nil); err != nil {
			t.Fatal(err)
		}
	}
	msgs, _, err := subA.Poll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("A's poll: %d messages, want its 1", len(msgs))
	}
	var warned []string
	for _, n := range evA.all() {
		if n.Warning && strings.Contains(n.Msg, "another subscription") {
			warned = append(warned, n.Msg)
		}
	}
	if len(warned) != 1 || !strings.Contains(warned[0], "held 2 messages for another subscription of this Flex client (DSId "+a.DSId()+"), not this one's ("+subA.ID+")") ||
		!strings.Contains(warned[0], "same DSId") {
		t.Fatalf("A's warnings about B's messages: %q", warned)
	}
	// B's messages are gone indeed: the gateway gave them to A's poll.
	if msgs, _, err := subB.Poll(ctx); err != nil || len(msgs) != 0 {
		t.Fatalf("B's poll: %d messages, %v; want none (A took them)", len(msgs), err)
	}
}

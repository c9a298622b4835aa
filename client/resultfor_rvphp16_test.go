package client

import (
	"context"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestFlexSendMatchesAsACall: a Flex message's reply is matched as a
// call's is. A gateway that answers every request "/1/onResult" (the
// ping is /1, the login /2, the logout /3) got "no reply body" for the
// login, though `call --flex` read the same gateway's answer to /2; now
// the login and logout are acknowledged, and the warning is given once
// while the gateway repeats it.
func TestFlexSendMatchesAsACall(t *testing.T) {
	t.Parallel()
	ack, err := amf.Marshal(&amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
		{Name: "body", Value: true},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "3F2504E0-4F89-11D3-9A0C-0305E82C3301"}}}},
	}}, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	one := replyPacket("/1/onResult", ack)
	srv := newFlexServer(t, one, one, one)
	rec := &recorder{}
	c := newClient(t, srv.URL, Config{Flex: true, Events: rec})
	ctx := context.Background()
	if err := c.FlexPing(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.FlexLogin(ctx, "u", "p"); err != nil {
		t.Fatalf("login: %v", err)
	}
	if err := c.FlexLogout(ctx); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if len(rec.warns) != 1 || !strings.Contains(rec.warns[0], `the reply's body "/1/onResult" is numbered for a call the request did not make: read as the answer to CommandMessage login (/2), the only call`) {
		t.Errorf("warnings %q", rec.warns)
	}
}

// TestResultForSaysOnce: ResultFor gives a reply's warnings again once
// a reply came without them.
func TestResultForSaysOnce(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c := newClient(t, "http://127.0.0.1:1/", Config{Events: rec})
	stray := &amf.Packet{Messages: []amf.Message{{Target: "null", Response: "", Value: "a"}}}
	good := &amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "", Value: "b"}}}
	for i, p := range []*amf.Packet{stray, stray, good, stray} {
		want := map[bool]any{true: "a", false: "b"}[p == stray]
		if v, err := c.ResultFor(p, "s.m", "/1"); err != nil || v != want {
			t.Fatalf("reply %d: %v, %v", i, v, err)
		}
	}
	if len(rec.warns) != 2 {
		t.Errorf("warnings %q, want 2", rec.warns)
	}
}

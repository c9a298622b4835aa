package gateway

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestLoginFloodEndsOldestSessions: serve without --user takes any login.
// Once the table held maxSessions sessions, every later login() was
// refused ("Server.Busy: too many sessions") for as long as the gateway
// ran: 4,096 logins locked everyone out. A full table now forgets the
// session begun longest ago; new logins succeed, recent sessions stay.
func TestLoginFloodEndsOldestSessions(t *testing.T) {
	g := newTestGateway(t, Options{})
	// One login a packet: a packet's logins keep one session, its last
	// (TestBatchLoginsOneSession).
	const perPacket = 1
	total := maxSessions + 904 // 5,000: 904 more than the table holds
	for sent := 0; sent < total; sent += perPacket {
		p := &amf.Packet{Version: 0}
		for i := range perPacket {
			p.Messages = append(p.Messages, amf.Message{Target: "login", Response: fmt.Sprintf("/%d", i+1),
				Value: []any{fmt.Sprintf("user%d", sent+i), "pw"}})
		}
		body, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		w := post(t, g, body)
		reply, err := amf.UnmarshalPacket(w.Body.Bytes())
		if err != nil {
			t.Fatalf("logins %d+: HTTP %d, %v", sent, w.Code, err)
		}
		for i, m := range reply.Messages {
			if !strings.HasSuffix(m.Target, "/onResult") {
				t.Fatalf("login %d: %s %v", sent+i, m.Target, m.Value)
			}
		}
	}
	g.sessMu.Lock()
	defer g.sessMu.Unlock()
	users := map[string]bool{}
	for _, s := range g.sessions {
		users[s.user] = true
	}
	if len(g.sessions) != maxSessions || users["user0"] || !users[fmt.Sprintf("user%d", total-1)] ||
		!users[fmt.Sprintf("user%d", total-maxSessions)] || users[fmt.Sprintf("user%d", total-maxSessions-1)] {
		t.Errorf("%d sessions (want %d), user0 %v, newest %v: want the %d most recent logins kept",
			len(g.sessions), maxSessions, users["user0"], users[fmt.Sprintf("user%d", total-1)], maxSessions)
	}
}

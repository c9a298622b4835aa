package commands

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// slowPollGateway is a Flex gateway that acknowledges the ping, the
// subscription and its end, and answers the first poll with one message
// by calling first (which may hold the reply, or send it slowly); later
// polls get no message. subscribed is when the subscribe request came:
// --for counts from before it.
type slowPollGateway struct {
	mu         sync.Mutex
	subscribed time.Time
	polls      int
	first      func(w http.ResponseWriter, reply []byte, subscribed time.Time)
}

func (g *slowPollGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req bytes.Buffer
	req.ReadFrom(r.Body)
	p, err := amf.UnmarshalPacket(req.Bytes())
	if err != nil || len(p.Messages) != 1 {
		http.Error(w, "bad packet", 400)
		return
	}
	m := p.Messages[0]
	var cmd *amf.Object
	if a, ok := m.Value.(*amf.Array); ok && len(a.Dense) == 1 {
		cmd, _ = amf.Unwrap(a.Dense[0]).(*amf.Object)
	}
	op, _ := amf.FlexField(cmd, "operation").(amf.Int)
	ack := &amf.Object{Class: amf.ClassAcknowledgeMessage, Members: []amf.Member{
		{Name: "body", Value: nil},
		{Name: "clientId", Value: "5E0C2D1A-0000-4000-8000-00000000C11E"},
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: "5E0C2D1A-0000-4000-8000-0000000005D1"}}}},
	}}
	g.mu.Lock()
	first := false
	switch op {
	case client.OpSubscribe:
		g.subscribed = time.Now()
	case client.OpPoll:
		g.polls++
		if g.polls == 1 {
			first = true
			ack.Members[0].Value = &amf.Array{Dense: []any{&amf.Object{Class: amf.ClassAsyncMessage, Members: []amf.Member{
				{Name: "body", Value: "sent within --for"},
				{Name: "destination", Value: "chat"},
				{Name: "messageId", Value: "M1"},
			}}}}
		}
	}
	subscribed := g.subscribed
	g.mu.Unlock()
	out, _ := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: m.Response + "/onResult", Response: "null", Value: amf.AVMPlus{Value: ack}}}})
	w.Header().Set("Content-Type", "application/x-amf")
	if first && g.first != nil {
		g.first(w, out, subscribed)
		return
	}
	w.Write(out)
}

// TestSubscribeForPrintsThePollUnderWay: a poll still under way when
// --for ended was cut, its reply dropped with no word, and exit 0: the
// message published within --for, which that reply brought, was never
// printed (the last poll after --for found the queue emptied). The poll
// under way now gets a grace for its reply to start, and a reply that
// has started is read to its end.
func TestSubscribeForPrintsThePollUnderWay(t *testing.T) {
	const forTime = time.Second
	defer func(g time.Duration) { subscribeGrace = g }(subscribeGrace)
	subscribeGrace = time.Second
	for _, tc := range []struct {
		name  string
		first func(w http.ResponseWriter, reply []byte, subscribed time.Time)
	}{
		// A long-polling gateway answers a held poll just after --for
		// (a message came), within the grace.
		{"held, answered within the grace", func(w http.ResponseWriter, reply []byte, subscribed time.Time) {
			time.Sleep(time.Until(subscribed.Add(forTime + 300*time.Millisecond)))
			w.Write(reply)
		}},
		// A big reply: it starts within --for and ends past the
		// grace (which bounds only the wait for its start).
		{"reply arriving past the grace", func(w http.ResponseWriter, reply []byte, subscribed time.Time) {
			w.Write(reply[:8])
			w.(http.Flusher).Flush()
			time.Sleep(time.Until(subscribed.Add(forTime + subscribeGrace + 500*time.Millisecond)))
			w.Write(reply[8:])
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := &slowPollGateway{first: tc.first}
			srv := httptest.NewServer(g)
			defer srv.Close()
			stdout, stderr, code := run(t, []string{"subscribe", "--for", forTime.String(), "--interval", "10ms", srv.URL + "/", "chat", "-q", "body"}, "", nil, false)
			if code != 0 || stdout != "\"sent within --for\"\n" || stderr != "" {
				t.Errorf("exit %d\nstdout %q\nstderr %q\nwant exit 0 and the message sent within --for on stdout", code, stdout, stderr)
			}
		})
	}
}

// TestSubscribeForHeldPollEnds: a long-polling gateway that holds the
// poll (no message came) is given up after the grace, with no word and
// exit 0, as before.
func TestSubscribeForHeldPollEnds(t *testing.T) {
	defer func(g time.Duration) { subscribeGrace = g }(subscribeGrace)
	subscribeGrace = 200 * time.Millisecond
	release := make(chan struct{})
	g := &slowPollGateway{first: func(w http.ResponseWriter, reply []byte, _ time.Time) {
		<-release // held until the test ends
	}}
	srv := httptest.NewServer(g)
	defer srv.Close()
	defer close(release)
	stdout, stderr, code := run(t, []string{"subscribe", "--for", "500ms", "--interval", "10ms", srv.URL + "/", "chat"}, "", nil, false)
	if code != 0 || stdout != "" || stderr != "" {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant exit 0, nothing printed", code, stdout, stderr)
	}
}

package gateway

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// postAMF sends body to the gateway as amfcall's client does.
func postAMF(t *testing.T, g *Gateway, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := newRequest("POST", "/", bytes.NewReader(body))
	req.Host = "127.0.0.1"
	req.Header.Set("Content-Type", "application/x-amf")
	w := httptest.NewRecorder()
	g.ServeHTTP(w, req)
	return w
}

// TestBatchReplyBounded: a packet of calls whose answers are large for
// their requests (amfcall.discover: 35 bytes asked, 2.2 KB answered)
// has a reply bounded by the memory budget: the calls whose answers
// find no room, and every call after them (not run), are answered with
// the fault Server.ResourceLimit naming the budget, a Flex message with
// an ErrorMessage. Before, the whole reply was built, uncharged: 6,000
// such calls (210 KB) were answered with 13 MB under a budget of 8 MiB,
// and one request of 65,535 (2.3 MB) took serve to 778 MB under 256 MiB.
func TestBatchReplyBounded(t *testing.T) {
	const budget, calls = 8 << 20, 6000
	g := newTestGateway(t, Options{MaxMemory: budget})
	p := &amf.Packet{}
	for i := range calls - 1 {
		p.Messages = append(p.Messages, amf.Message{Target: "amfcall.discover", Response: fmt.Sprintf("/%d", i+1), Value: []any{}})
	}
	flex := &amf.Object{Class: amf.ClassRemotingMessage, Members: []amf.Member{
		{Name: "destination", Value: "amfcall"}, {Name: "operation", Value: "discover"},
		{Name: "messageId", Value: "M-1"}, {Name: "body", Value: []any{}}}}
	p.Messages = append(p.Messages, amf.Message{Target: "null", Response: fmt.Sprintf("/%d", calls), Value: []any{amf.AVMPlus{Value: flex}}})
	body, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	rec := postAMF(t, g, body)
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	if n := rec.Body.Len(); n > budget {
		t.Fatalf("a reply of %d bytes to a request of %d, over the budget of %d", n, len(body), budget)
	}
	reply, err := amf.UnmarshalPacket(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Messages) != calls {
		t.Fatalf("%d reply bodies, want %d", len(reply.Messages), calls)
	}
	answered := 0
	for i, m := range reply.Messages {
		if want := fmt.Sprintf("/%d/", i+1); !strings.HasPrefix(m.Target, want) {
			t.Fatalf("body %d answers %s, want %s", i, m.Target, want)
		}
		if strings.HasSuffix(m.Target, "/onResult") {
			if answered != i {
				t.Fatalf("body %d is a result after a fault", i)
			}
			answered++
			continue
		}
		o, _ := amf.Unwrap(m.Value).(*amf.Object)
		code, desc := memberString(o, "code"), memberString(o, "description")
		if i == calls-1 {
			if o == nil || o.Class != amf.ClassErrorMessage || memberString(o, "correlationId") != "M-1" {
				t.Fatalf("the Flex call's answer %#v, want an ErrorMessage correlated to M-1", m.Value)
			}
			code, desc = memberString(o, "faultCode"), memberString(o, "faultString")
		}
		if code != "Server.ResourceLimit" || !strings.Contains(desc, "memory budget of 8 MiB") {
			t.Fatalf("body %d: %s: %s", i, code, desc)
		}
		if i > answered && !strings.HasPrefix(desc, fmt.Sprintf("not run: the reply had no room left from call %d of this packet's %d on", answered+1, calls)) {
			t.Fatalf("body %d: %s", i, desc)
		}
	}
	if answered == 0 || answered == calls {
		t.Fatalf("%d of %d calls answered, want some", answered, calls)
	}
	t.Logf("%d of %d calls answered; reply %d bytes", answered, calls, rec.Body.Len())
	if n := g.lim.inFlight.Load(); n != 0 {
		t.Fatalf("%d bytes still reserved", n)
	}
	// The same calls, fewer: all answered.
	p.Messages = p.Messages[:100]
	body, _ = amf.MarshalPacket(p)
	reply, err = amf.UnmarshalPacket(postAMF(t, g, body).Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range reply.Messages {
		if !strings.HasSuffix(m.Target, "/onResult") {
			t.Fatalf("body %d: %s", i, m.Target)
		}
	}
}

// TestReplyFaultMax: the fault that answers a call the reply has no
// room for takes at most replyFaultMax bytes encoded (a Flex message's,
// replyFlexFaultMax), besides its request's response URI and messageId
// (the room held for it), in its largest form: with the longest
// description, and for an ErrorMessage a clientId and DSId of 128 bytes
// (the most newFlexReply keeps).
func TestReplyFaultMax(t *testing.T) {
	g := newTestGateway(t, Options{})
	long := strings.Repeat("c", 128)
	// The two faults with their longest texts: the call whose answer
	// found no room, and the calls after it.
	res := &reservation{n: 1<<30 - 1, l: &limits{max: 1<<30 - 1}}
	refused := res.chargeReply(context.Background(), 1<<30-1, "its answer (1023.9 MiB)")
	rest := &Fault{Code: refused.Code, Description: fmt.Sprintf(
		"not run: the reply had no room left from call %d of this packet's %d on, in the gateway's memory budget of %s for requests in flight; send fewer calls in one request",
		65535, 65535, sizeText(res.l.max))}
	flex := &amf.Object{Class: amf.ClassRemotingMessage, Members: []amf.Member{
		{Name: "clientId", Value: long}, {Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: long}}}}}}
	for _, m := range []amf.Message{
		{Target: "echo.echo", Response: "", Value: &amf.Array{}},
		{Target: "null", Response: "", Value: &amf.Array{Dense: []any{amf.AVMPlus{Value: flex}}}},
	} {
		for _, f := range []*Fault{refused, rest} {
			for _, ver := range []uint16{0, 3} {
				p := &amf.Packet{Messages: []amf.Message{g.faultReply(&m, f, ver)}}
				b, err := amf.MarshalPacket(p)
				if err != nil {
					t.Fatal(err)
				}
				max := replyFaultMax
				if m.Target == "null" {
					max = replyFlexFaultMax
				}
				if n := len(b) - 6; n > max {
					t.Errorf("%s, version %d: the fault takes %d bytes, over %d: %s", m.Target, ver, n, max, f.Description)
				} else {
					t.Logf("%s, version %d: %d bytes", m.Target, ver, n)
				}
			}
		}
	}
}

// TestNeedWaitsHolding: a request that waits for more of the budget
// keeps charged what it holds in memory (its body read, its values
// decoded) while it waits. Before, it waited holding nothing: 8 packets
// of 65,535 Flex calls (7 MB each) at once, each waiting for the room
// of its answers with its values decoded (38 MB), took serve to 335 MB
// under a budget of 256 MiB.
func TestNeedWaitsHolding(t *testing.T) {
	l := newLimits(&Options{MaxMemory: 1 << 20})
	res := &reservation{l: l, start: time.Now()}
	if err := res.need(context.Background(), 600<<10, 0); err != nil {
		t.Fatal(err)
	}
	if !l.budget.TryAcquire(400 << 10) { // another request's
		t.Fatal("no room for the other request")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the wait ends at once
	if err := res.need(ctx, 900<<10, 500<<10); err == nil {
		t.Fatal("need found room that is taken")
	}
	if res.n != 500<<10 || l.inFlight.Load() != 500<<10 {
		t.Fatalf("while waiting, the request holds %d bytes charged (in flight %d), want %d", res.n, l.inFlight.Load(), 500<<10)
	}
	res.release()
	l.budget.Release(400 << 10)
	if !l.budget.TryAcquire(1 << 20) {
		t.Fatal("the budget is not whole again")
	}
}

// deadlineRecorder is a ResponseWriter that counts the write deadlines
// set on it.
type deadlineRecorder struct {
	benchRecorder
	deadlines int
}

func (r *deadlineRecorder) SetWriteDeadline(time.Time) error { r.deadlines++; return nil }

// TestReplyOneWriteDeadline: a reply written in pieces (a batch's
// chunks; an echo's framing and argument) is held to one write
// deadline, as one Write of it was. Each piece had its own: a client
// that read a piece now and then, never stalling one piece's write for
// the whole --write-timeout, held a reply of 20 MB, and its share of
// the budget, for as long as it liked.
func TestReplyOneWriteDeadline(t *testing.T) {
	g := newTestGateway(t, Options{})
	for _, tc := range []struct {
		name string
		body []byte
	}{
		{"batch", func() []byte {
			p := &amf.Packet{}
			for i := range 100 { // 220 KB: 4 chunks
				p.Messages = append(p.Messages, amf.Message{Target: "amfcall.discover", Response: fmt.Sprintf("/%d", i+1), Value: []any{}})
			}
			b, _ := amf.MarshalPacket(p)
			return b
		}()},
		{"echo", packet(0, "echo.echo", "x")},
	} {
		rec := &deadlineRecorder{benchRecorder: benchRecorder{h: http.Header{}}}
		r := newRequest("POST", "/", bytes.NewReader(tc.body))
		r.Header.Set("Content-Type", "application/x-amf")
		r.ContentLength = int64(len(tc.body))
		g.ServeHTTP(rec, r)
		// One for the reply; the body's reads set none on a writer.
		if rec.deadlines != 1 {
			t.Errorf("%s: %d write deadlines set for one reply, want 1", tc.name, rec.deadlines)
		}
	}
}

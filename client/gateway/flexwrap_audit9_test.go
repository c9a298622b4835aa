package gateway

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestAudit9FlexWithoutArray holds protocol-digest.md §4.1 and §7 #29:
// RocketAMF's client sends a Flex message as the body value itself
// (11 + the message), without the one-element arguments array; the
// gateway accepts it as it accepts the wrapped form, and its reply is
// the bare message (no array) either way.
func TestAudit9FlexWithoutArray(t *testing.T) {
	g := newTestGateway(t, Options{})
	send := func(msg *amf.Object, wrapped bool) *amf.Object {
		t.Helper()
		var v any = amf.AVMPlus{Value: msg}
		if wrapped {
			v = []any{v}
		}
		b, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "null", Response: "/1", Value: v}}})
		if err != nil {
			t.Fatal(err)
		}
		if !wrapped && b[len("\x00\x03\x00\x00\x00\x01\x00\x04null\x00\x02/1")+4] != 0x11 {
			t.Fatalf("the test packet is wrapped: % X", b)
		}
		m := callGW(t, g, b)
		sw, ok := m.Value.(amf.AVMPlus)
		o, _ := sw.Value.(*amf.Object)
		if !ok || o == nil || !strings.HasSuffix(m.Target, "/onResult") {
			t.Fatalf("reply %s %#v, want /1/onResult with 11 + a message", m.Target, m.Value)
		}
		if memberString(o, "correlationId") != memberString(msg, "messageId") {
			t.Fatalf("correlationId %q, want %q", memberString(o, "correlationId"), memberString(msg, "messageId"))
		}
		return o
	}
	for _, wrapped := range []bool{false, true} {
		ack := send(flexMsg(amf.ClassCommandMessage, "nil", amf.Member{Name: "operation", Value: amf.Int(opPing)}, amf.Member{Name: "body", Value: &amf.Object{}}), wrapped)
		dsid := headerString(ack, "DSId")
		if ack.Class != amf.ClassAcknowledgeMessage || len(dsid) != 36 {
			t.Fatalf("wrapped %v: ping ack %s, DSId %q", wrapped, ack.Class, dsid)
		}
		call := flexMsg(amf.ClassRemotingMessage, dsid,
			amf.Member{Name: "destination", Value: "echo"}, amf.Member{Name: "operation", Value: "echo"},
			amf.Member{Name: "body", Value: []any{"hi"}}, amf.Member{Name: "source", Value: nil})
		res := send(call, wrapped)
		if res.Class != amf.ClassAcknowledgeMessage || amf.Unwrap(member(res, "body")) != "hi" {
			t.Errorf("wrapped %v: echo reply %s body %#v, want an AcknowledgeMessage with body \"hi\"", wrapped, res.Class, member(res, "body"))
		}
	}
}

// TestAudit9ReplyVersion holds protocol-digest.md §3.2: a server
// answers with the request's version, 0 or 3 (1, from Flash Media
// Server, is answered with 0, as BlazeDS does).
func TestAudit9ReplyVersion(t *testing.T) {
	g := newTestGateway(t, Options{})
	for _, tc := range []struct{ in, want uint16 }{{0, 0}, {3, 3}, {1, 0}} {
		b := packet(0, "echo.echo", "x")
		b[1] = byte(tc.in)
		rec := post(t, g, b)
		p, err := amf.UnmarshalPacket(rec.Body.Bytes())
		if err != nil || p.Version != tc.want || len(p.Messages) != 1 || p.Messages[0].Target != "/1/onResult" {
			t.Errorf("version %d: reply %+v, %v; want version %d with /1/onResult", tc.in, p, err, tc.want)
		}
	}
}

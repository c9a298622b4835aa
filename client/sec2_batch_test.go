package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestBatchReplyCutShort: a batch reply whose second body is cut short
// (or does not decode) still gives the first call its result, which came
// whole; the second gets the *DecodeError, with its offset. A reply that
// breaks in its first body fails the whole exchange, as before.
func TestBatchReplyCutShort(t *testing.T) {
	t.Parallel()
	whole, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: amf.AVMPlus{Value: "hello"}},
		{Target: "/2/onResult", Response: "null", Value: amf.AVMPlus{Value: &amf.Array{Dense: []any{1.5, 2.5, 3.5}}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var reply []byte
	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	c := newClient(t, gw.URL, Config{})
	calls := []Call{{Target: "a.b"}, {Target: "c.d"}}

	reply = whole[:len(whole)-3]
	rs, err := c.Batch(context.Background(), calls)
	if err != nil {
		t.Fatalf("Batch: %v, want the first result and the second's error", err)
	}
	if rs[0].Err != nil || rs[0].Value != "hello" {
		t.Errorf("first call: %v, %v", rs[0].Value, rs[0].Err)
	}
	var de *DecodeError
	if !errors.As(rs[1].Err, &de) || !strings.Contains(de.Error(), `within "/messages/1/value/2" at offset 88`) {
		t.Errorf("second call: %v, %v; want the decode error with its offset", rs[1].Value, rs[1].Err)
	}

	reply = whole[:30] // inside the first body
	if _, err := c.Batch(context.Background(), calls); !errors.As(err, &de) {
		t.Errorf("a reply cut in its first body: %v, want a *DecodeError", err)
	}
}

package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// TestBatchReplyCutManySmall (fuzz13): a batch reply of 20 small
// messages cut short after the third holds fewer bytes than 9 a message
// (the least a message takes), so its message count fails as
// UnmarshalPacket fails it, and the token Reader now checks it as well;
// partialReply still reads the three messages before the cut
// (amf.Reader.UncheckedCounts), and Batch gives their calls their
// results and the others the *DecodeError.
func TestBatchReplyCutManySmall(t *testing.T) {
	t.Parallel()
	p := &amf.Packet{Version: 3}
	var calls []Call
	for i := 1; i <= 20; i++ {
		p.Messages = append(p.Messages, amf.Message{Target: fmt.Sprintf("/%d/onResult", i), Response: "null", Value: float64(i)})
		calls = append(calls, Call{Target: "a.b"})
	}
	whole, err := amf.MarshalPacket(p)
	if err != nil {
		t.Fatal(err)
	}
	reply := whole[:6+32*3+4] // the envelope, three messages of 32 bytes, 4 of the fourth
	if _, err := amf.UnmarshalPacket(reply); err == nil {
		t.Fatal("the cut reply decodes")
	}
	c := newClient(t, "http://127.0.0.1:1/", Config{})
	if got := c.partialReply(reply); got == nil || len(got.Messages) != 3 || got.Messages[2].Value != 3.0 {
		t.Fatalf("partialReply: %+v, want the three messages before the cut", got)
	}
	// checkValues' estimate counts what partialReply decodes: the three
	// numbers, not nothing for a count that fails.
	if cost := valuecost.Packet(amf.NewReader(reply, amf.AMF0)); cost < 3*valuecost.Scalar {
		t.Errorf("valuecost.Packet of the cut reply: %d, want the three messages' %d at least", cost, 3*valuecost.Scalar)
	}

	gw := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentType)
		w.Write(reply)
	})
	c = newClient(t, gw.URL, Config{})
	rs, err := c.Batch(context.Background(), calls)
	if err != nil {
		t.Fatalf("Batch: %v, want the first three results and the others' error", err)
	}
	for i, r := range rs {
		var de *DecodeError
		switch {
		case i < 3 && (r.Err != nil || r.Value != float64(i+1)):
			t.Errorf("call %d: %v, %v; want %d", i+1, r.Value, r.Err, i+1)
		case i >= 3 && !errors.As(r.Err, &de):
			t.Errorf("call %d: %v, %v; want the *DecodeError", i+1, r.Value, r.Err)
		}
	}
}

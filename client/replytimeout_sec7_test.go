package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// A gateway that answers an upload one byte every 100 ms (within any idle
// timeout) held a client with no overall timeout, as upload is by
// default, for as long as it liked. Config.ReplyTimeout bounds the
// reply from its first byte: the trickle now fails as a timeout, while a
// gateway that is slow to start its reply, then sends it at once, is
// still read.
func TestReplyTimeoutFromFirstByte(t *testing.T) {
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "stored as /img/1.jpg"}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ContentType)
		if r.URL.Path == "/slowstart" {
			time.Sleep(600 * time.Millisecond) // then all of it
			w.Write(reply)
			return
		}
		w.WriteHeader(http.StatusOK)
		for _, b := range reply {
			if _, err := w.Write([]byte{b}); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(100 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	})
	cfg := Config{Timeout: -1, ReplyTimeout: 300 * time.Millisecond}

	c := newClient(t, srv.URL+"/trickle", cfg)
	_, err = c.Call(context.Background(), "ByteArray.saveSnapshot", []any{&amf.ByteArray{Data: make([]byte, 1000)}})
	var rt *ReplyTimeoutError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &rt) {
		t.Fatalf("a reply trickled a byte every 100 ms: got %v, want a timeout of its reply", err)
	}
	t.Logf("trickle: %v", err)

	c = newClient(t, srv.URL+"/slowstart", cfg)
	v, err := c.Call(context.Background(), "ByteArray.saveSnapshot", []any{&amf.ByteArray{Data: make([]byte, 1000)}})
	if err != nil || v != "stored as /img/1.jpg" {
		t.Fatalf("a reply that starts late, then comes whole: got %v, %v", v, err)
	}
}

package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Some gateways (AMFPHP, Zend) answer a fault with HTTP 500 and the
// fault in an AMF body. The client refused it ("unexpected HTTP status"),
// so list and describe stopped at the first discovery service the
// gateway lacks. An AMF body behind an error status is now the reply,
// with one warning; a body that is not a packet, or that is not of AMF's
// Content-Type, is still the status error.
func TestErrorStatusAMFReply(t *testing.T) {
	fault := &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: "X"}, {Name: "faultString", Value: "nope"}}}
	for _, tc := range []struct {
		name, ct string
		status   int
		body     func(resp string) []byte
		wantErr  error // nil: a *Fault
	}{
		{"500 amf fault", ContentType, 500, func(resp string) []byte {
			b, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: resp + "/onStatus", Response: "null", Value: fault}}})
			return b
		}, nil},
		{"403 amf fault", ContentType, 403, func(resp string) []byte {
			b, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: resp + "/onStatus", Response: "null", Value: fault}}})
			return b
		}, nil},
		{"500 amf type, text body", ContentType, 500, func(string) []byte { return []byte("Fatal error: out of memory") }, ErrStatus},
		{"500 amf type, no body", ContentType, 500, func(string) []byte { return nil }, ErrStatus},
		{"500 html with a packet", "text/html", 500, func(resp string) []byte {
			b, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: resp + "/onStatus", Response: "null", Value: fault}}})
			return b
		}, ErrStatus},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := server(t, func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				req, err := amf.UnmarshalPacket(b)
				if err != nil || len(req.Messages) == 0 {
					http.Error(w, "bad request", 400)
					return
				}
				w.Header().Set("Content-Type", tc.ct)
				w.WriteHeader(tc.status)
				w.Write(tc.body(req.Messages[0].Response))
			})
			rec := &recorder{}
			c := newClient(t, s.URL+"/gw", Config{Events: rec})
			for i := range 2 {
				_, err := c.Call(context.Background(), "svc.m", nil)
				if tc.wantErr != nil {
					wantHTTPError(t, err, tc.wantErr, "HTTP")
					continue
				}
				var f *Fault
				if !errors.As(err, &f) || f.Code != "X" || f.Description != "nope" {
					t.Fatalf("call %d: err %v (%T), want the fault X: nope", i+1, err, err)
				}
			}
			warned := 0
			for _, w := range rec.warns {
				if strings.Contains(w, "with an AMF reply; it is read all the same") {
					warned++
				}
			}
			if want := map[bool]int{true: 1, false: 0}[tc.wantErr == nil]; warned != want {
				t.Errorf("%d warnings of an AMF reply behind an error status, want %d: %q", warned, want, rec.warns)
			}
		})
	}
}

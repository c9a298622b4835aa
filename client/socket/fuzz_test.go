package socket

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzParseRPC reads a frame payload the way a Conn's reader does. It
// never panics; what parses has a kind and a message id, and writing it
// back with the builders of this package parses to the same fields.
func FuzzParseRPC(f *testing.F) {
	for _, v := range []*amf.Object{
		RequestObject("a", "echo", params("x", amf.Int(1))),
		ResponseObject("b", "pong"),
		MessageObject("c", "tick", params()),
		RequestObject("0a9775ca31ae8da127a988eca05433e7", PingCommand, params("latency", 0.0, "time", 1.7e9)),
	} {
		b, _ := amf.Marshal(v, amf.AMF3)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		v, _, err := amf.DecodeFrame(payload)
		if err != nil {
			return
		}
		r, err := ParseRPC(v)
		if err != nil {
			return
		}
		var again *amf.Object
		switch r.Kind {
		case KindRequest:
			again = RequestObject(r.MessageID, r.Command, r.Params)
		case KindMessage:
			again = MessageObject(r.MessageID, r.Command, r.Params)
		case KindResponse:
			again = ResponseObject(r.MessageID, r.Result)
		default:
			t.Fatalf("kind %v", r.Kind)
		}
		b, err := amf.Marshal(again, amf.AMF3)
		if err != nil {
			t.Fatalf("cannot write back %v: %v", again, err)
		}
		v2, _, err := amf.DecodeFrame(b)
		if err != nil {
			t.Fatal(err)
		}
		r2, err := ParseRPC(v2)
		if err != nil || r2.Kind != r.Kind || r2.MessageID != r.MessageID || r2.Command != r.Command {
			t.Fatalf("written back as %+v (%v), was %+v", r2, err, r)
		}
	})
}

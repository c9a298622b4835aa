package client

import (
	"io"
	"net/http"

	"github.com/amfcall/amfcall/amf"
)

// The test gateways' common parts: read the AMF request, answer each of
// its messages with a result. Six tests each wrote them out in full.

// readAMFRequest reads the request packet of r and its bytes; a body
// that is not a packet is answered 400, and req is nil.
func readAMFRequest(w http.ResponseWriter, r *http.Request) (req *amf.Packet, body []byte) {
	body, _ = io.ReadAll(r.Body)
	req, err := amf.UnmarshalPacket(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil, body
	}
	return req, body
}

// resultsFor is the reply that answers each message of req with value
// as its result.
func resultsFor(req *amf.Packet, value any) *amf.Packet {
	p := &amf.Packet{}
	for _, m := range req.Messages {
		p.Messages = append(p.Messages, amf.Message{Target: m.Response + "/onResult", Response: "null", Value: value})
	}
	return p
}

// writeReply sends p with the Content-Type ct (ContentType, or another
// to test how the client takes it) and returns its bytes.
func writeReply(w http.ResponseWriter, ct string, p *amf.Packet) []byte {
	out, err := amf.MarshalPacket(p)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return nil
	}
	w.Header().Set("Content-Type", ct)
	w.Write(out)
	return out
}

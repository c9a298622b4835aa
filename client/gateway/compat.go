package gateway

import (
	"net/http"
	"strings"

	"github.com/amfcall/amfcall/amf"
)

// Flash Player counts the strict array that holds a request's arguments
// as entry 0 of the AMF0 reference table; PyAMF's client does not (its
// first argument object is entry 0), so an AMF0 reference inside the
// arguments means different values to the two. The codec reads Flash's
// way. For a request from PyAMF's client (User-Agent "PyAMF/...") whose
// arguments hold references, the gateway reads the arguments again
// PyAMF's way: one reference table running across the arguments, without
// the array.

// fromPyAMF reports whether the request comes from PyAMF's client.
func fromPyAMF(r *http.Request) bool {
	return r != nil && strings.HasPrefix(r.Header.Get("User-Agent"), "PyAMF/")
}

// sharesValues reports whether a complex value is reached twice from
// v (or v itself is reached again), which is what an AMF0 reference
// decodes to.
func sharesValues(v any) bool {
	seen := map[any]bool{}
	var walk func(v any) bool
	visit := func(p any) (again bool) {
		if seen[p] {
			return true
		}
		seen[p] = true
		return false
	}
	walk = func(v any) bool {
		switch x := v.(type) {
		case amf.AVMPlus:
			return walk(x.Value)
		case *amf.Object:
			if visit(x) {
				return true
			}
			for _, m := range x.Members {
				if walk(m.Value) {
					return true
				}
			}
		case *amf.ECMAArray:
			if visit(x) {
				return true
			}
			for _, m := range x.Members {
				if walk(m.Value) {
					return true
				}
			}
		case *amf.Array:
			if visit(x) {
				return true
			}
			for _, e := range x.Dense {
				if walk(e) {
					return true
				}
			}
			for _, m := range x.Assoc {
				if walk(m.Value) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// pyamfArgs decodes the arguments of each message of body again with
// PyAMF's reference numbering and returns them, one array per message.
func (g *Gateway) pyamfArgs(body []byte) ([]any, error) {
	p, err := g.pyamfDec.UnmarshalPacket(body)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(p.Messages))
	for i, m := range p.Messages {
		out[i] = m.Value
	}
	return out, nil
}

// readAsPyAMF replaces the arguments of req's messages with PyAMF's
// reading when the request comes from PyAMF's client and its arguments
// hold references.
func (g *Gateway) readAsPyAMF(r *http.Request, body []byte, req *amf.Packet) {
	if !fromPyAMF(r) {
		return
	}
	shared := false
	for _, m := range req.Messages {
		if sharesValues(m.Value) {
			shared = true
			break
		}
	}
	if !shared {
		return
	}
	args, err := g.pyamfArgs(body)
	if err != nil || len(args) != len(req.Messages) {
		return
	}
	for i := range req.Messages {
		req.Messages[i].Value = args[i]
	}
}

package gateway

import (
	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/valuecost"
)

// pooledCostInput is the largest request whose Reader valueCost keeps.
const pooledCostInput = 64 << 10

// valueCost estimates what the values of the request packet data cost
// once decoded, on top of its bytes (see package valuecost): a request
// of dense small values decodes to 15-40 times its size, which charging
// three times the body let through (eight requests of 12.6 MB of nulls
// held 1.5 GB under a budget of 256 MiB).
func (g *Gateway) valueCost(data []byte) int64 {
	// A Reader of a small request is taken from the pool and put back;
	// one of a large request would keep its tables' capacity there.
	var r *amf.Reader
	if len(data) <= pooledCostInput {
		if x, ok := g.costReaders.Get().(*amf.Reader); ok {
			r = x
			r.Reset(data, amf.AMF0)
		} else {
			r = g.dec.NewReader(data, amf.AMF0)
		}
		defer func() {
			r.Reset(nil, amf.AMF0)
			g.costReaders.Put(r)
		}()
	} else {
		r = g.dec.NewReader(data, amf.AMF0)
	}
	return valuecost.Packet(r)
}

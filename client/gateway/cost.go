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
	r, put := g.costReader(data)
	defer put()
	return valuecost.Packet(r)
}

// costReader returns a token Reader of data (AMF0) and the function
// that is done with it: a Reader of a small input is taken from the
// pool and put back; one of a large input would keep its tables'
// capacity there.
func (g *Gateway) costReader(data []byte) (*amf.Reader, func()) {
	if len(data) > pooledCostInput {
		return g.dec.NewReader(data, amf.AMF0), func() {}
	}
	r, ok := g.costReaders.Get().(*amf.Reader)
	if ok {
		r.Reset(data, amf.AMF0)
	} else {
		r = g.dec.NewReader(data, amf.AMF0)
	}
	return r, func() {
		r.Reset(nil, amf.AMF0)
		g.costReaders.Put(r)
	}
}

package client

import (
	"context"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A gateway asks (RequestPersistentHeader) for a header whose value names
// one 100 KB string 50 times. An AMF0 request writes it whole at each use
// (5 MB: over MaxServerHeaderBytes, refused); an AMF3 request (--amf3,
// Flex) writes it once and refers to it 49 times, about 100 KB. The
// estimate counted it whole at each use in AMF3 too, and refused the
// header; it now counts AMF3 string references, so the AMF3 client keeps
// and sends it, and the AMF0 client still refuses it.
func TestPersistentHeaderAMF3References(t *testing.T) {
	long := strings.Repeat("s", 100<<10)
	refs := &amf.Array{Dense: make([]any, 50)}
	for i := range refs.Dense {
		refs.Dense[i] = long
	}
	persist := amf.AVMPlus{Value: &amf.Object{Members: []amf.Member{{Name: "Tokens", Value: refs}}}}
	for _, amf3 := range []bool{false, true} {
		gw := newPersistServer(t, persist)
		rec := &recorder{}
		c := newClient(t, gw.url+"/gw", Config{Events: rec, AMF3: amf3})
		for i := range 2 {
			if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
				t.Fatalf("amf3 %v, call %d: %v", amf3, i+1, err)
			}
		}
		sizes, last := gw.seen()
		sent := headerValue(last.Headers, "Tokens")
		refused := false
		for _, w := range rec.warns {
			refused = refused || strings.Contains(w, `header "Tokens" (RequestPersistentHeader)`)
		}
		t.Logf("amf3 %v: requests of %v bytes", amf3, sizes)
		switch {
		case amf3 && (refused || sent == "<absent>"):
			t.Errorf("AMF3: the header was refused (%v) or not sent (%T): %q", refused, sent, rec.warns)
		case amf3 && sizes[1] > 110<<10:
			t.Errorf("AMF3: the second request is %d bytes, want about 100 KB", sizes[1])
		case !amf3 && (!refused || sent != "<absent>"):
			t.Errorf("AMF0: the header was not refused (%q) or was sent (%T)", rec.warns, sent)
		}
	}
}

// In AMF3, sendCost counts a string met again, and a member name met
// again, as a reference; in AMF0 whole at each use; below an AVMPlus
// value as AMF3 either way.
func TestSendCostAMF3(t *testing.T) {
	s := strings.Repeat("x", 1000)
	ten := &amf.Array{Dense: []any{s, s, s, s, s, s, s, s, s, s}}
	names := &amf.Array{}
	for range 10 {
		names.Dense = append(names.Dense, &amf.Object{Members: []amf.Member{{Name: s, Value: 1.0}}})
	}
	for _, tc := range []struct {
		name            string
		v               any
		amf3            bool
		atLeast, atMost int64
	}{
		{"amf0 string 10 times", ten, false, 10000, 10200},
		{"amf3 string 10 times", ten, true, 1000, 1100},
		{"avmplus in amf0", amf.AVMPlus{Value: ten}, false, 1000, 1100},
		{"amf0 member name 10 times", names, false, 10000, 10300},
		{"amf3 member name 10 times", names, true, 1000, 1300},
	} {
		cost, _ := sendCost(amf.Header{Name: "h", Value: tc.v}, tc.amf3, 1<<20, 1<<20)
		if cost < tc.atLeast || cost > tc.atMost {
			t.Errorf("%s: cost %d, want %d to %d", tc.name, cost, tc.atLeast, tc.atMost)
		}
		// The encoder agrees: the estimate is not below what is written.
		p := &amf.Packet{Headers: []amf.Header{{Name: "h", Value: tc.v}}}
		if tc.amf3 {
			p.Version = 3
			p.Headers[0].Value = toAMF3(tc.v)
		}
		b, err := amf.MarshalPacket(p)
		if err != nil {
			t.Fatal(err)
		}
		if written := int64(len(b)) - 6; cost < written {
			t.Errorf("%s: cost %d, but the header takes %d bytes", tc.name, cost, written)
		}
	}
}

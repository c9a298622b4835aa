package bench

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

// TestHostileFaultCodes: a gateway that answers every call with a new,
// long fault code. The summary kept each whole: 2,000 requests of 32 KB
// codes held 376 MB and printed 66 MB, growing with the run. Now each
// code is cut at MaxCountKey bytes and at most MaxCountKinds are told
// apart; the rest are counted under OtherKinds, and every fault is still
// counted.
func TestHostileFaultCodes(t *testing.T) {
	var n atomic.Int64
	url := replyServer(t, func(w http.ResponseWriter, r *http.Request) {
		code := strconv.FormatInt(n.Add(1), 10) + "-" + strings.Repeat("x", 4<<10)
		b, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null",
			Value: &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: code}, {Name: "faultString", Value: "no"}}}}}})
		if err != nil {
			t.Error(err)
			return
		}
		w.Header().Set("Content-Type", client.ContentType)
		w.Write(b)
	})
	const count = 300
	s, err := Run(context.Background(), Config{URL: url, Calls: []client.Call{{Target: "echo.echo"}}, Concurrency: 4, Count: count})
	if err != nil {
		t.Fatal(err)
	}
	if s.Faults != count {
		t.Fatalf("%d faults, want %d", s.Faults, count)
	}
	if len(s.FaultCodes) != MaxCountKinds+1 {
		t.Errorf("%d fault codes told apart, want %d and the others", len(s.FaultCodes), MaxCountKinds)
	}
	total := int64(0)
	for code, c := range s.FaultCodes {
		total += c
		if len(code) > MaxCountKey+len("...") {
			t.Errorf("a fault code of %d bytes kept", len(code))
		}
	}
	if total != count || s.FaultCodes[OtherKinds] != count-MaxCountKinds {
		t.Errorf("counted %d faults, %d of them as %q; want %d, %d", total, s.FaultCodes[OtherKinds], OtherKinds, count, count-MaxCountKinds)
	}
}

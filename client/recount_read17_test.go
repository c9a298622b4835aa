package client

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestRecountReadsInPlace: a reply whose message count is wrong is
// read without a copy of it (the count is made right in the reply's
// own bytes while it is decoded, then given back), and its bytes are as
// they came afterwards. A copy made a 60 MB reply take 60 MB more at
// its peak. Not parallel: it weighs what the heap gave.
func TestRecountReadsInPlace(t *testing.T) {
	ms := make([]amf.Message, 500)
	for i := range ms {
		ms[i] = amf.Message{Target: "/1/onResult", Response: "null", Value: []any{strings.Repeat("x", 4000)}}
	}
	good := replyBytes(t, &amf.Packet{Messages: ms}, len(ms))
	bad := replyBytes(t, &amf.Packet{Messages: ms}, 1)
	orig := bytes.Clone(bad)
	c := newClient(t, "http://127.0.0.1:1/", Config{})
	alloc := func(b []byte) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, err := c.unmarshalReply(b)
		runtime.ReadMemStats(&after)
		if err != nil || len(p.Messages) != len(ms) {
			t.Fatalf("not read: %v", err)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	base := alloc(good)
	got := alloc(bad)
	if !bytes.Equal(bad, orig) {
		t.Fatalf("the reply's bytes were changed (count %x)", bad[4:6])
	}
	if got > base+uint64(len(bad))/2 {
		t.Errorf("a reply of %d bytes with a wrong count allocated %d, one with the right count %d", len(bad), got, base)
	}
}

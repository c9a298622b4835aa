package client

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A getSnapshots reply that names one snapshot of a long name many times
// by reference: each use was made into a URL of its own, so that 20,000
// references to a name of 100 KB (a reply of 160 KB) took more than 2.4
// GB and ran out of memory. The names and URLs read are now bounded by
// MaxSnapshotList, past which the listing is refused (exit 4).
func TestSnapshotListReferenceBomb(t *testing.T) {
	o := &amf.Object{Members: []amf.Member{{Name: "name", Value: strings.Repeat("a", 100<<10) + ".jpg"}}}
	items := make([]any, 2000) // 200 MB of URLs before
	for i := range items {
		items[i] = o
	}
	// The packet is small: the object is sent once, then referred to.
	body, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
		Value: amf.AVMPlus{Value: &amf.Array{Dense: []any{"http://h/img/", &amf.Array{Dense: []any{"jpg"}}, &amf.Array{Dense: items}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(body) > 120<<10 {
		t.Fatalf("the reply is %d bytes: the object was not sent by reference", len(body))
	}
	p, err := amf.UnmarshalPacket(body)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	list, err := ParseSnapshots(resultValue(p.Messages[0].Value), "http://h/gw")
	runtime.ReadMemStats(&after)
	var se *SnapshotsError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "by reference") {
		t.Errorf("got %d items, %v; want a SnapshotsError", len(list.Items), err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 128<<20 { // twice MaxSnapshotList
		t.Errorf("reading the listing allocated %d MB, want at most 128", got>>20)
	}

	// A listing of many short names is read whole, as before.
	names := make([]any, 20000)
	for i := range names {
		names[i] = &amf.Object{Members: []amf.Member{{Name: "name", Value: "photo" + strings.Repeat("x", i%50) + ".jpg"}}}
	}
	list, err = ParseSnapshots(&amf.Array{Dense: []any{"http://h/img/", &amf.Array{}, &amf.Array{Dense: names}}}, "http://h/gw")
	if err != nil || len(list.Items) != len(names) {
		t.Errorf("20,000 short names: %v", err)
	}
}

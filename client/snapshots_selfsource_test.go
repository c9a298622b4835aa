package client

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestParseSnapshotsSelfSource: a getSnapshots reply whose list is an
// ArrayCollection with itself as its source (an AMF reference, which a
// hostile gateway can send) made listOf recurse until the stack
// overflowed, a fatal error that ends the process (found by
// FuzzParseSnapshots, whose worker died while minimizing). It is now
// an empty list; a wrapper of a wrapper of a list still reads.
func TestParseSnapshotsSelfSource(t *testing.T) {
	ac := &amf.Object{Class: amf.ClassArrayCollection}
	ac.Members = []amf.Member{{Name: "source", Value: ac}}
	top := &amf.Array{Dense: []any{"http://h/img/", nil, ac}}
	// Through the codec too, as a reply carries it.
	data, err := amf.Marshal(top, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := amf.Unmarshal(data, amf.AMF3, &v); err != nil {
		t.Fatal(err)
	}
	for _, res := range []any{top, v} {
		list, err := ParseSnapshots(res, "http://h/gw")
		if err != nil || len(list.Items) != 0 {
			t.Errorf("self-sourced list: %v, %v", list, err)
		}
	}
	inner := &amf.Object{Class: amf.ClassArrayList, Members: []amf.Member{{Name: "source", Value: &amf.Array{Dense: []any{"a.jpg"}}}}}
	outer := &amf.Object{Class: amf.ClassArrayCollection, Members: []amf.Member{{Name: "source", Value: inner}}}
	list, err := ParseSnapshots(&amf.Array{Dense: []any{"http://h/img/", nil, outer}}, "http://h/gw")
	if err != nil || len(list.Items) != 1 || list.Items[0].URL != "http://h/img/a.jpg" {
		t.Errorf("a wrapped wrapper: %+v, %v", list, err)
	}
	// A wrapper holding another kind of object is an empty list, as before.
	odd := &amf.Object{Class: amf.ClassArrayCollection, Members: []amf.Member{{Name: "source", Value: &amf.Object{}}}}
	if list, err := ParseSnapshots(&amf.Array{Dense: []any{"http://h/img/", nil, odd}}, "http://h/gw"); err != nil || len(list.Items) != 0 {
		t.Errorf("a wrapper of an object: %+v, %v", list, err)
	}
}

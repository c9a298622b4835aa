package amf

import (
	"encoding/hex"
	"testing"
)

// TestBatchCount: the count field of ECMA arrays that ReadBatch gives,
// as NextToken gives it (Token.Count), including one that is not the
// number of members; other starts have none.
func TestBatchCount(t *testing.T) {
	// A strict array of: an ECMA array claiming 5 members holding 1, an
	// ECMA array claiming 0 holding none, an anonymous object.
	data, err := hex.DecodeString("0a00000003" +
		"08000000050001610040000000000000000000" + "09" +
		"08000000000000" + "09" +
		"03000009")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(data, AMF0)
	if _, err := r.NextToken(); err != nil { // the strict array
		t.Fatal(err)
	}
	var batch [16]BatchToken
	n := r.ReadBatch(batch[:])
	var got []int64
	for i := range batch[:n] {
		c, ok := r.BatchCount(&batch[i])
		if ok != (batch[i].Kind == KindECMAArray) {
			t.Fatalf("BatchCount(token %d, %v) = %d, %v", i, batch[i].Kind, c, ok)
		}
		if ok {
			got = append(got, c)
		}
	}
	if len(got) != 2 || got[0] != 5 || got[1] != 0 {
		t.Fatalf("BatchCount of the ECMA arrays = %v, want [5 0] (batch of %d tokens)", got, n)
	}
}

// TestBatchClass: the class names of AMF0 typed objects that ReadBatch
// gives, as NextToken gives them (Token.Bytes); anonymous objects have
// none.
func TestBatchClass(t *testing.T) {
	// A strict array of: a typed object "a.B" holding x: 1, an anonymous
	// object, a typed object "C" again.
	data, err := hex.DecodeString("0a00000003" +
		"100003611242000178003ff0000000000000000009" +
		"03000009" +
		"100001430000" + "09")
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(data, AMF0)
	if _, err := r.NextToken(); err != nil {
		t.Fatal(err)
	}
	var batch [16]BatchToken
	n := r.ReadBatch(batch[:])
	var got []string
	for i := range batch[:n] {
		if batch[i].Kind == KindObject {
			got = append(got, string(r.BatchClass(&batch[i])))
		} else if c := r.BatchClass(&batch[i]); c != nil {
			t.Fatalf("BatchClass(%v) = %q", batch[i].Kind, c)
		}
	}
	if len(got) != 3 || got[0] != "a\x12B" || got[1] != "" || got[2] != "C" {
		t.Fatalf("BatchClass of the objects = %q, want [a\x12B \"\" C] (batch of %d tokens)", got, n)
	}
}

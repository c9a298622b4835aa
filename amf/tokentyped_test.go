package amf

import (
	"bytes"
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

// startInfo is what NextToken says of an AMF0 ECMA array's or object's
// start that a BatchToken lacks: the count field and the class name.
type startInfo struct {
	kind  Kind
	count int64
	class string
}

// FuzzBatchStarts: on any bytes, BatchCount and BatchClass of the starts
// ReadBatch gives are what NextToken gives for the same starts, read by
// a second Reader a token at a time.
func FuzzBatchStarts(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	for _, h := range []string{"0a00000003080000000500016100400000000000000000000009080000000000000903000009",
		"0a00000003100003611242000178003ff00000000000000000090300000910000143000009"} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want, got []startInfo
		r := NewReader(data, AMF0)
		for {
			tok, err := r.NextToken()
			if err != nil {
				break
			}
			if tok.Version == AMF0 && (tok.Kind == KindECMAArray || tok.Kind == KindObject) {
				s := startInfo{kind: tok.Kind, class: string(tok.Bytes)}
				if tok.Kind == KindECMAArray {
					s.count = tok.Count
				}
				want = append(want, s)
			}
		}
		r = NewReader(data, AMF0)
		var batch [8]BatchToken
		for {
			if n := r.ReadBatch(batch[:]); n > 0 {
				for i := range batch[:n] {
					bt := &batch[i]
					if bt.Version == AMF0 && (bt.Kind == KindECMAArray || bt.Kind == KindObject) {
						s := startInfo{kind: bt.Kind, class: string(r.BatchClass(bt))}
						if bt.Kind == KindECMAArray {
							c, ok := r.BatchCount(bt)
							if !ok {
								t.Fatalf("%x: BatchCount of an ECMA array start failed", data)
							}
							s.count = c
						}
						got = append(got, s)
					}
				}
				continue
			}
			tok, err := r.NextToken()
			if err != nil {
				break
			}
			if tok.Version == AMF0 && (tok.Kind == KindECMAArray || tok.Kind == KindObject) {
				s := startInfo{kind: tok.Kind, class: string(tok.Bytes)}
				if tok.Kind == KindECMAArray {
					s.count = tok.Count
				}
				got = append(got, s)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("%x: %d starts through ReadBatch, %d through NextToken", data, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%x: start %d: ReadBatch %+v, NextToken %+v", data, i, got[i], want[i])
			}
		}
	})
}

// TestNextFrame: NextFrame splits what a FrameReader reads, and refuses
// what it refuses.
func TestNextFrame(t *testing.T) {
	for _, tc := range []struct {
		name, hex string
		ok        bool
	}{
		{"one", "0000000101", true},
		{"two", "00000001010000000204010000", true},
		{"empty frame", "00000000", false},
		{"cut short", "0000000501", false},
		{"short length", "000000", false},
		{"over the limit", "04000001" + "01", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := hex.DecodeString(tc.hex)
			payload, rest, ok := NextFrame(data)
			fr := NewFrameReader(bytes.NewReader(data))
			want, err := fr.ReadFrame()
			if ok != tc.ok || ok != (err == nil) {
				t.Fatalf("NextFrame(%x) = %v; ReadFrame: %v", data, ok, err)
			}
			if ok && (!bytes.Equal(payload, want) || len(rest) != len(data)-int(fr.Offset())) {
				t.Fatalf("NextFrame(%x) = %x, %x; ReadFrame: %x at offset %d", data, payload, rest, want, fr.Offset())
			}
		})
	}
}

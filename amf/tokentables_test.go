package amf

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// chunkRefs is an AMF3 array of n one-item arrays [i] followed by
// references to the items at, so that the object table passes objChunk
// and the references point into its old chunks and the current one.
func chunkRefs(n int, at []int) []byte {
	b := AppendU29([]byte{m3Array}, uint32(n+len(at))<<1|1)
	b = append(b, 0x01)
	for i := range n {
		b = append(b, m3Array, 0x03, 0x01, m3Integer)
		b = AppendU29(b, uint32(i))
	}
	for _, i := range at {
		// The outer array is object 0, item i object i+1.
		b = AppendU29(append(b, m3Array), uint32(i+1)<<1)
	}
	return b
}

// TestObjectTableChunks: references to objects registered before and
// after the object table moved to chunks (objChunk) resolve to the
// objects they name, in the value decoder (its own tables) and through
// Reader.Replay (the Reader's offsets), and MaxReferences still counts
// the whole table.
func TestObjectTableChunks(t *testing.T) {
	n := 2*objChunk + 10
	at := []int{0, objChunk - 2, objChunk - 1, objChunk, 2*objChunk - 1, 2 * objChunk, n - 1}
	data := chunkRefs(n, at)

	var v any
	if err := Unmarshal(data, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	items := v.(*Array).Dense
	for k, i := range at {
		got := fmt.Sprint(items[n+k].(*Array).Dense)
		if want := fmt.Sprintf("[%d]", i); got != want {
			t.Errorf("reference to item %d: got %s, want %s", i, got, want)
		}
	}

	r := NewReader(data, AMF3)
	refs := 0
	for {
		tok, err := r.NextToken()
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind == KindEnd && r.Depth() == 0 {
			break
		}
		if tok.Kind != KindRef || r.Depth() != 1 {
			continue
		}
		i := at[refs]
		refs++
		if err := r.Replay(*tok); err != nil {
			t.Fatal(err)
		}
		var got []int64
		for {
			tok, err := r.NextToken()
			if err != nil {
				t.Fatal(err)
			}
			if tok.Kind == KindInt {
				got = append(got, tok.Int)
			}
			if tok.Kind == KindEnd && r.Depth() == 1 {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprintf("[%d]", i) {
			t.Errorf("Replay of the reference to item %d read %v", i, got)
		}
	}
	if refs != len(at) {
		t.Fatalf("read %d references, want %d", refs, len(at))
	}

	// ReadBatch (the converters' path) numbers the objects across the
	// chunks as NextToken does.
	r = NewReader(data, AMF3)
	buf := make([]BatchToken, 64)
	var arrays, refIdx []int
	for {
		n := r.ReadBatch(buf)
		for _, bt := range buf[:n] {
			switch bt.Kind {
			case KindArray:
				arrays = append(arrays, int(bt.Index))
			case KindRef:
				refIdx = append(refIdx, int(bt.Index))
			}
		}
		tok, err := r.NextToken()
		if errors.Is(err, io.EOF) && r.Depth() == 0 {
			break // the batch read the last End
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok.Kind {
		case KindArray:
			arrays = append(arrays, tok.Index)
		case KindRef:
			refIdx = append(refIdx, tok.Index)
		}
		if tok.Kind == KindEnd && r.Depth() == 0 {
			break
		}
	}
	if len(arrays) != n+1 {
		t.Fatalf("ReadBatch: %d arrays, want %d", len(arrays), n+1)
	}
	for i, x := range arrays {
		if x != i {
			t.Fatalf("ReadBatch: array %d has table index %d", i, x)
		}
	}
	if fmt.Sprint(refIdx) != fmt.Sprint(plus1(at)) {
		t.Errorf("ReadBatch: references %v, want %v", refIdx, plus1(at))
	}

	// A table one short of the limit, over two chunks: the first object
	// past it is refused, wherever the count stands in the chunks.
	m, err := DecOptions{MaxReferences: objChunk + 2}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	var w any
	if err := m.Unmarshal(chunkRefs(objChunk+1, nil), AMF3, &w); err != nil {
		t.Fatalf("%d objects under a limit of %d: %v", objChunk+2, objChunk+2, err)
	}
	err = m.Unmarshal(chunkRefs(objChunk+2, nil), AMF3, &w)
	var mr *MaxReferencesError
	if !errors.As(err, &mr) {
		t.Fatalf("%d objects under a limit of %d: got %v, want a MaxReferencesError", objChunk+3, objChunk+2, err)
	}
}

func plus1(at []int) []int {
	p := make([]int, len(at))
	for i, x := range at {
		p[i] = x + 1
	}
	return p
}

package amf

import (
	"bytes"
	"fmt"
	"testing"
)

// TestWriterHeldChunks: output held for an open count is set aside in
// parts of heldChunk bytes (not one buffer regrown), and a count that
// grows at the end (an AMF3 array of 64 items or more, counted when it
// ends) is patched into the part that holds it, split around it. The
// bytes are those of a Writer with no destination, which never sets
// parts aside.
func TestWriterHeldChunks(t *testing.T) {
	defer func(n int) { heldChunk = n }(heldChunk)
	heldChunk = 16 << 10
	write := func(w *Writer, ver Version, inner int) (maxParts int) {
		w.BeginArray(-1)
		for i := 0; i < 40000; i++ {
			switch {
			case i%5000 == 7:
				// A nested array counted at its end, its count in a part
				// set aside before it ends.
				w.BeginArray(-1)
				for k := 0; k < inner; k++ {
					w.WriteString(fmt.Sprintf("inner-%d-%d", i, k))
				}
				w.End()
			case i%3 == 0:
				w.WriteDouble(float64(i) + 0.5)
			default:
				w.WriteString(fmt.Sprintf("item-%d", i%700))
			}
			maxParts = max(maxParts, len(w.parts))
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
		return maxParts
	}
	for _, ver := range []Version{AMF3, AMF0} {
		for _, inner := range []int{10, 63, 64, 200, 9000} {
			want := AppendWriter(nil, ver)
			write(want, ver, inner)
			wb, err := want.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			w := NewWriter(&out, ver)
			maxParts := write(w, ver, inner)
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if maxParts < 3 {
				t.Errorf("%v inner %d: at most %d held parts: the output was not set aside", ver, inner, maxParts)
			}
			if !bytes.Equal(out.Bytes(), wb) {
				t.Fatalf("%v inner %d: %d bytes, differ from the %d of AppendWriter", ver, inner, out.Len(), len(wb))
			}
			var v any
			if err := Unmarshal(out.Bytes(), ver, &v); err != nil {
				t.Fatalf("%v inner %d: %v", ver, inner, err)
			}
		}
	}
}

// takerBuf is a PartTaker that notes each part given to it.
type takerBuf struct {
	bytes.Buffer
	parts int
}

func (t *takerBuf) TakePart(b []byte) error {
	t.parts++
	_, err := t.Write(b)
	return err
}

// TestWriterPartTaker: a destination that is a PartTaker is given the
// held parts with TakePart, in order with the Writes.
func TestWriterPartTaker(t *testing.T) {
	defer func(n int) { heldChunk = n }(heldChunk)
	heldChunk = 16 << 10
	write := func(w *Writer) {
		w.BeginArray(-1)
		for i := 0; i < 20000; i++ {
			w.WriteString(fmt.Sprintf("item-%d", i))
		}
		if err := w.End(); err != nil {
			t.Fatal(err)
		}
	}
	want := AppendWriter(nil, AMF3)
	write(want)
	wb, _ := want.Bytes()
	var out takerBuf
	w := NewWriter(&out, AMF3)
	write(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if out.parts < 3 {
		t.Errorf("%d parts taken", out.parts)
	}
	if !bytes.Equal(out.Bytes(), wb) {
		t.Fatalf("%d bytes, differ from the %d of AppendWriter", out.Len(), len(wb))
	}
}

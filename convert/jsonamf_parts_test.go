package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// TestWriteJSONAsAMFHeldParts: a top-level array whose output (about
// 2.4 MB of AMF3) is held in the Writer's parts until its count is
// written comes out as AppendJSONAsAMF's bytes, whether heldWriter keeps
// the parts it is given while the text is unchecked (TakePart) or, held
// output past holdAMFOutput, checks the text and writes them out; and
// nothing comes out when the text after the array is not valid.
func TestWriteJSONAsAMFHeldParts(t *testing.T) {
	js, err := AppendValue(nil, amftest.W1(30*1000), nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := AppendJSONAsAMF(nil, js, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 2<<20 {
		t.Fatalf("%d bytes of AMF3: too few for the Writer to set parts aside", len(want))
	}
	defer func(n int) { holdAMFOutput = n }(holdAMFOutput)
	for _, hold := range []int{32 << 20, 1 << 20, 3 << 20 / 2} {
		holdAMFOutput = hold
		var out bytes.Buffer
		if err := WriteJSONAsAMF(&out, js, amf.AMF3); err != nil {
			t.Fatalf("hold %d: %v", hold, err)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("hold %d: %d bytes, differ from AppendJSONAsAMF's %d", hold, out.Len(), len(want))
		}
		out.Reset()
		bad := append(append([]byte(nil), js...), " }"...)
		err := WriteJSONAsAMF(&out, bad, amf.AMF3)
		if err == nil || !strings.Contains(err.Error(), "line") {
			t.Fatalf("hold %d: trailing brace: %v, want an error naming where", hold, err)
		}
		if out.Len() != 0 {
			t.Fatalf("hold %d: %d bytes written for an invalid text", hold, out.Len())
		}
	}
}

// TestHeldWriterTakePart: heldWriter keeps the parts it takes as they
// are (no copy) in order with what is written to it, and writes them
// all out in that order when released.
func TestHeldWriterTakePart(t *testing.T) {
	var out bytes.Buffer
	h := &heldWriter{out: &out, data: []byte("[]"), holding: true}
	part := []byte("BBBB")
	h.Write([]byte("AA"))
	if err := h.TakePart(part); err != nil {
		t.Fatal(err)
	}
	h.WriteString("CC")
	if out.Len() != 0 {
		t.Fatalf("%q written while holding", out.Bytes())
	}
	if len(h.taken) != 2 || &h.taken[1][0] != &part[0] {
		t.Fatalf("the part was not kept as it is: %q", h.taken)
	}
	if err := h.release(); err != nil {
		t.Fatal(err)
	}
	h.TakePart([]byte("DD"))
	if got := out.String(); got != "AABBBBCCDD" {
		t.Fatalf("released %q, want AABBBBCCDD", got)
	}
}

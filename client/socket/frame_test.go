package socket

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// frameReader reads what amf.FrameReader reads, with the same values,
// offsets and errors.
func TestFrameReaderAsAMF(t *testing.T) {
	var stream []byte
	for _, v := range []any{"hi", 1.5, map[string]any{"a": "b"}, strings.Repeat("s", 200<<10)} {
		var err error
		if stream, err = amf.AppendFrame(stream, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range [][]byte{
		stream,
		append(bytes.Clone(stream), 0, 0, 0, 9, 0x06),             // cut short
		append(bytes.Clone(stream), 0, 0, 0, 0),                   // empty frame
		append(bytes.Clone(stream), 0x7f, 0, 0, 0, 1),             // over the limit
		append(bytes.Clone(stream), 0, 0, 0, 2, 0x3c, 0x3c),       // not AMF
		append(bytes.Clone(stream), 0, 0, 0, 3, 0x01, 0x01, 0x01), // trailing bytes
		append(bytes.Clone(stream), 0, 0),                         // cut in a header
	} {
		ours := &frameReader{r: bytes.NewReader(in), max: 1 << 20}
		theirs := amf.NewFrameReader(bytes.NewReader(in))
		theirs.MaxFrame = 1 << 20
		for {
			var a, b any
			ea, eb := ours.Decode(&a), theirs.Decode(&b)
			if !reflect.DeepEqual(a, b) || ours.Trailing != theirs.Trailing ||
				ours.Frames() != theirs.Frames() || ours.Offset() != theirs.Offset() ||
				(ea == nil) != (eb == nil) || (ea != nil && ea.Error() != eb.Error()) {
				t.Fatalf("frame %d: ours %v (%v), amf's %v (%v)", ours.Frames(), a, ea, b, eb)
			}
			if ea != nil {
				break
			}
		}
	}
}

// A frame just under the limit is read whole for about 1.25 times its
// size besides its value (amf.FrameReader's append growth: 2.7 times).
func TestFrameJustUnderLimitMemory(t *testing.T) {
	const limit = 16 << 20
	payload := make([]byte, limit-1)
	payload[0] = 0x01 // undefined, then bytes peers ignore
	in, err := amf.AppendFramePayload(nil, payload)
	if err != nil {
		t.Fatal(err)
	}
	fr := &frameReader{r: bytes.NewReader(in), max: limit}
	var v any
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	err = fr.Decode(&v)
	runtime.ReadMemStats(&b)
	if err != nil || fr.Trailing != limit-2 {
		t.Fatalf("%v, %d trailing", err, fr.Trailing)
	}
	if got := b.TotalAlloc - a.TotalAlloc; got > limit*3/2 {
		t.Errorf("%d bytes allocated for a frame of %d", got, limit-1)
	}
	if err := fr.Decode(&v); err != io.EOF {
		t.Errorf("after the frame: %v", err)
	}
}

// A frame that claims the limit and sends little costs what came, not
// what it claims.
func TestFrameClaimCostsWhatCame(t *testing.T) {
	in := append([]byte{0x00, 0xff, 0xff, 0xff}, make([]byte, 1000)...)
	fr := &frameReader{r: bytes.NewReader(in), max: 64 << 20}
	var v any
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	err := fr.Decode(&v)
	runtime.ReadMemStats(&b)
	var fe *amf.FrameError
	if !errors.As(err, &fe) || fe.Err != io.ErrUnexpectedEOF {
		t.Fatalf("err = %v", err)
	}
	if got := b.TotalAlloc - a.TotalAlloc; got > 256<<10 {
		t.Errorf("%d bytes allocated for 1000 that came", got)
	}
}

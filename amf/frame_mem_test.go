package amf_test

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A frame just under the limit is read whole for about 1.25 times its
// size besides its value (grown by doubling, as it was: 2.7 times).
func TestFrameJustUnderLimitMemory(t *testing.T) {
	const limit = 16 << 20
	payload := make([]byte, limit-1)
	payload[0] = 0x01 // undefined, then bytes peers ignore
	in, err := amf.AppendFramePayload(nil, payload)
	if err != nil {
		t.Fatal(err)
	}
	fr := amf.NewFrameReader(bytes.NewReader(in))
	fr.MaxFrame = limit
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
	fr := amf.NewFrameReader(bytes.NewReader(in))
	fr.MaxFrame = 64 << 20
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

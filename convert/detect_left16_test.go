package convert

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// AMF Socket frames whose first length is over the frame limit are
// guessed as frames, and reading them names the length and the limit;
// before, they were read as bare AMF3 values and failed inside them.
func TestDetectOversizeFirstFrame(t *testing.T) {
	obj := []byte{0x0a, 0x0b, 0x01, 0x03, 'a', 0x04, 0x02, 0x01} // {a: 2}
	frame := func(n uint32) []byte { return append(binary.BigEndian.AppendUint32(nil, n), obj...) }
	capture := append(append(frame(0x05000000), frame(8)...), frame(8)...)
	if g := Detect(capture); g.Kind != KindSocket {
		t.Fatalf("Detect = %v, want socket", g.Kind)
	}
	src, err := Load(capture, "cap", InSpec{})
	if err != nil || src.Kind != KindSocket {
		t.Fatalf("Load = %v, %v", src.Kind, err)
	}
	_, err = AppendFrames(nil, src.Data, nil)
	var fse *amf.FrameSizeError
	if !errors.As(err, &fse) || fse.Size != 0x05000000 || fse.Limit != amf.DefaultMaxFrame || fse.Offset != 0 {
		t.Fatalf("AppendFrames = %v", err)
	}
	// Frames cut short after it count too.
	if g := Detect(append(frame(0x05000000), frame(30)...)); g.Kind != KindSocket {
		t.Fatalf("cut: Detect = %v", g.Kind)
	}
	// Not when what follows the object is no frames, or the bytes read
	// as bare values (this one: a double, then 2 and null), or the
	// length is within the limit.
	for _, in := range [][]byte{
		append(frame(0x05000000), 0x3f, 0x3f),
		frame(0x05000000),
		append(frame(0x04000000), 0x3f),
	} {
		if g := Detect(in); g.Kind == KindSocket {
			t.Errorf("% x: Detect = socket", in)
		}
	}
}

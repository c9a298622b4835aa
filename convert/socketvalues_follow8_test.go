package convert

import (
	"bytes"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestBareValuesToSocket: --to socket refused bare AMF3 values ("only AMF
// Socket frames or JSON lines can be written as frames") where going
// through typed JSON wrote them, a frame each. They are written so now:
// the same frames as "convert | convert --to socket", AMF0 values as AMF3.
func TestBareValuesToSocket(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want []byte
	}{
		{"two.amf3", []byte("\x06\x05hi\x04\x05"), []byte("\x00\x00\x00\x04\x06\x05hi\x00\x00\x00\x02\x04\x05")},
		// An AMF0 string and the double 1.0, which stays a double.
		{"two.amf0", []byte("\x02\x00\x02hi\x00\x3f\xf0\x00\x00\x00\x00\x00\x00"),
			[]byte("\x00\x00\x00\x04\x06\x05hi\x00\x00\x00\x09\x05\x3f\xf0\x00\x00\x00\x00\x00\x00")},
	} {
		src, err := Load(tc.in, tc.name, InSpec{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		tg, err := src.Target(OutSpec{Format: "socket"})
		if err != nil {
			t.Fatalf("%s --to socket: %v", tc.name, err)
		}
		out, err := src.Render(tg, &Options{})
		if err != nil || !bytes.Equal(out, tc.want) {
			t.Errorf("%s --to socket: % x, %v; want % x", tc.name, out, err, tc.want)
		}
		// And the frames read back as the values.
		back, err := Load(out, "frames", InSpec{})
		if err != nil || back.Kind != KindSocket {
			t.Errorf("%s: the frames read back as %v, %v", tc.name, back.Kind, err)
		}
	}
	// A value cut short is the input's error, named.
	src, _ := Load([]byte("\x06\x05h"), "cut.amf3", InSpec{Kind: KindValue, KindSet: true, Version: amf.AMF3})
	if tg, err := src.Target(OutSpec{Format: "socket"}); err == nil {
		if _, err := src.Render(tg, &Options{}); err == nil {
			t.Error("a value cut short written as a frame: no error")
		}
	}
}

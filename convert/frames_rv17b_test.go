package convert

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestGuessLaterFrameEmptyOrHuge (rv17b): AMF Socket frames whose
// second or third frame has a length of 0 or over the limit are
// guessed frames, and the error names that frame, as --from socket
// does; they were guessed a packet of 8 headers "cut short" (00 00 00
// 08 0a 0b ...), whose hint said the file was cut short.
func TestGuessLaterFrameEmptyOrHuge(t *testing.T) {
	var frames []byte
	for _, v := range []any{
		&amf.Object{Members: []amf.Member{{Name: "a", Value: 1.0}}},
		&amf.Object{Members: []amf.Member{{Name: "b", Value: "xy"}}},
		&amf.Object{Members: []amf.Member{{Name: "c", Value: []any{1.0, 2.0}}}},
		&amf.Object{Members: []amf.Member{{Name: "d", Value: true}}},
	} {
		b, err := amf.Marshal(v, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		frames = binary.BigEndian.AppendUint32(frames, uint32(len(b)))
		frames = append(frames, b...)
	}
	second := 4 + int(binary.BigEndian.Uint32(frames))
	third := second + 4 + int(binary.BigEndian.Uint32(frames[second:]))
	for _, tc := range []struct {
		at   int
		size uint32
		want string
	}{
		{third, 0, "frame 3 at offset " + strconv.Itoa(third) + ": empty frame (length 0)"},
		{second, 0xFFFFFFF0, "frame of 4294967280 bytes exceeds the limit"},
		{second, 0, "frame 2 at offset " + strconv.Itoa(second) + ": empty frame (length 0)"},
	} {
		data := append([]byte(nil), frames...)
		binary.BigEndian.PutUint32(data[tc.at:], tc.size)
		src, err := Load(data, "f", InSpec{})
		if err == nil && src != nil {
			_, err = src.Render(Target{Format: "json"}, &Options{}) // (read as it converts)
		}
		if src == nil || src.Kind != KindSocket || err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("length %d at %d: %v; want frames and %q", tc.size, tc.at, err, tc.want)
		}
	}
}

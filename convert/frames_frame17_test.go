package convert

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Frames one of which has a wrong length are guessed to be frames, and
// Load names that frame, before any frame is converted (no warning of
// "bytes after its value are dropped" first). They were guessed to be a
// packet of 17 headers cut short (00 00 00 11), or, with --from socket,
// failed at the frame after the wrong one ("frame of 184615782 bytes
// exceeds the limit ... at offset 57").
func TestFrameLengthWrongLater(t *testing.T) {
	var good []byte
	for _, v := range []any{map[string]any{"a": 1, "b": "hello"}, map[string]any{"c": 2},
		map[string]any{"d": "xyz", "e": 3}, map[string]any{"f": 4}} {
		good, _ = amf.AppendFrame(good, v)
	}
	with := func(at, n int) []byte {
		b := append([]byte{}, good...)
		binary.BigEndian.PutUint32(b[at:], uint32(n))
		return b
	}
	for _, tc := range []struct {
		name  string
		in    []byte
		frame int
	}{
		{"frame 3 too long", with(33, 20), 3},
		{"frame 3 too long by 1", with(33, 16), 3},
		{"frame 3 too short", with(33, 10), 3},
		{"frame 1 too short", with(0, 10), 1},
		{"frame 4 too long", with(52, 100), 4},
	} {
		if g := Detect(tc.in); g.Kind != KindSocket {
			t.Errorf("%s: guessed %v", tc.name, g.Kind)
		}
		for _, in := range []InSpec{{}, {Kind: KindSocket, KindSet: true}} {
			src, err := Load(tc.in, "f", in)
			var fe *amf.FrameLengthError
			var ie *InputError
			if !errors.As(err, &fe) || !errors.As(err, &ie) || fe.Frame != tc.frame || !strings.HasPrefix(err.Error(), "f: amf: frame ") {
				t.Errorf("%s (%+v): %v", tc.name, in, err)
				continue
			}
			if src == nil || src.Kind != KindSocket {
				t.Errorf("%s: %v", tc.name, src)
			}
		}
	}
	// Whole frames, and frames with bytes after a value that are no
	// frame (as --from socket says: the guess wants values that fill
	// their frames), load.
	pad := append(append([]byte{}, good[:21]...), 0x7f)
	binary.BigEndian.PutUint32(pad, 18)
	for _, b := range [][]byte{good, append(pad, good[21:]...)} {
		if src, err := Load(b, "f", InSpec{Kind: KindSocket, KindSet: true}); err != nil || src.Kind != KindSocket {
			t.Errorf("% x: %v", b[:8], err)
		}
	}
}

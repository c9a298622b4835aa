package amf

import (
	"encoding/binary"
	"testing"
)

func misc16Frame(length int, payload []byte) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(length)), payload...)
}

// A first frame whose length is longer than its object: told, with what
// the length says, the value's bytes and what follows; frames the value
// fills, and bytes that are no frames, are not.
func TestLongFirstFrame(t *testing.T) {
	obj := []byte{0x0a, 0x0b, 0x01, 0x03, 'a', 0x04, 0x01, 0x01} // {a: 1}, 8 bytes
	good := misc16Frame(len(obj), obj)
	for _, tc := range []struct {
		name   string
		b      []byte
		want   bool
		frames bool
		left   int64
	}{
		{"alone, cut after the value", misc16Frame(0x8e, obj), true, false, 8},
		{"frames follow, fewer bytes than the length", append(misc16Frame(0x8e, obj), append(good, good...)...), true, true, 32},
		{"frames follow, more bytes than the length", append(misc16Frame(0x8e, obj), repeat(good, 20)...), true, true, 248},
		{"last frame cut", append(misc16Frame(0x8e, obj), append(good, good[:6]...)...), true, true, 26},
		{"a frame its value fills", append(good, good...), false, false, 0},
		{"text after the value", append(misc16Frame(0x8e, obj), "hello, world"...), false, false, 0},
		{"over the limit", misc16Frame(DefaultMaxFrame+1, obj), false, false, 0},
		{"no object", misc16Frame(0x8e, []byte{0x04, 0x01}), false, false, 0},
		{"value past the length", misc16Frame(4, obj), false, false, 0},
		{"short", []byte{0, 0, 0}, false, false, 0},
	} {
		e := LongFirstFrame(tc.b)
		if (e != nil) != tc.want {
			t.Errorf("%s: LongFirstFrame = %v, want one: %v", tc.name, e, tc.want)
			continue
		}
		if e != nil && (e.Length != 0x8e || e.Value != 8 || e.Frames != tc.frames || e.Left != tc.left || e.Offset != 0) {
			t.Errorf("%s: %+v", tc.name, *e)
		}
	}
}

func repeat(b []byte, n int) []byte {
	var out []byte
	for range n {
		out = append(out, b...)
	}
	return out
}

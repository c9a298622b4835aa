package amf

import (
	"encoding/binary"
	"testing"
)

// frame17Frames is four frames of objects, 21 + 12 + 19 + 12 bytes: at
// offsets 0, 21, 33 and 52.
func frame17Frames(t *testing.T) []byte {
	var b []byte
	for _, v := range []any{
		map[string]any{"a": 1, "b": "hello"}, map[string]any{"c": 2},
		map[string]any{"d": "xyz", "e": 3}, map[string]any{"f": 4},
	} {
		var err error
		if b, err = AppendFrame(b, v); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// WrongFrameLength names any frame whose length is wrong, not only the
// first (LongFirstFrame's): too long, taking the next frame's length;
// too long, past the input's end, where its value ends whole; too
// short, cutting its value, which reads whole past it. Frames that read
// (bytes after a value included) and frames cut short are no such error.
func TestWrongFrameLength(t *testing.T) {
	good := frame17Frames(t)
	at := []int{0, 0, 0, 0}
	for i, off := 1, 0; i < 4; i++ {
		off += 4 + int(binary.BigEndian.Uint32(good[off:]))
		at[i] = off
	}
	size := func(i int) int { return int(binary.BigEndian.Uint32(good[at[i]:])) }
	with := func(i, n int) []byte {
		b := append([]byte{}, good...)
		binary.BigEndian.PutUint32(b[at[i]:], uint32(n))
		return b
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"frame 3 too long by 5", with(2, size(2)+5),
			"amf: frame 3 at offset 33: its length says 20 bytes, but its AMF3 value is whole in 15 bytes, and frames follow from offset 52 (27 bytes follow the length): the length is wrong"},
		{"frame 2 too long by 1", with(1, size(1)+1),
			"amf: frame 2 at offset 21: its length says 9 bytes, but its AMF3 value is whole in 8 bytes, and frames follow from offset 33 (39 bytes follow the length): the length is wrong"},
		{"frame 3 too short", with(2, 10),
			"amf: frame 3 at offset 33: its length says 10 bytes, but its AMF3 value runs past them, whole in 15 bytes, to offset 52, where frames follow (27 bytes follow the length): the length is wrong"},
		{"frame 1 too short", with(0, 10),
			"amf: frame 1 at offset 0: its length says 10 bytes, but its AMF3 value runs past them, whole in 17 bytes, to offset 21, where frames follow (60 bytes follow the length): the length is wrong"},
		{"last frame too long", with(3, 100),
			"amf: frame 4 at offset 52: its length says 100 bytes, but the input ends 8 bytes after it, at offset 64, where its AMF3 value ends whole: the length is wrong, or the capture was cut after the value"},
		{"last frame too short", with(3, 4),
			"amf: frame 4 at offset 52: its length says 4 bytes, but its AMF3 value runs past them, whole in 8 bytes, to offset 64, where the input ends (8 bytes follow the length): the length is wrong"},
	} {
		e := WrongFrameLength(tc.in)
		if e == nil || e.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, e, tc.want)
		}
	}
	// Bytes after a value that are no frame are allowed (peers ignore
	// them), and the frames after them are read on.
	pad := append(append([]byte{}, good[:at[1]]...), 0x7f, 0x7f)
	binary.BigEndian.PutUint32(pad, uint32(size(0)+2))
	pad = append(pad, with(2, size(2)+5)[at[1]:]...)
	if e := WrongFrameLength(pad); e == nil || e.Frame != 3 || e.Offset != 35 {
		t.Errorf("after a frame with 2 bytes after its value: %v", e)
	}
	for name, b := range map[string][]byte{
		"whole":          good,
		"cut short":      good[:len(good)-3],
		"cut in a value": good[:at[2]+10],
		"frame 2 empty":  with(1, 0),
		"frame 2 huge":   with(1, DefaultMaxFrame+1),
		"junk value":     append(append([]byte{}, good[:at[1]]...), 0, 0, 0, 2, 0x7f, 0x7f),
	} {
		if e := WrongFrameLength(b); e != nil {
			t.Errorf("%s: %v", name, e)
		}
	}
}

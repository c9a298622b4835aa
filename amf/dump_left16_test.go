package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// left16FLV builds an FLV file: the header, then each tag's
// PreviousTagSize (prevs[i]) and the tag (type and data, whose header
// declares sizes[i] bytes, or len(data) when sizes[i] is -1), then a
// last PreviousTagSize.
func left16FLV(types []byte, datas [][]byte, sizes []int, prevs []uint32, last uint32) []byte {
	b := []byte("FLV\x01\x05\x00\x00\x00\x09")
	for i, d := range datas {
		b = binary.BigEndian.AppendUint32(b, prevs[i])
		n := sizes[i]
		if n < 0 {
			n = len(d)
		}
		b = append(b, types[i], byte(n>>16), byte(n>>8), byte(n), 0, 0, 0, 0, 0, 0, 0)
		b = append(b, d...)
	}
	return binary.BigEndian.AppendUint32(b, last)
}

var left16Script = []byte("\x02\x00\x0aonMetaData\x05")

// A PreviousTagSize that is not the tag before's size is flagged at its
// line (convert warns of it); the dump still reads the file whole.
func TestDumpFLVWrongPreviousTagSize(t *testing.T) {
	flv := left16FLV([]byte{FLVTagScript, FLVTagVideo}, [][]byte{left16Script, {0x17, 0}}, []int{-1, -1}, []uint32{0, 1}, 13)
	var out bytes.Buffer
	if err := WriteDumpText(&out, flv, DumpFLV, nil, false); err != nil {
		t.Fatalf("WriteDumpText: %v\n%s", err, out.String())
	}
	want := "previous tag size 1: wrong, not the 25 bytes tag 0 took (11 + its data size 14)\n"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("dump lacks %q:\n%s", want, out.String())
	}
	for _, ok := range []string{"previous tag size 0\n", "previous tag size 13\n"} {
		if !strings.Contains(out.String(), ok) {
			t.Fatalf("dump lacks %q:\n%s", ok, out.String())
		}
	}
	// Before the first tag it must be 0.
	flv = left16FLV([]byte{FLVTagVideo}, [][]byte{{0x17, 0}}, []int{-1}, []uint32{7}, 13)
	out.Reset()
	if err := WriteDumpText(&out, flv, DumpFLV, nil, false); err != nil {
		t.Fatal(err)
	}
	if want := "previous tag size 7: wrong, 0 before the first tag\n"; !strings.Contains(out.String(), want) {
		t.Fatalf("dump lacks %q:\n%s", want, out.String())
	}
}

// A tag whose data size is 3 bytes short makes the next "tag" read from
// the wrong place: the dump's fault says so, as convert's error does,
// streamed or held whole.
func TestDumpFLVMisframedTag(t *testing.T) {
	script := []byte("\x02\x00\x0aonMetaData\x08\x00\x00\x00\x01\x00\x08duration\x00\x40\x24\x00\x00\x00\x00\x00\x00\x00\x00\x09")
	video := bytes.Repeat([]byte{0x17, 0}, 25)
	flv := left16FLV([]byte{FLVTagScript, FLVTagVideo}, [][]byte{script, video}, []int{len(script) - 3, -1}, []uint32{0, uint32(11 + len(script))}, uint32(11+len(video)))
	want := "flv: tag 1: data size 13065 exceeds the 57 bytes left: unexpected EOF at offset 66; its PreviousTagSize 2304 (at offset 61) is not the 48 bytes tag 0 took (11 + its data size 37, at offset 14): that data size is likely wrong, and tag 1 was read from the wrong place"
	var out bytes.Buffer
	err := WriteDumpText(&out, flv, DumpFLV, nil, false)
	var se *SyntaxError
	if err == nil || err.Error() != want || !errors.As(err, &se) {
		t.Fatalf("WriteDumpText = %v, want %s (a *SyntaxError)", err, want)
	}
	if !strings.Contains(out.String(), "error: "+want) || !strings.Contains(out.String(), "previous tag size 2304: wrong, not the 48 bytes tag 0 took (11 + its data size 37)") {
		t.Fatalf("dump:\n%s", out.String())
	}
	out.Reset()
	if err := defaultDecMode.WriteFLVDumpText(&out, bytes.NewReader(flv), -1, nil, false); err == nil || err.Error() != want {
		t.Fatalf("WriteFLVDumpText = %v", err)
	}
}

type left16Cuts struct {
	bytes.Buffer
	ranges []DumpRange
}

func (w *left16Cuts) DumpCut(rg DumpRange) { w.ranges = append(w.ranges, rg) }

// A writer that is a DumpCutNoter is told of each range whose hex the
// text dump cut, and of none with all set.
func TestDumpCutNoter(t *testing.T) {
	in := append([]byte{0x06, 0x81, 0x11}, bytes.Repeat([]byte("a"), 72)...)
	var w left16Cuts
	if err := WriteDumpText(&w, in, DumpAMF3, nil, false); err != nil {
		t.Fatal(err)
	}
	if len(w.ranges) != 1 || w.ranges[0].Offset != 0 || w.ranges[0].Length != 75 || !strings.Contains(w.String(), "... 43 more bytes") {
		t.Fatalf("cuts %+v, dump:\n%s", w.ranges, w.String())
	}
	w = left16Cuts{}
	if err := WriteDumpText(&w, in, DumpAMF3, nil, true); err != nil || len(w.ranges) != 0 {
		t.Fatalf("with all: %v, cuts %+v", err, w.ranges)
	}
	w = left16Cuts{}
	flv := left16FLV([]byte{FLVTagVideo}, [][]byte{bytes.Repeat([]byte{0x17}, 40)}, []int{-1}, []uint32{0}, 51)
	if err := defaultDecMode.WriteFLVDumpText(&w, bytes.NewReader(flv), int64(len(flv)), nil, false); err != nil || len(w.ranges) != 1 {
		t.Fatalf("FLV: %v, cuts %+v", err, w.ranges)
	}
}

// A frame the input ends inside says how long its length said it was,
// how many bytes followed, and where the input ends; a cut length says
// how many of its bytes there were.
func TestFrameCutSizes(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0, 0, 0, 16, 0x0a, 0x0b, 0x01}, "amf: frame 1 at offset 0: its length says 16 bytes, but the input ends 3 bytes after it, at offset 7: unexpected EOF"},
		{[]byte{0, 0, 0, 2, 0x04, 0x01, 0, 0, 0, 1}, "amf: frame 2 at offset 6: its length says 1 byte, but the input ends 0 bytes after it, at offset 10: unexpected EOF"},
		{[]byte{0, 0, 0, 2, 0x04, 0x01, 0}, "amf: frame 2 at offset 6: the input ends 1 byte into its 4-byte length, at offset 7: unexpected EOF"},
	} {
		fr := NewFrameReader(bytes.NewReader(tc.in))
		var err error
		for err == nil {
			var v any
			err = fr.Decode(&v)
		}
		var fe *FrameError
		if !errors.As(err, &fe) || !errors.Is(err, io.ErrUnexpectedEOF) || fe.Err != io.ErrUnexpectedEOF || err.Error() != tc.want {
			t.Errorf("% x: %v, want %s", tc.in, err, tc.want)
		}
	}
}

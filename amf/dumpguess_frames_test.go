package amf_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// cutFrameInputs are AMF Socket frames: the captures (objects), and
// frames of other values (a string, an integer, an array, a ByteArray),
// whose first bytes (00 00 00 05) read as a packet of 5 headers too.
func cutFrameInputs(t *testing.T) map[string][]byte {
	t.Helper()
	in := map[string][]byte{}
	paths, _ := filepath.Glob("../testdata/socket/*.frames")
	if len(paths) < 2 {
		t.Fatalf("only %d socket captures", len(paths))
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		in[filepath.Base(p)] = b
	}
	var other []byte
	for _, v := range []any{"hello, frames", int32(300000), &amf.Array{Dense: []any{1.5, "a", true}}, &amf.ByteArray{Data: bytes.Repeat([]byte{7}, 40)}} {
		var err error
		if other, err = amf.AppendFrame(other, v); err != nil {
			t.Fatal(err)
		}
	}
	in["other values"] = other
	return in
}

// TestFramesCutShort: AMF Socket frames cut at every length from six
// bytes (not at a frame's end) are frames cut short, with the error a
// dump of them as frames gives, and no packet cut short
// (CutShortFrames): their lengths read as header counts that the bytes
// left cannot hold. Whole frames, packets and packets cut short are no
// frames cut short.
func TestFramesCutShort(t *testing.T) {
	dm, _ := amf.DecOptions{}.DecMode()
	for name, data := range cutFrameInputs(t) {
		ends := map[int]bool{}
		for pos := 0; pos < len(data); {
			pos += 4 + int(uint32(data[pos])<<24|uint32(data[pos+1])<<16|uint32(data[pos+2])<<8|uint32(data[pos+3]))
			ends[pos] = true
		}
		if err := amf.FramesCutShort(data); err != nil {
			t.Errorf("%s whole: %v", name, err)
		}
		for k := 6; k < len(data); k++ {
			if ends[k] {
				continue
			}
			b := data[:k]
			err := amf.FramesCutShort(b)
			var dumpErr error
			if err != nil {
				dumpErr = dm.DumpFunc(b, amf.DumpFrames, func(amf.DumpRange) error { return nil })
			}
			if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) || dumpErr == nil || err.Error() != dumpErr.Error() {
				t.Errorf("%s cut at %d: %v; the dump as frames says %v", name, k, err, dumpErr)
				continue
			}
			if perr := amf.PacketCutShort(b); perr != nil || !amf.CutShortFrames(b) {
				t.Errorf("%s cut at %d: a packet cut short: %v", name, k, perr)
			}
		}
	}
	paths, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		for _, k := range []int{len(data), 6, 9, len(data) / 2, len(data) - 1} {
			if err := amf.FramesCutShort(data[:k]); err != nil {
				t.Errorf("%s cut at %d: frames cut short: %v", filepath.Base(p), k, err)
			}
		}
	}
}

// TestCutShortBothReadings: bytes that read as a packet cut short past
// its first header's name and as frames cut short are not told apart:
// PacketCutShort gives a *CutShortReadingsError (unwrapping to the
// packet's error) and a dump of them as a packet says both readings.
func TestCutShortBothReadings(t *testing.T) {
	// Frame 1: a string of 10 bytes (length 12: a packet of 12 headers,
	// the first named by the 1557 bytes that follow); frame 2: a string
	// cut short, holding what the packet reads as the first header's
	// must-understand flag, length and AMF0 string value, cut short.
	b := []byte{0, 0, 0, 12, 0x06, 21}
	b = append(b, "xxxxxxxxxx"...)
	b = append(b, 0, 0x08, 0x7f, 0x7f, 0x06, 0xc3, 0xa9, 0x01)
	b = append(b, bytes.Repeat([]byte("a"), 6+(0x06<<8|21)-len(b))...)
	b = append(b, 0, 0, 0, 0, 0, 0x02, 0x7f, 0x7f, 'b', 'b', 'b')
	_, uerr := amf.UnmarshalPacket(b)
	ferr := amf.FramesCutShort(b)
	err := amf.PacketCutShort(b)
	var both *amf.CutShortReadingsError
	if ferr == nil || !errors.As(err, &both) || both.Packet.Error() != uerr.Error() || both.Frames.Error() != ferr.Error() || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("PacketCutShort: %v (%T); UnmarshalPacket %v, FramesCutShort %v", err, err, uerr, ferr)
	}
	if amf.CutShortFrames(b) {
		t.Error("CutShortFrames: true")
	}
	dm, _ := amf.DecOptions{}.DecMode()
	var se *amf.SyntaxError
	dumpErr := dm.DumpFunc(b, amf.DumpPacket, func(amf.DumpRange) error { return nil })
	if !errors.As(dumpErr, &se) || !strings.Contains(dumpErr.Error(), "/headers/0/value") ||
		!strings.Contains(dumpErr.Error(), "read as AMF Socket frames, they are cut short too: socket: frame 2: length 556927 exceeds the 1554 bytes left") {
		t.Errorf("the dump as a packet: %v", dumpErr)
	}
}

package amf

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReadFrames reads a stream of frames under a small frame limit. It
// never panics; every error is typed (a *FrameSizeError, or a *FrameError
// at the frame's header); a value comes only without an error; and each
// decoded value, written back as a frame, reads back to a frame that
// encodes to the same bytes again.
func FuzzReadFrames(f *testing.F) {
	f.Add(pingFrame)
	f.Add(helloFrame)
	f.Add(append(append([]byte{}, helloFrame...), pingFrame...))
	f.Add(mustHex(`00 00 00 04 04 05 ff ff 00 00 00 01 01`))
	f.Add(mustHex(`80 00 00 00 0a 01 01`))
	f.Add(mustHex(`00 00 00 00`))
	f.Add([]byte("<policy-file-request/>\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := tightDecMode.NewFrameReader(bytes.NewReader(data))
		fr.MaxFrame = 4096
		for i := 0; i < 64; i++ {
			start := fr.Offset()
			v := any("not set")
			err := fr.Decode(&v)
			if err == io.EOF {
				if start != int64(len(data)) {
					t.Fatalf("io.EOF at offset %d of %d", start, len(data))
				}
				return
			}
			if err != nil {
				var se *FrameSizeError
				var fe *FrameError
				switch {
				case errors.As(err, &se):
					if se.Offset != start || int(se.Size) <= fr.MaxFrame {
						t.Fatalf("%v: frame at %d, limit %d", err, start, fr.MaxFrame)
					}
				case errors.As(err, &fe):
					if fe.Offset != start {
						t.Fatalf("%v: frame at %d", err, start)
					}
				default:
					t.Fatalf("untyped error %T %v", err, err)
				}
				if v != nil {
					t.Fatalf("value %v with error %v", v, err)
				}
				return
			}
			b1, err := AppendFrame(nil, v)
			if err != nil {
				t.Fatalf("decoded %#v but cannot write it: %v", v, err)
			}
			v2, _, err := defaultDecMode.DecodeFrame(b1[4:])
			if err != nil {
				t.Fatalf("own frame %x does not decode: %v", b1, err)
			}
			b2, err := AppendFrame(nil, v2)
			if err != nil || !bytes.Equal(b1, b2) {
				t.Fatalf("frame %x re-encodes as %x (%v)", b1, b2, err)
			}
		}
	})
}

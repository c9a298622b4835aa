package socket

import (
	"encoding/binary"
	"io"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/internal/readbuf"
)

// frameReader reads the frames of a connection as amf.FrameReader does
// (the same errors and offsets), with the payload read by readbuf: a
// frame of n bytes peaks near 1.25 n (chunks, then one buffer of the
// claimed size once a quarter of it has come), where growing one buffer
// by append peaked near 2.7 n (a 64 MB frame, 170 MB).
type frameReader struct {
	r        io.Reader
	max      int // the payload limit; 0: amf.DefaultMaxFrame
	off      int64
	n        int
	hdr      [4]byte
	Trailing int // bytes after the value of the last frame
}

// Offset is the stream offset just after the last frame read.
func (fr *frameReader) Offset() int64 { return fr.off }

// Frames is the number of frames read so far.
func (fr *frameReader) Frames() int { return fr.n }

// Decode reads the next frame and decodes its AMF3 value into *v; the
// frame is consumed either way.
func (fr *frameReader) Decode(v *any) error {
	*v = nil
	start := fr.off
	n, err := io.ReadFull(fr.r, fr.hdr[:])
	fr.off += int64(n)
	if err == io.EOF {
		return io.EOF
	}
	if err != nil {
		return fr.fail(start, err)
	}
	size := binary.BigEndian.Uint32(fr.hdr[:])
	limit := fr.max
	if limit <= 0 {
		limit = amf.DefaultMaxFrame
	}
	if uint64(size) > uint64(limit) {
		fr.n++
		return &amf.FrameSizeError{Size: size, Limit: limit, Offset: start}
	}
	if size == 0 {
		return fr.fail(start, amf.ErrEmptyFrame)
	}
	payload, err := readbuf.Read(fr.r, int64(size), 0)
	fr.off += int64(len(payload))
	if err == nil && len(payload) < int(size) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return fr.fail(start, err)
	}
	fr.n++
	x, trailing, err := amf.DecodeFrame(payload)
	fr.Trailing = trailing
	if err != nil {
		return &amf.FrameError{Frame: fr.n, Offset: start, Err: err}
	}
	*v = x
	return nil
}

func (fr *frameReader) fail(start int64, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	fr.n++
	return &amf.FrameError{Frame: fr.n, Offset: start, Err: err}
}

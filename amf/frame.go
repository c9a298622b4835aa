package amf

// Length-prefixed frames, the framing of AMF Socket (chadrem's
// amf_socket): a 4-byte big-endian payload length, then the payload, one
// AMF3 value with no AVM+ marker and with reference tables of its own.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/amfcall/amfcall/internal/readbuf"
	"io"
)

// DefaultMaxFrame is the largest frame payload a [FrameReader] accepts
// unless told otherwise: 64 MiB.
const DefaultMaxFrame = 64 << 20

// frameChunk is how much of a payload is allocated before its bytes have
// arrived: a peer that claims 60 MiB and sends ten bytes costs 64 KiB.
const frameChunk = 64 << 10

// ErrEmptyFrame is a frame whose length is 0: it holds no value.
var ErrEmptyFrame = errors.New("empty frame (length 0)")

// FrameSizeError reports a frame header that claims more than the limit.
// It is returned before anything is allocated for the payload.
type FrameSizeError struct {
	Size   uint32 // the claimed payload length
	Limit  int    // the limit in force
	Offset int64  // stream offset of the frame header
}

func (e *FrameSizeError) Error() string {
	return fmt.Sprintf("amf: frame of %d bytes exceeds the limit of %d bytes at offset %d", e.Size, e.Limit, e.Offset)
}

// FrameError is a frame that could not be read or decoded: Frame counts
// from 1, Offset is the stream offset of its header, and Err is the cause
// (a *SyntaxError with an offset inside the payload, ErrEmptyFrame, or
// io.ErrUnexpectedEOF when the stream ends inside the frame).
type FrameError struct {
	Frame  int
	Offset int64
	Err    error
	// Length and Got say, for a frame the input ends inside
	// (io.ErrUnexpectedEOF), how many payload bytes its length claimed
	// and how many followed it; Length is -1 when the input ends inside
	// the 4-byte length, Got then its bytes there. Length 0 says nothing
	// is known of them.
	Length int64
	Got    int64
}

func (e *FrameError) Error() string {
	if e.Err == io.ErrUnexpectedEOF {
		switch {
		case e.Length < 0:
			return fmt.Sprintf("amf: frame %d at offset %d: the input ends %s into its 4-byte length, at offset %d: %v",
				e.Frame, e.Offset, plural(int(e.Got), "byte"), e.Offset+e.Got, e.Err)
		case e.Length > 0:
			return fmt.Sprintf("amf: frame %d at offset %d: its length says %s, but the input ends %s after it, at offset %d: %v",
				e.Frame, e.Offset, plural(int(e.Length), "byte"), plural(int(e.Got), "byte"), e.Offset+4+e.Got, e.Err)
		}
	}
	return fmt.Sprintf("amf: frame %d at offset %d: %v", e.Frame, e.Offset, e.Err)
}

func (e *FrameError) Unwrap() error { return e.Err }

// A FrameReader reads length-prefixed frames from a stream. Each call
// reads exactly one frame, so it suits a network connection: it never
// reads ahead past the frame it returns (wrap the connection in a
// bufio.Reader for fewer system calls).
type FrameReader struct {
	r   io.Reader
	m   *DecMode
	off int64
	n   int
	hdr [4]byte
	buf []byte // Decode's payload buffer, reused: values never alias it

	// MaxFrame bounds a frame's payload in bytes. Zero means
	// DefaultMaxFrame.
	MaxFrame int
	// Trailing is the number of bytes left after the value in the last
	// decoded frame. Peers ignore such bytes; so does Decode.
	Trailing int
}

// NewFrameReader returns a FrameReader on r decoding with the default
// limits.
func NewFrameReader(r io.Reader) *FrameReader {
	return defaultDecMode.NewFrameReader(r)
}

// NewFrameReader returns a FrameReader decoding with the mode's limits.
func (m *DecMode) NewFrameReader(r io.Reader) *FrameReader {
	return &FrameReader{r: r, m: m}
}

// Offset is the stream offset just after the last frame read.
func (fr *FrameReader) Offset() int64 { return fr.off }

// Frames is the number of frames read so far.
func (fr *FrameReader) Frames() int { return fr.n }

// ReadFrame reads the next frame and returns its payload. It returns
// io.EOF when the stream ends cleanly between frames, a *FrameSizeError
// for a length over MaxFrame (before allocating), and a *FrameError
// wrapping io.ErrUnexpectedEOF or ErrEmptyFrame otherwise.
func (fr *FrameReader) ReadFrame() ([]byte, error) {
	return fr.readFrame(nil)
}

// maxKeptFrame bounds the payload buffer a FrameReader keeps between
// frames.
const maxKeptFrame = 1 << 20

// readFrame reads the next frame's payload into dst[:0].
func (fr *FrameReader) readFrame(dst []byte) ([]byte, error) {
	start := fr.off
	n, err := io.ReadFull(fr.r, fr.hdr[:])
	fr.off += int64(n)
	if err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fr.failCut(start, err, -1, int64(n))
	}
	size := binary.BigEndian.Uint32(fr.hdr[:])
	limit := fr.MaxFrame
	if limit <= 0 {
		limit = DefaultMaxFrame
	}
	if uint64(size) > uint64(limit) {
		fr.n++
		return nil, &FrameSizeError{Size: size, Limit: limit, Offset: start}
	}
	if size == 0 {
		return nil, fr.fail(start, ErrEmptyFrame)
	}
	var buf []byte
	if int(size) <= cap(dst) {
		buf = dst[:size]
		k, err := io.ReadFull(fr.r, buf)
		fr.off += int64(k)
		if err != nil {
			return nil, fr.failCut(start, err, int64(size), int64(k))
		}
	} else {
		// Never from the claim alone: chunks as the bytes come, then
		// one buffer of the claimed size once a quarter of it has come
		// (a frame of n bytes peaks near 1.25 n; one buffer grown by
		// doubling peaked near 2.7 n).
		buf, err = readbuf.Read(fr.r, int64(size), 0)
		fr.off += int64(len(buf))
		if err == nil && len(buf) < int(size) {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, fr.failCut(start, err, int64(size), int64(len(buf)))
		}
	}
	fr.n++
	return buf, nil
}

func (fr *FrameReader) fail(start int64, err error) error {
	return fr.failCut(start, err, 0, 0)
}

// failCut is fail for a frame whose length (-1: whose 4-byte length)
// got bytes of it before err: when that is the input's end, the error
// says both.
func (fr *FrameReader) failCut(start int64, err error, length, got int64) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	fr.n++
	fe := &FrameError{Frame: fr.n, Offset: start, Err: err}
	if err == io.ErrUnexpectedEOF {
		fe.Length, fe.Got = length, got
	}
	return fe
}

// Decode reads the next frame and decodes its AMF3 value into *v, with
// reference tables of its own, through the token Reader (one, reused):
// the payload, read whole first (so that MaxFrame bounds it and a frame
// cut short is told from a value cut short), is the Reader's whole input,
// and the mode's limits apply to the value. Bytes after the value are ignored and
// counted in Trailing. Errors are those of ReadFrame, or a *FrameError
// wrapping the *SyntaxError (its offset counts from the payload's start).
// The frame is consumed either way, so the next call reads the next frame.
func (fr *FrameReader) Decode(v *any) error {
	payload, err := fr.readFrame(fr.buf)
	if err != nil {
		*v = nil
		return err
	}
	if cap(payload) <= maxKeptFrame {
		fr.buf = payload[:0]
	} else {
		fr.buf = nil
	}
	x, trailing, err := decodeFrame(fr.m, payload)
	fr.Trailing = trailing
	if err != nil {
		*v = nil
		return &FrameError{Frame: fr.n, Offset: fr.off - 4 - int64(len(payload)), Err: err}
	}
	*v = x
	return nil
}

// DecodeFrame decodes the AMF3 value of one frame payload (the bytes
// after the length) and says how many bytes followed the value.
func DecodeFrame(payload []byte) (v any, trailing int, err error) {
	return defaultDecMode.DecodeFrame(payload)
}

// DecodeFrame decodes the AMF3 value of one frame payload and says how
// many bytes followed it.
func (m *DecMode) DecodeFrame(payload []byte) (v any, trailing int, err error) {
	return decodeFrame(m, payload)
}

// decodeFrame reads the value of a frame payload with a token Reader of
// its own (with the mode's limits and tables of its own):
// the payload is held whole, so every length is checked against the
// bytes the frame has left, as the value decoder checks them.
//
// A pooled builder, as UnmarshalFirst takes: a Reader's own builder is
// made anew after each Reset, and a frame is often small, so that making
// it (some kilobytes, zeroed) cost more than decoding the frame.
func decodeFrame(m *DecMode, payload []byte) (any, int, error) {
	if len(payload) == 0 {
		return nil, 0, ErrEmptyFrame
	}
	if m == nil {
		m = defaultDecMode
	}
	b := getBuilder(m, payload, AMF3)
	v, err := b.top()
	off := b.r.off
	putBuilder(b)
	if err != nil {
		return nil, 0, err
	}
	return v, len(payload) - off, nil
}

// AppendFrame appends v as one frame (length, then the AMF3 value) to dst.
func AppendFrame(dst []byte, v any) ([]byte, error) {
	return defaultEncMode.AppendFrame(dst, v)
}

// AppendFrame appends v as one frame with the mode's options.
func (m *EncMode) AppendFrame(dst []byte, v any) ([]byte, error) {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	out, err := m.Append(dst, v, AMF3)
	if err != nil {
		return dst[:start], err
	}
	return PutFrameLength(out, start)
}

// AppendFramePayload appends an already encoded payload as one frame.
func AppendFramePayload(dst, payload []byte) ([]byte, error) {
	if len(payload) == 0 {
		return dst, ErrEmptyFrame
	}
	if uint64(len(payload)) > 1<<32-1 {
		return dst, fmt.Errorf("amf: frame payload of %d bytes does not fit a 32-bit length", len(payload))
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(payload)))
	return append(dst, payload...), nil
}

// PutFrameLength fills in the length of the frame whose 4-byte header
// starts at dst[start], the payload being the rest of dst.
func PutFrameLength(dst []byte, start int) ([]byte, error) {
	n := len(dst) - start - 4
	if n <= 0 {
		return dst[:start], ErrEmptyFrame
	}
	if uint64(n) > 1<<32-1 {
		return dst[:start], fmt.Errorf("amf: frame payload of %d bytes does not fit a 32-bit length", n)
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(n))
	return dst, nil
}

// WriteFrame writes v as one frame in a single Write.
func WriteFrame(w io.Writer, v any) error {
	b, err := AppendFrame(nil, v)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// StartsObject reports whether payload, the start of a frame's AMF3
// value, begins with the object marker, as every AMF Socket RPC frame
// does: a hint for telling frames from other bytes before they are read.
func StartsObject(payload []byte) bool { return len(payload) > 0 && payload[0] == m3Object }

// FrameLengthError is a frame whose length is wrong: its value (an
// object, as every AMF Socket RPC frame holds, for frame 1) is whole in
// fewer bytes than the length says, or needs more (Value > Length) and
// is whole past it, and after the value come more frames (Frames) or
// the input's end. The frames read from the length on fail somewhere
// after (or a guess took the bytes for a packet with as many headers as
// the length's low bytes say); the length is wrong (or, too long with no
// frame after it, the input was cut after the value).
type FrameLengthError struct {
	Frame  int   // counts from 1; 0 is frame 1 (LongFirstFrame's)
	Offset int64 // the frame's length
	Length int64 // what the length says
	Value  int64 // the bytes the value reads in
	Left   int64 // the bytes after the length, to the input's end
	Frames bool  // frames follow the value
}

func (e *FrameLengthError) Error() string {
	frame := max(e.Frame, 1)
	end := e.Offset + 4 + e.Value
	if e.Value > e.Length {
		follow := fmt.Sprintf("where the input ends (%s follow the length)", plural(int(e.Left), "byte"))
		if e.Frames {
			follow = fmt.Sprintf("where frames follow (%s follow the length)", plural(int(e.Left), "byte"))
		}
		return fmt.Sprintf("amf: frame %d at offset %d: its length says %s, but its AMF3 value runs past them, whole in %s, to offset %d, %s: the length is wrong",
			frame, e.Offset, plural(int(e.Length), "byte"), plural(int(e.Value), "byte"), end, follow)
	}
	if e.Frames {
		return fmt.Sprintf("amf: frame %d at offset %d: its length says %s, but its AMF3 value is whole in %s, and frames follow from offset %d (%s follow the length): the length is wrong",
			frame, e.Offset, plural(int(e.Length), "byte"), plural(int(e.Value), "byte"), end, plural(int(e.Left), "byte"))
	}
	return fmt.Sprintf("amf: frame %d at offset %d: its length says %s, but the input ends %s after it, at offset %d, where its AMF3 value ends whole: the length is wrong, or the capture was cut after the value",
		frame, e.Offset, plural(int(e.Length), "byte"), plural(int(e.Left), "byte"), end)
}

// WrongFrameLength finds, in b read as AMF Socket frames, the first
// frame whose length is wrong ([FrameLengthError]), after frames that
// read (each a length of 1 to [DefaultMaxFrame] and an AMF3 value that
// is not undefined; bytes after a value are allowed, as peers ignore
// them, unless they are frames). A length is wrong when its value
//
//   - is whole in fewer bytes than it says, and then the input ends (the
//     length says more than is left) or a frame follows (whole, its
//     value filling it, or the input's last, cut short): it took the
//     start of the frames after it;
//   - or needs more bytes than it says, and read past it is whole, and
//     then the input ends or a frame follows: it was cut in two.
//
// It returns nil otherwise: frames that read, or that fail in another
// way (a value that does not read, a length of 0 or over the limit).
// Told with the token Reader, building no value; the values before
// the wrong one are read once.
func WrongFrameLength(b []byte) *FrameLengthError {
	pos := 0
	for n := 1; len(b)-pos >= 5; n++ {
		rest := b[pos:]
		size := int64(binary.BigEndian.Uint32(rest))
		if size == 0 || size > DefaultMaxFrame || rest[4] == 0 {
			return nil
		}
		whole := int64(len(rest)-4) >= size
		payload := rest[4:min(int64(len(rest)), 4+size)]
		r := NewReader(payload, AMF3)
		err := r.Skip()
		k := r.InputOffset()
		e := &FrameLengthError{Frame: n, Offset: int64(pos), Length: size, Left: int64(len(rest) - 4)}
		switch {
		case err == nil && k == size:
			pos += 4 + int(size) // a frame that its value fills
			continue
		case err == nil:
			e.Value = k
		case whole && errors.Is(err, io.ErrUnexpectedEOF):
			// Cut by its length: read past it.
			r := NewReader(rest[4:], AMF3)
			if r.Skip() != nil {
				return nil
			}
			e.Value = r.InputOffset()
		default:
			return nil
		}
		after := rest[4+e.Value:]
		switch {
		case len(after) == 0 && e.Value > size:
			return e
		case len(after) == 0:
			if whole {
				return nil // (not expected: the value would fill it)
			}
			return e
		case frameFollows(after):
			e.Frames = true
			return e
		case whole && e.Value < size:
			pos += 4 + int(size) // bytes after its value, which peers ignore
			continue
		}
		return nil
	}
	return nil
}

// frameFollows reports whether b starts with a frame that its AMF3 value
// (not undefined) fills, or is frames of which the last is cut short.
func frameFollows(b []byte) bool {
	if payload, _, ok := NextFrame(b); ok && payload[0] != 0 {
		r := NewReader(payload, AMF3)
		if r.Skip() == nil && r.InputOffset() == int64(len(payload)) {
			return true
		}
	}
	return FramesCutShort(b) != nil
}

// LongFirstFrame says whether b begins as an AMF Socket frame whose
// length (1 to [DefaultMaxFrame]) is longer than its value: the length,
// an AMF3 object that reads whole in fewer bytes than the length says,
// then the end of b, or frames (whole, or the last cut short) that reach
// it, with the length more than the value and what follows it. It
// returns nil otherwise (a frame that its value fills, bytes that are no
// frame). Told with the token Reader, building no value; the value is
// read no further than the length says.
func LongFirstFrame(b []byte) *FrameLengthError {
	if len(b) < 5 || !StartsObject(b[4:]) {
		return nil
	}
	size := int64(binary.BigEndian.Uint32(b))
	if size == 0 || size > DefaultMaxFrame {
		return nil
	}
	payload := b[4:]
	if int64(len(payload)) > size {
		payload = payload[:size]
	}
	r := NewReader(payload, AMF3)
	if r.Skip() != nil || r.InputOffset() >= size {
		return nil
	}
	k := r.InputOffset()
	e := &FrameLengthError{Frame: 1, Length: size, Value: k, Left: int64(len(b) - 4)}
	rest := b[4+k:]
	if len(rest) == 0 {
		return e
	}
	if !wholeFrames(rest) && FramesCutShort(rest) == nil {
		return nil
	}
	e.Frames = true
	return e
}

// wholeFrames reports whether b is one or more frames, each filled by its
// AMF3 value (not undefined).
func wholeFrames(b []byte) bool {
	for len(b) > 0 {
		payload, rest, ok := NextFrame(b)
		if !ok || payload[0] == 0 {
			return false
		}
		r := NewReader(payload, AMF3)
		if r.Skip() != nil || r.InputOffset() != int64(len(payload)) {
			return false
		}
		b = rest
	}
	return true
}

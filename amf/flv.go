package amf

// The FLV container, the one reader of it: the header, then tags, each
// after a 4-byte PreviousTagSize. Script-data tags (type 18) carry AMF0
// values, read with the token Reader; audio, video, encrypted and other
// tags are skipped without being held.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// FLV tag types.
const (
	FLVTagAudio  = 8
	FLVTagVideo  = 9
	FLVTagScript = 18
)

var (
	// errFLVSignature is the error of bytes that do not start as an FLV file.
	errFLVSignature = errors.New(`missing "FLV" signature`)
	// errFLVNoName is the error of a script tag whose first value is not
	// a string.
	errFLVNoName = errors.New("script tag does not start with a handler name")
)

// FLVHeader is the header of an FLV file.
type FLVHeader struct {
	Version uint8
	Flags   uint8  // 4: has audio, 1: has video
	Size    uint32 // the header's length, 9 or more
}

// FLVTag is one tag of an FLV file, as [FLVReader.Next] returns it.
type FLVTag struct {
	Index     int    // the tag's position among all tags, from 0
	Offset    int64  // the input offset of the tag's 11-byte header
	PrevSize  uint32 // the PreviousTagSize field before the header
	Type      uint8  // FLVTagAudio, FLVTagVideo, FLVTagScript or another
	Encrypted bool   // the filter bit: the data is encrypted
	Size      int    // the length of the tag's data
	Timestamp uint32 // milliseconds (the extended byte included)
}

// IsScript reports whether the tag is script data that can be read: of
// type FLVTagScript and not encrypted.
func (t *FLVTag) IsScript() bool { return t.Type == FLVTagScript && !t.Encrypted }

// FLVScript is the content of a script-data tag: a handler name
// ("onMetaData", "onCuePoint") and the AMF0 values after it. Value is
// the first (nil if there is none); Extra holds any others, which some
// writers add.
type FLVScript struct {
	Name  string
	Value any
	Extra []any
	// Unterminated says that Value, an ECMA array or an object, ran to
	// the end of the tag's data without its end marker (00 00 09): some
	// muxers write onMetaData so (JT1078.Flv's), and FFmpeg's reader
	// takes it. It was read as if the marker were there.
	Unterminated bool
}

// An FLVReader reads the tags of an FLV file. Over bytes
// ([NewFLVReader]) a script tag's data is a slice of the input; over an
// io.Reader ([NewFLVStreamReader]) only the current script tag's data is
// held (at most 16 MiB, the largest a tag can be, and only as its bytes
// arrive), and other tags are read past without being kept, so memory
// does not grow with the file. Errors are *SyntaxError values with the
// input offset; those of the container have Version "flv".
type FLVReader struct {
	m    *DecMode
	data []byte    // the input, over bytes
	src  io.Reader // the input, over a stream
	off  int64     // input offset of what is read next

	hdr     FLVHeader
	begun   bool // the header was read
	index   int
	tag     FLVTag
	body    []byte // the current script tag's data
	held    bool   // body holds a script tag's data
	buf     []byte // its buffer, over a stream
	skipBuf []byte // for reading past other tags, over a stream
	rd      Reader // reads the script tags' values
	scratch [11]byte
	hdrErr  error // the header's error
	rerr    error // the stream's read error, other than an end
	err     error // the last word: an error, or io.EOF
	cutGot  int64 // after a tag's data ran past the input's end: the bytes there were, else -1
}

// NewFLVReader returns an FLVReader of the file in data, reading script
// data with the default limits.
func NewFLVReader(data []byte) *FLVReader { return defaultDecMode.NewFLVReader(data) }

// NewFLVStreamReader returns an FLVReader of the file read from r,
// reading script data with the default limits.
func NewFLVStreamReader(r io.Reader) *FLVReader { return defaultDecMode.NewFLVStreamReader(r) }

// NewFLVReader returns an FLVReader of the file in data, reading script
// data with the mode's limits.
func (m *DecMode) NewFLVReader(data []byte) *FLVReader {
	return &FLVReader{m: m, data: data, rd: Reader{m: m}, cutGot: -1}
}

// NewFLVStreamReader returns an FLVReader of the file read from r,
// reading script data with the mode's limits. It reads r in order and
// never past the tag it returns.
func (m *DecMode) NewFLVStreamReader(r io.Reader) *FLVReader {
	return &FLVReader{m: m, src: r, rd: Reader{m: m}, cutGot: -1}
}

// InputOffset returns the input offset of what is read next: after a
// successful [FLVReader.Next], the end of the tag's data; after an error
// in a tag's PreviousTagSize or header, how far they were read.
func (fr *FLVReader) InputOffset() int64 { return fr.off }

func flvErr(off int64, err error) error {
	return &SyntaxError{Version: "flv", Offset: off, Err: err}
}

// Header reads the file's header if it was not read yet and returns it.
// Bytes that do not start with "FLV" fail at offset 0; a header size
// below 9 or beyond the input's end fails at offset 5, with the header
// read so far returned along with the error. The version is not checked.
func (fr *FLVReader) Header() (FLVHeader, error) {
	if fr.begun {
		return fr.hdr, fr.hdrErr
	}
	fr.begun = true
	h := fr.scratch[:9]
	if n, _ := fr.read(h); n < 9 || string(h[:3]) != "FLV" {
		fr.hdrErr = fr.ioErr(flvErr(0, errFLVSignature))
		return fr.hdr, fr.hdrErr
	}
	fr.hdr = FLVHeader{Version: h[3], Flags: h[4], Size: binary.BigEndian.Uint32(h[5:])}
	fr.off = 9
	bad := fr.hdr.Size < 9
	if !bad {
		n, _ := fr.skip(int64(fr.hdr.Size) - 9)
		bad = n < int64(fr.hdr.Size)-9
	}
	if bad {
		fr.hdrErr = fr.ioErr(flvErr(5, fmt.Errorf("invalid header size %d", fr.hdr.Size)))
	}
	fr.off = int64(fr.hdr.Size)
	return fr.hdr, fr.hdrErr
}

// Next reads the next tag: its PreviousTagSize, its header and its
// data, which for a script tag ([FLVTag.IsScript]) is then held for
// [FLVReader.Data] and [FLVReader.Script] and for any other is read past.
// It returns io.EOF at the end of the file, which may come after a tag's
// data or after the PreviousTagSize that follows it. A tag whose data
// size goes beyond the input's end fails with an error wrapping
// io.ErrUnexpectedEOF at the offset of its size field; [InputOffset]
// says how far the tag was read. The tag returned is valid until the
// next call.
func (fr *FLVReader) Next() (*FLVTag, error) {
	if fr.err != nil {
		return nil, fr.err
	}
	if _, err := fr.Header(); err != nil {
		return nil, fr.end(err)
	}
	fr.body, fr.held = nil, false
	p := fr.scratch[:4]
	n, _ := fr.read(p)
	if n == 0 {
		return nil, fr.end(io.EOF)
	}
	if n < 4 {
		return nil, fr.end(flvErr(fr.off, io.ErrUnexpectedEOF))
	}
	fr.off += 4
	prev := binary.BigEndian.Uint32(p)
	h := fr.scratch[:11]
	n, _ = fr.read(h)
	if n == 0 {
		return nil, fr.end(io.EOF)
	}
	if n < 11 {
		return nil, fr.end(flvErr(fr.off, io.ErrUnexpectedEOF))
	}
	at := fr.off
	fr.tag = FLVTag{
		Index:     fr.index,
		Offset:    at,
		PrevSize:  prev,
		Type:      h[0] & 0x1F,
		Encrypted: h[0]&0x20 != 0,
		Size:      int(h[1])<<16 | int(h[2])<<8 | int(h[3]),
		Timestamp: uint32(h[7])<<24 | uint32(h[4])<<16 | uint32(h[5])<<8 | uint32(h[6]),
	}
	fr.index++
	start := at + 11
	fr.off = start
	size := int64(fr.tag.Size)
	var got int64
	if fr.tag.IsScript() {
		fr.body, got = fr.take(size)
	} else {
		got, _ = fr.skip(size)
	}
	if got < size {
		fr.body = nil
		fr.cutGot = got
		return nil, fr.end(flvErr(at+1, fmt.Errorf("tag %d: data size %d exceeds the %d bytes left: %w",
			fr.tag.Index, size, got, io.ErrUnexpectedEOF)))
	}
	fr.off = start + size
	fr.held = fr.tag.IsScript()
	return &fr.tag, nil
}

// CutShort returns the tag whose data the input ended inside, with the
// number of its bytes there were, once Next has failed so: a file cut
// short (a recording stopped, a download not finished). It returns nil
// otherwise, and when a read error of the stream, not its end, stopped
// the tag.
func (fr *FLVReader) CutShort() (*FLVTag, int64) {
	if fr.cutGot < 0 || fr.rerr != nil {
		return nil, 0
	}
	return &fr.tag, fr.cutGot
}

// end makes err the reader's last word; a read error of the stream,
// other than its end, comes first.
func (fr *FLVReader) end(err error) error {
	fr.err = fr.ioErr(err)
	return fr.err
}

// ioErr is the stream's read error if there was one, else err: a failing
// disk or connection is reported as such, not as a file cut short.
func (fr *FLVReader) ioErr(err error) error {
	if fr.rerr != nil {
		return fr.rerr
	}
	return err
}

// noteErr keeps a read error that is not the stream's end.
func (fr *FLVReader) noteErr(err error) {
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF && fr.rerr == nil {
		fr.rerr = err
	}
}

// Data returns the data of the script tag just read by Next (nil for
// other tags), valid until the next call.
func (fr *FLVReader) Data() []byte { return fr.body }

// Script reads the values of the script tag just read by Next, with the
// token Reader, as one AMF0 reference context: a handler name (a string)
// and the values after it. Three bytes 00 00 09 (an object end) after a
// value end the tag, as some writers add them. Errors are *SyntaxError
// values with input offsets.
func (fr *FLVReader) Script() (FLVScript, error) {
	var s FLVScript
	if !fr.held {
		return s, errors.New("amf: no script tag to read")
	}
	b, base := fr.body, fr.tag.Offset+11
	r := &fr.rd
	r.Reset(b, AMF0)
	absolute := func(err error) error {
		var se *SyntaxError
		if errors.As(err, &se) {
			c := *se
			c.Offset += base
			return &c
		}
		return err
	}
	name, err := r.ReadValue()
	if err != nil {
		if err == io.EOF {
			err = &SyntaxError{Version: "amf0", Offset: 0, Err: io.ErrUnexpectedEOF}
		}
		return s, absolute(err)
	}
	str, ok := name.(string)
	if !ok {
		return s, flvErr(base, errFLVNoName)
	}
	s.Name = str
	for i := 0; ; i++ {
		if rest := b[r.InputOffset():]; bytes.Equal(rest, []byte{0, 0, 9}) {
			return s, nil
		}
		start := r.InputOffset()
		v, err := r.ReadValue()
		if err == io.EOF {
			return s, nil
		}
		if err != nil && i == 0 && errors.Is(err, io.ErrUnexpectedEOF) {
			if v, ok := readUnterminated(b, start, fr.m); ok {
				s.Value, s.Unterminated = v, true
				return s, nil
			}
		}
		if err != nil {
			return s, absolute(err)
		}
		if i == 0 {
			s.Value = v
		} else {
			s.Extra = append(s.Extra, v)
		}
	}
}

// readUnterminated reads the value at b[start:], an ECMA array or an
// object that the tag's data ends inside, as if its end marker followed
// the data. It succeeds only if that marker is all that was missing: the
// value then ends exactly where the marker was put.
func readUnterminated(b []byte, start int64, m *DecMode) (any, bool) {
	if start >= int64(len(b)) || (b[start] != 0x08 && b[start] != 0x03) {
		return nil, false
	}
	fixed := make([]byte, 0, len(b)-int(start)+3)
	fixed = append(append(fixed, b[start:]...), 0, 0, 9)
	r := Reader{m: m}
	r.Reset(fixed, AMF0)
	v, err := r.ReadValue()
	if err != nil || r.InputOffset() != int64(len(fixed)) {
		return nil, false
	}
	return v, true
}

// ---- input ----

// read fills p from the input as far as it goes, without moving off.
func (fr *FLVReader) read(p []byte) (int, error) {
	if fr.src == nil {
		return copy(p, fr.data[min(fr.off, int64(len(fr.data))):]), nil
	}
	n, err := io.ReadFull(fr.src, p)
	fr.noteErr(err)
	return n, err
}

// skip reads past n bytes and says how many there were.
func (fr *FLVReader) skip(n int64) (int64, error) {
	if fr.src == nil {
		return min(n, max(int64(len(fr.data))-fr.off, 0)), nil
	}
	if fr.skipBuf == nil {
		fr.skipBuf = make([]byte, flvChunk)
	}
	// io.Discard's ReadFrom would read in 8 KiB pieces: a 64 KiB
	// buffer, and the writer without ReadFrom, make it 64 KiB.
	k, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, io.LimitReader(fr.src, n), fr.skipBuf)
	fr.noteErr(err)
	return k, err
}

// flvChunk is how much of a script tag's data is allocated ahead of its
// bytes: a tag that claims 16 MiB and holds ten bytes costs 64 KiB.
const flvChunk = 64 << 10

// maxKeptFLV bounds the buffer a stream FLVReader keeps between tags.
const maxKeptFLV = 1 << 20

// take returns the next n bytes of the input, or as many as there are.
func (fr *FLVReader) take(n int64) ([]byte, int64) {
	if fr.src == nil {
		start := min(fr.off, int64(len(fr.data)))
		end := min(start+n, int64(len(fr.data)))
		return fr.data[start:end:end], end - start
	}
	buf := fr.buf[:0]
	if cap(buf) > maxKeptFLV {
		buf = nil
	}
	for int64(len(buf)) < n {
		// Grow with the bytes that came, never from the claim alone.
		want := int(min(n-int64(len(buf)), flvChunk))
		buf = slices.Grow(buf, want)
		k, err := io.ReadFull(fr.src, buf[len(buf):len(buf)+want])
		buf = buf[:len(buf)+k]
		if err != nil {
			fr.noteErr(err)
			break
		}
	}
	fr.buf = buf
	return buf, int64(len(buf))
}

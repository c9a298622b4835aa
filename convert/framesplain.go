package convert

// Plain JSON of AMF Socket frames streamed from the tokens (issue 7:
// memory that does not grow with the input): each frame's value through
// the plain direct writer (plain.go), with a reference context of its
// own, as AppendFrames writes it through the value model.

import (
	"encoding/binary"
	"fmt"
	"io"

	"github.com/amfcall/amfcall/amf"
)

// framesPlain reports which frames have bytes after their value (a bit
// per frame: a frame may be 5 bytes, so not their ends), or false when a
// frame is cut short, empty, too large or does not decode: framesNotTaken
// then says why, before anything is written.
func framesPlain(data []byte, p *plainConv) (trailing []uint64, ok bool) {
	var marks typedMarks
	i := 0
	for rest := data; len(rest) > 0; i++ {
		payload, next, ok := amf.NextFrame(rest)
		if !ok {
			return nil, false
		}
		rest = next
		end, ok := frameValueEnd(payload, p, &marks)
		if !ok {
			return nil, false
		}
		if i>>6 >= len(trailing) {
			trailing = append(trailing, 0)
		}
		if end < len(payload) {
			trailing[i>>6] |= 1 << (uint(i) & 63)
		}
	}
	return trailing, i > 0
}

// frameValueEnd reads the value at the start of a frame's payload and
// says where it ends, or false when it does not decode.
func frameValueEnd(payload []byte, p *plainConv, marks *typedMarks) (int, bool) {
	p.rd.Reset(payload, amf.AMF3)
	marks.m0, marks.m3 = marks.m0[:0], marks.m3[:0]
	if ok, _ := markValues(&p.rd, p.batch[:], marks, true); !ok {
		return 0, false
	}
	return int(p.rd.InputOffset()), true
}

// writeFramesPlain writes the plain JSON of the frames of data to out,
// one document per line, given which frames have bytes after their
// value (framesPlain). It warns of those bytes, as AppendFrames does,
// and names the frame in an output limit error: the frame whose output
// passes the limit (plainConv.run checks it at the end of each), which
// gives no warning about its strings that are not UTF-8, its output
// not being written.
func writeFramesPlain(out io.Writer, name string, data []byte, trailing []uint64, p *plainConv, o *Options) error {
	var buf []byte
	var marks typedMarks
	flushed := 0
	// Each frame's warnings name it, as AppendFrames gives them.
	var fo Options
	if o != nil {
		fo = *o
	}
	fw := frameWarns{warn: fo.Warn}
	frame := 0
	if fo.Warn != nil {
		fo.Warn = func(msg string) { fw.add(frame, msg) }
	}
	for i, rest := 0, data; len(rest) > 0; i++ {
		payload, next, _ := amf.NextFrame(rest)
		rest = next
		frame = i + 1
		if trailing[i>>6]&(1<<(uint(i)&63)) != 0 {
			end, _ := frameValueEnd(payload, p, &marks)
			if fo.Warn != nil {
				fo.Warn(fmt.Sprintf("%d bytes after its value are dropped", len(payload)-end))
			}
			payload = payload[:end]
		}
		// A context of its own (fresh tables and caches), the output and
		// its count kept across frames.
		p.rd.Reset(payload, amf.AMF3)
		p.reset(&fo, buf, &p.rd)
		p.out, p.flushed, p.check = out, flushed, 0
		b, err := p.run()
		if err != nil {
			if _, limit := err.(*OutputLimitError); limit {
				// The bytes up to the limit, then the error.
				if werr := upToLimit(err, out, p.w, p.flushed); werr != err {
					return werr
				}
				return fmt.Errorf("%s: frame %d: %w", name, i+1, err)
			}
			return err
		}
		buf, flushed = b, p.flushed
	}
	_, err := out.Write(buf)
	fw.done()
	return err
}

// framesError is the error AppendFrames (an amf.FrameReader) meets
// first in data, found with the token Reader and building no value: the
// same *amf.FrameError or *amf.FrameSizeError, and good, the bytes of
// the frames before it, which AppendFrames converts first. nil when
// every frame reads.
func framesError(data []byte, p *plainConv) (good int, err error) {
	var marks typedMarks
	n := 0
	for good < len(data) {
		rest, start := data[good:], int64(good)
		n++
		if len(rest) < 4 {
			return good, &amf.FrameError{Frame: n, Offset: start, Err: io.ErrUnexpectedEOF, Length: -1, Got: int64(len(rest))}
		}
		size := binary.BigEndian.Uint32(rest)
		switch {
		case uint64(size) > amf.DefaultMaxFrame:
			return good, &amf.FrameSizeError{Size: size, Limit: amf.DefaultMaxFrame, Offset: start}
		case size == 0:
			return good, &amf.FrameError{Frame: n, Offset: start, Err: amf.ErrEmptyFrame}
		case uint64(size) > uint64(len(rest)-4):
			return good, &amf.FrameError{Frame: n, Offset: start, Err: io.ErrUnexpectedEOF, Length: int64(size), Got: int64(len(rest) - 4)}
		}
		p.rd.Reset(rest[4:4+size], amf.AMF3)
		marks.m0, marks.m3 = marks.m0[:0], marks.m3[:0]
		if ok, err := markValues(&p.rd, p.batch[:], &marks, true); !ok {
			if err == nil {
				return good, nil // not expected: the value path says it
			}
			return good, &amf.FrameError{Frame: n, Offset: start, Err: err}
		}
		good += 4 + int(size)
	}
	if n == 0 {
		return 0, &amf.FrameError{Frame: 1, Err: io.ErrUnexpectedEOF}
	}
	return good, nil
}

// framesNotTaken is what RenderTo returns for frames to JSON that the
// direct writers do not take: the first frame's error when one does not
// read, as Render gives it through AppendFrames, without building the
// values of every frame before it nor holding their output (issue 7);
// false, to leave the input to Render, otherwise. AppendFrames converts
// the frames before the one that fails first: their warnings are given
// and the output limit checked on them the same way here, by writing
// them to nothing (output that passes the limit is its error, and
// Render writes none of a capture that fails).
func (src *Source) framesNotTaken(o *Options) (bool, error) {
	p := plainPool.Get().(*plainConv)
	good, ferr := framesError(src.Data, p)
	p.release()
	if ferr == nil {
		return false, nil
	}
	if good > 0 {
		before := *src
		before.Data = src.Data[:good]
		discard := newLimitWriter(io.Discard, o)
		var err error
		if o != nil && o.Typed {
			var ok bool
			if ok, err = before.renderFramesTypedTo(discard, o); !ok {
				return false, nil // (not expected)
			}
		} else {
			p := plainPool.Get().(*plainConv)
			trailing, _ := framesPlain(before.Data, p)
			err = writeFramesPlain(discard, src.Name, before.Data, trailing, p, o)
			p.release()
		}
		if err != nil {
			if err == discard.err {
				err = fmt.Errorf("%s: %w", src.Name, err)
			}
			return true, err
		}
	}
	return true, fmt.Errorf("%s: %w", src.Name, ferr)
}

package convert

// Plain JSON of AMF Socket frames streamed from the tokens (issue 7:
// memory that does not grow with the input): each frame's value through
// the plain direct writer (plain.go), with a reference context of its
// own, as AppendFrames writes it through the value model.

import (
	"fmt"
	"io"

	"github.com/amfcall/amfcall/amf"
)

// framesPlain reports which frames have bytes after their value (a bit
// per frame: a frame may be 5 bytes, so not their ends), or false when a
// frame is cut short, empty, too large or does not decode: [Source.Render]
// then says why through the value model, before anything is written.
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
	for i, rest := 0, data; len(rest) > 0; i++ {
		payload, next, _ := amf.NextFrame(rest)
		rest = next
		if trailing[i>>6]&(1<<(uint(i)&63)) != 0 {
			end, _ := frameValueEnd(payload, p, &marks)
			if o != nil && o.Warn != nil {
				o.Warn(fmt.Sprintf("frame %d: %d bytes after its value are dropped", i+1, len(payload)-end))
			}
			payload = payload[:end]
		}
		// A context of its own (fresh tables and caches), the output and
		// its count kept across frames.
		p.rd.Reset(payload, amf.AMF3)
		p.reset(o, buf, &p.rd)
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
	return err
}

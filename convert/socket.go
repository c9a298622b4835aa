package convert

// AMF Socket captures: a stream of length-prefixed frames, each one AMF3
// value with reference tables of its own (see amf.FrameReader).

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/amfcall/amfcall/amf"
)

// IsFrames reports whether data is a whole number of length-prefixed
// frames (at least one), each holding exactly one AMF3 value: a capture
// of one direction of an AMF Socket connection. A capture cut short
// inside a frame counts too when the whole frames before the cut start
// with an object (as every RPC frame does), so that reading it names the
// frame that is cut rather than failing as bare AMF3; so does a capture
// of one frame, cut, whose length is below 16 MiB and whose value starts
// as an object.
func IsFrames(data []byte) bool {
	if len(data) < 5 {
		return false
	}
	fr := amf.NewFrameReader(bytes.NewReader(data))
	firstObject := false
	for {
		var v any
		err := fr.Decode(&v)
		if err == io.EOF {
			return fr.Frames() > 0
		}
		var fe *amf.FrameError
		if errors.As(err, &fe) && fe.Err == io.ErrUnexpectedEOF {
			if fe.Frame == 1 {
				// Only a frame, cut: an object after a length below
				// 16 MiB (bare AMF3 rarely starts with undefined).
				return data[0] == 0 && amf.StartsObject(data[4:])
			}
			return firstObject
		}
		if err != nil || fr.Trailing > 0 {
			return false
		}
		if fr.Frames() == 1 {
			_, firstObject = v.(*amf.Object)
		}
	}
}

// AppendFrames appends the JSON form of each frame in data, one document
// per line. Each frame has its own reference tables, so typed $id
// numbering restarts at each line. Errors name the frame and its offset.
func AppendFrames(dst, data []byte, o *Options) ([]byte, error) {
	fr := amf.NewFrameReader(bytes.NewReader(data))
	for {
		var v any
		err := fr.Decode(&v)
		if err == io.EOF {
			if fr.Frames() == 0 {
				return nil, &amf.FrameError{Frame: 1, Err: io.ErrUnexpectedEOF}
			}
			return dst, nil
		}
		if err != nil {
			return nil, err
		}
		if fr.Trailing > 0 && o != nil && o.Warn != nil {
			o.Warn(fmt.Sprintf("frame %d: %d bytes after its value are dropped", fr.Frames(), fr.Trailing))
		}
		dst, err = AppendValue(dst, v, o)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", fr.Frames(), err)
		}
		dst = append(dst, '\n')
	}
}

// FramesFromJSON turns JSON documents (JSON lines), plain or typed, into
// one frame each. Unlike FromJSONLines, every document has its own
// reference context: a typed {"$ref": N} points within its own line, as
// each frame's references do.
func FramesFromJSON(dst, data []byte) ([]byte, error) {
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	for i, sp := range spans {
		v, err := newReader(data).document(sp)
		if err != nil {
			return nil, err
		}
		dst, err = amf.AppendFrame(dst, v)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, err)
		}
	}
	return dst, nil
}

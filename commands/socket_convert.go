package commands

import (
	"errors"
	"fmt"
	"io"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// socketTargetError refuses a conversion between AMF Socket frames and
// another AMF form: frames come from frames or from JSON lines.
func socketTargetError(kind convert.Kind, format string) error {
	if kind == convert.KindSocket {
		return usageErrorf("AMF Socket frames can't be written as %s", format).
			hint("use --to json (one line per frame) or --to socket")
	}
	return usageErrorf("only AMF Socket frames or JSON lines can be written as frames").
		hint(`convert to JSON first: each JSON line becomes one frame, such as {"type": "rpcMessage", "message": {"messageId": "1", "command": "hi", "params": {}}}`)
}

// renderSocket writes the source as frames: JSON lines one frame each,
// frames decoded and written again.
func renderSocket(src *source) ([]byte, error) {
	data := src.data
	if src.kind == convert.KindSocket {
		// Through the typed form, which keeps every value as it was.
		j, err := framesJSON(src, &convert.Options{Typed: true})
		if err != nil {
			return nil, err
		}
		data = j
	}
	out, err := convert.FramesFromJSON(nil, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.name, err)
	}
	return out, nil
}

// framesJSON is the JSON of a frame capture, one line per frame. A frame
// that is cut short, too large or does not decode is malformed input.
func framesJSON(src *source, o *convert.Options) ([]byte, error) {
	out, err := convert.AppendFrames(nil, src.data, o)
	if err != nil {
		err = fmt.Errorf("%s: %w", src.name, err)
		var fe *amf.FrameError
		var se *amf.FrameSizeError
		if errors.As(err, &fe) && errors.Is(fe.Err, io.ErrUnexpectedEOF) {
			return nil, withCode(exitInput, err).hint("the capture ends inside this frame: it was cut short")
		}
		if errors.As(err, &fe) || errors.As(err, &se) {
			return nil, withCode(exitInput, err)
		}
		return nil, err
	}
	return out, nil
}

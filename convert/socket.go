package convert

// AMF Socket captures: a stream of length-prefixed frames, each one AMF3
// value with reference tables of its own (see amf.FrameReader).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

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
	// Every frame through the token Reader, which reads what the value
	// decoder does without building the values (twice as fast on 100
	// MB); the first frame's value is an object (amf.Object) when it
	// starts as one (an object reference there does not read). The value
	// decoder took gigabytes for a first frame of millions of objects.
	var rd amf.Reader
	rd.NoReplay = true // (the objects' offsets: 20 MB for 5 million)
	var batch [64]amf.BatchToken
	var marks typedMarks
	firstObject := false
	for rest, n := data, 0; ; n++ {
		if len(rest) == 0 {
			return n > 0
		}
		payload, next, ok := amf.NextFrame(rest)
		if !ok {
			if len(rest) >= 4 {
				if size := binary.BigEndian.Uint32(rest); size == 0 || size > amf.DefaultMaxFrame {
					return false // empty or too large, not cut short
				}
			}
			if n == 0 {
				// Only a frame, cut: an object after a length below
				// 16 MiB (bare AMF3 rarely starts with undefined).
				return data[0] == 0 && amf.StartsObject(data[4:])
			}
			return firstObject
		}
		rest = next
		if n == 0 {
			firstObject = amf.StartsObject(payload)
		}
		rd.Reset(payload, amf.AMF3)
		marks.m0, marks.m3 = marks.m0[:0], marks.m3[:0]
		if ok, _ := markValues(&rd, batch[:], &marks, true); !ok || int(rd.InputOffset()) < len(payload) {
			return false
		}
	}
}

// maxFrameWarns is how many warnings a conversion of AMF Socket frames
// gives; past them it counts.
const maxFrameWarns = 20

// frameWarns gives the warnings of a conversion of AMF Socket frames,
// each naming its frame: the first maxFrameWarns of them, then (done)
// one line counting the rest. A capture of 500,000 frames that each
// contain themselves printed 500,000 lines, none naming its frame.
type frameWarns struct {
	warn       func(string)
	said, more int
}

func (f *frameWarns) add(frame int, msg string) {
	if f.said == maxFrameWarns {
		f.more++
		return
	}
	f.said++
	f.warn("frame " + strconv.Itoa(frame) + ": " + msg)
}

// done counts the warnings not given.
func (f *frameWarns) done() {
	if f.more > 0 {
		f.warn(strconv.Itoa(f.more) + " more warnings of later frames are not shown (the first " + strconv.Itoa(maxFrameWarns) + " are)")
	}
}

// AppendFrames appends the JSON form of each frame in data, one document
// per line. Each frame has its own reference tables, so typed $id
// numbering restarts at each line. Errors name the frame and its offset;
// warnings name their frame (frameWarns).
func AppendFrames(dst, data []byte, o *Options) ([]byte, error) {
	fr := amf.NewFrameReader(bytes.NewReader(data))
	var warns []string
	fo := &Options{}
	if o != nil {
		*fo = *o
	}
	fw := frameWarns{warn: fo.Warn}
	if fo.Warn != nil {
		fo.Warn = func(msg string) { warns = append(warns, msg) }
	}
	maxOut := outputLimit(o)
	for {
		var v any
		err := fr.Decode(&v)
		if err == io.EOF {
			if fr.Frames() == 0 {
				return nil, &amf.FrameError{Frame: 1, Err: io.ErrUnexpectedEOF}
			}
			fw.done()
			return dst, nil
		}
		if err != nil {
			return nil, err
		}
		if fr.Trailing > 0 && o != nil && o.Warn != nil {
			fw.add(fr.Frames(), fmt.Sprintf("%d bytes after its value are dropped", fr.Trailing))
		}
		// The frame's warnings (strings that are not UTF-8, cycles) once
		// its output, with the newline after it, is within the limit:
		// a frame that passes it is not written, nor warned about.
		warns = warns[:0]
		dst, err = AppendValue(dst, v, fo)
		if err == nil {
			if dst = append(dst, '\n'); len(dst) > maxOut {
				err = limitError(o)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", fr.Frames(), err)
		}
		for _, msg := range warns {
			fw.add(fr.Frames(), msg)
		}
	}
}

// FramesFromJSON turns JSON documents (JSON lines), plain or typed, into
// one frame each. Unlike FromJSONLines, every document has its own
// reference context: a typed {"$ref": N} points within its own line, as
// each frame's references do.
func FramesFromJSON(dst, data []byte) (_ []byte, err error) {
	return framesFromJSON(dst, data, nil)
}

// framesFromJSON is FramesFromJSON noting keys given twice in dk.
func framesFromJSON(dst, data []byte, dk *dupKeys) (_ []byte, err error) {
	defer func() { err = locate(err, data) }()
	var note dupKeys
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	for i, sp := range spans {
		r := newReader(data)
		r.out3 = true // a frame's value is AMF3
		v, err := r.document(sp)
		if err != nil {
			return nil, crossFrameRef(err, data, spans, i)
		}
		dst, err = amf.AppendFrame(dst, v)
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", i+1, encodeAt(err, data, sp.start))
		}
		note.take(&r.dups, 0)
	}
	dk.take(&note, 0)
	return dst, nil
}

// holdFrames is how much output WriteFramesFromJSON holds while it has
// not yet seen every document convert. (At 32 MiB, as WriteJSONAsAMF
// holds, 100 MB of JSON lines of W1 peaked at 272 MB: the held frames,
// their copies as they grew and the garbage collector's headroom over
// them, past the input + 64 MB of issue 7.)
const holdFrames = 4 << 20

// WriteFramesFromJSON is [FramesFromJSON] writing to out as it goes, so
// that memory does not grow with the output. Nothing is written when a
// document does not convert: the frames are held until every document
// has converted, and once they would pass holdFrames, the documents left
// are converted once without output first. Errors are FramesFromJSON's.
func WriteFramesFromJSON(out io.Writer, data []byte) error {
	return writeFramesFromJSON(out, data, true, nil)
}

// writeFramesFromJSON is WriteFramesFromJSON; without whole, for an
// output thrown away on an error ([Options].Discardable), the documents
// past holdFrames are converted once, each frame written whole as it is
// made, instead of all of them converted once without output first
// (110 MB of W1 JSON lines: 11 conversions of its 6 documents, not 6).
// The error is the same: the first document that does not convert.
func writeFramesFromJSON(out io.Writer, data []byte, whole bool, dk *dupKeys) (err error) {
	defer func() { err = locate(err, data) }()
	var fw frameWriter
	if held, ok := fw.onePass(data, dk); ok {
		_, err := out.Write(held)
		return err
	}
	spans, err := splitValues(data)
	if err != nil {
		return err
	}
	if len(spans) == 0 {
		return &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	var held, frame []byte
	checked := false
	for i, sp := range spans {
		if !checked && len(held) >= holdFrames {
			for j := i; j < len(spans) && whole; j++ {
				if frame, err = fw.frame(frame[:0], data, spans[j], j, nil); err != nil {
					return crossFrameRef(err, data, spans, j)
				}
			}
			checked = true
			if _, err := out.Write(held); err != nil {
				return err
			}
			held = nil
		}
		if !checked {
			if held, err = fw.frame(held, data, sp, i, dk); err != nil {
				return crossFrameRef(err, data, spans, i)
			}
			continue
		}
		if frame, err = fw.frame(frame[:0], data, sp, i, dk); err != nil {
			return crossFrameRef(err, data, spans, i)
		}
		if _, err := out.Write(frame); err != nil {
			return err
		}
	}
	_, err = out.Write(held)
	return err
}

// frameWriter writes JSON documents as frames through one Writer and
// one scanner, reset for each frame (a new reference context) rather
// than made again: 20,000 one-line documents made 20,000 of each, some
// 20 KB together, and the garbage collector's work over them took 18
// times the instructions of the same lines to AMF3 values (review2 F21).
type frameWriter struct {
	w *amf.Writer
	j jsonAMF // not moved once used: its duplicate-key pool points into it
}

// onePass writes the frames of every document in data by the direct
// writer alone, each found as it is written (the text checked once, as
// the direct writer checks it, where splitValues would check it first):
// the common case of JSON lines that all convert, whose frames take less
// than holdFrames. False, with nothing noted in dk, for anything else (a
// document the writer leaves to the value model, an error, more output),
// which the spans' path then converts from the start.
func (f *frameWriter) onePass(data []byte, dk *dupKeys) ([]byte, bool) {
	// Room for the frames at once (mostly smaller than their JSON):
	// grown by doubling, their copies cost a fifth of the time.
	held := make([]byte, 0, min(len(data)+len(data)/8+64, holdFrames+64<<10))
	var note dupKeys
	for i := 0; ; {
		for i < len(data) && jsonSpace[data[i]] {
			i++
		}
		if i >= len(data) {
			if len(held) == 0 {
				return nil, false // no document: the error is the spans' path's
			}
			dk.take(&note, 0)
			return held, true
		}
		if len(held) >= holdFrames {
			return nil, false
		}
		start := len(held)
		if f.w == nil {
			f.w = amf.AppendWriter(append(held, 0, 0, 0, 0), amf.AMF3)
		} else {
			f.w.ResetAppend(append(held, 0, 0, 0, 0))
		}
		f.j.reset(f.w, data[i:], amf.AMF3, false)
		n, ok := f.j.value(0)
		if !ok || f.w.Err() != nil {
			f.j.forgetHints()
			return nil, false
		}
		// A top-level number or literal runs to white space, a bracket
		// or a quote, where splitValues ends it (as jsonAMF.run).
		if c := data[i]; c != '{' && c != '[' && c != '"' && i+n < len(data) {
			if d := data[i+n]; !jsonSpace[d] && d != '{' && d != '[' && d != '"' {
				return nil, false
			}
		}
		out, err := f.w.Bytes()
		if err == nil {
			out, err = amf.PutFrameLength(out, start)
		}
		if err != nil {
			return nil, false
		}
		note.take(&f.j.dups, i)
		held, i = out, i+n
	}
}

// frame appends the frame of the document at sp, the i-th (from 0),
// with a reference context of its own.
func (f *frameWriter) frame(dst, data []byte, sp span, i int, dk *dupKeys) ([]byte, error) {
	// The direct JSON -> AMF3 writer first: it writes what the value
	// model would, from the text (as appendJSONAsAMF does, with the
	// Writer and scanner of the frames before). Where it stops, the
	// model writes the frame or says why, so that the error names the
	// line and column in the whole input.
	// The scanner reads the text from the document on (not cut at its
	// end: its eight-byte reads and member-name hints need bytes after a
	// short last member) and writes the one value there, which ends where
	// the document does.
	start := len(dst)
	for _, look := range []bool{false, true} {
		if f.w == nil {
			f.w = amf.AppendWriter(append(dst, 0, 0, 0, 0), amf.AMF3)
		} else {
			f.w.ResetAppend(append(dst, 0, 0, 0, 0))
		}
		f.j.reset(f.w, data[sp.start:], amf.AMF3, look)
		if end, ok := f.j.value(0); ok && end == sp.end-sp.start && f.w.Err() == nil {
			out, err := f.w.Bytes()
			if err == nil {
				out, err = amf.PutFrameLength(out, start)
			}
			if err == nil {
				dk.take(&f.j.dups, sp.start)
				return out, nil
			}
			break
		}
		f.j.forgetHints()
		if !f.j.surprise || look {
			break // an error, or the value model's
		}
	}
	return frameFromJSON(dst[:start], data, sp, i, dk)
}

// frameFromJSON appends the frame of the document at sp, the i-th (from
// 0), with a reference context of its own, as appendJSONAsAMF writes it
// (by the direct path, else the value model); its errors are the value
// model's, located in data.
func frameFromJSON(dst, data []byte, sp span, i int, dk *dupKeys) ([]byte, error) {
	start := len(dst)
	var note dupKeys
	if out, err := appendJSONAsAMF(append(dst, 0, 0, 0, 0), data[sp.start:sp.end], amf.AMF3, &note); err == nil {
		if out, err = amf.PutFrameLength(out, start); err == nil {
			dk.take(&note, sp.start)
			return out, nil
		}
	}
	dst = dst[:start]
	r := newReader(data)
	r.out3 = true // a frame's value is AMF3
	v, err := r.document(sp)
	if err != nil {
		return nil, err
	}
	out, err := amf.AppendFrame(dst, v)
	if err != nil {
		return nil, fmt.Errorf("frame %d: %w", i+1, encodeAt(err, data, sp.start))
	}
	dk.take(&r.dups, 0)
	return out, nil
}

// crossFrameRef turns the error of the i-th document (from 0), a typed
// {"$ref": N} with no $id N before it in its own document, into one that
// says why when an earlier document gives $id N: each frame is a
// reference context of its own, so a $ref never reaches into another
// frame. Other errors are returned as they are.
func crossFrameRef(err error, data []byte, spans []span, i int) error {
	e, ok := err.(*Error)
	if !ok || i == 0 || !strings.HasSuffix(e.Path, "/$ref") || e.Offset < 0 || e.Offset >= int64(len(data)) {
		return err
	}
	ref := gjson.ParseBytes(data[e.Offset:spans[i].end])
	n, ok := wholeNumber(ref)
	if !ok {
		return err
	}
	for j := i - 1; j >= 0; j-- {
		r := newReader(data)
		if _, err := r.document(spans[j]); err != nil {
			continue
		}
		if _, ok := r.ids[n]; ok {
			return &Error{Offset: e.Offset, Path: e.Path, Err: fmt.Errorf(
				"frame %d: $ref %d refers to $id %d of frame %d, but references do not cross frames (each frame is its own AMF context: give the value again, or an $id of its own frame)",
				i+1, n, n, j+1)}
		}
	}
	return err
}

package convert

// FLV -> JSON streamed: an FLV file of many script tags is read and its
// JSON written one tag at a time, so that memory does not grow with the
// number of tags (400,000 tags of 29 bytes, 11.6 MB, took 437 MB
// through the list of tags, their value model and the whole output;
// review2 F20).

import (
	"errors"
	"fmt"
	"io"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/readbuf"
)

// flvJSON writes the JSON form of an FLV file's script tags,
// {"flv": [{"tag", "timestamp", "name", "value"[, "extra"]}, ...]}, one
// tag at a time, as AppendValue(flvValue(tags), o) writes the whole list
// (the same bytes, plain or typed: TestFLVJSONStreamedSame): the wrapper
// object and array are opened as the writer opens them, each tag written
// as an item of the array. The typed form's occurrence counts and $ids
// are kept for one tag at a time (no value is shared between tags: each
// tag's AMF0 data is decoded on its own); the $id numbering goes on
// through the file, and the traits met (by content) are kept, as one
// document has them.
type flvJSON struct {
	w    *writer
	root *amf.Object // the wrapper, for the plain form's ancestors and the typed form's traits
	list *amf.Array
	n    int // tags written

	out     io.Writer // where the output goes as it grows (nil: kept in w.buf)
	flushed int       // bytes written to out so far
	hold    int       // output held before the first write to out
}

// flvFlush is how much output flvJSON holds before it writes it to out;
// flvHold, before the first write when the output is not Discardable
// (stdout): a file whose JSON is smaller gives it whole or not at all.
const (
	flvFlush = 64 << 10
	flvHold  = 8 << 20
)

func newFLVJSON(o *Options, out io.Writer) *flvJSON {
	f := &flvJSON{w: newWriter(o), list: &amf.Array{}, out: out, hold: flvFlush}
	if o == nil || !o.Discardable {
		f.hold = flvHold
	}
	f.root = &amf.Object{Members: []amf.Member{{Name: "flv", Value: f.list}}}
	w := f.w
	if w.o.Typed {
		// typed(root), then typed(list), up to the first item.
		w.count(f.root)
		first := w.begin(f.root)
		w.traitsFor(f.root)
		w.dataKey("flv", first)
		w.open('[')
		return f
	}
	// plain(root, seg{}), members, then plain(list, ...) and list, up to
	// the first item.
	w.push(f.root, seg{})
	w.open('{')
	w.dataKey("flv", true)
	w.push(f.list, seg{name: "flv"})
	w.open('[')
	return f
}

// tag writes the tag t as the next item.
func (f *flvJSON) tag(t FLVTag) error {
	w := f.w
	o := flvTagValue(t)
	w.item(f.n == 0)
	var err error
	if w.o.Typed {
		// A context per tag: the values of one tag are counted (and
		// given $ids) alone; pointers into an earlier tag do not occur.
		clear(w.seen)
		clear(w.ids)
		clear(w.traitsPtr)
		w.count(o)
		err = w.typed(o)
	} else {
		err = w.valueAt(o, seg{index: f.n, isIndex: true})
	}
	if err != nil {
		return err
	}
	f.n++
	return f.flush(false)
}

// end closes the list and the wrapper and returns what is held (all of
// the output when there is no out), with the newline after it, which
// counts against the output limit too (it once passed it by a byte).
func (f *flvJSON) end() ([]byte, error) {
	w := f.w
	w.close(']', f.n == 0)
	if !w.o.Typed {
		w.pop()
	}
	w.close('}', false)
	if !w.o.Typed {
		w.pop()
	}
	w.buf = append(w.buf, '\n')
	return w.finish()
}

// flush writes what is held to out once it passes flvFlush (or always,
// with all), counting it against the output limit as if it were held.
func (f *flvJSON) flush(all bool) error {
	w := f.w
	if f.out == nil || len(w.buf) < f.hold && !all {
		return nil
	}
	f.hold = flvFlush
	if len(w.buf) > w.maxOut {
		return w.limitErr()
	}
	if _, err := f.out.Write(w.buf); err != nil {
		return &flvWriteError{err}
	}
	f.flushed += len(w.buf)
	w.maxOut -= len(w.buf)
	w.buf = w.buf[:0]
	return nil
}

// upToLimit writes, for an output limit error, the output held up to the
// limit (w.maxOut is what is left of it after the bytes flushed), as
// the limit writer passes it; other errors are returned as they are.
func (f *flvJSON) upToLimit(err error) error {
	if f.out == nil || !errors.As(err, new(*OutputLimitError)) {
		return err
	}
	if werr := upToLimit(err, f.out, f.w, 0); werr != err {
		return &flvWriteError{werr}
	}
	return err
}

// flvWriteError is an error of the output (not of the input).
type flvWriteError struct{ err error }

func (e *flvWriteError) Error() string { return e.err.Error() }
func (e *flvWriteError) Unwrap() error { return e.err }

// flvTagValue is the JSON shape of one script tag (see flvValue).
func flvTagValue(t FLVTag) *amf.Object {
	var ts any = float64(t.Timestamp)
	if t.Timestamp <= amf.MaxInt {
		ts = amf.Int(t.Timestamp)
	}
	o := &amf.Object{Members: []amf.Member{
		{Name: "tag", Value: amf.Int(t.Index)},
		{Name: "timestamp", Value: ts},
		{Name: "name", Value: t.Name},
		{Name: "value", Value: t.Value},
	}}
	if len(t.Extra) > 0 {
		o.Members = append(o.Members, amf.Member{Name: "extra", Value: &amf.Array{Dense: t.Extra}})
	}
	return o
}

// WriteFLVJSON reads an FLV file from r, in order and once, and writes
// the JSON form of its script tags to out as it goes, the bytes
// [Source.Render] gives for it (plain or typed, with o's layout and
// output limit), holding one tag at a time: memory does not grow with
// the number of tags. Audio and video tags are skipped as read.
//
// Past the output limit, the output up to the limit is written, then
// the limit error returned, as every path of [Source.RenderTo] does. On
// an error in the file (named with its byte offset, as [LoadFLV] names
// it), nothing is written if the JSON so far is below 8 MiB (64 KiB
// when o.Discardable); past that, what was written is a part, which a
// Discardable out is for the caller to drop (convert writes -o FILE to a
// temporary file first). It returns the number of bytes read from r.
func WriteFLVJSON(out io.Writer, r io.Reader, name string, o *Options) (int64, error) {
	fe := &readErr{r: r}
	cr := &readbuf.Counter{R: fe}
	fr := amf.NewFLVStreamReader(cr)
	if err := flvHeaderError(fr); err != nil {
		switch {
		case fe.err != nil:
			return cr.N, fmt.Errorf("%s: %w", name, fe.err) // not "missing signature"
		case cr.N == 0:
			return 0, inputErr(WhyNone, "%s: the input is empty", name) // as Load says it
		}
		return cr.N, fmt.Errorf("%s: %w", name, err)
	}
	f := newFLVJSON(o, out)
	var other flvOther // the tags the JSON does not hold, for the typed warning
	for {
		tag, err := fr.Next()
		if err == io.EOF || err != nil && other.cutShort(fr) {
			break
		}
		if err != nil {
			err = other.misframed(fr, err)
		} else {
			other.seen(tag)
		}
		if err == nil && !tag.IsScript() {
			other.add(tag)
			continue
		}
		var s amf.FLVScript
		if err == nil {
			s, err = fr.Script()
		}
		if err != nil {
			return cr.N, fmt.Errorf("%s: %w", name, err)
		}
		other.script(tag, &s)
		err = f.tag(FLVTag{Index: tag.Index, Offset: tag.Offset, Timestamp: tag.Timestamp, Name: s.Name, Value: s.Value, Extra: s.Extra})
		if err != nil {
			return cr.N, flvOutError(name, f.upToLimit(err))
		}
	}
	b, err := f.end()
	if err == nil {
		_, err = out.Write(b)
		if err != nil {
			err = &flvWriteError{err}
		}
	}
	if err != nil {
		return cr.N, flvOutError(name, f.upToLimit(err))
	}
	for _, msg := range []string{other.prevWarning(), other.openWarning(), other.cutWarning()} {
		if msg != "" && o != nil && o.Warn != nil {
			o.Warn(name + ": " + msg)
		}
	}
	if msg := other.warning(); msg != "" && o != nil && o.Typed && o.Warn != nil {
		o.Warn(name + ": " + msg) // as Render gives it
	}
	return cr.N, nil
}

// flvOutError names the input in an output limit error, as Render does;
// an error of out is returned as it is.
func flvOutError(name string, err error) error {
	var we *flvWriteError
	if errors.As(err, &we) {
		return we.err
	}
	if errors.As(err, new(*OutputLimitError)) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return err
}

// readErr is r, keeping the first error other than io.EOF it returns:
// no byte read and no such error is an empty input.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

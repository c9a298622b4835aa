package amf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Unmarshal decodes exactly one value of version ver from data into *v.
// Bytes left after the value are a *TrailingDataError.
func Unmarshal(data []byte, ver Version, v *any) error {
	return defaultDecMode.Unmarshal(data, ver, v)
}

// UnmarshalFirst decodes the first value and returns the bytes after it.
func UnmarshalFirst(data []byte, ver Version, v *any) (rest []byte, err error) {
	return defaultDecMode.UnmarshalFirst(data, ver, v)
}

// Marshal encodes v as one value of version ver.
func Marshal(v any, ver Version) ([]byte, error) {
	return defaultEncMode.Marshal(v, ver)
}

// Unmarshal decodes exactly one value with the mode's limits. On error *v
// is set to nil.
func (m *DecMode) Unmarshal(data []byte, ver Version, v *any) error {
	return m.unmarshal(nil, data, ver, v)
}

// unmarshal is Unmarshal, into a's memory when a is not nil.
func (m *DecMode) unmarshal(a *Arena, data []byte, ver Version, v *any) error {
	rest, err := m.unmarshalFirst(a, data, ver, v)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		*v = nil
		return &TrailingDataError{N: len(rest), Offset: int64(len(data) - len(rest))}
	}
	return nil
}

// UnmarshalFirst decodes the first value and returns the bytes after it.
// On error *v is set to nil and rest is nil.
func (m *DecMode) UnmarshalFirst(data []byte, ver Version, v *any) ([]byte, error) {
	return m.unmarshalFirst(nil, data, ver, v)
}

// unmarshalFirst is UnmarshalFirst, into a's memory when a is not nil.
func (m *DecMode) unmarshalFirst(a *Arena, data []byte, ver Version, v *any) ([]byte, error) {
	if len(data) == 0 {
		*v = nil
		return nil, &SyntaxError{Version: ver.String(), Offset: 0, Err: io.ErrUnexpectedEOF}
	}
	if ver != AMF0 && ver != AMF3 {
		*v = nil
		return nil, fmt.Errorf("amf: unknown version %d", ver)
	}
	if x, n, ok := m.bareBytes(data, ver); ok {
		*v = x
		return data[n:], nil
	}
	b := a.builder(m, data, ver)
	x, err := b.top()
	off := b.r.off
	a.done(b)
	if err != nil {
		*v = nil
		return nil, err
	}
	*v = x
	return data[off:], nil
}

// Marshal encodes v as one value of version ver.
func (m *EncMode) Marshal(v any, ver Version) ([]byte, error) {
	e := getEncoder(m)
	defer putEncoder(e)
	e.buf = e.out[:0]
	if err := e.top(v, ver); err != nil {
		e.out = e.buf[:0]
		return nil, err
	}
	return e.result(), nil
}

// Append appends the encoding of v as one value of version ver to dst.
// With a dst of enough capacity it allocates nothing.
func (m *EncMode) Append(dst []byte, v any, ver Version) ([]byte, error) {
	e := getEncoder(m)
	defer putEncoder(e)
	e.buf = dst
	if err := e.top(v, ver); err != nil {
		return dst, err
	}
	return e.buf, nil
}

// Append appends the encoding of v as one value of version ver to dst.
func Append(dst []byte, v any, ver Version) ([]byte, error) {
	return defaultEncMode.Append(dst, v, ver)
}

// maxKeptBuf bounds the output buffer a pooled encoder keeps.
const maxKeptBuf = 4 << 20

// result is Marshal's copy of the output, which was written into the
// encoder's own buffer. A large output is handed out as it is instead.
func (e *encoder) result() []byte {
	if cap(e.buf) > maxKeptBuf {
		out := e.buf
		e.out, e.buf = nil, nil
		return out
	}
	out := bytes.Clone(e.buf)
	e.out, e.buf = e.buf[:0], nil
	return out
}

func (e *encoder) top(v any, ver Version) error {
	var err error
	switch ver {
	case AMF0:
		err = e.value0(v)
	case AMF3:
		err = e.value3(v)
	default:
		return fmt.Errorf("amf: unknown version %d", ver)
	}
	if err != nil {
		return finishEncErr(err, ver)
	}
	return nil
}

// A Decoder reads a sequence of values of one version from a stream, as
// they stand in a file of bare values: the reference tables run across the
// whole stream.
//
// The Decoder reads its input whole on the first call (at most
// MaxInput bytes, 1 GiB by default) and then decodes from memory.
type Decoder struct {
	r   io.Reader
	ver Version
	m   *DecMode
	b   *builder
	err error

	// MaxInput bounds the bytes read from the stream. Default 1 GiB.
	MaxInput int64
}

// NewDecoder returns a Decoder of version ver reading from r.
func NewDecoder(r io.Reader, ver Version) *Decoder {
	return defaultDecMode.NewDecoder(r, ver)
}

// NewDecoder returns a Decoder with the mode's limits.
func (m *DecMode) NewDecoder(r io.Reader, ver Version) *Decoder {
	return &Decoder{r: r, ver: ver, m: m, MaxInput: 1 << 30}
}

// Decode reads the next value into *v. It returns io.EOF at the clean end
// of the stream, and a *SyntaxError wrapping io.ErrUnexpectedEOF when the
// stream ends inside a value.
func (dec *Decoder) Decode(v *any) error {
	if dec.err != nil {
		return dec.err
	}
	if dec.b == nil {
		data, err := io.ReadAll(io.LimitReader(dec.r, dec.MaxInput+1))
		if err != nil {
			dec.err = err
			return err
		}
		if int64(len(data)) > dec.MaxInput {
			dec.err = fmt.Errorf("amf: input exceeds %d bytes", dec.MaxInput)
			return dec.err
		}
		b := &builder{m: dec.m}
		b.r = &b.rd
		b.rd = Reader{m: dec.m, ver: dec.ver, data: data, b: b}
		dec.b = b
	}
	r := dec.b.r
	if r.off >= len(r.data) {
		return io.EOF
	}
	if dec.ver != AMF0 && dec.ver != AMF3 {
		dec.err = fmt.Errorf("amf: unknown version %d", dec.ver)
		return dec.err
	}
	x, err := dec.b.top()
	if err != nil {
		dec.err = err
		return err
	}
	*v = x
	return nil
}

// InputOffset is the offset just after the last value decoded.
func (dec *Decoder) InputOffset() int64 {
	if dec.b == nil {
		return 0
	}
	return int64(dec.b.r.off)
}

// An Encoder writes a sequence of values of one version to a stream,
// sharing the reference tables across them as a Decoder expects.
//
// An error is sticky: once a value could not be encoded or written, the
// tables hold entries the reader never saw, so every later Encode returns
// the same error.
type Encoder struct {
	w   io.Writer
	ver Version
	e   *encoder
	err error
}

// NewEncoder returns an Encoder of version ver writing to w.
func NewEncoder(w io.Writer, ver Version) *Encoder {
	return defaultEncMode.NewEncoder(w, ver)
}

// NewEncoder returns an Encoder with the mode's options.
func (m *EncMode) NewEncoder(w io.Writer, ver Version) *Encoder {
	return &Encoder{w: w, ver: ver, e: newEncoder(m)}
}

// Encode writes v.
func (enc *Encoder) Encode(v any) error {
	if enc.err != nil {
		return enc.err
	}
	enc.e.buf = enc.e.buf[:0]
	if err := enc.e.top(v, enc.ver); err != nil {
		enc.err = err
		return err
	}
	if _, err := enc.w.Write(enc.e.buf); err != nil {
		enc.err = err
		return err
	}
	return nil
}

// IsLimit reports whether err is one of the decoder's limit errors.
func IsLimit(err error) bool {
	var a *MaxDepthError
	var b *MaxElementsError
	var c *MaxLengthError
	var d *MaxReferencesError
	return errors.As(err, &a) || errors.As(err, &b) || errors.As(err, &c) || errors.As(err, &d)
}

// UnmarshalAll decodes every value in data, values one after another that
// share one reference context (a stream or a file of bare values).
func UnmarshalAll(data []byte, ver Version) ([]any, error) {
	return defaultDecMode.UnmarshalAll(data, ver)
}

// UnmarshalAll decodes every value in data with the mode's limits.
func (m *DecMode) UnmarshalAll(data []byte, ver Version) ([]any, error) {
	dec := m.NewDecoder(bytes.NewReader(data), ver)
	var vs []any
	for {
		var v any
		err := dec.Decode(&v)
		if err == io.EOF {
			return vs, nil
		}
		if err != nil {
			return nil, err
		}
		vs = append(vs, v)
	}
}

package amf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Writer writes AMF as tokens, the counterpart of [Reader]: scalars,
// strings, containers opened and closed, member names, and a ByteArray
// streamed from an io.Reader of known length. It keeps the AMF3 string
// and traits tables (strings are written once, then referenced, as the
// value encoder does), counts the object tables so that callers can write
// references, and writes exact counts and lengths, patching them in when
// they are only known at the end ([Writer.BeginArray] with -1, packet
// message lengths).
//
// Output is buffered while a count or length is still open and written
// to the destination as soon as nothing is; a Writer with no destination
// keeps it, to be read with [Writer.Bytes], [Writer.WriteTo] or
// [Writer.Reader] (which also stream ByteArrays given as readers).
type Writer struct {
	ver   Version
	buf   []byte
	out   io.Writer
	err   error
	total int64 // bytes before buf (written out, or held in parts)

	parts []part // held output: bytes and streamed pieces, in order

	stack []wframe

	strs    map[string]int
	nstrs   int
	traits  map[string]int
	ntraits int
	objs    int // AMF3 object table entries
	refs0   int // AMF0 object table entries
	cesu8   bool

	m   *EncMode
	enc *encoder // for WriteValue, sharing the context
}

type part struct {
	b []byte
	r io.Reader
	n int64
}

type wframe struct {
	kind    byte    // 'a' AMF3 array (dense), 'A' AMF0 strict array, 'o' object, 'e' ECMA array, 'E' AMF0 object, 'm' message/header value, 's' switch
	ver     Version // the version of the values inside
	at      int     // patch position in buf
	count   int     // items written
	n       int     // declared count, -1 unknown
	start   int64   // output offset of the value (lengths)
	hdrSize int     // bytes reserved for the count
	dynamic bool    // an AMF3 object ends with the empty name
}

// AppendWriter returns a Writer with no destination whose output is
// appended to dst.
func AppendWriter(dst []byte, ver Version) *Writer {
	w := defaultEncMode.NewWriter(nil, ver)
	w.buf = dst
	return w
}

// NewWriter returns a Writer of values of version ver to w (nil: keep the
// output) with the default options.
func NewWriter(w io.Writer, ver Version) *Writer { return defaultEncMode.NewWriter(w, ver) }

// NewWriter returns a Writer with the mode's options.
func (m *EncMode) NewWriter(w io.Writer, ver Version) *Writer {
	return &Writer{ver: ver, out: w, cesu8: m.cesu8, m: m}
}

// Err returns the first error the Writer met; every call after it does
// nothing.
func (w *Writer) Err() error { return w.err }

// Offset returns the number of bytes written so far.
func (w *Writer) Offset() int64 { return w.total + int64(len(w.buf)) }

// version is the version of the next value: each frame holds the one of
// its contents.
func (w *Writer) version() Version {
	if n := len(w.stack); n > 0 {
		return w.stack[n-1].ver
	}
	return w.ver
}

func (w *Writer) setErr(err error) error {
	if w.err == nil {
		w.err = err
	}
	return w.err
}

// item counts a value in its container and ends a switch.
func (w *Writer) item() {
	if n := len(w.stack); n > 0 {
		w.stack[n-1].count++
	}
}

// valueDone closes the frames that hold a single value and writes the
// buffer out when it can. Its common case (inside an array or object,
// no destination) is inlined.
func (w *Writer) valueDone() {
	if n := len(w.stack) - 1; n < 0 || w.out != nil || w.stack[n].kind == 's' {
		w.valueDoneSlow()
	}
}

func (w *Writer) valueDoneSlow() {
	for len(w.stack) > 0 && w.stack[len(w.stack)-1].kind == 's' {
		w.stack = w.stack[:len(w.stack)-1]
	}
	w.maybeFlush()
}

// maybeFlush writes the buffer out when no count or length is open.
func (w *Writer) maybeFlush() {
	if w.out == nil || w.err != nil || len(w.buf) < 64<<10 && len(w.parts) == 0 || w.open() {
		return
	}
	w.flushBuf()
}

func (w *Writer) flushBuf() {
	if w.err != nil {
		return
	}
	for _, p := range w.parts {
		var err error
		if p.r != nil {
			_, err = io.Copy(w.out, p.r)
		} else {
			_, err = w.out.Write(p.b)
		}
		if err != nil {
			w.setErr(err)
			return
		}
	}
	w.parts = nil
	if len(w.buf) == 0 {
		return
	}
	if _, err := w.out.Write(w.buf); err != nil {
		w.setErr(err)
	}
	w.total += int64(len(w.buf))
	w.buf = w.buf[:0]
}

// open reports whether a count or length is still to be written.
func (w *Writer) open() bool {
	for _, f := range w.stack {
		if f.n < 0 || f.kind == 'm' {
			return true
		}
	}
	return false
}

// Flush writes what is buffered to the destination. It fails while a
// count or length is still open.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.open() {
		return errors.New("amf: Flush inside a value whose length is not known yet")
	}
	if w.out != nil {
		w.flushBuf()
	}
	return w.err
}

func (w *Writer) fail(format string, args ...any) error {
	return w.setErr(&EncodeError{Version: w.version().String(), Err: fmt.Errorf(format, args...)})
}

// ---- scalars ----

// WriteNull writes null.
func (w *Writer) WriteNull() error { return w.marker(m0Null, m3Null) }

// WriteUndefined writes undefined.
func (w *Writer) WriteUndefined() error { return w.marker(m0Undefined, m3Undefined) }

func (w *Writer) marker(m0, m3 byte) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		w.buf = append(w.buf, m0)
	} else {
		w.buf = append(w.buf, m3)
	}
	w.item()
	w.valueDone()
	return nil
}

// WriteBool writes a boolean.
func (w *Writer) WriteBool(b bool) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		w.buf = append(w.buf, m0Boolean, 0)
		if b {
			w.buf[len(w.buf)-1] = 1
		}
	} else if b {
		w.buf = append(w.buf, m3True)
	} else {
		w.buf = append(w.buf, m3False)
	}
	w.item()
	w.valueDone()
	return nil
}

// WriteInt writes an integer: an AMF3 integer in [MinInt, MaxInt], a
// double otherwise and in AMF0.
func (w *Writer) WriteInt(i int64) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF3 && i >= MinInt && i <= MaxInt {
		w.buf = append(w.buf, m3Integer)
		w.buf = AppendU29(w.buf, uint32(i)&maxU29)
		w.item()
		w.valueDone()
		return nil
	}
	return w.WriteDouble(float64(i))
}

// WriteDouble writes a double.
func (w *Writer) WriteDouble(f float64) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		w.buf = append(w.buf, m0Number)
	} else {
		w.buf = append(w.buf, m3Double)
	}
	w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(f))
	w.item()
	w.valueDone()
	return nil
}

// WriteDate writes a date (tz is the AMF0 time-zone field).
func (w *Writer) WriteDate(ms float64, tz int16) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		w.buf = append(w.buf, m0Date)
		w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(ms))
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(tz))
	} else {
		w.buf = append(w.buf, m3Date, 0x01)
		w.buf = binary.BigEndian.AppendUint64(w.buf, math.Float64bits(ms))
		w.objs++
	}
	w.item()
	w.valueDone()
	return nil
}

// WriteString writes a string value. AMF0 chooses the long-string
// marker for more than 65,535 bytes; AMF3 writes a string met before as a
// reference.
func (w *Writer) WriteString(s string) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		if len(s) > math.MaxUint32 {
			return w.fail("string of %d bytes is longer than 4 GiB", len(s))
		}
		if len(s) > math.MaxUint16 {
			w.buf = append(w.buf, m0LongString)
			w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(s)))
		} else {
			w.buf = append(w.buf, m0String)
			w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(s)))
		}
		w.text(s)
	} else {
		w.buf = append(w.buf, m3String)
		if err := w.str3(s); err != nil {
			return err
		}
	}
	w.item()
	w.valueDone()
	return nil
}

// CheckString reports, before any of it is read, whether a string of n
// bytes can be written at all: AMF3 lengths end at 2^28-1.
func (w *Writer) CheckString(n int64) error {
	if w.version() == AMF3 && n > MaxInt {
		return &EncodeError{Version: "amf3", Err: fmt.Errorf("string of %d bytes is longer than the AMF3 limit of %d", n, MaxInt)}
	}
	if n > math.MaxUint32 {
		return &EncodeError{Version: "amf0", Err: fmt.Errorf("string of %d bytes is longer than 4 GiB", n)}
	}
	return nil
}

// str3 writes a UTF-8-vr.
func (w *Writer) str3(s string) error {
	if s == "" {
		w.buf = append(w.buf, 0x01)
		return nil
	}
	if i, ok := w.strs[s]; ok {
		w.buf = AppendU29(w.buf, uint32(i)<<1)
		return nil
	}
	if len(s) > MaxInt {
		return w.fail("string of %d bytes is longer than the AMF3 limit of %d", len(s), MaxInt)
	}
	w.buf = AppendU29(w.buf, uint32(len(s))<<1|1)
	w.text(s)
	if w.strs == nil {
		w.strs = make(map[string]int)
	}
	// The table keeps s itself, not a copy: a string is immutable (one
	// made with unsafe over bytes must not change while the Writer
	// lives).
	w.strs[s] = w.nstrs
	w.nstrs++
	return nil
}

// bigText is the length from which a string goes straight to the
// destination instead of through the buffer.
const bigText = 64 << 10

// text appends the bytes of a string, or writes a long one straight out
// when nothing is open.
func (w *Writer) text(s string) {
	if len(s) < bigText || w.out == nil || w.open() {
		w.buf = append(w.buf, s...)
		return
	}
	w.flushBuf()
	if w.err != nil {
		return
	}
	if _, err := io.WriteString(w.out, s); err != nil {
		w.setErr(err)
	}
	w.total += int64(len(s))
}

// WriteXML writes XML text: an XML document (AMF0 0x0F, AMF3 0x07) or
// E4X XML (AMF3 0x0B).
func (w *Writer) WriteXML(text string, document bool) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		if !document {
			return w.fail("E4X XML cannot be written in AMF0")
		}
		if len(text) > math.MaxUint32 {
			return w.fail("XML of %d bytes is longer than 4 GiB", len(text))
		}
		w.buf = append(w.buf, m0XMLDocument)
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(len(text)))
		w.refs0++
	} else {
		if len(text) > MaxInt {
			return w.fail("XML of %d bytes is longer than the AMF3 limit of %d", len(text), MaxInt)
		}
		m := byte(m3XML)
		if document {
			m = m3XMLDocument
		}
		w.buf = append(w.buf, m)
		w.buf = AppendU29(w.buf, uint32(len(text))<<1|1)
		w.objs++
	}
	w.buf = append(w.buf, text...)
	w.item()
	w.valueDone()
	return nil
}

// WriteByteArray writes an AMF3 ByteArray.
func (w *Writer) WriteByteArray(b []byte) error {
	if err := w.byteArrayHead(int64(len(b))); err != nil {
		return err
	}
	w.buf = append(w.buf, b...)
	w.item()
	w.valueDone()
	return nil
}

func (w *Writer) byteArrayHead(n int64) error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF3 {
		return w.fail("a ByteArray needs AMF3 (write Switch first)")
	}
	if n > MaxInt || n < 0 {
		return w.fail("ByteArray of %d bytes is longer than the AMF3 limit of %d", n, MaxInt)
	}
	w.buf = append(w.buf, m3ByteArray)
	w.buf = AppendU29(w.buf, uint32(n)<<1|1)
	w.objs++
	return nil
}

// WriteByteArrayFrom writes an AMF3 ByteArray of exactly n bytes read
// from r, without holding them: they go straight to the destination, or
// are kept as r and read by WriteTo or Reader. Reading fewer than n bytes
// from r is an error then.
func (w *Writer) WriteByteArrayFrom(r io.Reader, n int64) error {
	if err := w.byteArrayHead(n); err != nil {
		return err
	}
	if w.out != nil && !w.open() {
		w.flushBuf()
		if w.err == nil {
			if _, err := io.Copy(w.out, &exactReader{r: r, left: n}); err != nil {
				w.setErr(err)
			}
			w.total += n
		}
	} else {
		w.holdPart(&exactReader{r: r, left: n}, n)
	}
	w.item()
	w.valueDone()
	return w.err
}

// holdPart keeps a streamed piece of output in order with the bytes.
func (w *Writer) holdPart(r io.Reader, n int64) {
	if len(w.buf) > 0 {
		w.parts = append(w.parts, part{b: w.buf, n: int64(len(w.buf))})
		w.total += int64(len(w.buf))
		w.buf = nil
	}
	w.parts = append(w.parts, part{r: r, n: n})
	w.total += n
}

// exactReader reads exactly left bytes from r.
type exactReader struct {
	r    io.Reader
	left int64
	read int64
}

func (x *exactReader) Read(p []byte) (int, error) {
	if x.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > x.left {
		p = p[:x.left]
	}
	n, err := x.r.Read(p)
	x.left -= int64(n)
	x.read += int64(n)
	if err == io.EOF && x.left > 0 {
		return n, &ShortStreamError{Read: x.read, Missing: x.left}
	}
	if err == io.EOF {
		err = nil
	}
	return n, err
}

// WriteRef writes a reference to the complex value with index i in the
// object table of the current version.
func (w *Writer) WriteRef(i int) error {
	if w.err != nil {
		return w.err
	}
	if w.version() == AMF0 {
		if i < 0 || i >= w.refs0 || i > math.MaxUint16 {
			return w.fail("invalid object reference %d (table has %d)", i, w.refs0)
		}
		w.buf = append(w.buf, m0Reference)
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(i))
	} else {
		if i < 0 || i >= w.objs {
			return w.fail("invalid object reference %d (table has %d)", i, w.objs)
		}
		// The marker of the value referred to is the caller's: an object.
		w.buf = append(w.buf, m3Object)
		w.buf = AppendU29(w.buf, uint32(i)<<1)
	}
	w.item()
	w.valueDone()
	return nil
}

// Switch writes the AMF0 marker 0x11: the next value is AMF3.
func (w *Writer) Switch() error {
	if w.err != nil {
		return w.err
	}
	if w.version() != AMF0 {
		return w.fail("the 0x11 switch is an AMF0 marker")
	}
	w.buf = append(w.buf, m0AVMPlus)
	w.item()
	w.stack = append(w.stack, wframe{kind: 's', ver: AMF3})
	return nil
}

// ---- containers ----

// BeginArray opens a dense array (AMF0 strict array, AMF3 array with no
// associative part) of n items; n < 0 means the count is written when
// the array ends.
func (w *Writer) BeginArray(n int) error {
	if w.err != nil {
		return w.err
	}
	if n > MaxInt {
		return w.fail("%d items are more than the AMF3 limit of %d", n, MaxInt)
	}
	f := wframe{n: n, ver: w.version()}
	if f.ver == AMF0 {
		f.kind = 'A'
		w.buf = append(w.buf, m0StrictArray)
		f.at = len(w.buf)
		w.buf = binary.BigEndian.AppendUint32(w.buf, uint32(max(n, 0)))
		w.refs0++
	} else {
		f.kind = 'a'
		w.buf = append(w.buf, m3Array)
		f.at = len(w.buf)
		if n >= 0 {
			w.buf = AppendU29(w.buf, uint32(n)<<1|1)
		} else {
			w.buf = append(w.buf, 0) // one byte for the count, grown at the end if needed
		}
		f.hdrSize = len(w.buf) - f.at
		w.buf = append(w.buf, 0x01) // no associative part
		w.objs++
	}
	w.item()
	w.stack = append(w.stack, f)
	return nil
}

// BeginObject opens an object. In AMF3 its traits are t (nil: anonymous
// and dynamic, with no sealed members), written once and referenced
// after; members are then written as WriteName and a value, sealed
// members first in traits order. In AMF0 only t.Class counts (a typed
// object when not empty).
func (w *Writer) BeginObject(t *Traits) error {
	if w.err != nil {
		return w.err
	}
	f := wframe{kind: 'o', n: 0, ver: w.version()}
	if f.ver == AMF0 {
		f.kind = 'E'
		if t != nil && t.Class != "" {
			if len(t.Class) > math.MaxUint16 {
				return w.fail("class name of %d bytes is too long", len(t.Class))
			}
			w.buf = append(w.buf, m0TypedObject)
			w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(t.Class)))
			w.buf = append(w.buf, t.Class...)
		} else {
			w.buf = append(w.buf, m0Object)
		}
		w.refs0++
	} else {
		if t != nil && t.Externalizable {
			return w.fail("an externalizable object is not written through the token Writer")
		}
		w.buf = append(w.buf, m3Object)
		if err := w.traits3(t); err != nil {
			return err
		}
		f.dynamic = t == nil || t.Dynamic
		w.objs++
	}
	w.item()
	w.stack = append(w.stack, f)
	return nil
}

func (w *Writer) traits3(t *Traits) error {
	var key string
	if t == nil {
		key = "\x00anon"
	} else {
		var b strings.Builder
		b.WriteString(t.Class)
		if t.Dynamic {
			b.WriteString("\x00d")
		} else {
			b.WriteString("\x00s")
		}
		for _, s := range t.Sealed {
			b.WriteByte(0)
			b.WriteString(s)
		}
		key = b.String()
	}
	if i, ok := w.traits[key]; ok {
		w.buf = AppendU29(w.buf, uint32(i)<<2|1)
		return nil
	}
	if t == nil {
		w.buf = append(w.buf, 0x0B, 0x01) // dynamic, no sealed members, anonymous
	} else {
		if len(t.Sealed) > MaxInt>>2 {
			return w.fail("%d sealed members are too many", len(t.Sealed))
		}
		u := uint32(len(t.Sealed))<<4 | 0x03
		if t.Dynamic {
			u |= 0x08
		}
		w.buf = AppendU29(w.buf, u)
		if err := w.str3(t.Class); err != nil {
			return err
		}
		for _, s := range t.Sealed {
			if err := w.str3(s); err != nil {
				return err
			}
		}
	}
	if w.traits == nil {
		w.traits = make(map[string]int)
	}
	w.traits[key] = w.ntraits
	w.ntraits++
	return nil
}

// WriteName writes a member name; the member's value comes next.
func (w *Writer) WriteName(name string) error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 {
		return w.fail("a member name outside an object")
	}
	switch w.stack[len(w.stack)-1].kind {
	case 'o':
		if name == "" {
			return w.fail("an AMF3 dynamic member cannot have the empty name")
		}
		return w.str3(name)
	case 'E', 'e':
		if len(name) > math.MaxUint16 {
			return w.fail("member name of %d bytes is longer than 65535", len(name))
		}
		w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(name)))
		w.buf = append(w.buf, name...)
		return nil
	}
	return w.fail("a member name outside an object")
}

// End closes the innermost array or object.
func (w *Writer) End() error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 {
		return w.fail("End with nothing open")
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	switch f.kind {
	case 'o':
		if f.dynamic {
			w.buf = append(w.buf, 0x01)
		}
	case 'E', 'e':
		w.buf = append(w.buf, 0, 0, m0ObjectEnd)
	case 'A':
		if f.n < 0 {
			binary.BigEndian.PutUint32(w.buf[f.at:], uint32(f.count))
		} else if f.count != f.n {
			return w.fail("array of %d items ends after %d", f.n, f.count)
		}
	case 'a':
		if f.n >= 0 {
			if f.count != f.n {
				return w.fail("array of %d items ends after %d", f.n, f.count)
			}
			break
		}
		if f.count > MaxInt {
			return w.fail("%d items are more than the AMF3 limit of %d", f.count, MaxInt)
		}
		var tmp [4]byte
		hdr := AppendU29(tmp[:0], uint32(f.count)<<1|1)
		if len(hdr) == f.hdrSize {
			copy(w.buf[f.at:], hdr)
			break
		}
		// Slide the items along to make room for a longer count.
		grow := len(hdr) - f.hdrSize
		end := len(w.buf)
		w.buf = append(w.buf, hdr[:grow]...)
		copy(w.buf[f.at+len(hdr):], w.buf[f.at+f.hdrSize:end])
		copy(w.buf[f.at:], hdr)
	default:
		return w.fail("End of a value that is not an array or object")
	}
	w.valueDone()
	return nil
}

// WriteValue writes a value of the model (anything [Marshal] takes, and
// [ByteArrayStream]) in the Writer's reference context: its references
// are numbered after what the Writer wrote before. Values written by
// WriteValue are referenced again only by later WriteValue calls, and
// AMF3 values never across two calls (as across 0x11 switches).
func (w *Writer) WriteValue(v any) error {
	if w.err != nil {
		return w.err
	}
	if w.enc == nil {
		w.enc = newEncoder(w.m)
	}
	e := w.enc
	e.stream = func(r io.Reader, n int64) {
		w.buf = e.buf
		w.holdPart(&exactReader{r: r, left: n}, n)
		e.buf = w.buf
	}
	e.refs0.n = max(e.refs0.n, w.refs0)
	e.objs.n = max(e.objs.n, w.objs)
	e.nStr = max(e.nStr, w.nstrs)
	for len(e.traits) < w.ntraits {
		e.traits = append(e.traits, traitEntry{class: "\x00writer"}) // never matches
	}
	e.strBase, e.traitBase = e.nStr, len(e.traits)
	e.buf = w.buf
	ver := w.version()
	var err error
	if ver == AMF0 {
		err = e.value0(v)
	} else {
		err = e.value3(v)
	}
	w.buf, e.buf = e.buf, nil
	e.stream = nil
	if err != nil {
		return w.setErr(finishEncErr(err, ver))
	}
	w.refs0, w.objs, w.nstrs, w.ntraits = e.refs0.n, e.objs.n, e.nStr, len(e.traits)
	w.item()
	w.valueDone()
	return w.err
}

// WritePacket writes a whole remoting packet, its values through
// WriteValue (so a ByteArrayStream in them is streamed). Lengths are
// exact unless a header or message gives its own.
func (w *Writer) WritePacket(p *Packet) error {
	w.BeginPacket(p.Version, len(p.Headers))
	for _, h := range p.Headers {
		w.BeginHeader(h.Name, h.MustUnderstand)
		w.WriteValue(h.Value)
		w.endPart(h.Length)
	}
	w.BeginMessages(len(p.Messages))
	for _, m := range p.Messages {
		w.BeginMessage(m.Target, m.Response)
		if m.UnregisteredArgs {
			if a, ok := m.Value.(*Array); ok {
				// PyAMF's numbering: the argument array takes no slot.
				w.BeginArray(len(a.Dense))
				w.refs0--
				for _, it := range a.Dense {
					w.WriteValue(it)
				}
				w.End()
				w.endPart(m.Length)
				continue
			}
		}
		w.WriteValue(m.Value)
		w.endPart(m.Length)
	}
	return w.err
}

func (w *Writer) endPart(length *uint32) {
	if length == nil {
		w.EndPart()
		return
	}
	if w.err != nil || len(w.stack) == 0 || w.stack[len(w.stack)-1].kind != 'm' {
		w.fail("EndPart outside a header or message")
		return
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.patch32(f.at, f.start-4, *length)
	w.maybeFlush()
}

// ---- packets ----

// BeginPacket writes a remoting packet's version and header count.
// Headers follow as BeginHeader, a value; then BeginMessages and, per
// message, BeginMessage and a value. Each header and message value is its
// own reference context, and its length is written exactly.
func (w *Writer) BeginPacket(version uint16, headers int) error {
	if w.err != nil {
		return w.err
	}
	if headers > math.MaxUint16 {
		return w.fail("%d headers are too many", headers)
	}
	w.buf = binary.BigEndian.AppendUint16(w.buf, version)
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(headers))
	return nil
}

// BeginHeader writes a header's name and flag; its value comes next.
func (w *Writer) BeginHeader(name string, mustUnderstand bool) error {
	if err := w.pstr(name); err != nil {
		return err
	}
	if mustUnderstand {
		w.buf = append(w.buf, 1)
	} else {
		w.buf = append(w.buf, 0)
	}
	return w.beginPart()
}

// BeginMessages writes the message count.
func (w *Writer) BeginMessages(n int) error {
	if w.err != nil {
		return w.err
	}
	if n > math.MaxUint16 {
		return w.fail("%d messages are too many", n)
	}
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(n))
	return nil
}

// BeginMessage writes a message's target and response; its value comes
// next.
func (w *Writer) BeginMessage(target, response string) error {
	if err := w.pstr(target); err != nil {
		return err
	}
	if err := w.pstr(response); err != nil {
		return err
	}
	return w.beginPart()
}

func (w *Writer) pstr(s string) error {
	if w.err != nil {
		return w.err
	}
	if len(s) > math.MaxUint16 {
		return w.fail("packet string of %d bytes is longer than 65535", len(s))
	}
	w.buf = binary.BigEndian.AppendUint16(w.buf, uint16(len(s)))
	w.buf = append(w.buf, s...)
	return nil
}

// beginPart starts a header or message value: a length to patch, and
// fresh reference tables.
func (w *Writer) beginPart() error {
	w.buf = append(w.buf, 0, 0, 0, 0)
	w.strs, w.nstrs, w.traits, w.ntraits, w.objs, w.refs0 = nil, 0, nil, 0, 0, 0
	if w.enc != nil {
		w.enc.reset()
	}
	w.stack = append(w.stack, wframe{kind: 'm', ver: AMF0, at: len(w.buf) - 4, start: w.Offset(), n: -1})
	return nil
}

// EndPart ends the value of the header or message begun last, writing
// its length.
func (w *Writer) EndPart() error {
	if w.err != nil {
		return w.err
	}
	if len(w.stack) == 0 || w.stack[len(w.stack)-1].kind != 'm' {
		return w.fail("EndPart outside a header or message")
	}
	f := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	n := w.Offset() - f.start
	if n > math.MaxUint32 {
		return w.fail("a value of %d bytes is longer than a packet length can say", n)
	}
	if err := w.patch32(f.at, f.start-4, uint32(n)); err != nil {
		return err
	}
	w.maybeFlush()
	return nil
}

// patch32 writes v at buffer position at, whose output offset is off:
// in the buffer, or in a held part when streamed pieces came after it.
func (w *Writer) patch32(at int, off int64, v uint32) error {
	base := w.Offset() - int64(len(w.buf))
	if off >= base {
		binary.BigEndian.PutUint32(w.buf[off-base:], v)
		return nil
	}
	// Find it in the held parts.
	pos := w.total
	for i := len(w.parts) - 1; i >= 0; i-- {
		pos -= w.parts[i].n
		p := w.parts[i]
		if p.b != nil && off >= pos && off+4 <= pos+p.n {
			binary.BigEndian.PutUint32(p.b[off-pos:], v)
			return nil
		}
	}
	_ = at
	return w.fail("internal error: a length to patch was written out already")
}

// ---- output ----

// Len returns the length of the output so far.
func (w *Writer) Len() int64 { return w.Offset() }

// Bytes returns the output held (a Writer with no destination and no
// streamed pieces).
func (w *Writer) Bytes() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if len(w.parts) > 0 {
		return nil, errors.New("amf: the output holds streamed pieces: use WriteTo or Reader")
	}
	return w.buf, nil
}

// Reader returns the output held, streamed pieces included, as one
// reader of Len bytes.
func (w *Writer) Reader() io.Reader {
	rs := make([]io.Reader, 0, len(w.parts)+1)
	for _, p := range w.parts {
		if p.r != nil {
			rs = append(rs, p.r)
		} else {
			rs = append(rs, bytes.NewReader(p.b))
		}
	}
	rs = append(rs, bytes.NewReader(w.buf))
	return io.MultiReader(rs...)
}

// WriteTo writes the output held to dst.
func (w *Writer) WriteTo(dst io.Writer) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	return io.Copy(dst, w.Reader())
}

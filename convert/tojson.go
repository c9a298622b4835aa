package convert

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// AppendValue appends the JSON form of one AMF value to dst.
func AppendValue(dst []byte, v any, o *Options) ([]byte, error) {
	return whole(appendValue(dst, v, o))
}

// WriteValue is [AppendValue] writing to out as it goes: the JSON is
// passed on in pieces of about valueFlush bytes, so memory does not grow
// with the output, only with the value (a string or a ByteArray is
// written whole). The output, and the warnings, are those of
// AppendValue, with the newline that ends a document added. Past
// Options.MaxOutput it fails with an [OutputLimitError] (or a
// [TypedOutputLimitError]) once exactly MaxOutput bytes are written, as
// [WriteAMF] does; an error of out is returned as it is.
func WriteValue(out io.Writer, v any, o *Options) error {
	return writeStreamed(out, o, func(w *writer) error {
		if w.o.Typed {
			w.count(v)
		}
		return w.value(v)
	})
}

// writeStreamed runs render (one document) with a writer that passes
// its output on to out, as WriteValue and WritePacket do, ends the
// document with a newline and holds it to the output limit.
func writeStreamed(out io.Writer, o *Options, render func(*writer) error) error {
	lw := newLimitWriter(out, o) // the output limit, exact
	w := newWriter(o)
	w.out = lw
	err := render(w)
	if err == nil {
		w.buf = append(w.buf, '\n')
		var b []byte
		if b, err = w.finish(); err == nil {
			_, err = lw.Write(b)
			return err
		}
	}
	if w.werr != nil {
		return w.werr
	}
	// Past the limit: the bytes up to it (w.maxOut is what is left of
	// the limit after the bytes flushed).
	return upToLimit(err, lw, w, 0)
}

// valueFlush is how much JSON WriteValue holds before it writes it out.
const valueFlush = 64 << 10

// flushOut writes the output held to w.out, when there is one and it
// holds valueFlush bytes or more, counting it against the output limit
// as if it were held (w.maxOut becomes what is left of the limit).
// Called before each value, where the limit is checked.
func (w *writer) flushOut() error {
	if w.out == nil || len(w.buf) < valueFlush || len(w.buf) > w.maxOut {
		return nil // held; past the limit, the check that follows fails
	}
	if _, err := w.out.Write(w.buf); err != nil {
		w.werr = err
		return err
	}
	w.maxOut -= len(w.buf)
	w.buf = w.buf[:0]
	return nil
}

// whole is what the Append functions return: nothing on an error (the
// output up to the limit that comes with a limit error is for
// Source.Render).
func whole(b []byte, err error) ([]byte, error) {
	if err != nil {
		return nil, err
	}
	return b, nil
}

// appendValue is AppendValue returning, with an output limit error, dst
// and the output up to the limit (writer.partial).
func appendValue(dst []byte, v any, o *Options) ([]byte, error) {
	w := newWriter(o)
	w.buf = dst
	if w.o.Typed {
		w.count(v)
	}
	if err := w.value(v); err != nil {
		return w.partial(err)
	}
	return w.finish()
}

// partial is what a writer holding its output returns on err: for an
// output limit error, the output up to the limit (the checks before each
// value stop the writer once its output has passed the limit), the bytes
// a streamed conversion writes before that error; else nothing.
func (w *writer) partial(err error) ([]byte, error) {
	if errors.As(err, new(*OutputLimitError)) {
		return w.buf[:min(len(w.buf), max(w.maxOut, 0))], err
	}
	return nil, err
}

// finish ends output held in w.buf: past the output limit it fails (the
// checks before each value let the last one, or the newline after it,
// pass the limit), returning the output up to the limit with the error,
// and only output that is kept gives its warnings (cycles, strings that
// are not UTF-8), as the streamed paths give them.
func (w *writer) finish() ([]byte, error) {
	if len(w.buf) > w.maxOut {
		return w.partial(w.limitErr())
	}
	w.cycles.flush(w.o.Warn, w.note.values)
	w.flushWarn()
	return w.buf, nil
}

// maxCycleNotes is how many places of cycles one conversion names; past
// them it counts.
const maxCycleNotes = 10

// cycleNotes are the warnings of one conversion's cycles, given at its
// end: each place once, the first maxCycleNotes places by name and the
// references at any other place counted. A value whose million
// references point back to an ancestor holds and prints a few lines, not
// a line (held until the end) per reference: 4 MB of AMF3 took 370 MB
// and printed 2,000,000 lines.
type cycleNotes struct {
	places []cyclePlace // in the order met
	more   int          // references at places past the first maxCycleNotes
}

// cyclePlace is a JSON Pointer, and in a stream of bare values the
// number of the value it is in (from 1; 0 otherwise).
type cyclePlace struct {
	ptr   string
	value int
}

func (c *cycleNotes) add(ptr string, value int) {
	if slices.Contains(c.places, cyclePlace{ptr, value}) {
		return
	}
	if len(c.places) == maxCycleNotes {
		c.more++
		return
	}
	c.places = append(c.places, cyclePlace{ptr, value})
}

// flush gives the warnings to warn and forgets them; values is the
// number of values in a stream of them (which names the value of each
// place when it is over 1).
func (c *cycleNotes) flush(warn func(string), values int) {
	for _, p := range c.places {
		in := ""
		if values > 1 && p.value > 0 {
			in = " in value " + strconv.Itoa(p.value) + " of " + strconv.Itoa(values)
		}
		warn("cycle: the value at " + strconv.Quote(p.ptr) + in + " contains itself; plain JSON writes {\"$ref\": " + strconv.Quote(p.ptr) + "} where it recurs (the typed form keeps the cycle)")
	}
	if c.more > 0 {
		warn("cycle: " + strconv.Itoa(c.more) + " more references to a value that contains them, at places past the first " + strconv.Itoa(maxCycleNotes) + " named, are written as {\"$ref\": ...} too")
	}
	c.reset()
}

func (c *cycleNotes) reset() { c.places, c.more = c.places[:0], 0 }

// flushWarn gives the one warning about strings that are not UTF-8.
func (w *writer) flushWarn() {
	if w.o.Warn == nil {
		return
	}
	if msg := w.note.warning(); msg != "" {
		w.o.Warn(msg)
	}
	if msg := w.note.dateWarning(); msg != "" {
		w.o.Warn(msg)
	}
	if msg := w.note.wrapperWarning(); msg != "" {
		w.o.Warn(msg)
	}
	if msg := w.note.dupNameWarning(w.o.Typed); msg != "" {
		w.o.Warn(msg)
	}
}

// AppendValues appends the JSON form of several values that share one
// reference context (bare values one after another in a file), one
// document per line. Typed $id numbering runs across all of them.
func AppendValues(dst []byte, vs []any, o *Options) ([]byte, error) {
	return whole(appendValues(dst, vs, o))
}

// appendValues is AppendValues with the output up to the limit, as
// appendValue.
func appendValues(dst []byte, vs []any, o *Options) ([]byte, error) {
	w := newWriter(o)
	w.buf = dst
	if w.o.Typed {
		for _, v := range vs {
			w.count(v)
		}
	}
	for _, v := range vs {
		w.note.values++ // for the warnings: which value holds the first
		if err := w.value(v); err != nil {
			return w.partial(err)
		}
		w.buf = append(w.buf, '\n')
	}
	return w.finish()
}

// AppendPacket appends the JSON form of a remoting packet:
// {"version", "headers": [{"name", "mustUnderstand", "value"}],
// "messages": [{"target", "response", "value"}]}. The typed form adds
// "length" where the length field on the wire was not the exact one.
func AppendPacket(dst []byte, p *amf.Packet, o *Options) ([]byte, error) {
	return whole(appendPacket(dst, p, o))
}

// appendPacket is AppendPacket with the output up to the limit, as
// appendValue.
func appendPacket(dst []byte, p *amf.Packet, o *Options) ([]byte, error) {
	w := newWriter(o)
	w.buf = dst
	if err := w.packet(p); err != nil {
		return w.partial(err)
	}
	return w.finish()
}

// packet writes the JSON of p (AppendPacket's) into w.buf, passing it on
// to w.out as it grows when there is one (WritePacket).
func (w *writer) packet(p *amf.Packet) error {
	partValue := func(message bool, i int) any {
		if message {
			return p.Messages[i].Value
		}
		return p.Headers[i].Value
	}
	return envelope(w, p, w.o.Typed, func(message bool, i int) bool {
		// Each part is a reference context of its own.
		v := partValue(message, i)
		w.resetContext(v)
		return !w.o.Typed || p.Version != 3 || w.switchedForV3(v)
	}, func(message bool, i int) error {
		w.base = partPath(message, i)
		return w.value(partValue(message, i))
	})
}

// seg is one step of a JSON Pointer: a member name or an array index.
type seg struct {
	name    string
	index   int
	isIndex bool
	alias   bool // the same place as the enclosing container (a Flex wrapper's value)
}

type writer struct {
	o      Options
	buf    []byte
	level  int
	maxOut int
	note   textNote   // strings that are not UTF-8 (plain form)
	cycles cycleNotes // cycles written as $ref (plain form), given by finish

	// plain form: containers being written, for cycle detection, and
	// the JSON Pointer of the current root value
	anc  []any
	path []seg
	base string

	// typed form
	seen   map[any]int // occurrences of each shared-able value
	ids    map[any]int // $id given to values written so far
	nextID int
	// the traits of the current context's objects so far (traitsFor):
	// by identity, and by content (traitsKey)
	traitsPtr map[*amf.Traits]bool
	traitsKey map[string]bool
	keyBuf    []byte

	// out, when set, takes the output as it grows (WriteValue); werr
	// is its error, once it failed.
	out  io.Writer
	werr error
}

func newWriter(o *Options) *writer {
	w := &writer{}
	w.init(o)
	return w
}

// init sets up a zero writer with the options o.
func (w *writer) init(o *Options) {
	if o != nil {
		w.o = *o
	}
	w.maxOut = outputLimit(&w.o)
	w.note.setup(w.o.Charset)
}

// resetContext starts a new reference context (a packet header or message
// value).
func (w *writer) resetContext(v any) {
	clear(w.traitsPtr)
	clear(w.traitsKey)
	if w.o.Typed {
		clear(w.seen)
		w.count(v)
	}
}

// ---- layout and colour ----

func (w *writer) colored(c string, tok []byte) {
	if w.o.Palette != nil && c != "" {
		w.buf = append(w.buf, c...)
		w.buf = append(w.buf, tok...)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = append(w.buf, tok...)
}

func (w *writer) punct(b byte) {
	if w.o.Palette != nil && w.o.Palette.Punct != "" {
		w.colored(w.o.Palette.Punct, []byte{b})
		return
	}
	w.buf = append(w.buf, b)
}

func (w *writer) newline() {
	if w.o.Indent == "" {
		return
	}
	w.buf = append(w.buf, '\n')
	for i := 0; i < w.level; i++ {
		w.buf = append(w.buf, w.o.Indent...)
	}
}

func (w *writer) open(b byte) {
	w.punct(b)
	w.level++
}

func (w *writer) close(b byte, empty bool) {
	w.level--
	if !empty {
		w.newline()
	}
	w.punct(b)
}

// item starts an array element.
func (w *writer) item(first bool) {
	if !first {
		w.punct(',')
	}
	w.newline()
}

// key starts an object member.
func (w *writer) key(k string, first bool) {
	if !first {
		w.punct(',')
	}
	w.newline()
	if w.o.Palette != nil && w.o.Palette.Key != "" {
		w.buf = append(w.buf, w.o.Palette.Key...)
		w.buf = appendString(w.buf, k)
		w.buf = append(w.buf, w.o.Palette.Reset...)
	} else {
		w.buf = appendString(w.buf, k)
	}
	w.punct(':')
	if w.o.Indent != "" {
		w.buf = append(w.buf, ' ')
	}
}

// dataKey writes a member name from the data, escaping a leading $ in the
// typed form.
func (w *writer) dataKey(k string, first bool) {
	if !utf8.ValidString(k) {
		if w.o.Typed {
			w.key(latin1Prefix+latin1(k), first)
			return
		}
		k = w.note.decode(k, func() string { return w.pointer(append(w.path, seg{name: k})) })
	}
	if w.o.Typed && len(k) > 0 && k[0] == '$' {
		k = "$" + k
	}
	w.key(k, first)
}

func (w *writer) str(s string) {
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
		w.buf = appendString(w.buf, s)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = appendString(w.buf, s)
}

func (w *writer) lit(s string) {
	if w.o.Palette != nil && w.o.Palette.Literal != "" {
		w.buf = append(w.buf, w.o.Palette.Literal...)
		w.buf = append(w.buf, s...)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = append(w.buf, s...)
}

func (w *writer) numStart() {
	if w.o.Palette != nil && w.o.Palette.Number != "" {
		w.buf = append(w.buf, w.o.Palette.Number...)
	}
}

// int writes an integer.
func (w *writer) int(i int64) {
	w.numStart()
	w.buf = strconv.AppendInt(w.buf, i, 10)
	w.numEnd()
}

// uint writes an unsigned integer.
func (w *writer) uint(u uint64) {
	w.numStart()
	w.buf = strconv.AppendUint(w.buf, u, 10)
	w.numEnd()
}

func (w *writer) numEnd() {
	if w.o.Palette != nil && w.o.Palette.Number != "" {
		w.buf = append(w.buf, w.o.Palette.Reset...)
	}
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (w *writer) length(n *uint32) {
	if !w.o.Typed || n == nil {
		return
	}
	w.key("length", false)
	if *n == amf.UnknownLength {
		w.numStart()
		w.buf = append(w.buf, "-1"...)
		w.numEnd()
		return
	}
	w.uint(uint64(*n))
}

// switchedForV3 reports whether reading the typed JSON of a version-3
// packet value back gives v again without an "amf0" mark: v goes through
// the switch, or is an argument array (written as a JSON array) that is
// empty or has an element that does.
func (w *writer) switchedForV3(v any) bool {
	switch x := v.(type) {
	case amf.AVMPlus:
		return true
	case *amf.Array:
		if len(x.Assoc) > 0 || w.seen[v] > 1 {
			return false // written as an object, which the switch would wrap
		}
		if len(x.Dense) == 0 {
			return true
		}
		for _, e := range x.Dense {
			if _, ok := e.(amf.AVMPlus); ok {
				return true
			}
		}
	}
	return false
}

// ---- strings ----

const hexDigits = "0123456789abcdef"

var needsEscape = func() (t [256]bool) {
	for i := 0; i < 0x20; i++ {
		t[i] = true
	}
	t['"'] = true
	t['\\'] = true
	for i := 0x80; i < 0x100; i++ {
		t[i] = true // checked for validity
	}
	return
}()

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if !needsEscape[c] {
			i++
			continue
		}
		if c >= 0x80 {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			if isTerminalRune(r) {
				dst = appendRuneEscape(append(dst, s[start:i]...), r)
				i += n
				start = i
				continue
			}
			i += n
			continue
		}
		dst = appendEscape(append(dst, s[start:i]...), c)
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscape appends the JSON escape of an ASCII byte that needs one.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// ---- numbers and dates ----

// appendDouble formats f as a JSON number. The typed form marks integral
// values as doubles with ".0"; -0 keeps its sign in both forms (plain
// "-0", as jq prints it). The caller has handled NaN and infinities.
// Plain JSON writes a magnitude past 2^53 with an exponent
// (1.8446744073709552e+19, as jq 1.6 prints it): reading JSON refuses an
// integer literal past 2^53 (it may not be exact), so the digits
// 18446744073709552000 would not convert back.
func appendDouble(dst []byte, f float64, typed bool) []byte {
	if f == 0 {
		if math.Signbit(f) {
			dst = append(dst, '-')
		}
		if typed {
			return append(dst, "0.0"...)
		}
		return append(dst, '0')
	}
	abs := math.Abs(f)
	start := len(dst)
	if abs < 1e21 && abs >= 1e-6 && (typed || abs <= 1<<53) {
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	} else {
		dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	}
	if typed {
		for _, c := range dst[start:] {
			if c == '.' || c == 'e' {
				return dst
			}
		}
		dst = append(dst, '.', '0')
	}
	return dst
}

const (
	minDateMs = -62167219200000 // 0000-01-01T00:00:00Z
	maxDateMs = 253402300799999 // 9999-12-31T23:59:59.999Z
)

// dateText reports whether ms is a whole number of milliseconds within
// years 0000-9999, the dates written as RFC 3339 text.
func dateText(ms float64) bool {
	return ms == math.Trunc(ms) && ms >= minDateMs && ms <= maxDateMs && !(ms == 0 && math.Signbit(ms))
}

// plainDateText reports whether plain JSON writes the date ms as RFC
// 3339 text: a date within years 0000-9999. A fraction of a millisecond
// is dropped (int64(ms) truncates toward zero), as ActionScript's Date
// does (ECMAScript's TimeClip): Flash shows new Date(1.5) as the date of
// 1 ms. The typed form keeps the fraction ({"$date": 1.5}), and -0.
func plainDateText(ms float64) bool {
	return ms >= minDateMs && ms < maxDateMs+1
}

// appendDate appends ms, a whole number of milliseconds within years
// 0000-9999 (dateText), as RFC 3339 UTC text with three fraction digits.
func appendDate(dst []byte, ms int64) []byte {
	// Days since 0000-03-01 shifted by one 400-year era, so that all of
	// 0000-9999 is positive and fits 32 bits; months counted from March
	// put the leap day last (Hinnant's civil-from-days).
	days := ms / 86400000
	rem := ms - days*86400000
	if rem < 0 {
		rem += 86400000
		days--
	}
	z := uint32(days + 719468 + 146097)
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	y := yoe + era*400 - 400
	if m > 12 {
		m -= 12
		y++
	}
	t := uint32(rem)
	h := t / 3600000
	t -= h * 3600000
	mi := t / 60000
	t -= mi * 60000
	sec := t / 1000
	frac := t - sec*1000
	b := [26]byte{0: '"', 5: '-', 8: '-', 11: 'T', 14: ':', 17: ':', 20: '.', 24: 'Z', 25: '"'}
	put2 := func(i int, v uint32) {
		p := &pairs[v%100]
		b[i], b[i+1] = p[0], p[1]
	}
	put2(1, y/100)
	put2(3, y)
	put2(6, m)
	put2(9, d)
	put2(12, h)
	put2(15, mi)
	put2(18, sec)
	put2(21, frac/10)
	b[23] = byte('0' + frac%10)
	return append(dst, b[:]...)
}

// pairs holds "00" to "99".
var pairs = func() (t [100][2]byte) {
	for i := range t {
		t[i] = [2]byte{byte('0' + i/10), byte('0' + i%10)}
	}
	return t
}()

// ---- values ----

// shareable reports whether v is a value the AMF encoders can reference.
func shareable(v any) bool {
	switch v.(type) {
	case *amf.Object, *amf.Array, *amf.ECMAArray, *amf.Date, *amf.ByteArray, *amf.XML, *amf.Vector, *amf.Dictionary:
		return true
	}
	return false
}

// count records how often each shareable value occurs (typed form), so
// that values used more than once get an $id at their first occurrence.
func (w *writer) count(v any) {
	if w.seen == nil {
		w.seen = make(map[any]int)
		w.ids = make(map[any]int)
	}
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 100000 {
			return
		}
		if av, ok := v.(amf.AVMPlus); ok {
			walk(av.Value, depth+1)
			return
		}
		if !shareable(v) {
			return
		}
		w.seen[v]++
		if w.seen[v] > 1 {
			return
		}
		switch x := v.(type) {
		case *amf.Object:
			for _, m := range x.Members {
				walk(m.Value, depth+1)
			}
		case *amf.ECMAArray:
			for _, m := range x.Members {
				walk(m.Value, depth+1)
			}
		case *amf.Array:
			for _, m := range x.Assoc {
				walk(m.Value, depth+1)
			}
			for _, e := range x.Dense {
				walk(e, depth+1)
			}
		case *amf.Vector:
			for _, e := range x.Objects {
				walk(e, depth+1)
			}
		case *amf.Dictionary:
			for _, e := range x.Entries {
				walk(e.Key, depth+1)
				walk(e.Value, depth+1)
			}
		}
	}
	walk(v, 0)
}

func (w *writer) value(v any) error {
	return w.valueAt(v, seg{})
}

func (w *writer) valueAt(v any, s seg) error {
	if err := w.flushOut(); err != nil {
		return err
	}
	if len(w.buf) > w.maxOut {
		return w.limitErr()
	}
	if w.o.Typed {
		return w.typed(v)
	}
	return w.plain(v, s)
}

func (w *writer) plain(v any, s seg) error {
	switch x := v.(type) {
	case nil, amf.Undefined, amf.Unsupported:
		w.lit("null")
	case bool:
		w.lit(boolText(x))
	case amf.Int:
		w.int(int64(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			w.lit("null")
		} else {
			w.numStart()
			w.buf = appendDouble(w.buf, x, false)
			w.numEnd()
		}
	case string:
		if !utf8.ValidString(x) {
			x = w.note.decode(x, func() string { return w.pointer(append(w.path, s)) })
		}
		w.str(x)
	case *amf.Date:
		if plainDateText(x.Ms) {
			w.dateStr(int64(x.Ms))
		} else if math.IsNaN(x.Ms) || math.IsInf(x.Ms, 0) {
			w.lit("null")
		} else {
			w.note.farDate(func() string { return w.pointer(append(w.path, s)) })
			w.numStart()
			w.buf = appendDouble(w.buf, x.Ms, false)
			w.numEnd()
		}
	case *amf.ByteArray:
		w.bytes(x.Data)
	case *amf.XML:
		t := x.Text
		if !utf8.ValidString(t) {
			t = w.note.decode(t, func() string { return w.pointer(append(w.path, s)) })
		}
		w.str(t)
	case amf.AVMPlus:
		return w.plain(x.Value, s)
	case *amf.Object:
		if w.cycle(x) {
			return nil
		}
		w.push(x, s)
		var err error
		if f, ok := wrapped(x); ok {
			if err := wrapperHolds(x); err != nil && !w.onStack(amf.Unwrap(f)) {
				// A peer's wrapper of another kind: printed as it is,
				// said once (a cycle is said as such, as the streamed
				// writer says it).
				w.note.oddWrapper(x.Class, x.Members[0].Name, valueKind(f), func() string { return w.pointer(w.path) })
			}
			// The wrapped value stands at the same place.
			err = w.plain(f, seg{alias: true})
		} else {
			err = w.members(x.Members, nil)
		}
		w.pop()
		return err
	case *amf.ECMAArray:
		if w.cycle(x) {
			return nil
		}
		w.push(x, s)
		err := w.members(x.Members, nil)
		w.pop()
		return err
	case *amf.Array:
		if w.cycle(x) {
			return nil
		}
		w.push(x, s)
		var err error
		if len(x.Assoc) > 0 {
			err = w.members(x.Assoc, x.Dense)
		} else {
			err = w.list(x.Dense)
		}
		w.pop()
		return err
	case *amf.Vector:
		if w.cycle(x) {
			return nil
		}
		w.push(x, s)
		err := w.vectorItems(x)
		w.pop()
		return err
	case *amf.Dictionary:
		if w.cycle(x) {
			return nil
		}
		w.push(x, s)
		err := w.dictEntries(x)
		w.pop()
		return err
	default:
		return w.goValue(v)
	}
	return nil
}

// wrapped returns the wrapped value of a Flex collection wrapper.
func wrapped(o *amf.Object) (any, bool) {
	switch o.Class {
	case amf.ClassArrayCollection, amf.ClassArrayList, amf.ClassObjectProxy:
		if len(o.Members) == 1 && (o.Traits == nil || o.Traits.Externalizable) {
			return o.Members[0].Value, true
		}
	}
	return nil, false
}

func (w *writer) dateStr(ms int64) {
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
		w.buf = appendDate(w.buf, ms)
		w.buf = append(w.buf, w.o.Palette.Reset...)
		return
	}
	w.buf = appendDate(w.buf, ms)
}

func (w *writer) bytes(b []byte) {
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.String...)
	}
	w.buf = append(w.buf, '"')
	w.buf = base64.StdEncoding.AppendEncode(w.buf, b)
	w.buf = append(w.buf, '"')
	if w.o.Palette != nil && w.o.Palette.String != "" {
		w.buf = append(w.buf, w.o.Palette.Reset...)
	}
}

// cycle writes a plain-form $ref if v is one of the containers being
// written (a value that contains itself).
func (w *writer) cycle(v any) bool {
	for i := len(w.anc) - 1; i >= 0; i-- {
		if w.anc[i] == v {
			p := w.pointer(w.path[:i+1])
			w.open('{')
			w.key("$ref", true)
			w.str(p)
			w.close('}', false)
			if w.o.Warn != nil {
				// Given by finish, with the output.
				w.cycles.add(p, w.note.values)
			}
			return true
		}
	}
	return false
}

// onStack reports whether v is one of the containers being written.
func (w *writer) onStack(v any) bool {
	switch v.(type) {
	case *amf.Object, *amf.Array, *amf.ECMAArray, *amf.Vector, *amf.Dictionary:
		return slices.Contains(w.anc, v)
	}
	return false
}

func (w *writer) push(v any, s seg) {
	w.anc = append(w.anc, v)
	w.path = append(w.path, s)
}

func (w *writer) pop() {
	w.anc = w.anc[:len(w.anc)-1]
	w.path = w.path[:len(w.path)-1]
}

// pointer renders a JSON Pointer below base; segs[0] is the root itself.
func (w *writer) pointer(segs []seg) string {
	b := []byte(w.base)
	for i, s := range segs {
		if i == 0 || s.alias {
			continue
		}
		b = append(b, '/')
		if s.isIndex {
			b = strconv.AppendInt(b, int64(s.index), 10)
			continue
		}
		name := w.note.pathName(s.name)
		for j := 0; j < len(name); j++ {
			switch name[j] {
			case '~':
				b = append(b, '~', '0')
			case '/':
				b = append(b, '~', '1')
			default:
				b = append(b, name[j])
			}
		}
	}
	return string(b)
}

func (w *writer) members(ms []amf.Member, denseFirst []any) error {
	w.dupMembers(ms, len(denseFirst))
	return w.memberValues(ms, denseFirst)
}

// dupMembers notes the names of ms given twice (after n dense items
// printed as members "0", "1"...), for the warning.
func (w *writer) dupMembers(ms []amf.Member, n int) {
	if w.o.Warn == nil || len(ms) == 0 {
		return
	}
	dupMembers(ms, n, func(name string) {
		w.note.dupName([]byte(name), func() string {
			if w.o.Typed {
				return "" // the typed writer keeps no path
			}
			return w.pointer(append(w.path, seg{name: name}))
		})
	})
}

// memberValues is members without the look for names given twice (a
// .sol file's, which warnRepeated says).
func (w *writer) memberValues(ms []amf.Member, denseFirst []any) error {
	w.open('{')
	first := true
	for i, d := range denseFirst {
		w.key(strconv.Itoa(i), first)
		first = false
		if err := w.valueAt(d, seg{name: strconv.Itoa(i)}); err != nil {
			return err
		}
	}
	for _, m := range ms {
		w.dataKey(m.Name, first)
		first = false
		if err := w.valueAt(m.Value, seg{name: m.Name}); err != nil {
			return err
		}
	}
	w.close('}', first)
	return nil
}

func (w *writer) list(items []any) error {
	w.open('[')
	for i, it := range items {
		w.item(i == 0)
		if err := w.valueAt(it, seg{index: i, isIndex: true}); err != nil {
			return err
		}
	}
	w.close(']', len(items) == 0)
	return nil
}

func (w *writer) vectorItems(x *amf.Vector) error {
	w.open('[')
	n := x.Len()
	for i := 0; i < n; i++ {
		w.item(i == 0)
		switch x.Type {
		case amf.VectorInt:
			w.int(int64(x.Ints[i]))
		case amf.VectorUint:
			w.uint(uint64(x.Uints[i]))
		case amf.VectorDouble:
			if err := w.valueAt(x.Doubles[i], seg{index: i, isIndex: true}); err != nil {
				return err
			}
		default:
			if err := w.valueAt(x.Objects[i], seg{index: i, isIndex: true}); err != nil {
				return err
			}
		}
	}
	w.close(']', n == 0)
	return nil
}

func (w *writer) dictEntries(x *amf.Dictionary) error {
	w.open('[')
	for i, e := range x.Entries {
		w.item(i == 0)
		w.open('[')
		w.item(true)
		if err := w.valueAt(e.Key, seg{index: i, isIndex: true}); err != nil {
			return err
		}
		w.item(false)
		if err := w.valueAt(e.Value, seg{index: i, isIndex: true}); err != nil {
			return err
		}
		w.close(']', false)
	}
	w.close(']', len(x.Entries) == 0)
	return nil
}

// goValue writes the plain Go values the encoders also accept.
func (w *writer) goValue(v any) error {
	switch x := v.(type) {
	case []any:
		return w.list(x)
	case []byte:
		w.bytes(x)
		return nil
	case map[string]any:
		return w.value(&amf.Object{Members: sortedMembers(x)})
	}
	if i, ok := amf.GoInt(v); ok {
		w.int(i)
		return nil
	}
	if f, ok := amf.GoNumber(v); ok {
		return w.plain(f, seg{})
	}
	return &Error{Err: errUnsupportedGo(v)}
}

// ---- typed form ----

// limitErr is the error for output past w.maxOut.
func (w *writer) limitErr() error {
	return limitError(&w.o)
}

func (w *writer) typed(v any) error {
	// Before each value, not only each top-level one: strings and
	// member names sent by reference are written out at each use, so
	// typed output too can be far larger than its input.
	if err := w.flushOut(); err != nil {
		return err
	}
	if len(w.buf) > w.maxOut {
		return w.limitErr()
	}
	if shareable(v) {
		if id, ok := w.ids[v]; ok {
			w.open('{')
			w.key("$ref", true)
			w.int(int64(id))
			w.close('}', false)
			return nil
		}
	}
	// first reports whether the next member of an annotated object is
	// its first; set by begin.
	switch x := v.(type) {
	case nil:
		w.lit("null")
	case amf.Undefined:
		w.annot("$undefined", func() { w.lit("true") })
	case amf.Unsupported:
		w.annot("$unsupported", func() { w.lit("true") })
	case bool:
		w.lit(boolText(x))
	case amf.Int:
		w.int(int64(x))
	case float64:
		w.typedDouble(x)
	case string:
		if !utf8.ValidString(x) {
			w.annot("$latin1", func() { w.str(latin1(x)) })
			break
		}
		w.str(x)
	case amf.AVMPlus:
		w.open('{')
		w.key("$amf3", true)
		if err := w.typed(x.Value); err != nil {
			return err
		}
		w.close('}', false)
	case *amf.Date:
		first := w.begin(v)
		w.key("$date", first)
		if dateText(x.Ms) {
			w.dateStr(int64(x.Ms))
		} else {
			w.typedDouble(x.Ms)
		}
		if x.TZ != 0 {
			w.key("$tz", false)
			w.int(int64(x.TZ))
		}
		w.close('}', false)
	case *amf.ByteArray:
		first := w.begin(v)
		w.key("$bytes", first)
		w.bytes(x.Data)
		w.close('}', false)
	case *amf.XML:
		first := w.begin(v)
		if x.Document {
			w.key("$xmldoc", first)
		} else {
			w.key("$xml", first)
		}
		if !utf8.ValidString(x.Text) {
			w.annot("$latin1", func() { w.str(latin1(x.Text)) })
		} else {
			w.str(x.Text)
		}
		w.close('}', false)
	case *amf.Object:
		first := w.begin(v)
		if x.Class != "" {
			w.key("$class", first)
			w.str(typedName(x.Class))
			first = false
		}
		if t, inline := w.traitsFor(x); t != nil {
			w.traitsJSON(t.Sealed, t.Dynamic, t.Externalizable, inline, first)
			first = false
		}
		w.dupMembers(x.Members, 0)
		for _, m := range x.Members {
			w.dataKey(m.Name, first)
			first = false
			if err := w.typed(m.Value); err != nil {
				return err
			}
		}
		w.close('}', first)
	case *amf.ECMAArray:
		first := w.begin(v)
		w.key("$ecma", first)
		if err := w.typedMembers(x.Members); err != nil {
			return err
		}
		if x.Count != nil {
			w.key("$count", false)
			w.uint(uint64(*x.Count))
		}
		w.close('}', false)
	case *amf.Array:
		if len(x.Assoc) == 0 && w.seen[v] < 2 {
			return w.typedList(x.Dense)
		}
		first := w.begin(v)
		w.key("$assoc", first)
		if err := w.typedMembers(x.Assoc); err != nil {
			return err
		}
		w.key("$dense", false)
		if err := w.typedList(x.Dense); err != nil {
			return err
		}
		w.close('}', false)
	case *amf.Vector:
		first := w.begin(v)
		w.key("$vector", first)
		w.str(x.Type.String())
		if x.Type == amf.VectorObject {
			w.key("type", false)
			w.str(typedName(x.ObjectType))
		}
		w.key("fixed", false)
		w.lit(boolText(x.Fixed))
		w.key("items", false)
		if err := w.vectorItems(x); err != nil {
			return err
		}
		w.close('}', false)
	case *amf.Dictionary:
		first := w.begin(v)
		w.key("$dictionary", first)
		w.open('[')
		for i, e := range x.Entries {
			w.item(i == 0)
			w.open('[')
			w.item(true)
			if err := w.typed(e.Key); err != nil {
				return err
			}
			w.item(false)
			if err := w.typed(e.Value); err != nil {
				return err
			}
			w.close(']', false)
		}
		w.close(']', len(x.Entries) == 0)
		w.key("weakKeys", false)
		w.lit(boolText(x.WeakKeys))
		w.close('}', false)
	default:
		if i, ok := amf.GoInt(v); ok {
			w.int(i)
			return nil
		}
		if f, ok := amf.GoNumber(v); ok {
			w.typedDouble(f)
			return nil
		}
		switch x := v.(type) {
		case []any:
			return w.typedList(x)
		case []byte:
			return w.typed(&amf.ByteArray{Data: x})
		case map[string]any:
			return w.typed(&amf.Object{Members: sortedMembers(x)})
		}
		return &Error{Err: errUnsupportedGo(v)}
	}
	return nil
}

// begin opens an annotated object and writes its $id when v is shared. It
// reports whether the next member is the first.
func (w *writer) begin(v any) bool {
	w.open('{')
	if w.seen[v] > 1 {
		w.nextID++
		w.ids[v] = w.nextID
		w.key("$id", true)
		w.int(int64(w.nextID))
		return false
	}
	return true
}

func (w *writer) annot(k string, val func()) {
	w.open('{')
	w.key(k, true)
	val()
	w.close('}', false)
}

func (w *writer) typedDouble(f float64) {
	switch {
	case math.IsNaN(f):
		bits := math.Float64bits(f)
		s := "NaN"
		if bits != 0x7FF8000000000000 {
			s = "0x" + upperHex(bits)
		}
		w.annot("$double", func() { w.str(s) })
	case math.IsInf(f, 1):
		w.annot("$double", func() { w.str("Infinity") })
	case math.IsInf(f, -1):
		w.annot("$double", func() { w.str("-Infinity") })
	default:
		w.numStart()
		w.buf = appendDouble(w.buf, f, true)
		w.numEnd()
	}
}

func upperHex(u uint64) string {
	const digits = "0123456789ABCDEF"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[u&0xF]
		u >>= 4
	}
	return string(b[:])
}

func (w *writer) typedMembers(ms []amf.Member) error {
	w.dupMembers(ms, 0)
	w.open('{')
	for i, m := range ms {
		w.dataKey(m.Name, i == 0)
		if err := w.typed(m.Value); err != nil {
			return err
		}
	}
	w.close('}', len(ms) == 0)
	return nil
}

func (w *writer) typedList(items []any) error {
	w.open('[')
	for i, it := range items {
		w.item(i == 0)
		if err := w.typed(it); err != nil {
			return err
		}
	}
	w.close(']', len(items) == 0)
	return nil
}

// traitsJSON writes the "$traits" member of a typed object: its sealed
// member names, whether it is dynamic, and the externalizable and inline
// flags where they are set.
func (w *writer) traitsJSON(sealed []string, dynamic, ext, inline, first bool) {
	w.key("$traits", first)
	w.open('{')
	w.key("sealed", true)
	w.open('[')
	for i, s := range sealed {
		w.item(i == 0)
		w.str(typedName(s))
	}
	w.close(']', len(sealed) == 0)
	w.key("dynamic", false)
	w.lit(boolText(dynamic))
	if ext {
		w.key("externalizable", false)
		w.lit("true")
	}
	if inline {
		w.key("inline", false)
		w.lit("true")
	}
	w.close('}', false)
}

// traitsFor decides whether an object needs a "$traits" annotation in the
// typed form. It follows the AMF3 encoder's traits table for the current
// context: objects without explicit traits share a table entry with any
// earlier traits of the same content; explicit traits are only shared by
// identity. It returns the traits to write (nil for none) and whether they
// must be marked "inline" (sent inline although equal traits were already
// in the table, as PyAMF sometimes does).
// Both lookups are maps: a context of n distinct traits takes time in
// n, not n squared.
func (w *writer) traitsFor(o *amf.Object) (*amf.Traits, bool) {
	if w.traitsKey == nil {
		w.traitsPtr = make(map[*amf.Traits]bool)
		w.traitsKey = make(map[string]bool)
	}
	t := o.Traits
	if t == nil {
		c := amf.CanonicalTraits(o)
		w.keyBuf = appendTraitsKey(w.keyBuf[:0], c.Class, c.Dynamic, c.Externalizable, c.Sealed)
		if !w.traitsKey[string(w.keyBuf)] {
			w.traitsKey[string(w.keyBuf)] = true
		}
		return nil, false
	}
	if w.traitsPtr[t] {
		if amf.IsCanonicalTraits(t, o) {
			return nil, false
		}
		return t, false
	}
	w.keyBuf = appendTraitsKey(w.keyBuf[:0], t.Class, t.Dynamic, t.Externalizable, t.Sealed)
	dup := w.traitsKey[string(w.keyBuf)]
	w.traitsPtr[t] = true
	if !dup {
		w.traitsKey[string(w.keyBuf)] = true
	}
	if !amf.IsCanonicalTraits(t, o) || dup {
		return t, dup
	}
	return nil, false
}

// appendTraitsKey appends the content of traits to b, as a key under
// which equal traits (the same class, flags and sealed names in order)
// meet: the flags, then each string after its length, so that no two
// different traits give the same key.
func appendTraitsKey(b []byte, class string, dynamic, ext bool, sealed []string) []byte {
	var flags byte
	if dynamic {
		flags |= 1
	}
	if ext {
		flags |= 2
	}
	b = append(b, flags)
	b = binary.AppendUvarint(b, uint64(len(class)))
	b = append(b, class...)
	for _, s := range sealed {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return b
}

package convert

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// AppendJSONAsAMF converts JSON documents (one, or several one after
// another as in JSON lines; plain or typed) to AMF values of version ver
// written one after another, sharing one reference context, as
// [FromJSONLines] and an [amf.Encoder] would.
//
// Plain and typed documents are written from the JSON text through an
// [amf.Writer] without building the value model ($id and $ref map to
// the Writer's reference indices; an object's member names are read
// before it is written where its traits need them). What that path does
// not write ($vector, $dictionary, $unsupported, a $ref by JSON Pointer,
// externalizable classes, a $ref the encoder would write in full again)
// and every error but the text's own go through the model, decided
// before anything is written, so the bytes and the errors are the same
// either way.
func AppendJSONAsAMF(dst, data []byte, ver amf.Version) (_ []byte, err error) {
	return appendJSONAsAMF(dst, data, ver, nil)
}

// appendJSONAsAMF is AppendJSONAsAMF noting keys given twice in dk (if
// not nil): the same by either path.
func appendJSONAsAMF(dst, data []byte, ver amf.Version, dk *dupKeys) (_ []byte, err error) {
	defer func() { err = locate(err, data) }()
	if ver == amf.AMF3 || ver == amf.AMF0 {
		for _, look := range []bool{false, true} {
			w := amf.AppendWriter(dst, ver)
			j := newTypedJSONAMF(w, data, ver, look)
			if j.run() {
				dk.take(&j.dups, 0)
				return w.Bytes()
			}
			if j.surprise && !look {
				continue // an annotation after a data member: names first
			}
			if err := j.failed(); err != nil {
				return nil, err
			}
			break
		}
	}
	return appendModel(dst, data, ver, dk)
}

// appendModel is AppendJSONAsAMF through the value model and the
// encoder: the oracle of the direct path, and what says its errors.
func appendModel(dst, data []byte, ver amf.Version, dk *dupKeys) ([]byte, error) {
	var note dupKeys
	vs, err := readLines(data, &note, ver == amf.AMF3)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	var buf bytes.Buffer
	buf.Write(dst)
	enc := amf.NewEncoder(&buf, ver)
	for i, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, encodeAtValue(err, data, i)
		}
	}
	dk.take(&note, 0)
	return buf.Bytes(), nil
}

// newTypedJSONAMF returns a scanner of data, plain or typed, writing to
// w, a Writer of version ver; look: every object's names first.
func newTypedJSONAMF(w *amf.Writer, data []byte, ver amf.Version, look bool) jsonAMF {
	j := newJSONAMF(w, data, ver)
	j.typed, j.look = true, look
	return j
}

// reset readies j, which may have run before, to write data, plain or
// typed, through w (of version ver) as newTypedJSONAMF(w, data, ver,
// look) would, in a new reference context: its $ids start again. It
// keeps the room of its scratch (member lists, the duplicate-key pool,
// the $id table) and the member-name hints, which hold names only (each
// compared with the text where it is used), with what the last run
// knew of their being distinct, as one run over several documents does:
// after a run that stopped (false), call forgetHints first.
func (j *jsonAMF) reset(w *amf.Writer, data []byte, ver amf.Version, look bool) {
	j.w, j.data, j.text, j.amf0 = w, data, unsafe.String(unsafe.SliceData(data), len(data)), ver == amf.AMF0
	j.depth, j.err, j.bail, j.surprise = 0, nil, false, false
	j.typed, j.look = true, look
	j.ids.reset()
	j.kv, j.names0, j.lastClass, j.r = j.kv[:0], j.names0[:0], "", nil
	j.count, j.counts, j.record = false, nil, false
	j.dups = dupKeys{pool: j.dups.pool} // the pool's entries point to j.dups: j is not moved
}

// forgetHints drops what j knows of its member-name hints being
// distinct: a run that stopped part-way through an object may have
// changed some of that object's hints and not the rest.
func (j *jsonAMF) forgetHints() { j.hintOK = [len(j.hintOK)]int{} }

// failed says why the direct path stopped: a syntax error (the first in
// the text, as splitValues finds it) comes before the path's own error;
// nil leaves the input to the value model.
func (j *jsonAMF) failed() error {
	if _, err := splitValues(j.data); err != nil {
		return err
	}
	if j.err != nil {
		return j.err
	}
	return nil
}

// holdAMFOutput is how much AMF output WriteJSONAsAMF holds back while
// the JSON text after it is not yet checked.
var holdAMFOutput = 32 << 20 // a variable for tests

// WriteJSONAsAMF is [AppendJSONAsAMF] writing to out as it goes: JSON,
// plain or typed, to AMF3 or AMF0 is streamed (a long string goes
// straight through), so memory does not grow with the output. A string
// too long for AMF3 fails as soon as its length is known, with its
// position.
//
// Nothing is written when the JSON text is not valid: the text is
// checked as it is converted, and the output held until the check is
// done; once the held output would pass 32 MiB, the rest of the text is
// checked first, and the output streams from there. Typed JSON past 32
// MiB is run through once without output before it is written, so that
// what goes to the value model, or an error, comes before any output.
func WriteJSONAsAMF(out io.Writer, data []byte, ver amf.Version) (err error) {
	return writeJSONAsAMF(out, data, ver, nil)
}

// writeJSONAsAMF is WriteJSONAsAMF noting keys given twice in dk.
func writeJSONAsAMF(out io.Writer, data []byte, ver amf.Version, dk *dupKeys) (err error) {
	defer func() { err = locate(err, data) }()
	if ver == amf.AMF3 || ver == amf.AMF0 {
		typed := bytes.Contains(data, []byte(`"$`)) || bytes.Contains(data, []byte(`"\u0024`))
		looks, checked := []bool{false, true}, false
		if typed && len(data) > dryRunFrom {
			// A large typed text is run through once without output
			// first, rather than holding output while it is: the output
			// then streams from the start.
			err := dryRun(data, ver, false)
			if err == errSurprise {
				looks = looks[1:]
				err = dryRun(data, ver, true)
			}
			if err != nil {
				if _, serr := splitValues(data); serr != nil {
					return serr // the first syntax error comes first
				}
				if err != errBail && err != errSurprise {
					return err
				}
				looks = nil // the value model's
			}
			checked = true
		}
		for _, look := range looks {
			h := &heldWriter{out: out, data: data, holding: !checked, ver: ver, look: look, typed: typed}
			w := amf.NewWriter(h, ver)
			j := newTypedJSONAMF(w, data, ver, look)
			j.count = countFirst(data, ver)
			if j.run() {
				// What is held comes first; the Writer's buffer then goes
				// straight out, not through the held copy.
				if err := h.release(); err != nil {
					return err
				}
				dk.take(&j.dups, 0)
				return w.Flush()
			}
			if h.err == errSurprise || j.surprise && h.holding {
				if look {
					break // cannot happen: look reads every object's names first
				}
				continue
			}
			if h.err == errBail {
				break // nothing written: the model's
			}
			if h.err != nil {
				return h.err // the check of the text, or out
			}
			if err := j.failed(); err != nil {
				return err
			}
			if !h.holding {
				// Some output is out already: only errors land here, and
				// the model says them.
				if _, err := appendModel(nil, data, ver, nil); err != nil {
					return err
				}
				return errors.New("internal error: the direct JSON path gave up on a valid document")
			}
			break
		}
	}
	b, err := appendModel(nil, data, ver, dk)
	if err != nil {
		return err
	}
	_, err = out.Write(b)
	return err
}

// countFrom is the input size from which WriteJSONAsAMF counts the
// items of a top-level array before writing it, so that its count is
// written first and the output streams (with the count written at the
// end, the whole array would be held).
var countFrom = 32 << 20 // a variable for tests

// countFirst reports whether WriteJSONAsAMF counts the items of a
// top-level array first: past countFrom, and in AMF0 (whose output is
// about the size of the JSON: member names are not referred to) past a
// MiB, where the Writer would otherwise hold the whole array's output
// and its copy on the way out (W1 x 100 typed to AMF0, 19 MB: 99 MB
// resident without, see the commit).
func countFirst(data []byte, ver amf.Version) bool {
	return len(data) > countFrom || ver == amf.AMF0 && len(data) > min(countFrom, 1<<20)
}

// dryRunFrom is the input size from which WriteJSONAsAMF runs typed
// JSON through once without output before writing it, instead of
// holding output while it checks.
var dryRunFrom = 32 << 20 // a variable for tests

var (
	errSurprise = errors.New("internal: an annotation after a data member")
	errBail     = errors.New("internal: typed JSON for the value model")
)

// heldWriter holds what is written to it until release, or until it
// holds holdAMFOutput bytes: then the whole text is checked (splitValues)
// and, if it is valid, the output goes to out from there on.
type heldWriter struct {
	out     io.Writer
	data    []byte
	taken   [][]byte // held output before held, in order: parts taken (TakePart) and earlier tails
	held    []byte   // held output written (copied) since the last part taken
	nheld   int      // bytes held, in taken and held
	sized   bool     // held was presized
	holding bool
	err     error

	// Typed JSON: before any output goes out, the whole text is run
	// through the scanner once to io.Discard, so that nothing it would
	// leave to the value model (or an annotation met late) comes up
	// after output was written.
	typed bool
	look  bool
	ver   amf.Version
}

func (h *heldWriter) Write(p []byte) (int, error) {
	if err := h.hold(len(p)); err != nil || h.holding {
		if err == nil {
			h.held = append(h.held, p...)
			h.nheld += len(p)
			return len(p), nil
		}
		return 0, err
	}
	n, err := h.out.Write(p)
	if err != nil {
		h.err = err
	}
	return n, err
}

// TakePart keeps b, a part of output the Writer set aside and gives up
// (amf.PartTaker), as it is while holding: the Writer's output held for
// a count written at its end (a top-level array under countFrom) is so
// held once, not copied again here.
func (h *heldWriter) TakePart(b []byte) error {
	h.sized = true // output that comes in parts needs no room presized for it
	if err := h.hold(len(b)); err != nil {
		return err
	}
	if !h.holding {
		if _, err := h.out.Write(b); err != nil {
			h.err = err
			return err
		}
		return nil
	}
	if len(h.held) > 0 {
		h.taken = append(h.taken, h.held)
		h.held = nil
	}
	h.taken = append(h.taken, b)
	h.nheld += len(b)
	return nil
}

// WriteString passes a long string (the Writer writes those straight
// out) to out without the copy io.WriteString would make for Write.
func (h *heldWriter) WriteString(s string) (int, error) {
	if err := h.hold(len(s)); err != nil || h.holding {
		if err == nil {
			h.held = append(h.held, s...)
			h.nheld += len(s)
			return len(s), nil
		}
		return 0, err
	}
	n, err := io.WriteString(h.out, s)
	if err != nil {
		h.err = err
	}
	return n, err
}

// hold decides where n more bytes go: held while they fit, else (the
// whole text checked first) out from now on.
func (h *heldWriter) hold(n int) error {
	if h.err != nil {
		return h.err
	}
	if !h.holding || h.nheld+n <= holdAMFOutput {
		if !h.sized && h.holding && len(h.data) > 1<<20 {
			h.sized = true
			// Room for about as much as the input, up to what may be
			// held: no copies on the way (pages are only resident once
			// written).
			h.held = make([]byte, 0, min(holdAMFOutput, len(h.data)+64<<10))
		}
		return nil
	}
	if _, err := splitValues(h.data); err != nil {
		h.err = err
		return err
	}
	if h.typed {
		if err := dryRun(h.data, h.ver, h.look); err != nil {
			h.err = err
			return err
		}
	}
	return h.release()
}

// dryRun runs the scanner over the whole text without output: nil when
// it writes it all, errSurprise or errBail when it stops where the value
// model or a second run must take over, or its error.
func dryRun(data []byte, ver amf.Version, look bool) error {
	j := newTypedJSONAMF(amf.NewWriter(io.Discard, ver), data, ver, look)
	j.count = countFirst(data, ver)
	switch {
	case j.run():
		return nil
	case j.surprise:
		return errSurprise
	case j.err != nil:
		return j.err
	}
	return errBail
}

// release writes out what is held and stops holding.
func (h *heldWriter) release() error {
	if h.err != nil {
		return h.err
	}
	h.holding = false
	for _, b := range append(h.taken, h.held) {
		if len(b) == 0 {
			continue
		}
		if _, err := h.out.Write(b); err != nil {
			h.err = err
			return err
		}
	}
	h.taken, h.held, h.nheld = nil, nil, 0
	return nil
}

// jsonToAMF3 writes plain JSON as AMF3 with the encoder's rules; it
// reports false for anything it leaves to the value model (typed JSON,
// errors).
func jsonToAMF3(w *amf.Writer, data []byte) bool {
	j := newJSONAMF(w, data, amf.AMF3)
	return j.run()
}

// jsonAMF walks JSON text into a token Writer in one pass, checking the
// text as it goes: it accepts exactly what splitValues accepts (UTF-8,
// nesting, the JSON grammar as gjson.Valid and encoding/json check it,
// top-level values split the same way), so that anything it refuses can
// be said by splitValues, with its line and column.
type jsonAMF struct {
	w     *amf.Writer
	data  []byte
	text  string // data, read as a string (no copy)
	depth int
	err   *Error // an error of this path's own (a string too long); its Path is built as it goes up
	bail  bool   // stopped at something valid that the value model takes (typed JSON, numbers it refuses)
	amf0  bool   // the Writer writes AMF0
	in3   int    // how many {"$amf3": ...} the value being written is in

	// Typed JSON (see jsontyped.go).
	typed     bool     // write $-annotations (else leave them to the value model)
	look      bool     // read every object's member names before writing it
	surprise  bool     // stopped at an annotation after a data member: run again with look
	ids       idTable  // where each $id's value was written
	kv        []tkv    // members of the objects being written from their lists
	names0    []string // scratch: member names
	lastClass string   // the last class met, not externalizable
	r         *reader  // the value model's reader, for small annotated values and traits

	count bool // count the items of a top-level array before writing it

	// counts holds the item counts of the arrays of at least bigArray
	// bytes of text, by offset: a pass before (record) learns them, so
	// that the next writes each count first and does not hold the array.
	counts map[int]int
	record bool

	// names holds, by depth and position, the member names of the last
	// object there: objects in a list mostly repeat them.
	names [8][16]nameHint
	// hintOK is, by depth, how many of the first names there are
	// distinct (no member given twice among them).
	hintOK [8]int

	dups dupKeys // member keys given twice (written as given, warned of)
}

// nameHint is a member name met before, up to 15 bytes: its bytes and
// closing quote as two little-endian words, and masks of those bytes.
type nameHint struct {
	s              string
	w0, w1, m0, m1 uint64
}

func (h *nameHint) set(s string) {
	if len(s) > 15 {
		h.s = ""
		return
	}
	var b [16]byte
	copy(b[:], s)
	b[len(s)] = '"'
	n := uint(len(s) + 1)
	h.s = s
	h.w0, h.w1 = binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
	h.m0 = ^uint64(0) >> (64 - 8*min(n, 8))
	h.m1 = ^uint64(0) >> (64 - 8*(max(n, 8)-8)) // n <= 8: a shift by 64, which is 0
}

// jsonSpace marks JSON white space.
var jsonSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// jsonStrPlain marks the bytes a string holds as they are: not a quote,
// a backslash, a control character or the start of a multi-byte
// character.
var jsonStrPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (j *jsonAMF) run() bool {
	data := j.data
	seen := false
	for i := 0; ; {
		for i < len(data) && jsonSpace[data[i]] {
			i++
		}
		if i >= len(data) {
			return seen && j.w.Err() == nil
		}
		c := data[i]
		var ok bool
		if i, ok = j.value(i); !ok {
			return false
		}
		// A top-level number or literal runs to white space, a bracket
		// or a quote, where splitValues ends it.
		if c != '{' && c != '[' && c != '"' && i < len(data) {
			if d := data[i]; !jsonSpace[d] && d != '{' && d != '[' && d != '"' {
				return false
			}
		}
		seen = true
	}
}

// value writes the value at data[i] (not white space) and returns the
// offset after it.
func (j *jsonAMF) value(i int) (int, bool) {
	data, w := j.data, j.w
	switch data[i] {
	case '"':
		s, next, ok := j.str(i)
		if !ok {
			return i, false
		}
		// Only a string past the AMF3 limit can fail (CheckString); in
		// AMF0, one past 4 GiB, which the model says.
		if len(s) > amf.MaxInt {
			if j.amf0 {
				if uint64(len(s)) > math.MaxUint32 {
					j.bail = true
					return i, false
				}
			} else {
				err := w.CheckString(int64(len(s)))
				j.err = &Error{Offset: int64(i), Err: errors.Unwrap(err)}
				return i, false
			}
		}
		w.WriteString(s)
		return next, true
	case '{':
		return j.object(i)
	case '[':
		return j.array(i)
	case 't':
		if len(data)-i >= 4 && string(data[i:i+4]) == "true" {
			w.WriteBool(true)
			return i + 4, true
		}
	case 'f':
		if len(data)-i >= 5 && string(data[i:i+5]) == "false" {
			w.WriteBool(false)
			return i + 5, true
		}
	case 'n':
		if len(data)-i >= 4 && string(data[i:i+4]) == "null" {
			w.WriteNull()
			return i + 4, true
		}
	default:
		return j.number(i)
	}
	return i, false
}

// number writes the JSON number at data[i].
func (j *jsonAMF) number(i int) (int, bool) {
	w := j.w
	end, n, frac, kind := readNumber(j.text, i)
	switch kind {
	case numInt:
		if n == 0 && j.text[i] == '-' {
			w.WriteDouble(negZero) // -0 keeps its sign, as in the model path
			break
		}
		w.WriteInt(n)
	case numDecimal:
		// n/10^frac, both exact: one correctly rounded division,
		// which is what ParseFloat gives (its own exact case).
		f := float64(n) / pow10[frac]
		if n == 0 && j.text[i] == '-' {
			f = negZero
		}
		w.WriteDouble(f)
	case numLongInt:
		n, err := strconv.ParseInt(j.text[i:end], 10, 64)
		if err != nil || n > maxSafeInt || n < -maxSafeInt {
			j.bail = true // an error, said by the model path
			return i, false
		}
		w.WriteInt(n)
	case numOther:
		f, err := strconv.ParseFloat(j.text[i:end], 64)
		if err != nil {
			j.bail = true // out of range, said by the model path
			return i, false
		}
		w.WriteDouble(f)
	default:
		return i, false
	}
	return end, true
}

// str reads the string whose quote is at data[i]: its text (in place
// when it has no escapes, else unescaped as gjson does, so both paths
// read the same text) and the offset after it.
func (j *jsonAMF) str(i int) (string, int, bool) {
	data := j.data
	start := i + 1
	escaped := false
	for i = start; ; {
		// Eight bytes at a time while none is a quote, a backslash, a
		// control character or past ASCII: the lowest flagged byte is
		// exact (a borrow only runs up from a flagged byte).
		for i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			q, b := x^(lsb*'"'), x^(lsb*'\\')
			if m := ((q-lsb)&^q | (b-lsb)&^b | (x - lsb*0x20) | x) & msb; m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		for i < len(data) && jsonStrPlain[data[i]] {
			i++
		}
		if i >= len(data) {
			return "", i, false
		}
		switch c := data[i]; {
		case c == '"':
			if i == start {
				return "", i + 1, true
			}
			s := j.text[start:i]
			if escaped {
				s = gjson.Parse(j.text[start-1 : i+1]).Str
			}
			return s, i + 1, true
		case c == '\\':
			escaped = true
			if i+1 >= len(data) {
				return "", i, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				n := escapeLen(data, i)
				if n == 0 {
					return "", i, false // splitValues says what is wrong
				}
				i += n
			default:
				return "", i, false
			}
		case c < 0x20:
			return "", i, false
		default:
			r, n := utf8.DecodeRuneInString(j.text[i:])
			if r == utf8.RuneError && n <= 1 {
				return "", i, false
			}
			i += n
		}
	}
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// escapeLen is the length of the \u escape at data[i]: 6, or 12 for a
// surrogate pair; 0 when it is not four hex digits or is half of a pair
// alone (a lone surrogate, which no UTF-8 text can hold: gjson and
// encoding/json read it as U+FFFD, which would be written silently in
// place of what the user gave).
func escapeLen(data []byte, i int) int {
	r, ok := hex4(data, i)
	switch {
	case !ok:
		return 0
	case r < 0xD800 || r > 0xDFFF:
		return 6
	case r <= 0xDBFF && len(data)-i >= 12 && data[i+6] == '\\' && data[i+7] == 'u':
		if lo, ok := hex4(data, i+6); ok && lo >= 0xDC00 && lo <= 0xDFFF {
			return 12
		}
	}
	return 0
}

// hex4 reads the four hex digits of the \u escape at data[i].
func hex4(data []byte, i int) (rune, bool) {
	if len(data)-i < 6 {
		return 0, false
	}
	var r rune
	for _, c := range data[i+2 : i+6] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// loneSurrogate returns the offset of the first \u escape in the valid
// JSON text data that is half of a surrogate pair alone, or -1.
func loneSurrogate(data []byte) int {
	for i := 0; i < len(data); i++ {
		if data[i] != '\\' {
			continue
		}
		if i+1 >= len(data) || data[i+1] != 'u' {
			i++ // the escaped byte
			continue
		}
		n := escapeLen(data, i)
		if n == 0 {
			return i
		}
		i += n - 1
	}
	return -1
}

// skipSpace returns the offset of the first byte of data from i that
// is not white space.
func skipSpace(data []byte, i int) int {
	for i < len(data) && jsonSpace[data[i]] {
		i++
	}
	return i
}

func (j *jsonAMF) array(i int) (int, bool) {
	w, data := j.w, j.data
	n := -1
	if j.count && j.depth == 0 {
		var ok bool
		if n, ok = j.countItems(i); !ok {
			return i, false
		}
	} else if c, ok := j.counts[i]; ok && j.counts != nil && !j.record {
		n = c
	}
	start := i
	j.depth++
	if j.depth > MaxJSONDepth {
		return i, false
	}
	w.BeginArray(n)
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		w.End()
		j.depth--
		return i + 1, true
	}
	for n := 0; ; n++ {
		if i >= len(data) {
			return i, false
		}
		var ok bool
		if i, ok = j.value(i); !ok {
			if j.err != nil {
				j.err.Path = "/" + strconv.Itoa(n) + j.err.Path
			}
			return i, false
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			w.End()
			j.depth--
			if j.record && i+1-start >= bigArray && len(j.counts) < maxCounts {
				j.counts[start] = n + 1
			}
			return i + 1, true
		default:
			return i, false
		}
	}
}

// bigArray is the length of text from which an array's count is
// recorded (see jsonAMF.counts); a shorter one is held while written.
// maxCounts bounds how many are recorded.
const (
	bigArray  = 64 << 10
	maxCounts = 1 << 16
)

func (j *jsonAMF) object(i int) (int, bool) {
	w, data := j.w, j.data
	j.depth++
	if j.depth > MaxJSONDepth {
		return i, false
	}
	first := skipSpace(data, i+1)
	if j.typed && (j.look || first+2 < len(data) && data[first] == '"' && data[first+1] == '$') {
		// Annotated from its first member (or an escaped name): written
		// from its list of members. (Peeking here keeps such objects out
		// of the member-name hints of plain objects at the same depth.)
		return j.typedObjectAt(i)
	}
	var hints []nameHint
	if j.depth < len(j.names) {
		hints = j.names[j.depth][:]
	}
	w.BeginObject(nil)
	i = first
	if i < len(data) && data[i] == '}' {
		w.End()
		j.depth--
		return i + 1, true
	}
	// Member names given twice: an object whose names so far are those
	// of the last object at its depth, which were distinct up to
	// j.hintOK, needs no look for them; past that, or once a name is
	// another, its names go into a memberNames.
	prevOK := -1
	if hints != nil {
		prevOK = j.hintOK[j.depth]
	}
	for pos := 0; ; pos++ {
		if i >= len(data) || data[i] != '"' {
			return i, false
		}
		// A name where the last object at this depth had it is that
		// string again (the same bytes and a quote, compared as two
		// words; and the same pointer: the Writer compares it at once).
		var k string
		next := -1
		var hint *nameHint
		fromHint := false // the name is the last object's here
		hintIsK := false  // the hint here is the name now
		if pos < len(hints) {
			hint = &hints[pos]
			if i+17 <= len(data) && hint.s != "" &&
				binary.LittleEndian.Uint64(data[i+1:])&hint.m0 == hint.w0 &&
				binary.LittleEndian.Uint64(data[i+9:])&hint.m1 == hint.w1 {
				k, next, fromHint, hintIsK = hint.s, i+2+len(hint.s), true, true
			}
		}
		if next < 0 {
			var ok bool
			if k, next, ok = j.str(i); !ok {
				return i, false
			}
			if hint != nil && k != "" && len(k) == next-i-2 { // no escapes
				hint.set(k)
				hintIsK = len(k) <= 15
			}
		}
		name := k
		if k == "" || k[0] == '$' {
			// Escaped names are written here in typed mode; an
			// annotation after a data member needs the object's names
			// first (run again with look); the empty name (an error in
			// AMF3) is the model's business.
			if !j.typed || k == "" {
				j.bail = true
				return i, false
			}
			if annotation(k) {
				j.surprise = true
				return i, false
			}
			name = dataName(k)
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return i, false
		}
		i = skipSpace(data, i+1)
		if i >= len(data) {
			return i, false
		}
		if !fromHint || pos >= prevOK {
			prevOK = j.dupName(hints, pos, prevOK, name, k, i, hintIsK)
		}
		w.WriteName(name)
		var ok bool
		if i, ok = j.value(i); !ok {
			if j.err != nil {
				j.err.Path = "/" + escapePointer(k) + j.err.Path
			}
			return i, false
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			if hints != nil {
				known := pos + 1 // every name the last object's, distinct
				if prevOK < 0 {
					known = j.dups.pool[j.depth].known
				}
				j.hintOK[j.depth] = known
			}
			w.End()
			j.depth--
			return i + 1, true
		default:
			return i, false
		}
	}
}

// dupName notes the member name (key k, its value at the offset at) at
// position pos of the plain object at j.depth, which object could not
// take as distinct: the names before it, up to prevOK, were the last
// object's there, distinct; after the first call, prevOK is -1. It
// returns -1, and keeps in the object's memberNames how many of its
// first names are distinct and in its hints (known).
func (j *jsonAMF) dupName(hints []nameHint, pos, prevOK int, name, k string, at int, hintIsK bool) int {
	var m *memberNames
	if prevOK >= 0 || pos == 0 {
		m = j.dups.namesAt(j.depth)
		m.known, m.okRun = pos, true
		for q := range pos {
			m.add(dataName(hints[q].s), hints[q].s, at)
		}
	} else {
		m = j.dups.pool[j.depth]
	}
	before := j.dups.count
	m.add(name, k, at)
	if m.okRun && j.dups.count == before && hintIsK && m.known == pos {
		m.known = pos + 1
	} else {
		m.okRun = false
	}
	return -1
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// parseInPlace is gjson.ParseBytes without its copy of the text (which
// doubles the memory of a large input); the result aliases data.
func parseInPlace(data []byte) gjson.Result {
	return gjson.Parse(unsafe.String(unsafe.SliceData(data), len(data)))
}

const (
	numBad     = iota // not a JSON number
	numOther          // for strconv: an exponent, or more than 15 digits with a fraction
	numInt            // at most 15 digits: n
	numDecimal        // at most 15 digits with a fraction: n / 10^frac
	numLongInt        // more than 15 digits, no fraction or exponent
)

// pow10 holds the powers of ten a double holds exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// readNumber reads the JSON number at s[i] (checking its grammar) and
// returns the offset after it and what it is. An integer or a decimal of
// at most 15 digits, whose digits as an integer and power of ten are
// both exact in a double (so that n/10^frac is correctly rounded), is
// read here; anything longer or with an exponent is left to strconv
// (numLongInt, numOther).
func readNumber(s string, i int) (end int, n int64, frac int, kind int) {
	neg := false
	if i < len(s) && s[i] == '-' {
		neg, i = true, i+1
	}
	digits := 0
	switch {
	case i >= len(s):
		return i, 0, 0, numBad
	case s[i] == '0':
		i, digits = i+1, 1
	case s[i] >= '1' && s[i] <= '9':
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n = n*10 + int64(s[i]-'0') // wraps past 18 digits: n is not used then
			digits++
		}
	default:
		return i, 0, 0, numBad
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return i, 0, 0, numBad
		}
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n = n*10 + int64(s[i]-'0')
			digits++
			frac++
		}
	}
	if i < len(s) && s[i]|0x20 == 'e' {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return i, 0, 0, numBad
		}
		for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		}
		return i, 0, 0, numOther
	}
	switch {
	case digits > 15 && frac == 0:
		return i, 0, 0, numLongInt
	case digits > 15:
		return i, 0, 0, numOther
	}
	if neg {
		n = -n
	}
	if frac == 0 {
		return i, n, 0, numInt
	}
	return i, n, frac, numDecimal
}

// scanNumber reads raw as one JSON number (readNumber): numOther for
// anything else, which strconv then refuses.
func scanNumber(raw string) (n int64, frac int, kind int) {
	end, n, frac, kind := readNumber(raw, 0)
	if end != len(raw) || kind == numBad {
		return 0, 0, numOther
	}
	return n, frac, kind
}

// newJSONAMF returns a scanner of data writing to w, a Writer of
// version ver.
func newJSONAMF(w *amf.Writer, data []byte, ver amf.Version) jsonAMF {
	return jsonAMF{w: w, data: data, text: unsafe.String(unsafe.SliceData(data), len(data)), amf0: ver == amf.AMF0}
}

// checkSpans is splitValues' check in one pass with the scanner's own
// primitives (no Writer): the top-level values of data, or false when
// splitValues' slow path is to say what is wrong. It accepts exactly
// what that path accepts (FuzzCheckSpans).
func checkSpans(data []byte) ([]span, bool) {
	j := jsonAMF{data: data, text: unsafe.String(unsafe.SliceData(data), len(data))}
	var spans []span
	for i := 0; ; {
		for i < len(data) && jsonSpace[data[i]] {
			i++
		}
		if i >= len(data) {
			return spans, true
		}
		start, c := i, data[i]
		var ok bool
		if i, ok = j.check(i); !ok {
			return nil, false
		}
		if c != '{' && c != '[' && c != '"' && i < len(data) {
			if d := data[i]; !jsonSpace[d] && d != '{' && d != '[' && d != '"' {
				return nil, false
			}
		}
		spans = append(spans, span{start, i})
	}
}

// check checks the value at data[i] (not white space) and returns the
// offset after it.
func (j *jsonAMF) check(i int) (int, bool) {
	data := j.data
	switch data[i] {
	case '"':
		_, next, ok := j.str(i)
		return next, ok
	case '{', '[':
		return j.checkContainer(i)
	case 't':
		return i + 4, len(data)-i >= 4 && string(data[i:i+4]) == "true"
	case 'f':
		return i + 5, len(data)-i >= 5 && string(data[i:i+5]) == "false"
	case 'n':
		return i + 4, len(data)-i >= 4 && string(data[i:i+4]) == "null"
	}
	end, _, _, kind := readNumber(j.text, i)
	return end, kind != numBad
}

// checkContainer checks the array or object at data[i].
func (j *jsonAMF) checkContainer(i int) (int, bool) {
	data := j.data
	j.depth++
	if j.depth > MaxJSONDepth {
		return i, false
	}
	obj := data[i] == '{'
	end := byte(']')
	if obj {
		end = '}'
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == end {
		j.depth--
		return i + 1, true
	}
	for {
		if i >= len(data) {
			return i, false
		}
		var ok bool
		if obj {
			if data[i] != '"' {
				return i, false
			}
			if _, i, ok = j.str(i); !ok {
				return i, false
			}
			if i = skipSpace(data, i); i >= len(data) || data[i] != ':' {
				return i, false
			}
			if i = skipSpace(data, i+1); i >= len(data) {
				return i, false
			}
		}
		if i, ok = j.check(i); !ok {
			return i, false
		}
		if i = skipSpace(data, i); i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case end:
			j.depth--
			return i + 1, true
		default:
			return i, false
		}
	}
}

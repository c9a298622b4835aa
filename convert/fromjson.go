package convert

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// MaxJSONDepth bounds the nesting of JSON input.
const MaxJSONDepth = 512

// FromJSON turns one JSON document, plain or typed, into an AMF value.
func FromJSON(data []byte) (_ any, err error) {
	return fromJSON(data, nil)
}

// FromJSONWarn is [FromJSON] telling warn of what it took but would
// warn of: member keys given twice in one object, written as given.
func FromJSONWarn(data []byte, warn func(msg string)) (any, error) {
	var dk dupKeys
	v, err := fromJSON(data, &dk)
	if err == nil {
		dk.warn(data, warn)
	}
	return v, err
}

// FromJSONWarnIn is [FromJSONWarn] for a value that will be written in
// the version ver as a whole (with ver AMF3: an argument or header value
// a client sends through the 0x11 switch). AMF3 dates have no time-zone
// field: with AMF3 it also warns of the dates whose "$tz" is dropped, as
// [FromJSONWarn] does only of those it knows are written in AMF3 (inside
// {"$amf3": ...}, a $vector...). The value is the same either way.
func FromJSONWarnIn(data []byte, ver amf.Version, warn func(msg string)) (any, error) {
	var dk dupKeys
	v, err := readOne(data, &dk, ver == amf.AMF3)
	if err == nil {
		dk.warn(data, warn)
	}
	return v, err
}

// fromJSON is FromJSON noting keys given twice in dk (if not nil).
func fromJSON(data []byte, dk *dupKeys) (_ any, err error) {
	return readOne(data, dk, false)
}

// readOne is fromJSON; all3: the value is written in AMF3 (see
// reader.all3).
func readOne(data []byte, dk *dupKeys, all3 bool) (_ any, err error) {
	defer func() { err = locate(err, data) }()
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}
	}
	if len(spans) > 1 {
		return nil, &Error{Offset: int64(spans[1].start), Err: errors.New("more than one JSON value (use one document, or JSON lines where several values are expected)")}
	}
	r := newReader(data)
	r.all3 = all3
	v, err := r.document(spans[0])
	dk.take(&r.dups, 0)
	return v, err
}

// FromJSONLines turns a sequence of JSON documents (JSON lines, or values
// separated by white space) into AMF values that share one reference
// context: a typed {"$ref": N} may point to an $id of an earlier document.
func FromJSONLines(data []byte) (_ []any, err error) {
	return fromJSONLines(data, nil)
}

// fromJSONLines is FromJSONLines noting keys given twice in dk.
func fromJSONLines(data []byte, dk *dupKeys) (_ []any, err error) {
	return readLines(data, dk, false)
}

// readLines is fromJSONLines; out3: the values are written as AMF3, and
// {"$amf3": ...} wrappers are noted in dk as redundant.
func readLines(data []byte, dk *dupKeys, out3 bool) (_ []any, err error) {
	defer func() { err = locate(err, data) }()
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	r := newReader(data)
	r.out3 = out3
	out := make([]any, 0, len(spans))
	for _, sp := range spans {
		v, err := r.document(sp)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	dk.take(&r.dups, 0)
	return out, nil
}

// PacketFromJSON turns the JSON form of a remoting packet into a packet.
// With "version": 3, a header or message value that has no {"$amf3": ...}
// wrapper is switched to AMF3 the way Flash Player writes it: an array
// becomes an AMF0 strict array whose elements each switch to AMF3, any
// other value switches as a whole; "amf0": true beside the value (typed
// JSON writes it for a value its writer left in AMF0) keeps it as it is.
// "crossEscapeRefs": true writes the value's AMF3 strings and traits as
// references across its 0x11 switches (see amf.Message). Each header and
// message value is a reference context of its own: a typed $ref to an
// $id of another one is an error naming both.
func PacketFromJSON(data []byte) (_ *amf.Packet, err error) {
	return packetFromJSON(data, nil)
}

// packetFromJSON is PacketFromJSON noting keys given twice in dk.
func packetFromJSON(data []byte, dk *dupKeys) (_ *amf.Packet, err error) {
	defer func() { err = locate(err, data) }()
	spans, err := splitValues(data)
	if err != nil {
		return nil, err
	}
	if len(spans) == 0 {
		return nil, &Error{Offset: int64(len(data)), Err: errors.New("a packet is one JSON object; the input has no JSON value")}
	}
	if len(spans) > 1 {
		return nil, &Error{Offset: int64(spans[1].start), Err: errors.New("a packet is one JSON object; a second JSON value starts here")}
	}
	r := newReader(data)
	res := gjson.ParseBytes(data[spans[0].start:spans[0].end])
	res = rebase(res, spans[0].start)
	p, err := r.packet(res)
	if err != nil {
		return nil, r.finish(err)
	}
	dk.take(&r.dups, 0)
	return p, nil
}

// IsPacketJSON reports whether a JSON document looks like a packet (an
// object with a "messages" or "headers" array).
func IsPacketJSON(data []byte) bool {
	res := parseInPlace(data)
	if !res.IsObject() {
		return false
	}
	return res.Get("messages").IsArray() || res.Get("headers").IsArray()
}

type span struct{ start, end int }

// splitValues finds the top-level JSON values in data, checking nesting
// depth before any recursive parser sees the text, and validates each.
// jsonScan marks the bytes splitValues stops at: 1 quotes and brackets
// (outside strings), 2 a quote or backslash (inside them).
var jsonScan = func() (t [256]uint8) {
	for _, c := range `"{}[]` {
		t[c] |= 1
	}
	t['"'] |= 2
	t['\\'] |= 2
	return t
}()

func splitValues(data []byte) ([]span, error) {
	if spans, ok := checkSpans(data); ok {
		return spans, nil
	}
	return splitValuesSlow(data)
}

// splitValuesSlow is splitValues by UTF-8, a bracket scan and
// gjson.ValidBytes: what checkSpans accepts in one pass, and the error
// (with encoding/json's wording and offset) when it does not.
func splitValuesSlow(data []byte) ([]span, error) {
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, n := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			off += n
		}
		return nil, &Error{Offset: int64(off), Err: errors.New("invalid UTF-8 (JSON text must be UTF-8)")}
	}
	var spans []span
	i := 0
	for {
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if i >= len(data) {
			return spans, nil
		}
		start := i
		switch data[i] {
		case '{', '[':
			depth := 0
		scan:
			for ; i < len(data); i++ {
				c := data[i]
				if jsonScan[c]&1 == 0 {
					continue // not a quote or a bracket
				}
				switch c {
				case '"':
					for i++; i < len(data); i++ {
						if c := data[i]; jsonScan[c]&2 != 0 {
							if c == '"' {
								break
							}
							i++ // the escaped byte
						}
					}
				case '{', '[':
					depth++
					if depth > MaxJSONDepth {
						return nil, &Error{Offset: int64(i), Err: fmt.Errorf("nesting deeper than %d levels", MaxJSONDepth)}
					}
				case '}', ']':
					depth--
					if depth == 0 {
						i++
						break scan
					}
				}
			}
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
			i++
		default:
			for i < len(data) && !isSpace(data[i]) && data[i] != '{' && data[i] != '[' && data[i] != '"' {
				i++
			}
		}
		end := min(i, len(data))
		if !gjson.ValidBytes(data[start:end]) {
			return nil, syntaxError(data, start, end)
		}
		if at := loneSurrogate(data[start:end]); at >= 0 {
			return nil, &Error{Offset: int64(start + at), Err: fmt.Errorf(
				`the escape %s is half of a UTF-16 surrogate pair, without its other half: no UTF-8 string can hold it (write the character itself, or both halves)`,
				data[start+at:start+at+6])}
		}
		spans = append(spans, span{start, end})
		i = end
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// syntaxError locates a JSON syntax error with encoding/json's scanner.
func syntaxError(data []byte, start, end int) error {
	var raw json.RawMessage
	err := json.Unmarshal(data[start:end], &raw)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		msg := strings.TrimPrefix(se.Error(), "json: ")
		// encoding/json counts the offending byte as read; point at it.
		off := se.Offset
		if off == int64(end-start) && strings.HasPrefix(msg, "invalid character ' '") {
			// A scalar that needs more ("12e", "tru") at the end of its
			// span: encoding/json's end of input is a space it makes
			// up. The byte that ended the span is the one at fault.
			if end >= len(data) {
				return &Error{Offset: int64(end), Err: errors.New("unexpected end of JSON input")}
			}
			msg = "invalid character " + quoteByte(data[end]) + strings.TrimPrefix(msg, "invalid character ' '")
			return &Error{Offset: int64(end), Err: errors.New(msg)}
		}
		if off > 0 && int(off) <= end-start && !strings.Contains(msg, "unexpected end") {
			off--
		}
		return &Error{Offset: int64(start) + off, Err: errors.New(msg)}
	}
	if err != nil {
		return &Error{Offset: int64(start), Err: errors.New(strings.TrimPrefix(err.Error(), "json: "))}
	}
	return &Error{Offset: int64(end), Err: errors.New("unexpected end of JSON input")}
}

// quoteByte quotes a byte as encoding/json's syntax errors do: '\n',
// '\x00', 'a'.
func quoteByte(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		q = fmt.Sprintf(`"\x%02x"`, c)
	}
	return "'" + q[1:len(q)-1] + "'"
}

// rebase makes a Result parsed from a slice report offsets in the whole
// input.
func rebase(res gjson.Result, off int) gjson.Result {
	res.Index += off
	return res
}

type reader struct {
	data   []byte
	ids    map[int64]any
	anc    []ancestor
	base   string // JSON Pointer of r.anc[0] in the document
	traits map[string]*amf.Traits
	kv     []kvPair
	items  []any

	// Slabs that objects and their members are cut from, and strings
	// boxed once: fewer allocations for documents of many small objects.
	objSlab []amf.Object
	memSlab []amf.Member
	boxed   map[string]any

	dups dupKeys // member keys given twice (written as given, warned of)
	in3  int     // how many {"$amf3": ...} the value being read is in
	// out3: the values read are written as AMF3 (bare AMF3 values, a
	// frame), where {"$amf3": ...} at the top is redundant: noted in
	// dups, for the warning.
	out3 bool
	// all3: the values read are written as AMF3 (a .sol file of version
	// 3, a packet value that switches as a whole, arguments sent with
	// --amf3), with no note of wrappers; only3: how many values that
	// exist in AMF3 alone the value being read is in. See writes3.
	all3  bool
	only3 int
	// ext: how many objects of an externalizable class the value being
	// read is in that may be written in AMF0 or through the switch (the
	// encoder decides from their members: see switches3); pendTZ: the
	// offsets of the "$tz" of dates read in them, noted (or not) once the
	// object is read.
	ext    int
	pendTZ []int

	parts partIDs // a packet's: the $ids of its earlier headers and messages (jsonpacket.go)
}

func (r *reader) newObject() *amf.Object {
	if len(r.objSlab) == 0 {
		r.objSlab = make([]amf.Object, 128)
	}
	o := &r.objSlab[0]
	r.objSlab = r.objSlab[1:]
	return o
}

func (r *reader) newMembers(n int) []amf.Member {
	if n > 64 {
		return make([]amf.Member, n)
	}
	if len(r.memSlab) < n {
		r.memSlab = make([]amf.Member, 1024)
	}
	ms := r.memSlab[:n:n]
	r.memSlab = r.memSlab[n:]
	return ms
}

// boxString returns s as an interface value, reusing the box of an equal
// short string seen before (values repeat: names, codes, enums).
func (r *reader) boxString(s string) any {
	if len(s) > 32 {
		return s
	}
	if v, ok := r.boxed[s]; ok {
		return v
	}
	if r.boxed == nil {
		r.boxed = make(map[string]any)
	}
	var v any = s
	if len(r.boxed) < 4096 {
		r.boxed[s] = v
	}
	return v
}

type ancestor struct {
	s seg
	v any
}

type kvPair struct {
	key string
	val gjson.Result
}

// ancPointer is the JSON Pointer of ancestor n (r.anc[0] is the root,
// at r.base): pointers run from the top of the document.
func (r *reader) ancPointer(n int) string {
	b := []byte(r.base)
	for _, a := range r.anc[1 : n+1] {
		b = append(b, '/')
		if a.s.isIndex {
			b = strconv.AppendInt(b, int64(a.s.index), 10)
		} else {
			b = append(b, strings.NewReplacer("~", "~0", "/", "~1").Replace(a.s.name)...)
		}
	}
	return string(b)
}

func newReader(data []byte) *reader {
	return &reader{data: data}
}

// date reads a typed {"$date": v, "$tz": tz} (hasTZ: "$tz" is given): the
// milliseconds of v (see dateMs) and the time zone (0 without "$tz"; see
// zoneOf). Where the zone is dropped (AMF3) is dupKeys.noteTZ's rule.
func (r *reader) date(v, tz gjson.Result, hasTZ bool) (ms float64, zone int16, err error) {
	if ms, err = r.dateMs(v); err != nil {
		return 0, 0, err
	}
	if hasTZ {
		var ok bool
		if zone, ok = zoneOf(wholeNumber(tz)); !ok {
			return 0, 0, within(r.errAt(tz, "$tz must be an integer in [-32768, 32767]"), "$tz")
		}
	}
	return ms, zone, nil
}

// dateMs reads the value of "$date" for both JSON readers (the direct
// writer leaves any error to the value model): an RFC 3339 string, or a
// typed number of milliseconds.
func (r *reader) dateMs(v gjson.Result) (float64, error) {
	if v.Type == gjson.String {
		ms, why := parseDateText(v.Str)
		if why != "" {
			return 0, within(r.errAt(v, "$date %q is not an RFC 3339 date (%s)", shorten(v.Str), why), "$date")
		}
		return ms, nil
	}
	ms, err := r.double(v)
	return ms, within(err, "$date")
}

// zoneOf is the time zone of a "$tz" whose whole number is n (ok: it is
// one) for both JSON readers: AMF0's field is 16 bits.
func zoneOf(n int64, ok bool) (int16, bool) {
	if !ok || n < math.MinInt16 || n > math.MaxInt16 {
		return 0, false
	}
	return int16(n), true
}

// writes3 reports whether the value being read is written in AMF3: all
// of it (bare AMF3 values, frames, a .sol file of version 3, a packet
// value that switches as a whole), inside {"$amf3": ...}, or inside a
// value that exists in AMF3 alone, which the encoder writes through the
// switch even in AMF0 ($vector, $dictionary, an externalizable class).
func (r *reader) writes3() bool {
	return r.out3 || r.all3 || r.in3 > 0 || r.only3 > 0
}

// switches3 reports whether the AMF0 encoder writes o, an object of an
// externalizable class with no traits of its own, through the switch to
// AMF3: when its members fit the class (else it is an AMF0 typed
// object). The encoder says so: the member names alone, with no values,
// encode in AMF3 exactly when they fit.
func switches3(o *amf.Object) bool {
	probe := &amf.Object{Class: o.Class, Members: make([]amf.Member, len(o.Members))}
	for i, m := range o.Members {
		probe.Members[i].Name = m.Name
	}
	_, err := amf.Marshal(probe, amf.AMF3)
	return err == nil
}

// pointerAt is the JSON Pointer, from the top of its document, of the
// value of the valid JSON text data (one document or several) that holds
// the value starting at the offset off: for the offset of a "$tz" value,
// its date. For a warning, once: it reads the text again.
func pointerAt(data []byte, off int) string {
	spans, err := splitValues(data)
	if err != nil {
		return ""
	}
	for _, sp := range spans {
		if off < sp.start || off >= sp.end {
			continue
		}
		v := parseInPlace(data[sp.start:sp.end])
		off -= sp.start
		var b []byte
		for v.IsObject() || v.IsArray() {
			var next gjson.Result
			var seg string
			i := 0
			v.ForEach(func(k, e gjson.Result) bool {
				if e.Index <= off && off < e.Index+len(e.Raw) {
					next = e
					if v.IsArray() {
						seg = strconv.Itoa(i)
					} else {
						seg = escapePointer(k.Str)
					}
					return false
				}
				i++
				return true
			})
			if !next.Exists() || next.Index == off {
				break
			}
			// (gjson counts e.Index from the start of the document.)
			b = append(append(b, '/'), seg...)
			v = next
		}
		return string(b)
	}
	return ""
}

// located is an error at a JSON offset, with the path built on the way up.
type located struct {
	off  int
	segs []string
	err  error
}

func (e *located) Error() string { return e.err.Error() }

func (r *reader) errAt(res gjson.Result, format string, args ...any) error {
	return &located{off: res.Index, err: fmt.Errorf(format, args...)}
}

// twice reports a member of a packet, header, message or .sol object
// given a second time (keys names it so far): an error at its value, as
// encoding/json/v2 refuses duplicate names, where the first would have
// been taken for some members and the last for others.
func (r *reader) twice(keys *[]string, k string, v gjson.Result, in string) error {
	if slices.Contains(*keys, k) {
		return r.errAt(v, "%q is given twice in a %s", k, in)
	}
	*keys = append(*keys, k)
	return nil
}

func within(err error, seg string) error {
	if l, ok := err.(*located); ok {
		l.segs = append(l.segs, seg)
	}
	return err
}

func (r *reader) finish(err error) error {
	l, ok := err.(*located)
	if !ok {
		return err
	}
	var b strings.Builder
	for i := len(l.segs) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(l.segs[i]))
	}
	return &Error{Offset: int64(l.off), Path: b.String(), Err: l.err}
}

func (r *reader) document(sp span) (any, error) {
	res := rebase(gjson.ParseBytes(r.data[sp.start:sp.end]), sp.start)
	r.anc = r.anc[:0]
	v, err := r.value(res, seg{})
	if err != nil {
		return nil, r.finish(err)
	}
	return v, nil
}

func (r *reader) value(res gjson.Result, s seg) (any, error) {
	switch res.Type {
	case gjson.Null:
		return nil, nil
	case gjson.True:
		return true, nil
	case gjson.False:
		return false, nil
	case gjson.String:
		return r.boxString(res.Str), nil
	case gjson.Number:
		return r.number(res)
	}
	if res.IsArray() {
		a := &amf.Array{}
		r.anc = append(r.anc, ancestor{s, a})
		defer func() { r.anc = r.anc[:len(r.anc)-1] }()
		items, err := r.list(res)
		if err != nil {
			return nil, err
		}
		a.Dense = items
		return a, nil
	}
	return r.object(res, s)
}

func (r *reader) list(res gjson.Result) ([]any, error) {
	// Items go on a scratch stack shared by nested lists, then are copied
	// out at their real size.
	base := len(r.items)
	var err error
	i := 0
	res.ForEach(func(_, v gjson.Result) bool {
		var x any
		x, err = r.value(v, seg{index: i, isIndex: true})
		if err != nil {
			err = within(err, strconv.Itoa(i))
			return false
		}
		r.items = append(r.items, x)
		i++
		return true
	})
	items := make([]any, len(r.items)-base)
	copy(items, r.items[base:])
	clear(r.items[base:])
	r.items = r.items[:base]
	return items, err
}

const maxSafeInt = 1 << 53

// negZero is the double -0, what the JSON integer -0 reads as: an AMF3
// integer has no sign for zero.
var negZero = math.Copysign(0, -1)

func (r *reader) number(res gjson.Result) (any, error) {
	raw := res.Raw
	// Up to 15 digits without an exponent: read as the direct path reads
	// them (TestScanNumber holds them to strconv).
	switch n, frac, kind := scanNumber(raw); kind {
	case numInt:
		if n == 0 && raw[0] == '-' {
			return negZero, nil
		}
		if n >= amf.MinInt && n <= amf.MaxInt {
			return amf.Int(n), nil
		}
		return float64(n), nil
	case numDecimal:
		if n == 0 && raw[0] == '-' {
			return negZero, nil
		}
		return float64(n) / pow10[frac], nil
	}
	if !strings.ContainsAny(raw, ".eE") {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n > maxSafeInt || n < -maxSafeInt {
			return nil, r.errAt(res, "integer %s is outside ±2^53 and cannot be represented exactly (write it as a string, or as a double with a fraction or exponent)", shorten(raw))
		}
		if n == 0 && raw[0] == '-' {
			return negZero, nil // the sign is kept, as jq keeps it
		}
		if n >= amf.MinInt && n <= amf.MaxInt {
			return amf.Int(n), nil
		}
		return float64(n), nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return nil, r.errAt(res, "number %s is out of range for a double", shorten(raw))
	}
	return f, nil
}

func shorten(s string) string {
	if len(s) > 30 {
		return s[:30] + "..."
	}
	return s
}

// annotations are the typed-form keys that give an object its kind.
var kinds = map[string]bool{
	"$undefined": true, "$unsupported": true, "$double": true, "$date": true,
	"$bytes": true, "$xml": true, "$xmldoc": true, "$ecma": true, "$assoc": true,
	"$dense": true, "$vector": true, "$dictionary": true, "$amf3": true, "$ref": true,
	"$latin1": true,
}

// latin1 reads the text of a {"$latin1": text} value: one byte per
// character, each at most U+00FF.
func (r *reader) latin1(v gjson.Result) (string, error) {
	if v.Type != gjson.String {
		return "", r.errAt(v, "$latin1 must be a string")
	}
	b, ok := fromLatin1(v.Str)
	if !ok {
		return "", r.errAt(v, "$latin1 holds a character above U+00FF (each character stands for one byte)")
	}
	return b, nil
}

// dataName turns a typed-form member name back into the data's name.
func dataName(k string) string {
	if rest, ok := strings.CutPrefix(k, latin1Prefix); ok {
		if b, ok := fromLatin1(rest); ok {
			return b
		}
	}
	if strings.HasPrefix(k, "$$") {
		return k[1:]
	}
	return k
}

// givenTwice refuses an annotation ($id, $class, $traits) given twice in
// one object, and any member given twice beside a kind ($tz, $count, a
// vector's "items"...): the first of some was taken and the last of
// others, unsaid (the $date, $ecma... themselves cannot be combined).
// An object's data members given twice are written twice, with a
// warning.
func (r *reader) givenTwice(kv []kvPair, kind string) error {
	var seen map[string]bool
	for i := range kv {
		k := kv[i].key
		if kind == "" && k != "$id" && k != "$class" && k != "$traits" {
			continue
		}
		if seen[k] {
			in := "an object"
			if kind != "" {
				in = "a " + kind + " value"
			}
			return within(r.errAt(kv[i].val, "%q is given twice in %s", k, in), k)
		}
		if seen == nil {
			seen = make(map[string]bool)
		}
		seen[k] = true
	}
	return nil
}

// flexAliases are the ActionScript classes whose Flex alias is another
// name: Flex registers mx.collections.ArrayCollection as
// flex.messaging.io.ArrayCollection (registerClassAlias), and BlazeDS
// knows only that name (a typed object of the ActionScript name becomes
// a map, or a class BlazeDS cannot find, not a List). Such a "$class" is
// written as given (strict in writing: the user said it) and warned of.
var flexAliases = map[string]string{
	"mx.collections.ArrayCollection": amf.ClassArrayCollection,
	"mx.collections.ArrayList":       amf.ClassArrayList,
	"mx.utils.ObjectProxy":           amf.ClassObjectProxy,
}

// flexKind is what BlazeDS makes of each of flexAliases' classes.
var flexKind = map[string]string{
	"mx.collections.ArrayCollection": "List",
	"mx.collections.ArrayList":       "List",
	"mx.utils.ObjectProxy":           "proxied object",
}

func (r *reader) object(res gjson.Result, s seg) (any, error) {
	base := len(r.kv)
	res.ForEach(func(k, v gjson.Result) bool {
		r.kv = append(r.kv, kvPair{k.Str, v})
		return true
	})
	end := len(r.kv)
	defer func() { r.kv = r.kv[:base] }()
	kv := r.kv[base:end:end]

	kind := ""
	var id int64
	var class *gjson.Result
	var traits *gjson.Result
	for i := range kv {
		k := kv[i].key
		switch {
		case k == "$id":
			n, ok := wholeNumber(kv[i].val)
			if !ok || n < 1 {
				return nil, within(r.errAt(kv[i].val, "$id must be a positive integer"), k)
			}
			if _, dup := r.ids[n]; dup || r.parts.has(n) {
				return nil, within(r.errAt(kv[i].val, "$id %d is used twice", n), k)
			}
			id = n
		case k == "$class":
			if kv[i].val.Type != gjson.String {
				return nil, within(r.errAt(kv[i].val, "$class must be a string"), k)
			}
			class = &kv[i].val
			if flexAliases[class.Str] != "" {
				r.dups.noteAlias(class.Str, class.Index)
			}
		case k == "$traits":
			traits = &kv[i].val
		case kinds[k]:
			if kind == "" || (kind == "$assoc" && k == "$dense") || (kind == "$dense" && k == "$assoc") {
				if kind == "" {
					kind = k
				}
			} else {
				return nil, within(r.errAt(kv[i].val, "%s cannot be combined with %s", k, kind), k)
			}
		}
	}
	if err := r.givenTwice(kv, kind); err != nil {
		return nil, err
	}
	if kind == "$dense" {
		kind = "$assoc"
	}
	if kind != "" && class != nil {
		return nil, r.errAt(res, "$class cannot be combined with %s", kind)
	}
	if kind == "" && class == nil && traits == nil && id == 0 {
		return r.plainObject(kv, s)
	}
	register := func(v any) {
		if id != 0 {
			if r.ids == nil {
				r.ids = make(map[int64]any)
			}
			r.ids[id] = v
		}
	}
	get := func(name string) (gjson.Result, bool) {
		for _, p := range kv {
			if p.key == name {
				return p.val, true
			}
		}
		return gjson.Result{}, false
	}
	// only checks that an annotated value has no members it does not know.
	only := func(allowed ...string) error {
		for _, p := range kv {
			ok := p.key == "$id" || p.key == kind
			for _, a := range allowed {
				ok = ok || p.key == a
			}
			if !ok {
				return within(r.errAt(p.val, "unexpected member %q in a %s value", p.key, kind), p.key)
			}
		}
		return nil
	}

	switch kind {
	case "$ref":
		if err := only(); err != nil {
			return nil, err
		}
		ref, _ := get("$ref")
		if ref.Type == gjson.String {
			for i := len(r.anc) - 1; i >= 0; i-- {
				if r.ancPointer(i) == ref.Str {
					return r.anc[i].v, nil
				}
			}
			return nil, within(r.errAt(ref, "$ref %q does not point to a value that contains it", shorten(ref.Str)), "$ref")
		}
		n, ok := wholeNumber(ref)
		if !ok {
			return nil, within(r.errAt(ref, "$ref must be an $id number or a JSON Pointer string"), "$ref")
		}
		v, ok := r.ids[n]
		if !ok && r.parts.has(n) {
			return nil, within(r.errAt(ref, "%s", r.parts.crossRef(n)), "$ref")
		}
		if !ok && !givesID(r.data, n) {
			// The usual way there: jq deleted or replaced the value
			// that carried the $id (a shared value's first place).
			return nil, within(r.errAt(ref, "$ref %d points to no value: no \"$id\": %d is given in the document (was the value that carried it, at its first place, removed or replaced? write the value in full here instead)", n, n), "$ref")
		}
		if !ok {
			return nil, within(r.errAt(ref, "$ref %d comes before any $id %d", n, n), "$ref")
		}
		return v, nil
	case "$amf3":
		if err := only(); err != nil {
			return nil, err
		}
		in, _ := get("$amf3")
		if r.in3 > 0 {
			// AMF3 has no switch: the wrapper inside another can only be
			// an editing slip, which was dropped silently (review2 F8).
			return nil, within(r.errAt(in, "$amf3 inside $amf3: the value is AMF3 already, which has no switch; give the value without this wrapper"), "$amf3")
		}
		if r.out3 {
			r.dups.noteWrap(in.Index)
		}
		r.in3++
		v, err := r.value(in, s)
		r.in3--
		if err != nil {
			return nil, within(err, "$amf3")
		}
		if id != 0 {
			register(v)
		}
		return amf.AVMPlus{Value: v}, nil
	case "$undefined", "$unsupported":
		if err := only(); err != nil {
			return nil, err
		}
		// true is the one value json-mapping.md gives: a false (an edit
		// meaning "not undefined") must not write undefined.
		if v, _ := get(kind); v.Type != gjson.True {
			return nil, within(r.errAt(v, "%s must be true (it marks the value as %s; write the value itself otherwise)", kind, kind[1:]), kind)
		}
		if kind == "$undefined" {
			return amf.Undefined{}, nil
		}
		return amf.Unsupported{}, nil
	case "$double":
		if err := only(); err != nil {
			return nil, err
		}
		v, _ := get("$double")
		f, err := r.double(v)
		return f, within(err, "$double")
	case "$date":
		if err := only("$tz"); err != nil {
			return nil, err
		}
		v, _ := get("$date")
		tz, hasTZ := get("$tz")
		ms, zone, err := r.date(v, tz, hasTZ)
		if err != nil {
			return nil, err
		}
		d := &amf.Date{Ms: ms, TZ: zone}
		if zone != 0 && !r.writes3() && r.ext > 0 {
			r.pendTZ = append(r.pendTZ, tz.Index) // its object decides
		} else {
			r.dups.noteTZ(zone, r.writes3(), tz.Index)
		}
		register(d)
		return d, nil
	case "$bytes":
		// The abbreviated form of a -v trace (json-mapping.md,
		// "Abbreviated values in traces"): said so, at the value (its
		// path and its first byte, as for the other errors of a
		// wrapper; the path was the "$cut" member's, "/$cut" for a
		// value at the top).
		for _, k := range []string{"$cut", "$size"} {
			if _, ok := get(k); ok {
				return nil, &located{off: res.Index, err: ErrTracedCut}
			}
		}
		if err := only(); err != nil {
			return nil, err
		}
		v, _ := get("$bytes")
		if v.Type != gjson.String {
			return nil, within(r.errAt(v, "$bytes must be a base64 string"), "$bytes")
		}
		b, err := decodeBase64(v.Str)
		if err != nil {
			return nil, within(r.errAt(v, "$bytes is not valid base64: %v", err), "$bytes")
		}
		ba := &amf.ByteArray{Data: b}
		register(ba)
		return ba, nil
	case "$latin1":
		if err := only(); err != nil {
			return nil, err
		}
		v, _ := get(kind)
		str, err := r.latin1(v)
		if err != nil {
			return nil, within(err, kind)
		}
		return str, nil
	case "$xml", "$xmldoc":
		if err := only(); err != nil {
			return nil, err
		}
		v, _ := get(kind)
		text := v.Str
		if v.IsObject() && v.Get(`\$latin1`).Exists() {
			in := v.Get(`\$latin1`)
			var err error
			if text, err = r.latin1(in); err != nil {
				return nil, within(within(err, "$latin1"), kind)
			}
		} else if v.Type != gjson.String {
			return nil, within(r.errAt(v, "%s must be a string", kind), kind)
		}
		x := &amf.XML{Text: text, Document: kind == "$xmldoc"}
		register(x)
		return x, nil
	case "$ecma":
		if err := only("$count"); err != nil {
			return nil, err
		}
		v, _ := get("$ecma")
		if !v.IsObject() {
			return nil, within(r.errAt(v, "$ecma must be an object"), "$ecma")
		}
		a := &amf.ECMAArray{}
		register(a)
		r.anc = append(r.anc, ancestor{s, a})
		defer func() { r.anc = r.anc[:len(r.anc)-1] }()
		ms, err := r.members(v)
		if err != nil {
			return nil, within(err, "$ecma")
		}
		a.Members = ms
		if c, ok := get("$count"); ok {
			n, ok := wholeNumber(c)
			if !ok || n < 0 || n > math.MaxUint32 {
				return nil, within(r.errAt(c, "$count must be an integer in [0, 4294967295]"), "$count")
			}
			u := uint32(n)
			a.Count = &u
		}
		return a, nil
	case "$assoc":
		if err := only("$dense", "$assoc"); err != nil {
			return nil, err
		}
		a := &amf.Array{}
		register(a)
		r.anc = append(r.anc, ancestor{s, a})
		defer func() { r.anc = r.anc[:len(r.anc)-1] }()
		if v, ok := get("$assoc"); ok {
			if !v.IsObject() {
				return nil, within(r.errAt(v, "$assoc must be an object"), "$assoc")
			}
			ms, err := r.members(v)
			if err != nil {
				return nil, within(err, "$assoc")
			}
			a.Assoc = ms
		}
		a.Dense = []any{}
		if v, ok := get("$dense"); ok {
			if !v.IsArray() {
				return nil, within(r.errAt(v, "$dense must be an array"), "$dense")
			}
			items, err := r.list(v)
			if err != nil {
				return nil, within(err, "$dense")
			}
			a.Dense = items
		}
		return a, nil
	case "$vector":
		if err := only("fixed", "items", "type"); err != nil {
			return nil, err
		}
		r.only3++
		defer func() { r.only3-- }()
		return r.vector(get, register, s)
	case "$dictionary":
		if err := only("weakKeys"); err != nil {
			return nil, err
		}
		r.only3++
		defer func() { r.only3-- }()
		return r.dictionary(get, register, s)
	}

	// An object: anonymous, typed or externalizable.
	o := &amf.Object{}
	if class != nil {
		o.Class = dataName(class.Str)
	}
	register(o)
	if traits != nil {
		t, err := r.traitsOf(*traits, o.Class)
		if err != nil {
			return nil, within(err, "$traits")
		}
		o.Traits = t
	}
	r.anc = append(r.anc, ancestor{s, o})
	defer func() { r.anc = r.anc[:len(r.anc)-1] }()
	pend := -1 // see reader.ext
	switch {
	case o.Traits != nil && o.Traits.Externalizable:
		// Written in AMF3 alone (the encoder switches in AMF0).
		r.only3++
		defer func() { r.only3-- }()
	case o.Traits == nil && amf.IsExternalizable(o.Class) && !r.writes3():
		pend = len(r.pendTZ)
		r.ext++
		defer func() { r.ext-- }()
	}
	o.Members = make([]amf.Member, 0, len(kv))
	names := r.dups.namesAt(len(r.anc))
	var last kvPair // the last data member
	for _, p := range kv {
		if p.key == "$id" || p.key == "$class" || p.key == "$traits" {
			continue
		}
		name := dataName(p.key)
		names.add(name, p.key, p.val.Index)
		v, err := r.value(p.val, seg{name: p.key})
		if err != nil {
			return nil, within(err, p.key)
		}
		o.Members = append(o.Members, amf.Member{Name: name, Value: v})
		last = p
	}
	if err := wrapperHolds(o); err != nil {
		return nil, within(&located{off: last.val.Index, err: err}, last.key)
	}
	if pend >= 0 && len(r.pendTZ) > pend {
		if switches3(o) {
			for _, at := range r.pendTZ[pend:] {
				r.dups.noteTZ(1, true, at)
			}
			r.pendTZ = r.pendTZ[:pend]
		} else if r.ext == 1 {
			r.pendTZ = r.pendTZ[:pend] // an AMF0 typed object: "$tz" written
		}
	}
	return o, nil
}

// wrapperHolds checks the one member v of a Flex wrapper o as the class
// writes it: ArrayCollection's and ArrayList's source is an array,
// ObjectProxy's object an object. A Flex client or BlazeDS casts it so;
// the encoder wrote anything (review2 F7). Members that do not
// fit the wrapper at all are the encoder's to refuse (or, in AMF0, to
// write as a typed object).
func wrapperHolds(o *amf.Object) error {
	f := amf.WrapperField(o.Class)
	if f == "" || len(o.Members) != 1 || o.Members[0].Name != f {
		return nil
	}
	v := o.Members[0].Value
	switch amf.Unwrap(v).(type) {
	case *amf.Array:
		if f == "source" {
			return nil
		}
	case *amf.Object:
		if f == "object" {
			return nil
		}
	}
	want := "an array"
	if f == "object" {
		want = "an object"
	}
	return &wrapperError{fmt.Sprintf("the %s of a %s must be %s, not %s", f, o.Class, want, amf.Describe(v))}
}

// wrapperError is the error of a Flex wrapper whose member is not what
// the class holds (see wrapperHolds). Such bytes are read (typed JSON
// shows them as they are) but not written back.
type wrapperError struct{ msg string }

func (e *wrapperError) Error() string { return e.msg }

// plainObject builds an anonymous object with no annotations, the common
// case, without the bookkeeping of annotated values.
func (r *reader) plainObject(kv []kvPair, s seg) (any, error) {
	o := r.newObject()
	o.Members = r.newMembers(len(kv))
	r.anc = append(r.anc, ancestor{s, o})
	r.dupsIn(kv)
	for i, p := range kv {
		v, err := r.value(p.val, seg{name: p.key})
		if err != nil {
			return nil, within(err, p.key)
		}
		o.Members[i] = amf.Member{Name: dataName(p.key), Value: v}
	}
	r.anc = r.anc[:len(r.anc)-1]
	return o, nil
}

// dupsIn notes the keys of the plain object kv given twice: a filter
// of their bits, and the names looked at only where two bits meet (or a
// key starts with "$", which may name the member another key names).
func (r *reader) dupsIn(kv []kvPair) {
	if len(kv) <= dupLinear {
		var bits uint64
		for _, p := range kv {
			if p.key == "" || p.key[0] == '$' {
				goto look
			}
			b := nameBit(p.key)
			if bits&b != 0 {
				goto look
			}
			bits |= b
		}
		return
	}
look:
	names := r.dups.namesAt(len(r.anc))
	for _, p := range kv {
		names.add(dataName(p.key), p.key, p.val.Index)
	}
}

func (r *reader) members(res gjson.Result) ([]amf.Member, error) {
	var ms []amf.Member
	var err error
	names := r.dups.namesAt(len(r.anc))
	res.ForEach(func(k, v gjson.Result) bool {
		names.add(dataName(k.Str), k.Str, v.Index)
		var x any
		x, err = r.value(v, seg{name: k.Str})
		if err != nil {
			err = within(err, k.Str)
			return false
		}
		ms = append(ms, amf.Member{Name: dataName(k.Str), Value: x})
		return true
	})
	return ms, err
}

func wholeNumber(res gjson.Result) (int64, bool) {
	if res.Type != gjson.Number || strings.ContainsAny(res.Raw, ".eE") {
		return 0, false
	}
	n, err := strconv.ParseInt(res.Raw, 10, 64)
	return n, err == nil
}

var quietNaN = math.Float64frombits(0x7FF8000000000000)

// double reads a typed number as a double: a JSON number or a $double
// annotation or string.
func (r *reader) double(v gjson.Result) (float64, error) {
	switch v.Type {
	case gjson.Number:
		f, err := strconv.ParseFloat(v.Raw, 64)
		if err != nil {
			return 0, r.errAt(v, "number %s is out of range for a double", shorten(v.Raw))
		}
		return f, nil
	case gjson.String:
		switch s := v.Str; {
		case s == "NaN":
			return quietNaN, nil
		case s == "Infinity":
			return math.Inf(1), nil
		case s == "-Infinity":
			return math.Inf(-1), nil
		case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
			bits, err := strconv.ParseUint(s[2:], 16, 64)
			if err != nil || len(s) > 18 {
				return 0, r.errAt(v, "%q is not 16 hex digits of IEEE bits", shorten(s))
			}
			return math.Float64frombits(bits), nil
		}
		return 0, r.errAt(v, "%q is not a double (NaN, Infinity, -Infinity or 0x + IEEE bits)", shorten(v.Str))
	case gjson.JSON:
		if v.IsObject() {
			if d := v.Get(`\$double`); d.Exists() {
				return r.double(d)
			}
		}
	}
	return 0, r.errAt(v, "expected a number")
}

func decodeBase64(s string) ([]byte, error) {
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

func (r *reader) traitsOf(res gjson.Result, class string) (*amf.Traits, error) {
	if !res.IsObject() {
		return nil, r.errAt(res, "$traits must be an object")
	}
	t := &amf.Traits{Class: class}
	inline := false
	var err error
	var keys []string
	res.ForEach(func(k, v gjson.Result) bool {
		if slices.Contains(keys, k.Str) {
			err = within(r.errAt(v, "%q is given twice in $traits", k.Str), k.Str)
			return false
		}
		keys = append(keys, k.Str)
		switch k.Str {
		case "sealed":
			if !v.IsArray() {
				err = within(r.errAt(v, "sealed must be an array of names"), "sealed")
				return false
			}
			t.Sealed = []string{}
			v.ForEach(func(_, n gjson.Result) bool {
				if n.Type != gjson.String {
					err = within(r.errAt(n, "sealed must be an array of names"), "sealed")
					return false
				}
				t.Sealed = append(t.Sealed, dataName(n.Str))
				return true
			})
		case "dynamic":
			t.Dynamic = v.Type == gjson.True
		case "externalizable":
			t.Externalizable = v.Type == gjson.True
		case "inline":
			inline = v.Type == gjson.True
		default:
			err = r.errAt(v, "unknown $traits member %q", k.Str)
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	if inline {
		return t, nil
	}
	key := class + "\x00" + strconv.FormatBool(t.Dynamic) + strconv.FormatBool(t.Externalizable) + "\x00" + strings.Join(t.Sealed, "\x00")
	if r.traits == nil {
		r.traits = make(map[string]*amf.Traits)
	}
	if old, ok := r.traits[key]; ok {
		return old, nil
	}
	r.traits[key] = t
	return t, nil
}

func (r *reader) vector(get func(string) (gjson.Result, bool), register func(any), s seg) (any, error) {
	tv, _ := get("$vector")
	vec := &amf.Vector{}
	switch tv.Str {
	case "int":
		vec.Type = amf.VectorInt
	case "uint":
		vec.Type = amf.VectorUint
	case "double":
		vec.Type = amf.VectorDouble
	case "object":
		vec.Type = amf.VectorObject
	default:
		return nil, within(r.errAt(tv, "$vector must be \"int\", \"uint\", \"double\" or \"object\""), "$vector")
	}
	register(vec)
	if f, ok := get("fixed"); ok {
		vec.Fixed = f.Type == gjson.True
	}
	if t, ok := get("type"); ok {
		vec.ObjectType = dataName(t.Str)
	}
	items, ok := get("items")
	if !ok {
		items = gjson.Parse("[]")
	}
	if !items.IsArray() {
		return nil, within(r.errAt(items, "items must be an array"), "items")
	}
	r.anc = append(r.anc, ancestor{s, vec})
	defer func() { r.anc = r.anc[:len(r.anc)-1] }()
	var err error
	i := 0
	items.ForEach(func(_, it gjson.Result) bool {
		sg := strconv.Itoa(i)
		switch vec.Type {
		case amf.VectorInt, amf.VectorUint:
			n, ok := wholeNumber(it)
			lo, hi := int64(math.MinInt32), int64(math.MaxInt32)
			if vec.Type == amf.VectorUint {
				lo, hi = 0, math.MaxUint32
			}
			if !ok || n < lo || n > hi {
				err = within(within(r.errAt(it, "Vector.<%s> item must be an integer in [%d, %d]", tv.Str, lo, hi), sg), "items")
				return false
			}
			if vec.Type == amf.VectorInt {
				vec.Ints = append(vec.Ints, int32(n))
			} else {
				vec.Uints = append(vec.Uints, uint32(n))
			}
		case amf.VectorDouble:
			f, e := r.double(it)
			if e != nil {
				err = within(within(e, sg), "items")
				return false
			}
			vec.Doubles = append(vec.Doubles, f)
		default:
			x, e := r.value(it, seg{index: i, isIndex: true})
			if e != nil {
				err = within(within(e, sg), "items")
				return false
			}
			vec.Objects = append(vec.Objects, x)
		}
		i++
		return true
	})
	return vec, err
}

func (r *reader) dictionary(get func(string) (gjson.Result, bool), register func(any), s seg) (any, error) {
	dv, _ := get("$dictionary")
	if !dv.IsArray() {
		return nil, within(r.errAt(dv, "$dictionary must be an array of [key, value] pairs"), "$dictionary")
	}
	d := &amf.Dictionary{}
	register(d)
	if wk, ok := get("weakKeys"); ok {
		d.WeakKeys = wk.Type == gjson.True
	}
	r.anc = append(r.anc, ancestor{s, d})
	defer func() { r.anc = r.anc[:len(r.anc)-1] }()
	var err error
	i := 0
	dv.ForEach(func(_, pair gjson.Result) bool {
		sg := strconv.Itoa(i)
		arr := pair.Array()
		if !pair.IsArray() || len(arr) != 2 {
			err = within(within(r.errAt(pair, "each $dictionary entry must be a [key, value] pair"), sg), "$dictionary")
			return false
		}
		k, e := r.value(arr[0], seg{index: 0, isIndex: true})
		if e != nil {
			err = within(within(within(e, "0"), sg), "$dictionary")
			return false
		}
		v, e := r.value(arr[1], seg{index: 1, isIndex: true})
		if e != nil {
			err = within(within(within(e, "1"), sg), "$dictionary")
			return false
		}
		d.Entries = append(d.Entries, amf.DictEntry{Key: k, Value: v})
		i++
		return true
	})
	return d, err
}

// packet reads {"version", "headers", "messages"}.
func (r *reader) packet(res gjson.Result) (*amf.Packet, error) {
	if !res.IsObject() {
		return nil, r.errAt(res, "a packet must be a JSON object with \"version\" and \"messages\"")
	}
	p := &amf.Packet{}
	var err error
	var keys []string
	res.ForEach(func(k, v gjson.Result) bool {
		if err = r.twice(&keys, k.Str, v, "packet"); err != nil {
			err = within(err, k.Str)
			return false
		}
		switch k.Str {
		case "version":
			n, ok := wholeNumber(v)
			if !ok || (n != 0 && n != 1 && n != 3) {
				err = within(r.errAt(v, "version must be 0, 1 or 3"), "version")
				return false
			}
			p.Version = uint16(n)
		case "headers", "messages":
			if !v.IsArray() {
				err = within(r.errAt(v, "%s must be an array", k.Str), k.Str)
			}
		default:
			err = within(r.errAt(v, "unexpected member %q in a packet (want version, headers, messages)", k.Str), k.Str)
		}
		return err == nil
	})
	if err != nil {
		return nil, err
	}
	i := 0
	res.Get("headers").ForEach(func(_, h gjson.Result) bool {
		var hd amf.Header
		hd, err = r.header(h, p.Version, i)
		if err != nil {
			err = within(within(err, strconv.Itoa(i)), "headers")
			return false
		}
		p.Headers = append(p.Headers, hd)
		i++
		return true
	})
	if err != nil {
		return nil, err
	}
	i = 0
	res.Get("messages").ForEach(func(_, m gjson.Result) bool {
		var msg amf.Message
		msg, err = r.message(m, p.Version, i)
		if err != nil {
			err = within(within(err, strconv.Itoa(i)), "messages")
			return false
		}
		p.Messages = append(p.Messages, msg)
		i++
		return true
	})
	return p, err
}

// partInfo is what a header or message holds besides its own fields.
type partInfo struct {
	value     any
	length    *uint32
	crossRefs bool
	xmlRefs   bool
}

func (r *reader) part(res gjson.Result, what string, version uint16, field func(k string, v gjson.Result) error) (partInfo, error) {
	var pi partInfo
	if !res.IsObject() {
		return pi, r.errAt(res, "expected an object")
	}
	var err error
	var raw gjson.Result
	amf0 := false
	var keys []string
	// A value that switches as a whole (below) is written in AMF3: its
	// dates' "$tz" are dropped (noted as they are read).
	all3 := r.all3
	defer func() { r.all3 = all3 }()
	r.all3 = version == 3 && res.Get("amf0").Type != gjson.True && !hasAMF3Wrapper(res.Get("value"))
	res.ForEach(func(k, v gjson.Result) bool {
		if err = r.twice(&keys, k.Str, v, what); err != nil {
			err = within(err, k.Str)
			return false
		}
		switch k.Str {
		case "value":
			r.anc = r.anc[:0]
			raw = v
			pi.value, err = r.value(v, seg{})
		case "length":
			n, ok := wholeNumber(v)
			if !ok || n < -1 || n > math.MaxUint32 {
				err = r.errAt(v, "length must be -1 (unknown) or an integer in [0, 4294967295]")
			} else {
				u := uint32(n)
				if n == -1 {
					u = amf.UnknownLength
				}
				pi.length = &u
			}
		case "crossEscapeRefs", "xmlRefs", "amf0":
			if v.Type != gjson.True && v.Type != gjson.False {
				err = r.errAt(v, "%s must be true or false", k.Str)
			} else if k.Str == "amf0" {
				amf0 = v.Type == gjson.True
			} else if k.Str == "xmlRefs" {
				pi.xmlRefs = v.Type == gjson.True
			} else {
				pi.crossRefs = v.Type == gjson.True
			}
		default:
			err = field(k.Str, v)
		}
		if err != nil {
			err = within(err, k.Str)
		}
		return err == nil
	})
	if err == nil && raw.Exists() && version == 3 && !amf0 && !hasAMF3Wrapper(raw) {
		pi.value = switchToAMF3(pi.value)
	}
	return pi, err
}

func (r *reader) header(res gjson.Result, version uint16, i int) (amf.Header, error) {
	var h amf.Header
	hasName := false
	r.base = "/headers/" + strconv.Itoa(i) + "/value"
	r.newPart("header", i)
	pi, err := r.part(res, "header", version, func(k string, v gjson.Result) error {
		switch k {
		case "name":
			if v.Type != gjson.String {
				return r.errAt(v, "name must be a string")
			}
			h.Name, hasName = dataName(v.Str), true
		case "mustUnderstand":
			if v.Type != gjson.True && v.Type != gjson.False {
				return r.errAt(v, "mustUnderstand must be true or false")
			}
			h.MustUnderstand = v.Type == gjson.True
		default:
			return r.errAt(v, "unexpected member %q in a header (want name, mustUnderstand, value, length, crossEscapeRefs, xmlRefs, amf0)", k)
		}
		return nil
	})
	if err == nil && !hasName {
		err = r.errAt(res, "a header needs a \"name\"")
	}
	h.Value, h.Length, h.CrossEscapeRefs, h.XMLRefs = pi.value, pi.length, pi.crossRefs, pi.xmlRefs
	return h, err
}

func (r *reader) message(res gjson.Result, version uint16, i int) (amf.Message, error) {
	var m amf.Message
	hasTarget := false
	r.base = "/messages/" + strconv.Itoa(i) + "/value"
	r.newPart("message", i)
	pi, err := r.part(res, "message", version, func(k string, v gjson.Result) error {
		switch k {
		case "target", "response":
			if v.Type != gjson.String {
				return r.errAt(v, "%s must be a string", k)
			}
			if k == "target" {
				m.Target, hasTarget = dataName(v.Str), true
			} else {
				m.Response = dataName(v.Str)
			}
		case "unregisteredArgs", "dateRefs":
			if v.Type != gjson.True && v.Type != gjson.False {
				return r.errAt(v, "%s must be true or false", k)
			}
			if k == "dateRefs" {
				m.DateRefs = v.Type == gjson.True
			} else {
				m.UnregisteredArgs = v.Type == gjson.True
			}
		default:
			return r.errAt(v, "unexpected member %q in a message (want target, response, value, length, unregisteredArgs, dateRefs, crossEscapeRefs, xmlRefs, amf0)", k)
		}
		return nil
	})
	if err == nil && !hasTarget {
		err = r.errAt(res, "a message needs a \"target\"")
	}
	m.Value, m.Length, m.CrossEscapeRefs, m.XMLRefs = pi.value, pi.length, pi.crossRefs, pi.xmlRefs
	return m, err
}

// hasAMF3Wrapper reports whether a packet value says where it switches to
// AMF3: an {"$amf3": ...} at the top or as an element of a top-level array.
func hasAMF3Wrapper(v gjson.Result) bool {
	if v.IsObject() {
		return v.Get(`\$amf3`).Exists()
	}
	found := false
	if v.IsArray() {
		v.ForEach(func(_, e gjson.Result) bool {
			if e.IsObject() && e.Get(`\$amf3`).Exists() {
				found = true
				return false
			}
			return true
		})
	}
	return found
}

// switchToAMF3 applies Flash's object encoding 3 to a packet value.
func switchToAMF3(v any) any {
	if a, ok := v.(*amf.Array); ok && len(a.Assoc) == 0 {
		for i, e := range a.Dense {
			a.Dense[i] = amf.AVMPlus{Value: e}
		}
		return a
	}
	return amf.AVMPlus{Value: v}
}

// givesID reports whether the JSON text data has an "$id" member whose
// value is n anywhere (a data key "$id" is written "$$id" in typed JSON,
// and in a string the quotes would be escaped).
func givesID(data []byte, n int64) bool {
	const key = `"$id"`
	for rest := data; ; {
		i := bytes.Index(rest, []byte(key))
		if i < 0 {
			return false
		}
		rest = rest[i+len(key):]
		v := bytes.TrimLeft(rest, " \t\r\n")
		if len(v) == 0 || v[0] != ':' {
			continue
		}
		v = bytes.TrimLeft(v[1:], " \t\r\n")
		end := 0
		for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '-' || v[end] == '+' || v[end] == '.' || v[end] == 'e' || v[end] == 'E') {
			end++
		}
		if f, err := strconv.ParseFloat(string(v[:end]), 64); err == nil && f == float64(n) {
			return true
		}
	}
}

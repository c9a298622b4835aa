package convert

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
)

// DefaultCharset is the charset plain JSON decodes strings that are not
// UTF-8 with: the "Latin-1" PHP and ColdFusion gateways usually send.
const DefaultCharset = "windows-1252"

// LookupCharset returns the encoding of a charset name, as the WHATWG
// Encoding Standard names them ("windows-1252", "latin1", "shift_jis",
// "gbk", "utf-8"...). An empty name is DefaultCharset.
func LookupCharset(name string) (encoding.Encoding, error) {
	if name == "" {
		return charmap.Windows1252, nil
	}
	e, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("unknown charset %q (use a name such as windows-1252, iso-8859-15, shift_jis, gbk)", name)
	}
	return e, nil
}

// textNote counts the strings that are not UTF-8 while a document is
// written, and remembers where the first one stands.
type textNote struct {
	enc     encoding.Encoding
	name    string
	count   int
	first   string
	invalid error

	// Dates plain JSON cannot write as RFC 3339 text (before year 0000
	// or after 9999), written as their milliseconds: how many, and the
	// JSON Pointer of the first.
	farDates     int
	firstFarDate string

	// Flex wrappers (ArrayCollection, ArrayList, ObjectProxy) that hold
	// another kind than theirs (a hostile or broken peer's), printed as
	// the value they hold: how many, the JSON Pointer of the first, and
	// what it is ("a flex.messaging.io.ArrayCollection whose source is
	// a number").
	oddWrappers     int
	firstOddWrapper string
	oddWrapperWhat  string

	// Member names given twice in one object (dupnames.go): how many,
	// and the JSON Pointer of the first's second.
	dupNames     int
	firstDupName string

	// values counts the top-level values of a stream of bare values
	// begun so far (one JSON document each, a line each in compact
	// output); each kind's first notes which value it was in
	// (firstValues: strings, dates, wrappers, names), said when the
	// stream holds more than one ("in value 2 of 3"). Packets, .sol
	// files and frames name their values by their paths and numbers.
	values      int
	firstValues [4]int
}

// The kinds of firstValues.
const (
	inString = iota
	inDate
	inWrapper
	inName
)

// noteFirst notes the value that holds the first of kind.
func (n *textNote) noteFirst(kind int) { n.firstValues[kind] = n.values }

// inValue is where (a quoted JSON Pointer, or "the top value"), and in a
// stream of several values which of them holds the first of kind.
func (n *textNote) inValue(where string, kind int) string {
	v := n.firstValues[kind]
	if n.values < 2 || v == 0 {
		return where
	}
	if where == "the top value" {
		return fmt.Sprintf("value %d of %d", v, n.values)
	}
	return fmt.Sprintf("%s in value %d of %d", where, v, n.values)
}

// oddWrapper notes a Flex wrapper of class cls whose one member (field)
// is not the kind the class holds but what (amf.Describe's words);
// where gives its JSON Pointer.
func (n *textNote) oddWrapper(cls, field, what string, where func() string) {
	n.oddWrappers++
	if n.oddWrappers == 1 {
		n.noteFirst(inWrapper)
		n.firstOddWrapper = where()
		n.oddWrapperWhat = fmt.Sprintf("a %s whose %s is %s, not %s", cls, field, what, wrapperWants(field))
	}
}

// wrapperWants is the kind of a Flex wrapper's field ("source" or
// "object").
func wrapperWants(field string) string {
	if field == "object" {
		return "an object"
	}
	return "an array"
}

// wrapperWarning is the one warning of a document with such wrappers.
func (n *textNote) wrapperWarning() string {
	if n.oddWrappers == 0 {
		return ""
	}
	_, where := countedAt(n.oddWrappers, "", n.firstOddWrapper)
	where = n.inValue(where, inWrapper)
	if n.oddWrappers == 1 {
		return fmt.Sprintf("a Flex wrapper at %s holds another kind than its class (%s): printed as the value it holds, which a Flex client would fail to cast; the typed form shows the wrapper",
			where, n.oddWrapperWhat)
	}
	return fmt.Sprintf("%d Flex wrappers hold another kind than their class (the first at %s: %s): each printed as the value it holds, which a Flex client would fail to cast; the typed form shows the wrappers",
		n.oddWrappers, where, n.oddWrapperWhat)
}

// farDate notes a date written as its milliseconds; where gives its
// JSON Pointer.
func (n *textNote) farDate(where func() string) {
	n.farDates++
	if n.farDates == 1 {
		n.noteFirst(inDate)
		n.firstFarDate = where()
	}
}

// countedAt is how a warning names n things ("1 date is", "3 dates
// are") and the JSON Pointer of the first ("" is the top value).
func countedAt(n int, thing, first string) (what, where string) {
	what = "1 " + thing + " is"
	if n > 1 {
		what = strconv.Itoa(n) + " " + thing + "s are"
	}
	where = "the top value" // JSON Pointer "" is the whole document
	if first != "" {
		where = strconv.Quote(first)
	}
	return what, where
}

// dateWarning is the one warning of a document with such dates.
func (n *textNote) dateWarning() string {
	if n.farDates == 0 {
		return ""
	}
	what, where := countedAt(n.farDates, "date", n.firstFarDate)
	where = n.inValue(where, inDate)
	return fmt.Sprintf("%s outside years 0000-9999 (the first at %s): printed as milliseconds since 1970 (a number), which RFC 3339 text cannot hold; the typed form keeps it as a date ({\"$date\": N})",
		what, where)
}

func (n *textNote) setup(name string) {
	n.name = name
	if n.name == "" {
		n.name = DefaultCharset
	}
	n.enc, n.invalid = LookupCharset(name)
	if n.invalid != nil {
		n.enc = charmap.Windows1252
		return
	}
	// The WHATWG names map some labels to another encoding:
	// "iso-8859-1" and "latin1" are windows-1252 (0x80 is "€", not
	// U+0080), "utf-16" is utf-16le. Say which one decoded the text.
	if canon, err := htmlindex.Name(n.enc); err == nil && name != "" && !strings.EqualFold(canon, name) {
		n.name = canon + ` text (the WHATWG Encoding Standard's reading of "` + name + `")`
	}
}

// decode turns the bytes of a string that is not UTF-8 into text, noting
// it; where gives its JSON Pointer.
func (n *textNote) decode(s string, where func() string) string {
	n.count++
	if n.count == 1 {
		n.noteFirst(inString)
		n.first = where()
	}
	return decodeWith(n.enc, s)
}

// decodeWith is the text of the bytes s (not UTF-8) in the charset enc,
// as plain JSON prints it.
func decodeWith(enc encoding.Encoding, s string) string {
	out, err := enc.NewDecoder().String(s)
	if err != nil || !utf8.ValidString(out) {
		return strings.ToValidUTF8(out, "\uFFFD")
	}
	return out
}

// pathName is a member name as a JSON Pointer into the plain output
// names it: the name as printed, decoded as the output decodes it when
// it is not UTF-8 (without counting it: decode does that where the name
// is printed).
func (n *textNote) pathName(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if n.enc == nil {
		return decodeWith(charmap.Windows1252, s)
	}
	return decodeWith(n.enc, s)
}

// NameDecoder returns the text plain JSON prints for the bytes of a
// string or member name that is not UTF-8, in the charset name
// (LookupCharset's names; "" is DefaultCharset): what dump's JSON paths
// name such a member by (amf.DumpNames), so that they name it in
// convert's output.
func NameDecoder(name string) (func(b []byte) string, error) {
	enc, err := LookupCharset(name)
	if err != nil {
		return nil, err
	}
	return func(b []byte) string { return decodeWith(enc, string(b)) }, nil
}

// warning is the one warning of a document with such strings.
func (n *textNote) warning() string {
	if n.count == 0 {
		return ""
	}
	what, where := countedAt(n.count, "string", n.first)
	where = n.inValue(where, inString)
	name := n.name
	if !strings.HasSuffix(name, ")") {
		name += " text"
	}
	return fmt.Sprintf("%s not UTF-8 (the first at %s): printed as %s; the typed form keeps the bytes ({\"$latin1\": ...})",
		what, where, name)
}

// latin1 is the typed form's text for the bytes of a string that is not
// UTF-8: each byte as the code point of the same number.
func latin1(s string) string {
	b := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		b[i] = rune(s[i])
	}
	return string(b)
}

// fromLatin1 is latin1 backwards; it fails on a code point above U+00FF.
func fromLatin1(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 0xFF {
			return "", false
		}
		b = append(b, byte(r))
	}
	return string(b), true
}

// latin1Prefix marks a typed-form member name whose bytes are not UTF-8:
// "$latin1:caf\u00e9" is the name of bytes 63 61 66 E9. (A data name
// that starts with "$" is written with one more "$", so this cannot be
// taken for one.)
const latin1Prefix = "$latin1:"

// typedName is the typed form of a class name or of a sealed member name
// in $traits: as it is, or, for bytes that are not UTF-8, "$latin1:" and
// a character per byte, the way member names are written ([dataName]
// reads both back). A name that starts with "$" gets one more, as a
// member name does.
func typedName(c string) string {
	switch {
	case !utf8.ValidString(c):
		return latin1Prefix + latin1(c)
	case strings.HasPrefix(c, "$"):
		return "$" + c
	}
	return c
}

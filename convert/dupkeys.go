package convert

import (
	"fmt"
	"strconv"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/textpos"
)

// dupKeys notes the member keys given twice in one JSON object that
// becomes an AMF object, ECMA array or associative part. Such members
// are written as given, both in order (a tester may mean it, and typed
// JSON of an AMF object that holds a name twice converts back byte for
// byte); the conversion warns once, with a count. Each object's names
// are looked for in a memberNames of its reader's frame.
type dupKeys struct {
	count int    // keys given again
	first string // the first such key in the text, as the JSON gives it
	at    int    // the offset of its value

	// wraps counts the {"$amf3": ...} wrappers read where the output is
	// AMF3 already (bare AMF3 values, AMF Socket frames), which has no
	// switch: each is written as the value inside, and the conversion
	// warns once. wrapAt is the offset of the first one's value.
	wraps, wrapAt int

	// tzs counts the dates given a "$tz" other than 0 that are written
	// in AMF3, whose dates have no time-zone field: each is written
	// without it (the bytes AMF3 has), and the conversion warns once.
	// tzAt is the offset of the first one's "$tz" value. See noteTZ.
	tzs, tzAt int

	// solClass is 1 + the offset of the value of a "$class" key on a
	// .sol's data object (0: none), which has no class: the key is
	// written as a member named "$class", and the conversion warns.
	// See noteSOLClass.
	solClass int

	// aliases counts the "$class" values that name a Flex class by its
	// ActionScript name (flexAliases); alias is the first in the text,
	// its value at aliasAt.
	aliases, aliasAt int
	alias            string

	pool []*memberNames // by depth, for namesAt
}

// dupLinear is the number of names of one object up to which a name is
// looked for among them one by one (only when a bit of its hash is
// taken already); past it, in a set.
const dupLinear = 16

// memberNames are the member names of one object read so far: the
// first dupLinear in place (no allocation), with a 64-bit filter of
// their hashes, so that a name is compared with the others only when its
// bit is taken; then all of them in a set.
type memberNames struct {
	d     *dupKeys
	bits  uint64
	n     int
	names [dupLinear]string
	set   map[string]struct{}

	// A plain object of the direct writer (jsonAMF.dupName): how many
	// of its first names are distinct and its hints, while okRun.
	known int
	okRun bool
}

// namesAt returns the names of an object at depth (from 0) of nesting,
// empty: kept for the next object there, so that an object costs no
// allocation, nor the clearing of its names.
func (d *dupKeys) namesAt(depth int) *memberNames {
	for len(d.pool) <= depth {
		d.pool = append(d.pool, &memberNames{d: d})
	}
	m := d.pool[depth]
	m.bits, m.n, m.set = 0, 0, nil
	return m
}

// add notes the member whose data name is name, given by the JSON key
// key with its value at the offset at.
func (m *memberNames) add(name, key string, at int) {
	if n := uint(len(name)); n > 0 && m.n < dupLinear {
		bit := nameBit(name)
		if m.bits&bit == 0 {
			m.bits |= bit
			m.names[m.n] = name
			m.n++
			return
		}
	}
	m.slow(name, key, at)
}

// nameBit is the filter bit of a name (not empty): its length, first,
// middle and last bytes, mixed.
func nameBit(s string) uint64 {
	n := uint64(len(s))
	h := (n<<24 | uint64(s[0]) | uint64(s[n/2])<<8 | uint64(s[n-1])<<16) * 0x9E3779B97F4A7C15
	return 1 << (h >> 58)
}

// slow is add for a name whose bit is taken, the empty name, or past
// dupLinear names.
func (m *memberNames) slow(name, key string, at int) {
	if m.set == nil {
		for _, s := range m.names[:m.n] {
			if s == name {
				m.d.note(key, at)
				return
			}
		}
		if m.n < dupLinear {
			if name != "" {
				m.bits |= nameBit(name)
			}
			m.names[m.n] = name
			m.n++
			return
		}
		m.set = make(map[string]struct{}, 2*dupLinear)
		for _, s := range m.names {
			m.set[s] = struct{}{}
		}
	}
	if _, ok := m.set[name]; ok {
		m.d.note(key, at)
		return
	}
	m.set[name] = struct{}{}
}

// note counts a key given again; the first in the text is the one the
// warning names (the paths that write JSON as AMF meet them in orders of
// their own).
func (d *dupKeys) note(key string, at int) {
	if d.count == 0 || at < d.at {
		d.first, d.at = key, at
	}
	d.count++
}

// noteWrap counts a redundant {"$amf3": ...} whose value is at the
// offset at.
func (d *dupKeys) noteWrap(at int) {
	if d.wraps == 0 || at < d.wrapAt {
		d.wrapAt = at
	}
	d.wraps++
}

// noteTZ is the one rule of a typed date's "$tz" written as AMF: its
// time zone tz (from "$tz" at the offset at) is dropped when the date is
// written in AMF3 (in3), which has no field for it, and noted for the
// warning; AMF0 writes it. Both JSON readers (the value model and the
// direct writer) call it where they know the version the date is
// written in.
func (d *dupKeys) noteTZ(tz int16, in3 bool, at int) {
	if tz == 0 || !in3 {
		return
	}
	if d.tzs == 0 || at < d.tzAt {
		d.tzAt = at
	}
	d.tzs++
}

// noteAlias notes a "$class" value (at the offset at) that names a Flex
// class by its ActionScript name.
func (d *dupKeys) noteAlias(class string, at int) {
	if d.aliases == 0 || at < d.aliasAt {
		d.alias, d.aliasAt = class, at
	}
	d.aliases++
}

// aliasWarning is the one warning of a text with such "$class" values,
// "" without.
func (d *dupKeys) aliasWarning(data []byte) string {
	if d.aliases == 0 {
		return ""
	}
	line, col := textpos.LineCol(data, int64(d.aliasAt))
	more := ""
	if d.aliases > 1 {
		more = fmt.Sprintf(" (and %d more such classes)", d.aliases-1)
	}
	return fmt.Sprintf(`"$class" %q (line %d, column %d)%s is the ActionScript name, which Flex registers as %q: BlazeDS knows that alias only, and reads the other as a typed object of an unknown class, not a %s; written as given (give "$class": %q for Flex's)`,
		d.alias, line, col, more, flexAliases[d.alias], flexKind[d.alias], flexAliases[d.alias])
}

// noteSOLClass notes a "$class" key, its value at the offset at, on a
// .sol's data object (both JSON readers call it; a pass run twice notes
// the same key).
func (d *dupKeys) noteSOLClass(at int) {
	if d.solClass == 0 || at+1 < d.solClass {
		d.solClass = at + 1
	}
}

// solClassWarning is the warning of a .sol's data object given a
// "$class" key, "" without: typed JSON reads "$class" as the class of
// an object, and the data object has none, so the key is written as a
// member named "$class" (as plain JSON output of such a member reads
// back); "$$class" says that member without the warning.
func (d *dupKeys) solClassWarning(data []byte) string {
	if d.solClass == 0 {
		return ""
	}
	line, col := textpos.LineCol(data, int64(keyStart(data, d.solClass-1)))
	return fmt.Sprintf(`"$class" on the .sol's data object (line %d, column %d) is written as a member named "$class": a .sol's data object has no class (for a typed object, put it under a member of "data"; for the member, write "$$class" to say so)`, line, col)
}

// tzWarning is the one warning of a text (data) with dates whose "$tz"
// AMF3 cannot hold, "" without. It names the first by the JSON Pointer
// of its date in its document and the line and column of its "$tz".
func (d *dupKeys) tzWarning(data []byte) string {
	if d.tzs == 0 {
		return ""
	}
	line, col := textpos.LineCol(data, int64(keyStart(data, d.tzAt)))
	where := "the top value" // JSON Pointer "", as countedAt says it
	if p := pointerAt(data, d.tzAt); p != "" {
		where = strconv.Quote(p)
	}
	if d.tzs == 1 {
		return fmt.Sprintf(`the "$tz" of the date at %s (line %d, column %d) is dropped: AMF3 dates have no time-zone field (AMF0 writes it); the date is written without it`, where, line, col)
	}
	return fmt.Sprintf(`%d dates' "$tz" are dropped (the first at %s, line %d, column %d): AMF3 dates have no time-zone field (AMF0 writes it); each date is written without it`, d.tzs, where, line, col)
}

// wrapWarning is the one warning of a text (data) with redundant
// {"$amf3": ...} wrappers, "" without. It names the first at the line
// and column where its key starts.
func (d *dupKeys) wrapWarning(data []byte) string {
	if d.wraps == 0 {
		return ""
	}
	line, col := textpos.LineCol(data, int64(keyStart(data, d.wrapAt)))
	if d.wraps == 1 {
		return fmt.Sprintf(`{"$amf3": ...} at line %d, column %d is redundant: the output is AMF3 already (the wrapper asks for AMF0's switch to AMF3); the value inside is written as it is`, line, col)
	}
	return fmt.Sprintf(`%d {"$amf3": ...} wrappers are redundant (the first at line %d, column %d): the output is AMF3 already (the wrapper asks for AMF0's switch to AMF3); each value inside is written as it is`, d.wraps, line, col)
}

// warning is the one warning of a text (data) with keys given twice, ""
// without. It names the first at the line and column where its key
// starts (the first character of its name).
func (d *dupKeys) warning(data []byte) string {
	if d.count == 0 {
		return ""
	}
	line, col := textpos.LineCol(data, int64(keyStart(data, d.at)))
	if d.count == 1 {
		return fmt.Sprintf("%s is given twice in one object (line %d, column %d): both are written, in order", strconv.Quote(d.first), line, col)
	}
	return fmt.Sprintf("%d keys are given again in the object they are in (the first %s, line %d, column %d): each is written as often as given, in order", d.count, strconv.Quote(d.first), line, col)
}

// warn gives d's warnings about the text data to warn, if any: keys
// given twice, redundant {"$amf3": ...} wrappers, and dates whose
// "$tz" AMF3 drops.
func (d *dupKeys) warn(data []byte, warn func(string)) {
	if warn != nil {
		if msg := d.warning(data); msg != "" {
			warn(msg)
		}
		if msg := d.wrapWarning(data); msg != "" {
			warn(msg)
		}
		if msg := d.tzWarning(data); msg != "" {
			warn(msg)
		}
		if msg := d.solClassWarning(data); msg != "" {
			warn(msg)
		}
		if msg := d.aliasWarning(data); msg != "" {
			warn(msg)
		}
	}
}

// keyStart is the offset of the first character of the name of the key
// whose value starts at the offset at of valid JSON text: back over the
// colon and white space to the closing quote, then to the opening quote
// (the first before it that no backslash escapes).
func keyStart(data []byte, at int) int {
	i := at - 1
	for i >= 0 && (isSpace(data[i]) || data[i] == ':') {
		i--
	}
	// data[i] is the closing quote.
	for i--; i >= 0; i-- {
		if data[i] != '"' {
			continue
		}
		n := 0
		for k := i - 1; k >= 0 && data[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i + 1
		}
	}
	return at
}

// take sets d (if not nil) to what the conversion that noted from noted,
// its offsets off bytes further in the text d is about.
func (d *dupKeys) take(from *dupKeys, off int) {
	if d == nil {
		return
	}
	if from.count > 0 {
		d.note(from.first, from.at+off)
		d.count += from.count - 1
	}
	if from.wraps > 0 {
		d.noteWrap(from.wrapAt + off)
		d.wraps += from.wraps - 1
	}
	if from.tzs > 0 {
		d.noteTZ(1, true, from.tzAt+off)
		d.tzs += from.tzs - 1
	}
	if from.solClass > 0 {
		d.noteSOLClass(from.solClass - 1 + off)
	}
	if from.aliases > 0 {
		d.noteAlias(from.alias, from.aliasAt+off)
		d.aliases += from.aliases - 1
	}
}

// appendModelOf is appendModel noting nothing (for the tests and
// benchmarks that compare the paths).
func appendModelOf(dst, data []byte, ver amf.Version) ([]byte, error) {
	return appendModel(dst, data, ver, nil)
}

// PacketFromJSONWarn is [PacketFromJSON] telling warn of the member keys
// given twice in one object of its values, as [FromJSONWarn] does.
func PacketFromJSONWarn(data []byte, warn func(msg string)) (*amf.Packet, error) {
	var dk dupKeys
	p, err := packetFromJSON(data, &dk)
	if err == nil {
		dk.warn(data, warn)
	}
	return p, err
}

// DupKeys gathers the member keys given twice in JSON values read one by
// one from parts of a longer text (the lines of a batch file, the header
// values of a session file), for the one warning [FromJSONWarn] gives a
// whole text, with the line and column counted in that text.
type DupKeys struct{ d dupKeys }

// FromJSON is [FromJSON] of text[start:end], noting its keys given twice
// at their offsets in text. Its errors locate the fault in text[start:end].
func (k *DupKeys) FromJSON(text []byte, start, end int) (any, error) {
	var dk dupKeys
	v, err := fromJSON(text[start:end], &dk)
	if err == nil {
		k.d.take(&dk, start)
	}
	return v, err
}

// FromJSONIn is [DupKeys.FromJSON] of a value written in ver, as
// [FromJSONWarnIn] reads it: in AMF3, dates whose "$tz" is dropped and
// redundant {"$amf3": ...} wrappers are noted too, for [DupKeys.Warn].
func (k *DupKeys) FromJSONIn(text []byte, start, end int, ver amf.Version) (any, error) {
	var dk dupKeys
	v, err := readOne(text[start:end], &dk, ver == amf.AMF3)
	if err == nil {
		k.d.take(&dk, start)
	}
	return v, err
}

// Warning is the warning about text, whose values k read: "" when no key
// was given twice, else the wording of [FromJSONWarn].
func (k *DupKeys) Warning(text []byte) string { return k.d.warning(text) }

// Warn gives warn each warning about text, whose values k read, as
// [FromJSONWarnIn] does: keys given twice, redundant {"$amf3": ...}
// wrappers, dates whose "$tz" AMF3 drops; one of each at most.
func (k *DupKeys) Warn(text []byte, warn func(msg string)) { k.d.warn(text, warn) }

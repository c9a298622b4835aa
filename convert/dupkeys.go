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
// byte); the conversion warns once, with a count. The names of the
// objects being read are on one stack shared by nested objects (see
// memberNames): a linear look over few, a set past dupLinear.
type dupKeys struct {
	names []string
	count int    // keys given again
	first string // the first such key, as the JSON gives it
	at    int    // the offset of its value in the text
}

// dupLinear is the number of names of one object up to which a name is
// looked for among them one by one; past it, in a set.
const dupLinear = 16

// memberNames are the member names of one object read so far.
type memberNames struct {
	d    *dupKeys
	base int
	set  map[string]struct{}
}

// begin starts the names of an object; end it when the object is done
// (its nested objects begin and end in between).
func (d *dupKeys) begin() memberNames { return memberNames{d: d, base: len(d.names)} }

func (m *memberNames) end() {
	d := m.d
	clear(d.names[m.base:])
	d.names = d.names[:m.base]
}

// add notes the member whose data name is name, given by the JSON key
// key with its value at the offset at.
func (m *memberNames) add(name, key string, at int) {
	d := m.d
	if m.set != nil {
		if _, ok := m.set[name]; ok {
			d.note(key, at)
			return
		}
		m.set[name] = struct{}{}
		return
	}
	for _, s := range d.names[m.base:] {
		if s == name {
			d.note(key, at)
			return
		}
	}
	d.names = append(d.names, name)
	if len(d.names)-m.base > dupLinear {
		m.set = make(map[string]struct{}, 2*dupLinear)
		for _, s := range d.names[m.base:] {
			m.set[s] = struct{}{}
		}
	}
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

// warn gives d's warning about the text data to warn, if any.
func (d *dupKeys) warn(data []byte, warn func(string)) {
	if warn != nil {
		if msg := d.warning(data); msg != "" {
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
	if d == nil || from.count == 0 {
		return
	}
	d.note(from.first, from.at+off)
	d.count += from.count - 1
}

// appendModelOf is appendModel noting nothing (for the tests and
// benchmarks that compare the paths).
func appendModelOf(dst, data []byte, ver amf.Version) ([]byte, error) {
	return appendModel(dst, data, ver, nil)
}

package convert

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// Typed JSON in the one-pass scanner (jsonAMF with typed set).
//
// An object whose first member name is an annotation ($id, $class,
// $traits, $date...) has its member names read first, its values
// skipped over (checked as splitValues checks them), and is then
// written from that list: its traits need the names before any member.
// Any other object is written as it is read, as plain JSON is; should an
// annotation come after a data member after all (JSON edited by hand),
// the scanner stops (surprise) and the caller runs it again with look
// set, which reads every object's names first.
//
// The bytes are those of the value model and the encoder (FromJSONLines,
// amf.Encoder), by the same rules: a $ref is the reference the encoder
// writes for the value that $id named, by index in the Writer's object
// tables. What the scanner does not write the same way, and every error
// the value model reports, stops it with bail set: the caller then goes
// through the value model, which says the error (nothing is written
// before that is known).

// keepMembers is how many data members of an annotated object are kept
// in a list; past it, the object is written from its text.
const keepMembers = 16

// tkv is a member of an object whose names are read first: its name as
// written in the JSON (unescaped) and its value's place in the text.
type tkv struct {
	key        string
	start, end int
}

// idRef is where the value a typed "$id" named was written: its index
// in the AMF0 and AMF3 object tables (-1: not written in that version)
// and its kind, for the marker of an AMF3 reference.
type idRef struct {
	idx0, idx3 int
	kind       amf.Kind
	vec        amf.VectorType // of a KindVector
}

// idTable holds where each $id's value was written, four bytes an id:
// ids numbered from 1 in document order (as convert --typed writes them)
// by position, others in a map.
type idTable struct {
	dense  []uint32 // by id-1; 0: no such $id yet
	sparse map[int64]uint32

	// With track, the ids set since the last forget (jsonpacket.go).
	track bool
	added []int64
}

// The packing of an idRef: the index, its kind, its version.
const (
	idIndexBits = 27
	idNoIndex   = 1<<idIndexBits - 1 // too high to be referred to: written again, as the encoder does
	idAMF3      = 1 << 31
)

// idKinds are the kinds of value an $id names, by their number in the
// packing (four bits).
var idKinds = [...]idKind{{}, {amf.KindObject, 0}, {amf.KindDate, 0}, {amf.KindByteArray, 0}, {amf.KindXML, 0},
	{amf.KindXMLDocument, 0}, {amf.KindECMAArray, 0}, {amf.KindArray, 0}, {amf.KindDictionary, 0},
	{amf.KindVector, amf.VectorInt}, {amf.KindVector, amf.VectorUint}, {amf.KindVector, amf.VectorDouble}, {amf.KindVector, amf.VectorObject}}

type idKind struct {
	kind amf.Kind
	vec  amf.VectorType
}

func (t *idTable) get(id int64) (idRef, bool) {
	var e uint32
	if id >= 1 && id-1 < int64(len(t.dense)) {
		e = t.dense[id-1]
	} else {
		e = t.sparse[id]
	}
	if e == 0 {
		return idRef{}, false
	}
	k := idKinds[e>>idIndexBits&15]
	ref := idRef{idx0: -1, idx3: -1, kind: k.kind, vec: k.vec}
	if i := int(e & idNoIndex); i != idNoIndex {
		if e&idAMF3 != 0 {
			ref.idx3 = i
		} else {
			ref.idx0 = i
		}
	}
	return ref, true
}

func (t *idTable) set(id int64, ver amf.Version, idx int, kind amf.Kind, vec amf.VectorType) {
	e := uint32(idNoIndex)
	if idx >= 0 && idx < idNoIndex {
		e = uint32(idx)
	}
	for k, kk := range idKinds {
		if kk.kind == kind && kk.vec == vec && k > 0 {
			e |= uint32(k) << idIndexBits
		}
	}
	if ver == amf.AMF3 {
		e |= idAMF3
	}
	if t.track {
		t.added = append(t.added, id)
	}
	if id >= 1 && id-1 < int64(len(t.dense))+4096+int64(len(t.dense)) {
		for int64(len(t.dense)) < id {
			t.dense = append(t.dense, 0)
		}
		t.dense[id-1] = e
		return
	}
	if t.sparse == nil {
		t.sparse = make(map[int64]uint32)
	}
	t.sparse[id] = e
}

// annotation reports whether k is a typed-form key that gives an object
// its kind, identity or traits (anything else starting with "$" is a
// data name, escaped).
func annotation(k string) bool {
	if len(k) < 3 || k[0] != '$' || k[1] == '$' {
		return false // most names: no map lookup
	}
	return k == "$id" || k == "$class" || k == "$traits" || kinds[k]
}

// result is the gjson view of the text data[start:end], with offsets in
// the whole input, for the value model's readers of small annotated
// values ($date, $double, $traits...).
func (j *jsonAMF) result(start, end int) gjson.Result {
	res := gjson.Parse(j.text[start:end])
	res.Index += start
	return res
}

// strAt returns the text of the JSON string data[start:end] (quotes
// included), unescaped as gjson unescapes it.
func (j *jsonAMF) strAt(start, end int) string {
	s := j.text[start+1 : end-1]
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	return j.result(start, end).Str
}

// wholeAt reads the value at data[start:end] as wholeNumber does.
func (j *jsonAMF) wholeAt(start, end int) (int64, bool) {
	raw := j.text[start:end]
	if raw == "" || raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') || strings.ContainsAny(raw, ".eE") {
		return 0, false
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil
}

// lookObject reads the members of the object at data[i] ('{'): their
// names and where their values are (each value checked), pushed on
// j.kv; it returns the offset after the object.
func (j *jsonAMF) lookObject(i int) (int, bool) {
	return j.eachMember(i, func(k string, start int) (int, bool) {
		end, ok := j.check(start)
		if ok {
			j.kv = append(j.kv, tkv{k, start, end})
		}
		return end, ok
	})
}

// eachMember walks the members of the object at data[i] ('{'): for
// each, fn gets its name and where its value starts, and returns the
// offset after the value. It returns the offset after the object.
func (j *jsonAMF) eachMember(i int, fn func(k string, start int) (int, bool)) (int, bool) {
	data := j.data
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(data) || data[i] != '"' {
			return i, false
		}
		k, next, ok := j.str(i)
		if !ok {
			return i, false
		}
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return i, false
		}
		i = skipSpace(data, i+1)
		if i >= len(data) {
			return i, false
		}
		if i, ok = fn(k, i); !ok {
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
			return i + 1, true
		default:
			return i, false
		}
	}
}

// streamMembers writes the members of the object at data[i] ('{', its
// text checked before) as names and values, inside the annotated value
// at path; it reads them from the text, not from a list, so that memory
// does not grow with their number.
func (j *jsonAMF) streamMembers(i int, path string) bool {
	j.depth++
	_, ok := j.eachMember(i, func(k string, start int) (int, bool) {
		j.w.WriteName(dataName(k))
		next, ok := j.member(tkv{key: k, start: start})
		if !ok && j.err != nil {
			j.err.Path = path + j.err.Path
		}
		return next, ok
	})
	j.depth--
	return ok
}

// countMembers counts the members of the object at data[i] and reports
// whether one has a data name that is empty.
func (j *jsonAMF) countMembers(i int) (n int, empty, ok bool) {
	j.depth++
	defer func() { j.depth-- }()
	names := j.dups.namesAt(j.depth)
	_, ok = j.eachMember(i, func(k string, start int) (int, bool) {
		n++
		name := dataName(k)
		empty = empty || name == ""
		names.add(name, k, start)
		return j.check(start)
	})
	return n, empty, ok
}

// streamBase64 is the length from which a $bytes value is decoded as it
// is written, when it can be (see plainBase64).
const streamBase64 = 64 << 10

// plainBase64 reports whether s is padded standard base64 with nothing
// else (no white space), which base64.StdEncoding decodes as
// decodeBase64 does, and the length of its bytes.
func plainBase64(s string) (int64, bool) {
	if len(s)%4 != 0 {
		return 0, false
	}
	body := strings.TrimSuffix(strings.TrimSuffix(s, "="), "=")
	for i := 0; i < len(body); i++ {
		if !base64Alphabet[body[i]] {
			return 0, false
		}
	}
	return int64(len(s)/4*3 - (len(s) - len(body))), true
}

var base64Alphabet = func() (t [256]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/" {
		t[c] = true
	}
	return t
}()

// quickKind writes the two annotated values typed JSON holds most,
// {"$date": "..."} and {"$ref": N} with nothing else, without a list of
// members; false (nothing written) for anything else.
func (j *jsonAMF) quickKind(i int) (int, bool) {
	data := j.data
	k := skipSpace(data, i+1)
	var date bool
	switch {
	case len(data)-k > 8 && string(data[k:k+7]) == `"$date"`:
		date, k = true, k+7
	case len(data)-k > 7 && string(data[k:k+6]) == `"$ref"`:
		k += 6
	default:
		return 0, false
	}
	if k = skipSpace(data, k); k >= len(data) || data[k] != ':' {
		return 0, false
	}
	start := skipSpace(data, k+1)
	var end int
	if date {
		if start >= len(data) || data[start] != '"' {
			return 0, false
		}
		s, next, ok := j.str(start)
		if !ok || next-start-2 != len(s) { // escaped: the general path
			return 0, false
		}
		end = next
	} else {
		next, _, _, kind := readNumber(j.text, start)
		if kind != numInt && kind != numLongInt {
			return 0, false
		}
		end = next
	}
	if k = skipSpace(data, end); k >= len(data) || data[k] != '}' {
		return 0, false
	}
	w := j.w
	if date {
		ms, why := parseDateText(j.text[start+1 : end-1])
		if why != "" {
			return 0, false // the value model's error
		}
		w.WriteDate(ms, 0)
		return k + 1, true
	}
	r, ok := j.wholeAt(start, end)
	if !ok {
		return 0, false
	}
	ref, ok := j.ids.get(r)
	if !ok || w.Version() != amf.AMF3 || ref.idx3 < 0 || ref.kind == amf.KindVector {
		return 0, false
	}
	w.WriteRefAs(ref.kind, ref.idx3)
	return k + 1, true
}

// quickAMF3 writes {"$amf3": value} (the name as it is, no escapes)
// without reading its members first: the value is written as it is read
// (the list of members would check all of it once more before), then the
// object must end. Anything after the value is an $id, another kind or a
// member the value model has its own rules or error for: bail, having
// written what the caller drops. Done false: not such an object, nothing
// written.
func (j *jsonAMF) quickAMF3(i int) (end int, ok, done bool) {
	data := j.data
	k := skipSpace(data, i+1)
	if len(data)-k <= 8 || string(data[k:k+7]) != `"$amf3"` {
		return 0, false, false
	}
	if k = skipSpace(data, k+7); k >= len(data) || data[k] != ':' {
		return 0, false, false
	}
	start := skipSpace(data, k+1)
	if start >= len(data) {
		return 0, false, false
	}
	if j.in3 > 0 {
		end, ok := j.bailAt(i) // the value model's error
		return end, ok, true
	}
	if j.w.Version() == amf.AMF0 {
		j.w.Switch()
	} else if !j.amf0 {
		j.dups.noteWrap(start) // AMF3 output: no switch, warned of
	}
	j.in3++
	next, ok := j.value(start)
	j.in3--
	if !ok {
		if j.err != nil {
			j.err.Path = "/$amf3" + j.err.Path
		}
		return i, false, true
	}
	if next = skipSpace(data, next); next < len(data) && data[next] == '}' {
		return next + 1, true, true
	}
	end, ok = j.bailAt(i)
	return end, ok, true
}

// typedObject writes the object at data[i] ('{', its depth counted) from
// the list of its members, annotations and all.
func (j *jsonAMF) typedObject(i int) (int, bool) {
	if end, ok, done := j.quickAMF3(i); done {
		return end, ok
	}
	if end, ok := j.quickKind(i); ok {
		return end, true
	}
	base := len(j.kv)
	defer func() { j.kv = j.kv[:base] }()
	// The annotations, and the first data members: an object of many
	// members is written from its text, not from a list, unless its
	// traits need their names.
	data, truncated, emptyName := 0, false, false
	end, ok := j.eachMember(i, func(k string, start int) (int, bool) {
		e, ok := j.check(start)
		if !ok {
			return e, false
		}
		switch {
		case annotation(k):
		case data < keepMembers:
			data++
			emptyName = emptyName || k == "" || k[0] == '$' && dataName(k) == ""
		default:
			truncated = true
			emptyName = emptyName || k == "" || k[0] == '$' && dataName(k) == ""
			return e, true
		}
		j.kv = append(j.kv, tkv{k, start, e})
		return e, true
	})
	if !ok {
		return end, false
	}
	n := len(j.kv) - base

	// The annotations, read in order as the value model reads them.
	kind, kindAt := "", -1
	class, traits := -1, -1
	var id int64
	for x := base; x < base+n; x++ {
		p := j.kv[x]
		if p.key == "" || p.key[0] != '$' {
			continue // a data member
		}
		switch k := p.key; {
		case k == "$id":
			v, ok := j.wholeAt(p.start, p.end)
			if !ok || v < 1 || id != 0 {
				return j.bailAt(i) // id != 0: given twice
			}
			if _, dup := j.ids.get(v); dup {
				return j.bailAt(i)
			}
			id = v
		case k == "$class":
			if j.data[p.start] != '"' || class >= 0 {
				return j.bailAt(i)
			}
			class = x
		case k == "$traits":
			if traits >= 0 {
				return j.bailAt(i)
			}
			traits = x
		case kinds[k]:
			if kind != "" && !(kind == "$assoc" && k == "$dense" || kind == "$dense" && k == "$assoc") {
				return j.bailAt(i)
			}
			if kind == "" {
				kind, kindAt = k, x
			}
		}
	}
	if kind != "" {
		if class >= 0 || truncated {
			return j.bailAt(i) // the value model's error
		}
		return j.kindValue(i, end, base, n, kind, kindAt, id)
	}
	w := j.w
	ver := w.Version()
	if truncated {
		if class < 0 && traits < 0 {
			// Anonymous and dynamic: its members as they are read.
			if ver == amf.AMF3 && emptyName {
				return j.bailAt(i) // the encoder's error
			}
			if id != 0 {
				j.register(id, amf.KindObject)
			}
			w.BeginObject(nil)
			keys := j.dups.namesAt(j.depth)
			_, ok := j.eachMember(i, func(k string, start int) (int, bool) {
				switch k {
				case "$id", "$class", "$traits":
					return j.check(start)
				}
				keys.add(dataName(k), k, start)
				w.WriteName(dataName(k))
				return j.member(tkv{key: k, start: start})
			})
			if !ok {
				return i, false
			}
			w.End()
			return end, true
		}
		// Sealed or typed: the traits need every name.
		j.kv = j.kv[:base]
		if _, ok := j.lookObject(i); !ok {
			return i, false
		}
		n = len(j.kv) - base
		for x := base; x < base+n; x++ {
			switch k := j.kv[x].key; k {
			case "$class":
				class = x
			case "$traits":
				traits = x
			}
		}
	}

	// Its members given twice, noted (the value model notes them in
	// objects, not beside the annotation of another kind).
	keys := j.dups.namesAt(j.depth)
	for x := base; x < base+n; x++ {
		switch p := j.kv[x]; p.key {
		case "$id", "$class", "$traits":
		default:
			keys.add(dataName(p.key), p.key, p.start)
		}
	}

	// An object: anonymous, typed, or with traits of its own.
	cls := ""
	if class >= 0 {
		p := j.kv[class]
		cls = dataName(j.strAt(p.start, p.end))
		if cls != j.lastClass {
			if !amf.IsExternalizable(cls) {
				j.lastClass = cls
			} else if end, ok, done := j.wrapper(i, end, base, n, cls, traits >= 0, id); done {
				return end, ok
			}
		}
	}
	var t *amf.Traits
	if traits >= 0 {
		p := j.kv[traits]
		var err error
		if t, err = j.reader().traitsOf(j.result(p.start, p.end), cls); err != nil || t.Externalizable {
			return j.bailAt(i)
		}
	}
	// The members, their names as the data has them.
	names := j.names0[:0]
	for x := base; x < base+n; x++ {
		switch k := j.kv[x].key; k {
		case "$id", "$class", "$traits":
		default:
			names = append(names, dataName(k))
		}
	}
	j.names0 = names[:0]
	sealed := 0
	if ver == amf.AMF3 {
		// The encoder's checks of members against traits: what it
		// refuses, it says.
		dynamic := true
		switch {
		case t != nil:
			if len(names) < len(t.Sealed) {
				return j.bailAt(i)
			}
			for s, name := range t.Sealed {
				if names[s] != name {
					return j.bailAt(i)
				}
			}
			sealed, dynamic = len(t.Sealed), t.Dynamic
		case cls != "":
			sealed, dynamic = len(names), false
		}
		if !dynamic && len(names) > sealed {
			return j.bailAt(i)
		}
		for _, name := range names[sealed:] {
			if name == "" {
				return j.bailAt(i)
			}
		}
	}
	if id != 0 {
		j.register(id, amf.KindObject)
	}
	if ver == amf.AMF3 && t == nil && cls == "" {
		w.BeginObject(nil)
	} else if ver == amf.AMF3 {
		// names is scratch: BeginClassObject copies what it keeps.
		w.BeginClassObject(cls, names, t)
	} else {
		w.BeginClassObject(cls, nil, nil)
	}
	m := 0
	for x := base; x < base+n; x++ {
		p := j.kv[x]
		switch p.key {
		case "$id", "$class", "$traits":
			continue
		}
		if m >= sealed || ver == amf.AMF0 {
			w.WriteName(dataName(p.key))
		}
		m++
		if _, ok := j.member(p); !ok {
			return i, false
		}
	}
	w.End()
	return end, true
}

// member writes the value of member p, adding its name to the path of
// an error of this path's own.
func (j *jsonAMF) member(p tkv) (int, bool) {
	next, ok := j.value(p.start)
	if !ok {
		if j.err != nil {
			j.err.Path = "/" + escapePointer(p.key) + j.err.Path
		}
		return next, false
	}
	return next, true
}

// register records that the value $id id names is the next complex
// value written, in the Writer's current version.
func (j *jsonAMF) register(id int64, kind amf.Kind) {
	j.ids.set(id, j.w.Version(), j.w.NextRef(), kind, 0)
}

// first returns the first member named key of j.kv[base:base+n] (the
// one the value model's get finds), or -1.
func (j *jsonAMF) first(base, n int, key string) int {
	for x := base; x < base+n; x++ {
		if j.kv[x].key == key {
			return x
		}
	}
	return -1
}

// bailAt leaves the document to the value model.
func (j *jsonAMF) bailAt(i int) (int, bool) {
	j.bail = true
	return i, false
}

// kindValue writes an annotated value ({"$date": ...}, {"$ref": N}...)
// whose members are j.kv[base:base+n].
func (j *jsonAMF) kindValue(i, end, base, n int, kind string, kindAt int, id int64) (int, bool) {
	w := j.w
	ver := w.Version()
	// Only the members the value model allows beside the kind.
	for x := base; x < base+n; x++ {
		k := j.kv[x].key
		if k == "$id" || k == kind || kind == "$date" && k == "$tz" || kind == "$ecma" && k == "$count" ||
			kind == "$vector" && (k == "fixed" || k == "items" || k == "type") || kind == "$dictionary" && k == "weakKeys" ||
			(kind == "$assoc" || kind == "$dense") && (k == "$assoc" || k == "$dense") {
			if j.first(base, n, k) == x {
				continue
			}
		}
		return j.bailAt(i) // not allowed, or given twice: the value model's error
	}
	if kind == "$dense" {
		kind = "$assoc"
	}
	p := j.kv[kindAt]
	switch kind {
	case "$date", "$bytes", "$xml", "$xmldoc", "$ecma", "$assoc", "$vector", "$dictionary":
	default:
		if id != 0 {
			// The value model registers some of these as the value
			// inside, some not at all: its rules, its path.
			return j.bailAt(i)
		}
	}
	switch kind {
	case "$ref":
		r, ok := j.wholeAt(p.start, p.end)
		if !ok {
			return j.bailAt(i)
		}
		ref, ok := j.ids.get(r)
		if !ok {
			if !j.look {
				// Its $id may be in an object around it, after a data
				// member: names first.
				j.surprise = true
				return i, false
			}
			return j.bailAt(i)
		}
		if ver == amf.AMF0 && (ref.kind == amf.KindByteArray || ref.kind == amf.KindXML || ref.kind == amf.KindVector || ref.kind == amf.KindDictionary) {
			// AMF3 alone: through the switch, as the encoder writes it.
			w.Switch()
			ver = amf.AMF3
		}
		switch {
		case ver == amf.AMF3 && ref.idx3 >= 0 && ref.kind == amf.KindVector:
			w.WriteRefVector(ref.vec, ref.idx3)
		case ver == amf.AMF3 && ref.idx3 >= 0:
			w.WriteRefAs(ref.kind, ref.idx3)
		case ver == amf.AMF0 && (ref.kind == amf.KindObject || ref.kind == amf.KindECMAArray || ref.kind == amf.KindArray) &&
			ref.idx0 >= 0 && ref.idx0 <= math.MaxUint16 && w.CanRefer(ref.idx0):
			w.WriteRef(ref.idx0)
		default:
			// Written in the other version only, a date or XML
			// document in AMF0, or a value after an XML document
			// (amf.Writer.CanRefer): the encoder writes it again in
			// full.
			return j.bailAt(i)
		}
	case "$amf3":
		if j.in3 > 0 {
			return j.bailAt(i) // the value model's error
		}
		if ver == amf.AMF0 {
			w.Switch()
		} else if !j.amf0 {
			j.dups.noteWrap(p.start) // AMF3 output: no switch, warned of
		}
		j.in3++
		_, ok := j.value(p.start)
		j.in3--
		if !ok {
			if j.err != nil {
				j.err.Path = "/$amf3" + j.err.Path
			}
			return i, false
		}
	case "$undefined":
		if j.result(p.start, p.end).Type != gjson.True {
			return j.bailAt(i) // the value path says what is wrong
		}
		w.WriteUndefined()
	case "$double":
		f, err := j.reader().double(j.result(p.start, p.end))
		if err != nil {
			return j.bailAt(i)
		}
		w.WriteDouble(f)
	case "$latin1":
		s, err := j.reader().latin1(j.result(p.start, p.end))
		if err != nil {
			return j.bailAt(i)
		}
		w.WriteString(s)
	case "$date":
		// The value model's rules (reader.date), its errors left to it.
		ms, err := j.reader().dateMs(j.result(p.start, p.end))
		if err != nil {
			return j.bailAt(i)
		}
		var zone int16
		if x := j.first(base, n, "$tz"); x >= 0 {
			q := j.kv[x]
			var ok bool
			if zone, ok = zoneOf(j.wholeAt(q.start, q.end)); !ok {
				return j.bailAt(i)
			}
			j.dups.noteTZ(zone, ver == amf.AMF3, q.start)
		}
		if id != 0 {
			j.register(id, amf.KindDate)
		}
		w.WriteDate(ms, zone)
	case "$bytes":
		if raw := j.text[p.start:p.end]; len(raw) > streamBase64 && raw[0] == '"' {
			if n, ok := plainBase64(raw[1 : len(raw)-1]); ok && w.CanStreamByteArray() {
				// Decoded as it is written: memory does not grow with it.
				if ver == amf.AMF0 {
					w.Switch()
				}
				if id != 0 {
					j.register(id, amf.KindByteArray)
				}
				w.WriteByteArrayFrom(base64.NewDecoder(base64.StdEncoding, strings.NewReader(raw[1:len(raw)-1])), n)
				return end, true
			}
		}
		v := j.result(p.start, p.end)
		if v.Type != gjson.String {
			return j.bailAt(i)
		}
		b, err := decodeBase64(v.Str)
		if err != nil {
			return j.bailAt(i)
		}
		if ver == amf.AMF0 {
			w.Switch()
		}
		if id != 0 {
			j.register(id, amf.KindByteArray)
		}
		w.WriteByteArray(b)
	case "$xml", "$xmldoc":
		v := j.result(p.start, p.end)
		text := v.Str
		if v.IsObject() && v.Get(`\$latin1`).Exists() {
			var err error
			if text, err = j.reader().latin1(v.Get(`\$latin1`)); err != nil {
				return j.bailAt(i)
			}
		} else if v.Type != gjson.String {
			return j.bailAt(i)
		}
		doc := kind == "$xmldoc"
		k := amf.KindXMLDocument
		if !doc {
			k = amf.KindXML
			if ver == amf.AMF0 {
				w.Switch()
			}
		}
		if id != 0 {
			j.register(id, k)
		}
		w.WriteXML(text, doc)
	case "$ecma":
		return j.ecma(i, end, base, n, p, id)
	case "$assoc":
		return j.assoc(i, end, base, n, id)
	case "$vector":
		return j.vector(i, end, base, n, p, id)
	case "$dictionary":
		return j.dictionary(i, end, base, n, p, id)
	default:
		// $unsupported: the value model's.
		return j.bailAt(i)
	}
	return end, true
}

// ecma writes {"$ecma": {...}, "$count": N}: an AMF0 ECMA array, or in
// AMF3 an array of associative members alone, as the encoder writes an
// amf.ECMAArray.
func (j *jsonAMF) ecma(i, end, base, n int, p tkv, id int64) (int, bool) {
	w := j.w
	if j.data[p.start] != '{' {
		return j.bailAt(i)
	}
	count := -1
	if x := j.first(base, n, "$count"); x >= 0 {
		q := j.kv[x]
		v, ok := j.wholeAt(q.start, q.end)
		if !ok || v < 0 || v > math.MaxUint32 {
			return j.bailAt(i)
		}
		count = int(v)
	}
	m, empty, ok := j.countMembers(p.start)
	if !ok {
		return i, false
	}
	if count < 0 {
		count = m
	}
	if w.Version() == amf.AMF3 && empty {
		return j.bailAt(i) // the encoder's error
	}
	if id != 0 {
		j.register(id, amf.KindECMAArray)
	}
	if w.Version() == amf.AMF0 {
		w.BeginECMAArray(count)
	} else {
		w.BeginAssocArray(0)
	}
	if !j.streamMembers(p.start, "/$ecma") {
		return i, false
	}
	w.End()
	return end, true
}

// assoc writes {"$assoc": {...}, "$dense": [...]}: an AMF3 array with
// both parts (through the switch in AMF0), or with no associative
// members a dense array, as the encoder writes an amf.Array.
func (j *jsonAMF) assoc(i, end, base, n int, id int64) (int, bool) {
	w := j.w
	aAt, dAt := j.first(base, n, "$assoc"), j.first(base, n, "$dense")
	m := 0
	if aAt >= 0 {
		p := j.kv[aAt]
		if j.data[p.start] != '{' {
			return j.bailAt(i)
		}
		var empty, ok bool
		if m, empty, ok = j.countMembers(p.start); !ok {
			return i, false
		}
		if empty {
			return j.bailAt(i) // the encoder's error
		}
	}
	items, dense := 0, -1
	if dAt >= 0 {
		dense = j.kv[dAt].start
		if j.data[dense] != '[' {
			return j.bailAt(i)
		}
		var ok bool
		if items, ok = j.countItems(dense); !ok {
			return i, false
		}
	}
	if m > 0 && w.Version() == amf.AMF0 {
		w.Switch()
	}
	if id != 0 {
		j.register(id, amf.KindArray)
	}
	if m == 0 {
		w.BeginArray(items)
	} else {
		w.BeginAssocArray(items)
		if !j.streamMembers(j.kv[aAt].start, "/$assoc") {
			return i, false
		}
		w.BeginDense()
	}
	if dense >= 0 {
		j.depth++
		k, next := 0, skipSpace(j.data, dense+1)
		for ; k < items; k++ {
			var ok bool
			if next, ok = j.value(next); !ok {
				if j.err != nil {
					j.err.Path = "/$dense/" + strconv.Itoa(k) + j.err.Path
				}
				return i, false
			}
			next = skipSpace(j.data, next)
			if j.data[next] == ',' {
				next = skipSpace(j.data, next+1)
			}
		}
		j.depth--
	}
	w.End()
	return end, true
}

// reader returns the value model's reader the scanner reads small
// annotated values and traits with (made when first needed).
func (j *jsonAMF) reader() *reader {
	if j.r == nil {
		j.r = newReader(j.data)
	}
	return j.r
}

// typedObjectAt is typedObject for object, which counted its depth.
func (j *jsonAMF) typedObjectAt(i int) (int, bool) {
	end, ok := j.typedObject(i)
	if ok {
		j.depth--
	}
	return end, ok
}

// countItems counts the items of the array at data[i] ('['), checking
// them as splitValues does.
func (j *jsonAMF) countItems(i int) (int, bool) {
	data := j.data
	j.depth++
	defer func() { j.depth-- }()
	if j.depth > MaxJSONDepth {
		return 0, false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == ']' {
		return 0, true
	}
	for n := 1; ; n++ {
		if i >= len(data) {
			return 0, false
		}
		var ok bool
		if i, ok = j.check(i); !ok {
			return 0, false
		}
		if i = skipSpace(data, i); i >= len(data) {
			return 0, false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case ']':
			return n, true
		default:
			return 0, false
		}
	}
}

// wrapper writes an object of an externalizable class: a Flex wrapper
// (ArrayCollection, ArrayList, ObjectProxy) whose one member is its
// field, as the encoder writes it (through the switch in AMF0). Done
// false: an AMF0 typed object after all, which the encoder writes for a
// wrapper class whose members do not fit it; anything else is the value
// model's.
func (j *jsonAMF) wrapper(i, end, base, n int, cls string, traits bool, id int64) (_ int, _ bool, done bool) {
	w := j.w
	field := amf.WrapperField(cls)
	at := -1
	members := 0
	for x := base; x < base+n; x++ {
		switch k := j.kv[x].key; k {
		case "$id", "$class", "$traits":
		default:
			members++
			if dataName(k) == field {
				at = x
			}
		}
	}
	if traits || field == "" {
		end, ok := j.bailAt(i)
		return end, ok, true
	}
	if members != 1 || at < 0 {
		if w.Version() == amf.AMF0 {
			return 0, false, false
		}
		end, ok := j.bailAt(i) // the encoder's error
		return end, ok, true
	}
	if !j.wrapperHolds(field, j.kv[at].start) {
		end, ok := j.bailAt(i) // the value model's error, or a $ref it follows
		return end, ok, true
	}
	if w.Version() == amf.AMF0 {
		w.Switch()
	}
	if id != 0 {
		j.register(id, amf.KindObject)
	}
	w.BeginWrapper(cls)
	if _, ok := j.member(j.kv[at]); !ok {
		return i, false, true
	}
	return end, true, true
}

// wrapperHolds reports whether the value at data[start], the one
// member of a Flex wrapper, is plainly what the class holds (as the
// value model's wrapperHolds checks): an array for "source"; for
// "object", an object with no annotation that makes it another kind
// ({"$date": ...}, {"$ref": N}). Anything else is left to the value
// model.
func (j *jsonAMF) wrapperHolds(field string, start int) bool {
	switch c := j.data[start]; {
	case field == "source":
		return c == '['
	case c != '{':
		return false
	}
	kind := false
	j.depth++
	_, ok := j.eachMember(start, func(k string, at int) (int, bool) {
		kind = kind || kinds[k]
		return j.check(at)
	})
	j.depth--
	return ok && !kind
}

// vector writes {"$vector": "int", "fixed": false, "type": T, "items":
// [...]} as the encoder writes an amf.Vector (through the switch in
// AMF0).
func (j *jsonAMF) vector(i, end, base, n int, p tkv, id int64) (int, bool) {
	w := j.w
	var vt amf.VectorType
	switch j.text[p.start:p.end] {
	case `"int"`:
		vt = amf.VectorInt
	case `"uint"`:
		vt = amf.VectorUint
	case `"double"`:
		vt = amf.VectorDouble
	case `"object"`:
		vt = amf.VectorObject
	default:
		return j.bailAt(i) // an error, or written with escapes: the model's
	}
	fixed, objType, itemsAt := false, "", -1
	if x := j.first(base, n, "fixed"); x >= 0 {
		fixed = j.text[j.kv[x].start:j.kv[x].end] == "true"
	}
	if x := j.first(base, n, "type"); x >= 0 && j.data[j.kv[x].start] == '"' {
		objType = dataName(j.strAt(j.kv[x].start, j.kv[x].end))
	}
	if x := j.first(base, n, "items"); x >= 0 {
		itemsAt = j.kv[x].start
	}
	items := 0
	if itemsAt >= 0 {
		if j.data[itemsAt] != '[' {
			return j.bailAt(i)
		}
		var ok bool
		if items, ok = j.countItems(itemsAt); !ok {
			return i, false
		}
	}
	if w.Version() == amf.AMF0 {
		w.Switch()
	}
	if id != 0 {
		j.ids.set(id, w.Version(), w.NextRef(), amf.KindVector, vt)
	}
	w.BeginVector(vt, items, fixed, objType)
	if itemsAt >= 0 {
		j.depth++
		next := skipSpace(j.data, itemsAt+1)
		for k := 0; k < items; k++ {
			start := next
			var ok bool
			if next, ok = j.check(start); !ok {
				return i, false
			}
			switch vt {
			case amf.VectorInt, amf.VectorUint:
				v, ok := j.wholeAt(start, next)
				lo, hi := int64(math.MinInt32), int64(math.MaxInt32)
				if vt == amf.VectorUint {
					lo, hi = 0, math.MaxUint32
				}
				if !ok || v < lo || v > hi {
					return j.bailAt(i)
				}
				w.WriteVectorInt(v)
			case amf.VectorDouble:
				f, err := j.reader().double(j.result(start, next))
				if err != nil {
					return j.bailAt(i)
				}
				w.WriteVectorDouble(f)
			default:
				if _, ok := j.value(start); !ok {
					if j.err != nil {
						j.err.Path = "/items/" + strconv.Itoa(k) + j.err.Path
					}
					return i, false
				}
			}
			next = skipSpace(j.data, next)
			if next < len(j.data) && j.data[next] == ',' {
				next = skipSpace(j.data, next+1)
			}
		}
		j.depth--
	}
	w.End()
	return end, true
}

// dictionary writes {"$dictionary": [[key, value]...], "weakKeys": false}
// as the encoder writes an amf.Dictionary (through the switch in AMF0).
func (j *jsonAMF) dictionary(i, end, base, n int, p tkv, id int64) (int, bool) {
	w := j.w
	if j.data[p.start] != '[' {
		return j.bailAt(i)
	}
	weak := false
	if x := j.first(base, n, "weakKeys"); x >= 0 {
		weak = j.text[j.kv[x].start:j.kv[x].end] == "true"
	}
	entries, ok := j.countItems(p.start)
	if !ok {
		return i, false
	}
	// Each entry a [key, value] pair, or the model's error.
	next := skipSpace(j.data, p.start+1)
	for k := 0; k < entries; k++ {
		if j.data[next] != '[' {
			return j.bailAt(i)
		}
		if c, _ := j.countItems(next); c != 2 {
			return j.bailAt(i)
		}
		next, _ = j.check(next)
		next = skipSpace(j.data, next)
		if next < len(j.data) && j.data[next] == ',' {
			next = skipSpace(j.data, next+1)
		}
	}
	if w.Version() == amf.AMF0 {
		w.Switch()
	}
	if id != 0 {
		j.register(id, amf.KindDictionary)
	}
	w.BeginDictionary(entries, weak)
	j.depth += 2
	next = skipSpace(j.data, p.start+1)
	for k := 0; k < entries; k++ {
		e := skipSpace(j.data, next+1) // the key, inside the pair
		for half := 0; half < 2; half++ {
			var ok bool
			if e, ok = j.value(e); !ok {
				if j.err != nil {
					j.err.Path = "/$dictionary/" + strconv.Itoa(k) + "/" + strconv.Itoa(half) + j.err.Path
				}
				return i, false
			}
			e = skipSpace(j.data, e)
			e = skipSpace(j.data, e+1) // past the comma, or the closing bracket
		}
		next = e
		if next < len(j.data) && j.data[next] == ',' {
			next = skipSpace(j.data, next+1)
		}
	}
	j.depth -= 2
	w.End()
	return end, true
}

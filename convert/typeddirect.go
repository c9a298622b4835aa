package convert

// The typed form of bare AMF values, written straight from the tokens of
// an amf.Reader in two passes, so that memory does not grow with the
// input (issue 7): the value path (amf.UnmarshalAll, then AppendValues)
// holds the whole value model and the whole output.
//
// Typed JSON puts "$id" on the first occurrence of a value that is
// referenced later, so the writer must know in advance which values are
// referenced: the first pass reads every token (ReadBatch runs, which
// never hold a reference, and NextToken) and marks, per object table,
// the indexes a reference points to. It also reads the input whole, so
// every error the value decoder would meet is met there, before any
// output: the Reader's error is then the value decoder's (the same text,
// offset and path; errpath_test.go checks it), returned without building
// the value model. The second pass reads the same input again and writes.
//
// The output is what AppendValues writes for the values amf.UnmarshalAll
// decodes, byte for byte (TestTypedDirectDifferential and
// FuzzTypedDirect check it): the same $id numbering (document order
// across the values), the same $traits rule (writer.traitsFor: traits
// by identity per table entry, and by content), the same text decoding
// (amf.DecodeText: UTF-8, CESU-8 combined, else $latin1 of the bytes).
//
// Not taken (the value path writes them): AMF0 values holding an AMF3
// object (through the 0x11 switch) inside an AMF0 typed object, where
// the traits rule compares the AMF3 object's traits with the AMF0
// object's canonical ones, its member names, before they are all read
// (traitsClash); input over the value decoder's 1 GiB. Packets and .sol
// files are written by this writer value by value (packetdirect.go,
// soldirect.go), socket frames frame by frame; FLV files and HAR go
// through the value model as before: Load decodes them whole already.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"github.com/amfcall/amfcall/amf"
)

// maxTypedInput is the value decoder's input bound (amf.Decoder.MaxInput,
// which amf.UnmarshalAll uses): larger input takes the value path, for
// its error.
const maxTypedInput = 1 << 30

// typedMarks are the object-table indexes that a reference points to,
// per version: the values typed JSON writes with an "$id".
type typedMarks struct {
	m0, m3 []uint64
	// vectors: the input holds a vector, whose start a BatchToken does
	// not describe (type, fixed flag): the second pass then reads a
	// token at a time.
	vectors bool
	// switches: the input holds AMF0 -> AMF3 switches (0x11).
	switches bool
	// objects0: the input holds an AMF0 object (for traitsClash).
	objects0 bool
	// bigFrom is the first traits-table index plus one of the traits
	// the Reader reads again (amf.Token.TraitsIndex), 0 for none.
	bigFrom int
}

func (m *typedMarks) set(ver amf.Version, i int) {
	p := &m.m3
	if ver == amf.AMF0 {
		p = &m.m0
	}
	w := i >> 6
	if w >= len(*p) {
		*p = append(*p, make([]uint64, w+1-len(*p))...)
	}
	(*p)[w] |= 1 << (uint(i) & 63)
}

// typedIDs are the "$id"s given to the marked entries of one reference
// context, per version: ids[k] is the $id of the k-th marked entry of
// the table (in index order), rank[w] the marked entries before word w
// of the marks. Four bytes a marked entry and half a bit an entry, where
// a map by table index took about 22 (issue 7: 650,000 objects each
// referred to once, in a version-3 batch, held 14 MB that way and
// passed the memory bound).
type typedIDs struct {
	ids0, ids3   []uint32
	rank0, rank3 []uint32
	ready        bool // made for the current marks
}

// prepare sizes the tables for marks (read whole); the ids are 0 until
// given, as a map's lookup of a missing key.
func (d *typedIDs) prepare(m *typedMarks) {
	d.ids0, d.rank0 = prepareIDs(d.ids0, d.rank0, m.m0)
	d.ids3, d.rank3 = prepareIDs(d.ids3, d.rank3, m.m3)
	d.ready = true
}

func prepareIDs(ids, rank []uint32, marks []uint64) ([]uint32, []uint32) {
	rank = rank[:0]
	n := 0
	for _, w := range marks {
		rank = append(rank, uint32(n))
		n += bits.OnesCount64(w)
	}
	if cap(ids) < n {
		ids = make([]uint32, n)
	} else {
		ids = ids[:n]
		clear(ids)
	}
	return ids, rank
}

// slot is the place in ids of the marked entry i of ver's table.
func (d *typedIDs) slot(m *typedMarks, ver amf.Version, i int) *uint32 {
	if !d.ready {
		d.prepare(m)
	}
	marks, ids, rank := m.m3, d.ids3, d.rank3
	if ver == amf.AMF0 {
		marks, ids, rank = m.m0, d.ids0, d.rank0
	}
	w := i >> 6
	return &ids[int(rank[w])+bits.OnesCount64(marks[w]&(1<<(uint(i)&63)-1))]
}

// reset forgets the ids (new marks follow).
func (d *typedIDs) reset() { d.ready = false }

// id is the $id given to entry i of ver's table, a marked one (a
// reference points to it), 0 before it is given.
func (c *typedConv) id(ver amf.Version, i int) int {
	if !c.marks.has(ver, i) {
		return 0
	}
	return int(*c.ids.slot(&c.marks, ver, i))
}

func (m *typedMarks) has(ver amf.Version, i int) bool {
	if i < 0 {
		return false
	}
	s := m.m3
	if ver == amf.AMF0 {
		s = m.m0
	}
	w := i >> 6
	return w < len(s) && s[w]&(1<<(uint(i)&63)) != 0
}

// markRefs is the first pass: it reads every value of data and marks
// the table entries that references point to. It reports false when the
// input does not decode (err is the Reader's error) or holds what the
// direct writer does not take.
func markRefs(r *amf.Reader, batch []amf.BatchToken, marks *typedMarks) (bool, error) {
	return markValues(r, batch, marks, false)
}

// markValues is markRefs of every value, or of the first only (one: a
// frame's payload, whose bytes after the value are not read).
func markValues(r *amf.Reader, batch []amf.BatchToken, marks *typedMarks, one bool) (bool, error) {
	depth := 0 // containers open (one)
	for {
		if k := r.ReadBatch(batch); k > 0 {
			for i := range batch[:k] {
				switch batch[i].Kind {
				case amf.KindVector:
					marks.vectors = true
					depth++
				case amf.KindObject, amf.KindECMAArray, amf.KindArray:
					marks.objects0 = marks.objects0 || batch[i].Kind == amf.KindObject && batch[i].Version == amf.AMF0
					depth++
				case amf.KindEnd:
					depth--
				}
			}
			if one && depth == 0 {
				return true, nil // ReadBatch read up to the value's end
			}
			continue
		}
		t, err := r.NextToken()
		if err != nil {
			if err == io.EOF && !one {
				return true, nil
			}
			return false, err
		}
		switch t.Kind {
		case amf.KindRef:
			marks.set(t.Version, t.Index)
		case amf.KindSwitch, amf.KindName:
			if t.Kind == amf.KindSwitch {
				marks.switches = true
			}
			continue // the value is still to come
		case amf.KindVector:
			marks.vectors = true
			depth++
		case amf.KindObject, amf.KindECMAArray, amf.KindArray, amf.KindDictionary:
			marks.objects0 = marks.objects0 || t.Kind == amf.KindObject && t.Version == amf.AMF0
			if t.TraitsIndex > 0 && (marks.bigFrom == 0 || t.TraitsIndex < marks.bigFrom) {
				marks.bigFrom = t.TraitsIndex
			}
			depth++
		case amf.KindEnd:
			depth--
		}
		if one && depth == 0 {
			return true, nil
		}
	}
}

// tkind is the kind of a container being written.
type tkind uint8

const (
	tObject tkind = iota // members: name, value
	tList                // items
	tECMA                // {"$ecma": {members}, "$count"}
	tMixed               // {"$assoc": {members}, "$dense": [items]}
	tVector              // {"$vector", ..., "items": [items]}
	tDict                // {"$dictionary": [[key, value]...], "weakKeys"}
	tSwitch              // {"$amf3": value}
)

type tframe struct {
	kind  tkind
	first bool // the next member or item is the first
	dense bool // tMixed: in the dense part
	fixed bool // tDict: weak keys
	check bool // tVector: of doubles or objects, whose items the output limit is checked before (writer.vectorItems)
	n     int  // members read (tECMA); values read (tDict)
	count int64
	// names are the member names of an AMF0 typed object (mixed), for
	// its canonical traits; sealed says to collect them.
	names  []string
	sealed bool
	// big: an AMF3 object of traits the Reader read again
	// (Token.TraitsIndex).
	big bool
	// gen, pgen and logAt are as plainConv's frames have them, for
	// member names given twice (nameSeen).
	gen, pgen uint32
	logAt     int32
}

// traitInfo is what the typed form needs of an AMF3 traits table entry:
// its class and sealed names decoded as the value model decodes them.
type traitInfo struct {
	class     string
	sealed    []string
	dynamic   bool
	ext       bool
	canonical bool   // amf.IsCanonicalTraits of an object of these traits
	key       string // the content, for traits equal to earlier ones
}

// typedConv writes typed JSON from the tokens of a Reader.
type typedConv struct {
	w       *writer
	r       *amf.Reader
	marks   typedMarks
	ids     typedIDs // the $ids given, at first occurrence
	stack   []tframe
	names   nameSeen // member names given twice in one object (dupnames.go)
	out     io.Writer
	flushed int
	err     error // writing to out
	// prefixed: the key of the next value is written already.
	prefixed bool

	// The traits seen so far (writer.traitsSeen): by identity and by
	// content.
	tinfo    map[*amf.Traits]*traitInfo
	tclass   []string // the classes of the open frames with sealed set
	lastT    *amf.Traits
	lastInfo *traitInfo
	seenT    map[*amf.Traits]bool
	seenKey  map[string]bool
	lastSeen *amf.Traits // the last traits traitsFor found in seenT, or added

	// Traits the Reader reads again (amf.Token.TraitsIndex: past its
	// first 4,096 entries, in AMF3 input, where typedConv lets it), by
	// table index instead of identity, in bits: bigSeen, those seen;
	// bigDup, those whose content equal traits of a lower index have
	// (traitDups). binfo caches their traitInfo (per index, the index
	// plus one in i). Millions of distinct traits held gigabytes when
	// the Reader kept every one for tinfo and seenT.
	bigSeen, bigDup []uint64
	// freshOn: the value is a packet value of 0x11 switches with fresh
	// tables and no AMF0 object (writePacketTyped), which the Reader
	// reads with them whatever the traits of one switch: the traits
	// rule spans the switches, by content, which seenKey finds for up
	// to maxFreshKeys distinct traits, then traitDups (bigDup, by the
	// traits' number across the switches; freshReady, freshBits) from
	// freshData.
	freshOn, freshReady bool
	freshData           []byte
	binfo               [64]struct {
		i  int
		in traitInfo
	}

	// fast: no colour and no indent; then runs of tokens are read with
	// ReadBatch (when there is no vector), and the JSON of AMF3 table
	// strings is cached: per StrIndex less 1, its bounds in qbuf as a
	// member name (with the ',' before and the ':' after it) and as a
	// string value.
	fast       bool
	qbuf       []byte
	keyq, valq [][2]int32
	// names0 caches AMF0 member names the same way, per BatchToken.Slot
	// less 1: the last name of that Slot (an empty entry when not cached).
	names0 [][2]int32
	// n3 is the AMF3 object-table index the next value that takes a slot
	// gets (a date in a batch has no Index of its own).
	n3 int
	// mixed: AMF0 values with AMF3 ones inside (switches), whose AMF0
	// objects take part in the traits rule with their canonical traits
	// (writer.traitsFor).
	mixed bool
	// keys0: seenKey holds the canonical traits of an AMF0 object
	// (seenContent), which bigTraitsFor looks up.
	keys0 bool
	ver   amf.Version // of the values

	dates *plainConv // for its appendDate only

	// single: one value only (a frame's); values counts those written.
	single bool
	values int
	// part: the value is a packet's header or message value, written
	// inside the packet's JSON (packetdirect.go): no newline after it.
	part bool

	batch [64]amf.BatchToken
}

// maxQbuf bounds the cache of quoted strings, and maxCached the strings
// it takes: short ones recur (names, values from a small set), long ones
// seldom, and copying them into the cache would cost more than it saves
// (and grow the heap with the input). maxIndexed bounds the string-table
// indexes it takes: keyq and valq hold 8 bytes an index up to the
// largest cached, and a table of 15 million inline strings (45 MB of
// input) grew them to 120 MB each.
const (
	maxQbuf    = 4 << 20
	maxCached  = 256
	maxIndexed = 1 << 18
)

// writeTypedDirect writes the typed JSON of the bare values of data to
// out, as WriteAMF with Options.Typed writes them through the value
// model. It reports false, having written nothing, when the input does
// not decode or holds what it does not take: the caller then takes the
// value path.
func writeTypedDirect(out io.Writer, data []byte, ver amf.Version, o *Options) (bool, error) {
	if len(data) == 0 {
		return true, nil // no value: no output, as the value path
	}
	if len(data) > maxTypedInput || (ver != amf.AMF0 && ver != amf.AMF3) {
		return false, nil
	}
	c := typedPool.Get().(*typedConv)
	defer c.release()
	c.reset(o, newLimitWriter(out, o)) // exact: run checks between values
	// The Reader reads traits again past its first 4,096 (TraitsIndex),
	// also in AMF0 input, whose AMF3 tables span its switches: the
	// canonical traits of AMF0 objects between take part in the traits
	// rule by content (mixed, bigTraitsFor).
	c.r.KeepTraits = false
	c.r.NoReplay = true // typed JSON writes {"$ref": id}
	c.r.Reset(data, ver)
	if ok, err := markRefs(c.r, c.batch[:], &c.marks); !ok {
		return false, err // the Reader's error, the value decoder's (errpath)
	}
	if c.marks.switches && c.marks.objects0 {
		// Read again by the same Reader, whose tables are then as the
		// first pass left them (bigDups reads them), and not a second
		// set of them at once.
		c.r.Reset(data, ver)
		if clashReading(c.r) {
			return false, nil
		}
	}
	if !c.bigDups() {
		return false, nil
	}
	c.r.Reset(data, ver)
	if n := min(4*len(data)+64, 2*flushAt); cap(c.w.buf) < n {
		c.w.buf = make([]byte, 0, n)
	}
	err := c.run(ver)
	if err == nil {
		c.w.flushWarn()
	}
	return true, upToLimit(err, c.out, c.w, c.flushed) // exact
}

// bigDups runs traitDups when the first pass (markValues, its Reader
// having read the input whole) met traits read again; false if an entry
// does not read (not expected).
func (c *typedConv) bigDups() bool {
	if c.marks.bigFrom == 0 {
		return true
	}
	var ok bool
	c.bigDup, ok = traitDups(c.r, c.marks.bigFrom-1, c.bigDup)
	return ok
}

// leanFrom is the AMF3 traits a packet's value (its
// amf.PacketPart.Traits) or a .sol file (amf.SOLScan.Traits) registers
// from which writePacketTyped and writeSOLTyped let the Reader read
// traits again (KeepTraits false, and a first pass for bigDups): below,
// it would keep them all anyway (amf's traitFast). (A variable for the
// tests, which lower it.)
var leanFrom = 1 << 12

// Its Reader keeps every traits (KeepTraits): typedConv tells traits
// apart by identity (info, traitsFor), but for the AMF3 input of
// writeTypedDirect, where it tells those the Reader reads again apart by
// their index (bigInfo, bigTraitsFor).
var typedPool = sync.Pool{New: func() any { return &typedConv{w: &writer{}, r: &amf.Reader{KeepTraits: true}, dates: new(plainConv)} }}

// reset readies a pooled typedConv for a conversion, keeping the
// capacity of its buffers and tables.
func (c *typedConv) reset(o *Options, out io.Writer) {
	buf := c.w.buf[:0]
	*c.w = writer{}
	c.w.init(o)
	c.w.buf = buf
	c.out, c.flushed, c.prefixed, c.err = out, 0, false, nil
	c.single, c.values, c.part = false, 0, false
	c.stack = c.stack[:0]
	c.names.reset()
	clear(c.marks.m0)
	clear(c.marks.m3)
	c.marks.vectors, c.marks.switches, c.marks.objects0, c.marks.bigFrom = false, false, false, 0
	clear(c.bigSeen)
	c.bigDup = c.bigDup[:0]
	c.freshOn, c.freshReady, c.freshData = false, false, nil
	for i := range c.binfo {
		c.binfo[i].i = 0
	}
	c.lastSeen = nil
	c.dates.day = math.MinInt64 // no day's text kept
	c.n3 = 0
	c.qbuf = c.qbuf[:0]
	clear(c.keyq)
	clear(c.valq)
	clear(c.names0)
	c.names0 = c.names0[:0]
	c.keyq, c.valq = c.keyq[:0], c.valq[:0]
	c.ids.reset()
	clear(c.tinfo)
	clear(c.seenT)
	clear(c.seenKey)
	c.keys0 = false
	c.lastT, c.lastInfo = nil, nil
}

// forget empties what is kept per AMF3 string-table index and per
// traits at a switch of a Reader with FreshSwitches: the string indexes
// start again there, and neither the strings nor the traits of earlier
// switches are met again (packetdirect.go), so the traits rule
// (traitsFor) finds by identity only traits it cannot meet; by content
// it still finds them all (seenKey).
func (c *typedConv) forget() {
	c.names.forgetTable()
	c.qbuf = c.qbuf[:0]
	clear(c.keyq)
	clear(c.valq)
	clear(c.names0)
	c.keyq, c.valq, c.names0 = c.keyq[:0], c.valq[:0], c.names0[:0]
	clear(c.tinfo)
	clear(c.seenT)
	c.lastT, c.lastInfo, c.lastSeen = nil, nil, nil
}

func (c *typedConv) release() {
	c.out, c.err = nil, nil
	c.r.Reset(nil, amf.AMF3)
	c.r.KeepTraits, c.r.NoReplay = true, false
	c.w.o = Options{}
	c.binfo = [64]struct {
		i  int
		in traitInfo
	}{}
	if len(c.bigSeen)+cap(c.bigDup) > 1<<12 {
		c.bigSeen, c.bigDup = nil, nil
	}
	clear(c.tinfo)
	clear(c.seenT)
	c.lastT, c.lastInfo, c.lastSeen = nil, nil, nil
	c.tclass = c.tclass[:0]
	if cap(c.w.buf) > 4*flushAt || len(c.marks.m0)+len(c.marks.m3) > 1<<16 || cap(c.ids.ids0)+cap(c.ids.ids3) > 1<<16 {
		return // too large to keep
	}
	typedPool.Put(c)
}

// flush writes the buffered output out; the first error writing it is
// kept and returned from then on.
func (c *typedConv) flush() error {
	w := c.w
	if c.err != nil || len(w.buf) == 0 {
		return c.err
	}
	_, c.err = c.out.Write(w.buf)
	c.flushed += len(w.buf)
	w.buf = w.buf[:0]
	return c.err
}

func (c *typedConv) run(ver amf.Version) error {
	w := c.w
	c.fast = w.o.Palette == nil && w.o.Indent == ""
	c.ver = ver
	// AMF3 values inside AMF0 ones go a token at a time: a date in a
	// batch says neither its version nor its index.
	batch := c.fast && !c.marks.vectors && !c.marks.switches
	c.mixed = ver == amf.AMF0 && c.marks.switches
	for {
		if len(w.buf) >= flushAt {
			if err := c.flush(); err != nil {
				return err
			}
		}
		if batch && len(c.stack) > 0 {
			if k := c.r.ReadBatch(c.batch[:]); k > 0 {
				if err := c.writeBatch(c.batch[:k]); err != nil {
					return err
				}
				continue
			}
		}
		if c.single && c.values > 0 && len(c.stack) == 0 && !c.prefixed {
			break // a frame's one value: the bytes after it are dropped
		}
		t, err := c.r.NextToken()
		if err != nil {
			if err == io.EOF {
				break
			}
			return err // not met: the first pass read the same tokens
		}
		if len(c.stack) == 0 && c.flushed+len(w.buf) > w.maxOut {
			// A top-level value: AppendValues checks the output limit
			// before each.
			return w.limitErr()
		}
		switch t.Kind {
		case amf.KindEnd:
			c.end()
			continue
		case amf.KindName:
			si := t.StrIndex
			if c.stack[len(c.stack)-1].big {
				si = 0 // not cached (keyq, qbuf): names of distinct traits seldom recur
			}
			c.name(si, t.Bytes)
			continue
		case amf.KindSwitch:
			if c.r.FreshSwitches {
				c.forget()
			}
			// {"$amf3": value}: a frame that holds the one value.
			if !c.prefixed {
				c.prefix()
			}
			w.open('{')
			w.key("$amf3", true)
			c.push(tframe{kind: tSwitch})
			c.prefixed = true
			continue
		}
		if !c.prefixed {
			c.prefix()
		}
		c.prefixed = false
		// writer.typed checks the output limit before each value, but
		// for the int and uint items of a vector (writer.vectorItems).
		if n := len(c.stack); n > 0 && (c.stack[n-1].kind != tVector || c.stack[n-1].check) && c.flushed+len(w.buf) > w.maxOut {
			return w.limitErr()
		}
		if c.value(t) {
			c.completed()
		}
	}
	return c.flush()
}

// prefix writes what comes before a value in its container.
func (c *typedConv) prefix() {
	if len(c.stack) == 0 {
		return
	}
	w := c.w
	f := &c.stack[len(c.stack)-1]
	switch f.kind {
	case tList, tVector:
		w.item(f.first)
		f.first = false
	case tMixed:
		if !f.dense {
			// The first dense item: the associative part is over.
			c.denseStart(f)
		}
		w.item(f.first)
		f.first = false
	case tDict:
		if f.n%2 == 0 {
			w.item(f.n == 0)
			w.open('[')
			w.item(true)
		} else {
			w.item(false)
		}
		f.n++
	}
}

// denseStart ends the associative part of a tMixed frame and starts its
// dense part.
func (c *typedConv) denseStart(f *tframe) {
	w := c.w
	if f.first {
		w.open('{') // no associative member
	}
	w.close('}', f.first)
	w.key("$dense", false)
	w.open('[')
	f.dense, f.first = true, true
}

// completed ends a value in its container, and a top-level value.
func (c *typedConv) completed() {
	w := c.w
	for {
		if len(c.stack) == 0 {
			if !c.part {
				w.buf = append(w.buf, '\n')
			}
			c.values++
			if !c.part && !c.single {
				w.note.values = c.values // for the warnings (noteName)
			}
			return
		}
		f := &c.stack[len(c.stack)-1]
		if f.kind == tSwitch {
			// The switched value is the whole of {"$amf3": ...}.
			w.close('}', false)
			c.stack = c.stack[:len(c.stack)-1]
			continue
		}
		if f.kind == tDict && f.n%2 == 0 {
			w.close(']', false)
		}
		return
	}
}

// end closes the innermost container.
func (c *typedConv) end() {
	w := c.w
	f := &c.stack[len(c.stack)-1]
	switch f.kind {
	case tObject:
		w.close('}', f.first)
		if f.sealed {
			// An AMF0 typed object's canonical traits: its members
			// sealed (added once its members are known; no AMF3 object
			// inside it asked, see traitsClash).
			c.seenContent(traitKey(c.tclass[len(c.tclass)-1], false, false, f.names))
			c.tclass = c.tclass[:len(c.tclass)-1]
		}
	case tList:
		w.close(']', f.first)
	case tECMA:
		w.close('}', f.n == 0)
		if f.count != int64(f.n) {
			w.key("$count", false)
			w.uint(uint64(uint32(f.count)))
		}
		w.close('}', false)
	case tMixed:
		if !f.dense {
			c.denseStart(f)
		}
		w.close(']', f.first)
		w.close('}', false)
	case tVector:
		w.close(']', f.first)
		w.close('}', false)
	case tDict:
		w.close(']', f.n == 0)
		w.key("weakKeys", false)
		w.lit(boolText(f.fixed))
		w.close('}', false)
	}
	if at := int(f.logAt); at < len(c.names.log) {
		c.names.close(at)
	}
	c.stack = c.stack[:len(c.stack)-1]
	c.completed()
}

func (c *typedConv) push(f tframe) {
	if n := len(c.stack); n > 0 {
		f.pgen = c.stack[n-1].gen
	}
	f.gen, f.logAt = c.names.open(), int32(len(c.names.log))
	c.stack = append(c.stack, f)
}

// noteName notes a member name of the innermost container, as
// plainConv.nameAgain does (without a path: the typed writer keeps none).
func (c *typedConv) noteName(si int, b []byte, slot int, again bool) {
	f := &c.stack[len(c.stack)-1]
	at, id := c.names.member(si, b, slot, again)
	if c.names.note(at, id, f.gen, f.pgen) {
		if !c.part && !c.single {
			c.w.note.values = c.values + 1 // the bare value being written
		}
		c.w.note.dupName(b, func() string { return "" })
	}
}

// begin opens an annotated object, with its "$id" when a reference
// points to it; it reports whether the next member is the first.
func (c *typedConv) begin(t *amf.Token) bool {
	w := c.w
	w.open('{')
	if c.marks.has(t.Version, t.Index) {
		w.nextID++
		*c.ids.slot(&c.marks, t.Version, t.Index) = uint32(w.nextID)
		w.key("$id", true)
		w.int(int64(w.nextID))
		return false
	}
	return true
}

// value writes the value t starts; it reports whether the value is
// complete (false for a container, now open).
func (c *typedConv) value(t *amf.Token) bool {
	w := c.w
	if t.Version == amf.AMF3 && t.Index >= 0 && t.Kind != amf.KindRef {
		c.n3 = t.Index + 1
	}
	switch t.Kind {
	case amf.KindNull:
		w.lit("null")
	case amf.KindUndefined:
		w.annot("$undefined", func() { w.lit("true") })
	case amf.KindUnsupported:
		w.annot("$unsupported", func() { w.lit("true") })
	case amf.KindBool:
		w.lit(boolText(t.Bool))
	case amf.KindInt:
		w.int(t.Int)
	case amf.KindDouble:
		w.typedDouble(t.Float)
	case amf.KindString:
		c.str(t.StrIndex, t.Bytes)
	case amf.KindRef:
		w.open('{')
		w.key("$ref", true)
		w.int(int64(c.id(t.Version, t.Index)))
		w.close('}', false)
	case amf.KindDate:
		c.date(t)
	case amf.KindByteArray:
		first := c.begin(t)
		w.key("$bytes", first)
		c.bytes(t.Bytes)
		w.close('}', false)
	case amf.KindXML, amf.KindXMLDocument:
		first := c.begin(t)
		if t.Kind == amf.KindXMLDocument {
			w.key("$xmldoc", first)
		} else {
			w.key("$xml", first)
		}
		c.text(t.Bytes)
		w.close('}', false)
	case amf.KindObject:
		first := c.begin(t)
		class := ""
		if t.Traits != nil {
			var info *traitInfo
			if t.TraitsIndex > 0 {
				info = c.bigInfo(t.Traits, t.TraitsIndex)
			} else {
				info = c.info(t.Traits)
			}
			class = info.class
			if class != "" {
				w.key("$class", first)
				w.str(typedName(class))
				first = false
			}
			var ti *traitInfo
			var inline bool
			if t.TraitsIndex > 0 {
				ti, inline = c.bigTraitsFor(t.TraitsIndex-1, info)
			} else {
				ti, inline = c.traitsFor(t.Traits, info)
			}
			if ti != nil {
				c.w.traitsJSON(ti.sealed, ti.dynamic, ti.ext, inline, first)
				first = false
			}
		} else if len(t.Bytes) > 0 {
			class = amf.DecodeText(t.Bytes)
			w.key("$class", first)
			w.str(typedName(class))
			first = false
		}
		c.push(tframe{kind: tObject, first: first, big: t.TraitsIndex > 0})
		if c.mixed && t.Traits == nil {
			// An AMF0 object's canonical traits (amf.CanonicalTraits).
			switch {
			case class == "":
				c.seenContent(traitKey("", true, false, nil))
			case amf.IsExternalizable(class):
				c.seenContent(traitKey(class, false, true, nil))
			default:
				f := &c.stack[len(c.stack)-1]
				f.sealed, f.names = true, f.names[:0]
				c.tclass = append(c.tclass, class)
			}
		}
		if t.Traits != nil && t.Traits.Externalizable && isWrapper(t.Traits.Class) {
			// A Flex wrapper's one value, named as the value model names
			// it.
			f := &c.stack[len(c.stack)-1]
			w.dataKey(wrapperName(t.Traits.Class), f.first)
			f.first = false
			c.prefixed = true
		}
		return false
	case amf.KindECMAArray:
		first := c.begin(t)
		w.key("$ecma", first)
		w.open('{')
		c.push(tframe{kind: tECMA, first: true, count: t.Count})
		return false
	case amf.KindArray:
		if !t.Assoc && !c.marks.has(t.Version, t.Index) {
			w.open('[')
			c.push(tframe{kind: tList, first: true})
			return false
		}
		first := c.begin(t)
		w.key("$assoc", first)
		c.push(tframe{kind: tMixed, first: true})
		return false
	case amf.KindVector:
		first := c.begin(t)
		w.key("$vector", first)
		w.str(t.Vector.String())
		if t.Vector == amf.VectorObject {
			w.key("type", false)
			w.str(typedName(amf.DecodeText(t.Bytes)))
		}
		w.key("fixed", false)
		w.lit(boolText(t.Fixed))
		w.key("items", false)
		w.open('[')
		c.push(tframe{kind: tVector, first: true, check: t.Vector == amf.VectorDouble || t.Vector == amf.VectorObject})
		return false
	case amf.KindDictionary:
		first := c.begin(t)
		w.key("$dictionary", first)
		w.open('[')
		c.push(tframe{kind: tDict, first: true, fixed: t.Fixed})
		return false
	}
	return true
}

// wrapperName is the member name the value model gives a Flex wrapper's
// value.
func wrapperName(class string) string {
	if class == amf.ClassObjectProxy {
		return "object"
	}
	return "source"
}

// dataKey writes a member name from its bytes, decoded as the value
// model decodes it.
func (c *typedConv) dataKey(b []byte, first bool) {
	s, _ := decodedText(b)
	c.w.dataKey(s, first)
}

// decodedText is the string the value model makes of b (amf.DecodeText),
// without a copy when b is UTF-8 (borrowed: valid while b is), and
// whether it is UTF-8.
func decodedText(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return unsafe.String(unsafe.SliceData(b), len(b)), true
	}
	s := amf.DecodeText(b)
	return s, utf8.ValidString(s)
}

// text writes a string value: as it is, or {"$latin1": ...}.
func (c *typedConv) text(b []byte) {
	w := c.w
	if len(b) > bigOut && w.o.Palette == nil {
		if utf8.Valid(b) {
			c.stream(b, false)
			return
		}
		if bytes.IndexByte(b, 0xED) < 0 {
			// Not UTF-8, and no CESU-8 surrogate (they begin with ED):
			// {"$latin1": ...} of the bytes as they are, in pieces,
			// not through latin1's four bytes a byte.
			w.open('{')
			w.key("$latin1", true)
			c.streamLatin1(b)
			w.close('}', false)
			return
		}
	}
	if w.o.Palette == nil && plainASCII(b) {
		w.buf = append(w.buf, '"')
		w.buf = append(w.buf, b...)
		w.buf = append(w.buf, '"')
		return
	}
	s, ok := decodedText(b)
	if !ok {
		w.annot("$latin1", func() { w.str(latin1(s)) })
		return
	}
	if w.o.Palette == nil {
		w.buf = appendStringBytes(w.buf, unsafe.Slice(unsafe.StringData(s), len(s)))
		return
	}
	w.str(s)
}

// bytes writes the base64 of a ByteArray, a long one in pieces.
func (c *typedConv) bytes(b []byte) {
	w := c.w
	if len(b) > bigOut && w.o.Palette == nil {
		c.stream(b, true)
		return
	}
	w.bytes(b)
}

// stream writes a long string (UTF-8 already checked) or the base64 of a
// ByteArray to the output in pieces, so that it is never held whole.
func (c *typedConv) stream(b []byte, b64 bool) {
	c.w.streamQuoted(b, b64, func() {
		if len(c.w.buf) >= flushAt {
			c.flush() // an error is kept for the next flush to return
		}
	})
}

// streamLatin1 writes the bytes of b as a JSON string of the code points
// of the same numbers (what appendString(latin1(b)) writes) to the
// output in pieces.
func (c *typedConv) streamLatin1(b []byte) {
	w := c.w
	w.buf = append(w.buf, '"')
	for len(b) > 0 {
		n := min(len(b), 64<<10)
		for _, x := range b[:n] {
			switch {
			case x < 0x20 || x == '"' || x == '\\':
				w.buf = appendEscape(w.buf, x)
			case x < 0x80:
				w.buf = append(w.buf, x)
			case x < 0xA0: // a C1 control, escaped as appendString does
				w.buf = appendRuneEscape(w.buf, rune(x))
			default:
				w.buf = append(w.buf, 0xC0|x>>6, 0x80|x&0x3F)
			}
		}
		b = b[n:]
		if len(w.buf) >= flushAt {
			c.flush() // an error is kept for the next flush to return
		}
	}
	w.buf = append(w.buf, '"')
}

// info returns what the typed form needs of t.
func (c *typedConv) info(t *amf.Traits) *traitInfo {
	if t == c.lastT {
		return c.lastInfo
	}
	if c.tinfo == nil {
		c.tinfo = make(map[*amf.Traits]*traitInfo)
	}
	in, ok := c.tinfo[t]
	if !ok {
		in = new(traitInfo)
		*in = newTraitInfo(t)
		in.key = traitKey(in.class, in.dynamic, in.ext, in.sealed)
		c.tinfo[t] = in
	}
	c.lastT, c.lastInfo = t, in
	return in
}

// newTraitInfo makes the traitInfo of t, but for its key.
func newTraitInfo(t *amf.Traits) traitInfo {
	in := traitInfo{class: t.Class, sealed: t.Sealed, dynamic: t.Dynamic, ext: t.Externalizable}
	in.class = amf.DecodeText([]byte(t.Class))
	decoded := false
	for i, s := range t.Sealed {
		if !utf8.ValidString(s) {
			if !decoded {
				in.sealed = append([]string(nil), t.Sealed...)
				decoded = true
			}
			in.sealed[i] = amf.DecodeText([]byte(s))
		}
	}
	// amf.IsCanonicalTraits of an object of these traits: its class is
	// the traits' class, and its members are the sealed names when the
	// traits are neither dynamic nor externalizable.
	o := &amf.Object{Class: in.class}
	if !in.dynamic && !in.ext {
		o.Members = make([]amf.Member, len(in.sealed))
		for i, s := range in.sealed {
			o.Members[i].Name = s
		}
	}
	in.canonical = amf.IsCanonicalTraits(&amf.Traits{Class: in.class, Sealed: in.sealed, Dynamic: in.dynamic, Externalizable: in.ext}, o)
	return in
}

// bigInfo is info for traits the Reader read again, of TraitsIndex
// ti: kept by index, for a while (binfo), with no key (bigDup stands for
// it).
func (c *typedConv) bigInfo(t *amf.Traits, ti int) *traitInfo {
	e := &c.binfo[ti&63]
	if e.i != ti {
		e.i, e.in = ti, newTraitInfo(t)
	}
	return &e.in
}

// bigTraitsFor is traitsFor for traits the Reader read again, entry i
// of its traits table: seen by index, and equal to earlier ones by
// content as bigDup says.
func (c *typedConv) bigTraitsFor(i int, in *traitInfo) (*traitInfo, bool) {
	w, bit := i>>6, uint64(1)<<(uint(i)&63)
	if w >= len(c.bigSeen) {
		c.bigSeen = append(c.bigSeen, make([]uint64, max(w+1-len(c.bigSeen), len(c.bigSeen)))...)
	}
	if c.bigSeen[w]&bit != 0 {
		if in.canonical {
			return nil, false
		}
		return in, false
	}
	c.bigSeen[w] |= bit
	if c.freshOn && !c.freshReady {
		c.freshBits()
	}
	dup := w < len(c.bigDup) && c.bigDup[w]&bit != 0
	if !dup && c.keys0 {
		// Equal to the canonical traits of an AMF0 object before it
		// (seenKey, in document order; traitDups knows the AMF3 table
		// only).
		dup = c.seenKey[traitKey(in.class, in.dynamic, in.ext, in.sealed)]
	}
	if !in.canonical || dup {
		return in, dup
	}
	return nil, false
}

// traitKey is the content of traits, for traits equal to earlier ones
// (writer.traitsFor).
func traitKey(class string, dynamic, ext bool, sealed []string) string {
	var k strings.Builder
	k.WriteString(strconv.Quote(class))
	k.WriteString(strconv.FormatBool(dynamic))
	k.WriteString(strconv.FormatBool(ext))
	for _, s := range sealed {
		k.WriteString(strconv.Quote(s))
	}
	return k.String()
}

// seenContent records traits of content key as seen.
func (c *typedConv) seenContent(key string) {
	if c.seenKey == nil {
		c.seenT = make(map[*amf.Traits]bool)
		c.seenKey = make(map[string]bool)
	}
	c.seenKey[key] = true
	c.keys0 = true
}

// traitsClash reports whether AMF0 data holds an AMF3 object (through a
// switch) inside an AMF0 typed object whose class is not externalizable:
// the typed form's traits rule (writer.traitsFor) compares the AMF3
// object's traits with the AMF0 object's canonical ones, its member names,
// before the direct writer has read them all. The value path writes
// such input.
func traitsClash(data []byte) bool { return traitsClashFresh(data, false) }

// traitsClashFresh is traitsClash, reading with amf.Reader.FreshSwitches
// when fresh (a packet value that amf.ScanPacket found takes it).
func traitsClashFresh(data []byte, fresh bool) bool {
	r := amf.NewReader(data, amf.AMF0)
	r.FreshSwitches = fresh
	return clashReading(r)
}

// clashReading is traitsClash of the input of r (at its start), which
// it reads to the end but at a clash (or an error).
func clashReading(r *amf.Reader) bool {
	clash, _ := clashValues(r, false)
	return clash
}

// clashValues is clashReading of the values of r from where it stands,
// or of the next one only (one; then ok says that it read whole).
func clashValues(r *amf.Reader, one bool) (clash, ok bool) {
	var stack []bool // per open container: an AMF0 typed object of sealed members
	open := 0
	for {
		t, err := r.NextToken()
		if err != nil {
			return false, false
		}
		switch t.Kind {
		case amf.KindObject:
			typed := false
			if t.Version == amf.AMF0 {
				typed = len(t.Bytes) > 0 && !amf.IsExternalizable(amf.DecodeText(t.Bytes))
			} else if open > 0 {
				return true, true
			}
			stack = append(stack, typed)
			if typed {
				open++
			}
		case amf.KindECMAArray, amf.KindArray, amf.KindVector, amf.KindDictionary:
			stack = append(stack, false)
		case amf.KindEnd:
			if stack[len(stack)-1] {
				open--
			}
			stack = stack[:len(stack)-1]
		case amf.KindSwitch, amf.KindName:
			continue // the value is still to come
		}
		if one && len(stack) == 0 {
			return false, true
		}
	}
}

// traitsFor is writer.traitsFor for an AMF3 object of traits t: the
// traits to write (nil for none) and whether they are marked inline.
func (c *typedConv) traitsFor(t *amf.Traits, in *traitInfo) (*traitInfo, bool) {
	if c.seenT == nil {
		c.seenT = make(map[*amf.Traits]bool)
		c.seenKey = make(map[string]bool)
	}
	if t == c.lastSeen || c.seenT[t] {
		c.lastSeen = t
		if in.canonical {
			return nil, false
		}
		return in, false
	}
	var dup bool
	if c.freshOn {
		// The entry just registered: traits are met first where they
		// are written inline.
		dup = c.freshDup(c.r.TraitsLen()-1, in.key)
	} else {
		dup = c.seenKey[in.key]
		c.seenKey[in.key] = true
	}
	c.seenT[t] = true
	c.lastSeen = t
	if !in.canonical || dup {
		return in, dup
	}
	return nil, false
}

// freshDup is traitsFor's "equal to earlier traits" with freshOn, for
// traits entry i (counted across the switches) of content key.
func (c *typedConv) freshDup(i int, key string) bool {
	if !c.freshReady {
		if dup := c.seenKey[key]; dup || len(c.seenKey) < maxFreshKeys {
			c.seenKey[key] = true
			return dup
		}
		c.freshBits()
	}
	return i>>6 < len(c.bigDup) && c.bigDup[i>>6]&(1<<(uint(i)&63)) != 0
}

// freshBits gives bigDup for the value (freshOn), once: its bits stand
// for seenKey from then on. A Reader of its own reads the value whole
// with tables that span the switches, as the value decoder reads it,
// and traitDups finds the equal traits in them, by their number across
// the switches (the same tokens: no reference reaches back, so the
// numbers are those of the fresh tables). Its tables are let go before
// the writer goes on.
func (c *typedConv) freshBits() {
	c.freshReady = true
	c.seenKey = make(map[string]bool) // the keys let go
	r := amf.NewReader(c.freshData, amf.AMF0)
	r.KeepTraits, r.NoReplay = false, true
	var marks typedMarks
	ok, err := markValues(r, c.batch[:], &marks, true)
	if ok {
		// What reading the value left (the traits read again, a few
		// hundred bytes each) is collected before traitDups, which
		// allocates its tables on top of it and then little for
		// seconds: no collection came until it ended (a heap of 48 MB
		// for 27 MB live, 5.7 million traits).
		runtime.GC()
		c.bigDup, ok = traitDups(r, 0, c.bigDup)
	}
	if !ok && c.err == nil {
		// Not expected: the value was read whole before.
		c.err = errors.New("convert: the value's traits do not read again")
		if err != nil {
			c.err = err
		}
	}
}

// maxFreshKeys is how many distinct traits the typed writer tells apart
// by their key (seenKey) in a packet value of fresh switches before it
// asks traitDups instead (typedConv.freshDup). (A variable for the
// tests.)
var maxFreshKeys = 1 << 14

// renderTypedTo is RenderTo for bare values to typed JSON (raw, not hex
// or base64 text): it reports false, having written nothing, when the
// direct writer does not take the input (Render then converts it
// through the value model, and gives its error).
func (src *Source) renderTypedTo(out io.Writer, o *Options) (bool, error) {
	bw := bufio.NewWriterSize(out, 64<<10)
	ok, err := writeTypedDirect(bw, src.Data, src.Version, o)
	if !ok {
		return src.typedNotTaken(err)
	}
	if err != nil {
		if limit := new(*OutputLimitError); errors.As(err, limit) {
			// As the value path says it (Source.withValues), after the
			// output up to the limit.
			if ferr := bw.Flush(); ferr != nil {
				return true, ferr
			}
			return true, src.valueHint(fmt.Errorf("%s: %w", src.Name, err))
		}
		return true, err
	}
	return true, bw.Flush()
}

// date writes {"$date": ...} as writer.typed does.
func (c *typedConv) date(t *amf.Token) {
	w := c.w
	first := c.begin(t)
	w.key("$date", first)
	if dateText(t.Float) {
		if c.fast {
			// plainConv's writer of dates, which keeps the last day's
			// text.
			w.buf = c.dates.appendDate(w.buf, int64(t.Float))
		} else {
			w.dateStr(int64(t.Float))
		}
	} else {
		w.typedDouble(t.Float)
	}
	if t.TZ != 0 {
		w.key("$tz", false)
		w.int(int64(t.TZ))
	}
	w.close('}', false)
}

// name writes a member name (b, of string-table index si) in the
// innermost container.
func (c *typedConv) name(si int, b []byte) {
	c.noteName(si, b, 0, false)
	first := c.nameStart(b)
	if c.fast && si > 0 {
		if j := si - 1; j < len(c.keyq) && c.keyq[j][1] != 0 {
			q := c.keyq[j]
			if !first {
				q[0]--
			}
			c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
			return
		}
		if si <= maxIndexed && len(b) <= maxCached && len(c.qbuf)+len(b) < maxQbuf && utf8.Valid(b) {
			c.keyq = grow2(c.keyq, si)
			q := c.cacheKey(b)
			c.keyq[si-1] = q
			if !first {
				q[0]--
			}
			c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
			return
		}
	}
	c.dataKey(b, first)
}

// name0 writes the name b of an AMF0 member that ReadBatch gave with
// Slot j+1 (again: the same name as the last of that Slot), caching its
// JSON per Slot as plainConv.key0 does.
func (c *typedConv) name0(j int, again bool, b []byte) {
	c.noteName(0, b, j+1, again)
	first := c.nameStart(b)
	if again && j < len(c.names0) && c.names0[j][1] != 0 {
		q := c.names0[j]
		if !first {
			q[0]--
		}
		c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
		return
	}
	if j >= len(c.names0) {
		c.names0 = append(c.names0, make([][2]int32, j+1-len(c.names0))...)
	}
	c.names0[j] = [2]int32{}
	if len(b) > maxCached || len(c.qbuf)+len(b) >= maxQbuf || !plainASCII(b) {
		c.dataKey(b, first)
		return
	}
	c.names0[j] = c.cacheKey(b)
	q := c.names0[j]
	if !first {
		q[0]--
	}
	c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
}

// cacheKey caches the member name b (UTF-8) as typed JSON writes it
// after a ',' ("$" doubled in front): its bounds in qbuf, which has the
// ',' before them.
func (c *typedConv) cacheKey(b []byte) [2]int32 {
	c.qbuf = append(c.qbuf, ',')
	start := len(c.qbuf)
	if len(b) > 0 && b[0] == '$' {
		c.qbuf = append(c.qbuf, '"', '$')
		c.qbuf = appendEscaped(c.qbuf, b)
		c.qbuf = append(c.qbuf, '"')
	} else {
		c.qbuf = appendStringBytes(c.qbuf, b)
	}
	c.qbuf = append(c.qbuf, ':')
	return [2]int32{int32(start), int32(len(c.qbuf))}
}

// nameStart does a member name's bookkeeping in the innermost container
// and reports whether it is the first.
func (c *typedConv) nameStart(b []byte) bool {
	f := &c.stack[len(c.stack)-1]
	first := f.first
	if f.kind == tMixed && first {
		// The associative part's first member.
		c.w.open('{')
	}
	f.first = false
	if f.kind == tECMA {
		f.n++
	}
	if f.sealed {
		s, _ := decodedText(b)
		f.names = append(f.names, strings.Clone(s))
	}
	c.prefixed = true
	return first
}

// str writes a string value (b, of string-table index si).
func (c *typedConv) str(si int, b []byte) {
	if c.fast && si > 0 && len(b) <= maxCached {
		if j := si - 1; j < len(c.valq) && c.valq[j][1] != 0 {
			q := c.valq[j]
			c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
			return
		}
		if si <= maxIndexed && utf8.Valid(b) && len(c.qbuf)+len(b) < maxQbuf {
			start := len(c.qbuf)
			c.qbuf = appendStringBytes(c.qbuf, b)
			c.valq = grow2(c.valq, si)
			q := [2]int32{int32(start), int32(len(c.qbuf))}
			c.valq[si-1] = q
			c.w.buf = append(c.w.buf, c.qbuf[q[0]:q[1]]...)
			return
		}
	}
	c.text(b)
}

// grow2 makes room in a cache for string-table index si.
func grow2(q [][2]int32, si int) [][2]int32 {
	if si > len(q) {
		q = append(q, make([][2]int32, si-len(q))...)
	}
	return q
}

// writeBatch writes the tokens of one ReadBatch call (no vector),
// as run writes them a token at a time.
func (c *typedConv) writeBatch(ts []amf.BatchToken) error {
	r := c.r
	for i := range ts {
		bt := &ts[i]
		switch bt.Kind {
		case amf.KindName:
			c.name(int(bt.StrIndex), r.BatchBytes(bt))
			continue
		case amf.KindEnd:
			c.end()
			continue
		}
		w := c.w
		f := &c.stack[len(c.stack)-1]
		switch {
		case bt.Named:
			if j := int(bt.NameIndex) - 1; j >= 0 && j < len(c.keyq) && c.keyq[j][1] != 0 && f.kind == tObject && !f.sealed {
				// A cached AMF3 name in an object: what name writes
				// for it.
				c.noteName(j+1, r.BatchName(bt), 0, false)
				q := c.keyq[j]
				if !f.first {
					q[0]--
				}
				f.first = false
				w.buf = append(w.buf, c.qbuf[q[0]:q[1]]...)
			} else if bt.NameIndex == 0 && bt.Slot > 0 {
				c.name0(int(bt.Slot)-1, bt.Again, r.BatchName(bt))
			} else {
				c.name(int(bt.NameIndex), r.BatchName(bt))
			}
		case c.prefixed:
			// After a name alone (KindName).
		case f.kind == tList:
			// An item: what prefix writes without indent.
			if !f.first {
				w.buf = append(w.buf, ',')
			}
			f.first = false
		default:
			c.prefix()
		}
		c.prefixed = false
		if c.flushed+len(w.buf) > w.maxOut && (f.kind != tVector || f.check) {
			return w.limitErr() // as in run
		}
		switch bt.Kind {
		case amf.KindNull:
			w.buf = append(w.buf, "null"...)
		case amf.KindUndefined:
			w.annot("$undefined", func() { w.lit("true") })
		case amf.KindBool:
			w.buf = append(w.buf, boolText(bt.Bool)...)
		case amf.KindInt:
			w.buf = appendInt(w.buf, bt.Int)
		case amf.KindDouble:
			if x := bt.Float; !math.IsNaN(x) && !math.IsInf(x, 0) {
				w.buf = appendTypedDouble(w.buf, x)
				break
			}
			w.typedDouble(bt.Float)
		case amf.KindString:
			c.str(int(bt.StrIndex), r.BatchBytes(bt))
		case amf.KindDate:
			if c.ver == amf.AMF3 {
				// An AMF3 date takes the next slot of the object table.
				c.date(&amf.Token{Kind: amf.KindDate, Version: amf.AMF3, Index: c.n3, Float: bt.Float})
				c.n3++
			} else {
				// An AMF0 date of a bare value takes none (in UTC in a
				// batch).
				c.date(&amf.Token{Kind: amf.KindDate, Version: amf.AMF0, Index: -1, Float: bt.Float})
			}
		default:
			// The start of an object or an array.
			t := amf.Token{Kind: bt.Kind, Version: bt.Version, Index: int(bt.Index), Traits: bt.Traits, Assoc: bt.Assoc}
			switch {
			case bt.Kind == amf.KindECMAArray:
				t.Count, _ = r.BatchCount(bt)
			case bt.Kind == amf.KindObject && bt.Version == amf.AMF0:
				t.Bytes = r.BatchClass(bt)
			}
			c.value(&t)
			continue
		}
		if c.stack[len(c.stack)-1].kind >= tDict {
			c.completed() // a pair's end, a switch's (no scalar of a batch is in either)
		}
	}
	return nil
}

// appendTypedDouble is appendDouble of the typed form for x finite, with
// appendPlainDouble's shortcuts: an integral value prints as the integer
// and ".0" (what strconv's 'f' form gives below 1e21, and appendDouble
// adds), a short decimal as appendShortDecimal prints it (strconv's
// shortest form, which has its '.').
func appendTypedDouble(dst []byte, x float64) []byte {
	if i := int64(x); float64(i) == x && i != 0 && i > -1e15 && i < 1e15 {
		return append(appendInt(dst, i), '.', '0')
	}
	if b, ok := appendShortDecimal(dst, x); ok {
		return b
	}
	return appendDouble(dst, x, true)
}

// renderFramesTypedTo is RenderTo for AMF Socket frames to typed JSON:
// one document per frame, each with tables and "$id" numbering of its
// own, as AppendFrames writes them through the value model. A first pass
// reads every frame's value (and says the bytes after one, as
// AppendFrames warns); anything that does not read leaves the input to
// Render, having written nothing. Then each frame is marked and written.
func (src *Source) renderFramesTypedTo(out io.Writer, o *Options) (bool, error) {
	c := typedPool.Get().(*typedConv)
	defer c.release()
	c.reset(o, nil)
	// Each frame's traits past the first 4,096 read again (Token.
	// TraitsIndex), equal ones found by traitDups, as writeTypedDirect
	// reads AMF3 input: a frame of millions of distinct traits took
	// gigabytes with every traits kept.
	c.r.KeepTraits, c.r.NoReplay = false, true
	var warns []string
	var warnAt []int // the frame (from 1) each of warns is about
	unkept := 0      // warnings past the first maxFrameWarns, not kept
	fw := frameWarns{warn: o.Warn}
	frames := 0
	for rest := src.Data; len(rest) > 0; frames++ {
		payload, next, ok := amf.NextFrame(rest)
		if !ok {
			return src.framesNotTaken(o) // its error (errpath)
		}
		rest = next
		c.r.Reset(payload, amf.AMF3)
		if ok, _ := markValues(c.r, c.batch[:], &c.marks, true); !ok {
			return src.framesNotTaken(o)
		}
		if n := len(payload) - int(c.r.InputOffset()); n > 0 && o.Warn != nil {
			// The first maxFrameWarns kept, the rest counted, as
			// frameWarns gives them: not a line held for each frame.
			if len(warns) < maxFrameWarns {
				warns = append(warns, fmt.Sprintf("%d bytes after its value are dropped", n))
				warnAt = append(warnAt, frames+1)
			} else {
				unkept++ // past maxFrameWarns whatever comes before
			}
		}
	}
	if frames == 0 {
		return false, nil
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	if n := min(4*len(src.Data)+64, 2*flushAt); cap(c.w.buf) < n {
		c.w.buf = make([]byte, 0, n)
	}
	flushed, buf := 0, c.w.buf[:0]
	// A frame written out whole (c.single) before the check below
	// passes the limit exactly.
	lw := newLimitWriter(bw, o)
	for rest, i := src.Data, 1; len(rest) > 0; i++ {
		payload, next, _ := amf.NextFrame(rest)
		rest = next
		// A frame's warning just before it is written, as AppendFrames
		// says it: not for the frames after one past the output limit.
		for len(warnAt) > 0 && warnAt[0] == i {
			fw.add(i, warns[0])
			warns, warnAt = warns[1:], warnAt[1:]
		}
		// A context of its own (AppendValue's new writer), the output
		// and its count kept.
		c.reset(o, lw)
		c.flushed, c.w.buf, c.single = flushed, buf, true
		c.r.Reset(payload, amf.AMF3)
		markValues(c.r, c.batch[:], &c.marks, true)
		if !c.bigDups() {
			// (Not expected: the entries read.) This frame with
			// every traits kept.
			c.r.KeepTraits, c.marks.bigFrom = true, 0
		}
		c.r.Reset(payload, amf.AMF3)
		err := c.run(amf.AMF3)
		c.r.KeepTraits = false
		if err == nil && c.flushed+len(c.w.buf) > c.w.maxOut {
			err = c.w.limitErr() // this frame passes the limit, not the next
		}
		if err != nil {
			if limit := new(*OutputLimitError); errors.As(err, limit) {
				// As framesJSON and AppendFrames say it, after the
				// output up to the limit.
				if werr := upToLimit(err, lw, c.w, c.flushed); werr != err {
					return true, werr
				}
				if ferr := bw.Flush(); ferr != nil {
					return true, ferr
				}
				return true, fmt.Errorf("%s: %w", src.Name, fmt.Errorf("frame %d: %w", i, err))
			}
			return true, err
		}
		if msg := c.w.note.dupNameWarning(true); msg != "" && o.Warn != nil {
			fw.add(i, msg) // after the frame, as AppendFrames says its value's warnings
		}
		flushed, buf = c.flushed, c.w.buf
	}
	c.w.buf = buf
	if err := c.flush(); err != nil {
		return true, err
	}
	fw.more += unkept
	fw.done()
	return true, bw.Flush()
}

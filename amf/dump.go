package amf

// The human-readable view of AMF bytes: every byte range of a packet, a
// .sol file, an FLV file's script data or bare values, with its offset and
// what it means. It walks the input with the token Reader (so it applies
// the decoder's limits, tables and errors) and splits each token's bytes
// with the package's own primitives.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amfcall/amfcall/internal/termsafe"
	"github.com/amfcall/amfcall/internal/textcut"
)

// DumpInput says what the bytes given to [DecMode.Dump] hold.
type DumpInput uint8

// Inputs [DecMode.Dump] reads.
const (
	DumpAMF0   DumpInput = iota // bare AMF0 values
	DumpAMF3                    // bare AMF3 values
	DumpPacket                  // a remoting packet
	DumpSOL                     // a .sol file
	DumpFLV                     // an FLV file (its script data explained)
	DumpFrames                  // AMF Socket frames: 4-byte lengths, one AMF3 value each
)

var dumpInputNames = [...]string{"amf0", "amf3", "packet", "sol", "flv", "frames"}

func (in DumpInput) String() string {
	if int(in) < len(dumpInputNames) {
		return dumpInputNames[in]
	}
	return "?"
}

// DumpRange is one byte range of a [Dump] and what it means.
type DumpRange struct {
	Offset int64
	Length int64
	// Depth is the nesting level, for indentation.
	Depth int
	// Class says what kind of thing the range is, for colour: "section"
	// (packet, .sol and FLV structure), "container" (an object, array,
	// vector or dictionary header), "scalar", "string", "ref" (a
	// reference to a table entry), "meta" (lengths, flags, end markers),
	// "fault" (the error, zero length, or a field found wrong such as a
	// .sol file's length) and "unread" (the bytes after the error).
	Class string
	Text  string
}

// Dump explains AMF bytes range by range: the ranges cover the input
// exactly, in order, without gaps or overlaps (zero-length ranges are
// headings, such as a packet message's, and the fault). When the input
// is malformed, the ranges explain everything up to the fault, a "fault"
// range gives the error at its offset and an "unread" range holds the
// rest; Err is the error.
type Dump struct {
	Input  DumpInput
	Data   []byte
	Ranges []DumpRange
	Err    error
	// Names, when not nil, decodes the member names that are not UTF-8
	// in the paths of the JSON form (see [DumpNames]).
	Names func(b []byte) string
}

// A DumpOption changes what the JSON form of a dump writes.
type DumpOption func(*dumpOptions)

type dumpOptions struct {
	names   func(b []byte) string
	skipped int64
	count   *CountFix
}

// DumpCount has the dump of a packet read the count fix makes right
// ([DecMode.CountFixOf]: a gateway that wrote it wrong) as fix.Found
// says, as the client reads such a reply, rather than stop where the
// count leads it astray: the count's range says what the bytes said and
// is marked ("fault"), and every header or body the bytes hold follows.
// The bytes dumped are the packet's as they are (fix not applied).
func DumpCount(fix *CountFix) DumpOption {
	return func(o *dumpOptions) { o.count = fix }
}

// DumpSkipped says that the bytes dumped start n bytes into the input
// (a packet after a PHP notice, skipped): the JSON form then gives
// "skipped": n after "size", so that a tool can tell the ranges' offsets
// (which count from the first byte dumped) from the input's, and which
// bytes of the input no range covers. 0 writes nothing.
func DumpSkipped(n int64) DumpOption {
	return func(o *dumpOptions) { o.skipped = n }
}

// DumpNames has the JSON form's "path" name a member whose name is not
// UTF-8 (nor CESU-8) by dec's text for its bytes: the caller's charset,
// as convert's plain JSON decodes such names (with its --charset), so
// that the path names the member in that JSON. dec is given the bytes
// only (valid while it runs) and should return valid UTF-8. Without it
// the name's bytes stand in the path as they are (U+FFFD once in
// JSON). A range's "text" and the text form keep the bytes either way.
func DumpNames(dec func(b []byte) string) DumpOption {
	return func(o *dumpOptions) { o.names = dec }
}

func dumpOpts(opts []DumpOption) dumpOptions {
	var o dumpOptions
	for _, f := range opts {
		f(&o)
	}
	return o
}

// NewDump explains data, read as in says, with the default limits.
func NewDump(data []byte, in DumpInput) *Dump { return defaultDecMode.Dump(data, in) }

// Dump explains data, read as in says, with the mode's limits, and
// holds all its ranges; [DecMode.DumpFunc] streams them instead.
func (m *DecMode) Dump(data []byte, in DumpInput) *Dump {
	dm := &Dump{Input: in, Data: data}
	dm.Err = m.DumpFunc(data, in, func(r DumpRange) error {
		dm.Ranges = append(dm.Ranges, r)
		return nil
	})
	return dm
}

// DumpFunc explains data, read as in says, with the mode's limits,
// calling f with each range in order as it is found, so that memory does
// not grow with the input. It returns the fault (a *SyntaxError or a
// *TrailingDataError) after the fault and unread ranges, or the first
// error f returns, at which it stops.
func (m *DecMode) DumpFunc(data []byte, in DumpInput, f func(DumpRange) error, opts ...DumpOption) error {
	d := &dumper{m: m, data: data, emit: f, lim: len(data), count: dumpOpts(opts).count}
	var err error
	switch in {
	case DumpAMF0, DumpAMF3:
		ver := AMF3
		if in == DumpAMF0 {
			ver = AMF0
		}
		err = d.values(m.NewReader(data, ver), 0, false, "")
	case DumpPacket:
		err = d.packet()
		if err != nil && errors.Is(err, io.ErrUnexpectedEOF) {
			// Cut short, and AMF Socket frames cut short too: the
			// error says both readings.
			if ferr := m.FramesCutShort(data); ferr != nil {
				err = &CutShortReadingsError{Packet: err, Frames: ferr}
			}
		}
	case DumpSOL:
		err = d.sol()
	case DumpFLV:
		err = d.flv()
	case DumpFrames:
		err = d.frames()
	default:
		err = errors.New("amf: unknown dump input")
	}
	if d.werr != nil {
		return d.werr
	}
	if err == nil {
		err = d.late
	}
	if err != nil {
		d.fault(err)
	}
	if d.werr != nil {
		return d.werr
	}
	return err
}

type dumper struct {
	m    *DecMode
	data []byte // the input; over a stream, the window of it being explained
	// Over a stream (dumpFLVStream): data holds the input from offset
	// base on, src is the input after what data holds, size the input's
	// length. Positions (pos, lim, the Reader's) are data's; ranges,
	// errors and texts name input offsets.
	base int64
	src  io.Reader
	size int64 // -1 when unknown (a pipe): counted after a fault (drain)
	// Over a stream of unknown size, how many bytes of the unread end
	// after a fault to hold for showing (-1: all of them); drained is
	// set once src has been read to its end.
	keep    int64
	drained bool
	tail    [][]byte // the unread end, when keep is -1
	cut     bool     // drain stopped at maxDumpTail
	emit    func(DumpRange) error
	werr    error // the first error of emit
	pos     int   // bytes explained so far
	lim     int   // where the value being read must end: the input's end, or an FLV tag's
	late    error // a fault found while going on (a .sol length)
	// clip, when above 0, is where the input really ends while data
	// holds bytes put after it (an FLV value's missing end marker):
	// ranges from there on are not given.
	clip int
	// count, when not nil, is a packet's count read as the bytes say
	// (DumpCount).
	count *CountFix
	// scriptTag, when set, is told of each FLV tag before its ranges
	// are given: k is the script tag's number among the script tags
	// (from 0), start and stop where its data lies in data; k is -1 for
	// another tag, and before the window moves past the tag.
	scriptTag func(k, start, stop int)
	// flex annotates the value being explained when it is a Flex
	// message's field whose bytes say more than its type: the UUID of a
	// small message's clientIdBytes (and the others), the name of a
	// CommandMessage's operation. Set by token for one value.
	flex flexNote
}

// add gives the range [at, at+n). Ranges are explained in order; a
// range that would leave a gap is preceded by an "unexplained" one, so
// that the dump always covers its input (tests look for those).
func (d *dumper) add(at, n, depth int, class, text string) {
	if d.clip > 0 && at >= d.clip {
		return
	}
	if d.werr != nil {
		// Nothing more is written, but the loops that explain bytes
		// one range at a time must still get to their end.
		d.pos = max(d.pos, at+n)
		return
	}
	if at > d.pos {
		d.werr = d.emit(DumpRange{Offset: d.base + int64(d.pos), Length: int64(at - d.pos), Depth: depth, Class: "meta", Text: "unexplained bytes"})
		d.pos = at
	}
	if at < d.pos {
		n -= d.pos - at
		at = d.pos
		if n < 0 {
			n = 0
		}
	}
	if d.werr == nil {
		d.werr = d.emit(DumpRange{Offset: d.base + int64(at), Length: int64(n), Depth: depth, Class: class, Text: text})
	}
	d.pos = at + n
}

// fault ends the dump: the error at the position reached, then the
// bytes not read.
func (d *dumper) fault(err error) {
	text := "error: " + err.Error()
	// The error names where the failing item starts (the JSON form's
	// "error" offset); the line stands where reading stopped, after the
	// bytes explained (the ranges go in order). Where the two differ,
	// the line names both.
	if at, stop := faultOffset(err, -1), d.base+int64(d.pos); at >= 0 && at != stop {
		text += fmt.Sprintf("; item at %d (%#x), reading stopped at %d (%#x)", at, at, stop, stop)
	}
	d.add(d.pos, 0, 0, "fault", text)
	left := int64(len(d.data) - d.pos)
	if d.src != nil {
		if d.size < 0 {
			d.drain()
		}
		left = d.size - d.base - int64(d.pos)
	}
	if left > 0 {
		// Over a stream the range goes on past data's end (add only
		// writes it): its bytes come from src (rangeBytes).
		d.add(d.pos, int(left), 0, "unread", plural(int(left), "byte")+" not read")
	}
	if d.cut {
		d.add(d.pos, 0, 0, "fault", fmt.Sprintf("error: the input goes on past the %s shown; the rest was not read", plural(int(left), "byte")))
	}
}

// maxDumpTail bounds what drain holds for a dump that shows every byte:
// a GiB, as much as amfcall reads from a pipe for any other input. Past
// it the rest is neither read nor shown, and the dump says so.
var maxDumpTail int64 = 1 << 30 // a variable for its test

// drain reads the rest of a stream of unknown size after a fault, to
// count the bytes not read: it holds the first keep of them after pos
// and counts the others, so that memory does not grow with a long
// unread end that is shown only in part. With keep -1 (a dump that
// shows every byte) all are held, up to maxDumpTail, in chunks of a MiB
// (tail) rather than one growing slice. A read error ends the count
// where it stands.
func (d *dumper) drain() {
	d.drained = true
	held := int64(len(d.data) - d.pos)
	var tail, dropped int64
	var buf [32 << 10]byte
	for !d.cut {
		n, err := d.src.Read(buf[:])
		b := buf[:n]
		switch {
		case d.keep < 0:
			for len(b) > 0 {
				if tail >= maxDumpTail {
					d.cut = true // b and the rest: not read
					break
				}
				if k := len(d.tail); k == 0 || len(d.tail[k-1]) == cap(d.tail[k-1]) {
					d.tail = append(d.tail, make([]byte, 0, 1<<20))
				}
				last := &d.tail[len(d.tail)-1]
				k := min(len(b), cap(*last)-len(*last))
				*last = append(*last, b[:k]...)
				b = b[k:]
				tail += int64(k)
			}
		case held < d.keep:
			k := min(int64(len(b)), d.keep-held)
			d.data = append(d.data, b[:k]...)
			held += k
			b = b[k:]
		}
		if !d.cut {
			dropped += int64(len(b))
		}
		if err != nil {
			break
		}
	}
	d.size = d.base + int64(len(d.data)) + tail + dropped
}

// rangeBytes returns the bytes of rg, a range just found: held, or
// (the unread end of a stream) the held part and a reader of the rest.
// After a drain, the rest is the chunks held (tail), or gone when they
// were not kept (the text dump shows no more of them).
func (d *dumper) rangeBytes(rg DumpRange) ([]byte, io.Reader) {
	if rg.Length == 0 {
		return nil, nil // (a fault's row; after a drain, past data)
	}
	at := rg.Offset - d.base
	end := at + rg.Length
	if end <= int64(len(d.data)) {
		return d.data[at:end], nil
	}
	if d.drained {
		if len(d.tail) == 0 {
			return d.data[at:], nil
		}
		rs := make([]io.Reader, len(d.tail))
		for i, c := range d.tail {
			rs[i] = bytes.NewReader(c)
		}
		return d.data[at:], io.MultiReader(rs...)
	}
	return d.data[at:], io.LimitReader(d.src, end-int64(len(d.data)))
}

// rangeSource gives the bytes of the ranges being written.
type rangeSource interface {
	rangeBytes(rg DumpRange) ([]byte, io.Reader)
}

// heldInput is an input held whole.
type heldInput []byte

func (b heldInput) rangeBytes(rg DumpRange) ([]byte, io.Reader) {
	return b[rg.Offset : rg.Offset+rg.Length], nil
}

// absolute makes the offset of an error met in data an input offset.
func (d *dumper) absolute(err error) error {
	var se *SyntaxError
	if d.base == 0 || !errors.As(err, &se) {
		return err
	}
	c := *se
	c.Offset += d.base
	return &c
}

func (d *dumper) errAt(off int, path string, err error) error {
	return &SyntaxError{Version: "amf", Offset: int64(off), Path: path, Err: err}
}

func (d *dumper) need(n int, path string) error {
	if len(d.data)-d.pos < n {
		return d.errAt(len(d.data), path, io.ErrUnexpectedEOF)
	}
	return nil
}

// ---- reading fields for the explanation ----

// u29At reads the U29 at off, not past end, with the Reader's primitive.
func (d *dumper) u29At(off, end int) (uint32, int, bool) {
	if end > len(d.data) {
		end = len(d.data)
	}
	s := Reader{data: d.data[:end], off: off}
	u, err := s.u29()
	if err != nil {
		return 0, 0, false
	}
	return u, s.off - off, true
}

// hexU29 shows a U29's bytes, and its value when it takes several.
func hexU29(b []byte) string {
	if len(b) == 1 {
		const digits = "0123456789abcdef"
		return "U29 " + string([]byte{digits[b[0]>>4], digits[b[0]&15]})
	}
	s := Reader{data: b}
	u, _ := s.u29()
	return fmt.Sprintf("U29 %s = %d", spacedHex(b), u)
}

func quoteBytes(b []byte) string {
	return quoteShort(DecodeText(textHead(b, 256)), 60)
}

// textHead is the first bytes of the text b, about n of them, for a
// display that shows no more: cut at a character boundary, and before a
// CESU-8 surrogate pair rather than within it. Decoding a long string
// whole at each of its references, only to show its head, took a
// minute for a 1 MB input.
func textHead(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	// A CESU-8 high surrogate (ED A0..AF xx) right before the cut would
	// lose its low half.
	if n >= 3 && b[n-3] == 0xED && b[n-2] >= 0xA0 && b[n-2] <= 0xAF {
		n -= 3
	}
	return b[:n]
}

func fmtFloat(x float64) string {
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func fmtMs(ms float64) string {
	return strconv.FormatFloat(ms, 'f', -1, 64)
}

func fmtDate(ms float64) string {
	if math.IsNaN(ms) || math.IsInf(ms, 0) || math.Abs(ms) > 8.64e15 {
		return fmtFloat(ms) + " ms"
	}
	return time.UnixMilli(int64(ms)).UTC().Format("2006-01-02T15:04:05.000Z")
}

// tableIdx is "→ objects[3]", or "" when the value takes no slot.
func tableIdx(name string, i int) string {
	if i < 0 {
		return ""
	}
	return " → " + name + "[" + itoa(i) + "]"
}

// ---- tokens ----

// ctx is the Reader's innermost frame before a token is read.
type ctx struct {
	f     frame
	ok    bool
	depth int
}

func (d *dumper) context(r *Reader) ctx {
	if len(r.stack) == 0 {
		return ctx{}
	}
	return ctx{f: r.stack[len(r.stack)-1], ok: true, depth: len(r.stack)}
}

// values explains the tokens of r from d.pos: one value if one, else up
// to the end of its input. label names the first value ("value").
func (d *dumper) values(r *Reader, base int, one bool, label string) error {
	first := true
	pending := ""
	for {
		c := d.context(r)
		ns, nt := r.strN(), r.traitN()
		t, err := r.ReadToken()
		if err == io.EOF {
			if !one || !first {
				return nil
			}
			err = &SyntaxError{Version: r.ver.String(), Offset: int64(len(r.data)), Err: io.ErrUnexpectedEOF}
		}
		dep := base + c.depth
		if err != nil {
			pre := pending
			if first {
				pre = label
			}
			d.partial(r, c, ns, nt, dep, err, pre)
			return err
		}
		end := int(r.InputOffset())
		if int(t.Offset) > d.pos {
			d.gap(c, int(t.Offset), dep)
		}
		if t.Kind == KindName && int(t.Offset) == end {
			// A sealed member or a small message's field: named by the
			// traits or a flag bit, it takes no bytes. Its value says.
			pending = quoteBytes(t.Bytes) + ": "
			continue
		}
		pre := pending
		pending = ""
		if first {
			pre = label
		} else if c.ok && c.f.kind == fDict3 {
			if c.f.i%2 == 0 {
				pre = "key: "
			} else {
				pre = "value: "
			}
		}
		first = false
		d.token(r, t, c, end, dep, pre, ns, nt)
		if d.pos < end {
			d.add(d.pos, end-d.pos, dep, "meta", "unexplained bytes")
		}
		if d.werr != nil {
			return d.werr
		}
		if one && len(r.stack) == 0 {
			return nil
		}
	}
}

// gap explains bytes the Reader consumed between tokens: the empty name
// that ends an AMF3 array's associative part, a small message's flags.
func (d *dumper) gap(c ctx, to, dep int) {
	switch {
	case c.ok && c.f.kind == fAssoc3 && !c.f.expect:
		d.add(d.pos, 1, dep, "meta", "empty name (U29 01): end of the associative part, then "+plural(c.f.n, "dense item"))
	case c.ok && c.f.kind == fSmall3 && !c.f.expect:
		d.flags(c, to, dep)
	}
	if d.pos < to {
		d.add(d.pos, to-d.pos, dep, "meta", "unexplained bytes")
	}
}

// flags explains the flag bytes of a Flex small message read from d.pos
// up to to, group by group.
func (d *dumper) flags(c ctx, to, dep int) {
	tr := c.f.tr
	for g := c.f.group + 1; d.pos < to; g++ {
		for i := 0; d.pos < to; i++ {
			b := d.data[d.pos]
			var names []string
			for bit := 0; bit < 7; bit++ {
				if b&(1<<bit) == 0 {
					continue
				}
				name := unknownField(g, i, bit)
				if g < len(tr.small) && i < len(tr.small[g]) && bit < len(tr.small[g][i]) {
					name = tr.small[g][i][bit]
				}
				names = append(names, name)
			}
			s := "none"
			if len(names) > 0 {
				s = strings.Join(names, ", ")
			}
			more := ""
			if b&0x80 != 0 {
				more = "; another flags byte follows"
			}
			d.add(d.pos, 1, dep, "meta", fmt.Sprintf("flags (group %d, byte %d): %s%s", g+1, i+1, s, more))
			if b&0x80 == 0 {
				break
			}
		}
	}
}

// flexNote says what a Flex message's field holds beyond its type.
type flexNote uint8

const (
	flexNone      flexNote = iota
	flexUUID               // clientIdBytes, messageIdBytes, correlationIdBytes: 16 bytes of a UUID (§4.6)
	flexOperation          // a CommandMessage's (or DSC's) operation (§4.4)
)

// flexFieldNote says whether the value the context c expects is a Flex
// message's field worth annotating.
func flexFieldNote(c ctx) flexNote {
	if !c.ok || !c.f.expect || c.f.tr == nil || c.f.tr.t == nil {
		return flexNone
	}
	class := c.f.tr.t.Class
	switch name := string(c.f.name); {
	case c.f.kind == fSmall3 && (name == "clientIdBytes" || name == "messageIdBytes" || name == "correlationIdBytes"):
		return flexUUID
	case name == "operation" && (class == ClassDSC || class == ClassCommandMessage):
		return flexOperation
	}
	return flexNone
}

// commandOperations names a CommandMessage's operations as Flex and
// BlazeDS do (protocol digest §4.4).
var commandOperations = map[int32]string{
	0: "subscribe", 1: "unsubscribe", 2: "poll", 3: "client sync (data)", 4: "client sync (poll reply)",
	5: "ping", 6: "cluster response (data)", 7: "cluster request", 8: "login", 9: "logout",
	10: "subscription invalidate", 11: "multi-subscribe", 12: "disconnect", 13: "trigger connect",
	10000: "unknown (Flex's default)",
}

// commandOperation is the note after an operation's integer: "; ping".
func commandOperation(v int32) string {
	if s, ok := commandOperations[v]; ok {
		return ": " + s
	}
	return ": not an operation Flex defines"
}

// token explains the bytes of one token, [d.pos, end).
func (d *dumper) token(r *Reader, t Token, c ctx, end, dep int, pre string, ns, nt int) {
	switch t.Kind {
	case KindName:
		switch {
		case t.Version == AMF0:
			d.name0(end, dep, "name")
		default:
			d.str3(r, end, dep, &ns, "name", false)
		}
	case KindEnd:
		switch {
		case end-d.pos == 3 && t.Version == AMF0:
			d.add(d.pos, 3, dep-1, "meta", "object end (empty name 00 00, marker 09)")
		case end-d.pos == 1:
			d.add(d.pos, 1, dep-1, "meta", "end of dynamic members (empty name, U29 01)")
		}
	default:
		if c.ok && c.f.kind == fVecNum3 {
			// A Vector's items have no marker.
			text := fmt.Sprintf("item %d: %s", c.f.i+1, fmtFloat(t.Float))
			if t.Kind == KindInt {
				text = fmt.Sprintf("item %d: %d", c.f.i+1, t.Int)
			}
			d.add(d.pos, end-d.pos, dep, "scalar", text)
			return
		}
		if t.Version == AMF0 {
			d.value0(r, end, dep, &t, pre)
		} else {
			d.flex = flexFieldNote(c)
			d.value3(r, end, dep, &t, pre, &ns, &nt)
			d.flex = flexNone
		}
	}
}

// partial explains what the Reader read of the token it failed on, as
// far as the fault's offset.
func (d *dumper) partial(r *Reader, c ctx, ns, nt, dep int, err error, pre string) {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return
	}
	errOff := min(max(int(se.Offset), d.pos), d.lim)
	stop := errOff
	if !errors.Is(err, ErrBadMarker) && stop < d.lim {
		// The field the fault is about (a length or count that claims
		// more than is left, a reference out of its table, a header too
		// deep): show it too. What a length claims cannot fit, so nothing
		// after it is shown.
		ext := 4
		if _, n, ok := d.u29At(stop, d.lim); ok && (!c.ok && r.ver == AMF3 || c.ok && c.f.kind != fObj0 && c.f.kind != fStrict0) {
			ext = n
		}
		stop = min(stop+ext, d.lim)
	}
	if stop <= d.pos {
		return
	}
	name3 := c.ok && !c.f.expect && (c.f.kind == fAssoc3 || c.f.kind == fDynamic3 ||
		c.f.kind == fSealed3 && c.f.tr.t.Dynamic && c.f.i >= len(c.f.tr.t.Sealed))
	switch {
	case c.ok && c.f.kind == fObj0 && !c.f.expect:
		d.name0(stop, dep, "name")
	case name3:
		d.str3(r, stop, dep, &ns, "name", false)
	case c.ok && c.f.kind == fSmall3 && !c.f.expect:
		d.flags(c, errOff, dep)
	case c.ok && c.f.kind == fVecNum3:
	default:
		ver := r.ver
		if c.ok && !(c.f.kind == fObj0 || c.f.kind == fStrict0) {
			ver = AMF3
		}
		if ver == AMF0 {
			d.value0(r, stop, dep, nil, pre)
		} else {
			d.value3(r, stop, dep, nil, pre, &ns, &nt)
		}
	}
	if d.pos < errOff {
		d.add(d.pos, errOff-d.pos, dep+1, "meta", "read before the fault")
	}
}

// ---- AMF0 ----

var marker0Names = [...]string{"number", "boolean", "string", "object", "movieclip", "null", "undefined",
	"reference", "ecma array", "object end", "strict array", "date", "long string", "unsupported",
	"recordset", "xml document", "typed object", "avm+ switch"}

// name0 explains an AMF0 name: a u16 length and its bytes.
func (d *dumper) name0(end, dep int, what string) bool {
	if end-d.pos < 2 {
		return false
	}
	n := int(binary.BigEndian.Uint16(d.data[d.pos:]))
	if end-d.pos-2 < n {
		d.add(d.pos, 2, dep, "meta", fmt.Sprintf("%s length %d, but only %s left", what, n, plural(d.lim-d.pos-2, "byte")))
		return false
	}
	d.add(d.pos, 2+n, dep, "string", what+" "+quoteBytes(d.data[d.pos+2:d.pos+2+n])+" (u16 length "+itoa(n)+")")
	return true
}

func (d *dumper) refTarget(table []int, i int) string {
	if i < 0 || i >= len(table) {
		return " (not in the table: it has " + plural(len(table), "entry") + ")"
	}
	at := table[i]
	if at < 0 {
		return " (the shared object's data object)"
	}
	if at >= len(d.data) {
		return ""
	}
	what := "value"
	if m := d.data[at]; int(m) < len(marker0Names) {
		what = marker0Names[m]
	}
	return fmt.Sprintf(" (the %s at 0x%x)", what, d.base+int64(at))
}

// value0 explains an AMF0 value from d.pos, its header at least; t is
// nil when the token could not be read (then only what fits before end).
func (d *dumper) value0(r *Reader, end, dep int, t *Token, pre string) {
	if d.pos >= end {
		return
	}
	m := d.data[d.pos]
	name := fmt.Sprintf("marker 0x%02x", m)
	if int(m) < len(marker0Names) {
		name = marker0Names[m]
	}
	idx := -1
	if t != nil {
		idx = t.Index
	}
	at := d.pos
	left := end - at
	switch m {
	case m0Number:
		if left >= 9 {
			d.add(at, 9, dep, "scalar", pre+"number "+fmtFloat(math.Float64frombits(binary.BigEndian.Uint64(d.data[at+1:]))))
			return
		}
	case m0Boolean:
		if left >= 2 {
			d.add(at, 2, dep, "scalar", pre+"boolean "+strconv.FormatBool(d.data[at+1] != 0))
			return
		}
	case m0Null, m0Undefined, m0Unsupported:
		d.add(at, 1, dep, "scalar", pre+name)
		return
	case m0String, m0LongString, m0XMLDocument:
		w := 2
		if m != m0String {
			w = 4
		}
		if left < 1+w {
			break
		}
		var n int
		if w == 2 {
			n = int(binary.BigEndian.Uint16(d.data[at+1:]))
		} else {
			n = int(binary.BigEndian.Uint32(d.data[at+1:]))
		}
		follow := d.lim - at - 1 - w
		claim := plural(n, "byte")
		if n > follow {
			claim += ", but only " + itoa(follow) + " left"
		}
		if n <= end-at-1-w {
			d.add(at, 1+w+n, dep, "string", pre+name+" "+quoteBytes(d.data[at+1+w:at+1+w+n])+" (u"+itoa(8*w)+" length "+itoa(n)+")"+tableIdx("refs", idx))
			return
		}
		d.add(at, 1+w, dep, "meta", fmt.Sprintf("%s%s, u%d length: %s%s", pre, name, 8*w, claim, tableIdx("refs", idx)))
		return
	case m0Object:
		d.add(at, 1, dep, "container", pre+"object"+tableIdx("refs", idx))
		return
	case m0TypedObject:
		d.add(at, 1, dep, "container", pre+"typed object"+tableIdx("refs", idx))
		d.name0(end, dep+1, "class name")
		return
	case m0ECMAArray, m0StrictArray:
		if left < 5 {
			break
		}
		n := binary.BigEndian.Uint32(d.data[at+1:])
		what := plural(int(n), "item")
		if m == m0ECMAArray {
			what = fmt.Sprintf("%d (the members decide)", n)
		}
		d.add(at, 5, dep, "container", fmt.Sprintf("%s%s, u32 count %s%s", pre, name, what, tableIdx("refs", idx)))
		return
	case m0Reference:
		if left < 3 {
			break
		}
		i := int(binary.BigEndian.Uint16(d.data[at+1:]))
		d.add(at, 3, dep, "ref", fmt.Sprintf("%sreference → refs[%d]%s", pre, i, d.refTarget(r.refs0, i)))
		return
	case m0Date:
		if left < 11 {
			break
		}
		ms := math.Float64frombits(binary.BigEndian.Uint64(d.data[at+1:]))
		tz := int16(binary.BigEndian.Uint16(d.data[at+9:]))
		d.add(at, 11, dep, "scalar", fmt.Sprintf("%sdate %s (%s ms, time zone field %d)%s", pre, fmtDate(ms), fmtMs(ms), tz, tableIdx("refs", idx)))
		return
	case m0AVMPlus:
		d.add(at, 1, dep, "section", pre+"avm+ switch (0x11): the next value is AMF3")
		return
	}
	d.add(at, 1, dep, "meta", pre+name)
}

// ---- AMF3 ----

var marker3Names = [...]string{"undefined", "null", "false", "true", "integer", "double", "string",
	"xml document", "date", "array", "object", "xml", "bytearray", "vector<int>", "vector<uint>",
	"vector<Number>", "vector<Object>", "dictionary"}

// str3 explains a UTF-8-vr at d.pos (after a marker byte when marker):
// one range for the U29 and the bytes. *ns is the next string table
// index.
func (d *dumper) str3(r *Reader, end, dep int, ns *int, what string, marker bool) bool {
	at := d.pos
	p := at
	if marker {
		p++
	}
	u, n, ok := d.u29At(p, end)
	if !ok {
		return false
	}
	hdr := hexU29(d.data[p : p+n])
	if u&1 == 0 {
		i := int(u >> 1)
		s := what + " → strings[" + itoa(i) + "] (not in the table: it has " + plural(r.strN(), "entry") + ")"
		if i < r.strN() {
			s = what + " " + quoteBytes(r.strAt(i)) + " (" + hdr + ": reference → strings[" + itoa(i) + "])"
		}
		d.add(at, p+n-at, dep, "ref", s)
		return true
	}
	k := int(u >> 1)
	if k == 0 {
		d.add(at, p+n-at, dep, "string", what+` "" (`+hdr+": the empty string, never in the table)")
		return true
	}
	if k > end-p-n {
		d.add(at, p+n-at, dep, "meta", fmt.Sprintf("%s (%s: inline, %s, but only %d left)", what, hdr, plural(k, "byte"), d.lim-p-n))
		return false
	}
	d.add(at, p+n+k-at, dep, "string", what+" "+quoteBytes(d.data[p+n:p+n+k])+" ("+hdr+": inline, "+plural(k, "byte")+" → strings["+itoa(*ns)+"])")
	*ns++
	return true
}

func (d *dumper) objTarget(r *Reader, i int) string {
	if i < 0 || i >= r.objCount() {
		return " (not in the table: it has " + plural(r.objCount(), "entry") + ")"
	}
	at := int(r.objAt(i))
	if at < 0 || at >= len(d.data) || int(d.data[at]) >= len(marker3Names) {
		return ""
	}
	return fmt.Sprintf(" (the %s at 0x%x)", marker3Names[d.data[at]], d.base+int64(at))
}

// value3 explains an AMF3 value from d.pos; t is nil when the token
// could not be read (then only what fits before end).
func (d *dumper) value3(r *Reader, end, dep int, t *Token, pre string, ns, nt *int) {
	if d.pos >= end {
		return
	}
	at := d.pos
	m := d.data[at]
	name := fmt.Sprintf("marker 0x%02x", m)
	if int(m) < len(marker3Names) {
		name = marker3Names[m]
	}
	idx := -1
	if t != nil {
		idx = t.Index
	}
	switch m {
	case m3Undefined, m3Null, m3False, m3True:
		d.add(at, 1, dep, "scalar", pre+name)
		return
	case m3Integer:
		if u, n, ok := d.u29At(at+1, end); ok {
			v := int32(u<<3) >> 3
			note := ""
			if v < 0 {
				note = ", 29-bit two's complement"
			}
			if d.flex == flexOperation {
				note += commandOperation(v)
			}
			d.add(at, 1+n, dep, "scalar", pre+"integer "+itoa(int(v))+" ("+hexU29(d.data[at+1:at+1+n])+note+")")
			return
		}
	case m3Double:
		if end-at >= 9 {
			d.add(at, 9, dep, "scalar", pre+"double "+fmtFloat(math.Float64frombits(binary.BigEndian.Uint64(d.data[at+1:]))))
			return
		}
	case m3String:
		if d.str3(r, end, dep, ns, pre+"string", true) {
			return
		}
		if d.pos > at {
			return
		}
	}
	if m > m3Dictionary || m <= m3String {
		d.add(at, 1, dep, "meta", pre+name)
		return
	}
	u, n, ok := d.u29At(at+1, end)
	if !ok {
		d.add(at, 1, dep, "meta", pre+name)
		return
	}
	hdr := hexU29(d.data[at+1 : at+1+n])
	if u&1 == 0 {
		i := int(u >> 1)
		d.add(at, 1+n, dep, "ref", fmt.Sprintf("%s%s: %s = reference → objects[%d]%s", pre, name, hdr, i, d.objTarget(r, i)))
		return
	}
	hl := 1 + n
	switch m {
	case m3XMLDocument, m3XML, m3ByteArray:
		k := int(u >> 1)
		follow := d.lim - at - hl
		claim := plural(k, "byte")
		if k > follow {
			claim += ", but only " + itoa(follow) + " left"
		}
		if m != m3ByteArray && k <= end-at-hl {
			d.add(at, hl+k, dep, "string", fmt.Sprintf("%s%s %s (%s: inline, %s)%s", pre, name, quoteBytes(d.data[at+hl:at+hl+k]), hdr, plural(k, "byte"), tableIdx("objects", idx)))
			return
		}
		d.add(at, hl, dep, "meta", fmt.Sprintf("%s%s: %s = inline, %s%s", pre, name, hdr, claim, tableIdx("objects", idx)))
		if k <= end-d.pos {
			text := plural(k, "byte") + " of data"
			if d.flex == flexUUID && m == m3ByteArray {
				if id := FlexID(d.data[d.pos : d.pos+k]); id != "" {
					text += ": UUID " + id
				}
			}
			d.add(d.pos, k, dep+1, "scalar", text)
		}
	case m3Date:
		if end-at-hl >= 8 {
			ms := math.Float64frombits(binary.BigEndian.Uint64(d.data[at+hl:]))
			d.add(at, hl+8, dep, "scalar", fmt.Sprintf("%sdate %s (%s: inline; %s ms)%s", pre, fmtDate(ms), hdr, fmtMs(ms), tableIdx("objects", idx)))
		} else {
			d.add(at, hl, dep, "meta", pre+"date: "+hdr+" = inline")
		}
	case m3Array:
		k := int(u >> 1)
		d.add(at, hl, dep, "container", fmt.Sprintf("%sarray: %s = inline, %s%s", pre, hdr, plural(k, "dense item"), tableIdx("objects", idx)))
		if d.pos < end && d.data[d.pos] == 0x01 {
			d.add(d.pos, 1, dep+1, "meta", "empty name (U29 01): no associative part")
		}
	case m3Object:
		d.object3(r, end, dep, u, hdr, hl, idx, pre, ns, nt)
	case m3VectorInt, m3VectorUint, m3VectorDouble, m3VectorObject:
		k := int(u >> 1)
		d.add(at, hl, dep, "container", fmt.Sprintf("%s%s: %s = inline, %s%s", pre, name, hdr, plural(k, "item"), tableIdx("objects", idx)))
		if d.pos < end {
			d.add(d.pos, 1, dep+1, "meta", "fixed length: "+yesNo(d.data[d.pos] != 0))
		}
		if m == m3VectorObject && d.pos < end {
			d.str3(r, end, dep+1, ns, "item type", false)
		}
	case m3Dictionary:
		k := int(u >> 1)
		d.add(at, hl, dep, "container", fmt.Sprintf("%sdictionary: %s = inline, %s%s", pre, hdr, plural(k, "entry"), tableIdx("objects", idx)))
		if d.pos < end {
			d.add(d.pos, 1, dep+1, "meta", "weak keys: "+yesNo(d.data[d.pos] != 0))
		}
	}
}

// plural is "1 item", "2 items", "3 entries".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	if strings.HasSuffix(what, "y") {
		return itoa(n) + " " + what[:len(what)-1] + "ies"
	}
	return itoa(n) + " " + what + "s"
}

func itoa(i int) string { return strconv.Itoa(i) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// object3 explains an AMF3 object's header: the U29 and its flags, the
// traits (inline or a reference) and their names.
func (d *dumper) object3(r *Reader, end, dep int, u uint32, hdr string, hl, idx int, pre string, ns, nt *int) {
	at := d.pos
	obj := tableIdx("objects", idx)
	if u&2 == 0 {
		i := int(u >> 2)
		desc := " (not in the table: it has " + plural(r.traitN(), "entry") + ")"
		if tr := r.traitAt(i); tr != nil {
			desc = " (" + traitsDesc(tr.t) + ")"
		}
		d.add(at, hl, dep, "container", fmt.Sprintf("%sobject: %s = inline object, traits reference → traits[%d]%s%s", pre, hdr, i, desc, obj))
		return
	}
	if u&4 != 0 {
		d.add(at, hl, dep, "container", fmt.Sprintf("%sobject: %s = inline object, inline traits, externalizable%s%s", pre, hdr, tableIdx("traits", *nt), obj))
		*nt++
		d.str3(r, end, dep+1, ns, "class name", false)
		return
	}
	k := int(u >> 4)
	dyn := "not dynamic"
	if u&8 != 0 {
		dyn = "dynamic"
	}
	d.add(at, hl, dep, "container", fmt.Sprintf("%sobject: %s = inline object, inline traits, %s, %d sealed members%s%s", pre, hdr, dyn, k, tableIdx("traits", *nt), obj))
	*nt++
	if !d.str3(r, end, dep+1, ns, "class name", false) {
		return
	}
	for i := 0; i < k && d.pos < end; i++ {
		if !d.str3(r, end, dep+1, ns, fmt.Sprintf("sealed member %d", i+1), false) {
			return
		}
	}
}

func traitsDesc(t *Traits) string {
	if t == nil {
		return ""
	}
	class := "anonymous"
	if t.Class != "" {
		class = "class " + quoteShort(t.Class, 60)
	}
	switch {
	case t.Externalizable:
		return class + ", externalizable"
	case t.Dynamic:
		return fmt.Sprintf("%s, %d sealed, dynamic", class, len(t.Sealed))
	}
	return fmt.Sprintf("%s, %d sealed", class, len(t.Sealed))
}

// ---- containers ----

func (d *dumper) u16Row(dep int, class, text string) {
	d.add(d.pos, 2, dep, class, text)
}

// packet explains a remoting packet: the version, each header and
// message with its fields, and each value with its own reference tables.
func (d *dumper) packet() error {
	if err := d.need(2, "/version"); err != nil {
		return err
	}
	ver := binary.BigEndian.Uint16(d.data)
	if ver != 0 && ver != 1 && ver != 3 {
		return d.errAt(0, "", fmt.Errorf("%w %d (want 0, 1 or 3)", ErrVersion, ver))
	}
	d.u16Row(0, "section", fmt.Sprintf("packet version %d", ver))
	for part, what := range []string{"header", "message"} {
		if err := d.need(2, "/"+what+"s"); err != nil {
			return err
		}
		n := int(binary.BigEndian.Uint16(d.data[d.pos:]))
		if f := d.count.At(d.pos, part == 1, n); f != nil {
			// A count the gateway wrote wrong: read as the bytes say.
			d.u16Row(0, "fault", fmt.Sprintf("%s, but the bytes hold %s: read as such", plural(n, what), plural(f.Found, what)))
			n = f.Found
			for i := 0; i < n; i++ {
				if err := d.packetPart(part == 1, i, fmt.Sprintf("/%ss/%d", what, i)); err != nil {
					return err
				}
			}
			continue
		}
		minSize := 8 + part // the smallest header or message
		if left := len(d.data) - d.pos - 2; n*minSize > left {
			d.u16Row(0, "meta", fmt.Sprintf("%s, but only %s left", plural(n, what), plural(left, "byte")))
			// The decoder's error (UnmarshalPacket's checkCount), word
			// for word: the counts are AMF0's.
			return &SyntaxError{Version: AMF0.String(), Offset: int64(d.pos - 2), Path: "/" + what + "s",
				Err: claim{n: int64(n), size: minSize}.err(int64(left))}
		}
		d.u16Row(0, "section", plural(n, what))
		for i := 0; i < n; i++ {
			path := fmt.Sprintf("/%ss/%d", what, i)
			if err := d.packetPart(part == 1, i, path); err != nil {
				return err
			}
		}
	}
	if d.pos < len(d.data) {
		return &TrailingDataError{N: len(d.data) - d.pos, Offset: int64(d.pos)}
	}
	return nil
}

func (d *dumper) pstr(path, what string, dep int) (string, error) {
	if err := d.need(2, path); err != nil {
		return "", err
	}
	n := int(binary.BigEndian.Uint16(d.data[d.pos:]))
	if left := len(d.data) - d.pos - 2; left < n {
		at := d.pos
		d.add(at, 2, dep, "meta", fmt.Sprintf("%s: u16 length %d, but only %s left", what, n, plural(left, "byte")))
		return "", d.errAt(at, path, fmt.Errorf("length %d exceeds the %d bytes left: %w", n, left, io.ErrUnexpectedEOF))
	}
	s := DecodeText(d.data[d.pos+2 : d.pos+2+n])
	d.add(d.pos, 2+n, dep, "string", fmt.Sprintf("%s %s (u16 length %d)", what, quoteShort(s, 60), n))
	return s, nil
}

// peekStr0 reads the AMF0 name at off without explaining it.
func (d *dumper) peekStr0(off int) (string, int, bool) {
	if len(d.data)-off < 2 {
		return "", off, false
	}
	n := int(binary.BigEndian.Uint16(d.data[off:]))
	if len(d.data)-off-2 < n {
		return "", off, false
	}
	return DecodeText(d.data[off+2 : off+2+n]), off + 2 + n, true
}

func (d *dumper) packetPart(message bool, i int, path string) error {
	head := fmt.Sprintf("header %d", i+1)
	if message {
		head = fmt.Sprintf("message %d", i+1)
	}
	if s, next, ok := d.peekStr0(d.pos); ok {
		head += ": " + quoteShort(s, 60)
		if s2, _, ok := d.peekStr0(next); ok && message {
			head += " → " + quoteShort(s2, 30)
		}
	}
	d.add(d.pos, 0, 0, "section", head)
	var name string
	var err error
	if !message {
		if name, err = d.pstr(path+"/name", "name", 1); err != nil {
			return err
		}
		if err := d.need(1, path+"/mustUnderstand"); err != nil {
			return err
		}
		d.add(d.pos, 1, 1, "meta", "must understand: "+yesNo(d.data[d.pos] != 0))
	} else {
		if name, err = d.pstr(path+"/target", "target", 1); err != nil {
			return err
		}
		if _, err = d.pstr(path+"/response", "response", 1); err != nil {
			return err
		}
	}
	if err := d.need(4, path+"/length"); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(d.data[d.pos:])
	start := d.pos + 4
	// The numbering of a request's references is the decoder's choice
	// (see Message.UnregisteredArgs); the value's size, to set against the
	// length field, comes from reading it once ahead with that numbering.
	var nb numbering
	if message && !isReplyTarget(name) {
		nb = d.m.dumpNumbering(d.data, start)
	}
	unreg := nb.unregArgs
	took := d.ahead(start, nb)
	var s string
	left := len(d.data) - start
	switch {
	case n == UnknownLength && took >= 0:
		s = fmt.Sprintf("value length unknown (ff ff ff ff); the value takes %s", plural(took, "byte"))
	case n == UnknownLength:
		s = "value length unknown (ff ff ff ff)"
	case int64(n) == int64(took):
		s = fmt.Sprintf("value length %d (as the value takes)", n)
	case took >= 0:
		s = fmt.Sprintf("value length %d, but the value takes %s (readers go by the value)", n, plural(took, "byte"))
	case int64(n) > int64(left):
		s = fmt.Sprintf("value length %d, but only %s left", n, plural(left, "byte"))
	default:
		s = fmt.Sprintf("value length %d", n)
	}
	d.add(d.pos, 4, 1, "meta", s)
	r := d.m.NewReader(d.data, AMF0)
	r.off = start
	r.dateRefs = nb.dateRefs
	label := "value: "
	switch {
	case nb.dateRefs:
		label = "value (Flash Player 9 numbering, as Red5 reads it: the argument array takes no reference slot, dates take one): "
	case unreg:
		label = "value (PyAMF numbering: the argument array takes no reference slot): "
	}
	err = d.valueOf(r, 1, label, unreg)
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) && !strings.HasPrefix(se.Path, path) {
			c := *se
			c.Path = path + "/value" + c.Path
			err = &c
		}
		return err
	}
	return nil
}

// PacketDecodes reports whether data is a remoting packet that
// [UnmarshalPacket] decodes, with the default limits, without building
// its values: the packet is read as the dump reads it (the envelope,
// then each value with the token Reader, a request's with the numbering
// UnmarshalPacket chooses). A guess of what the input is can then tell
// a packet without holding its values, which take many times its size.
func PacketDecodes(data []byte) bool { return defaultDecMode.PacketDecodes(data) }

// PacketDecodes is [PacketDecodes] with the mode's limits.
func (m *DecMode) PacketDecodes(data []byte) bool {
	d := &dumper{m: m, data: data, lim: len(data)}
	if len(data) < 2 {
		return false
	}
	if ver := binary.BigEndian.Uint16(data); ver != 0 && ver != 1 && ver != 3 {
		return false
	}
	d.pos = 2
	str := func() (string, bool) {
		s, next, ok := d.peekStr0(d.pos)
		d.pos = next
		return s, ok
	}
	for part := 0; part < 2; part++ {
		if d.need(2, "") != nil {
			return false
		}
		n := m.countRead(d.pos, part == 1, int(binary.BigEndian.Uint16(data[d.pos:])))
		d.pos += 2
		if n*(8+part) > len(data)-d.pos {
			return false
		}
		for i := 0; i < n; i++ {
			name, ok := str()
			if !ok {
				return false
			}
			if part == 0 {
				if d.need(1, "") != nil {
					return false
				}
				d.pos++
			} else if _, ok := str(); !ok {
				return false
			}
			if d.need(4, "") != nil {
				return false
			}
			start := d.pos + 4
			var nb numbering
			if part == 1 && !isReplyTarget(name) {
				nb = m.dumpNumbering(data, start)
			}
			took := d.ahead(start, nb)
			if took < 0 {
				return false
			}
			d.pos = start + took
		}
	}
	return d.pos == len(data)
}

// ahead reads the AMF0 value at start, numbered as nb says, without
// explaining it, and returns its size (-1 when it does not read).
func (d *dumper) ahead(start int, nb numbering) int {
	r := d.m.NewReader(d.data, AMF0)
	r.off = start
	r.dateRefs = nb.dateRefs
	for first := true; ; first = false {
		t, err := r.ReadToken()
		if err != nil {
			return -1
		}
		if first && nb.unregArgs && t.Kind == KindArray && t.Version == AMF0 && len(r.refs0) == 1 {
			r.refs0 = r.refs0[:0]
		}
		if len(r.stack) == 0 {
			return r.off - start
		}
	}
}

// valueOf explains one value; unreg drops the argument array's slot.
func (d *dumper) valueOf(r *Reader, dep int, label string, unreg bool) error {
	if !unreg {
		return d.values(r, dep, true, label)
	}
	// Read the array's header token alone, then free its slot.
	c := d.context(r)
	ns, nt := r.strN(), r.traitN()
	t, err := r.ReadToken()
	if err != nil {
		if err == io.EOF {
			err = d.errAt(len(d.data), "", io.ErrUnexpectedEOF)
		}
		d.partial(r, c, ns, nt, dep, err, label)
		return err
	}
	if t.Kind == KindArray && t.Version == AMF0 && len(r.refs0) == 1 && t.Index == 0 {
		r.refs0 = r.refs0[:0]
		t.Index = -1
	}
	d.token(r, t, c, int(r.InputOffset()), dep, label, ns, nt)
	if len(r.stack) == 0 {
		return nil
	}
	return d.values(r, dep, true, "")
}

// sol explains a .sol file: its header, name, version and each member
// with the 00 byte that ends it. The reference tables span the file.
func (d *dumper) sol() error {
	if !IsSOL(d.data) {
		off, err := notSOL(d.data)
		if off > 0 {
			// Explain the bytes up to the one that differs, or up to
			// the end of a header cut short (off 2 or more).
			d.add(0, 2, 0, "section", ".sol magic 00 bf")
			switch {
			case off >= 6:
				d.add(2, 4, 0, "meta", fmt.Sprintf("length %d", binary.BigEndian.Uint32(d.data[2:])))
			case off > 2:
				d.add(2, off-2, 0, "meta", "length, cut short")
			}
			switch {
			case off > 10:
				d.add(6, off-6, 0, "section", fmt.Sprintf(`signature "TCSO" % x`, d.data[10:off]))
			case off > 6:
				d.add(6, off-6, 0, "section", fmt.Sprintf("signature %q", d.data[6:off]))
			}
		}
		return d.errAt(off, "", err)
	}
	d.add(0, 2, 0, "section", ".sol magic 00 bf")
	n := binary.BigEndian.Uint32(d.data[2:])
	if int64(n) != int64(len(d.data)-6) {
		d.add(2, 4, 0, "fault", fmt.Sprintf("length %d, but %s follow it", n, plural(len(d.data)-6, "byte")))
		d.late = d.errAt(2, "", fmt.Errorf("the .sol header gives a length of %d bytes but %d follow it", n, len(d.data)-6))
	} else {
		d.add(2, 4, 0, "meta", fmt.Sprintf("length %d (the bytes that follow)", n))
	}
	d.add(6, 10, 0, "section", `signature "TCSO" 00 04 00 00 00 00`)
	if _, err := d.pstr("/name", "name", 0); err != nil {
		return err
	}
	if err := d.need(4, ""); err != nil {
		return err
	}
	if d.data[d.pos] != 0 || d.data[d.pos+1] != 0 || d.data[d.pos+2] != 0 {
		return d.errAt(d.pos, "", errors.New("expected 3 bytes of zero padding after the .sol name"))
	}
	d.add(d.pos, 3, 0, "meta", "padding 00 00 00")
	v := d.data[d.pos]
	if v != 0 && v != 3 {
		return d.errAt(d.pos, "", fmt.Errorf("unknown .sol AMF version %d (want 0 or 3)", v))
	}
	ver := AMF0
	if v == 3 {
		ver = AMF3
	}
	r := d.m.NewReader(d.data, ver)
	if ver == AMF0 {
		// Flash Player numbers an AMF0 file's references from the shared
		// object's data object, reference 0; the first object of the body
		// is reference 1 (digest §6.1).
		r.refs0 = append(r.refs0, -1)
		d.add(d.pos, 1, 0, "section", "values are AMF0; reference 0 is the shared object's data object")
	} else {
		d.add(d.pos, 1, 0, "section", "values are AMF3; the tables span the file")
	}
	for d.pos < len(d.data) {
		r.off = d.pos
		var key []byte
		if ver == AMF0 {
			if err := d.need(2, ""); err != nil {
				return err
			}
			kn := int(binary.BigEndian.Uint16(d.data[d.pos:]))
			if len(d.data)-d.pos-2 < kn {
				return d.errAt(d.pos, "", fmt.Errorf("length %d exceeds the %d bytes left: %w", kn, len(d.data)-d.pos-2, io.ErrUnexpectedEOF))
			}
			key = d.data[d.pos+2 : d.pos+2+kn]
			d.name0(len(d.data), 0, "member")
		} else {
			ns := r.strN()
			k, _, err := r.str3()
			if err != nil {
				err = r.finish(err)
				d.str3(r, int(errOffset(err, d.pos)), 0, &ns, "member", false)
				return err
			}
			key = k
			d.str3(r, r.off, 0, &ns, "member", false)
		}
		path := "/" + escapePointer(DecodeText(key))
		r.off = d.pos
		if err := d.values(r, 1, true, ""); err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				c := *se
				c.Path = path + c.Path
				err = &c
			}
			return err
		}
		if err := d.need(1, path); err != nil {
			return err
		}
		if b := d.data[d.pos]; b != 0 {
			return d.errAt(d.pos, path, fmt.Errorf("expected the 00 byte that ends a .sol entry, found 0x%02x", b))
		}
		d.add(d.pos, 1, 0, "meta", "end of member (00)")
	}
	return nil
}

// faultOffset is the offset the dump gives for its error: where the
// failing item starts (a syntax error's offset, where trailing data
// starts), else def.
func faultOffset(err error, def int) int64 {
	var te *TrailingDataError
	if errors.As(err, &te) {
		return te.Offset
	}
	return errOffset(err, def)
}

func errOffset(err error, def int) int64 {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Offset
	}
	return int64(def)
}

var flvTagTypes = map[byte]string{FLVTagAudio: "audio", FLVTagVideo: "video", FLVTagScript: "script data"}

// flv explains an FLV file, read with the FLVReader: its header, each
// tag header and previous tag size, and the AMF0 values of script data
// tags (each tag its own reference context); audio and video data are
// named, not explained.
func (d *dumper) flv() error {
	fr := d.m.NewFLVReader(d.data)
	if d.src != nil {
		// What the FLVReader reads is kept in data, one tag at a time.
		fr = d.m.NewFLVStreamReader(io.TeeReader(d.src, (*dumpWindow)(d)))
	}
	h, err := fr.Header()
	if errors.Is(err, errFLVSignature) {
		return err
	}
	d.add(0, 3, 0, "section", `signature "FLV"`)
	d.add(3, 1, 0, "meta", fmt.Sprintf("version %d", h.Version))
	var has []string
	if h.Flags&4 != 0 {
		has = append(has, "audio")
	}
	if h.Flags&1 != 0 {
		has = append(has, "video")
	}
	if len(has) == 0 {
		has = append(has, "none")
	}
	d.add(4, 1, 0, "meta", "flags: "+strings.Join(has, ", "))
	if err != nil {
		return err
	}
	d.add(5, 4, 0, "meta", fmt.Sprintf("header size %d", h.Size))
	if h.Size > 9 {
		d.add(9, int(h.Size)-9, 0, "meta", "rest of the header")
	}
	scripts := 0
	var last *FLVTag // the tag read last (a copy), nil before the first
	for {
		if d.scriptTag != nil {
			d.scriptTag(-1, 0, 0) // before the window moves past the tag
		}
		d.slide()
		at := d.pos
		tag, err := fr.Next()
		if tag == nil && fr.InputOffset() >= d.base+int64(at)+4 {
			// The PreviousTagSize was read before the tag failed.
			prev := binary.BigEndian.Uint32(d.data[at:])
			d.add(at, 4, 0, "meta", prevTagSizeText(prev, last))
			if cut, _ := fr.CutShort(); err != nil && err != io.EOF && cut != nil && last != nil && prev != flvWantPrev(last) {
				// As convert says it: the tag before's data size is
				// likely wrong, and this "tag" was read from the wrong
				// place, not cut short.
				return fmt.Errorf("%w; its PreviousTagSize %d (at offset %d) is not the %d bytes tag %d took (11 + its data size %d, at offset %d): that data size is likely wrong, and tag %d was read from the wrong place",
					err, prev, d.base+int64(at), flvWantPrev(last), last.Index, last.Size, last.Offset+1, cut.Index)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		tagAt := int(tag.Offset - d.base)
		d.add(tagAt-4, 4, 0, "meta", prevTagSizeText(tag.PrevSize, last))
		c := *tag
		last = &c
		tname := flvTagTypes[tag.Type]
		if tname == "" {
			tname = fmt.Sprintf("type %d", tag.Type)
		}
		enc := ""
		if tag.Encrypted {
			enc = ", encrypted"
		}
		start := tagAt + 11
		n := tag.Size
		if tag.IsScript() && n > 0 && d.scriptTag != nil {
			d.scriptTag(scripts, start, start+n)
		}
		d.add(tagAt, 11, 0, "section", fmt.Sprintf("tag %d: %s%s, %d bytes, timestamp %d ms", tag.Index, tname, enc, n, tag.Timestamp))
		if !tag.IsScript() {
			if n > 0 {
				d.add(start, n, 1, "meta", fmt.Sprintf("%s data, %d bytes", tname, n))
			}
			continue
		}
		if n == 0 {
			// No handler name: FLVReader.Script's error.
			return &SyntaxError{Version: "amf0", Offset: d.base + int64(start), Err: io.ErrUnexpectedEOF}
		}
		scripts++
		stop := start + n
		r := d.m.NewReader(d.data[:stop], AMF0)
		r.off = start
		d.lim = stop
		nameEnd := -1 // where the value after the handler name starts
		for d.pos < stop {
			if stop-d.pos == 3 && d.data[d.pos] == 0 && d.data[d.pos+1] == 0 && d.data[d.pos+2] == 9 {
				d.add(d.pos, 3, 1, "meta", "object-end bytes 00 00 09 that some writers add")
				break
			}
			label := ""
			if d.pos == start {
				label = "handler name: "
			} else if d.pos == nameEnd && d.openValue(r, start, stop) {
				// FLVReader.Script reads it as if its end marker
				// followed the tag's data: so is it explained.
				break
			}
			if err := d.values(r, 1, true, label); err != nil {
				return d.absolute(err)
			}
			if label != "" && d.data[start] != m0String && d.data[start] != m0LongString {
				return &SyntaxError{Version: "flv", Offset: d.base + int64(start), Err: errFLVNoName}
			}
			if label != "" {
				nameEnd = d.pos
			}
		}
		d.lim = len(d.data)
	}
}

// flvWantPrev is what the PreviousTagSize after tag last should say:
// its size, header (11 bytes) and data; 0 before the first tag (nil).
func flvWantPrev(last *FLVTag) uint32 {
	if last == nil {
		return 0
	}
	return 11 + uint32(last.Size)
}

// prevTagSizeText explains a PreviousTagSize of n after the tag last
// (nil before the first): a size that is not that tag's is flagged, as
// convert warns of it (players ignore it; a wrong one is the sign of a
// wrong data size in the tag before, when the next tag then fails).
func prevTagSizeText(n uint32, last *FLVTag) string {
	want := flvWantPrev(last)
	if n == want {
		return fmt.Sprintf("previous tag size %d", n)
	}
	if last == nil {
		return fmt.Sprintf("previous tag size %d: wrong, 0 before the first tag", n)
	}
	return fmt.Sprintf("previous tag size %d: wrong, not the %d bytes tag %d took (11 + its data size %d)", n, want, last.Index, last.Size)
}

// openValue explains the value that follows a script tag's handler name
// at d.pos when it is an ECMA array or object that the tag's data ends
// inside, without its end marker, and that reads whole with the marker
// put after the data (FLVScript.Unterminated); it reports whether it did.
func (d *dumper) openValue(r *Reader, start, stop int) bool {
	at := d.pos
	if !d.m.unterminatedAt(d.data, at, start, stop) {
		return false
	}
	data, lim := d.data, d.lim
	fixed := append(slices.Clip(data[:stop]), 0, 0, 9)
	d.data, d.lim, d.clip = fixed, stop+3, stop
	r.data = fixed
	r.off = at
	err := d.values(r, 1, true, "")
	d.data, d.lim, d.clip = data, lim, 0
	r.data = data[:stop]
	if err != nil || d.pos != stop {
		// readUnterminated read it: not reached.
		d.pos = stop
	}
	d.add(stop, 0, 1, "meta", "the value ends with the tag's data, without its end marker 00 00 09; read as if the marker were there")
	return true
}

// unterminatedAt reports whether the value at data[at:], in the script
// tag whose data is data[start:stop], is an ECMA array or object that
// the tag's data ends inside, without its end marker, and that reads
// whole with the marker put after the data (FLVScript.Unterminated).
// The dump and its paths both ask it.
func (m *DecMode) unterminatedAt(data []byte, at, start, stop int) bool {
	if data[at] != m0ECMAArray && data[at] != m0Object {
		return false
	}
	// A value that reads within the tag's data as it is, or fails for
	// another reason than the data's end, is not one.
	t := Reader{m: m}
	t.Reset(data[at:stop], AMF0)
	if _, err := t.ReadValue(); err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		return false
	}
	_, ok := readUnterminated(data[start:stop], int64(at-start), m)
	return ok
}

// dumpWindow is a dumper reading a stream: what the FLVReader reads is
// appended to the data being explained.
type dumpWindow dumper

func (w *dumpWindow) Write(p []byte) (int, error) {
	w.data = append(w.data, p...)
	w.lim = len(w.data)
	return len(p), nil
}

// slide drops, over a stream, the bytes explained so far from data:
// between FLV tags, so that data holds one tag at a time.
func (d *dumper) slide() {
	if d.src == nil || d.pos == 0 {
		return
	}
	d.base += int64(d.pos)
	n := copy(d.data, d.data[d.pos:])
	// The buffer is kept: it is at most one tag long (16 MiB).
	d.data = d.data[:n]
	d.pos, d.lim = 0, n
}

// dumpFLVStream explains the FLV file read from src, size bytes long
// (the unread bytes after a fault are counted from it; -1 when unknown:
// they are then read to the end and counted, holding keep of them), as
// DumpFunc does with DumpFLV, holding one tag at a time; f gets each
// range with the source of its bytes, valid during the call.
func (m *DecMode) dumpFLVStream(src io.Reader, size, keep int64, f func(DumpRange, rangeSource) error, tags func(d *dumper, k, start, stop int)) error {
	d := &dumper{m: m, src: src, size: size, keep: keep}
	d.emit = func(rg DumpRange) error { return f(rg, d) }
	if tags != nil {
		d.scriptTag = func(k, start, stop int) { tags(d, k, start, stop) }
	}
	err := d.flv()
	if d.werr != nil {
		return d.werr
	}
	if err != nil {
		d.fault(err)
	}
	if d.werr != nil {
		return d.werr
	}
	return err
}

// WriteFLVDumpText explains the FLV file read from r, size bytes long,
// to w as [DecMode.WriteDumpText] does with [DumpFLV], reading it as it
// goes: memory holds one tag (at most 16 MiB), not the file.
//
// A size of -1 says it is not known (r is a pipe): the text is the same,
// since nothing in it needs the size before the end. After a fault, the
// rest of r is then read to count the bytes not read; of those only the
// ones shown are held (all of them when all is set, since every byte is
// shown then).
func (m *DecMode) WriteFLVDumpText(w io.Writer, r io.Reader, size int64, p *DumpPalette, all bool) error {
	t := &dumpText{w: w, p: p, all: all}
	keep := int64(-1)
	if !all {
		keep = dumpHexWidth * dumpHexLines
	}
	err := m.dumpFLVStream(r, size, keep, func(rg DumpRange, src rangeSource) error {
		t.src = src
		return t.write(rg)
	}, nil)
	if ferr := t.flush(); ferr != nil && (err == nil || isFault(err)) {
		return ferr
	}
	return err
}

// WriteFLVDumpJSON explains the FLV file read from r, size bytes long,
// to w as [DecMode.WriteDumpJSON] does with [DumpFLV], reading it as it
// goes: memory holds one tag (at most 16 MiB), not the file.
//
// The document starts with the input's size, so size must be known: a
// pipe is not dumped as JSON this way (see WriteFLVDumpText for text).
func (m *DecMode) WriteFLVDumpJSON(w io.Writer, r io.Reader, size int64, lines bool, opts ...DumpOption) error {
	if size < 0 {
		return errors.New("amf: the JSON dump of an FLV stream needs its size")
	}
	names := dumpOpts(opts).names
	j := &dumpJSON{w: w, size: size, lines: lines}
	// The paths are walked a script tag at a time, over the window that
	// holds the tag, as dumpPaths walks the file held whole; other
	// bytes have none (a nil cursor).
	defer func() { j.paths.end() }()
	var marks []pathMark // a small tag's
	small := &pathWalk{m: m, names: names, yield: func(pm pathMark) bool {
		marks = append(marks, pm)
		return true
	}}
	j.begin(DumpFLV)
	err := m.dumpFLVStream(r, size, -1, func(rg DumpRange, src rangeSource) error {
		j.src = src
		return j.write(rg)
	}, func(d *dumper, k, start, stop int) {
		j.paths.end()
		j.paths = nil
		if k < 0 {
			return
		}
		data, base := d.data[:stop], d.base
		if stop-start > flvMarksHeld {
			j.paths = newPathCursor(func(yield func(pathMark) bool) {
				w := &pathWalk{m: m, names: names, data: data, base: base, yield: yield}
				w.flvTag(start, stop, k)
			})
			return
		}
		// A small tag's marks are walked at once: a walk pulled as
		// the ranges ask (a coroutine each) cost 5.8 us a tag, and
		// the dump of 200,000 small script tags took 2.2 times as
		// long as it did with no paths.
		marks = marks[:0]
		small.data, small.base, small.done = data, base, false
		small.flvTag(start, stop, k)
		j.paths = heldMarks(marks)
	})
	if err != nil && !isFault(err) {
		return err
	}
	if ferr := j.end(err); ferr != nil {
		return ferr
	}
	return err
}

// frames explains AMF Socket frames: each a 4-byte big-endian length and
// one AMF3 value with reference tables of its own (see [FrameReader]).
func (d *dumper) frames() error {
	for index := 1; d.pos < len(d.data); index++ {
		if len(d.data)-d.pos < 4 {
			return &SyntaxError{Version: "socket", Offset: int64(d.pos),
				Err: fmt.Errorf("frame %d: %d bytes of a 4-byte length: %w", index, len(d.data)-d.pos, io.ErrUnexpectedEOF)}
		}
		n := int64(binary.BigEndian.Uint32(d.data[d.pos:]))
		start := d.pos + 4
		switch {
		case n > DefaultMaxFrame:
			return &SyntaxError{Version: "socket", Offset: int64(d.pos),
				Err: fmt.Errorf("frame %d: length %d exceeds the limit of %d bytes", index, n, DefaultMaxFrame)}
		case n > int64(len(d.data)-start):
			return &SyntaxError{Version: "socket", Offset: int64(d.pos),
				Err: fmt.Errorf("frame %d: length %d exceeds the %d bytes left: %w", index, n, len(d.data)-start, io.ErrUnexpectedEOF)}
		case n == 0:
			return &SyntaxError{Version: "socket", Offset: int64(d.pos), Err: fmt.Errorf("frame %d: length 0 holds no value", index)}
		}
		d.add(d.pos, 4, 0, "section", fmt.Sprintf("frame %d: length %d", index, n))
		stop := start + int(n)
		r := d.m.NewReader(d.data[:stop], AMF3)
		r.off = start
		d.lim = stop
		if err := d.values(r, 1, true, ""); err != nil {
			return err
		}
		if d.pos < stop {
			d.add(d.pos, stop-d.pos, 1, "meta", fmt.Sprintf("%d bytes after the value (ignored, as peers do)", stop-d.pos))
		}
		d.lim = len(d.data)
	}
	return nil
}

// ---- output ----

// DumpPalette colours a dump's text form. A nil entry prints plainly, so
// the zero palette prints no escape codes.
type DumpPalette struct {
	Offset, Hex                             func(string) string
	Section, Container, Scalar, String, Ref func(string) string
	Meta, Fault, Unread                     func(string) string
}

func paint(f func(string) string, s string) string {
	if f == nil || s == "" {
		return s
	}
	return f(s)
}

func (p *DumpPalette) class(c string) func(string) string {
	if p == nil {
		return nil
	}
	switch c {
	case "section":
		return p.Section
	case "container":
		return p.Container
	case "scalar":
		return p.Scalar
	case "string":
		return p.String
	case "ref":
		return p.Ref
	case "meta":
		return p.Meta
	case "fault":
		return p.Fault
	case "unread":
		return p.Unread
	}
	return nil
}

// dumpHexWidth is the number of bytes shown on one line.
const dumpHexWidth = 8

// dumpMaxIndent bounds the indentation of the text form, in levels.
const dumpMaxIndent = 24

// dumpHexLines bounds the hex lines of one range unless all are asked for.
const dumpHexLines = 4

// WriteText writes the dump for people: one line per range with its
// offset, up to 8 bytes of hex and its meaning, indented by nesting;
// longer ranges go on over more lines, up to 4 unless all is set. p may
// be nil.
func (dm *Dump) WriteText(w io.Writer, p *DumpPalette, all bool) error {
	t := &dumpText{w: w, src: heldInput(dm.Data), p: p, all: all}
	for _, rg := range dm.Ranges {
		if err := t.write(rg); err != nil {
			return err
		}
	}
	return t.flush()
}

// WriteDumpText explains data to w as [Dump.WriteText] does, with the
// default limits, writing each range as it is found. It returns the
// fault, if any, or the first error writing to w.
func WriteDumpText(w io.Writer, data []byte, in DumpInput, p *DumpPalette, all bool, opts ...DumpOption) error {
	return defaultDecMode.WriteDumpText(w, data, in, p, all, opts...)
}

// WriteDumpText is [WriteDumpText] with the mode's limits.
// Of opts, only DumpCount counts.
func (m *DecMode) WriteDumpText(w io.Writer, data []byte, in DumpInput, p *DumpPalette, all bool, opts ...DumpOption) error {
	t := &dumpText{w: w, src: heldInput(data), p: p, all: all}
	err := m.DumpFunc(data, in, t.write, opts...)
	if ferr := t.flush(); ferr != nil && (err == nil || isFault(err)) {
		return ferr
	}
	return err
}

// WriteDumpJSON explains data to w as one JSON document (see
// [Dump.MarshalJSON]) with the default limits, writing each range as it
// is found; lines puts each range on a line of its own, for people. It
// returns the fault, if any, or the first error writing to w.
func WriteDumpJSON(w io.Writer, data []byte, in DumpInput, lines bool, opts ...DumpOption) error {
	return defaultDecMode.WriteDumpJSON(w, data, in, lines, opts...)
}

// WriteDumpJSON is [WriteDumpJSON] with the mode's limits.
func (m *DecMode) WriteDumpJSON(w io.Writer, data []byte, in DumpInput, lines bool, opts ...DumpOption) error {
	o := dumpOpts(opts)
	j := &dumpJSON{w: w, src: heldInput(data), size: int64(len(data)), lines: lines, skipped: o.skipped}
	j.paths = newPathCursor(m.dumpPaths(data, in, o.names, o.count))
	defer j.paths.stop()
	j.begin(in)
	err := m.DumpFunc(data, in, j.write, opts...)
	if err != nil && !isFault(err) {
		return err
	}
	if ferr := j.end(err); ferr != nil {
		return ferr
	}
	return err
}

func isFault(err error) bool {
	var se *SyntaxError
	var te *TrailingDataError
	return errors.As(err, &se) || errors.As(err, &te)
}

// A DumpCutNoter is a writer of a text dump (WriteDumpText,
// WriteFLVDumpText) that is told of each range whose hex the dump cuts
// to its first 32 bytes ("... N more bytes", when all is not set), so
// that its caller can say how to see every byte.
type DumpCutNoter interface {
	io.Writer
	DumpCut(rg DumpRange)
}

// dumpText formats ranges for people, in 64 KiB writes.
type dumpText struct {
	w    io.Writer
	src  rangeSource
	p    *DumpPalette
	all  bool
	b    []byte
	line [dumpHexWidth]byte // a line's bytes, when they come from a stream
}

func (t *dumpText) write(rg DumpRange) error {
	p := t.p
	if p == nil {
		p = &DumpPalette{}
	}
	b := t.b
	bs, rest := t.src.rangeBytes(rg)
	lines := max(int((rg.Length+dumpHexWidth-1)/dumpHexWidth), 1)
	shown := lines
	if !t.all && shown > dumpHexLines {
		shown = dumpHexLines
	}
	var more *bufio.Reader // the bytes after bs, when they are not held
	if rest != nil {
		more = bufio.NewReaderSize(rest, 64<<10)
	}
	for l := 0; l < shown; l++ {
		var chunk []byte
		if from := l * dumpHexWidth; from < len(bs) || more == nil {
			chunk = bs[min(from, len(bs)):min(from+dumpHexWidth, len(bs))]
		}
		if more != nil && len(chunk) < dumpHexWidth {
			// A line's bytes, from the end of bs and then the stream.
			k := copy(t.line[:], chunk)
			want := min(int64(dumpHexWidth), rg.Length-int64(l*dumpHexWidth))
			m, err := io.ReadFull(more, t.line[k:want])
			if err != nil {
				return fmt.Errorf("amf: reading the unread bytes at offset %d: %w", rg.Offset+int64(l*dumpHexWidth+k+m), err)
			}
			chunk = t.line[:want]
		}
		b = appendOffset(b, p.Offset, rg.Offset+int64(l*dumpHexWidth))
		b = append(b, "  "...)
		if p.Hex != nil {
			b = append(b, p.Hex(spacedHex(chunk))...)
		} else {
			b = appendSpacedHex(b, chunk)
		}
		if l > 0 {
			b = append(b, '\n')
			if len(b) > 64<<10 {
				// --all over a long range: memory does not grow with it.
				t.b = b
				if err := t.flush(); err != nil {
					return err
				}
				b = t.b
			}
			continue
		}
		for pad := 3*dumpHexWidth + 1 - max(3*len(chunk)-1, 0); pad > 0; pad-- {
			b = append(b, ' ')
		}
		text := rg.Text
		for i := 0; i < min(rg.Depth, dumpMaxIndent); i++ {
			b = append(b, "  "...)
		}
		if rg.Depth > dumpMaxIndent {
			// Deep nesting would make hostile input's dump hundreds of
			// times its size: the depth is written instead.
			text = "(depth " + itoa(rg.Depth) + ") " + text
		}
		b = append(b, paint(p.class(rg.Class), text)...)
		b = append(b, '\n')
	}
	if shown < lines {
		if n, ok := t.w.(DumpCutNoter); ok {
			n.DumpCut(rg)
		}
		more := rg.Length - int64(shown*dumpHexWidth)
		b = appendOffset(b, p.Offset, rg.Offset+int64(shown*dumpHexWidth))
		b = append(b, "  "...)
		b = append(b, paint(p.Unread, "... "+plural(int(more), "more byte"))...)
		b = append(b, '\n')
	}
	t.b = b
	if len(b) > 64<<10 {
		return t.flush()
	}
	return nil
}

func (t *dumpText) flush() error {
	_, err := t.w.Write(t.b)
	t.b = t.b[:0]
	return err
}

// hexOffset is an offset in at least 8 hex digits.
func hexOffset(off int64) string {
	s := strconv.FormatInt(off, 16)
	if len(s) < 8 {
		s = "00000000"[len(s):] + s
	}
	return s
}

// appendOffset appends hexOffset(off) painted with f, without making a
// string when there is no paint: a --all dump writes one per 8 bytes,
// and that garbage let the heap grow to twice what the dump holds.
func appendOffset(b []byte, f func(string) string, off int64) []byte {
	if f != nil {
		return append(b, f(hexOffset(off))...)
	}
	for n := max((bits.Len64(uint64(off))+3)/4, 1); n < 8; n++ {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, off, 16)
}

func spacedHex(bs []byte) string {
	return string(appendSpacedHex(make([]byte, 0, 3*len(bs)), bs))
}

// appendSpacedHex appends bs in hex, a space between bytes.
func appendSpacedHex(out, bs []byte) []byte {
	const digits = "0123456789abcdef"
	for i, c := range bs {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return out
}

// MarshalJSON writes the dump as one JSON document: {"input", "size",
// "ranges": [{"offset", "length", "depth", "class", "hex", "text",
// "path"}], "error": {"offset", "message"}}, the error only when there is
// one. A range's "path" is the JSON pointer of the value its bytes belong
// to, as errors name it (a packet's "/messages/0/value/1/name", a bare
// value's "" and "/name"; a packet's own fields too, "/messages/0/target";
// an FLV file's script data "/flv/K/name", "/flv/K/value/..." and
// "/flv/K/extra/N/..." as convert's JSON of the file holds them, K
// counting script tags from 0), and is left out for bytes that belong to
// no value (a .sol or FLV file's header, an FLV tag's header and audio
// or video data, a frame's length, the fault and the bytes after it).
func (dm *Dump) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	j := &dumpJSON{w: &buf, src: heldInput(dm.Data), size: int64(len(dm.Data))}
	j.paths = newPathCursor(defaultDecMode.dumpPaths(dm.Data, dm.Input, dm.Names, nil))
	defer j.paths.stop()
	j.begin(dm.Input)
	for _, rg := range dm.Ranges {
		if err := j.write(rg); err != nil {
			return nil, err
		}
	}
	if err := j.end(dm.Err); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// dumpJSON writes the JSON document of a dump, range by range.
type dumpJSON struct {
	w     io.Writer
	src   rangeSource
	size  int64
	lines bool // a line per range
	b     []byte
	n     int
	paths *pathCursor
	// skipped is the number of input bytes before those dumped (text
	// before a packet), written as "skipped" when not 0.
	skipped int64
}

func (j *dumpJSON) begin(in DumpInput) {
	if j.lines {
		j.b = fmt.Appendf(j.b, "{\n  \"input\": %q,\n  \"size\": %d,\n", in.String(), j.size)
		if j.skipped > 0 {
			j.b = fmt.Appendf(j.b, "  \"skipped\": %d,\n", j.skipped)
		}
		j.b = append(j.b, "  \"ranges\": ["...)
		return
	}
	j.b = fmt.Appendf(j.b, `{"input":%q,"size":%d,`, in.String(), j.size)
	if j.skipped > 0 {
		j.b = fmt.Appendf(j.b, `"skipped":%d,`, j.skipped)
	}
	j.b = append(j.b, `"ranges":[`...)
}

func (j *dumpJSON) write(rg DumpRange) error {
	if j.n > 0 {
		j.b = append(j.b, ',')
	}
	if j.lines {
		j.b = append(j.b, "\n    "...)
	}
	j.n++
	// {"offset", "length", "depth", "class", "hex", "text", "path"}, the
	// path left out when the range has none. Written field by field: the
	// strings through encoding/json, the rest needs no escaping.
	j.b = append(j.b, `{"offset":`...)
	j.b = strconv.AppendInt(j.b, rg.Offset, 10)
	j.b = append(j.b, `,"length":`...)
	j.b = strconv.AppendInt(j.b, rg.Length, 10)
	j.b = append(j.b, `,"depth":`...)
	j.b = strconv.AppendInt(j.b, int64(rg.Depth), 10)
	j.b = append(j.b, `,"class":`...)
	j.b = appendJSONString(j.b, rg.Class)
	j.b = append(j.b, `,"hex":"`...)
	bs, rest := j.src.rangeBytes(rg)
	held := int64(len(bs))
	// The hex in pieces, written as they fill the buffer: a 200 MB
	// ByteArray's range was one 400 MB buffer.
	for len(bs) > 0 {
		n := min(len(bs), 32<<10)
		j.b = hex.AppendEncode(j.b, bs[:n])
		bs = bs[n:]
		if len(j.b) > 64<<10 {
			if _, err := j.w.Write(j.b); err != nil {
				return err
			}
			j.b = j.b[:0]
		}
	}
	if rest != nil {
		// The unread end of a stream, in pieces.
		var piece [32 << 10]byte
		done := held
		for done < rg.Length {
			n, err := io.ReadFull(rest, piece[:min(int64(len(piece)), rg.Length-done)])
			j.b = hex.AppendEncode(j.b, piece[:n])
			done += int64(n)
			if err != nil {
				return fmt.Errorf("amf: reading the unread bytes at offset %d: %w", rg.Offset+done, err)
			}
			if len(j.b) > 64<<10 {
				if _, err := j.w.Write(j.b); err != nil {
					return err
				}
				j.b = j.b[:0]
			}
		}
	}
	j.b = append(j.b, `","text":`...)
	j.b = appendJSONString(j.b, rg.Text)
	if p, ok := j.paths.pathOf(rg); ok {
		j.b = append(j.b, `,"path":`...)
		j.b = appendJSONString(j.b, p)
	}
	j.b = append(j.b, '}')
	if len(j.b) > 64<<10 {
		_, err := j.w.Write(j.b)
		j.b = j.b[:0]
		return err
	}
	return nil
}

func (j *dumpJSON) end(fault error) error {
	if j.lines {
		j.b = append(j.b, "\n  "...)
	}
	j.b = append(j.b, ']')
	if fault != nil {
		if j.lines {
			j.b = append(j.b, ",\n  \"error\": "...)
		} else {
			j.b = append(j.b, `,"error":`...)
		}
		off := faultOffset(fault, int(j.size))
		msg, _ := json.Marshal(fault.Error())
		j.b = fmt.Appendf(j.b, `{"offset":%d,"message":%s}`, off, termsafe.AppendJSON(nil, msg))
	}
	if j.lines {
		j.b = append(j.b, '\n')
	}
	j.b = append(j.b, "}\n"...)
	_, err := j.w.Write(j.b)
	j.b = j.b[:0]
	return err
}

// The "path" of the JSON ranges. The walk below reads the input a second
// time, with the token Reader alone, and marks where the bytes of each
// value (and each field of a packet) start; a range belongs to the last
// mark at or before its offset. Marks are made as the ranges ask for
// them (iter.Pull), so memory does not grow with the input. A .sol
// file's members have "/" and their name, as its errors say; AMF Socket
// frames "/N/..."; an FLV file's script data the paths of convert's JSON
// of it ("/flv/K/value/..."), walked a tag at a time when the file is
// read as a stream (WriteFLVDumpJSON).

// pathMark says that the bytes from off on belong to the value at path,
// up to the next mark; none marks bytes that belong to no value. A gap
// mark is made where a token ends, for bytes read between tokens (a
// small message's flags, an array's empty name): they belong to the
// innermost open value. A heading (a range of no bytes) takes the first
// mark at its offset that is not a gap's.
type pathMark struct {
	off  int64
	path string
	none bool
	gap  bool
}

// pathCursor answers, range by range in offset order, the path of each.
type pathCursor struct {
	next   func() (pathMark, bool)
	stop   func()
	peek   pathMark
	peeked bool
	eof    bool
	// off is the offset of the ranges being answered; at holds the marks
	// at it (a few: a gap's, a heading's, a field's), before the last
	// mark before it.
	off      int64
	at       []pathMark
	before   pathMark
	beforeOK bool
}

func newPathCursor(seq iter.Seq[pathMark]) *pathCursor {
	next, stop := iter.Pull(seq)
	return &pathCursor{next: next, stop: stop, off: -1}
}

// flvMarksHeld is the size of an FLV script tag's data up to which the
// streamed JSON dump walks the tag's paths at once, holding its marks
// (at most two a byte): a larger tag's are pulled as the ranges ask.
const flvMarksHeld = 4 << 10

// heldMarks is a cursor over marks already made.
func heldMarks(marks []pathMark) *pathCursor {
	i := 0
	next := func() (pathMark, bool) {
		if i == len(marks) {
			return pathMark{}, false
		}
		i++
		return marks[i-1], true
	}
	return &pathCursor{next: next, stop: func() {}, off: -1}
}

// end ends the walk; a nil cursor has none.
func (c *pathCursor) end() {
	if c != nil {
		c.stop()
	}
}

func (c *pathCursor) fill() bool {
	if !c.peeked && !c.eof {
		c.peek, c.peeked = c.next()
		c.eof = !c.peeked
	}
	return c.peeked
}

// pathOf returns the path of rg: for a range of no bytes (a heading, or
// the empty data of the token before it, such as a ByteArray of 0
// bytes), the first mark at its offset that is not a gap's, else the
// last mark before it; for other ranges the last mark at or before it.
func (c *pathCursor) pathOf(rg DumpRange) (string, bool) {
	if c == nil || rg.Class == "fault" || rg.Class == "unread" {
		return "", false
	}
	if rg.Offset != c.off {
		if n := len(c.at); n > 0 {
			c.before, c.beforeOK = c.at[n-1], true
		}
		c.at = c.at[:0]
		for c.fill() && c.peek.off < rg.Offset {
			c.before, c.beforeOK, c.peeked = c.peek, true, false
		}
		for c.fill() && c.peek.off == rg.Offset {
			c.at, c.peeked = append(c.at, c.peek), false
		}
		c.off = rg.Offset
	}
	m, ok := c.before, c.beforeOK
	if rg.Length == 0 {
		for _, x := range c.at {
			if !x.gap {
				m, ok = x, true
				break
			}
		}
	} else if n := len(c.at); n > 0 {
		m, ok = c.at[n-1], true
	}
	if !ok || m.none {
		return "", false
	}
	return m.path, true
}

// dumpPaths walks data as in says, yielding the marks of its values;
// names decodes member names that are not UTF-8 (nil: kept as bytes).
func (m *DecMode) dumpPaths(data []byte, in DumpInput, names func([]byte) string, count *CountFix) iter.Seq[pathMark] {
	return func(yield func(pathMark) bool) {
		w := &pathWalk{m: m, names: names, data: data, yield: yield, count: count}
		switch in {
		case DumpAMF0:
			w.values(m.NewReader(data, AMF0), "", false, false)
		case DumpAMF3:
			w.values(m.NewReader(data, AMF3), "", false, false)
		case DumpPacket:
			w.packet()
		case DumpSOL:
			w.sol()
		case DumpFrames:
			w.frames()
		case DumpFLV:
			w.flv()
		}
	}
}

type pathWalk struct {
	m     *DecMode
	data  []byte
	base  int64 // the input offset of data[0] (an FLV stream's window)
	clip  int   // when above 0, marks from there on are not made (an FLV value read with its end marker put after the data)
	yield func(pathMark) bool
	done  bool   // the consumer stopped, or the walk failed
	rd    Reader // an FLV script tag's, used again from tag to tag
	// names decodes a member name that is not UTF-8 (DumpNames); nil
	// keeps its bytes.
	names func([]byte) string
	// count is a packet's count read as the bytes say (DumpCount).
	count *CountFix
}

func (w *pathWalk) mark(off int, path string) {
	if w.clip > 0 && off > w.clip {
		return
	}
	if !w.done && !w.yield(pathMark{off: w.base + int64(off), path: path}) {
		w.done = true
	}
}

// gap marks the bytes from off on, up to the next token, as the value
// path's (none: no value's).
func (w *pathWalk) gap(off int64, path string, none bool) {
	if w.clip > 0 && off > int64(w.clip) {
		return
	}
	if !w.done && !w.yield(pathMark{off: w.base + off, path: path, none: none, gap: true}) {
		w.done = true
	}
}

// fail marks the bytes from off on as no value's, and ends the walk.
func (w *pathWalk) fail(off int64) {
	if !w.done {
		w.yield(pathMark{off: w.base + off, none: true})
		w.done = true
	}
}

// MaxPath bounds the JSON pointer of a decoding error's Path and of a
// JSON dump range's "path", in bytes: a longer one is cut at a
// character boundary and ends in "..." (and so do the dump's paths
// under it). Member names are taken from the input, and a name sent
// once may be named again by a 1-byte reference at every level and in
// every object: whole, a 1 MB file of them made paths of gigabytes.
const MaxPath = 1024

// cutMark ends a path cut at MaxPath.
const cutMark = "..."

// subPath is the path of the member or item seg of the value at parent,
// cut at MaxPath. A parent already cut is its children's path too.
func subPath(parent, seg string) string {
	if len(parent) >= MaxPath {
		return parent
	}
	if len(parent)+1+len(seg) <= MaxPath {
		return parent + "/" + seg
	}
	p := parent + "/" + seg[:textcut.At(seg, MaxPath-len(parent)-1)]
	return p + cutMark
}

// name is a member name as a path segment: decoded and escaped as
// errors name it, from its first bytes only when it is longer than any
// path may be (its decoding costs, and a name sent once may be named by
// reference very many times); a name that is not UTF-8 (nor CESU-8)
// decoded with w.names when given, as convert's plain JSON names it.
func (w *pathWalk) name(b []byte) string {
	s := DecodeText(textHead(b, 4*MaxPath))
	if w.names != nil && !utf8.ValidString(s) {
		s = w.names([]byte(s))
	}
	return escapePointer(s)
}

// pathFrame is an open complex value of the walk.
type pathFrame struct {
	path    string
	kind    Kind
	wrapper string // the one field of a Flex collection wrapper
	i       int    // items read (a dictionary's keys and values both count)
	name    string // the member name just read
	named   bool
	assoc   bool // an AMF3 array with an associative part
}

// values marks the tokens of r, each with its path under prefix: one
// value if one, else up to the end of the input. unreg drops a request's
// argument array from the reference table, as the dump does.
func (w *pathWalk) values(r *Reader, prefix string, one, unreg bool) {
	var stack []pathFrame
	// child is the path of the next value in the innermost open value;
	// consume moves past it.
	child := func(consume bool) string {
		if len(stack) == 0 {
			return prefix
		}
		f := &stack[len(stack)-1]
		switch {
		case f.named:
			if consume {
				f.named = false
			}
			return subPath(f.path, f.name)
		case f.wrapper != "":
			return subPath(f.path, f.wrapper)
		case f.kind == KindDictionary:
			i := f.i / 2
			if consume {
				f.i++
			}
			return subPath(f.path, strconv.Itoa(i))
		}
		i := f.i
		if consume {
			f.i++
		}
		return subPath(f.path, strconv.Itoa(i))
	}
	for first := true; !w.done; first = false {
		start := r.InputOffset()
		t, err := r.ReadToken()
		if err != nil {
			if err != io.EOF || one {
				at := errOffset(err, int(r.InputOffset()))
				if at > start && expectsValue(stack) {
					// A value cut short or malformed past its
					// first byte: the ranges the dump shows of it
					// (its marker, its header, a class name) are
					// its own, not its parent's.
					w.mark(int(start), child(false))
				}
				w.fail(at)
			}
			return
		}
		if first && unreg && t.Kind == KindArray && t.Version == AMF0 && len(r.refs0) == 1 && t.Index == 0 {
			r.refs0 = r.refs0[:0]
		}
		switch t.Kind {
		case KindName:
			if len(stack) == 0 {
				w.fail(t.Offset)
				return
			}
			f := &stack[len(stack)-1]
			f.name, f.named = w.name(t.Bytes), true
			w.mark(int(t.Offset), subPath(f.path, f.name))
		case KindEnd:
			if len(stack) == 0 {
				w.fail(t.Offset)
				return
			}
			if r.InputOffset() > t.Offset { // an end marker, not just a count reached
				w.mark(int(t.Offset), stack[len(stack)-1].path)
			}
			stack = stack[:len(stack)-1]
		case KindSwitch:
			w.mark(int(t.Offset), child(false)) // the AMF3 value that follows
		default:
			path := child(true)
			w.mark(int(t.Offset), path)
			switch t.Kind {
			case KindObject, KindECMAArray, KindArray, KindVector, KindDictionary:
				f := pathFrame{path: path, kind: t.Kind, assoc: t.Assoc}
				if t.Traits != nil && t.Traits.Externalizable {
					f.wrapper = wrapperField(t.Traits.Class)
				}
				stack = append(stack, f)
			}
		}
		if end := r.InputOffset(); end > t.Offset {
			if len(stack) > 0 {
				w.gap(end, stack[len(stack)-1].path, false)
			} else if t.Kind != KindSwitch {
				w.gap(end, "", true)
			}
		}
		if one && len(stack) == 0 && t.Kind != KindSwitch {
			return
		}
	}
}

// sol marks the members of a .sol file, each (its name, its value) with
// the path its errors use, "/" and the name; the header and each
// member's closing 00 belong to no value. The header is read as the
// dump reads it: a length field that disagrees with the file's size is
// the dump's fault, after which it goes on.
func (w *pathWalk) sol() {
	d := w.data
	if !IsSOL(d) || len(d) < 18 {
		return
	}
	pos := 18 + int(binary.BigEndian.Uint16(d[16:]))
	if len(d)-pos < 4 || d[pos] != 0 || d[pos+1] != 0 || d[pos+2] != 0 || (d[pos+3] != 0 && d[pos+3] != 3) {
		return
	}
	ver := AMF0
	if d[pos+3] == 3 {
		ver = AMF3
	}
	pos += 4
	r := w.m.NewReader(d, ver)
	if ver == AMF0 {
		r.refs0 = append(r.refs0, -1) // the data object, as the dump numbers it
	}
	for pos < len(d) && !w.done {
		var key []byte
		if ver == AMF0 {
			if len(d)-pos < 2 || len(d)-pos-2 < int(binary.BigEndian.Uint16(d[pos:])) {
				w.fail(int64(pos))
				return
			}
			n := int(binary.BigEndian.Uint16(d[pos:]))
			key, r.off = d[pos+2:pos+2+n], pos+2+n
		} else {
			r.off = pos
			k, _, err := r.str3()
			if err != nil {
				w.fail(int64(pos))
				return
			}
			key = k
		}
		path := subPath("", w.name(key))
		w.mark(pos, path)
		w.values(r, path, true, false)
		pos = int(r.InputOffset())
		w.gap(int64(pos), "", true) // the closing 00 (an array's end has no byte)
		if w.done || pos >= len(d) || d[pos] != 0 {
			w.fail(int64(pos))
			return
		}
		pos++
	}
}

// frames marks the values of AMF Socket frames, each with its path
// under "/N", N the frame's number as the dump's text and convert's
// warnings count it (from 1): convert writes a frame as JSON line N, and
// "/3/body" is what convert's warnings call frame 3's "/body". A frame's
// length and the bytes after its value belong to no value. Each frame
// has its own reference tables, as the dump reads it.
func (w *pathWalk) frames() {
	d := w.data
	pos := 0
	for index := 1; pos < len(d) && !w.done; index++ {
		if len(d)-pos < 4 {
			w.fail(int64(pos))
			return
		}
		n := int64(binary.BigEndian.Uint32(d[pos:]))
		start := pos + 4
		if n == 0 || n > DefaultMaxFrame || n > int64(len(d)-start) {
			w.fail(int64(pos))
			return
		}
		w.gap(int64(pos), "", true) // the length
		stop := start + int(n)
		r := w.m.NewReader(d[:stop], AMF3)
		r.off = start
		w.values(r, "/"+strconv.Itoa(index), true, false)
		if w.done {
			return
		}
		w.gap(r.InputOffset(), "", true) // bytes after the value, if any
		pos = stop
	}
}

// flv marks the values of an FLV file's script tags (see flvTag); the
// file's header, the tags' headers and sizes and audio and video data
// belong to no value.
func (w *pathWalk) flv() {
	fr := w.m.NewFLVReader(w.data)
	if _, err := fr.Header(); err != nil {
		return
	}
	for k := 0; !w.done; {
		tag, err := fr.Next()
		if err != nil {
			return
		}
		w.gap(tag.Offset-4, "", true)
		if !tag.IsScript() || tag.Size == 0 {
			continue
		}
		start := int(tag.Offset) + 11
		w.flvTag(start, start+tag.Size, k)
		k++
	}
}

// flvTag marks the values of the k-th script tag (from 0), whose data is
// data[start:stop], with their paths in convert's JSON of the file,
// {"flv": [{"tag", "timestamp", "name", "value", "extra"}, ...]}: the
// handler name "/flv/k/name", the value after it "/flv/k/value", any
// further ones "/flv/k/extra/0" on; the 00 00 09 that some writers add
// belongs to none. Each tag is its own reference context, as the dump
// and FLVReader.Script read it.
func (w *pathWalk) flvTag(start, stop, k int) {
	d := w.data[:stop]
	p := "/flv/" + strconv.Itoa(k)
	r := &w.rd
	r.m = w.m
	r.Reset(d, AMF0)
	r.off = start
	for i := 0; !w.done; i++ {
		pos := int(r.InputOffset())
		if pos >= stop {
			return
		}
		if stop-pos == 3 && d[pos] == 0 && d[pos+1] == 0 && d[pos+2] == 9 {
			w.gap(int64(pos), "", true)
			return
		}
		path := p + "/name"
		switch {
		case i == 1:
			path = p + "/value"
		case i > 1:
			path = subPath(p+"/extra", strconv.Itoa(i-2))
		}
		if i == 1 && w.m.unterminatedAt(d, pos, start, stop) {
			// Read as the dump reads it, its end marker put after the
			// data; the marker's offset is the data's end (the dump's
			// note there is the value's), and nothing is marked past.
			r.data = append(slices.Clip(d), 0, 0, 9)
			r.off = pos
			w.clip = stop
			w.values(r, path, true, false)
			w.clip = 0
			w.gap(int64(stop), "", true)
			return
		}
		w.values(r, path, true, false)
	}
}

// expectsValue says whether the next token of a walk whose open values
// are stack is a value (not a member name or an end): at the top, after
// a member name, or in a value whose items have no names.
func expectsValue(stack []pathFrame) bool {
	if len(stack) == 0 {
		return true
	}
	f := stack[len(stack)-1]
	if f.named || f.wrapper != "" {
		return true
	}
	switch f.kind {
	case KindVector, KindDictionary:
		return true
	case KindArray:
		// An AMF0 strict array has items only; an AMF3 array's
		// associative part comes first, by name: past an item read
		// without one, its dense part.
		return !f.assoc || f.i > 0
	}
	return false
}

// dumpNumbering is requestNumbering without building the value where
// the choice does not depend on it: the numberings differ only in what
// an AMF0 reference points at, so a value read whole by the token Reader
// with no AMF0 reference in it is read alike by each, and Flash's (the
// first) is the choice. requestNumbering builds the value, ByteArrays
// and strings copied: a 200 MB request held 200 MB more, for each of
// the dump's readings.
func (m *DecMode) dumpNumbering(data []byte, start int) numbering {
	if m.unregArgs {
		return pyamfNumbering // the choice requestNumbering makes then
	}
	r := m.NewReader(data, AMF0)
	r.off = start
	depth := 0
	for {
		t, err := r.ReadToken()
		if err != nil || (t.Kind == KindRef && t.Version == AMF0) {
			return m.requestNumbering(data, start)
		}
		switch t.Kind {
		case KindObject, KindECMAArray, KindArray, KindVector, KindDictionary:
			depth++
		case KindEnd:
			depth--
		}
		if depth == 0 && t.Kind != KindSwitch && t.Kind != KindName {
			return flashNumbering
		}
	}
}

// packet marks a packet's fields and values with the paths its errors
// use: /version, /headers, /headers/0/name, .../mustUnderstand,
// .../length, .../value..., /messages, /messages/0/target, .../response.
func (w *pathWalk) packet() {
	d := w.data
	if len(d) < 2 {
		return
	}
	w.mark(0, "/version")
	off := 2
	str0 := func(at int) (int, bool) { // the end of the u16-length string at at
		if len(d)-at < 2 {
			return 0, false
		}
		n := int(binary.BigEndian.Uint16(d[at:]))
		if len(d)-at-2 < n {
			return 0, false
		}
		return at + 2 + n, true
	}
	for part, what := range []string{"header", "message"} {
		if len(d)-off < 2 || w.done {
			w.fail(int64(off))
			return
		}
		n := int(binary.BigEndian.Uint16(d[off:]))
		if f := w.count.At(off, part == 1, n); f != nil {
			n = f.Found // as the dumper reads it
		}
		w.mark(off, "/"+what+"s")
		off += 2
		for i := 0; i < n && !w.done; i++ {
			p := "/" + what + "s/" + strconv.Itoa(i)
			w.mark(off, p) // the part's heading
			first, second := "/name", "/mustUnderstand"
			if part == 1 {
				first, second = "/target", "/response"
			}
			end, ok := str0(off)
			if !ok {
				w.fail(int64(off))
				return
			}
			w.mark(off, p+first)
			name := DecodeText(d[off+2 : end])
			off = end
			if part == 0 {
				if len(d)-off < 1 {
					w.fail(int64(off))
					return
				}
				w.mark(off, p+second)
				off++
			} else {
				if end, ok = str0(off); !ok {
					w.fail(int64(off))
					return
				}
				w.mark(off, p+second)
				off = end
			}
			if len(d)-off < 4 {
				w.fail(int64(off))
				return
			}
			w.mark(off, p+"/length")
			off += 4
			// The value, numbered as the dump numbers it.
			var nb numbering
			if part == 1 && !isReplyTarget(name) {
				nb = w.m.dumpNumbering(d, off)
			}
			r := w.m.NewReader(d, AMF0)
			r.off = off
			r.dateRefs = nb.dateRefs
			w.values(r, p+"/value", true, nb.unregArgs)
			off = int(r.InputOffset())
		}
	}
	if off < len(d) {
		w.fail(int64(off))
	}
}

// appendJSONString appends s as a JSON string, as encoding/json writes it.
func appendJSONString(b []byte, s string) []byte {
	if isPlainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)          // a string always encodes
	return termsafe.AppendJSON(b, q) // what a terminal would act on escaped
}

// isPlainJSON says whether s needs no escape in JSON as encoding/json
// writes it (which escapes <, > and & too).
func isPlainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

package convert

// The JSON of a remoting packet, plain and typed, written straight from
// the tokens (issue 7: memory that does not grow with the input). The
// value path (amf.UnmarshalPacket, then AppendPacket) holds the whole
// value model and the whole output; a 56 MB reply took 1.6 GB.
//
// Two passes, as typeddirect.go does for bare values. The first is
// Load's: amf.ScanPacket reads the envelope as UnmarshalPacket does and
// every header's and message's value with the token Reader, building
// nothing, and says where each value stands. What it does not take
// (a packet that does not decode, a request whose AMF0 references make
// its numbering a guess) is decoded whole as before, so the errors, the
// numbering and the -v notes are the value path's. The second pass writes
// the envelope as AppendPacket does and each value through the plain
// (plain.go) or typed (typeddirect.go) direct writer, each value a
// reference context of its own, the output and its count kept across
// them.

import (
	"io"
	"runtime"
	"strconv"

	"github.com/amfcall/amfcall/amf"
)

// packetParts is where the values of a packet that Load read as an
// envelope only stand in Source.Data.
type packetParts struct {
	headers, messages []amf.PacketPart
	pyamf             bool // read with PyAMF's numbering (--pyamf-args)
}

// scanPacket reads data as a packet's envelope (amf.ScanPacket), or
// returns nil when the value path must decode it.
func scanPacket(data []byte, pyamf bool) (*amf.Packet, *packetParts) {
	m := amf.ScanPacket
	if pyamf {
		dm, _ := amf.DecOptions{UnregisteredArgs: true}.DecMode()
		m = dm.ScanPacket
	}
	p, hs, ms, ok := m(data)
	if !ok {
		return nil, nil
	}
	return p, &packetParts{headers: hs, messages: ms, pyamf: pyamf}
}

// wholePacket decodes the values of a packet that Load read as an
// envelope only, for the paths that need the value model.
func (src *Source) wholePacket() error {
	if src.Kind != KindPacket || src.parts == nil {
		return nil
	}
	m, _ := amf.DecOptions{UnregisteredArgs: src.parts.pyamf}.DecMode()
	// A wrong count (src.Count) is read as the bytes say, as Load read it.
	p, err := m.WithCount(src.Count).UnmarshalPacket(src.Data)
	if err != nil {
		return errorIn(src.Name, err)
	}
	src.Packet, src.parts = p, nil
	return nil
}

// renderPacketTo writes the JSON of a packet that Load read as an
// envelope only. It reports false, having written nothing, when the
// typed writer does not take a value (see typeddirect.go): Render then
// writes it through the value model.
func (src *Source) renderPacketTo(out io.Writer, o *Options) (bool, error) {
	if o != nil && o.Typed {
		for _, ps := range [][]amf.PacketPart{src.parts.headers, src.parts.messages} {
			for _, pt := range ps {
				// (Without an AMF0 object, no clash: not read again.)
				if pt.Switches > 0 && !pt.AMF3 && pt.Objects0 && traitsClashFresh(src.Data[pt.Start:pt.End], pt.FreshSwitches) {
					return false, nil
				}
			}
		}
	}
	collectScan(src.Data)
	// Straight to out: the writers hold the output in buffers of up to
	// flushAt (a bufio.Writer of 64 KiB more was most of the memory of
	// a small packet's conversion).
	if o != nil && o.Typed {
		_, err := src.limitNamed(nil, src.writePacketTyped(out, o))
		return true, err
	}
	_, err := src.limitNamed(nil, src.writePacketPlain(out, o))
	return true, err
}

// collectScan collects, before the writing pass of a large input, the
// reference tables of Load's scan (4 bytes an object, and more): garbage
// now, they would otherwise stay in the heap while the writing pass
// builds its own, and peak memory hold both (a 100 MB W1 reply: 159 MB
// peak RSS in the memory test; 132 MB after the collection).
func collectScan(data []byte) {
	if len(data) > 32<<20 {
		runtime.GC()
	}
}

// envelope writes the JSON of p around its values, with w (AppendPacket
// and the streamed writers alike). For each header and message it calls
// begin first, which says whether the part's value goes through the
// 0x11 switch (writer.switchedForV3; typed version 3 only), then value
// to write that value (at level 3).
func envelope(w *writer, p *amf.Packet, typed bool, begin func(message bool, i int) (switched bool), value func(message bool, i int) error) error {
	w.open('{')
	w.key("version", true)
	w.uint(uint64(p.Version))
	w.key("headers", false)
	w.open('[')
	for i := range p.Headers {
		h := &p.Headers[i]
		w.item(i == 0)
		switched := begin(false, i)
		w.open('{')
		w.key("name", true)
		w.str(typedName(h.Name))
		w.key("mustUnderstand", false)
		w.lit(boolText(h.MustUnderstand))
		w.length(h.Length)
		partFlags(w, p.Version, switched, h.CrossEscapeRefs, h.XMLRefs)
		w.key("value", false)
		if err := value(false, i); err != nil {
			return err
		}
		w.close('}', false)
	}
	w.close(']', len(p.Headers) == 0)
	w.key("messages", false)
	w.open('[')
	for i := range p.Messages {
		m := &p.Messages[i]
		w.item(i == 0)
		switched := begin(true, i)
		w.open('{')
		w.key("target", true)
		w.str(typedName(m.Target))
		w.key("response", false)
		w.str(typedName(m.Response))
		w.length(m.Length)
		if m.UnregisteredArgs && typed {
			// PyAMF's reference numbering (see amf.Message).
			w.key("unregisteredArgs", false)
			w.lit("true")
		}
		if m.DateRefs && typed {
			// Dates take a slot (see amf.Message).
			w.key("dateRefs", false)
			w.lit("true")
		}
		partFlags(w, p.Version, switched, m.CrossEscapeRefs, m.XMLRefs)
		w.key("value", false)
		if err := value(true, i); err != nil {
			return err
		}
		w.close('}', false)
	}
	w.close(']', len(p.Messages) == 0)
	w.close('}', false)
	return nil
}

// part is the scan's note of a header's or message's value.
func (parts *packetParts) part(message bool, i int) *amf.PacketPart {
	if message {
		return &parts.messages[i]
	}
	return &parts.headers[i]
}

// switched is envelope's begin for the streamed writers: what the scan
// found (PacketPart.Switched, for writer.switchedForV3).
func (parts *packetParts) switched(message bool, i int) bool {
	return parts.part(message, i).Switched
}

// partFlags writes, in the typed form, what a header's or message's value
// needs besides itself to be written back the same: "crossEscapeRefs"
// when its AMF3 strings or traits refer across 0x11 switches (see
// amf.Message), "xmlRefs" when its AMF0 references count an XML
// document's slot as Flash Player does (amf.Header.XMLRefs), and, in a version-3 packet, "amf0" when the value is not
// switched the way reading it back would switch it (switched false:
// Flash's object encoding 3, see PacketFromJSON).
func partFlags(w *writer, version uint16, switched, cross, xmlRefs bool) {
	if !w.o.Typed {
		return
	}
	if cross {
		w.key("crossEscapeRefs", false)
		w.lit("true")
	}
	if xmlRefs {
		w.key("xmlRefs", false)
		w.lit("true")
	}
	if version == 3 && !switched {
		w.key("amf0", false)
		w.lit("true")
	}
}

// partPath is the JSON Pointer of a header's or message's value.
func partPath(message bool, i int) string {
	if message {
		return "/messages/" + strconv.Itoa(i) + "/value"
	}
	return "/headers/" + strconv.Itoa(i) + "/value"
}

// inPart makes a decoding error of the Reader of one part's bytes (the
// scan read them whole, so only a bound of reading them again, such as
// amf.SwitchReplayError, meets one) name its place in the packet: the
// offset in the input and the path from the packet's top.
func inPart(err error, pt *amf.PacketPart, path string) error {
	se, ok := err.(*amf.SyntaxError)
	if !ok {
		return err
	}
	e := *se
	e.Offset += int64(pt.Start)
	e.Path = path + e.Path
	if be, ok := e.Err.(*amf.SwitchReplayError); ok {
		b := *be
		b.At += int64(pt.Start)
		e.Err = &b
	}
	return &e
}

// writePacketPlain writes the plain JSON of the packet to out.
func (src *Source) writePacketPlain(out io.Writer, o *Options) error {
	p := plainPool.Get().(*plainConv)
	defer p.release()
	p.rd.Reset(nil, amf.AMF0)
	// The output's buffer at the size it will reach (it is written out
	// at flushAt), not grown by doubling.
	p.reset(o, make([]byte, 0, min(4*len(src.Data)+256, 2*flushAt)), &p.rd)
	w := p.w
	flushed := 0
	err := envelope(w, src.Packet, false, src.parts.switched, func(message bool, i int) error {
		pt := src.parts.part(message, i)
		// A context of its own (fresh tables and caches), the output,
		// its count and the note of text that is not UTF-8 kept.
		note, level, buf, cycles := w.note, w.level, w.buf, p.cycles
		p.rd.Reset(src.Data[pt.Start:pt.End], amf.AMF0)
		p.reset(o, buf, &p.rd)
		w.note, w.level, p.cycles = note, level, cycles
		p.base, p.part = partPath(message, i), true
		p.out, p.flushed, p.check = out, flushed, 0
		// Each switch's strings and traits let go at the next where no
		// reference reaches back (memory that does not grow with the
		// switches of a batch written without such references). A
		// shared value of an earlier switch, or an AMF0 one, is read
		// again (Replay: plain JSON writes it at each use) with its
		// switch's tables, which the Reader rebuilds once and keeps
		// (amf.Reader.FreshSwitches).
		p.rd.FreshSwitches = pt.FreshSwitches
		p.rd.SwitchReplay = pt.RefsBack
		b, err := p.run()
		if err != nil {
			return inPart(upToLimit(err, out, w, p.flushed), pt, partPath(message, i))
		}
		w.buf, flushed = b, p.flushed
		return nil
	})
	if err != nil {
		return err
	}
	w.buf = append(w.buf, '\n')
	// Past the limit in the closing bytes: no warning for output not
	// kept. The newline is not counted, as the value path checks the
	// limit before it (writer.finish) and again after (Render); the
	// limit writer stops that one.
	if flushed+len(w.buf)-1 > w.maxOut {
		// The bytes up to the limit, as the limit writer passes them.
		if _, err := out.Write(w.buf[:max(w.maxOut-flushed, 0)]); err != nil {
			return err
		}
		return w.limitErr()
	}
	p.cycles.flush(w.o.Warn, 0)
	w.flushWarn()
	_, err = out.Write(w.buf)
	return err
}

// writePacketTyped writes the typed JSON of the packet to out.
func (src *Source) writePacketTyped(out io.Writer, o *Options) error {
	c := typedPool.Get().(*typedConv)
	defer c.release()
	c.reset(o, out)
	if n := min(4*len(src.Data)+64, 2*flushAt); cap(c.w.buf) < n {
		c.w.buf = make([]byte, 0, n)
	}
	w := c.w
	err := envelope(w, src.Packet, true, src.parts.switched, func(message bool, i int) error {
		pt := src.parts.part(message, i)
		// A context of its own (writer.resetContext: fresh tables and
		// traits), the output, its count and the $id numbering kept.
		flushed, buf, level, nextID := c.flushed, w.buf, w.level, w.nextID
		c.reset(o, out)
		c.flushed, w.buf, w.level, w.nextID = flushed, buf, level, nextID
		c.single, c.part = true, true
		data, ver := src.Data[pt.Start:pt.End], amf.AMF0
		if pt.AMF3 {
			// {"$amf3": value} around the AMF3 value read alone: the
			// writer then reads runs of tokens (ReadBatch), which it
			// does not inside AMF0 values.
			data, ver = data[1:], amf.AMF3
			w.open('{')
			w.key("$amf3", true)
		}
		// As in writePacketPlain; this writer reads nothing again (a
		// shared value is a $ref). But for a switch of many traits:
		// the traits rule spans the switches (equal content in any
		// earlier one makes traits "inline"), which traitDups reads
		// from one table that spans them too, as the value decoder
		// reads the value. Without a reference back, those are the
		// same tokens as with fresh tables, only the tables are kept
		// (every switch's strings, and a byte or two a traits past
		// 4,096), where fresh tables with every traits kept held each
		// distinct traits' key (seenKey): millions of distinct traits
		// in one switch among others took gigabytes. Many switches of
		// few traits each keep fresh tables: their strings kept took
		// 30 MB more of a 99 MB batch of 700,000 (164 MB, past its
		// bound), and seenKey holds their few distinct keys.
		//
		// With no AMF0 object (whose canonical traits take part in the
		// traits rule), a value of fresh switches is read with fresh
		// tables whatever its traits (lean): each switch's strings and
		// traits let go at the next, a switch of many traits read again
		// past its first 4,096, and the traits rule across the
		// switches by seenKey for a few distinct traits, then by
		// traitDups (typedConv.freshDup). A switch of 5 million traits
		// among 700,000 small ones kept every switch's strings in the
		// tables that span them (130 MB for 59 MB); 5 million small
		// switches of a distinct traits each kept every key (775 MB for
		// 51 MB).
		lean := pt.FreshSwitches && ver == amf.AMF0 && !pt.Objects0
		fresh := lean || pt.FreshSwitches && ver == amf.AMF0 && pt.SwitchTraits <= leanFrom
		// Many traits in one table: read again past the first 4,096
		// (typedConv.bigDups).
		c.r.KeepTraits = !lean && (fresh || pt.Traits <= leanFrom)
		c.r.NoReplay = !c.r.KeepTraits // as writeTypedDirect
		c.freshOn, c.freshData = lean, data
		if pt.Refs || !c.r.KeepTraits && !lean {
			c.r.Reset(data, ver)
			c.r.FreshSwitches = fresh
			markValues(c.r, c.batch[:], &c.marks, true)
			if lean {
				c.marks.bigFrom = 0 // typedConv.freshBits instead
			} else if !c.bigDups() {
				c.r.KeepTraits, c.marks.bigFrom = true, 0
			}
		} else {
			// Nothing to mark: what markValues says besides is known.
			c.marks.vectors, c.marks.switches = pt.Vectors, ver == amf.AMF0 && pt.Switches > 0
		}
		c.r.Reset(data, ver)
		c.r.FreshSwitches = fresh
		if err := c.run(ver); err != nil {
			return upToLimit(err, out, w, c.flushed)
		}
		if pt.AMF3 {
			w.close('}', false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.buf = append(w.buf, '\n')
	w.flushWarn()
	return c.flush()
}

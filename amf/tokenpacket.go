package amf

// A first pass over a remoting packet for writers that stream its values
// from the tokens (convert's packet-to-JSON path, issue 7): the envelope
// read as UnmarshalPacket reads it, each value read with the token
// Reader and built into nothing, so that memory does not grow with the
// input.

import "sync"

// PacketPart is where a header's or message's value stands in the bytes
// of a packet that [DecMode.ScanPacket] read: data[Start:End], a value
// with a reference context of its own.
type PacketPart struct {
	Start, End int
	// Switched reports what the value model's value would show at its
	// top: an AVMPlus (the 0x11 switch), or an AMF0 strict array that is
	// referred to nowhere inside the value and is empty or has a
	// switched element. (Typed JSON marks the values of a version-3
	// packet that are not so.)
	Switched bool
	// Refs0, Refs, Vectors and Switches say what the value holds: AMF0
	// references, references of either version, vectors, and how many
	// 0x11 switches.
	Refs0, Refs, Vectors bool
	Switches             int
	// FreshSwitches: the value has more than one switch, and no AMF3
	// string or traits reference in it reaches what an earlier switch
	// registered (not CrossEscapeRefs): it reads the same with
	// [Reader.FreshSwitches], which lets go of each switch's strings and
	// traits at the next. RefsBack: it holds an AMF0 reference, or an
	// AMF3 object reference to an object of an earlier switch; reading
	// such a value again through the reference ([Reader.Replay]) needs
	// what FreshSwitches let go.
	FreshSwitches, RefsBack bool
	// Objects0: the value holds an AMF0 object (anonymous or typed).
	Objects0 bool
	// Traits counts the AMF3 traits the value registers (every
	// switch's); SwitchTraits, the most one switch registers.
	Traits, SwitchTraits int
	// AMF3: the value is one AMF3 value behind the 0x11 switch, the
	// common reply: data[Start+1:End] read as a bare AMF3 value is the
	// same (the AMF3 tables start empty at the switch).
	AMF3 bool
	// ref0Zero: an AMF0 reference to entry 0 (a .sol file's data
	// object).
	ref0Zero bool
	// xml0 is 1 + the AMF0 table index of the first XML document (0:
	// none); xmlRefs, an AMF0 reference to it or past it (XMLRefs).
	xml0    int
	xmlRefs bool
}

// ScanPacket reads a whole remoting packet as [DecMode.UnmarshalPacket]
// does, but builds no value: it returns the envelope (every Value nil,
// the Length, numbering and CrossEscapeRefs fields as UnmarshalPacket
// sets them) and where each header's and message's value stands. It
// reports false when the packet does not decode (UnmarshalPacket then
// says why) or when telling a field needs the value model: a request
// message whose AMF0 references make its numbering a guess (digest
// §1.4). CrossEscapeRefs is what the Reader noted (Reader.watchSwitchRefs),
// by the value decoder's rule, so that a value of many 0x11 switches is
// read as any other, building nothing.
func ScanPacket(data []byte) (p *Packet, headers, messages []PacketPart, ok bool) {
	return defaultDecMode.ScanPacket(data)
}

// ScanPacket is [ScanPacket] with the mode's limits and numbering.
func (m *DecMode) ScanPacket(data []byte) (p *Packet, headers, messages []PacketPart, ok bool) {
	b := getBuilder(m, data, AMF0)
	defer putBuilder(b)
	r := b.r
	vr := scanReaders.Get().(*Reader)
	vr.m = m
	defer func() {
		// Reset when taken again; the input let go now (the string
		// table and the frames point into it).
		vr.data = nil
		clear(vr.strs)
		clear(vr.stack)
		// The chunked tables: not kept.
		vr.objBig, vr.big, vr.tbig, vr.tcache = strBig{}, strBig{}, strBig{}, nil
		if cap(vr.refs0) <= 1<<16 && cap(vr.objs) <= 1<<16 && cap(vr.strs) <= 1<<16 && cap(vr.traits) <= 1<<16 {
			scanReaders.Put(vr)
		}
	}()
	ver, err := r.u16(AMF0)
	if err != nil || (ver != 0 && ver != 1 && ver != 3) {
		return nil, nil, nil, false
	}
	p = &Packet{Version: uint16(ver)}
	off := r.off
	hc, err := r.count16(false)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(hc), 8)
	}
	if err != nil {
		return nil, nil, nil, false
	}
	p.Headers = make([]Header, hc)
	headers = make([]PacketPart, hc)
	for i := range p.Headers {
		h := &p.Headers[i]
		if h.Name, err = b.str0(); err != nil {
			return nil, nil, nil, false
		}
		c, err := r.u8(AMF0)
		if err != nil {
			return nil, nil, nil, false
		}
		h.MustUnderstand = c != 0
		if !b.scanPart(vr, &h.Length, &headers[i], &h.CrossEscapeRefs, false) {
			return nil, nil, nil, false
		}
		h.XMLRefs = headers[i].xmlRefs
	}
	off = r.off
	mc, err := r.count16(true)
	if err == nil {
		err = r.checkCount(AMF0, off, int64(mc), 9)
	}
	if err != nil {
		return nil, nil, nil, false
	}
	p.Messages = make([]Message, mc)
	messages = make([]PacketPart, mc)
	for i := range p.Messages {
		msg := &p.Messages[i]
		if msg.Target, err = b.str0(); err != nil {
			return nil, nil, nil, false
		}
		if msg.Response, err = b.str0(); err != nil {
			return nil, nil, nil, false
		}
		part := &messages[i]
		if !b.scanPart(vr, &msg.Length, part, &msg.CrossEscapeRefs, !isReplyTarget(msg.Target)) {
			return nil, nil, nil, false
		}
		msg.XMLRefs = part.xmlRefs
		if !isReplyTarget(msg.Target) {
			// No AMF0 reference (scanPart stops at one: which numbering
			// fits is a guess the value model makes): Flash's numbering fits, or PyAMF's
			// when the mode asks for it (UnmarshalPacket's request).
			msg.UnregisteredArgs = m.unregArgs
		}
	}
	if r.off != len(data) {
		return nil, nil, nil, false
	}
	return p, headers, messages, true
}

// scanReaders are the Readers ScanPacket and ScanSOL read values with,
// kept with their tables' capacity. They never read a reference again
// (NoReplay): the object table only counts the objects past its first
// 65,536, where it kept where each began (5 million objects of a .sol
// file took 5.6 MB more while it was scanned).
var scanReaders = sync.Pool{New: func() any { return &Reader{NoReplay: true} }}

// scanPart reads a header's or message's length field and value, as
// packetPart does, into part. A request's value (request) stops it at
// its first AMF0 reference (see ScanPacket).
func (b *builder) scanPart(vr *Reader, length **uint32, part *PacketPart, cross *bool, request bool) bool {
	r := b.r
	n, err := r.u32(AMF0)
	if err != nil {
		return false
	}
	start := r.off
	if start >= len(r.data) {
		return false
	}
	// First with the strings and traits of each switch let go at the
	// next (Reader.FreshSwitches), so that memory does not grow with
	// the switches of a batch; a reference that reaches back stops it,
	// and the value is read again with whole tables.
	vr.Reset(r.data[start:], AMF0)
	vr.watchSwitchRefs()
	vr.FreshSwitches = true
	if !scanValue(vr, part, request) {
		if !vr.switchRefs() {
			return false
		}
		*part = PacketPart{}
		vr.Reset(r.data[start:], AMF0)
		vr.watchSwitchRefs()
		if !scanValue(vr, part, request) {
			return false
		}
	}
	part.Start, part.End = start, start+int(vr.InputOffset())
	if int64(n) != int64(part.End-start) {
		*length = &n
	}
	*cross = vr.switchRefs()
	part.FreshSwitches = part.Switches > 1 && !*cross
	part.Traits = vr.TraitsLen()
	part.RefsBack = part.RefsBack || part.Refs0
	r.off = part.End
	return true
}

// scanValue reads one value with vr (a whole value must follow) and
// fills in part's Switched, Refs0, Switches, Objects0 and RefsBack (as
// far as AMF3 object references go); it reports false at the first AMF0
// reference when noRefs0.
func scanValue(vr *Reader, part *PacketPart, noRefs0 bool) bool {
	var batch [64]BatchToken
	depth := 0
	started := false
	topArray, topRef, elemSwitch, empty := false, false, false, false
	topIndex := -1
	objBase, objBack := 0, false // the AMF3 objects before this switch; a reference to one
	traitBase := 0               // the AMF3 traits before this switch
	for {
		// Runs of tokens (ReadBatch) where they cannot hide a reference
		// across switches: outside a switch that began with its tables
		// not empty, or once one was noted (Reader.switchRefsOpen).
		if depth > 0 && !vr.switchRefsOpen() {
			if k := vr.ReadBatch(batch[:]); k > 0 {
				for i := range batch[:k] {
					switch batch[i].Kind {
					case KindVector:
						part.Vectors = true
						depth++
					case KindObject, KindECMAArray, KindArray, KindDictionary:
						part.Objects0 = part.Objects0 || batch[i].Kind == KindObject && batch[i].Version == AMF0
						depth++
					case KindEnd:
						depth--
					}
				}
				if depth == 0 {
					break
				}
				continue
			}
		}
		t, err := vr.NextToken()
		if err != nil {
			return false
		}
		first := !started
		started = true
		switch t.Kind {
		case KindSwitch:
			n := vr.TraitsLen()
			part.SwitchTraits = max(part.SwitchTraits, n-traitBase)
			part.Switches++
			objBase, traitBase = vr.objCount(), n
			if first {
				part.Switched, part.AMF3 = true, true
			}
			if depth == 1 && topArray {
				elemSwitch = true
			}
			continue
		case KindName:
			continue
		case KindRef:
			part.Refs = true
			if t.Version == AMF3 && t.Index < objBase {
				objBack = true
			}
			if t.Version == AMF0 {
				if noRefs0 {
					return false
				}
				part.Refs0 = true
				part.xmlRefs = part.xmlRefs || part.xml0 > 0 && t.Index >= part.xml0-1
				part.ref0Zero = part.ref0Zero || t.Index == 0
				if topArray && t.Index == topIndex {
					topRef = true
				}
			}
		case KindObject, KindECMAArray, KindArray, KindVector, KindDictionary:
			part.Vectors = part.Vectors || t.Kind == KindVector
			part.Objects0 = part.Objects0 || t.Kind == KindObject && t.Version == AMF0
			if first && t.Kind == KindArray && t.Version == AMF0 {
				topArray, topIndex, empty = true, t.Index, t.Count == 0
			}
			depth++
		case KindXMLDocument:
			if t.Version == AMF0 && t.Index >= 0 && part.xml0 == 0 {
				part.xml0 = t.Index + 1
			}
		case KindEnd:
			depth--
		}
		if depth == 0 {
			break
		}
	}
	part.SwitchTraits = max(part.SwitchTraits, vr.TraitsLen()-traitBase)
	if topArray && !topRef && (empty || elemSwitch) {
		part.Switched = true
	}
	part.RefsBack = objBack
	return true
}

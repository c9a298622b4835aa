package convert

import (
	"fmt"
	"strconv"

	"github.com/amfcall/amfcall/amf"
)

// nameSeen finds a member name given twice in one object, which the
// JSON output prints twice, as the AMF gives it: a JSON reader keeps one
// of the two (jq, Python and encoding/json the last), so the conversion
// warns once (textNote.dupName). A hostile peer can use it to show one
// value to amfcall's user and another to the program behind a JSON
// reader.
//
// Each name gets a number by its text (ids), and each object opened a
// number of its own (open); a name's entry (seenID) holds the number of
// the object that gave it last, so the name is given again when that is
// the current object's. (plainConv notes the first maskNames names in a
// bit of their container instead, pframe.mask: no entry, nothing to log;
// typedConv uses the entries for all.) The number of an AMF3 table
// string is kept by
// table index (tabID), so that a name given again by reference costs a
// load and a store (a writer that sends a string twice in full gives
// two indexes of one text: one number). Up to maxNameIDs names of
// maxNameIDBytes get a number; past that a new name is not checked (a
// warning can then be missed, never given wrongly).
type nameSeen struct {
	gen     uint32            // the number of the last object opened
	ids     map[string]uint32 // by name: its number
	idBytes int               // the bytes of ids' keys
	seenID  []uint32          // by name number less 1: the object that gave it last
	tabID   []uint32          // by AMF3 table index less 1: its name number (0: not yet; noID: none)
	slotID  []uint32          // by AMF0 Slot less 1: the number of its last name (0: none)

	// log holds what a name noted for an object replaced when it was
	// an open container's, so that closing the object (close) puts it
	// back: {"a": 1, "b": {"a": 2}, "a": 3} is found. An entry is
	// kept only when the replaced number is not above the parent's
	// (an object closed before the parent opened, or an ancestor):
	// a closed sibling's is never needed again. (The writers' fast
	// paths tell more closed ones apart: a number between the
	// parent's parent's and the parent's is an object opened in the
	// parent's parent and closed before the parent opened.) Past
	// maxNameLog entries none is kept (a warning can then be missed).
	log []nameUndo
}

// nameUndo is a log entry: a name's number and the object number its
// entry held.
type nameUndo struct {
	id, old uint32
}

const (
	// nameTableMax is the number of AMF3 table strings whose number
	// tabID keeps (amf.BatchToken gives no index past it).
	nameTableMax   = 1 << 16
	maxNameIDs     = 1 << 16
	maxNameIDBytes = 1 << 20
	maxNameLog     = 1 << 20
	noID           = ^uint32(0)
	// maskNames is the number of names (the first numbered) that the
	// writers note in a bit of each container instead (pframe.mask):
	// a name's bit is its container's alone, with nothing to log.
	maskNames = 64
)

// reset forgets every name (a conversion begins), keeping the memory
// but for an outgrown map.
func (m *nameSeen) reset() {
	m.gen = 0
	m.seenID = m.seenID[:0]
	m.tabID = m.tabID[:0]
	m.slotID = m.slotID[:0]
	m.log = m.log[:0]
	if len(m.ids) > 1024 {
		m.ids = nil
	} else {
		clear(m.ids)
	}
	m.idBytes = 0
}

// forgetTable forgets the numbers of the AMF3 table's strings, whose
// indexes start again (a fresh 0x11 switch).
func (m *nameSeen) forgetTable() { m.tabID = m.tabID[:0] }

// open gives the number of an object being opened.
func (m *nameSeen) open() uint32 {
	m.gen++
	if m.gen == 0 {
		// After 2^32 objects: what was noted is forgotten, so that no
		// number noted can be a new object's (the open objects' names
		// noted so far are no longer checked).
		clear(m.seenID)
		m.log = m.log[:0]
		m.gen = 1
	}
	return m.gen
}

// member is slot0 for an AMF0 name of Slot slot (above 0, and si 0),
// else slot: where a member name is noted, and its number.
func (m *nameSeen) member(si int, b []byte, slot int, repeat bool) (*uint32, uint32) {
	if slot > 0 && si == 0 {
		return m.slot0(slot-1, repeat, b)
	}
	return m.slot(si, b)
}

// slot is where the name of AMF3 table index si (0: none) or text b is
// noted, and its number; nil past the bounds (not checked).
func (m *nameSeen) slot(si int, b []byte) (*uint32, uint32) {
	if si <= 0 || si > nameTableMax {
		return m.idSlot(m.id(b))
	}
	if si > len(m.tabID) {
		m.tabID = append(m.tabID, make([]uint32, min(max(si, 2*len(m.tabID), 64), nameTableMax)-len(m.tabID))...)
	}
	id := m.tabID[si-1]
	if id == 0 {
		id = m.id(b)
		if id == 0 {
			id = noID
		}
		m.tabID[si-1] = id
	}
	return m.idSlot(id)
}

// idSlot is slot for a name's number (0 or noID: not checked).
func (m *nameSeen) idSlot(id uint32) (*uint32, uint32) {
	if id == 0 || id == noID {
		return nil, 0
	}
	return &m.seenID[id-1], id
}

// slot0 is slot for an AMF0 name of Slot j+1 (amf.BatchToken.Slot):
// the Slot's last name when repeat (amf.BatchToken.Again), or else b,
// which becomes the Slot's last.
func (m *nameSeen) slot0(j int, repeat bool, b []byte) (*uint32, uint32) {
	if j >= len(m.slotID) {
		m.slotID = append(m.slotID, make([]uint32, j+1-len(m.slotID))...)
	}
	if !repeat || m.slotID[j] == 0 {
		m.slotID[j] = m.id(b)
	}
	return m.idSlot(m.slotID[j])
}

// id is the number of a name given by its text; 0 past the bounds.
func (m *nameSeen) id(b []byte) uint32 {
	if id, ok := m.ids[string(b)]; ok {
		return id
	}
	if len(m.seenID) >= maxNameIDs || m.idBytes+len(b) > maxNameIDBytes {
		return 0
	}
	if m.ids == nil {
		m.ids = make(map[string]uint32)
	}
	m.seenID = append(m.seenID, 0)
	id := uint32(len(m.seenID))
	m.ids[string(b)] = id
	m.idBytes += len(b)
	return id
}

// note notes a name, at p (slot's) with number id, for the object
// numbered gen whose parent is numbered pgen, and reports whether that
// object gave it already.
func (m *nameSeen) note(p *uint32, id, gen, pgen uint32) bool {
	if p == nil {
		return false
	}
	old := *p
	if old == gen {
		return true
	}
	if old != 0 && old <= pgen && len(m.log) < maxNameLog {
		m.log = append(m.log, nameUndo{id, old})
	}
	*p = gen
	return false
}

// close puts back what the log holds from entry at on (an object whose
// names logged from there is closing).
func (m *nameSeen) close(at int) {
	if at >= len(m.log) {
		return
	}
	for i := len(m.log) - 1; i >= at; i-- {
		e := m.log[i]
		m.seenID[e.id-1] = e.old
	}
	m.log = m.log[:at]
}

// denseName reports whether b, the name of a member of an AMF3 array's
// associative part, is the name plain JSON gives one of its first n
// dense items ("0", "1", ...): printed as one object, both keys are there.
func denseName(b []byte, n int) bool {
	if len(b) == 0 || len(b) > 10 || b[0] == '0' && len(b) > 1 {
		return false
	}
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int(c-'0')
	}
	return v < n
}

// dupMembers calls again with each name of ms given again after an
// earlier one of ms, or naming one of the n dense items printed before
// them (an AMF3 array's), as the value model's JSON writer meets them.
func dupMembers(ms []amf.Member, n int, again func(name string)) {
	if len(ms) <= 16 {
		for i := range ms {
			name := ms[i].Name
			if n > 0 && denseName([]byte(name), n) {
				again(name)
				continue
			}
			for j := range i {
				if ms[j].Name == name {
					again(name)
					break
				}
			}
		}
		return
	}
	seen := make(map[string]struct{}, len(ms))
	for i := range ms {
		name := ms[i].Name
		if _, ok := seen[name]; ok || n > 0 && denseName([]byte(name), n) {
			again(name)
			continue
		}
		seen[name] = struct{}{}
	}
}

// dupName notes a member name given twice in one object; where gives
// the JSON Pointer of the second, or "" when the writer keeps no paths
// (the typed form's), which names the member instead.
func (n *textNote) dupName(name []byte, where func() string) {
	n.dupNames++
	if n.dupNames == 1 {
		n.noteFirst(inName)
		if ptr := where(); ptr != "" {
			n.firstDupName = "at " + strconv.Quote(ptr)
		} else {
			n.firstDupName = "named " + strconv.Quote(amf.DecodeText(name))
		}
	}
}

// dupNameWarning is the warning about member names given twice, or "".
// Each such name is in an object of its own, or not: "in one object"
// read as though one object held them all.
func (n *textNote) dupNameWarning(typed bool) string {
	if n.dupNames == 0 {
		return ""
	}
	what, _ := countedAt(n.dupNames, "member name", "")
	in, first := "its object (", ""
	if n.dupNames > 1 {
		in, first = "their object (", "the first "
	}
	keep := "JSON readers such as jq keep only one of the two (most keep the last)"
	if typed {
		keep = "amfcall reads both back, but other JSON readers such as jq keep only one of the two (most keep the last)"
	}
	return fmt.Sprintf("%s given twice in %s%s%s): both members are printed, as the AMF gives them; %s",
		what, in, first, n.inValue(n.firstDupName, inName), keep)
}

package amf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// SOL is a Flash Local Shared Object (a .sol file): a name and named
// values, all in AMF0 or all in AMF3. The reference tables span the whole
// file, as Flash Player writes it.
//
// In an AMF0 file Flash Player numbers references from the shared object's
// data object, which is reference 0 (so the first object of the body is
// reference 1); XML documents take a slot and dates do not, as in the
// default [ProfileFlash]. (Remoting packets number from 0.) A value that
// refers to the data object itself holds Data, whose Members are the
// file's Members.
//
// One known file follows another numbering, in which every value,
// primitives included, takes a slot (flash-lso's fishtycoon.sol, digest
// §6.1). It is read with Flash's numbering, like every file: each of its
// references resolves under Flash's numbering too (to another object of
// the file, or to the object being read, as a legitimate self-reference
// does), so nothing in the bytes tells the two apart.
type SOL struct {
	Name    string
	Version Version
	Members []Member
	// Data stands for the data object in the values of an AMF0 file: the
	// decoder sets it, and the encoder writes a value that is Data (the
	// same pointer) as reference 0. It may be nil.
	Data *Object
}

var solMagic = []byte{0x00, 0xBF}

const solTag = "TCSO\x00\x04\x00\x00\x00\x00"

// IsSOL reports whether data starts like a .sol file.
func IsSOL(data []byte) bool {
	return len(data) >= 16 && data[0] == 0x00 && data[1] == 0xBF && string(data[6:16]) == solTag
}

// UnmarshalSOL decodes a .sol file.
func UnmarshalSOL(data []byte) (*SOL, error) {
	return defaultDecMode.UnmarshalSOL(data)
}

// UnmarshalSOL decodes a .sol file with the mode's limits.
func (m *DecMode) UnmarshalSOL(data []byte) (*SOL, error) {
	b := getBuilder(m, data, AMF0)
	defer putBuilder(b)
	return b.sol()
}

// errSOLEndMissing is a .sol file that ends right after a member's value,
// without the 00 byte that ends each member (Flash writes it after the
// last one too).
var errSOLEndMissing = fmt.Errorf("the 00 byte that ends a .sol entry is missing: the file ends after the value: %w", io.ErrUnexpectedEOF)

var errNotSOL = errors.New("not a .sol file (want 00 BF, a length, then \"TCSO\" 00 04 00 00 00 00)")

// notSOL is where and why data is not a .sol file by its first 16 bytes
// (its length field aside): at the first byte that differs from 00 BF and
// "TCSO" 00 04 00 00 00 00, saying which byte was found, so that a file
// that only starts like one (a tool that wrote 00 04 00 00 and then the
// name's length) is told where it goes wrong; at offset 0 when it does
// not start like one at all or is too short to tell.
func notSOL(data []byte) (int, error) {
	if len(data) >= len(solTag) && string(data[:len(solTag)]) == solTag {
		// A tool that wrote the body without the file's first bytes.
		return 0, fmt.Errorf("%w: it starts with the signature, whose place is after 00 BF and the length: its first 6 bytes are missing", errNotSOL)
	}
	if n := len(data); n >= 2 && n < 16 && solHeadPrefix(data) {
		// The start of a header, and then nothing: a file cut short,
		// not another kind of file.
		return n, fmt.Errorf("a .sol file cut short: its header takes 16 bytes (00 BF, a length, then \"TCSO\" 00 04 00 00 00 00) and the input ends after %d: %w", n, io.ErrUnexpectedEOF)
	}
	if len(data) < 16 || data[0] != 0x00 || data[1] != 0xBF || string(data[6:10]) != solTag[:4] {
		return 0, errNotSOL
	}
	for i := 4; i < len(solTag); i++ {
		if data[6+i] != solTag[i] {
			return 6 + i, fmt.Errorf("%w: %02x found instead of %02x", errNotSOL, data[6+i], solTag[i])
		}
	}
	return 0, errNotSOL
}

// solHeadPrefix reports whether data, shorter than a .sol header, is
// the start of one: 00 BF, a length, then as much of the signature as
// there is.
func solHeadPrefix(data []byte) bool {
	if len(data) < 2 || len(data) >= 16 || data[0] != 0x00 || data[1] != 0xBF {
		return false
	}
	for i := 6; i < len(data); i++ {
		if data[i] != solTag[i-6] {
			return false
		}
	}
	return true
}

// LooksLikeSOL reports whether data starts as a .sol file does (00 BF, a
// length, "TCSO"), or with the whole signature ("TCSO" 00 04 00 00 00 00,
// its first 6 bytes missing), or is a header cut short after at least
// its "T" (7 or 8 bytes, which no AMF reads; 9 are an AMF0 number),
// without being one by its header ([IsSOL] false): a file to report as a
// damaged .sol rather than to read as something else.
func LooksLikeSOL(data []byte) bool {
	if IsSOL(data) {
		return false
	}
	return len(data) >= 10 && data[0] == 0x00 && data[1] == 0xBF && string(data[6:10]) == solTag[:4] ||
		len(data) >= len(solTag) && string(data[:len(solTag)]) == solTag ||
		(len(data) == 7 || len(data) == 8) && solHeadPrefix(data) // a header cut short after its "T"
}

func (b *builder) sol() (*SOL, error) {
	r := b.r
	name, ver, err := b.solHead()
	if err != nil {
		return nil, err
	}
	s := &SOL{Name: name, Version: ver}
	if s.Version == AMF0 {
		// Flash's numbering: the data object is reference 0.
		var e ref
		s.Data, e = b.objSlab.oneRef(refObject)
		r.refs0 = append(r.refs0, -1)
		setRef(&b.refs0, 0, e)
	}
	for r.off < len(r.data) {
		if len(s.Members) >= b.m.maxElements {
			return nil, envErr(r.fail(s.Version, r.off, &MaxElementsError{Limit: b.m.maxElements, Count: int64(len(s.Members)) + 1}))
		}
		k, err := b.solName(s.Version)
		if err != nil {
			return nil, envErr(err)
		}
		v, err := b.valueAt()
		if err != nil {
			return nil, envErr(err, k)
		}
		if err := b.solEnd(s.Version, k); err != nil {
			return nil, err
		}
		s.Members = append(s.Members, Member{k, v})
	}
	if s.Data != nil {
		s.Data.Members = s.Members
	}
	return s, nil
}

// MarshalSOL encodes a .sol file.
func MarshalSOL(s *SOL) ([]byte, error) {
	return defaultEncMode.MarshalSOL(s)
}

// MarshalSOL encodes a .sol file with the mode's options.
func (m *EncMode) MarshalSOL(s *SOL) ([]byte, error) {
	if s.Version != AMF0 && s.Version != AMF3 {
		return nil, &EncodeError{Version: "amf", Err: fmt.Errorf("%w: .sol version %d (want 0 or 3)", ErrUnencodable, s.Version)}
	}
	// The AMF3 tables run across the whole file, switches included, as
	// Flash Player writes and reads them (digest §3.7, §6.1).
	fm := *m
	fm.crossEscapeRefs = true
	e := newEncoder(&fm)
	w := e
	// An AMF0 file's XML documents take a slot, and references may
	// point past them: the file is Flash Player's, and numbered as it
	// numbers (see SOL), not as the remoting peers that disagree on
	// XML (Message.XMLRefs).
	w.xmlRefs = true
	w.buf = append(w.buf, 0x00, 0xBF, 0, 0, 0, 0)
	w.buf = append(w.buf, solTag...)
	if err := w.key0(s.Name); err != nil {
		return nil, finishEncErr(withSeg(err, "name"), AMF0)
	}
	w.buf = append(w.buf, 0, 0, 0, byte(s.Version))
	if s.Version == AMF0 {
		// The data object is reference 0 (see SOL).
		if s.Data != nil {
			refIn(&e.ids0.objs, s.Data, 0, &w.refs0)
		} else {
			w.refs0++
		}
	}
	for _, mb := range s.Members {
		var err error
		if s.Version == AMF0 {
			if err = w.key0(mb.Name); err == nil {
				err = e.value0(mb.Value)
			}
		} else if err = w.name3(mb.Name); err == nil {
			err = e.value3(mb.Value)
		}
		if err != nil {
			return nil, finishEncErr(withSeg(err, mb.Name), s.Version)
		}
		w.u8(0)
	}
	if len(w.buf)-6 > 0xFFFFFFFF {
		return nil, &EncodeError{Version: "amf", Err: fmt.Errorf("%w: .sol file over 4 GiB", ErrUnencodable)}
	}
	binary.BigEndian.PutUint32(w.buf[2:], uint32(len(w.buf)-6))
	return w.buf, nil
}

// Under returns e with its Path under the segments base (outermost
// first, not escaped), cut at MaxPath as every path is, in one place
// (joinPath): MarshalSOL names a member "/member", and a caller that
// names it otherwise (convert's JSON form of a .sol file,
// "/data/member") would run over the cut by its prefix if it prefixed
// the path cut already.
func (e *EncodeError) Under(base ...string) *EncodeError {
	var segs []string // innermost first, as joinPath takes them
	if e.Segs != nil {
		for i := len(e.Segs) - 1; i >= 0; i-- {
			segs = append(segs, e.Segs[i])
		}
	} else if e.Path != "" {
		parts := strings.Split(strings.TrimPrefix(e.Path, "/"), "/")
		for i := len(parts) - 1; i >= 0; i-- {
			segs = append(segs, unescapePointer(parts[i]))
		}
	}
	for i := len(base) - 1; i >= 0; i-- {
		segs = append(segs, base[i])
	}
	return &EncodeError{Version: e.Version, Path: joinPath(segs), Err: e.Err, Segs: outerFirst(segs)}
}

// unescapePointer undoes escapePointer.
func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}

// solHead reads a .sol file's header up to its first member: the
// length, the name, the padding and the AMF version, which it sets on
// the Reader. UnmarshalSOL and SOLError read it here, with the same
// errors.
func (b *builder) solHead() (string, Version, error) {
	r := b.r
	data := r.data
	if !IsSOL(data) {
		off, err := notSOL(data)
		return "", 0, envErr(r.fail(AMF0, off, err))
	}
	if n := binary.BigEndian.Uint32(data[2:]); int64(n) != int64(len(data)-6) {
		return "", 0, envErr(r.fail(AMF0, 2, fmt.Errorf("the .sol header gives a length of %d bytes but %d follow it", n, len(data)-6)))
	}
	r.off = 16
	name, err := b.str0()
	if err != nil {
		return "", 0, envErr(err, "name")
	}
	if len(data)-r.off < 4 {
		return "", 0, envErr(r.fail(AMF0, len(data), io.ErrUnexpectedEOF))
	}
	if data[r.off] != 0 || data[r.off+1] != 0 || data[r.off+2] != 0 {
		return "", 0, envErr(r.fail(AMF0, r.off, errors.New("expected 3 bytes of zero padding after the .sol name")))
	}
	r.off += 3
	var ver Version
	switch v := data[r.off]; v {
	case 0:
		ver = AMF0
	case 3:
		ver = AMF3
	default:
		return "", 0, envErr(r.fail(AMF0, r.off, fmt.Errorf("unknown .sol AMF version %d (want 0 or 3)", v)))
	}
	r.off++
	r.ver = ver
	return name, ver, nil
}

// solName reads the name of a .sol entry, in the file's version.
func (b *builder) solName(ver Version) (string, error) {
	if ver == AMF0 {
		return b.str0()
	}
	kb, si, err := b.r.str3()
	if err != nil {
		return "", err
	}
	return b.strAt(si, kb).(string), nil
}

// solEnd reads the 00 byte that ends the .sol entry called k.
func (b *builder) solEnd(ver Version, k string) error {
	r := b.r
	if r.off >= len(r.data) {
		return envErr(r.fail(ver, r.off, errSOLEndMissing), k)
	}
	c, err := r.u8(ver)
	if err != nil {
		return envErr(err, k)
	}
	if c != 0 {
		return envErr(r.fail(ver, r.off-1, fmt.Errorf("expected the 00 byte that ends a .sol entry, found 0x%02x", c)), k)
	}
	return nil
}

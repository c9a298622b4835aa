package amf

// A .sol file read with the token Reader, for writers that stream its
// values (convert's .sol-to-JSON path, issue 7): ReadSOLStart, then per
// member ReadSOLName, its value's tokens and ReadSOLEnd. The reference
// tables span the whole file, as UnmarshalSOL reads it.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ReadSOLStart reads the header of the .sol file that r reads (a Reader
// from NewReader or Reset, at its start): it returns the file's name and
// version, and readies r to read the members (in an AMF0 file the data
// object is AMF0 reference 0, see [SOL]).
func (r *Reader) ReadSOLStart() (name []byte, ver Version, err error) {
	if err := r.between(); err != nil {
		return nil, 0, err
	}
	data := r.data
	if r.src != nil || r.off != 0 {
		return nil, 0, r.finishEnv(r.fail(AMF0, 0, errNotSOL))
	}
	if !IsSOL(data) {
		off, err := notSOL(data)
		return nil, 0, r.finishEnv(r.fail(AMF0, off, err))
	}
	if n := binary.BigEndian.Uint32(data[2:]); int64(n) != int64(len(data)-6) {
		return nil, 0, r.finishEnv(r.fail(AMF0, 2, fmt.Errorf("the .sol header gives a length of %d bytes but %d follow it", n, len(data)-6)))
	}
	r.off = 16
	lenOff := r.off
	n, err := r.u16(AMF0)
	if err == nil {
		name, err = r.take(AMF0, lenOff, int64(n))
	}
	if err != nil {
		return nil, 0, r.finishEnv(err)
	}
	if len(data)-r.off < 4 {
		return nil, 0, r.finishEnv(r.fail(AMF0, len(data), io.ErrUnexpectedEOF))
	}
	if data[r.off] != 0 || data[r.off+1] != 0 || data[r.off+2] != 0 {
		return nil, 0, r.finishEnv(r.fail(AMF0, r.off, errors.New("expected 3 bytes of zero padding after the .sol name")))
	}
	r.off += 3
	switch v := data[r.off]; v {
	case 0:
		ver = AMF0
	case 3:
		ver = AMF3
	default:
		return nil, 0, r.finishEnv(r.fail(AMF0, r.off, fmt.Errorf("unknown .sol AMF version %d (want 0 or 3)", v)))
	}
	r.off++
	r.ver = ver
	if ver == AMF0 {
		// Flash's numbering: the data object is reference 0.
		r.refs0 = append(r.refs0, -1)
	}
	return name, ver, nil
}

// ReadSOLName reads the name of the next member of a .sol file, whose
// value comes next; it returns io.EOF at the end of the file.
func (r *Reader) ReadSOLName() ([]byte, error) {
	if err := r.between(); err != nil {
		return nil, err
	}
	if r.off >= len(r.data) {
		return nil, io.EOF
	}
	if r.ver == AMF0 {
		lenOff := r.off
		n, err := r.u16(AMF0)
		var b []byte
		if err == nil {
			b, err = r.take(AMF0, lenOff, int64(n))
		}
		if err != nil {
			return nil, r.finishEnv(err)
		}
		r.owed = true
		return b, nil
	}
	b, _, err := r.str3()
	if err != nil {
		return nil, r.finishEnv(err)
	}
	// A value must follow: the end of the file there is the file cut
	// short, as UnmarshalSOL says, not io.EOF.
	r.owed = true
	return b, nil
}

// ReadSOLEnd reads the 00 byte that ends a member of a .sol file.
func (r *Reader) ReadSOLEnd() error {
	if err := r.between(); err != nil {
		return err
	}
	if r.src == nil && r.off >= len(r.data) {
		return r.finishEnv(r.fail(r.ver, r.off, errSOLEndMissing))
	}
	c, err := r.u8(r.ver)
	if err != nil {
		return r.finishEnv(err)
	}
	if c != 0 {
		return r.finishEnv(r.fail(r.ver, r.off-1, fmt.Errorf("expected the 00 byte that ends a .sol entry, found 0x%02x", c)))
	}
	return nil
}

// SOLScan is what [DecMode.ScanSOL] finds in the values of a .sol file.
type SOLScan struct {
	// DataRef: a value refers to the data object (AMF0 reference 0).
	DataRef bool
	// Refs, Vectors and Switches: the values hold references, vectors,
	// 0x11 switches; Objects0: an AMF0 object (anonymous or typed).
	Refs, Vectors, Switches, Objects0 bool
	// Traits counts the AMF3 traits the file registers (its table
	// spans the file).
	Traits int
}

// ScanSOL reads a .sol file as [DecMode.UnmarshalSOL] does, but builds
// no value: it returns the file with its members' names (every Value
// nil, Data nil) and what its values hold. It reports false when the
// file does not decode: UnmarshalSOL then says why.
func (m *DecMode) ScanSOL(data []byte) (*SOL, SOLScan, bool) {
	var info SOLScan
	r := scanReaders.Get().(*Reader)
	r.m = m
	defer func() {
		r.data = nil
		clear(r.strs)
		clear(r.stack)
		// The chunked tables: not kept.
		r.objBig, r.big, r.tbig, r.tcache = strBig{}, strBig{}, strBig{}, nil
		if cap(r.refs0) <= 1<<16 && cap(r.objs) <= 1<<16 && cap(r.strs) <= 1<<16 && cap(r.traits) <= 1<<16 {
			scanReaders.Put(r)
		}
	}()
	r.Reset(data, AMF0)
	name, ver, err := r.ReadSOLStart()
	if err != nil {
		return nil, info, false
	}
	s := &SOL{Name: r.text(name), Version: ver}
	for {
		k, err := r.ReadSOLName()
		if err == io.EOF {
			break
		}
		if err != nil || len(s.Members) >= m.maxElements {
			return nil, info, false
		}
		var part PacketPart
		if !scanValue(r, &part, false) || r.ReadSOLEnd() != nil {
			return nil, info, false
		}
		info.DataRef = info.DataRef || part.ref0Zero
		info.Refs = info.Refs || part.Refs
		info.Vectors = info.Vectors || part.Vectors
		info.Switches = info.Switches || part.Switches > 0
		info.Objects0 = info.Objects0 || part.Objects0
		s.Members = append(s.Members, Member{Name: r.text(k)})
	}
	info.Traits = r.TraitsLen()
	return s, info, true
}

// ScanSOL is [DecMode.ScanSOL] with the default limits.
func ScanSOL(data []byte) (*SOL, SOLScan, bool) { return defaultDecMode.ScanSOL(data) }

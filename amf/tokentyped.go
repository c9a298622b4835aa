package amf

import "encoding/binary"

// BatchCount returns the count field of the AMF0 ECMA array whose start
// t is (a [BatchToken] of Kind KindECMAArray that [Reader.ReadBatch]
// just read: Token.Count of the same start read with NextToken), and
// false for any other token. A BatchToken does not carry it; the typed
// JSON writer needs it for "$count".
func (r *Reader) BatchCount(t *BatchToken) (int64, bool) {
	if t.Kind != KindECMAArray || t.Version != AMF0 || t.Index < 0 || int(t.Index) >= len(r.refs0) {
		return 0, false
	}
	off := r.refs0[t.Index] - int(r.base)
	if off < 0 || off+5 > len(r.data) || r.data[off] != m0ECMAArray {
		return 0, false
	}
	return int64(binary.BigEndian.Uint32(r.data[off+1:])), true
}

// BatchClass returns the class name of the AMF0 typed object whose start
// t is (a [BatchToken] of Kind KindObject that [Reader.ReadBatch] just
// read: Token.Bytes of the same start read with NextToken, borrowed as
// it), or nil for an anonymous object and any other token.
func (r *Reader) BatchClass(t *BatchToken) []byte {
	if t.Kind != KindObject || t.Version != AMF0 || t.Index < 0 || int(t.Index) >= len(r.refs0) {
		return nil
	}
	off := r.refs0[t.Index] - int(r.base)
	if off < 0 || off+3 > len(r.data) || r.data[off] != m0TypedObject {
		return nil
	}
	n := int(binary.BigEndian.Uint16(r.data[off+1:]))
	if off+3+n > len(r.data) {
		return nil
	}
	return r.data[off+3 : off+3+n : off+3+n]
}

// NextFrame splits the AMF Socket frame at the start of data: its
// payload (borrowed) and the bytes after it. It reports false when data
// does not start with a whole frame of 1 to DefaultMaxFrame bytes (a
// FrameReader with the default MaxFrame says why).
func NextFrame(data []byte) (payload, rest []byte, ok bool) {
	if len(data) < 4 {
		return nil, data, false
	}
	n := binary.BigEndian.Uint32(data)
	if n == 0 || n > DefaultMaxFrame || uint64(n) > uint64(len(data)-4) {
		return nil, data, false
	}
	return data[4 : 4+n : 4+n], data[4+n:], true
}

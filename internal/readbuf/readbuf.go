// Package readbuf reads a body or frame of unknown or claimed size into
// memory, with a peak near the size read rather than the 2-3 times that
// growing one buffer (io.ReadAll, append) costs.
package readbuf

import "io"

// The chunks a body is read into before its final buffer.
const (
	chunkMin = 64 << 10
	chunkMax = 8 << 20
)

// Read reads r to its end or to limit bytes, whichever comes first. The
// end of r is not an error: a result shorter than limit means r ended
// there (callers that want limit bytes exactly test the length). Another
// read error is returned with the bytes read before it.
//
// sure, when positive, is a size the caller vouches for (an HTTP
// Content-Length within its limit): a buffer of min(sure, limit) bytes is
// made at once. Otherwise the bytes go into chunks that double from 64
// KiB to 8 MiB, never ahead of the bytes that came, until a quarter of
// limit has come; then one buffer of limit bytes takes them (its pages are
// touched only as bytes arrive) and the rest is read into it. Reading n
// bytes so peaks near n + min(n, limit/4): an endless stream cut at limit
// costs 1.25 limit, where io.ReadAll(io.LimitReader) cost 2.7 times it.
func Read(r io.Reader, limit, sure int64) ([]byte, error) {
	if limit <= 0 {
		return nil, nil
	}
	if sure > 0 {
		buf := make([]byte, min(sure, limit))
		n, err := fill(r, buf)
		buf = buf[:n]
		if err != nil || int64(n) == limit {
			return buf, endOK(err)
		}
		// All the bytes vouched for came; more may follow (from a peer
		// that sends more than it said).
		var probe [1]byte
		k, err := fill(r, probe[:])
		if k == 0 {
			return buf, endOK(err)
		}
		rest, err := After([]byte{probe[0]}, r, limit-int64(n))
		return append(buf, rest...), err
	}
	return After(nil, r, limit)
}

// After is Read of a stream whose first bytes, head, were read already
// (head is kept, not copied, unless the final buffer takes it).
func After(head []byte, r io.Reader, limit int64) ([]byte, error) {
	var chunks [][]byte
	total := int64(len(head))
	if total > 0 {
		chunks = append(chunks, head)
	}
	size := max(int64(chunkMin), min(total, chunkMax))
	quarter := max(limit/4, 1)
	for total < limit {
		if total >= quarter {
			big := make([]byte, limit)
			off := int64(0)
			for _, c := range chunks {
				off += int64(copy(big[off:], c))
			}
			chunks = nil
			n, err := fill(r, big[total:])
			return big[:total+int64(n)], endOK(err)
		}
		buf := make([]byte, min(size, quarter-total))
		n, err := fill(r, buf)
		total += int64(n)
		if n > 0 {
			chunks = append(chunks, buf[:n])
		}
		if err != nil {
			return join(chunks, total), endOK(err)
		}
		size = min(2*size, chunkMax)
	}
	return join(chunks, total), nil
}

// fill reads into buf until it is full or r fails; io.EOF is the end of
// r, any other error (io.ErrUnexpectedEOF from an HTTP body cut short of
// its Content-Length) is r's own.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		k, err := r.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// endOK makes the end of the stream no error.
func endOK(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// join returns the chunks as one slice, copying only when there are
// several.
func join(chunks [][]byte, total int64) []byte {
	switch len(chunks) {
	case 0:
		return nil
	case 1:
		return chunks[0]
	}
	b := make([]byte, 0, total)
	for _, c := range chunks {
		b = append(b, c...)
	}
	return b
}

// Counter counts the bytes read through it from R: how far a reader that
// is read once, in order, has come.
type Counter struct {
	R io.Reader
	N int64
}

func (c *Counter) Read(p []byte) (int, error) {
	n, err := c.R.Read(p)
	c.N += int64(n)
	return n, err
}

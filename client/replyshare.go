package client

import (
	"context"
	"io"

	"github.com/amfcall/amfcall/internal/readbuf"
)

// A ReplyShare bounds the reply bytes that the clients sharing it (see
// Config.Replies) hold at once, whatever their number: each client reads
// and decodes a reply of up to Each bytes freely, and a larger one
// (known from its Content-Length, or once Each+1 bytes of it have come)
// only while no other client of the share holds one, waiting its turn
// with the request's deadline. N clients so hold at most N×Each bytes
// of small replies and one large reply (up to MaxResponseSize), where
// each would otherwise hold up to MaxResponseSize.
type ReplyShare struct {
	each  int64
	large chan struct{}
}

// NewReplyShare returns a share in which a client reads a reply of up to
// each bytes (at least 64 KiB) without waiting.
func NewReplyShare(each int64) *ReplyShare {
	return &ReplyShare{each: max(each, 64<<10), large: make(chan struct{}, 1)}
}

// Each is the size up to which a reply is read without waiting.
func (s *ReplyShare) Each() int64 { return s.each }

// hold returns when the reply whose body *r reads may be read: at once
// for a small one, after the other large replies for a large one, whose
// turn the release it returns ends. A body of unknown size has its first
// Each+1 bytes read to tell; *r then reads them again, then the rest.
// The error is the context's, when it ends first.
func (s *ReplyShare) hold(ctx context.Context, size int64, r *io.Reader) (release func(), err error) {
	if s == nil || (size >= 0 && size <= s.each) {
		return func() {}, nil
	}
	if size < 0 {
		head, err := readbuf.Read(*r, s.each+1, 0)
		rest := *r
		if err != nil {
			rest = errReader{err}
		}
		*r = &headReader{head: head, rest: rest}
		if int64(len(head)) <= s.each {
			return func() {}, nil
		}
	}
	select {
	case s.large <- struct{}{}:
		return func() { <-s.large }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// headReader reads head, then rest; readBody takes head as it is.
type headReader struct {
	head []byte
	rest io.Reader
}

func (h *headReader) Read(p []byte) (int, error) {
	if len(h.head) > 0 {
		n := copy(p, h.head)
		h.head = h.head[n:]
		return n, nil
	}
	return h.rest.Read(p)
}

// readBody reads a reply's body: up to limit bytes of r, sure of them
// vouched for (see readbuf.Read).
func readBody(r io.Reader, limit, sure int64) ([]byte, error) {
	if h, ok := r.(*headReader); ok {
		head := h.head
		h.head = nil
		return readbuf.After(head, h.rest, limit)
	}
	return readbuf.Read(r, limit, sure)
}

// errReader fails every read with its error.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

package socket

import (
	"io"
	"sync"
)

// The reader of a Conn buffers what it reads from the network in a
// small buffer of its own (smallRead), and in a large one (largeRead),
// taken from a pool, only while the peer sends faster than frames are
// read: a read that fills the small buffer moves it to a large one,
// given back as soon as it is empty at a read that would wait for the
// peer. An idle connection, or one whose frames come one at a time
// (a request's response, a ping), so holds smallRead bytes, where a
// bufio.Reader of 64 KiB made bench -c 10000 hold some 640 MB before
// any reply. A read of at least a buffer's size with nothing buffered
// (the payload of a large frame) goes straight into the caller's bytes,
// as bufio does.
const (
	smallRead = 4 << 10
	largeRead = 64 << 10
)

var largeReads = sync.Pool{New: func() any { b := make([]byte, largeRead); return &b }}

// frameBuf is a buffered reader for the reader goroutine alone: what
// readLoop needs of a bufio.Reader (Peek, Read, Buffered).
type frameBuf struct {
	rd    io.Reader
	small []byte
	buf   []byte  // small, or *large's bytes
	large *[]byte // from largeReads while in use
	r, w  int     // buf[r:w] is buffered
	err   error   // of the last read, handed over once buffered bytes are gone
}

func newFrameBuf(rd io.Reader) *frameBuf {
	small := make([]byte, smallRead)
	return &frameBuf{rd: rd, small: small, buf: small}
}

// Buffered is the number of bytes read from the network and not yet
// from the frameBuf.
func (b *frameBuf) Buffered() int { return b.w - b.r }

// readErr hands the pending read error over, once.
func (b *frameBuf) readErr() error {
	err := b.err
	b.err = nil
	return err
}

// fill reads once from the network into the free end of the buffer,
// first moving what is buffered to its start (to the small buffer,
// giving the large one back, when nothing is), and switches to a large
// buffer when the read filled the small one.
func (b *frameBuf) fill() {
	if b.r == b.w {
		b.r, b.w = 0, 0
		b.release()
	} else if b.r > 0 {
		b.w = copy(b.buf, b.buf[b.r:b.w])
		b.r = 0
	}
	got := false
	for i := 0; i < 100 && !got; i++ {
		n, err := b.rd.Read(b.buf[b.w:])
		b.w += n
		got = n > 0
		if err != nil {
			b.err = err
			return
		}
	}
	if !got {
		b.err = io.ErrNoProgress
		return
	}
	if b.w == len(b.buf) && b.large == nil {
		// More is likely waiting: read it in larger steps.
		b.large = largeReads.Get().(*[]byte)
		big := *b.large
		b.w = copy(big, b.buf[:b.w])
		b.buf = big
	}
}

// release gives the large buffer back (nothing buffered).
func (b *frameBuf) release() {
	if b.large != nil {
		largeReads.Put(b.large)
		b.large = nil
		b.buf = b.small
	}
}

// Peek returns the next n bytes (n at most smallRead) without reading
// them, or fewer with the error that stopped the read; the bytes are
// valid until the next call.
func (b *frameBuf) Peek(n int) ([]byte, error) {
	for b.w-b.r < n && b.err == nil {
		b.fill()
	}
	if b.w-b.r < n {
		return b.buf[b.r:b.w], b.readErr()
	}
	return b.buf[b.r : b.r+n], nil
}

// Read reads into p what is buffered, else reads from the network once
// (straight into p when p is at least as large as the buffer).
func (b *frameBuf) Read(p []byte) (int, error) {
	if len(p) == 0 {
		if b.Buffered() > 0 {
			return 0, nil
		}
		return 0, b.readErr()
	}
	if b.r == b.w {
		if b.err != nil {
			return 0, b.readErr()
		}
		b.r, b.w = 0, 0
		b.release()
		if len(p) >= len(b.buf) {
			n, err := b.rd.Read(p)
			return n, err
		}
		b.fill()
		if b.r == b.w {
			return 0, b.readErr()
		}
	}
	n := copy(p, b.buf[b.r:b.w])
	b.r += n
	return n, nil
}

// close gives the large buffer back, if held, once the reader is done.
func (b *frameBuf) close() {
	b.r, b.w = 0, 0
	b.release()
}

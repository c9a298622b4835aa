package gateway

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/internal/readbuf"
)

// Reading request bodies. A request that is one ByteArray.saveSnapshot
// call whose image is larger than streamOver goes from the connection to
// a file as it arrives (the usual upload); any other request is read
// whole, its buffer growing as the bytes come rather than sized from a
// Content-Length a client may never honour. A body that stalls for
// idleTimeout is dropped.
const (
	streamOver  = 256 << 10
	peekSize    = 64 << 10
	idleTimeout = 30 * time.Second
)

// idleReader sets a read deadline before each read, so that a stalled
// upload does not hold its connection (and memory) forever.
type idleReader struct {
	r    io.Reader
	rc   *http.ResponseController
	idle time.Duration
}

func (x *idleReader) Read(p []byte) (int, error) {
	if x.rc != nil {
		if err := x.rc.SetReadDeadline(time.Now().Add(x.idle)); err != nil {
			x.rc = nil // not supported by this ResponseWriter
		}
	}
	return x.r.Read(p)
}

// readAll reads the rest of a body of at most limit bytes. declared is
// the Content-Length (-1 if none), over limit when it is given here.
// The body goes into chunks, then one buffer of the limit once a quarter
// of it has come (readbuf): a doubling buffer peaked near 1.5 times the
// body, with the smaller ones left as garbage.
func readAll(r io.Reader, declared, limit int64) ([]byte, error) {
	_ = declared // over limit: the body is refused once limit+1 bytes came
	buf, err := readbuf.Read(r, limit+1, -1)
	if int64(len(buf)) > limit {
		return nil, errTooLarge
	}
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	return buf, nil
}

// readUnknown reads a body of unknown length, of at most limit bytes,
// into pooled chunks (replyPool's) as its bytes come, then copies them
// into one buffer of its size, calling join first with that size, so
// that the copy can be charged before it is made; join's error is
// returned as it is. The chunks go back to the pool: what is left is
// the body alone. readAll's one buffer of the whole limit, made once a
// quarter of it had come, was charged only for the bytes that came: 8
// echoes at once of 13 MB, chunked, took serve --max-memory 64M to
// 156-169 MB (the same with a Content-Length, 93 MB).
func readUnknown(r io.Reader, limit int64, join func(n int64) error) ([]byte, error) {
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			*c = (*c)[:0]
			replyPool.Put(c)
		}
	}()
	total := int64(0)
	for total <= limit {
		c := replyPool.Get().(*[]byte)
		chunks = append(chunks, c)
		buf := (*c)[:min(int64(cap(*c)), limit+1-total)]
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var k int
			k, err = r.Read(buf[n:])
			n += k
		}
		*c = buf[:n]
		total += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading the request body: %w", err)
		}
	}
	if total > limit {
		return nil, errTooLarge
	}
	if total == 0 {
		return nil, nil
	}
	if join != nil {
		if err := join(total); err != nil {
			return nil, err
		}
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, *c...)
	}
	return data, nil
}

// streamedImage is an image that a streamed request wrote to a file: the
// ByteArray argument of the call stands for it.
type streamedImage struct {
	arg  *amf.ByteArray
	tmp  string // file name in the images folder
	size int64
	// release gives back the room the file holds in the images folder,
	// unless saved is set (saveStreamed kept it as an image).
	release func()
	saved   bool
}

// done removes the file, if it is still there, and gives back its room
// unless it was saved.
func (s *streamedImage) done(g *Gateway) {
	g.dropPart(s.tmp)
	if !s.saved {
		s.release()
	}
}

type streamedKey struct{}

// streamedOf returns the streamed image a ByteArray argument stands for.
func streamedOf(ctx context.Context, ba *amf.ByteArray) *streamedImage {
	s, _ := ctx.Value(streamedKey{}).(*streamedImage)
	if s == nil || s.arg != ba {
		return nil
	}
	return s
}

// errNotStreamable says the request is not one the stream path takes;
// nothing has been consumed.
var errNotStreamable = errors.New("not streamable")

// streamSnapshot reads a one-call ByteArray.saveSnapshot request whose
// first argument is an inline ByteArray of more than streamOver bytes,
// writing the bytes to a temporary file in the images folder. It returns
// the request packet, in which an empty ByteArray stands for the image,
// and the streamed image (to be found by saveSnapshot through the
// request's context). errNotStreamable means br is untouched.
func (g *Gateway) streamSnapshot(br *bufio.Reader, limit int64) (*amf.Packet, *streamedImage, error) {
	head, _ := br.Peek(peekSize)
	// The envelope and the first argument are read from the peeked
	// bytes with the token Reader; the ByteArray, too large to be held,
	// is left for the copy below.
	rd := g.dec.NewStreamReader(bytes.NewReader(head), amf.AMF0)
	rd.StreamOver = streamOver
	ver, hc, err := rd.ReadPacketStart()
	if err != nil || (ver != 0 && ver != 3) || hc > 16 {
		return nil, nil, errNotStreamable
	}
	p := &amf.Packet{Version: ver}
	for range hc {
		var h amf.Header
		if h.Name, h.MustUnderstand, _, err = rd.ReadHeaderStart(); err != nil {
			return nil, nil, errNotStreamable
		}
		if h.Value, err = rd.ReadValue(); err != nil {
			return nil, nil, errNotStreamable
		}
		p.Headers = append(p.Headers, h)
	}
	var m amf.Message
	if mc, err := rd.ReadMessagesStart(); err != nil || mc != 1 {
		return nil, nil, errNotStreamable
	}
	// The body's length field is ignored, as readers do.
	if m.Target, m.Response, _, err = rd.ReadMessageStart(); err != nil || m.Target != "ByteArray.saveSnapshot" {
		return nil, nil, errNotStreamable
	}
	// A strict array of 2, the 0x11 switch, an inline AMF3 ByteArray
	// larger than streamOver.
	if t, err := rd.ReadToken(); err != nil || t.Kind != amf.KindArray || t.Version != amf.AMF0 || t.Count != 2 {
		return nil, nil, errNotStreamable
	}
	if t, err := rd.ReadToken(); err != nil || t.Kind != amf.KindSwitch {
		return nil, nil, errNotStreamable
	}
	t, err := rd.ReadToken()
	if err != nil || t.Kind != amf.KindByteArray || !t.Streamed || t.Len > g.opt.MaxUpload {
		return nil, nil, errNotStreamable
	}
	off, size := int(rd.InputOffset()), t.Len

	// Room in the images folder for the file, held while it is written
	// (uploads in flight count): with none, the request is read whole
	// and saveSnapshot answers Snapshot.StorageFull.
	release, fault := g.store.reserve(size)
	if fault != nil {
		return nil, nil, errNotStreamable
	}
	ok := false
	defer func() {
		if !ok {
			release()
		}
	}()

	// From here on the request is ours: bytes are consumed.
	br.Discard(off)
	tmp, f, err := g.createPart(".upload-")
	if err != nil {
		return nil, nil, fmt.Errorf("saving the upload: %w", err)
	}
	n, err := io.CopyN(f, br, size)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		g.dropPart(tmp)
		if err == io.EOF {
			err = fmt.Errorf("the body ends %d bytes into a ByteArray of %d: %w", n, size, io.ErrUnexpectedEOF)
		}
		return nil, nil, fmt.Errorf("reading the ByteArray: %w", err)
	}
	rest, err := readAll(br, -1, limit-int64(off)-size)
	if err != nil {
		g.dropPart(tmp)
		return nil, nil, err
	}
	var second any
	if err := g.dec.Unmarshal(rest, amf.AMF0, &second); err != nil {
		g.dropPart(tmp)
		return nil, nil, fmt.Errorf("the argument after the ByteArray: %w", err)
	}
	img := &streamedImage{arg: &amf.ByteArray{}, tmp: tmp, size: size, release: release}
	m.Value = &amf.Array{Dense: []any{amf.AVMPlus{Value: img.arg}, second}}
	p.Messages = []amf.Message{m}
	ok = true
	return p, img, nil
}

// imageHead reads the first bytes of a streamed image.
func (g *Gateway) imageHead(s *streamedImage) ([]byte, error) {
	f, err := g.images.Open(s.tmp)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, 16)
	n, err := io.ReadFull(f, b)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return b[:n], err
}

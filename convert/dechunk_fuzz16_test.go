package convert

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http/httputil"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzDechunkHTTP: DechunkHTTP never panics; what it does not take as
// chunked comes back as it was; what it de-chunks keeps the head, is
// never longer than the input and de-chunks to itself again once sent
// as one chunk; its errors name a chunk and an offset inside the input.
// Where Go's own chunked reader (net/http/httputil) reads the body to its
// last chunk, DechunkHTTP reads the same body: it is more lenient (bare
// LF, a message cut between chunks), never stricter.
func FuzzDechunkHTTP(f *testing.F) {
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "svc.echo", Response: "/1",
		Value: []any{"hello world", 1.0}}}})
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range []int{len(p), 7} {
		f.Add([]byte(left16Chunked(p, n)))
	}
	for _, body := range []string{
		"1e\r\n" + string(bytes.Repeat([]byte("a"), 30)) + "\r\nzz\r\nabc\r\n0\r\n\r\n",
		"100\r\nabc", "3\r\nabcdef\r\n", "ffffffffffffffffff\r\n", "0000000000000003\r\nabc\r\n0\r\n\r\n",
		"3;ext=1 \r\nabc\r\n0\r\nX-T: 1\r\n\r\n", "3\nabc\n0\n\n", "a\r\n0123456789\r\n",
	} {
		f.Add([]byte(left16Head + body))
	}
	f.Add([]byte("POST /gateway HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n3\nabc\n0\n\n"))
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"))
	f.Add([]byte(left16Head + "A;x=1\r\n0123456789\r\n0;y\r\nT: 1\r\n\r\n"))
	f.Add([]byte("HTTP/1.1 100 Continue\r\n\r\n" + left16Head + "3\r\nabc\r\n0\r\n\r\n"))
	f.Add([]byte(left16Head + "fffffffffffffff\r\nabc"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, ok, err := DechunkHTTP(data)
		n := httpHead(data)
		for n > 0 && interimHead(data[:n]) && httpHead(data[n:]) > 0 {
			n += httpHead(data[n:]) // a 100 Continue head, then the message's
		}
		if !ok {
			if err != nil || !bytes.Equal(out, data) {
				t.Fatalf("not chunked, yet %v or changed", err)
			}
			return
		}
		if err != nil {
			var ce *ChunkError
			if !errors.As(err, &ce) || ce.Chunk < 1 || ce.Offset < int64(n) || ce.Offset > int64(len(data)) || out != nil {
				t.Fatalf("error %#v (head %d bytes, input %d)", err, n, len(data))
			}
		} else {
			if len(out) > len(data) || n == 0 || !bytes.Equal(out[:n], data[:n]) {
				t.Fatalf("de-chunked %q to %q", data, out)
			}
			body := out[n:]
			again := append(append([]byte{}, data[:n]...), fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)...)
			if len(body) == 0 {
				again = append(append([]byte{}, data[:n]...), "0\r\n\r\n"...)
			}
			out2, ok2, err2 := DechunkHTTP(again)
			if !ok2 || err2 != nil || !bytes.Equal(out2, out) {
				t.Fatalf("re-chunked %q de-chunks to %q (%v), not %q", again, out2, err2, out)
			}
		}
		// Go's chunked reader as the reference: what it reads whole,
		// DechunkHTTP reads alike.
		if n == 0 {
			return
		}
		want, rerr := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(data[n:])))
		if rerr == nil && (err != nil || !bytes.Equal(out[n:], want)) {
			t.Fatalf("Go's chunked reader reads %q, DechunkHTTP %q (%v)", want, out, err)
		}
		// Load takes what DechunkHTTP gives, and never panics.
		_, _ = Load(data, "in", InSpec{})
	})
}

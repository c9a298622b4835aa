package convert

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

const left16Head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nTransfer-Encoding: chunked\r\n\r\n"

// left16Chunked is a whole HTTP message with the packet p sent in
// chunks of at most n bytes.
func left16Chunked(p []byte, n int) string {
	var b strings.Builder
	b.WriteString(left16Head)
	for len(p) > 0 {
		k := min(n, len(p))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", k, p[:k])
		p = p[k:]
	}
	b.WriteString("0\r\n\r\n")
	return b.String()
}

// A packet sent in several chunks, saved with its HTTP head (curl -i
// --raw), is read: its body is de-chunked. It failed inside the packet,
// at the first chunk's end.
func TestLoadChunkedHTTPBody(t *testing.T) {
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "svc.echo", Response: "/1",
		Value: []any{"hello world this is a long string of text", 1.0, 2.0, 3.0}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{len(p), 30, 7} {
		src, err := Load([]byte(left16Chunked(p, n)), "reply", InSpec{})
		if err != nil || src.Kind != KindPacket || string(src.Data) != string(p) || string(src.Skipped) != left16Head || src.Name != "reply (de-chunked)" {
			t.Fatalf("chunks of %d: %v, kind %v, name %q, skipped %q", n, err, src.Kind, src.Name, src.Skipped)
		}
	}
	// Chunk extensions, bare LF line ends, trailer fields, and an
	// input that ends between chunks (read as the body so far).
	msg := "POST /gateway HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n" +
		fmt.Sprintf("%X;ext=1\n%s\n%x\n%s\n0\nX-Trailer: 1\n\n", 10, p[:10], len(p)-10, p[10:])
	if out, ok, err := DechunkHTTP([]byte(msg)); !ok || err != nil || !strings.HasSuffix(string(out), string(p)) {
		t.Fatalf("extensions: %v %v %q", ok, err, out)
	}
	if out, ok, err := DechunkHTTP([]byte(left16Head + "a\r\n0123456789\r\n")); !ok || err != nil || string(out) != left16Head+"0123456789" {
		t.Fatalf("no last chunk: %v %v %q", ok, err, out)
	}
	// Not chunked, or no HTTP head: as it is.
	for _, in := range []string{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc", "a\r\nzz\r\n", string(p)} {
		if out, ok, err := DechunkHTTP([]byte(in)); ok || err != nil || string(out) != in {
			t.Fatalf("%q: %v %v %q", in, ok, err, out)
		}
	}
}

// Chunks that do not read are named, with their offset; Load's error
// is an *InputError with a hint.
func TestDechunkErrors(t *testing.T) {
	h := len(left16Head)
	for _, tc := range []struct{ body, want string }{
		{"1e\r\n" + strings.Repeat("a", 30) + "\r\nzz\r\nabc\r\n0\r\n\r\n",
			fmt.Sprintf("chunk 2 at offset %d: bad chunk size \"zz\" (a hex number of bytes is expected)", h+36)},
		{"100\r\nabc", fmt.Sprintf("chunk 1 at offset %d: its size says 256 bytes, but only 3 are left: the message was cut short, or the size is wrong", h)},
		{"3\r\nabcdef\r\n", fmt.Sprintf("chunk 1 at offset %d: its 3 bytes are not followed by a line end (64 65 66 0d 0a): the size line is wrong", h+6)},
		{"ffffffffffffffffff\r\n", fmt.Sprintf("chunk 1 at offset %d: chunk size \"ffffffffffffffffff\" is too large (over 15 hex digits): the message is damaged", h)},
		{"3" + strings.Repeat(" ", 2000), fmt.Sprintf("chunk 1 at offset %d: its size line \"3                                       \" has no line end", h)},
	} {
		_, ok, err := DechunkHTTP([]byte(left16Head + tc.body))
		var ce *ChunkError
		want := "HTTP body in chunks (Transfer-Encoding: chunked): " + tc.want
		if !ok || !errors.As(err, &ce) || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", tc.body, err, want)
		}
		_, err = Load([]byte(left16Head+tc.body), "in", InSpec{})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Hint == "" || err.Error() != "in: "+want {
			t.Errorf("Load: %v", err)
		}
	}
}

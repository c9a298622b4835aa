package convert

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// frame17Chunked is a whole HTTP reply whose packet (a string of about n
// bytes) comes in 64 KiB chunks.
func frame17Chunked(tb testing.TB, n int) []byte {
	p, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "",
		Value: strings.Repeat("x", n)}}})
	if err != nil {
		tb.Fatal(err)
	}
	return []byte(left16Chunked(p, 64<<10))
}

// BenchmarkLoadChunked: the memory Load takes for a chunked reply of 8
// MB (B/op): the de-chunked body is not a second copy of the input.
func BenchmarkLoadChunked(b *testing.B) {
	msg := frame17Chunked(b, 8<<20)
	in := make([]byte, len(msg))
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		copy(in, msg)
		if _, err := Load(in, "reply", InSpec{}); err != nil {
			b.Fatal(err)
		}
	}
}

// A chunk size line longer than 4 KiB (Go's chunked reader's bound) is
// said to be too long, at its offset; it was "no line end" at 1 KiB,
// though the line had one. A long extension under the bound reads.
func TestChunkSizeLineTooLong(t *testing.T) {
	h := len(left16Head)
	body := "1e\r\n" + strings.Repeat("a", 30) + "\r\n3;ext=" + strings.Repeat("x", 5000) + "\r\nabc\r\n0\r\n\r\n"
	_, ok, err := DechunkHTTP([]byte(left16Head + body))
	want := fmt.Sprintf("HTTP body in chunks (Transfer-Encoding: chunked): chunk 2 at offset %d: its size line is too long: no line end in its first 4096 bytes (\"3;ext=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"...), where a size and its extensions take a few: the message is damaged there", h+36)
	if !ok || err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	body = "3;ext=" + strings.Repeat("x", 2000) + "\r\nabc\r\n0\r\n\r\n"
	if out, ok, err := DechunkHTTP([]byte(left16Head + body)); !ok || err != nil || string(out) != left16Head+"abc" {
		t.Fatalf("extension of 2000 bytes: %v %v %q", ok, err, out)
	}
}

// Load de-chunks in place: no copy of the input (the B/op of
// BenchmarkLoadChunked was the input's size, 8.4 MB, before), and the
// input is left as it was when a chunk does not read.
func TestLoadDechunksInPlace(t *testing.T) {
	msg := frame17Chunked(t, 1<<20)
	in := append([]byte{}, msg...)
	src, err := Load(in, "reply", InSpec{})
	if err != nil {
		t.Fatal(err)
	}
	if &src.Data[0] != &in[len(src.Skipped)] || src.Kind != KindPacket || !src.Dechunked {
		t.Fatalf("not in place: kind %v", src.Kind)
	}
	want, _, _ := DechunkHTTP(msg)
	if string(src.Skipped)+string(src.Data) != string(want) {
		t.Fatal("de-chunked in place differs from DechunkHTTP's copy")
	}
	bad := []byte(left16Head + "3\r\nabc\r\nzz\r\n0\r\n\r\n")
	keep := string(bad)
	if _, err := Load(bad, "in", InSpec{}); err == nil || string(bad) != keep {
		t.Fatalf("%v; input now %q", err, bad)
	}
}

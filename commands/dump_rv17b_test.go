package commands

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// chunkedRV17b is data as the body of an HTTP reply in chunks of n.
func chunkedRV17b(data []byte, n int) []byte {
	out := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nTransfer-Encoding: chunked\r\n\r\n")
	for len(data) > 0 {
		k := min(n, len(data))
		out = fmt.Appendf(out, "%x\r\n", k)
		out = append(append(out, data[:k]...), "\r\n"...)
		data = data[k:]
	}
	return append(out, "0\r\n\r\n"...)
}

// TestDumpChunkedCaptureMapped (rv17b): a saved HTTP reply in chunks,
// large enough to be mapped, dumps as its packet does. Load de-chunks
// it in place, in dump's copy-on-write mapping of the file, whose pages
// dump gave back as it went: a page given back came back as the file
// has it, chunk lines and all, and a 20 MB capture failed with exit 4
// ("invalid marker 0x48 at offset 0", the H of "HTTP/1.1"), or dumped
// chunk lines as values. Pages are given back every millisecond here.
func TestDumpChunkedCaptureMapped(t *testing.T) {
	ms := make([]amf.Message, 1000)
	for i := range ms {
		ms[i] = amf.Message{Target: fmt.Sprintf("/%d/onResult", i+1), Response: "null", Value: strings.Repeat("x", 2000)}
	}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: ms})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain, capture := filepath.Join(dir, "r.amf"), filepath.Join(dir, "r.http")
	if err := os.WriteFile(plain, pkt, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(capture, chunkedRV17b(pkt, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	defer func(d time.Duration) { dumpReleaseEvery = d }(dumpReleaseEvery)
	dumpReleaseEvery = time.Millisecond
	want, _, code := run(t, []string{"dump", "--format", "json", plain}, "", nil, false)
	if code != 0 {
		t.Fatalf("dump of the packet: exit %d", code)
	}
	for i := 0; i < 2; i++ {
		got, errs, code := run(t, []string{"dump", "--format", "json", capture}, "", nil, false)
		got = strings.Replace(got, `,"skipped":80,`, ",", 1)
		if code != 0 || got != want {
			t.Fatalf("dump of the capture: exit %d, %d bytes of dump (want %d): %s", code, len(got), len(want), errs)
		}
	}
}

// TestDumpCountWritesNothing (rv17b): dump tells whether a packet with
// a wrong count decodes once the count is made right without writing
// it into the input (its mapping of the user's file, whose pages it
// gives back): the input is as it was, even while it is being read.
func TestDumpCountWritesNothing(t *testing.T) {
	body := amf.Message{Target: "/1/onResult", Response: "null", Value: "v"}
	pkt, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{body, body}})
	if err != nil {
		t.Fatal(err)
	}
	binary.BigEndian.PutUint16(pkt[4:], 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "low.amf")
	if err := os.WriteFile(path, pkt, 0o644); err != nil {
		t.Fatal(err)
	}
	orig := bytes.Clone(pkt)
	out, errs, code := run(t, []string{"dump", "--from", "packet", path}, "", nil, false)
	if code != 0 || !strings.Contains(out, "1 message, but the bytes hold 2 messages: read as such") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, orig) {
		t.Fatalf("the file changed")
	}
}

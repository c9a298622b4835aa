package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A chunked HTTP message (curl -i --raw) whose de-chunked body has text
// after the packet: the hint gave "head -c N FILE | tail -c M >
// packet.amf", counted in the de-chunked bytes, which cut the file's
// chunk size lines into the packet; and it said the text was the end of
// the chunks, which were read.
func TestChunkedTextAfterPacketHint(t *testing.T) {
	pkt := "\x00\x03\x00\x00\x00\x01\x00\x04/1/x\x00\x04null\xff\xff\xff\xff\x02\x00\x0chello, world"
	body := pkt + "<br>notice"
	head := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	msg := fmt.Sprintf("%s%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", head, 20, body[:20], len(body)-20, body[20:])
	file := filepath.Join(t.TempDir(), "reply.http")
	if err := os.WriteFile(file, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, file}, "", nil, false)
		if code != 4 || !strings.Contains(stderr, "(\"<br>notice\": text a PHP gateway printed after the packet") ||
			strings.Contains(stderr, "head -c") || strings.Contains(stderr, "end of the chunks") {
			t.Errorf("%s: code %d, stderr:\n%s", cmd, code, stderr)
		}
	}
}

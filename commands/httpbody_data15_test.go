package commands

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"testing"
)

// TestConvertSavedHTTPMessage: a whole HTTP response saved with its
// headers (curl -i, nc, a proxy) whose body is gzip-compressed was
// "amf3: unknown or invalid marker 0x48 at offset 0" with the hint of
// bare AMF3 values; it is named as the HTTP message it is, with the
// offset of its body and the command that decompresses it. A chunked
// one whose packet fits one chunk was told its last bytes might be "a
// closing ?>"; the hint now names the chunked encoding.
func TestConvertSavedHTTPMessage(t *testing.T) {
	pkt := "\x00\x03\x00\x00\x00\x01\x00\x04/1/x\x00\x04null\xff\xff\xff\xff\x02\x00\x02hi"
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(pkt))
	zw.Close()
	head := "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Encoding: gzip\r\n\r\n"
	chunked := fmt.Sprintf("HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(pkt), pkt)
	for _, tc := range []cliCase{
		{name: "gzip body", args: []string{"convert"}, stdin: head + z.String(), code: 4,
			stderr: fmt.Sprintf("amfcall: error: stdin: it is an HTTP message whose body, after %d bytes of headers, is gzip-compressed data (it starts 1f 8b at offset %d), not AMF\n", len(head), len(head)) +
				fmt.Sprintf("amfcall: hint: the body of an HTTP message saved as it was sent (Content-Encoding: gzip), after its headers; keep the body alone and decompress it: ... | tail -c +%d | gzip -dc | amfcall convert (curl: add --compressed and leave out -i)\n", len(head)+1)},
		{name: "gzip body, dump", args: []string{"dump"}, stdin: head + z.String(), code: 4,
			stderr: fmt.Sprintf("amfcall: error: stdin: it is an HTTP message whose body, after %d bytes of headers, is gzip-compressed data (it starts 1f 8b at offset %d), not AMF\n", len(head), len(head)) +
				fmt.Sprintf("amfcall: hint: the body of an HTTP message saved as it was sent (Content-Encoding: gzip), after its headers; keep the body alone and decompress it: ... | tail -c +%d | gzip -dc | amfcall dump (curl: add --compressed and leave out -i)\n", len(head)+1)},
		// (left16: the body is de-chunked now, and reads.)
		{name: "chunked", args: []string{"convert"}, stdin: chunked,
			stdout: `{"version":3,"headers":[],"messages":[{"target":"/1/x","response":"null","value":"hi"}]}` + "\n",
			stderr: "amfcall: warning: stdin (de-chunked): 47 bytes before the AMF packet, skipped: \"HTTP/1.1 200 OK\\x0d\\x0atransfer-encoding: Chunked\\x0d\\x0a\\x0d\\x0a\"\n"},
		{name: "AMF body after headers still reads", args: []string{"convert"}, stdin: "HTTP/1.1 200 OK\r\n\r\n" + pkt,
			stdout: `{"version":3,"headers":[],"messages":[{"target":"/1/x","response":"null","value":"hi"}]}` + "\n",
			stderr: "amfcall: warning: stdin: 19 bytes before the AMF packet, skipped: \"HTTP/1.1 200 OK\\x0d\\x0a\\x0d\\x0a\"\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
}

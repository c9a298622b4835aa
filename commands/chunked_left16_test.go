package commands

import (
	"fmt"
	"strings"
	"testing"
)

// A reply saved whole with its HTTP head (curl -i --raw, nc) whose
// packet came in several chunks: convert and dump read it de-chunked
// (it failed inside the packet, at the first chunk's end, "the file was
// cut short"); a chunk size that does not read is named with its offset
// (exit 4), with the command that saves the body alone.
func TestChunkedHTTPMessage(t *testing.T) {
	pkt := "\x00\x03\x00\x00\x00\x01\x00\x04/1/x\x00\x04null\xff\xff\xff\xff\x02\x00\x0chello, world"
	head := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	msg := fmt.Sprintf("%s%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", head, 20, pkt[:20], len(pkt)-20, pkt[20:])
	checkCase(t, cliCase{name: "convert", args: []string{"convert"}, stdin: msg,
		stdout: `{"version":3,"headers":[],"messages":[{"target":"/1/x","response":"null","value":"hello, world"}]}` + "\n",
		stderr: "amfcall: warning: stdin (de-chunked): 47 bytes before the AMF packet, skipped: \"HTTP/1.1 200 OK\\x0d\\x0aTransfer-Encoding: chunked\\x0d\\x0a\\x0d\\x0a\"\n"})
	stdout, stderr, code := run(t, []string{"dump"}, msg, nil, false)
	if code != 0 || !strings.Contains(stdout, `string "hello, world"`) ||
		!strings.HasPrefix(stderr, "amfcall: warning: stdin (de-chunked): 47 bytes before the AMF packet, skipped:") {
		t.Fatalf("dump: code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	bad := head + "14\r\n" + pkt[:20] + "\r\nxyz\r\n"
	hint := "amfcall: hint: save the body alone, which curl de-chunks (curl -o FILE, without -i or --raw), and give amfcall that file\n"
	for _, cmd := range []string{"convert", "dump"} {
		checkCase(t, cliCase{name: cmd + " bad size", args: []string{cmd}, stdin: bad, code: 4,
			stderr: "amfcall: error: stdin: HTTP body in chunks (Transfer-Encoding: chunked): chunk 2 at offset 73: bad chunk size \"xyz\" (a hex number of bytes is expected)\n" + hint})
	}
}

package commands

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// convert's warning of the text before a packet names the input as dump's
// and the errors do: "(de-chunked)" when the body came in chunks (it said
// the file's name alone, whose offsets are not the body's).
func TestConvertSkipWarningSaysDechunked(t *testing.T) {
	pkt, _ := base64.StdEncoding.DecodeString("AAAAAAABAAxnZXRTbmFwc2hvdHMAAi8xAAAABQoAAAAA")
	head := "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nTransfer-Encoding: chunked\r\n\r\n"
	msg := head + fmt.Sprintf("a\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", pkt[:10], len(pkt)-10, pkt[10:])
	p := filepath.Join(t.TempDir(), "reply.http")
	if err := os.WriteFile(p, []byte(msg), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "amfcall: warning: " + p + " (de-chunked): 80 bytes before the AMF packet, skipped: "
	for _, cmd := range []string{"convert", "dump"} {
		_, stderr, code := run(t, []string{cmd, p}, "", nil, false)
		if code != 0 || !strings.HasPrefix(stderr, want) {
			t.Errorf("%s: code %d, stderr:\n%s\nwant it to begin %q", cmd, code, stderr, want)
		}
	}
}

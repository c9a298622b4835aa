package commands

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDumpForeignFile: convert names a gzip-compressed body, an image or
// a .swf given for AMF; dump dumped it as bare values failing at byte 0
// ("unknown or invalid marker 0x1f"). It now says what the file is, as
// convert does, with the hint's command piping to dump; --from amf3
// still dumps the bytes as asked.
func TestDumpForeignFile(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte{0x06, 0x05, 'h', 'i'})
	zw.Close()
	file := filepath.Join(t.TempDir(), "reply.bin")
	if err := os.WriteFile(file, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := run(t, []string{"dump", file}, "", nil, false)
	if code != exitInput || !strings.Contains(stderr, "it is gzip-compressed data") ||
		!strings.Contains(stderr, "gzip -dc "+shellWord(file)+" | amfcall dump") {
		t.Errorf("dump of a gzip file: code %d, stderr:\n%s", code, stderr)
	}
	_, stderr, code = run(t, []string{"dump"}, gz.String(), nil, false)
	if code != exitInput || !strings.Contains(stderr, "... | gzip -dc | amfcall dump") {
		t.Errorf("dump of gzip on stdin: code %d, stderr:\n%s", code, stderr)
	}
	_, stderr, code = run(t, []string{"dump"}, "FWS\x0a\x00\x00\x00\x00", nil, false)
	if code != exitInput || !strings.Contains(stderr, "it is a Flash movie (.swf)") {
		t.Errorf("dump of a .swf on stdin: code %d, stderr:\n%s", code, stderr)
	}
	out, stderr, code := run(t, []string{"dump", "--from", "amf3", file}, "", nil, false)
	if code != exitInput || !strings.Contains(out, "1f 8b") || strings.Contains(stderr, "gzip-compressed") {
		t.Errorf("dump --from amf3 of a gzip file: code %d, stdout:\n%s\nstderr:\n%s\nwant the bytes dumped as asked", code, out, stderr)
	}
}

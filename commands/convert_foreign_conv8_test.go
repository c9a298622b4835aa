package commands

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An HTTP body saved as it was sent (Content-Encoding: gzip), or
// another file of the exchange (an image, the .swf), was reported as
// "unknown or invalid marker 0x1f" with a hint to try --from, or, for a
// JPEG, as "the AMF packet after 13 bytes of text ... cut short: get it
// whole again". convert now says what the file is and what to do.
func TestConvertForeignFileConv8(t *testing.T) {
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(reply)
	zw.Close()
	jpeg, err := os.ReadFile("../testdata/pyamf/captures/tiny.jpg")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gzFile := filepath.Join(dir, "reply.amf")
	if err := os.WriteFile(gzFile, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, stdin string
		args        []string
		err, hint   string
	}{
		{"gzip file", "", []string{"convert", gzFile}, "reply.amf: it is gzip-compressed data (it starts 1f 8b), not AMF", "gzip -dc " + shellWord(gzFile) + " | amfcall convert"},
		{"gzip stdin", gz.String(), []string{"convert"}, "stdin: it is gzip-compressed data", "... | gzip -dc | amfcall convert"},
		{"gzip as base64", base64.StdEncoding.EncodeToString(gz.Bytes()), []string{"convert"}, "stdin (base64-decoded): it is gzip-compressed data", "decompress it first"},
		{"jpeg", string(jpeg), []string{"convert"}, "stdin: it is a JPEG image (it starts ff d8 ff), not AMF", "the gateway sent an image"},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", []string{"convert"}, "it is a PNG image", "the gateway sent an image"},
		{"swf", "CWS\x0a\x10\x20\x00\x00x\x9c", []string{"convert"}, "it is a compressed Flash movie (.swf)", "HAR file"},
	} {
		stdout, stderr, code := run(t, c.args, c.stdin, nil, false)
		if code != 4 || stdout != "" {
			t.Errorf("%s: exit %d, stdout %.60q; want exit 4 and nothing", c.name, code, stdout)
		}
		if !strings.Contains(stderr, "error: "+c.err) && !strings.Contains(stderr, c.err) {
			t.Errorf("%s: stderr %q, want the error %q", c.name, stderr, c.err)
		}
		if !strings.Contains(stderr, "hint: ") || !strings.Contains(stderr, c.hint) {
			t.Errorf("%s: stderr %q, want a hint with %q", c.name, stderr, c.hint)
		}
		if strings.Contains(stderr, "marker") || strings.Contains(stderr, "cut short") {
			t.Errorf("%s: stderr %q still speaks of AMF markers or a packet cut short", c.name, stderr)
		}
	}
	// The bytes decompressed are the reply, as before.
	if _, stderr, code := run(t, []string{"convert", "-"}, string(reply), nil, false); code != 0 {
		t.Fatalf("the reply itself: exit %d: %s", code, stderr)
	}
	// Said to be bare values, the bytes are read as asked.
	if _, stderr, code := run(t, []string{"convert", "--from", "amf3", "-"}, gz.String(), nil, false); code != 4 || !strings.Contains(stderr, "marker 0x1f") {
		t.Errorf("--from amf3: exit %d, stderr %q; want the marker error", code, stderr)
	}
}

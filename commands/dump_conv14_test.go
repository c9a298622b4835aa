package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dump --from json FILE is refused (dump reads AMF); the hint said
// "amfcall convert FILE | amfcall dump" whatever FILE held, which for an
// AMF file would turn it into JSON. Now an AMF file is told to be dumped
// as it is, and JSON text still gets the way through convert.
func TestDumpFromJSONHintFits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pkt := write("reply.amf", "\x00\x03\x00\x00\x00\x01\x00\x0b/1/onResult\x00\x04null\xff\xff\xff\xff\x00\x3f\xf0\x00\x00\x00\x00\x00\x00")
	hexText := write("reply.txt", "0a0b010361040201\n")
	js := write("x.amf", `{"a": 1}`)
	for _, tc := range []struct{ file, stderr string }{
		{pkt, "amfcall: error: dump reads AMF, not JSON, and " + pkt + " is no JSON text: it looks like an AMF packet\n" +
			"amfcall: hint: drop --from json: amfcall dump " + pkt + " guesses what the file holds, or --from packet, amf0, amf3, sol, flv or socket says it\n"},
		{hexText, "amfcall: error: dump reads AMF, not JSON, and " + hexText + " is no JSON text: it looks like AMF values, as hex text\n" +
			"amfcall: hint: drop --from json: amfcall dump " + hexText + " guesses what the file holds, or --from packet, amf0, amf3, sol, flv or socket says it\n"},
		{js, "amfcall: error: dump reads AMF, not JSON\n" +
			"amfcall: hint: convert JSON to AMF first: amfcall convert " + js + " | amfcall dump\n"},
	} {
		stdout, stderr, code := run(t, []string{"dump", "--from", "json", tc.file}, "", nil, false)
		if code != exitUsage || stdout != "" || stderr != tc.stderr {
			t.Errorf("dump --from json %s: code %d, stdout %q, stderr:\n%s\nwant:\n%s", filepath.Base(tc.file), code, stdout, stderr, tc.stderr)
		}
		if strings.Contains(tc.file, "reply") {
			// The hint's command runs.
			if _, stderr, code := run(t, []string{"dump", tc.file}, "", nil, false); code != 0 {
				t.Errorf("dump %s: code %d, %s", tc.file, code, stderr)
			}
		}
	}
}

package commands

import (
	"os"
	"strings"
	"testing"
)

// A reply saved from a PHP gateway often has a notice (or a byte order
// mark, or blank lines) before its AMF packet: convert reads the packet
// after it and says what it skipped, escaped, on stderr.
func TestConvertTextBeforePacket(t *testing.T) {
	reply, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	want, stderr, code := run(t, []string{"convert", "-"}, string(reply), nil, false)
	if code != 0 {
		t.Fatalf("the reply alone: exit %d: %s", code, stderr)
	}
	for _, c := range []struct{ prefix, shown string }{
		{"Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\n", `"Notice: Undefined index: x in /var/www/gateway.php on line 12<br />\x0a"`},
		{"\xEF\xBB\xBF", `"\ufeff"`},
		{"\n\n", `"\x0a\x0a"`},
		{"Warning: \x1b[2Jgone<br />", `"Warning: \x1b[2Jgone<br />"`},
	} {
		for _, args := range [][]string{{"convert", "-"}, {"convert", "--from", "packet", "-"}} {
			stdout, stderr, code := run(t, args, c.prefix+string(reply), nil, false)
			if code != 0 || stdout != want {
				t.Errorf("%q %v: exit %d, stdout %.80q, want the reply's JSON; stderr %s", c.prefix, args, code, stdout, stderr)
			}
			if !strings.Contains(stderr, "bytes before the AMF packet, skipped: "+c.shown) || strings.Contains(stderr, "\x1b") {
				t.Errorf("%q %v: stderr %q, want the skipped text %s, escaped", c.prefix, args, stderr, c.shown)
			}
		}
	}
	// Text alone, or text before bytes that are no packet, is still
	// refused.
	for _, in := range []string{"Notice: nothing else", "Notice: x\x00\x03\x00\x00\x00\x01"} {
		if _, stderr, code := run(t, []string{"convert", "-"}, in, nil, false); code != 4 {
			t.Errorf("%q: exit %d, want 4; stderr %s", in, code, stderr)
		}
	}
}

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// JSON that parses but gives a value AMF cannot hold (an empty dynamic
// member name, a target over 64 KiB, traits that do not name the
// members) failed with no file name: "amfcall: error: amf3: value cannot
// be encoded: ...", where every other error in the input names it, and
// --to socket named it ("stdin: frame 1: ...").
func TestConvertEncodeErrorNamesInput(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, "long.json")
	target := strings.Repeat("a", 70000)
	if err := os.WriteFile(long, []byte(`{"messages":[{"target":"`+target+`","response":"/1","value":1}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"convert", "--to", "hex:amf3", "-"}, `{"":1}`, "amfcall: error: stdin: amf3: value cannot be encoded: an empty member name"},
		{[]string{"convert", "--to", "amf3", "-o", "-", "-"}, `[{"":1}]`, "amfcall: error: stdin: amf3: value cannot be encoded: an empty member name cannot be written as a dynamic member or associative key within \"/0\""},
		{[]string{"convert", "--to", "hex", "-"}, `{"$class":"C","$traits":{"sealed":["b"]},"a":1}`, "amfcall: error: stdin: amf3: value cannot be encoded: member 0 is \"a\" but the traits name it \"b\""},
		{[]string{"convert", "--to", "hex", long}, "", "amfcall: error: " + long + ": amf0: value cannot be encoded: a member or class name longer than 65535 bytes within \"/messages/0/target\""},
	} {
		stdout, stderr, code := run(t, c.args, c.stdin, nil, false)
		if code != exitInput || stdout != "" || !strings.HasPrefix(stderr, c.want) {
			t.Errorf("%v %.40q: exit %d, stdout %q, stderr %q; want exit 4 and %q", c.args, c.stdin, code, stdout, stderr, c.want)
		}
	}
}

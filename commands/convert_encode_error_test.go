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

// An output limit error named the input for bare values and frames
// ("big.amf3: json: plain output exceeds ..."), but not for a packet or
// a .sol file ("amfcall: error: json: plain output exceeds 6 bytes").
func TestConvertOutputLimitNamesInput(t *testing.T) {
	for _, file := range []string{
		"../testdata/pyamf/captures/default-batch.response.amf",
		"../testdata/sol/shared.sol",
	} {
		for _, typed := range []string{"--compact", "--typed"} {
			_, stderr, code := run(t, []string{"convert", typed, "--max-output", "6", file}, "", nil, false)
			if code != exitInput || !strings.HasPrefix(stderr, "amfcall: error: "+file+": json: ") || !strings.Contains(stderr, "output exceeds 6 bytes") {
				t.Errorf("%s %s: exit %d, stderr %q; want exit 4 and the file named", typed, file, code, stderr)
			}
		}
	}
}

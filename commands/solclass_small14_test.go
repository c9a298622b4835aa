package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// convert --to sol of a .sol whose data object has a "$class" key
// wrote it as a member named "$class" without a word; it now warns,
// naming the line and column, and still writes it (exit 0), as plain
// JSON output of such a member reads back.
func TestConvertSOLDataClassWarns(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "s.json")
	if err := os.WriteFile(in, []byte("{\"sol\": \"s\", \"data\": {\"a\": 1,\n  \"$class\": \"com.example.User\"}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "s.sol")
	_, stderr, code := run(t, []string{"convert", "--to", "sol", in, "-o", out}, "", nil, false)
	if code != 0 || !strings.Contains(stderr, `warning: "$class" on the .sol's data object (line 2, column 4) is written as a member named "$class"`) {
		t.Errorf("exit %d; want 0 and the warning naming line 2, column 4; stderr:\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, []string{"convert", out}, "", nil, false)
	if code != 0 || stdout != "{\"sol\":\"s\",\"version\":3,\"data\":{\"a\":1,\"$class\":\"com.example.User\"}}\n" {
		t.Errorf("read back: exit %d, %q %q", code, stdout, stderr)
	}
}

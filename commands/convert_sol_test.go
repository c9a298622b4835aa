package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An AMF3 .sol file whose second entry refers to the first entry's string.
const solFile = "\x00\xbf\x00\x00\x00\x1cTCSO\x00\x04\x00\x00\x00\x00\x00\x01s\x00\x00\x00\x03\x03a\x06\x03x\x00\x03b\x06\x02\x00"

func TestConvertSOL(t *testing.T) {
	t.Parallel()
	stdout, stderr, code := run(t, []string{"convert"}, solFile, nil, false)
	if code != 0 || stdout != `{"sol":"s","version":3,"data":{"a":"x","b":"x"}}`+"\n" {
		t.Fatalf("convert .sol: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Typed JSON back to the same bytes, written to a file.
	typed, _, code := run(t, []string{"convert", "--typed"}, solFile, nil, false)
	if code != 0 {
		t.Fatalf("typed: code %d", code)
	}
	out := filepath.Join(t.TempDir(), "back.sol")
	_, stderr, code = run(t, []string{"convert", "-o", out}, typed, nil, false)
	got, _ := os.ReadFile(out)
	if code != 0 || string(got) != solFile {
		t.Fatalf("JSON -> .sol: code %d, stderr %q, bytes %x", code, stderr, got)
	}
	// A .sol file is not a bare value.
	_, stderr, code = run(t, []string{"convert", "--to", "amf3"}, solFile, nil, false)
	if code != 2 || !strings.Contains(stderr, "a .sol file can't be written as amf3") {
		t.Errorf("--to amf3: code %d, stderr %q", code, stderr)
	}
	// A damaged entry names where.
	bad := strings.Replace(solFile, "\x06\x02\x00", "\x06\x09\x00", 1)
	_, stderr, code = run(t, []string{"convert"}, bad, nil, false)
	if code != 4 || !strings.Contains(stderr, `within "/b" at offset 32`) {
		t.Errorf("damaged: code %d, stderr %q", code, stderr)
	}
}

// --typed with -o NAME.sol (a .sol input): the name picks the .sol form,
// which is written, and a warning says that --typed was not used; with
// a .json name, or JSON input, there is nothing to say.
func TestConvertTypedToBinaryNameWarns(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join("..", "testdata", "sol", "shared.sol")
	out := filepath.Join(dir, "copy.sol")
	_, stderr, code := run(t, []string{"convert", "--typed", in, "-o", out}, "", nil, false)
	if code != 0 || stderr != "amfcall: warning: -o "+out+" writes sol, as its name asks: --typed applies to JSON output; add --to json for typed JSON\n" {
		t.Errorf("-o copy.sol: code %d, stderr %q", code, stderr)
	}
	js := filepath.Join(dir, "shared.json")
	if _, stderr, code := run(t, []string{"convert", "--typed", in, "-o", js}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("-o shared.json: code %d, stderr %q", code, stderr)
	}
	back := filepath.Join(dir, "back.sol")
	if _, stderr, code := run(t, []string{"convert", "--typed", js, "-o", back}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("JSON input -o back.sol: code %d, stderr %q", code, stderr)
	}
}

package commands

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUTF16FaultLeft17: convert of a file that starts with a UTF-16 byte
// order mark but ends in one odd byte: with --from json, the error names
// UTF-16 and the odd byte's offset (it said "invalid UTF-8 ... offset 0");
// guessed, the hint says the same (it said only "an odd number of bytes,
// or half a surrogate pair").
func TestUTF16FaultLeft17(t *testing.T) {
	t.Parallel()
	b := []byte{0xFF, 0xFE}
	for _, c := range `{"a":1}` {
		b = append(b, byte(c), 0)
	}
	f := filepath.Join(t.TempDir(), "odd.json")
	if err := os.WriteFile(f, append(b, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	const at = "not UTF-16 text after its byte order mark (FF FE, little-endian): one byte (00) left over at the end, half a character (an odd number of bytes: cut short?) at line 1, column 8 (offset 16)\n"
	_, stderr, code := run(t, []string{"convert", "--from", "json", f}, "", nil, false)
	if want := "amfcall: error: " + f + ": json: " + at; code != 4 || stderr != want {
		t.Errorf("--from json: code %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	_, stderr, code = run(t, []string{"convert", f}, "", nil, false)
	if want := "amfcall: error: " + f + ": amf3: unknown or invalid marker 0xff at offset 0\namfcall: hint: it is " + at; code != 4 || stderr != want {
		t.Errorf("guessed: code %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}

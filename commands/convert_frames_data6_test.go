package commands

import (
	"os"
	"path/filepath"
	"testing"
)

// TestConvertOutputFramesName: -o NAME.frames writes AMF Socket frames,
// as --to socket does: the client frames of testdata/socket come back
// byte for byte from their JSON lines. Before, bare AMF3 values (no
// length prefixes) were written under the name.
func TestConvertOutputFramesName(t *testing.T) {
	t.Parallel()
	in := filepath.Join("..", "testdata", "socket", "amfcall-client.frames")
	want, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	js := filepath.Join(dir, "frames.json")
	if _, stderr, code := run(t, []string{"convert", "--typed", in, "-o", js}, "", nil, false); code != 0 {
		t.Fatalf("frames -> JSON: code %d, stderr %q", code, stderr)
	}
	out := filepath.Join(dir, "back.frames")
	if _, stderr, code := run(t, []string{"convert", js, "-o", out}, "", nil, false); code != 0 {
		t.Fatalf("JSON -o back.frames: code %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != string(want) {
		t.Errorf("-o back.frames wrote %d bytes (% x...), want the %d bytes of %s", len(got), got[:min(len(got), 8)], len(want), in)
	}
}

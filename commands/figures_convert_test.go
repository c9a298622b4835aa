//go:build unix

package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertJSONErrorNoInputCopy: a JSON input that fails to convert is
// not copied whole to find a hint for it. The hint for Python's None,
// True and single quotes (foreignLiteralHint) took string(data), a copy
// of the whole input: a 300 MB string over the AMF3 limit peaked at
// 628 MB, where the conversion itself holds 320 MB (the mapped file).
// Not parallel: runCounted counts the bytes the whole process allocates.
// Unix only: elsewhere a named file is read into the heap, not mapped.
func TestConvertJSONErrorNoInputCopy(t *testing.T) {
	const n = 32 << 20
	var b bytes.Buffer
	b.Grow(n + 16)
	b.WriteString(`["`)
	b.Write(bytes.Repeat([]byte{'a'}, n))
	b.WriteString(`", None]`)
	name := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(name, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b = bytes.Buffer{}
	out, stderr, code, alloc := runCounted(t, "convert", name, "--to", "amf3")
	if code != 4 || out.n != 0 || !strings.Contains(stderr, "None is not JSON: write null") {
		t.Fatalf("exit %d, %d bytes out, stderr:\n%s", code, out.n, stderr)
	}
	if alloc > n/2 {
		t.Errorf("a failing convert of %d MiB of JSON allocated %d MiB, want under %d MiB (the input is mapped, not read into the heap)", n>>20, alloc>>20, n>>21)
	}
}

// TestConvertSingleQuotedHintBounded: a whole input in single quotes is
// shown again in the hint only when short; of a 1 MiB file the hint was
// the file again (a 100 MB one: 100 MB on stderr, 527 MB peak).
func TestConvertSingleQuotedHintBounded(t *testing.T) {
	name := filepath.Join(t.TempDir(), "quoted.json")
	if err := os.WriteFile(name, []byte("'"+strings.Repeat("a", 1<<20)+"'"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code, _ := runCounted(t, "convert", "--from", "json", name, "--to", "amf3")
	want := "amfcall: hint: JSON strings and member names take double quotes, not single: {\"name\": \"value\"}\n"
	if code != 4 || out.n != 0 || !strings.HasSuffix(stderr, want) || len(stderr) > 1024 {
		t.Fatalf("exit %d, %d bytes out, %d bytes of stderr, want the short hint:\n%.600s", code, out.n, len(stderr), stderr)
	}
}

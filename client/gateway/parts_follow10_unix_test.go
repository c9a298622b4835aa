//go:build unix

package gateway

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLeftoverPartsRemoved: a gateway that ended before its uploads (a
// second Ctrl-C, a crash) left hidden .upload-*.part files in the images
// folder for good. A gateway that starts on the folder removes them, and
// logs it, but only when no other gateway runs on it (each holds the
// folder's lock: its partial files are being written), and only files
// with a partial file's exact name: nothing else is touched.
func TestLeftoverPartsRemoved(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".upload-0123456789abcdef.part", 3000)
	write(".save-fedcba9876543210.part", 1000)
	kept := []string{".upload-notes.part", ".upload-0123456789ABCDEF.part", ".upload-0123456789abcdef.part.bak",
		"x.part", ".upload-0123456789abcde.part", "keep.jpg", "upload-0123456789abcdef.part"}
	for _, name := range kept {
		write(name, 10)
	}
	outside := filepath.Join(t.TempDir(), "target")
	os.WriteFile(outside, []byte("x"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, ".save-1111111111111111.part")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".upload-2222222222222222.part"), 0o755); err != nil {
		t.Fatal(err)
	}
	kept = append(kept, ".save-1111111111111111.part", ".upload-2222222222222222.part")

	var log bytes.Buffer
	a, err := New(Options{ImagesDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if want := "removed 2 partial uploads (4000 bytes) left in " + dir + " by a gateway that stopped before they ended: "; !strings.Contains(log.String(), want) {
		t.Errorf("log %q, want %q", log.String(), want)
	}
	if got := names(t, dir); !slices.Equal(got, sorted(kept)) {
		t.Fatalf("left %v, want %v", got, sorted(kept))
	}

	// While a runs, its partial files are not another's leftovers.
	write(".upload-aaaaaaaaaaaaaaaa.part", 10)
	log.Reset()
	b, err := New(Options{ImagesDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := os.Stat(filepath.Join(dir, ".upload-aaaaaaaaaaaaaaaa.part")); err != nil || log.Len() != 0 {
		t.Fatalf("a gateway started beside a running one removed its partial file (%v), log %q", err, log.String())
	}
	a.Close()
	c, err := New(Options{ImagesDir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := os.Stat(filepath.Join(dir, ".upload-aaaaaaaaaaaaaaaa.part")); err == nil || !strings.Contains(log.String(), "removed 1 partial upload (10 bytes)") {
		t.Fatalf("the leftover of a stopped gateway stayed (log %q)", log.String())
	}
	if got := names(t, dir); !slices.Equal(got, sorted(kept)) {
		t.Fatalf("left %v, want %v", got, sorted(kept))
	}
	if b, err := os.ReadFile(outside); err != nil || string(b) != "x" {
		t.Fatalf("the symlink's target: %q, %v", b, err)
	}
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

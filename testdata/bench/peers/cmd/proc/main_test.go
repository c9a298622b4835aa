package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSameFiles(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // 160,000 bytes: three pieces
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a", big)
	same := write("same", bytes.Clone(big))
	changed := bytes.Clone(big)
	changed[150000] = 'X'
	diff := write("diff", changed)
	short := write("short", big[:len(big)-1])
	empty1, empty2 := write("e1", nil), write("e2", nil)

	if err := sameFiles(a, same); err != nil {
		t.Errorf("same files: %v", err)
	}
	if err := sameFiles(empty1, empty2); err != nil {
		t.Errorf("empty files: %v", err)
	}
	if err := sameFiles(a, diff); err == nil || !strings.Contains(err.Error(), "within bytes 131072-") {
		t.Errorf("a byte changed in the third piece: %v", err)
	}
	if err := sameFiles(a, short); err == nil {
		t.Error("one byte shorter: no error")
	}
	if err := sameFiles(a, filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file: no error")
	}
}

// TestRun runs a real child: cat copies its stdin to stdout, which must
// equal the expected file; a wrong expectation fails the run.
func TestRun(t *testing.T) {
	cat, err := exec.LookPath("cat")
	if err != nil {
		t.Skip("no cat on this machine")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.WriteFile(in, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := &command{name: "cat", stdin: in, expect: in, argv: []string{cat}}
	if err := c.run(filepath.Join(dir, "out"), time.Minute); err != nil {
		t.Fatal(err)
	}
	if len(c.wall) != 1 || len(c.rss) != 1 || c.rss[0] <= 0 {
		t.Errorf("wall %v, rss %v: want one sample each", c.wall, c.rss)
	}
	other := filepath.Join(dir, "other")
	if err := os.WriteFile(other, []byte("bye\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.expect = other
	if err := c.run(filepath.Join(dir, "out"), time.Minute); err == nil {
		t.Error("output differs from the expected file: no error")
	}
}

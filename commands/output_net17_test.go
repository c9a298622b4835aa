package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// -o naming the file stderr goes to (-o /dev/stderr with 2>>log): the
// log was replaced by amfcall's output alone (the atomic write of any
// -o FILE), as -o /dev/stdout was before script16. It is written through
// stderr, at its offset, between what was written before and after.
func TestOutputIsStderrFile_net17(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log.txt")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("head\n")
	var outb strings.Builder
	e := &runEnv{
		args:       []string{"amfcall", "convert", "--to", "hex:amf3", "-o", path},
		stdin:      strings.NewReader(`{"a": 1}`),
		stdout:     &outb,
		stderr:     f,
		getenv:     func(k string) string { return plainEnv[k] },
		isTerminal: func(any) bool { return false },
	}
	if code := e.run(); code != 0 {
		got, _ := os.ReadFile(path)
		t.Fatalf("exit %d: %s", code, got)
	}
	f.WriteString("tail\n")
	got, _ := os.ReadFile(path)
	if want := "head\n0a0b010361040101\ntail\n"; string(got) != want {
		t.Fatalf("the file holds %q, want %q", got, want)
	}
}

// -o /dev/fd/N, N a descriptor the shell opened on a file ("3>log"):
// written through the descriptor at its offset, not the file replaced.
func TestOutputIsDevFd_net17(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("/dev/fd/N as Linux has it")
	}
	path := filepath.Join(t.TempDir(), "log.txt")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("head\n")
	var outb, errb strings.Builder
	e := &runEnv{
		args:       []string{"amfcall", "convert", "--to", "hex:amf3", "-o", fmt.Sprintf("/dev/fd/%d", f.Fd())},
		stdin:      strings.NewReader(`{"a": 1}`),
		stdout:     &outb,
		stderr:     &errb,
		getenv:     func(k string) string { return plainEnv[k] },
		isTerminal: func(any) bool { return false },
	}
	if code := e.run(); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	f.WriteString("tail\n")
	got, _ := os.ReadFile(path)
	if want := "head\n0a0b010361040101\ntail\n"; string(got) != want {
		t.Fatalf("the file holds %q, want %q", got, want)
	}
}

package commands

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
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
	shellGiven(t, f) // rv17a: inherited, as the shell's "3>log" is
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

// A write that fails (a full disk) on a file written beside its name
// and renamed says what it left: the file as it was, or none.
func TestWriteErrorSaysWhatIsLeft_net17(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	old := filepath.Join(dir, "old.json")
	os.WriteFile(old, []byte("kept"), 0o600)
	for _, tc := range []struct{ path, want string }{
		{old, "writing " + old + ": no space left on device; " + old + " is left as it was (nothing half-written)"},
		{filepath.Join(dir, "new.json"), "writing " + filepath.Join(dir, "new.json") + ": no space left on device; " + filepath.Join(dir, "new.json") + " was not created (nothing half-written)"},
	} {
		f, err := createAtomic(tc.path, newFileMode)
		if err != nil {
			t.Fatal(err)
		}
		o := &output{flag: "-o", path: tc.path, tmp: f, w: f, release: func(last func()) { last() },
			werr: &os.PathError{Op: "write", Path: tc.path + ".tmp", Err: syscall.ENOSPC}}
		err = o.writeError()
		o.abort()
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != exitUsage || err.Error() != tc.want || !strings.Contains(strings.Join(ee.hints, " "), "room") {
			t.Errorf("got %v, want %q (exit 2, a hint)", err, tc.want)
		}
	}
	if got, _ := os.ReadFile(old); string(got) != "kept" {
		t.Errorf("old file holds %q", got)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Errorf("left %v", names)
	}
}

// --save-request /dev/full and dump -o /dev/full: exit 2, the file named
// once, with the hint -o of convert has ("writing /dev/full: write
// /dev/full: no space left on device", no hint, before).
func TestFullDeviceSaysSo_net17(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	// The system's own words for a full disk (Wine's /dev/full gives
	// Windows' "Disk full.").
	osText := "no space left on device"
	if runtime.GOOS == "windows" {
		osText = "Disk full."
	}
	amf := filepath.Join(t.TempDir(), "x.amf")
	os.WriteFile(amf, []byte{0, 3, 0, 0, 0, 0}, 0o600)
	for _, args := range [][]string{
		{"call", "--offline", "http://127.0.0.1:1/", "echo.echo", "1", "--save-request", "/dev/full"},
		{"dump", amf, "-o", "/dev/full"},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		want := "amfcall: error: writing /dev/full: " + osText + "\namfcall: hint: check that there is room where the output goes\n"
		if code != 2 || stderr != want {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, code, stdout, stderr)
		}
	}
}

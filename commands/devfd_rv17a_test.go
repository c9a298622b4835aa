//go:build linux

package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -o /dev/fd/N with no N> on the command line named one of amfcall's
// own descriptors (the input file, the runtime's epoll): it was written
// through ("writing /dev/fd/3: bad file descriptor", hint "check that
// there is room"), and "3<FILE" the same. Both are now refused before
// anything is written, saying why, exit 2; the file is untouched.
func TestDevFdNotGiven_rv17a(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "own.txt")
	if err := os.WriteFile(path, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	own, err := os.OpenFile(path, os.O_RDWR, 0) // close-on-exec, as Go opens its own
	if err != nil {
		t.Fatal(err)
	}
	defer own.Close()
	ro, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	shellGiven(t, ro) // "3<own.txt"
	for _, tc := range []struct {
		f    *os.File
		want string
	}{
		{own, "is not one the shell gave amfcall"},
		{ro, "is open for reading only"},
	} {
		dev := fmt.Sprintf("/dev/fd/%d", tc.f.Fd())
		for _, args := range [][]string{
			{"convert", "--to", "hex:amf3", "-o", dev},
			{"call", "--offline", "http://127.0.0.1:1/", "echo.echo", "1", "--save-request", dev},
		} {
			_, stderr, code := run(t, args, `{"a": 1}`, nil, false)
			if code != 2 || !strings.Contains(stderr, dev+": descriptor") || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "hint: open the descriptor") {
				t.Errorf("%v: exit %d, stderr:\n%s", args, code, stderr)
			}
		}
	}
	if got, _ := os.ReadFile(path); string(got) != "keep" {
		t.Errorf("the file holds %q", got)
	}
}

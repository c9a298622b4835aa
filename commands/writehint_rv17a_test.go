package commands

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A write past the size one file may have ("ulimit -f 100", FAT's
// 4 GiB: EFBIG, "file too large") got the full disk's hint, "check that
// there is room where the output goes", which sends the user looking
// for room there is. It names the limit now; exit 2 as before.
func TestWriteErrorFileTooLarge_rv17a(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "big.json")
	f, err := createAtomic(path, newFileMode)
	if err != nil {
		t.Fatal(err)
	}
	o := &output{flag: "-o", path: path, tmp: f, w: f, release: func(last func()) { last() },
		werr: &os.PathError{Op: "write", Path: path + ".tmp", Err: syscall.EFBIG}}
	err = o.writeError()
	o.abort()
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitUsage {
		t.Fatalf("got %v, want exit 2", err)
	}
	hints := strings.Join(ee.hints, " ")
	if !strings.Contains(hints, "ulimit -f") || strings.Contains(hints, "room") {
		t.Errorf("hints %q: want the size limit named, not room", hints)
	}
}

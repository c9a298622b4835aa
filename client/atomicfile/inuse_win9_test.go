package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var errHeld = errors.New("held open")

// TestRenameRetrying: a rename refused because the target is held open
// is tried again until it succeeds, within the budget; one still refused
// then names the target (not the temporary file) and wraps ErrInUse and
// the system's error; any other error is returned at once.
func TestRenameRetrying(t *testing.T) {
	was := renameBudget
	renameBudget = 50 * time.Millisecond
	defer func() { renameBudget = was }()
	held := func(err error) bool { return errors.Is(err, errHeld) }
	linkErr := &os.LinkError{Op: "rename", Old: ".t123", New: "t", Err: errHeld}

	tries := 0
	err := renameRetrying("t", func() error {
		if tries++; tries < 3 {
			return linkErr
		}
		return nil
	}, held)
	if err != nil || tries != 3 {
		t.Errorf("released on the 3rd try: %v after %d tries", err, tries)
	}

	tries = 0
	err = renameRetrying("C:\\out\\t.json", func() error { tries++; return linkErr }, held)
	var pe *os.PathError
	if !errors.Is(err, ErrInUse) || !errors.Is(err, errHeld) || !errors.As(err, &pe) || pe.Path != "C:\\out\\t.json" || tries < 2 {
		t.Errorf("never released: %v (%T) after %d tries", err, err, tries)
	}
	if strings.Contains(err.Error(), ".t123") {
		t.Errorf("the message names the temporary file: %v", err)
	}

	tries = 0
	other := &os.LinkError{Op: "rename", Old: ".t1", New: "t", Err: fs.ErrNotExist}
	if err := renameRetrying("t", func() error { tries++; return other }, held); err != other || tries != 1 {
		t.Errorf("another error: %v after %d tries, want it at once", err, tries)
	}
}

// TestReplaceHeldOpen: on Windows a target that another handle holds
// open (opened as most programs open a file, without FILE_SHARE_DELETE)
// cannot be renamed over. The rename is tried again, and succeeds when
// the handle is closed meanwhile (as a virus scanner lets go); when it is
// never closed, the error is ErrInUse naming the target, which is as it
// was, and Cleanup leaves no temporary file. It said "rename
// .t.json2ghnwgej6d8pz t.json: Access denied." Elsewhere a file held open
// is replaced.
func TestReplaceHeldOpen(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Skip("only Windows refuses to rename over a file held open")
	}
	was := renameBudget
	renameBudget = 100 * time.Millisecond
	defer func() { renameBudget = was; beforeRetry = nil }()
	dir := t.TempDir()
	target := filepath.Join(dir, "t.json")
	if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	replace := func() (*File, error) {
		f, err := Create(target, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte("new")); err != nil {
			t.Fatal(err)
		}
		return f, f.CloseAtomicallyReplace()
	}

	h, err := os.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	f, err := replace()
	var pe *os.PathError
	if !errors.Is(err, ErrInUse) || !errors.As(err, &pe) || pe.Path != target {
		t.Errorf("held open: %v, want ErrInUse naming %s", err, target)
	}
	f.Cleanup()
	h.Close()
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Errorf("the target holds %q, want it as it was", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("left in the folder: %v", ents)
	}

	h, err = os.Open(target)
	if err != nil {
		t.Fatal(err)
	}
	beforeRetry = func() { h.Close() }
	f, err = replace()
	f.Cleanup()
	if b, _ := os.ReadFile(target); err != nil || string(b) != "new" {
		t.Errorf("released before the next try: %v, the target holds %q", err, b)
	}
}

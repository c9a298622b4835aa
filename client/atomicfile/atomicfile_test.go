package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// impls are the implementations under test: the one this GOOS uses, and
// the portable one Windows uses, run here against a real directory too.
var impls = []struct {
	name string
	fn   createFunc
}{
	{"platform", platformCreate},
	{"portable", createPortable},
}

// currentUmask is the process's umask (0 where there is none).
func currentUmask(t *testing.T) os.FileMode {
	t.Helper()
	old := umask(0o022)
	umask(old)
	return os.FileMode(old)
}

// names lists dir, to check that no temporary file is left.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range es {
		ns = append(ns, e.Name())
	}
	return ns
}

func write(t *testing.T, f *File, s string) {
	t.Helper()
	if _, err := f.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

func wantFile(t *testing.T, path, want string, mode os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
	if runtime.GOOS == "windows" {
		return // only the read-only bit exists
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != mode {
		t.Errorf("%s has mode %v, want %v", path, st.Mode().Perm(), mode)
	}
}

func wantNames(t *testing.T, dir string, want ...string) {
	t.Helper()
	if got := names(t, dir); !slices.Equal(got, want) {
		t.Errorf("%s holds %q, want %q (a temporary file left?)", dir, got, want)
	}
}

func TestCreateNew(t *testing.T) {
	mask := currentUmask(t)
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.json")
			f, err := create(im.fn, path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, "new")
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("before the replace: Stat(%s) = %v, want not exist", path, err)
			}
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			if err := f.Cleanup(); err != nil {
				t.Errorf("Cleanup after the replace = %v, want nil", err)
			}
			wantFile(t, path, "new", 0o644&^mask)
			wantNames(t, dir, "out.json")
		})
	}
}

func TestCreateKeepsExistingMode(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.amf")
			if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, 0o666); err != nil { // exactly: the umask would take 0o022 off
				t.Fatal(err)
			}
			f, err := create(im.fn, path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, "new, longer than the old")
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			wantFile(t, path, "new, longer than the old", 0o666)
			wantNames(t, dir, "out.amf")
		})
	}
}

// The session file: an existing file's mode is narrowed with Chmod.
func TestCreateChmod(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "session.json")
			if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := create(im.fn, path, 0o600)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, `{"cookies":[]}`)
			if err := f.Chmod(0o600); err != nil {
				t.Fatal(err)
			}
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			wantFile(t, path, `{"cookies":[]}`, 0o600)
		})
	}
}

// A dropped write leaves the old file and nothing else.
func TestCleanupKeepsOld(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.bin")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := create(im.fn, path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			write(t, f, "half of the n")
			if len(names(t, dir)) != 2 {
				t.Fatalf("%s holds %q, want the target and a temporary file", dir, names(t, dir))
			}
			if err := f.Cleanup(); err != nil {
				t.Fatal(err)
			}
			if err := f.Cleanup(); err != nil {
				t.Errorf("a second Cleanup = %v, want nil", err)
			}
			wantFile(t, path, "old", 0o644&^currentUmask(t))
			wantNames(t, dir, "out.bin")
		})
	}
}

// A rename that fails (the target is a directory that is not empty)
// leaves the target as it was and, after Cleanup, no temporary file.
func TestReplaceFails(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out")
			if err := os.MkdirAll(filepath.Join(path, "kept"), 0o755); err != nil {
				t.Fatal(err)
			}
			f, err := create(im.fn, path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			write(t, f, "data")
			if err := f.CloseAtomicallyReplace(); err == nil {
				t.Fatal("CloseAtomicallyReplace over a directory = nil, want an error")
			}
			if err := f.Cleanup(); err != nil {
				t.Fatal(err)
			}
			wantNames(t, dir, "out")
			wantNames(t, path, "kept")
		})
	}
}

func TestCreateMissingDir(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := create(im.fn, filepath.Join(dir, "no", "out.json"), 0o644)
			if !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("Create in a missing directory = %v, want not exist", err)
			}
			wantNames(t, dir)
		})
	}
}

// A symbolic link is written through: its target is replaced, the link
// stays; a dangling link gets its target created.
func TestCreateThroughSymlink(t *testing.T) {
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			dir := t.TempDir()
			real := filepath.Join(dir, "real.json")
			link := filepath.Join(dir, "link.json")
			if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink("real.json", link); err != nil {
				t.Skipf("no symbolic links here: %v", err)
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
				// Wine's CreateSymbolicLinkW returns success and makes nothing.
				t.Skipf("no symbolic links here: made %s, but it is not one (%v)", link, err)
			}
			f, err := create(im.fn, link, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, "new")
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("Lstat(link) = %v, %v; want the link kept", st, err)
			}
			wantFile(t, real, "new", 0o600)

			dangling := filepath.Join(dir, "dangling.json")
			if err := os.Symlink("made.json", dangling); err != nil {
				t.Fatal(err)
			}
			f, err = create(im.fn, dangling, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, "made")
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			wantFile(t, filepath.Join(dir, "made.json"), "made", 0o644&^currentUmask(t))
			wantNames(t, dir, "dangling.json", "link.json", "made.json", "real.json")
		})
	}
}

func TestCreateIn(t *testing.T) {
	mask := currentUmask(t)
	for _, im := range impls {
		t.Run(im.name, func(t *testing.T) {
			top := t.TempDir()
			dir := filepath.Join(top, "images")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			root, err := os.OpenRoot(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer root.Close()
			// An existing file is replaced, and gets perm.
			if err := os.WriteFile(filepath.Join(dir, "a.jpg"), []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			f, err := createIn(im.fn, root, "a.jpg", 0o644)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Cleanup()
			write(t, f, "image")
			if err := f.CloseAtomicallyReplace(); err != nil {
				t.Fatal(err)
			}
			wantFile(t, filepath.Join(dir, "a.jpg"), "image", 0o644&^mask)

			// A dropped download leaves nothing.
			f, err = createIn(im.fn, root, "b.jpg", 0o644)
			if err != nil {
				t.Fatal(err)
			}
			write(t, f, "ima")
			if err := f.Cleanup(); err != nil {
				t.Fatal(err)
			}
			wantNames(t, dir, "a.jpg")

			// A name outside the root is refused, and nothing is made.
			for _, name := range []string{"../escaped.jpg", "sub/../../escaped.jpg", "/tmp/escaped.jpg"} {
				if _, err := createIn(im.fn, root, name, 0o644); err == nil || err.Error() != "open "+name+": path escapes from parent" {
					t.Errorf("CreateIn(%s) = %v, want path escapes from parent", name, err)
				}
			}
			wantNames(t, top, "images")
			wantNames(t, dir, "a.jpg")
		})
	}
}

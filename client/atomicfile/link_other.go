//go:build !unix

package atomicfile

import (
	"os"
	"path/filepath"
)

// linkTarget is the file that writing path replaces: path itself, or
// what the symbolic link at path points at. (No folder here is sticky
// and world-writable as Unix's /tmp, so no link is refused.)
func linkTarget(path string) (string, error) {
	st, err := os.Lstat(path)
	if err != nil || st.Mode()&os.ModeSymlink == 0 {
		return path, nil
	}
	if t, err := filepath.EvalSymlinks(path); err == nil {
		return t, nil
	}
	l, err := os.Readlink(path)
	if err != nil {
		return path, nil
	}
	// A dangling link: create what it points at.
	if !filepath.IsAbs(l) {
		l = filepath.Join(filepath.Dir(path), l)
	}
	return l, nil
}

// CheckShared is nil here: no folder is sticky and world-writable as
// Unix's /tmp.
func CheckShared(path string) error { return nil }

//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// maxLinks bounds the symbolic links followed to resolve one path, as
// the kernel's 40.
const maxLinks = 40

// linkTarget is the file that writing path replaces: path itself, or
// what the symbolic links on its way point at. They are followed one by
// one, as the kernel does, and each is checked (foreignLink) before it
// is: filepath.EvalSymlinks would follow any. What does not exist yet
// is taken as named (a dangling link: its target is created).
func linkTarget(path string) (string, error) {
	resolved := "."
	if filepath.IsAbs(path) {
		resolved = "/"
	}
	parts := strings.Split(path, "/")
	links := 0
	for len(parts) > 0 {
		name := parts[0]
		parts = parts[1:]
		if name == "" || name == "." {
			continue
		}
		next := filepath.Join(resolved, name)
		if name == ".." {
			resolved = next
			continue
		}
		fi, err := os.Lstat(next)
		if err != nil {
			// Not there: the rest is named as it is (a missing folder
			// fails when the file is made).
			return filepath.Join(append([]string{next}, parts...)...), nil
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			resolved = next
			continue
		}
		if links++; links > maxLinks {
			return "", &os.PathError{Op: "open", Path: path, Err: syscall.ELOOP}
		}
		if foreignLink(resolved, fi) {
			return "", &os.PathError{Op: "open", Path: next, Err: ErrForeignLink}
		}
		l, err := os.Readlink(next)
		if err != nil {
			return "", err
		}
		if filepath.IsAbs(l) {
			resolved = "/"
		}
		parts = append(strings.Split(l, "/"), parts...)
	}
	if resolved == "." {
		return path, nil
	}
	return resolved, nil
}

// foreignLink reports a link (fi) in the folder dir that Linux's
// fs.protected_symlinks forbids following: dir is sticky and
// world-writable, and the link belongs neither to us (the effective
// user) nor to dir's owner.
func foreignLink(dir string, fi fs.FileInfo) bool {
	di, err := os.Stat(dir)
	if err != nil {
		return false
	}
	if di.Mode()&fs.ModeSticky == 0 || di.Mode().Perm()&0o002 == 0 {
		return false
	}
	ls, ok1 := fi.Sys().(*syscall.Stat_t)
	ds, ok2 := di.Sys().(*syscall.Stat_t)
	if !ok1 || !ok2 {
		return false
	}
	return ls.Uid != uint32(os.Geteuid()) && ls.Uid != ds.Uid
}

// CheckShared says whether path can be trusted to be read as the user's
// own file (a session file, which sets cookies and headers): nil, or an
// [*os.PathError] wrapping [ErrForeignLink] for a link on the way that
// Create would not follow, or [ErrForeignFile] for a file that another
// user owns in a world-writable sticky folder (/tmp): anyone can put a
// file there first, for us to read as ours. A path that does not exist
// is nil.
func CheckShared(path string) error {
	target, err := linkTarget(path)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(target)
	if err != nil {
		return nil
	}
	if foreignLink(filepath.Dir(target), fi) {
		return &os.PathError{Op: "open", Path: path, Err: ErrForeignFile}
	}
	return nil
}

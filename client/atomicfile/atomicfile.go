// Package atomicfile writes a file so that it holds its old content or
// the whole new one, never a part, even after a crash: the data goes to a
// temporary file in the same directory, which is synced to disk, closed
// and renamed over the target. A write that fails, or that the caller
// drops, leaves the target as it was and no temporary file behind.
//
// On Unix-like systems it uses github.com/google/renameio/v2. renameio
// has no PendingFile on Windows, so there the same steps are taken here
// (the portable implementation, also tested on Linux): os.Rename and
// [os.Root.Rename] replace an existing file on Windows too.
//
// The method names are renameio's, so that code written for a
// renameio.PendingFile reads the same.
package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
)

// File is a temporary file that replaces its target when
// [File.CloseAtomicallyReplace] succeeds. Call [File.Cleanup] (it is
// safe after a successful replace) to drop it on every other path. A File
// is not safe for concurrent use.
type File struct {
	p pending
}

// pending is what both implementations provide: *renameio.PendingFile
// and *portable.
type pending interface {
	Write(p []byte) (int, error)
	Chmod(mode os.FileMode) error
	CloseAtomicallyReplace() error
	Cleanup() error
}

// createFunc makes the pending file for target (a name in root when root
// is not nil). A new file gets perm, less the umask; with keep an existing
// regular file's permissions are kept instead.
type createFunc func(root *os.Root, target string, perm os.FileMode, keep bool) (pending, error)

// Create opens the file that will replace path. A path that is a
// symbolic link is written through: the link's target is replaced and the
// link stays; a dangling link has its target created. A link on the way
// that another user made in a world-writable sticky folder fails with an
// [*os.PathError] wrapping [ErrForeignLink]. A new file gets
// perm (less the umask); an existing regular file keeps its permissions.
func Create(path string, perm os.FileMode) (*File, error) {
	return create(platformCreate, path, perm)
}

func create(fn createFunc, path string, perm os.FileMode) (*File, error) {
	target, err := linkTarget(path)
	if err != nil {
		return nil, err
	}
	p, err := fn(nil, target, perm, true)
	if err != nil {
		return nil, err
	}
	return &File{p: p}, nil
}

// CreateIn opens the file that will replace name in root; the temporary
// file is made in root too. The file gets perm (less the umask), whether
// or not it existed. A name that is not local (filepath.IsLocal: "..",
// absolute) fails at once with an [*os.PathError] wrapping
// [ErrEscapes].
func CreateIn(root *os.Root, name string, perm os.FileMode) (*File, error) {
	return createIn(platformCreate, root, name, perm)
}

// ErrEscapes is a name given to [CreateIn] that is not within its root.
var ErrEscapes = errors.New("path escapes from parent")

func createIn(fn createFunc, root *os.Root, name string, perm os.FileMode) (*File, error) {
	// os.Root would refuse it too, but renameio's temporary file is made
	// before the target is named.
	if !filepath.IsLocal(name) {
		return nil, &os.PathError{Op: "open", Path: name, Err: ErrEscapes}
	}
	p, err := fn(root, name, perm, false)
	if err != nil {
		return nil, err
	}
	return &File{p: p}, nil
}

// ErrForeignLink is a symbolic link that [Create] does not follow: one
// in a world-writable sticky folder (/tmp) that belongs to neither the
// user nor the folder's owner. Another user's link there could name any
// file of ours (a shell's start-up file) to be replaced, or created, with
// what we write; the kernel refuses to open through such a link (Linux's
// fs.protected_symlinks), but Create resolves links itself and writes
// beside the target, so it checks as the kernel does, on every system.
var ErrForeignLink = errors.New("a symbolic link of another user in a world-writable sticky folder (such as /tmp) is not followed")

// ErrForeignFile is a file that another user owns in a world-writable
// sticky folder (/tmp), which [CheckShared] does not trust to be read.
var ErrForeignFile = errors.New("the file belongs to another user, in a world-writable sticky folder (such as /tmp), who may have put it there for you to read")

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.p.Write(p) }

// Chmod sets the permissions the file will have, exactly (the umask does
// not apply). On Windows only the write bit counts (read-only or not).
func (f *File) Chmod(mode os.FileMode) error { return f.p.Chmod(mode) }

// CloseAtomicallyReplace syncs and closes the temporary file and renames
// it over the target. After an error the target is as it was; call
// Cleanup to remove the temporary file.
func (f *File) CloseAtomicallyReplace() error { return f.p.CloseAtomicallyReplace() }

// Cleanup closes and removes the temporary file. It does nothing after a
// successful CloseAtomicallyReplace, so "defer f.Cleanup()" is always
// right.
func (f *File) Cleanup() error { return f.p.Cleanup() }

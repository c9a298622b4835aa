//go:build windows

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// platformCreate is the portable implementation: renameio has no
// PendingFile on Windows.
func platformCreate(root *os.Root, target string, perm os.FileMode, keep bool) (pending, error) {
	return createPortable(root, target, perm, keep)
}

// inUse reports whether err is Windows refusing to replace a file held
// open: ERROR_ACCESS_DENIED, as MoveFileEx answers for a target opened
// without FILE_SHARE_DELETE (as most programs open it), and the sharing
// and lock violations.
func inUse(err error) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch errno {
	case syscall.ERROR_ACCESS_DENIED, 32 /* ERROR_SHARING_VIOLATION */, 33 /* ERROR_LOCK_VIOLATION */ :
		return true
	}
	return false
}

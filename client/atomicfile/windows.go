//go:build windows

package atomicfile

import "os"

// platformCreate is the portable implementation: renameio has no
// PendingFile on Windows.
func platformCreate(root *os.Root, target string, perm os.FileMode, keep bool) (pending, error) {
	return createPortable(root, target, perm, keep)
}

//go:build !windows

package atomicfile

import (
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// platformCreate is renameio where it has a PendingFile (everywhere but
// Windows): the temporary file beside the target, or in root.
func platformCreate(root *os.Root, target string, perm os.FileMode, keep bool) (pending, error) {
	opts := []renameio.Option{renameio.WithPermissions(perm)}
	if root != nil {
		opts = append(opts, renameio.WithRoot(root))
	} else {
		opts = append(opts, renameio.WithTempDir(filepath.Dir(target)))
	}
	if keep {
		opts = append(opts, renameio.WithExistingPermissions())
	}
	return renameio.NewPendingFile(target, opts...)
}

// inUse is for the portable implementation, which only Windows uses
// outside tests: elsewhere a rename is not refused for a file held open.
func inUse(error) bool { return false }

//go:build !unix

package gateway

import "os"

// lockFolder: here no lock tells a running gateway's partial files
// from a dead one's, so none is removed at start (RemoveParts still
// removes a gateway's own).
func lockFolder(root *os.Root) (f *os.File, alone bool, share func()) {
	return nil, false, func() {}
}

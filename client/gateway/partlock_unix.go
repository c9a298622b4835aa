//go:build unix

package gateway

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockFolder takes the images folder's lock (flock on the folder): for
// this gateway alone when no other gateway holds it (alone is then
// true, and share must be called after the leftovers are removed), or
// shared with the others. The lock lasts until the returned file is
// closed (Close). A folder that cannot be locked (a file system without
// flock) is never cleaned.
func lockFolder(root *os.Root) (f *os.File, alone bool, share func()) {
	f, err := root.Open(".")
	if err != nil {
		return nil, false, func() {}
	}
	fd := int(f.Fd())
	if unix.Flock(fd, unix.LOCK_EX|unix.LOCK_NB) == nil {
		// The exclusive lock becomes a shared one once the leftovers
		// are gone, so that other gateways may start on the folder.
		return f, true, func() { unix.Flock(fd, unix.LOCK_SH) }
	}
	if unix.Flock(fd, unix.LOCK_SH) != nil {
		f.Close()
		return nil, false, func() {}
	}
	return f, false, func() {}
}

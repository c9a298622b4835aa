package client

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// A --session file is written back as read, merged, renamed over
// (SaveSessionOver, MergeSession). Two commands ending at once could
// both read the file before either renamed its own over it: the second
// rename then lost what the first had merged in. LockSessionFile closes
// that window: the read, merge and write happen while the lock is held.
//
// The lock is a file beside the session file, PATH.lock, made with
// O_EXCL, which every platform and file system that amfcall runs on
// honours, so no per-platform locking call is needed. A command killed
// while it holds the lock leaves the file behind: one older than
// staleLock is taken as such and removed.

const (
	// lockWait is how long LockSessionFile waits for another command
	// to release the lock; the merge it guards takes milliseconds.
	lockWait = 2 * time.Second
	// staleLock is the age past which a lock file is taken as left by
	// a command that died holding it.
	staleLock = 10 * time.Second
	lockRetry = 5 * time.Millisecond
)

// ErrSessionLocked is LockSessionFile's error when another command held
// the lock for all of the wait.
var ErrSessionLocked = errors.New("another command holds its lock")

// LockSessionFile takes the lock of the session file path, waiting up to
// 2 seconds for another command to release it, and returns the function
// that releases it. Its error is ErrSessionLocked when the wait ran out,
// or why the lock file could not be made (a folder that cannot be
// written, say); the caller may then write without the lock, as before.
func LockSessionFile(path string) (unlock func(), err error) {
	name := path + ".lock"
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(name) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s: %w", name, unwrapPathError(err))
		}
		if st, serr := os.Lstat(name); serr == nil && time.Since(st.ModTime()) > staleLock {
			// Left by a command that died holding it: removed, then
			// taken by whichever command gets it first. (One that
			// cannot be removed, another user's, is waited out.)
			if os.Remove(name) == nil {
				continue
			}
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: %w", name, ErrSessionLocked)
		}
		time.Sleep(lockRetry)
	}
}

// unwrapPathError is the error of a *fs.PathError without its path,
// which the message gives once.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// ErrInUse is a target that Windows did not let the temporary file
// replace: another program holds it open (an editor, a spreadsheet, a
// viewer, a virus scanner that did not let go), or the user may not
// change it. The target is as it was. [File.CloseAtomicallyReplace]
// returns it in an [*os.PathError] naming the target, after trying again
// for about a second, long enough for a scanner or indexer that opened
// the file a moment ago.
var ErrInUse = errors.New("another program has it open, or it may not be changed: Windows did not let it be replaced")

// renameBudget bounds the time spent trying a rename again while the
// target is in use.
var renameBudget = time.Second

// beforeRetry, when not nil, runs before each new try (a test's hook).
var beforeRetry func()

// renameRetrying runs rename, and runs it again while it fails with an
// error inUse says is passing (a file held open), waiting 10 ms, then
// twice as long each time, for renameBudget in all. When it still
// fails so, the error names target and wraps ErrInUse and the system's
// own error.
func renameRetrying(target string, rename func() error, inUse func(error) bool) error {
	err := rename()
	if err == nil || !inUse(err) {
		return err
	}
	wait, spent := 10*time.Millisecond, time.Duration(0)
	for spent < renameBudget {
		if beforeRetry != nil {
			beforeRetry()
		}
		time.Sleep(wait)
		spent += wait
		wait *= 2
		if err = rename(); err == nil || !inUse(err) {
			return err
		}
	}
	return &os.PathError{Op: "replace", Path: target, Err: &inUseError{sys: unwrapLink(err)}}
}

// inUseError is ErrInUse with what the system said.
type inUseError struct{ sys error }

func (e *inUseError) Error() string { return fmt.Sprintf("%v (%v)", ErrInUse, e.sys) }
func (e *inUseError) Unwrap() []error {
	return []error{ErrInUse, e.sys}
}

func unwrapLink(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

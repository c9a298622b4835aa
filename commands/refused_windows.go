package commands

import (
	"errors"
	"syscall"
)

// wsaeConnRefused is Winsock's WSAECONNREFUSED, what a dial to a port
// where nothing listens fails with on Windows. syscall.ECONNREFUSED is
// another number there (one Go made up), which no dial returns.
const wsaeConnRefused = syscall.Errno(10061)

// connRefused tells whether a dial failed because nothing listens there.
func connRefused(err error) bool {
	return errors.Is(err, wsaeConnRefused) || errors.Is(err, syscall.ECONNREFUSED)
}

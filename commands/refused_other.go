//go:build !windows

package commands

import (
	"errors"
	"syscall"
)

// connRefused tells whether a dial failed because nothing listens there.
func connRefused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

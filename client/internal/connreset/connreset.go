// Package connreset tells whether a network error is the peer resetting
// (or aborting) the connection, on every system amfcall runs on.
package connreset

import (
	"errors"
	"syscall"
)

// Winsock's WSAECONNABORTED and WSAECONNRESET: what a reset connection
// fails with on Windows, where syscall.ECONNRESET is a number Go made up
// that no socket returns. No other system uses these numbers.
const (
	wsaeConnAborted = syscall.Errno(10053)
	wsaeConnReset   = syscall.Errno(10054)
)

// Is reports whether err is the peer resetting or aborting the
// connection.
func Is(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, wsaeConnReset) || errors.Is(err, wsaeConnAborted)
}

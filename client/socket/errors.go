package socket

import (
	"errors"
	"fmt"
	"time"
)

// ErrPeerClosed is the peer closing the connection (end of stream).
var ErrPeerClosed = errors.New("the peer closed the connection")

// ErrClosed is a Conn closed by its own side.
var ErrClosed = errors.New("connection closed")

// NetError is a failure of the connection itself: Op is "dial", "read" or
// "write"; Addr the peer's address. Err is the cause: ErrPeerClosed, or a
// net error (connection refused, reset).
type NetError struct {
	Op   string
	Addr string
	Err  error
	// Unheard: the peer closed before sending a byte (a TLS or HTTP
	// port, and many others, close on a first frame they cannot read).
	Unheard bool
}

func (e *NetError) Error() string {
	return fmt.Sprintf("socket: %s %s: %v", e.Op, e.Addr, e.Err)
}

func (e *NetError) Unwrap() error { return e.Err }

// TimeoutError reports something that did not happen in time: What says
// what ("no response to \"add\"", "no data from the peer"), After how
// long was waited, Addr with which peer (when What does not say).
type TimeoutError struct {
	What  string
	After time.Duration
	Addr  string
	// Wait is the wait that ran out, for a caller to name the setting
	// that bounds it.
	Wait Wait
}

// Wait names a wait of a connection's that can run out.
type Wait uint8

const (
	WaitDial     Wait = iota + 1 // for the connection (Options.DialTimeout)
	WaitWrite                    // for the peer to take our bytes (Options.WriteTimeout)
	WaitResponse                 // for the response to a request
	WaitIdle                     // for any data from the peer (Options.IdleTimeout)
	WaitPing                     // for the answer to a ping
	WaitActivity                 // for anything but pings (the server's)
	WaitFrame                    // for the rest of a frame begun (Options.MaxFrameTime)
)

func (e *TimeoutError) Error() string {
	if e.Addr != "" {
		return fmt.Sprintf("socket: %s: %s within %s", e.Addr, e.What, e.After.Round(time.Millisecond))
	}
	return fmt.Sprintf("socket: %s within %s", e.What, e.After.Round(time.Millisecond))
}

// Timeout reports true, as net.Error does.
func (e *TimeoutError) Timeout() bool { return true }

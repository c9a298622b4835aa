//go:build linux

package client

import (
	"net"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// fullListener returns the address of a loopback socket whose accept
// queue is full, so that a new connection hangs in the handshake (Linux
// drops the SYN): a stand-in for an unreachable host.
func fullListener(t *testing.T) string {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Skip(err)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skip(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Skip(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(sa.(*syscall.SockaddrInet4).Port)
	// Fill the accept queue; nothing ever accepts.
	for i := 0; i < 4; i++ {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return addr // the queue is full
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("could not fill the accept queue")
	return ""
}

func TestConnectTimeout(t *testing.T) {
	addr := fullListener(t)
	start := time.Now()
	_, err := call(t, "http://"+addr+"/", Config{ConnectTimeout: 200 * time.Millisecond, Timeout: 5 * time.Second})
	wantHTTPError(t, err, ErrTimeout, "no connection within 200ms", "raise the connect timeout")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v", d)
	}
	// Without a connect timeout, the overall one applies.
	_, err = call(t, "http://"+addr+"/", Config{Timeout: 200 * time.Millisecond})
	wantHTTPError(t, err, ErrTimeout, "no complete reply within 200ms", "slow or stuck")
}

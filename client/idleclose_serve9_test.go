package client

import (
	"errors"
	"net"
	"testing"
	"time"
)

// TestIdleConnClosedAfterTimeout: once one side of an idleConn has
// timed out, the error of the other side, whose read or write the
// transport's close cut, is the idle timeout too. The write of an
// upload's body was cut this way ("use of closed network connection")
// after the reply's read timed out, and that write error was reported.
func TestIdleConnClosedAfterTimeout(t *testing.T) {
	t.Parallel()
	c := &idleConn{Conn: tcpPair(t), idle: 50 * time.Millisecond}
	var timeout *IdleTimeoutError
	if _, err := c.Read(make([]byte, 1)); !errors.As(err, &timeout) {
		t.Fatalf("read: %v, want an *IdleTimeoutError", err)
	}
	c.Close() // as the transport does on the read's error
	if _, err := c.Write([]byte("body")); !errors.As(err, &timeout) || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write after the close: %v, want an *IdleTimeoutError", err)
	}

	// A connection closed with no timeout says what it was.
	c2 := &idleConn{Conn: tcpPair(t), idle: time.Minute}
	c2.Close()
	if _, err := c2.Write([]byte("body")); errors.As(err, &timeout) || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("write on a closed connection: %v, want net.ErrClosed alone", err)
	}
}

// tcpPair returns one end of a loopback TCP connection (whose close
// error is net.ErrClosed, as the transport's connections' is); the
// other end, which sends nothing, is closed when the test ends.
func tcpPair(t *testing.T) net.Conn {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(); peer.Close() })
	return c
}

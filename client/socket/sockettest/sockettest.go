// Package sockettest holds a test peer for AMF Socket clients: a
// listener on 127.0.0.1 that accepts one connection and hands it, with a
// frame reader on it, to the test's own code (a peer that misbehaves as
// the test needs).
package sockettest

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// Wait bounds the connection of a OneConn peer, so that no test hangs.
const Wait = 5 * time.Second

// OneConn listens on 127.0.0.1, accepts one connection, and runs f on it
// with a frame reader (both bounded by Wait); the listener is closed and
// f waited for when the test ends. It returns the HOST:PORT to dial.
func OneConn(t testing.TB, f func(nc net.Conn, fr *amf.FrameReader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		nc, err := ln.Accept()
		ln.Close()
		if err != nil {
			return
		}
		defer nc.Close()
		_ = nc.SetDeadline(time.Now().Add(Wait))
		f(nc, amf.NewFrameReader(nc))
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String()
}

package client

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestBrokenOffAfterMuchOfTheBody: a gateway that takes 12 MiB of an
// upload and then closes its connection read the request as HTTP: the
// hint says how much went out, not "if the port speaks TLS, try
// https://" (a TLS port breaks off at the first bytes, which is still
// the hint for a small request).
func TestBrokenOffAfterMuchOfTheBody(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				io.CopyN(io.Discard, conn, 12<<20)
				conn.Close()
			}()
		}
	}()
	c, err := New("http://"+ln.Addr().String()+"/gateway", Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	const size = 40 << 20
	_, err = c.PostStream(ctx, io.LimitReader(zeros{}, size), size)
	var he *HTTPError
	if !errors.As(err, &he) || he.Reason != ReasonBrokenOff || strings.Contains(he.Hint, "TLS") ||
		!strings.Contains(he.Hint, "of 40 MiB of the request had gone out") {
		t.Errorf("%v", err)
	}
}

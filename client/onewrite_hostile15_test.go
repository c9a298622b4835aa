package client

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
)

// writeCounter counts the writes to a connection.
type writeCounter struct {
	net.Conn
	n *atomic.Int64
}

func (c writeCounter) Write(p []byte) (int, error) {
	c.n.Add(1)
	return c.Conn.Write(p)
}

// A packet in memory goes out with its HTTP header in one write: net/http
// flushed the header on its own first when the body was not a reader it
// knows holds its bytes in memory, two writes per request (bench: twice
// the system calls, and the gateway's reads). A streamed body still goes
// through the reader that keeps its error.
func TestRequestInOneWrite(t *testing.T) {
	t.Parallel()
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		req, _ := readAMFRequest(w, r)
		if req == nil {
			return
		}
		writeReply(w, ContentType, resultsFor(req, "ok"))
	})
	c := newClient(t, srv.URL+"/gw", Config{})
	var writes atomic.Int64
	tr := c.hc.Transport.(*http.Transport)
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return writeCounter{conn, &writes}, nil
	}
	for i := range 3 {
		if v, err := c.Call(context.Background(), "svc.m", []any{"hello"}); err != nil || v != "ok" {
			t.Fatalf("call %d: %v, %v", i+1, v, err)
		}
	}
	if n := writes.Load(); n != 3 {
		t.Errorf("3 requests took %d writes, want 3", n)
	}
}

package client

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestBrokenOffNotTLSLeft17: a server that closes the connection while
// a streamed request body is still being sent (it answered early, a 307
// after half an upload, and reset the connection: the answer is lost)
// got the hint "if the port speaks TLS, try https://" (sec17). The port
// is asked: it answers a TLS ClientHello in HTTP, so the hint says what
// happened instead.
func TestBrokenOffNotTLSLeft17(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for n := 0; ; n++ {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.SetDeadline(time.Now().Add(5 * time.Second))
			if n == 0 {
				// The request's header, then a reset (unread body).
				if _, err := http.ReadRequest(bufio.NewReader(conn)); err == nil {
					conn.(*net.TCPConn).SetLinger(0)
				}
				conn.Close()
				continue
			}
			// The probe's ClientHello: an HTTP server's answer.
			conn.Read(make([]byte, 512))
			conn.Write([]byte("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
			conn.Close()
		}
	}()
	c := newClient(t, "http://"+ln.Addr().String()+"/gw", Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	body := bytes.Repeat([]byte{0}, 4<<20) // (under tlsMismatchBody)
	_, err = c.PostStream(ctx, struct{ *bytes.Reader }{bytes.NewReader(body)}, int64(len(body)))
	var he *HTTPError
	if !errors.As(err, &he) || he.Reason != ReasonBrokenOff {
		t.Fatalf("error %v", err)
	}
	if strings.Contains(he.Hint, "TLS, try https") || !strings.Contains(he.Hint, "the server closed the connection while the request was being sent") ||
		!strings.Contains(he.Hint, "the port speaks no TLS") {
		t.Errorf("hint %q", he.Hint)
	}
}

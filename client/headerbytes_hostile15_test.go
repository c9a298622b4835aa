package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// tinyHeaders is a gateway that answers each request with n bytes of
// header fields "a:b" (net/http keeps each as a string of its map: some
// 11 bytes of memory per byte sent), then a valid reply.
func tinyHeaders(t *testing.T, n int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	body, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: "ok"}}})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				nc.SetDeadline(time.Now().Add(10 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(nc))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				w := bufio.NewWriterSize(nc, 64<<10)
				w.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\n")
				for i := 0; i < n; i += 5 {
					if _, err := w.WriteString("a:b\r\n"); err != nil {
						return // the client gave up
					}
				}
				fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(body))
				w.Write(body)
				w.Flush()
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/gw"
}

// A reply whose header fields pass MaxHeaderBytes (256 KiB, Chrome's
// bound) is refused as too large, naming the bound; one just under it is
// read. net/http's own bound was 10 MiB: 2 million fields "a:b" were read
// into about 110 MB (peak RSS of amfcall call), 3 times that for probe.
func TestReplyHeaderFieldsBounded(t *testing.T) {
	t.Parallel()
	over := tinyHeaders(t, MaxHeaderBytes+1024)
	c := newClient(t, over, Config{})
	_, err := c.Call(context.Background(), "svc.m", nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.Kind != ErrTooLarge || he.Reason != ReasonHeaderTooLarge ||
		!strings.Contains(err.Error(), "header fields exceed the 256 KiB read of them") {
		t.Fatalf("%d bytes of header fields: got %v, want too large (256 KiB)", MaxHeaderBytes+1024, err)
	}
	under := tinyHeaders(t, MaxHeaderBytes-4096)
	c = newClient(t, under, Config{})
	if v, err := c.Call(context.Background(), "svc.m", nil); err != nil || v != "ok" {
		t.Fatalf("%d bytes of header fields: got %v, %v; want ok", MaxHeaderBytes-4096, v, err)
	}
}

// The HTTP client of downloads (snapshots --download) keeps the same
// bound.
func TestReplyHeaderFieldsBoundedDownloads(t *testing.T) {
	t.Parallel()
	over := tinyHeaders(t, MaxHeaderBytes+1024)
	hc, err := NewHTTPClient(Config{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Get(over)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("download client: %d bytes of header fields read", MaxHeaderBytes+1024)
	}
	if !strings.Contains(err.Error(), "server response headers exceeded") {
		t.Errorf("download client: got %v", err)
	}
}

// So does HTTP/2 (its SETTINGS_MAX_HEADER_LIST_SIZE).
func TestReplyHeaderFieldsBoundedHTTP2(t *testing.T) {
	t.Parallel()

	err := callH2ManyHeaderFields(t)
	var he *HTTPError
	if !errors.As(err, &he) || he.Kind != ErrTooLarge && he.Kind != ErrConnection {
		t.Fatalf("HTTP/2 reply of %d header fields: got %v, want refused", MaxHeaderBytes/16, err)
	}
	t.Logf("HTTP/2: %v", err)
}

// -vv printed every header field of a reply: 50,000 lines for 256 KiB of
// fields "a:b" (2 million lines before MaxHeaderBytes). It prints the
// first 200 and a count of the others.
func TestTraceHeaderFieldsBounded(t *testing.T) {
	t.Parallel()
	u := tinyHeaders(t, 100_000) // 20,000 fields
	var out strings.Builder
	c := newClient(t, u, Config{Events: &TraceHandler{Out: &out, VerbosityLevel: 2}})
	if v, err := c.Call(context.Background(), "svc.m", nil); err != nil || v != "ok" {
		t.Fatalf("got %v, %v", v, err)
	}
	trace := out.String()
	if n := strings.Count(trace, "< A: b\n"); n != 200 ||
		!strings.Contains(trace, "\n< (") || !strings.Contains(trace, " more header fields, not shown)\n") {
		t.Errorf("the trace has %d lines \"< A: b\" (want at most 200, then a count), %d bytes:\n%.1500s", n, len(trace), trace)
	}
}

// callH2ManyHeaderFields calls a method over HTTP/2 of a server whose
// reply has MaxHeaderBytes/16 header fields, and returns the error.
func callH2ManyHeaderFields(t *testing.T) error {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		for i := range MaxHeaderBytes / 16 {
			w.Header().Add(fmt.Sprintf("a%d", i), "b")
		}
		w.Header().Set("Content-Type", "application/x-amf")
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL+"/gw", Config{Insecure: true})
	_, err := c.Call(context.Background(), "svc.m", nil)
	return err
}

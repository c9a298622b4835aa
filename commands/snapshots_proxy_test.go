package commands

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// snapshotsProxy is an HTTP proxy on 127.0.0.1 that answers the
// gateway's POST (any absolute URL) itself with the ByteArray example's
// getSnapshots result, whose images are at http://img.invalid/images/
// (never looked up: an HTTP proxy gets the whole URL). Each GET is given
// to get. It returns the proxy's address.
func snapshotsProxy(t *testing.T, get func(c net.Conn, ln net.Listener)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	closeLn := func() { once.Do(func() { ln.Close() }) }
	t.Cleanup(closeLn)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(10 * time.Second))
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					body, _ := io.ReadAll(req.Body)
					if req.Method == http.MethodGet {
						get(c, ln)
						return
					}
					p, err := amf.UnmarshalPacket(body)
					if err != nil || len(p.Messages) == 0 {
						return
					}
					res := []any{"http://img.invalid/images/", []any{"jpg"}, names("a.jpg")}
					reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: p.Messages[0].Response + "/onResult", Response: "null", Value: res}}})
					if err != nil {
						t.Error(err)
						return
					}
					if get == nil {
						// The proxy goes away before it answers, so the
						// GET (dialled after the reply) is refused; closed
						// after the reply, the GET could come first.
						closeLn()
					}
					// Connection: close, so that the GET dials again.
					fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", len(reply))
					io.Copy(c, bytes.NewReader(reply))
					return
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestSnapshotsDownloadNamesProxy: a download that fails through the
// proxy names the proxy, its password hidden, in the item's status and
// on stderr, with call's hint ("is the proxy running?"), as call and
// bench name it; it said only "dial tcp 127.0.0.1:N: connect: connection
// refused", an address the user never gave, or "EOF".
func TestSnapshotsDownloadNamesProxy(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		get  func(c net.Conn, ln net.Listener)
		want string
	}{
		{"refused", nil, "connection refused: through the proxy %s; is the proxy running? check its host and port"},
		// A proxy that drops the connection on the GET.
		{"dropped", func(c net.Conn, ln net.Listener) {}, "connection failed: through the proxy %s: EOF; check the proxy"},
	} {
		addr := snapshotsProxy(t, tc.get)
		proxy := "http://bob:s3cret@" + addr
		want := fmt.Sprintf(tc.want, "http://bob:xxxxx@"+addr)
		stdout, stderr, code := runCLI(t, nil, "snapshots", "--proxy", proxy, "--download", filepath.Join(t.TempDir(), "dl"), "http://gw.invalid/gateway")
		if code == 0 || !strings.Contains(stdout, `"status":"failed: `+want+`"`) ||
			!strings.Contains(stderr, "http://img.invalid/images/a.jpg: "+want+"\n") || strings.Contains(stdout+stderr, "s3cret") {
			t.Errorf("%s: exit %d\nstdout %s\nstderr %s\nwant   %s", tc.name, code, stdout, stderr, want)
		}
	}
}

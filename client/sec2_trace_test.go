package client

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// rawGateway answers every request on a loopback listener with the bytes
// reply gives for its path and body, written as they are (a status line or header field
// that net/http's server would not write), after reading the request.
func rawGateway(t *testing.T, reply func(path string, body []byte) []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					var body bytes.Buffer
					body.ReadFrom(req.Body)
					if _, err := c.Write(reply(req.URL.Path, body.Bytes())); err != nil {
						return
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// terminalUnsafe finds a byte or rune in s that drives a terminal: a C0
// control other than a newline, DEL, a C1 control, a bidi override or
// isolate, or invalid UTF-8.
func terminalUnsafe(s string) (int, rune, bool) {
	for i, r := range s {
		switch {
		case r == utf8.RuneError:
			return i, r, true
		case r < 0x20 && r != '\n', r == 0x7f, r >= 0x80 && r < 0xa0,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return i, r, true
		}
	}
	return 0, 0, false
}

// TestTraceEscapesServerText: what a gateway chose and the -v/-vv trace
// shows outside the packets' JSON (the status line, header fields, a URL
// it asked to move to) reaches the trace with its control, C1 and bidi
// characters escaped, as on the error lines.
func TestTraceEscapesServerText(t *testing.T) {
	url := rawGateway(t, func(_ string, body []byte) []byte {
		id := "/1"
		if req, err := amf.UnmarshalPacket(body); err == nil && len(req.Messages) == 1 {
			id = req.Messages[0].Response
		}
		reply, _ := amf.MarshalPacket(&amf.Packet{
			Headers:  []amf.Header{{Name: "AppendToGatewayUrl", Value: "?a=\u009b2J\u202eevil"}},
			Messages: []amf.Message{{Target: id + "/onResult", Response: "null", Value: "ok"}},
		})
		return append([]byte(fmt.Sprintf("HTTP/1.1 200 OK \xc2\x9b2J\x1b[31m\r\n"+
			"Content-Type: application/x-amf\r\nX-Evil: a\xc2\x9b2J\xe2\x80\xae\r\nContent-Length: %d\r\n\r\n", len(reply))), reply...)
	})
	for _, level := range []int{1, 2} {
		var out bytes.Buffer
		c := newClient(t, url+"/gw", Config{Events: &TraceHandler{Out: &out, VerbosityLevel: level}})
		for range 2 { // the second request goes to the URL the gateway asked for
			if _, err := c.Call(context.Background(), "svc.m", nil); err != nil {
				t.Fatal(err)
			}
		}
		s := out.String()
		if i, r, bad := terminalUnsafe(s); bad {
			t.Errorf("level %d: the trace holds %U at %d: %q", level, r, i, s[max(0, i-40):min(len(s), i+40)])
		}
		want := []string{`\u009b2J\u202eevil`}
		if level == 2 {
			want = append(want, `< HTTP/1.1 200 OK \u009b2J\x1b[31m`, `< X-Evil: a\u009b2J\u202e`)
		}
		for _, w := range want {
			if !strings.Contains(s, w) {
				t.Errorf("level %d: the trace lacks %q:\n%s", level, w, s)
			}
		}
	}
}

package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMaxBodyTime: a body that comes steadily, well above the minimum
// rate and never stalling, is still dropped with a 408 once the whole
// body has taken MaxBodyTime, and the log names the client. Before, it
// lasted its size over its rate (here 10 s; 65 MiB at 1 KiB/s, 18 h).
func TestMaxBodyTime(t *testing.T) {
	var logBuf lockedBuffer
	g := newTestGateway(t, Options{BodyTimeout: 200 * time.Millisecond, MinBodyRate: 1024, MaxBodyTime: 300 * time.Millisecond, Log: &logBuf})
	addr := startServe(t, g)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	// 100,000 bytes at 10 KB/s: 10 s to come whole.
	fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: 100000\r\n\r\n")
	got := make(chan []byte, 1)
	go func() {
		// The reply, read as soon as it is whole (the connection
		// lingers a while after it).
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			got <- []byte(err.Error())
			return
		}
		b, _ := io.ReadAll(resp.Body)
		got <- fmt.Appendf(nil, "%s %s", resp.Status, b)
	}()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	var reply string
	for reply == "" {
		select {
		case b := <-got:
			reply = string(b) + " "
		case <-tick.C:
			c.Write(make([]byte, 100))
		}
	}
	if !strings.HasPrefix(reply, "408 ") || !strings.Contains(reply, "the gateway waits at most 300ms for a whole body") {
		t.Fatalf("after %v, reply %q; want a 408 naming the whole body's time", time.Since(start).Round(time.Millisecond), reply)
	}
	client := c.LocalAddr().String()
	waitFor(t, func() bool { return strings.Contains(logBuf.String(), client) })
	line := logBuf.String()
	if !strings.Contains(line, client+" POST / -> 408 ") || !strings.Contains(line, "for a whole body") {
		t.Errorf("log %q; want a 408 line naming %s", line, client)
	}
}

// TestMaxBodyTimeOff: a negative MaxBodyTime is no limit; the default
// is DefaultMaxBodyTime.
func TestMaxBodyTimeOff(t *testing.T) {
	if g := newTestGateway(t, Options{MaxBodyTime: -1}); g.lim.maxBodyTime != 0 {
		t.Errorf("MaxBodyTime -1: %v, want no limit", g.lim.maxBodyTime)
	}
	if g := newTestGateway(t, Options{}); g.lim.maxBodyTime != DefaultMaxBodyTime {
		t.Errorf("default MaxBodyTime: %v, want %v", g.lim.maxBodyTime, DefaultMaxBodyTime)
	}
}

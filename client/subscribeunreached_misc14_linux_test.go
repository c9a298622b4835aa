//go:build linux

package client

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// blackHoleAt listens on addr (a loopback address just freed) with an
// accept queue that is full, so that a new connection hangs in the
// handshake (Linux drops the SYN): a gateway behind a firewall that
// drops the packets.
func blackHoleAt(t *testing.T, addr string) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	syscall.SetsockoptInt(fd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	_, ps, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(ps)
	for i := 0; ; i++ {
		if err = syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port}); err == nil {
			break
		}
		if i == 50 {
			t.Skip(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := syscall.Listen(fd, 0); err != nil {
		t.Skip(err)
	}
	for i := 0; i < 4; i++ { // fill the accept queue; nothing ever accepts
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return // full
		}
		t.Cleanup(func() { c.Close() })
	}
	t.Skip("could not fill the accept queue")
}

// A subscription whose gateway goes out of reach (its connections hang,
// as behind a firewall that drops the packets): the poll that could not
// connect within the timeout was taken for one a long-polling gateway
// holds, and polled again for ever; MaxOutage never ran out. A poll that
// never went out is now an outage: told (NoticeUnreachable), tried
// again, and Watch ends with an *OutageError at MaxOutage.
func TestWatchConnectNeverMadeIsAnOutage(t *testing.T) {
	gw := newRestartable(t)
	n := &notices{}
	cl, err := New(gw.url(), Config{Flex: true, Events: n, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := cl.Subscribe(context.Background(), "chat", "", "")
	if err != nil {
		t.Fatal(err)
	}
	gw.stop()
	blackHoleAt(t, gw.addr)
	sub.MaxOutage = 150 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err = sub.Watch(ctx, 50*time.Millisecond, func(*amf.Object) bool { return true })
	var oe *OutageError
	if !errors.As(err, &oe) || oe.Interrupted || !strings.Contains(err.Error(), "the poll did not go out within 200ms: no connection was made; the gateway is out of reach") {
		t.Fatalf("Watch: %v, want an OutageError: no connection made", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, x := range n.list {
		if x.Kind == NoticePollHeld {
			t.Errorf("a poll never sent was told as held: %s", x.Msg)
		}
	}
}

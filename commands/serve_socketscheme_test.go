package commands

import (
	"context"
	"strings"
	"testing"
)

// TestServeSocketScheme: serve --socket takes socket://HOST:PORT, the
// spelling bench and socket call take, and a socket call reaches it.
func TestServeSocketScheme(t *testing.T) {
	ch := make(chan context.CancelFunc, 1)
	sock := make(chan string, 1)
	serveStarted = func(addr string, stop context.CancelFunc) { ch <- stop }
	socketServeStarted = func(addr string) { sock <- addr }
	t.Cleanup(func() { serveStarted, socketServeStarted = nil, nil })
	done := make(chan string, 1)
	go func() {
		_, stderr, _ := run(t, []string{"serve", "--addr", "127.0.0.1:0", "--images", t.TempDir(), "--socket", "socket://127.0.0.1:0"}, "", nil, false)
		done <- stderr
	}()
	var stop context.CancelFunc
	var addr string
	for stop == nil || addr == "" {
		select {
		case stop = <-ch:
		case addr = <-sock:
		case log := <-done:
			t.Fatalf("serve --socket socket://127.0.0.1:0 did not start: %q", log)
		}
	}
	stdout, stderr, code := runCLI(t, nil, "socket", "call", "socket://"+addr, "add", `{"a": 2, "b": 3}`)
	stop()
	log := <-done
	if code != 0 || strings.TrimSpace(stdout) != "5" {
		t.Errorf("socket call socket://%s add: exit %d, stdout %q, stderr %q; serve said %q", addr, code, stdout, stderr, log)
	}
}

package commands

import (
	"net"
	"os"
	"strings"
	"testing"
)

// TestSocketListenInterruptedConnecting: Ctrl-C while socket listen
// connects is "interrupted", exit 130, as bench's before its run: it was
// a failed connection, exit 3 ("context canceled"), where the help says a
// Ctrl-C that ends listening is 0.
func TestSocketListenInterruptedConnecting(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	listenStarted = func(interrupt func(os.Signal)) { interrupt(os.Interrupt) }
	defer func() { listenStarted = nil }()
	stdout, stderr, code := run(t, []string{"socket", "listen", ln.Addr().String()}, "", nil, false)
	want := "amfcall: error: interrupted by SIGINT before the connection to " + ln.Addr().String() + " was made"
	if code != exitInterrupted || stdout != "" || !strings.HasPrefix(stderr, want) {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant it to start %q", code, stdout, stderr, want)
	}
}

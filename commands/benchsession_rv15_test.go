//go:build unix

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// bench only reads --session's file (it never writes it back), so a
// session given through a pipe (--session <(ssh host cat s.json),
// --session /dev/stdin) is read as before; polish15's refusal of a
// device, FIFO or socket is for call and the Flex commands, which write
// the file back at their end. bench refused the pipe with "the session
// is read from it at the start and written back at the end", which it
// is not (exit 2).
func TestBenchSessionFromPipe(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	session := filepath.Join(dir, "s.json")
	if _, stderr, code := run(t, []string{"call", "--session", session, gw, "login", `"bob"`, `"pw"`}, "", nil, false); code != 0 {
		t.Fatalf("login: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0) // blocks until a reader opens it
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	t.Cleanup(func() {
		// A run that never opened the FIFO leaves the writer waiting:
		// a reader that opens and closes it lets the writer go.
		if r, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			<-done
			r.Close()
		}
	})

	stdout, stderr, code := run(t, []string{"bench", "-n", "2", "--session", fifo, gw, "session.whoami"}, "", nil, false)
	if code != 0 || !strings.Contains(stdout, "2 results, 0 faults") {
		t.Errorf("bench --session FIFO: exit %d, want 0 and the session's 2 results\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	// call writes the session back: a FIFO is still refused, before
	// anything is read from it or sent.
	_, stderr, code = run(t, []string{"call", "--session", fifo, gw, "session.whoami"}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, "a named pipe (FIFO), not a regular file") {
		t.Errorf("call --session FIFO: exit %d, want 2 and the FIFO refused\n%s", code, stderr)
	}
}

// bench --session "$S" with S unset ran without the session (every call
// a fault, and a hint naming amfcall call with an empty --session, which call
// refuses): an empty file flag is a usage error for bench too, as for
// call, upload and the Flex commands.
func TestBenchEmptyFileFlag(t *testing.T) {
	for _, flag := range []string{"--session", "--batch", "--cacert"} {
		stdout, stderr, code := run(t, []string{"bench", "-n", "1", flag, "", "http://127.0.0.1:1/gw", "echo.echo"}, "", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, flag+": the file name is empty") {
			t.Errorf("bench %s '': exit %d, want 2 and the empty name said\n%s%s", flag, code, stdout, stderr)
		}
	}
}

// snapshots --download "$DIR" with DIR unset listed the snapshots and
// downloaded none, exit 0; --cacert "" was dropped unsaid. An empty file
// flag is a usage error there too.
func TestSnapshotsEmptyFileFlag(t *testing.T) {
	for _, flag := range []string{"--download", "--cacert"} {
		stdout, stderr, code := run(t, []string{"snapshots", flag, "", "http://127.0.0.1:1/gw"}, "", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, flag+": the file name is empty") {
			t.Errorf("snapshots %s '': exit %d, want 2 and the empty name said\n%s%s", flag, code, stdout, stderr)
		}
	}
}

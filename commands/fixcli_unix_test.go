//go:build unix

package commands

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A signal while a command waits for a gateway's answer, in a process
// started with it ignored (as bash starts a script's background job), is
// reported as "interrupted by SIGINT", exit 130, never
// as a timeout or a failed connection (exit 3): call waited out its
// timeout and said "timed out", and list, upload, socket call, publish
// and call --destination did not react at all. (Not ignored, the signal
// kills at once: TestInterruptStopsAtOnce.)
func TestInterruptWhileWaitingForTheGateway(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	arrived := make(chan struct{}, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // then the server sees the client go
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	defer srv.Close()
	sock := acceptAll(t, func(nc net.Conn) {
		arrived <- struct{}{}
		buf := make([]byte, 512)
		for {
			if _, err := nc.Read(buf); err != nil {
				nc.Close()
				return
			}
		}
	})
	jpg := filepath.Join(t.TempDir(), "x.jpg")
	os.WriteFile(jpg, []byte("\xff\xd8\xff\xe0jpg"), 0o644)
	for _, tc := range []struct {
		args []string
		sig  syscall.Signal
		code int
	}{
		{[]string{"call", srv.URL, "x.y"}, syscall.SIGINT, 130},
		{[]string{"call", "--timeout", "0", srv.URL, "x.y"}, syscall.SIGINT, 130},
		{[]string{"call", "--destination", "echo", srv.URL, "echo"}, syscall.SIGINT, 130},
		{[]string{"list", srv.URL}, syscall.SIGINT, 130},
		{[]string{"publish", srv.URL, "chat", "1"}, syscall.SIGINT, 130},
		{[]string{"upload", srv.URL, "a.b", jpg}, syscall.SIGINT, 130},
		{[]string{"socket", "call", sock, "a.b"}, syscall.SIGINT, 130},
	} {
		// Ignored from the start, as SIGINT in a script's background job.
		cmd := exec.Command("/bin/sh", append([]string{"-c", `trap "" INT; exec "$0" "$@"`, exe}, tc.args...)...)
		cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
		var stdout, stderr syncBuffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		select {
		case <-arrived:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: no request came; stderr %s", tc.args, stderr.String())
		}
		cmd.Process.Signal(tc.sig)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("%v: still running after %v", tc.args, tc.sig)
			continue
		}
		name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[tc.sig]
		if code := cmd.ProcessState.ExitCode(); code != tc.code ||
			!strings.Contains(stderr.String(), "amfcall: error: interrupted by "+name+": the request under way was cancelled") ||
			strings.Contains(stderr.String(), "timed out") {
			t.Errorf("%v, %v: exit %d, stderr %q; want %d and interrupted", tc.args, tc.sig, code, stderr.String(), tc.code)
		}
	}
}

//go:build unix

package commands

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// --save-request FILE with --destination: the ping went to FILE's name
// numbered, even when that is the --save-response file, which then
// replaced it while stderr said it held the ping; and when FILE is no
// regular file (/dev/null, a FIFO, /dev/stdout), "FILE.1" was created
// beside it (in /dev, as root). Neither is done, and stderr says so.
func TestSaveRequestNumberedClashes(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	req, resp := filepath.Join(dir, "r.amf"), filepath.Join(dir, "r.1.amf")
	_, stderr, code := run(t, []string{"call", "--destination", "echo", "--save-request", req, "--save-response", resp, u, "echo", `"hi"`}, "", nil, false)
	want := "amfcall: --save-request: this run sent 2 requests, in this order: " + resp + " (ping: not saved, as --save-response writes that file), then " + req + " (call echo)\n"
	if code != 0 || stderr != want {
		t.Fatalf("code %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if b, err := os.ReadFile(resp); err != nil || !strings.Contains(string(b), "onResult") {
		t.Fatalf("%s: %v %q", resp, err, b)
	}

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // until the writer opens it
		if err != nil {
			got <- nil
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- b
	}()
	_, stderr, code = run(t, []string{"call", "--destination", "echo", "--save-request", fifo, u, "echo", `"hi"`}, "", nil, false)
	if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		w.Close() // the reader ends, whatever was written
	}
	b := <-got
	if _, err := os.Stat(fifo + ".1"); !os.IsNotExist(err) {
		t.Errorf("%s.1 was created: %v", fifo, err)
	}
	want = "amfcall: --save-request: this run sent 2 requests; " + fifo + " holds the last (call echo), and 1 request before it went unsaved: the earlier requests are saved, numbered, beside a regular FILE only\n"
	if code != 0 || stderr != want || flexRequestWhat(b) != "call echo" {
		t.Fatalf("fifo: code %d, read %q, stderr:\n%s\nwant:\n%s", code, b, stderr, want)
	}
}

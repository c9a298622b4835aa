package commands

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serve --addr 127.0.0.1:0 said the port it got only inside a sentence
// on stderr, which a script starting it in the background had to parse:
// its first stdout line is the gateway URL alone, written before it
// answers, and read as the process runs.
func TestServePrintsURLFirst_net17(t *testing.T) {
	stops := make(chan context.CancelFunc, 1)
	serveStarted = func(_ string, stop context.CancelFunc) { stops <- stop }
	defer func() { serveStarted = nil }()
	pr, pw := io.Pipe()
	var errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run([]string{"amfcall", "serve", "--addr", "127.0.0.1:0", "--images", t.TempDir()}, strings.NewReader(""), pw, &errb)
		pw.Close()
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, pr)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatal("no line on stdout")
	}
	url := strings.TrimSuffix(line, "\n")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/") || strings.HasSuffix(url, ":0/") {
		t.Fatalf("first stdout line %q, want the URL alone", line)
	}
	resp, err := http.Get(url + "images/none.jpg") // it answers there
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(errb.String(), "amfcall: gateway at "+url+" (") {
		t.Errorf("stderr lacks the sentence:\n%s", errb.String())
	}
	(<-stops)()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

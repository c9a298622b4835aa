//go:build unix

package gateway

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestImageFIFONotOpened: a FIFO or a symbolic link planted in the
// images folder under an image's name is "No such image" (404), at
// once. Before, GET /images/NAME of a FIFO opened it and waited for a
// writer: the request was never answered.
func TestImageFIFONotOpened(t *testing.T) {
	g := newTestGateway(t, Options{})
	dir := g.ImagesDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.jpg"), 0o644); err != nil {
		t.Skip("no FIFO here:", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "real.jpg"), jpegBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.jpg", filepath.Join(dir, "link.jpg")); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"fifo.jpg": 404, "link.jpg": 404, "real.jpg": 200} {
		done := make(chan int, 1)
		go func() {
			req := newRequest("GET", "/images/"+name, nil)
			req.Host = "127.0.0.1:8000"
			w := httptest.NewRecorder()
			g.ServeHTTP(w, req)
			done <- w.Code
		}()
		select {
		case code := <-done:
			if code != want {
				t.Errorf("GET /images/%s: %d, want %d", name, code, want)
			}
		case <-time.After(10 * time.Second):
			// Let the open waiting in the test's goroutine end.
			if f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY, 0); err == nil {
				f.Close()
			}
			t.Fatalf("GET /images/%s: no answer in 10 s", name)
		}
	}
}

package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshots --download saved whatever a 200 returned under the image's
// name: a login or error page became a.jpg. A reply that is a page (by
// its Content-Type or its first bytes) and not an image (by its first
// bytes) is now a failed download, and nothing is saved; images with a
// wrong or no Content-Type, and types net/http does not sniff, are
// still saved.
func TestDownloadRefusesPages(t *testing.T) {
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
	tiff := "II*\x00\x08\x00\x00\x00"
	html := "<!DOCTYPE html><html><head><title>Login</title></head><body>Please log in</body></html>"
	replies := map[string][2]string{ // name: Content-Type, body
		"login.jpg":  {"text/html; charset=utf-8", html},
		"nohead.jpg": {"", html},
		"json.png":   {"application/json", `{"error":"not found"}`},
		"xml.gif":    {"application/octet-stream", "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code></Error>"},
		"png.jpg":    {"text/html", png}, // a wrong type, image bytes
		"ok.png":     {"image/png", png},
		"scan.tif":   {"application/octet-stream", tiff},
		"plain.bmp":  {"text/plain", "BM but not sniffed as one"},
	}
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		rep := replies[filepath.Base(r.URL.Path)]
		if rep[0] == "" {
			w.Header()["Content-Type"] = nil // no sniffing by net/http
		} else {
			w.Header().Set("Content-Type", rep[0])
		}
		w.Write([]byte(rep[1]))
	})
	var items []Snapshot
	for _, name := range []string{"login.jpg", "nohead.jpg", "json.png", "xml.gif", "png.jpg", "ok.png", "scan.tif", "plain.bmp"} {
		items = append(items, Snapshot{Name: name, URL: srv.URL + "/img/" + name})
	}
	dir := t.TempDir()
	var lines []string
	d := &Downloader{Dir: dir, Gateway: srv.URL + "/gw", Config: &Config{}, Total: 1 << 20,
		Say: func(format string, a ...any) { lines = append(lines, fmt.Sprintf(format, a...)) }}
	err := d.Run(context.Background(), items)
	var de *DownloadError
	if !errors.As(err, &de) || de.Failed != 4 {
		t.Fatalf("got %v, want 4 downloads failed\n%s", err, strings.Join(lines, "\n"))
	}
	for _, it := range items {
		_, serr := os.Stat(filepath.Join(dir, it.Name))
		page := strings.HasPrefix(it.Status, "failed: not an image: the server sent ")
		switch it.Name {
		case "login.jpg", "nohead.jpg", "json.png", "xml.gif":
			if !page || serr == nil {
				t.Errorf("%s: status %q, saved %v; want refused as a page, not saved", it.Name, it.Status, serr == nil)
			}
		default:
			if it.Status != "downloaded" || serr != nil {
				t.Errorf("%s: status %q (%v), want downloaded", it.Name, it.Status, serr)
			}
		}
	}
	if !strings.Contains(items[0].Status, `text/html; charset=utf-8, starting "<!DOCTYPE html><html><head><title>Login`) {
		t.Errorf("login.jpg: %q does not say what came", items[0].Status)
	}
	if !strings.Contains(items[1].Status, "sent no Content-Type, starting") {
		t.Errorf("nohead.jpg: %q", items[1].Status)
	}
}

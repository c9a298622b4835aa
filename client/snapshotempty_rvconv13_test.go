package client

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// An image URL that answers 200 with no body (a PHP script that died
// with its errors not shown) is a failed download, and nothing is saved:
// it was saved as a.jpg of 0 bytes, "downloaded", exit 0.
func TestDownloadEmptyReply(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		if filepath.Base(r.URL.Path) == "ok.jpg" {
			w.Write([]byte("\xff\xd8\xff\xe0 a JPEG"))
		}
	})
	items := []Snapshot{{Name: "empty.jpg", URL: srv.URL + "/img/empty.jpg"}, {Name: "ok.jpg", URL: srv.URL + "/img/ok.jpg"}}
	dir := t.TempDir()
	d := &Downloader{Dir: dir, Gateway: srv.URL + "/gw", Config: &Config{}, Total: 1 << 20}
	err := d.Run(context.Background(), items)
	var de *DownloadError
	if !errors.As(err, &de) || de.Failed != 1 {
		t.Fatalf("got %v, want 1 download failed", err)
	}
	if want := "failed: not an image: the server sent an empty reply (0 bytes); nothing saved"; items[0].Status != want {
		t.Errorf("empty.jpg: status %q, want %q", items[0].Status, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "empty.jpg")); err == nil {
		t.Error("empty.jpg was saved")
	}
	if items[1].Status != "downloaded" {
		t.Errorf("ok.jpg: status %q", items[1].Status)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files left in the folder: %v", len(ents), ents)
	}
}

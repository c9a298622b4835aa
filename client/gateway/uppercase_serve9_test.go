package gateway

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestUpperCaseExtensionsListed: images whose extension is in upper
// case (IMG_0001.JPG, as cameras name them) in a folder given with
// --images are listed, served and counted like the others. They were
// left out: getSnapshots did not list them, GET answered 404, and
// --max-stored did not count them.
func TestUpperCaseExtensionsListed(t *testing.T) {
	g := newTestGateway(t, Options{})
	for _, name := range []string{"IMG_0001.JPG", "b.Png", "c.jpg", "notes.TXT"} {
		if err := os.WriteFile(filepath.Join(g.ImagesDir(), name), jpegBytes, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g2 := newTestGateway(t, Options{ImagesDir: g.ImagesDir()}) // counts the folder at start
	names, err := g2.listImages()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"IMG_0001.JPG", "b.Png", "c.jpg"}; !slices.Equal(names, want) {
		t.Errorf("listed %q, want %q", names, want)
	}
	if n, _, _ := g2.Stored(); n != 3 {
		t.Errorf("counted %d images, want 3", n)
	}
	for name, want := range map[string]int{"IMG_0001.JPG": 200, "notes.TXT": 404} {
		req := newRequest("GET", "/images/"+name, nil)
		req.Host = "127.0.0.1:8000"
		w := httptest.NewRecorder()
		g2.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("GET /images/%s: %d, want %d", name, w.Code, want)
		}
		if want == 200 && w.Header().Get("Content-Type") != "image/jpeg" {
			t.Errorf("GET /images/%s: Content-Type %q", name, w.Header().Get("Content-Type"))
		}
	}
}

package gateway

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter is a client that reads the first max bytes of a reply
// and then goes away.
type failingWriter struct {
	*httptest.ResponseRecorder
	max int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if room := f.max - f.Body.Len(); len(p) > room {
		n, _ := f.ResponseRecorder.Write(p[:max(room, 0)])
		return n, errors.New("connection reset by peer")
	}
	return f.ResponseRecorder.Write(p)
}

// TestImageLogSaysWhatWasSent: GET /images/NAME is logged with what the
// client was answered. Before, every answer was logged "-> SIZE bytes":
// a 304, a 416 refusing a range, a 206 of 4 bytes, a HEAD and a
// download the client broke off after 100 bytes all read as if the
// whole image had been sent.
func TestImageLogSaysWhatWasSent(t *testing.T) {
	var logBuf syncBuffer
	g := newTestGateway(t, Options{Log: &logBuf})
	img := append(append([]byte{}, jpegBytes...), bytes.Repeat([]byte{'x'}, 986)...) // 1000 bytes
	if err := os.WriteFile(filepath.Join(g.ImagesDir(), "a.jpg"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		method string
		header [2]string
		cut    int // the client goes away after this many bytes (0: never)
		status int
		logged string
	}{
		{"whole", "GET", [2]string{}, 0, 200, "GET /images/a.jpg -> 1000 bytes\n"},
		{"head", "HEAD", [2]string{}, 0, 200, "HEAD /images/a.jpg -> 200, headers only (1000 bytes)\n"},
		{"range", "GET", [2]string{"Range", "bytes=0-3"}, 0, 206, "GET /images/a.jpg -> 206 Partial Content, 4 bytes sent of an image of 1000\n"},
		{"bad range", "GET", [2]string{"Range", "bytes=5000-6000"}, 0, 416, "GET /images/a.jpg -> 416 Requested Range Not Satisfiable (1000 bytes)\n"},
		{"not modified", "GET", [2]string{"If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"}, 0, 304, "GET /images/a.jpg -> 304 Not Modified (1000 bytes)\n"},
		{"cut", "GET", [2]string{}, 100, 200, "GET /images/a.jpg -> 200, 100 of 1000 bytes sent (the client went away or stopped reading)\n"},
	}
	for _, c := range cases {
		before := len(logBuf.String())
		req := newRequest(c.method, "/images/a.jpg", nil)
		req.Host = "127.0.0.1:8000"
		if c.header[0] != "" {
			req.Header.Set(c.header[0], c.header[1])
		}
		rec := httptest.NewRecorder()
		var w http.ResponseWriter = rec
		if c.cut > 0 {
			w = &failingWriter{rec, c.cut}
		}
		g.ServeHTTP(w, req)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
		}
		line := logBuf.String()[before:]
		if !strings.HasSuffix(line, c.logged) || strings.Count(line, "\n") != 1 {
			t.Errorf("%s: logged %q, want a line ending %q", c.name, line, c.logged)
		}
	}
}

package gateway

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// serveCorpus is FuzzServeHTTP's committed corpus and seeds.
func serveCorpus(tb testing.TB) [][]byte {
	var out [][]byte
	names, _ := filepath.Glob("testdata/fuzz/FuzzServeHTTP/*")
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, fuzzCorpusBytes(b)...)
	}
	out = append(out, packet(0, "echo.echo", "x"))
	return out
}

// BenchmarkServeHTTPHarness measures one input of FuzzServeHTTP:
// "fresh" is the harness as it was (t.TempDir and New per input), "serve"
// is ServeHTTP alone on one gateway.
func BenchmarkServeHTTPHarness(b *testing.B) {
	ins := serveCorpus(b)
	b.Run("fresh", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			parent := b.TempDir()
			b.StartTimer()
			dir, _ := os.MkdirTemp(parent, "x")
			var log syncBuffer
			g, err := New(Options{ImagesDir: dir, MaxUpload: 1 << 16, MaxMemory: 1 << 20, Log: &log})
			if err != nil {
				b.Fatal(err)
			}
			w := httptest.NewRecorder()
			g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(ins[i%len(ins)])))
			g.Close()
			os.RemoveAll(dir)
		}
	})
	b.Run("shared-dir", func(b *testing.B) {
		dir := b.TempDir()
		for i := 0; i < b.N; i++ {
			serveFresh(b, dir, ins[i%len(ins)])
		}
	})
	b.Run("serve", func(b *testing.B) {
		var log syncBuffer
		g, err := New(Options{ImagesDir: b.TempDir(), MaxUpload: 1 << 16, MaxMemory: 1 << 20, Log: &log})
		if err != nil {
			b.Fatal(err)
		}
		defer g.Close()
		for i := 0; i < b.N; i++ {
			w := httptest.NewRecorder()
			g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(ins[i%len(ins)])))
		}
	})
}

// fuzzCorpusBytes returns the []byte values of a Go fuzz corpus file.
func fuzzCorpusBytes(data []byte) [][]byte {
	var out [][]byte
	for _, line := range strings.Split(string(data), "\n")[1:] {
		if s, ok := strings.CutPrefix(line, "[]byte("); ok && strings.HasSuffix(s, ")") {
			if b, err := strconv.Unquote(strings.TrimSuffix(s, ")")); err == nil {
				out = append(out, []byte(b))
			}
		}
	}
	return out
}

// emptyImages closes g and removes what its images folder dir holds, so
// that the next input of FuzzServeHTTP meets an empty folder as it would
// a new one. FuzzServeHTTP made a t.TempDir per input: its creation and
// removal cost 0.5-0.7 ms of file system calls an input, 10 to 30 times
// the request itself (BenchmarkServeHTTPHarness).
func emptyImages(tb testing.TB, g *Gateway, dir string) {
	g.Close()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range ents {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			tb.Fatal(err)
		}
	}
}

// serveFresh is the harness of FuzzServeHTTP without its checks: a new
// gateway over dir, one request, the folder emptied.
func serveFresh(tb testing.TB, dir string, body []byte) {
	var log syncBuffer
	g, err := New(Options{ImagesDir: dir, MaxUpload: 1 << 16, MaxMemory: 1 << 20, Log: &log})
	if err != nil {
		tb.Fatal(err)
	}
	defer emptyImages(tb, g, dir)
	g.ServeHTTP(httptest.NewRecorder(), newRequest("POST", "/", bytes.NewReader(body)))
}

// The shared folder of FuzzServeHTTP is empty again after an input that
// saves an image, so that inputs do not see each other's files.
func TestServeHTTPHarnessEmpties(t *testing.T) {
	dir := t.TempDir()
	body := packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: jpegBytes}, "jpg")
	var log syncBuffer
	g, err := New(Options{ImagesDir: dir, MaxUpload: 1 << 16, MaxMemory: 1 << 20, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	g.ServeHTTP(w, newRequest("POST", "/", bytes.NewReader(body)))
	if ents, _ := os.ReadDir(dir); w.Code != 200 || len(ents) == 0 {
		t.Fatalf("status %d, %d files saved: the input saves nothing, the test shows nothing", w.Code, len(ents))
	}
	emptyImages(t, g, dir)
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("%d files left", len(ents))
	}
	serveFresh(t, dir, body)
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("%d files left", len(ents))
	}
}

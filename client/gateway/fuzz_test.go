package gateway

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// FuzzServeHTTP feeds request bodies to the gateway's handler, the
// entry point a hostile client reaches. Properties: it never panics; it
// answers 200 with a reply packet that decodes, to a request that
// decodes, or refuses with 400 or 413 as text (the decoder's error when
// it says the body does not decode); the log holds no control character
// a client chose; and the memory budget is whole again afterwards.
func FuzzServeHTTP(f *testing.F) {
	caps, _ := filepath.Glob("../../testdata/pyamf/captures/*.request.amf")
	for _, name := range caps {
		if b, err := os.ReadFile(name); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add(packet(0, "echo.echo", "x"))
	f.Add(packet(3, "echo.fail", amf.AVMPlus{Value: "a\x1b[2J"}))
	f.Add(packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: jpegBytes}, "jpg"))
	f.Add([]byte{0, 0, 0, 0, 0, 1, 0, 1, 'x', 0, 2, '/', '1', 0xff, 0xff, 0xff, 0xff, 0x0c, 0xff, 0xff, 0xff, 0xff})
	// One images folder per process, emptied after each input: a
	// t.TempDir per input cost 10 to 30 times the request (emptyImages).
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		var log syncBuffer
		g, err := New(Options{ImagesDir: dir, MaxUpload: 1 << 16, MaxMemory: 1 << 20, Log: &log})
		if err != nil {
			t.Fatal(err)
		}
		defer emptyImages(t, g, dir)
		req := newRequest("POST", "/", bytes.NewReader(body))
		w := httptest.NewRecorder()
		g.ServeHTTP(w, req)
		switch w.Code {
		case 200:
			if _, err := amf.UnmarshalPacket(w.Body.Bytes()); err != nil {
				t.Fatalf("the reply does not decode: %v", err)
			}
			// Answered: the request is a packet the gateway's decoder
			// reads (whichever path scanned it first).
			if _, err := g.dec.UnmarshalPacket(body); err != nil {
				t.Fatalf("answered %x, which does not decode: %v", body, err)
			}
		case 400, 413:
			// Refused as not decoding: with the decoder's own error.
			if msg, ok := strings.CutPrefix(w.Body.String(), "The request body was unable to be successfully decoded: "); ok && w.Code == 400 {
				if _, err := g.dec.UnmarshalPacket(body); err == nil || !strings.HasPrefix(msg, err.Error()) {
					t.Fatalf("refused %x as %q, the decoder says %v", body, msg, err)
				}
			}
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
				t.Fatalf("%d as %s", w.Code, w.Header().Get("Content-Type"))
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
		for _, c := range log.String() {
			if c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0 {
				t.Fatalf("the log holds %U:\n%q", c, log.String())
			}
		}
		if n := g.lim.inFlight.Load(); n != 0 {
			t.Fatalf("%d bytes still reserved", n)
		}
	})
}

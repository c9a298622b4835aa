package gateway

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// Clients cannot fill the disk: the images folder holds at most
// Options.MaxStored bytes, those there at start included, whether an
// image comes in memory or streamed to a file. Before, every
// saveSnapshot of up to MaxUpload bytes added a file for good.
func TestStoredImagesBounded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.png"), make([]byte, 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	img := func(n int) *amf.ByteArray {
		b := make([]byte, n)
		copy(b, pngBytes)
		return &amf.ByteArray{Data: b}
	}
	small, big := 10_000, streamOver+50_000 // big is streamed to a file
	limit := int64(1000 + 2*small + big)
	g := newTestGateway(t, Options{ImagesDir: dir, MaxStored: limit, MaxUpload: 1 << 20})
	for i, tc := range []struct {
		size int
		code string
	}{
		{small, ""}, {big, ""}, {small, ""}, // exactly the limit
		{small, "Snapshot.StorageFull"},
		{big, "Snapshot.StorageFull"},
		{16, "Snapshot.StorageFull"},
	} {
		m := callGW(t, g, packet(3, "ByteArray.saveSnapshot", img(tc.size), "png"))
		if tc.code == "" {
			if m.Target != "/1/onResult" {
				t.Fatalf("save %d (%d bytes): %s %#v", i+1, tc.size, m.Target, amf.Unwrap(m.Value))
			}
			continue
		}
		if c := faultCode(t, m); c != tc.code {
			t.Fatalf("save %d (%d bytes): fault %s, want %s", i+1, tc.size, c, tc.code)
		}
	}
	var total int64
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		fi, _ := e.Info()
		total += fi.Size()
		if strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("%s left in the folder", e.Name())
		}
	}
	if len(ents) != 4 || total != limit {
		t.Errorf("the folder holds %d files, %d bytes; want 4, %d", len(ents), total, limit)
	}

	// A gateway started on that folder counts what it holds.
	g2 := newTestGateway(t, Options{ImagesDir: dir, MaxStored: limit + 12})
	m := callGW(t, g2, packet(0, "ByteArray.saveSnapshot", img(100), "png"))
	if c := faultCode(t, m); c != "Snapshot.StorageFull" {
		t.Fatalf("fault %s, want Snapshot.StorageFull", c)
	}
	if d := memberString(amf.Unwrap(m.Value).(*amf.Object), "description"); !strings.Contains(d, "holds 4") {
		t.Errorf("description %q", d)
	}
	m = callGW(t, g2, packet(0, "ByteArray.saveSnapshot", img(12), "png"))
	if m.Target != "/1/onResult" {
		t.Errorf("12 bytes within the limit: %s", m.Target)
	}

	// MaxStored < 0: no limit of size.
	g3 := newTestGateway(t, Options{ImagesDir: dir, MaxStored: -1})
	if m := callGW(t, g3, packet(0, "ByteArray.saveSnapshot", img(small), "png")); m.Target != "/1/onResult" {
		t.Errorf("no limit: %s", m.Target)
	}
}

// An upload streamed to a file holds its room in the images folder while
// it comes in: a save meanwhile that would pass MaxStored with it is
// refused, and the room of a streamed upload that fails is given back.
func TestStoredImagesInFlight(t *testing.T) {
	big := streamOver + 50_000
	data := make([]byte, big)
	copy(data, pngBytes)
	body := packet(3, "ByteArray.saveSnapshot", &amf.ByteArray{Data: data}, "png")
	g := newTestGateway(t, Options{MaxStored: int64(big + 5000), MaxUpload: 1 << 20})

	send := func(stop int) (*io.PipeWriter, chan *httptest.ResponseRecorder) {
		pr, pw := io.Pipe()
		req := newRequest("POST", "/", pr)
		req.Host = "127.0.0.1:8000"
		req.ContentLength = -1
		req.Header.Set("Content-Type", "application/x-amf")
		done := make(chan *httptest.ResponseRecorder, 1)
		go func() {
			w := httptest.NewRecorder()
			g.ServeHTTP(w, req)
			pr.CloseWithError(io.ErrClosedPipe)
			done <- w
		}()
		go func() {
			if _, err := pw.Write(body[:stop]); err == nil && stop == len(body) {
				pw.Close()
			}
		}()
		return pw, done
	}
	held := func(want int64) {
		t.Helper()
		for range 1000 { // up to 10 s: a bound on a hang, not a measure
			g.store.mu.Lock()
			got := g.store.bytes
			g.store.mu.Unlock()
			if got == want {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("the store does not hold %d bytes", want)
	}

	// Half the image has come: its room is taken.
	pw, done := send(len(body) / 2)
	held(int64(big))
	small := make([]byte, 6000)
	copy(small, pngBytes)
	if c := faultCode(t, callGW(t, g, packet(0, "ByteArray.saveSnapshot", &amf.ByteArray{Data: small}, "png"))); c != "Snapshot.StorageFull" {
		t.Fatalf("a save beside the upload in flight: fault %s, want Snapshot.StorageFull", c)
	}
	// The client gives up: the room comes back, nothing is kept.
	pw.CloseWithError(io.ErrUnexpectedEOF)
	<-done
	held(0)
	if ents, _ := os.ReadDir(g.ImagesDir()); len(ents) != 0 {
		t.Fatalf("%d files left in the folder", len(ents))
	}

	// A whole upload is saved and keeps its room.
	_, done = send(len(body))
	w := <-done
	p, err := amf.UnmarshalPacket(w.Body.Bytes())
	if err != nil || len(p.Messages) != 1 || p.Messages[0].Target != "/1/onResult" {
		t.Fatalf("the whole upload: %d %v %q", w.Code, err, w.Body.String())
	}
	held(int64(big))
}

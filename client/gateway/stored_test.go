package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

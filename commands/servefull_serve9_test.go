package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeSaysFolderFull: serve started on an images folder that
// already holds --max-stored says so at start, with what to do. Before,
// it started without a word, and the first sign was each client's
// saveSnapshot fault Snapshot.StorageFull.
func TestServeSaysFolderFull(t *testing.T) {
	dir := t.TempDir()
	img := append(append([]byte{}, sampleJPEG...), bytes.Repeat([]byte{0}, 2048)...)
	if err := os.WriteFile(filepath.Join(dir, "old.jpg"), img, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		maxStored string
		warned    bool
	}{{"2K", true}, {"1M", false}} {
		addr, stop := startServe(t, "--images", dir, "--max-stored", tc.maxStored)
		stdout, stderr, code := runCLI(t, nil, "upload", "http://"+addr+"/", "ByteArray.saveSnapshot", writeFile(t, "a.jpg", sampleJPEG))
		if tc.warned && (code != 1 || !strings.Contains(stdout, "Snapshot.StorageFull")) || !tc.warned && code != 0 {
			t.Fatalf("--max-stored %s: upload exit %d, %s%s", tc.maxStored, code, stdout, stderr)
		}
		code, serveErr := stop()
		warning := "amfcall: warning: " + dir + " already holds 1 image (2.3 KiB), at or over --max-stored 2K: every saveSnapshot will be answered Snapshot.StorageFull\n" +
			"amfcall: hint: remove images from it, raise --max-stored (0: no limit of size), or choose another folder with --images DIR\n"
		if code != 0 || strings.Contains(serveErr, warning) != tc.warned || strings.Contains(serveErr, "already holds") != tc.warned {
			t.Errorf("--max-stored %s: serve exit %d, stderr:\n%s\nwant the warning: %v", tc.maxStored, code, serveErr, tc.warned)
		}
	}
}

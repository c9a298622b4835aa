package commands

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// TestServeStopsWithUploadUnderWay: serve stopped (Ctrl-C, SIGTERM)
// while an upload is still coming exits 0, with a warning that it was
// cut off after the gateway's wait. Before, it waited 5 s in silence,
// then said "amfcall: error: gateway: shutdown: context deadline
// exceeded" and exited 3.
func TestServeStopsWithUploadUnderWay(t *testing.T) {
	addr, stop := startServe(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A request head and part of its body; the rest never comes. The
	// gateway's "100 Continue" says its handler reads the body.
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n")
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
		t.Fatalf("no 100 Continue: %q, %v", line, err)
	}
	conn.Write(make([]byte, 100))
	code, stderr := stop()
	if code != 0 || !strings.Contains(stderr, "stopping: waiting up to 5s for the 1 request under way\n") ||
		!strings.Contains(stderr, "amfcall: warning: 1 request still under way after 5s cut off as the gateway stopped\namfcall: gateway stopped\n") ||
		strings.Contains(stderr, "error") {
		t.Errorf("serve: exit %d, stderr:\n%s", code, stderr)
	}
	// The request cut off is logged before the gateway says it stopped
	// (under Wine its line came between the warning and "stopped").
	if i := strings.Index(stderr, "POST / -> 503 The request was cut off: the gateway is stopping.\n"); i < 0 || i > strings.Index(stderr, "amfcall: warning: 1 request still under way") {
		t.Errorf("the request cut off is not logged before the warning:\n%s", stderr)
	}
}

// TestServeMaxStoredZero: --max-stored 0 is no limit of size, as --help
// says; it was refused ("invalid --max-stored "0"", exit 2, with a hint
// to give 0 for no limit). With it, a folder over any size still takes
// images.
func TestServeMaxStoredZero(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.jpg"), append(append([]byte{}, sampleJPEG...), make([]byte, 4096)...), 0o644); err != nil {
		t.Fatal(err)
	}
	addr, stop := startServe(t, "--images", dir, "--max-stored", "0")
	stdout, stderr, code := runCLI(t, nil, "upload", "http://"+addr+"/", "ByteArray.saveSnapshot", writeFile(t, "a.jpg", sampleJPEG))
	if code != 0 {
		t.Errorf("upload: exit %d, %s%s", code, stdout, stderr)
	}
	if code, stderr := stop(); code != 0 || strings.Contains(stderr, "already holds") {
		t.Errorf("serve: exit %d, stderr:\n%s", code, stderr)
	}
}

package commands

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// readOnlyDir is a folder that exists and takes no new file: a folder of
// mode 0555, or /proc on Linux when the tests run as root (root writes
// in any folder). It skips the test when there is none.
func readOnlyDir(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		dir := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return dir
	}
	if runtime.GOOS == "linux" {
		if st, err := os.Stat("/proc"); err == nil && st.IsDir() {
			if f, err := os.CreateTemp("/proc", "x"); err == nil {
				f.Close()
				os.Remove(f.Name())
			} else {
				return "/proc"
			}
		}
	}
	t.Skip("no read-only folder here")
	return ""
}

// snapshots --download into a folder that exists but takes no file (a
// script's read-only output folder) failed each image after the listing,
// each line naming only a temporary file (".amfcall-download-123.part:
// permission denied"), and exited 3, the code of a network failure. It
// is a usage error found before any request, as -o's read-only folder
// is: exit 2, naming the folder.
func TestSnapshotsDownloadReadOnlyDir_script16(t *testing.T) {
	t.Parallel()
	dir := readOnlyDir(t)
	counted, requests := countingGateway(t)
	stdout, stderr, code := runCLI(t, nil, "snapshots", "--download", dir, counted)
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: --download "+dir+": cannot create a file there: ") ||
		!strings.Contains(stderr, "hint: give a folder you can write to") || strings.Contains(stderr, ".part") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests were sent before the folder was checked", n)
	}
	// A folder that takes files still downloads, and the check leaves
	// nothing behind.
	g, url := startGateway(t, gateway.Options{})
	os.WriteFile(filepath.Join(g.ImagesDir(), "b.jpg"), sampleJPEG, 0o644)
	ok := t.TempDir()
	if _, stderr, code := runCLI(t, nil, "snapshots", "--download", ok, url); code != 0 {
		t.Fatalf("writable folder: exit %d\n%s", code, stderr)
	}
	if names := dirNames(t, ok); len(names) != 1 || names[0] != "b.jpg" {
		t.Fatalf("the folder holds %q, want only b.jpg", names)
	}
}

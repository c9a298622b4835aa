package commands

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestUploadFileOfNoStatedSize: a regular file whose size says 0 but
// that has bytes on read (/proc/version) is sent as it reads; it was
// refused as "the file was empty when the upload began and has bytes
// now" (exit 2), and before that sent empty. A file truly empty is still
// sent empty.
func TestUploadFileOfNoStatedSize(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	out, errb, code := runCLI(t, nil, "upload", u, "echo.echo", empty)
	if code != 0 || out != `""`+"\n" {
		t.Errorf("an empty file: exit %d, stdout %q, stderr %q; want exit 0 and \"\"", code, out, errb)
	}
	if runtime.GOOS != "linux" {
		return // no /proc
	}
	want, err := os.ReadFile("/proc/version")
	if err != nil || len(want) == 0 {
		t.Fatalf("/proc/version: %d bytes, %v", len(want), err)
	}
	if st, err := os.Stat("/proc/version"); err != nil || st.Size() != 0 {
		t.Fatalf("/proc/version's stated size is not 0: %v, %v", st, err)
	}
	out, errb, code = runCLI(t, nil, "upload", u, "echo.echo", "/proc/version")
	if w := strconv.Quote(base64.StdEncoding.EncodeToString(want)) + "\n"; code != 0 || out != w {
		t.Errorf("/proc/version: exit %d, stdout %q, stderr %q; want exit 0 and %q", code, out, errb, w)
	}
}

//go:build unix

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// --session naming a device (/dev/null): it read as an empty session, and
// the session written back at the end replaced the device with a regular
// file (run as root, "--session /dev/null" replaced /dev/null itself,
// mode 0600). A device, FIFO or socket is now refused before anything is
// sent, and left as it was. The device here is a null device made in a
// temporary folder (mknod needs root: skipped otherwise).
func TestSessionNotARegularFile(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	dev := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(1<<8|3)); err != nil {
		t.Skipf("mknod: %v", err)
	}
	for _, args := range [][]string{
		{"call", "--session", dev, gw, "echo.echo", "1"},
		{"logout", "--session", dev, gw},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		st, err := os.Lstat(dev)
		if err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%q: the device was replaced: %v, %v", args, st.Mode(), err)
		}
		if code != 2 || stdout != "" || !strings.Contains(stderr, "--session "+dev+": a device, not a regular file") {
			t.Errorf("%q: exit %d, stdout %q; want 2 and the device refused; stderr:\n%s", args, code, stdout, stderr)
		}
	}
}

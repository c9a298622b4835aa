package commands

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// osText turns what Windows says in an error into what Linux says, so
// that the tests' expected stderr holds there too: amfcall passes the
// system's own words through (a user on Windows reads Windows's), and
// only these differ. Wine's shorter texts are listed too, as the
// Windows test run is done under Wine.
func osText(s string) string {
	if runtime.GOOS != "windows" {
		return s
	}
	return windowsText.Replace(s)
}

var windowsText = strings.NewReplacer(
	"The system cannot find the file specified.", "no such file or directory",
	"The system cannot find the path specified.", "no such file or directory",
	"File not found.", "no such file or directory",
	"Path not found.", "no such file or directory",
	"connectex: No connection could be made because the target machine actively refused it.", "connect: connection refused",
	"connectex: Connection refused.", "connect: connection refused",
	"bind: Only one usage of each socket address (protocol/network address/port) is normally permitted.", "bind: address already in use",
	"bind: winapi error #10048", "bind: address already in use",
)

// permIs tells whether a file's permissions are want, as far as the
// system keeps them: on Windows only the write bit (read-only or not);
// who may read is the folder's ACL there, not a mode.
func permIs(got, want os.FileMode) bool {
	if runtime.GOOS == "windows" {
		return got.Perm()&0o200 == want&0o200
	}
	return got.Perm() == want
}

// symlinkOrSkip makes a symbolic link, or skips the test where none can
// be made: Windows without the privilege to make them, and Wine, whose
// CreateSymbolicLinkW returns success and makes nothing.
func symlinkOrSkip(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Skipf("no symbolic links here: made %s, but it is not one (%v)", link, err)
	}
}

// skipInterruptOnWindows skips a test that sends os.Interrupt to a
// child: on Windows os.Process.Signal sends only Kill (Ctrl-C would need
// a console shared with the child and GenerateConsoleCtrlEvent).
func skipInterruptOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("os.Process.Signal(os.Interrupt) is not supported on Windows")
	}
}

//go:build windows

package commands

import (
	"testing"
)

// TestOutputReadOnlyFileWindows is TestOutputReadOnlyFile (unix only:
// it runs as nobody) for Windows, where a file made read-only (the
// read-only attribute, which os.Chmod 0o444 sets) is refused by -o,
// --save-request and --save-response as by "> FILE", left as it was,
// and a call sends nothing. The hint names attrib, not chmod.
func TestOutputReadOnlyFileWindows(t *testing.T) {
	checkReadOnlyOutput(t, "attrib -r")
}

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUploadDeviantReply: upload reads its reply as call does. A
// gateway whose answer names no call ("null", as some PHP gateways
// write it) got "no reply body" (exit 3) from upload, where call read
// the same answer with a warning.
func TestUploadDeviantReply(t *testing.T) {
	t.Parallel()
	url := deviantGateway(t, map[string]deviantReply{
		"null": dvReply(dvPacket(0, 0, nil, 1, dvBody("null", dvString("saved")))),
	})
	file := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(file, []byte("png"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"upload", url + "/null", "ByteArray.saveSnapshot", file}, "", nil, false)
	if code != 0 || strings.TrimSpace(stdout) != `"saved"` ||
		strings.Count(stderr, `warning: the reply's body "null" names no call: read as the answer to ByteArray.saveSnapshot (/1), the only call without one`) != 1 {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
}

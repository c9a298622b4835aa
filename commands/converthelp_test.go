package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// convert --help said malformed input exits 4, and an FLV file cut inside
// a video or audio tag exits 0 with a warning: the help now says so, and
// this holds the two together.
func TestConvertHelpSaysCutFLVExitsZero(t *testing.T) {
	t.Parallel()
	help, _, code := run(t, []string{"convert", "--help"}, "", nil, false)
	flat := strings.Join(strings.Fields(help), " ")
	if want := "An FLV file cut short inside an audio or video tag is not: what was read before it is printed, with a warning, and the exit status is 0."; code != 0 || !strings.Contains(flat, want) {
		t.Errorf("convert --help (exit %d) does not say %q:\n%s", code, want, help)
	}
	data, err := os.ReadFile(filepath.Join("..", "testdata", "flv", "ffmpeg-lavf58-head.flv"))
	if err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"convert", "--from", "flv"}, string(data[:240]), nil, false)
	if code != 0 || stdout == "" || !strings.HasPrefix(stderr, "amfcall: warning: stdin: the file ends inside tag 1 (video") {
		t.Errorf("a cut FLV: exit %d, stdout %q, stderr %q; want exit 0, the script data, a warning", code, stdout, stderr)
	}
}

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every PyAMF capture between a PHP notice and a closing "?>": convert
// and dump find the whole packet after the text and name the text after
// it (exit 4, as for a packet followed by text). For a packet with no
// later offset that reads as one cut short (default-echo_amf0_rich) the
// packet was not looked for at all: "amf3: unknown or invalid marker
// 0x3c at offset 0", as if the file were no packet.
func TestTextAroundEveryCapture(t *testing.T) {
	t.Parallel()
	paths, _ := filepath.Glob(captures + "*.response.amf")
	if len(paths) < 10 {
		t.Fatalf("only %d captures", len(paths))
	}
	for _, p := range paths {
		pkt, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		file := writeFile(t, filepath.Base(p), append(append([]byte("<br />\n"), pkt...), "?>\n"...))
		_, stderr, code := run(t, []string{"convert", file}, "", nil, false)
		if code != 4 || !strings.Contains(stderr, "the AMF packet is whole in the ") || !strings.Contains(stderr, `"?>\x0a"`) {
			t.Errorf("convert of %s between text: exit %d\n%s", filepath.Base(p), code, stderr)
		}
	}
}

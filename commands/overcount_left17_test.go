package commands

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMoreThanACountLeft17: a saved reply of more bodies or headers than
// a count can say (65,535). The hint said "its bytes hold 65535 bodies"
// of 65,537; 65,536 headers under a header count of 1 failed at
// "/messages/1/value at offset 45599", a header's bytes read as a body,
// with no word of the headers (sec17).
func TestMoreThanACountLeft17(t *testing.T) {
	t.Parallel()
	s := func(x string) []byte { return binary.BigEndian.AppendUint16(nil, uint16(len(x))) }
	str := func(x string) []byte { return append(s(x), x...) }
	body := append(append(str("/1/onResult"), str("null")...), 0, 0, 0, 5, 2, 0, 2, 'o', 'k')
	hdr := append(append(str("AppendToGatewayUrl"), 0, 0, 0, 0, 7, 2), str("?x=1")...)
	dir := t.TempDir()
	file := func(name string, b []byte) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	m := file("m65537.amf", append([]byte{0, 0, 0, 0, 0, 1}, bytes.Repeat(body, 65537)...))
	h := file("h65536.amf", append(append(append([]byte{0, 0, 0, 1}, bytes.Repeat(hdr, 65536)...), 0, 1), body...))

	_, stderr, code := run(t, []string{"convert", m}, "", nil, false)
	if code != 4 || !strings.Contains(stderr, "hint: its message count (byte 4) says 1, but its bytes hold 65537 bodies, more than a count can say (65535 at most)") ||
		!strings.Contains(stderr, "amfcall call reads the first 65535 of them, with a warning") {
		t.Errorf("convert m65537: code %d, stderr:\n%s", code, stderr)
	}
	for _, args := range [][]string{{"convert", h}, {"convert", "--from", "packet", h}} {
		_, stderr, code = run(t, args, "", nil, false)
		if code != 4 || !strings.Contains(stderr, "the packet's header count (at byte 2) says 1, but its bytes hold 65536 headers, up to the message count at offset 2097156, more than a count can say (65535 at most)") {
			t.Errorf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
}

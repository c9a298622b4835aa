//go:build linux

package commands

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNamedStdoutReaderGone: "convert X -o /dev/stdout | head -1" exited
// 2 with "writing /dev/stdout: broken pipe" and a hint to check for room
// on a disk, where the same command writing to stdout itself ends
// quietly with 141. An output named as a pipe (/dev/fd/N here, a pipe
// whose reader is closed) gets EPIPE back: the run ends as stdout's
// would, 141 and nothing on stderr.
func TestNamedStdoutReaderGone(t *testing.T) {
	dir := t.TempDir()
	// Enough JSON that the pipe's buffer (64K) cannot take it all.
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 20000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"a":%d,"b":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}`, i)
	}
	b.WriteString("]")
	js := filepath.Join(dir, "in.json")
	if err := os.WriteFile(js, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	amf3 := filepath.Join(dir, "in.amf3")
	if _, stderr, code := run(t, []string{"convert", js, "-o", amf3}, "", nil, false); code != 0 {
		t.Fatalf("making the AMF3 input: code %d, %s", code, stderr)
	}
	for _, args := range [][]string{
		{"convert", amf3},               // streamed AMF -> JSON
		{"convert", js, "--to", "amf3"}, // JSON -> AMF
		{"dump", amf3},                  // dump's own output
	} {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		r.Close()        // the reader went away
		shellGiven(t, w) // rv17a: inherited, as the shell's "8>&1 | ..." is
		name := fmt.Sprintf("/dev/fd/%d", w.Fd())
		_, stderr, code := run(t, append(args, "-o", name), "", nil, false)
		w.Close()
		if code != exitBrokenPipe || stderr != "" {
			t.Errorf("%v -o %s with no reader: code %d, stderr:\n%s\nwant 141 and nothing said, as for stdout", args, name, code, stderr)
		}
	}
}

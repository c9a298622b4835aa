package commands

import (
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestConvertFLVStreamed: an FLV file converts to the same JSON whether
// it comes from a file, from a pipe or as hex text (which takes the path
// that reads the whole input), and stdin that is not an FLV is read
// whole, the bytes looked at included.
func TestConvertFLVStreamed(t *testing.T) {
	file := "../testdata/flv/go2rtc-amf0-payloads.flv"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stdin io.Reader
		args  []string
	}{
		{"file", nil, []string{"convert", file}},
		{"file, --from flv", nil, []string{"convert", "--from", "flv", file}},
		{"stdin", bytes.NewReader(data), []string{"convert"}},
		{"stdin, -", bytes.NewReader(data), []string{"convert", "--from", "flv", "-"}},
		{"stdin, hex text", strings.NewReader(hex.EncodeToString(data)), []string{"convert"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			if code != 0 || stdout != string(want) || stderr != "" {
				t.Fatalf("exit %d\nstdout %s\nstderr %s\nwant stdout %s", code, stdout, stderr, want)
			}
		})
	}
	t.Run("verbose", func(t *testing.T) {
		_, stderr, code := runCLI(t, bytes.NewReader(data), "convert", "-v")
		if code != 0 || !strings.Contains(stderr, "amfcall: input: stdin, 2858 bytes: an FLV file; guessed from the content\n") {
			t.Fatalf("exit %d, stderr %s", code, stderr)
		}
	})
}

func TestConvertFLVStreamedErrors(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.flv")
	os.WriteFile(cut, data[:100], 0o644)
	notFLV := filepath.Join(dir, "x.flv")
	os.WriteFile(notFLV, []byte("FLX\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00"), 0o644)
	for _, tc := range []struct {
		name   string
		stdin  io.Reader
		args   []string
		stderr string
		code   int
	}{
		{"cut file", nil, []string{"convert", cut},
			"amfcall: error: " + cut + ": flv: tag 0: data size 164 exceeds the 76 bytes left: unexpected EOF at offset 14\n", 4},
		{"cut stdin, verbose", bytes.NewReader(data[:100]), []string{"convert", "-v"},
			"amfcall: input: stdin, 100 bytes: an FLV file; guessed from the content\n" +
				"amfcall: error: stdin: flv: tag 0: data size 164 exceeds the 76 bytes left: unexpected EOF at offset 14\n", 4},
		{"not an FLV, --from flv", nil, []string{"convert", "--from", "flv", notFLV},
			"amfcall: error: " + notFLV + `: flv: missing "FLV" signature at offset 0` + "\n", 4},
		{"to amf3", nil, []string{"convert", "--to", "amf3", "../testdata/flv/ffmpeg-lavf58-head.flv"},
			"amfcall: error: FLV input converts to JSON only, not to amf3\namfcall: hint: use --to json\n", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			if code != tc.code || stdout != "" || stderr != tc.stderr {
				t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant exit %d, stderr %q", code, stdout, stderr, tc.code, tc.stderr)
			}
		})
	}
}

// TestConvertFLVStreamedMemory: 160 MiB of video from a pipe are read
// past, not held.
func TestConvertFLVStreamedMemory(t *testing.T) {
	head, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	parts := []io.Reader{bytes.NewReader(head)}
	for i := 0; i < 10; i++ {
		parts = append(parts, bytes.NewReader([]byte{9, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0}),
			io.LimitReader(zeroReader{}, 0xFFFFFF), bytes.NewReader([]byte{1, 0, 0, 10}))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	stdout, stderr, code := runCLI(t, io.MultiReader(parts...), "convert")
	runtime.ReadMemStats(&after)
	if code != 0 || !strings.HasPrefix(stdout, `{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData"`) {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
		t.Errorf("converting 160 MiB of FLV from a pipe allocated %d bytes, want under 16 MiB", n)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

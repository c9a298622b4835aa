package commands

import (
	"bytes"
	"strings"
	"testing"
)

// TestServeMaxUpload256M: --max-upload 256M, the round value a user
// types for the largest image, was refused (the AMF3 limit is 256 MiB -
// 1) with a hint that said only "such as 64M". It is taken as that
// limit; a larger value is refused with a hint naming 256M. serve also
// says at start that requests read whole (not saveSnapshot images) get
// a 413 past a third of --max-memory.
func TestServeMaxUpload256M(t *testing.T) {
	_, stop := startServe(t, "--max-upload", "256M")
	code, stderr := stop()
	if want := "amfcall: saveSnapshot images up to --max-upload 256M are streamed to disk; other requests are read whole, and over 85.3 MiB (a third of --max-memory 256M) get a 413, but an echo.echo call alone in its packet (answered with its own bytes) up to 201.5 MiB\n"; code != 0 || !strings.Contains(stderr, want) {
		t.Errorf("serve --max-upload 256M: exit %d, stderr:\n%s\nwant %q", code, stderr, want)
	}
	_, stderr, code = runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--images", t.TempDir(), "--max-upload", "257M")
	if want := "amfcall: error: invalid --max-upload \"257M\"\namfcall: hint: give a size from 1 to 256M (268435455 bytes, the AMF3 ByteArray limit), such as 64M\n"; code != exitUsage || stderr != want {
		t.Errorf("serve --max-upload 257M: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	// The default --max-upload fits: nothing said.
	_, stop = startServe(t)
	if code, stderr := stop(); code != 0 || strings.Contains(stderr, "read whole") {
		t.Errorf("serve: exit %d, stderr:\n%s", code, stderr)
	}
}

// TestServeEchoOverBudget: an echo of a file the memory budget cannot
// hold (an echo alone in its packet: 1.25 times over and 4 MiB, serve14)
// ran alone past the budget (a 200 MB echo took
// serve to 426 MB under 256 MiB). The client now gets the 413 naming the
// budget (exit 3), while an upload of the same bytes, streamed to disk,
// is saved.
func TestServeEchoOverBudget(t *testing.T) {
	addr, stop := startServe(t, "--max-memory", "2M", "--max-upload", "4M")
	url := "http://" + addr + "/"
	img := append(append([]byte{}, sampleJPEG...), bytes.Repeat([]byte{0}, 1<<20)...)
	file := writeFile(t, "big.jpg", img)
	_, stderr, code := runCLI(t, nil, "call", "--amf3", url, "echo.echo", "@"+file)
	if code != exitNetwork || !strings.Contains(stderr, "HTTP 413") || !strings.Contains(stderr, "memory budget of 2 MiB") {
		t.Errorf("echo: exit %d, stderr:\n%s", code, stderr)
	}
	stdout, stderr, code := runCLI(t, nil, "upload", url, "ByteArray.saveSnapshot", file)
	if code != 0 {
		t.Errorf("upload: exit %d: %s%s", code, stdout, stderr)
	}
	if code, serveErr := stop(); code != 0 || !strings.Contains(serveErr, "-> 413 The request body (1.0 MiB) is one echo.echo call, answered with its own bytes") {
		t.Errorf("serve: exit %d, stderr:\n%s", code, serveErr)
	}
}

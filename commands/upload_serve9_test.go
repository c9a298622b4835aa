package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestUploadTypeHintRuns: upload of a saveSnapshot FILE with no
// extension (or stdin) names the type its bytes show in a hint that
// runs as printed. It said "amfcall upload URL ByteArray.saveSnapshot
// FILE '"jpg"'": the word URL, the file name unquoted (a name with a
// space split in two) and "jpg" for a PNG.
func TestUploadTypeHintRuns(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 100)...)
	for _, tc := range []struct {
		name  string
		file  string // "" for stdin
		stdin []byte
		typ   string
	}{
		{"jpeg file with a space", writeFile(t, "my picture", sampleJPEG), nil, "JPEG"},
		{"png on stdin", "", png, "PNG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			arg := tc.file
			if arg == "" {
				arg = "-"
			}
			_, stderr, code := runCLI(t, bytes.NewReader(tc.stdin), "upload", url, "ByteArray.saveSnapshot", arg)
			_, line, ok := strings.Cut(stderr, "amfcall: hint: the bytes are a "+tc.typ+" image: ")
			if code != 2 || !ok {
				t.Fatalf("exit %d, stderr %q: want 2 and a hint naming a %s image", code, stderr, tc.typ)
			}
			words := shellWords(t, strings.TrimSuffix(line, "\n"))
			if len(words) < 2 || words[0] != "amfcall" {
				t.Fatalf("hint %q is not an amfcall command line", line)
			}
			stdout, stderr, code := runCLI(t, bytes.NewReader(tc.stdin), words[1:]...)
			if code != 0 || !strings.Contains(stdout, `"name":"snapshot_`) {
				t.Fatalf("the hint's command %q: exit %d, stdout %q, stderr %q", words, code, stdout, stderr)
			}
		})
	}
	// Bytes of no image type: the hint still gives a whole command.
	other := writeFile(t, "data file", []byte("GIF89a......"))
	_, stderr, code := runCLI(t, nil, "upload", url, "ByteArray.saveSnapshot", other)
	if want := `amfcall: hint: give it as an argument, "jpg" or "png" as the image is: amfcall upload ` + url + ` ByteArray.saveSnapshot ` + shellQuote(other) + ` '"jpg"'` + "\n"; code != 2 || !strings.HasSuffix(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 2 and a last line %q", code, stderr, want)
	}
}

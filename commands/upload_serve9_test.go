package commands

import (
	"bytes"
	"io"
	"net"
	"os"
	"path/filepath"
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
	if want := `amfcall: hint: give it as an argument, "jpg" or "png" as the image is: amfcall upload ` + url + ` ByteArray.saveSnapshot ` + shellWord(other) + ` '"jpg"'` + "\n"; code != 2 || !strings.HasSuffix(stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 2 and a last line %q", code, stderr, want)
	}
}

// TestUploadGatewayStopsReading: a gateway that takes the first bytes of
// an upload, then neither reads nor answers, ends the upload after
// --idle-timeout with the timeout said as such (exit 3). The idle
// timeout fired on the side reading for the reply, which closed the
// connection; the write blocked on the body then failed with "use of
// closed network connection", and that was the error: "connection
// failed ...; the server broke off the connection: if the port speaks
// TLS, try https:// instead of http://".
func TestUploadGatewayStopsReading(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	addr := acceptAll(t, func(conn net.Conn) {
		defer conn.Close()
		io.CopyN(io.Discard, conn, 64<<10)
		<-stop // holds the connection, reading nothing more
	})
	// More than the socket buffers of both ends take.
	file := filepath.Join(t.TempDir(), "big.bin")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, stderr, code := runCLI(t, nil, "upload", "--idle-timeout", "0.3", "http://"+addr+"/", "echo.echo", file)
	want := "amfcall: error: timed out (http://" + addr + "/): no bytes moved for 300ms; the gateway stopped answering\n" +
		"amfcall: hint: raise --idle-timeout if the gateway is only slow (0 turns it off)\n"
	if code != 3 || stderr != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
}

// TestUploadDashFileHint: a FILE whose name starts with "-" reads as an
// unknown flag; when a file of that name is here, the hint says how to
// give it, and that way runs. It was only "run amfcall upload --help
// for the flags".
func TestUploadDashFileHint(t *testing.T) {
	_, url := startGateway(t, gateway.Options{})
	t.Chdir(t.TempDir())
	if err := os.WriteFile("-photo.jpg", sampleJPEG, 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, nil, "upload", url, "ByteArray.saveSnapshot", "-photo.jpg")
	want := "amfcall: error: unknown flag -photo.jpg for amfcall upload\n" +
		"amfcall: hint: " + shellWord("-photo.jpg") + " is a file here: write " + shellWord("./-photo.jpg") + " (or put -- before it) to give it as an argument\n" +
		"amfcall: hint: run \"amfcall upload --help\" for the flags\n"
	if code != 2 || stderr != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	for _, args := range [][]string{{"./-photo.jpg"}, {"--", "-photo.jpg"}} {
		stdout, stderr, code := runCLI(t, nil, append([]string{"upload", url, "ByteArray.saveSnapshot"}, args...)...)
		if code != 0 || !strings.Contains(stdout, `"name":"snapshot_`) {
			t.Errorf("%v: exit %d, %s%s", args, code, stdout, stderr)
		}
	}
}

// TestUploadSpoolProgress: stdin that is a pipe is read whole before
// the upload begins (its size goes first); on a terminal that reading
// is drawn too, and its line ended before the upload's. Before, nothing
// was shown while a large pipe was read.
func TestUploadSpoolProgress(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	for _, term := range []bool{true, false} {
		var out, errb bytes.Buffer
		e := &runEnv{
			args:       []string{"amfcall", "upload", url, "ByteArray.saveSnapshot", "-", `"jpg"`},
			stdin:      bytes.NewReader(sampleJPEG), // not a file: spooled
			stdout:     &out,
			stderr:     &errb,
			getenv:     func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] },
			isTerminal: func(s any) bool { return term && s == any(&errb) },
		}
		if code := e.run(); code != 0 {
			t.Fatalf("terminal %v: exit %d: %s", term, code, errb.String())
		}
		stderr := errb.String()
		read := strings.Index(stderr, "\ramfcall: reading stdin  314 B\x1b[K  done in ")
		upload := strings.Index(stderr, "\ramfcall: uploading stdin  ")
		if term && (read < 0 || upload < read) || !term && stderr != "" {
			t.Errorf("terminal %v: stderr %q", term, stderr)
		}
	}
}

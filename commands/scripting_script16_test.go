package commands

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/gateway"
)

// readOnlyDir is a folder that exists and takes no new file: a folder of
// mode 0555, or /proc on Linux when the tests run as root (root writes
// in any folder). It skips the test when there is none.
func readOnlyDir(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "windows" && os.Geteuid() != 0 {
		dir := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return dir
	}
	if runtime.GOOS == "linux" {
		if st, err := os.Stat("/proc"); err == nil && st.IsDir() {
			if f, err := os.CreateTemp("/proc", "x"); err == nil {
				f.Close()
				os.Remove(f.Name())
			} else {
				return "/proc"
			}
		}
	}
	t.Skip("no read-only folder here")
	return ""
}

// snapshots --download into a folder that exists but takes no file (a
// script's read-only output folder) failed each image after the listing,
// each line naming only a temporary file (".amfcall-download-123.part:
// permission denied"), and exited 3, the code of a network failure. It
// is a usage error found before any request, as -o's read-only folder
// is: exit 2, naming the folder.
func TestSnapshotsDownloadReadOnlyDir_script16(t *testing.T) {
	t.Parallel()
	dir := readOnlyDir(t)
	counted, requests := countingGateway(t)
	stdout, stderr, code := runCLI(t, nil, "snapshots", "--download", dir, counted)
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: --download "+dir+": cannot create a file there: ") ||
		!strings.Contains(stderr, "hint: give a folder you can write to") || strings.Contains(stderr, ".part") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests were sent before the folder was checked", n)
	}
	// A folder that takes files still downloads, and the check leaves
	// nothing behind.
	g, url := startGateway(t, gateway.Options{})
	os.WriteFile(filepath.Join(g.ImagesDir(), "b.jpg"), sampleJPEG, 0o644)
	ok := t.TempDir()
	if _, stderr, code := runCLI(t, nil, "snapshots", "--download", ok, url); code != 0 {
		t.Fatalf("writable folder: exit %d\n%s", code, stderr)
	}
	if names := dirNames(t, ok); len(names) != 1 || names[0] != "b.jpg" {
		t.Fatalf("the folder holds %q, want only b.jpg", names)
	}
}

// runDumbTTY runs amfcall with stderr a terminal of TERM=dumb (Emacs's
// M-x shell, a CI console given a pty) and stdout a pipe.
func runDumbTTY(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &runEnv{
		args:       append([]string{"amfcall"}, args...),
		stdin:      stdin,
		stdout:     &out,
		stderr:     &errb,
		getenv:     func(k string) string { return map[string]string{"TERM": "dumb"}[k] },
		isTerminal: func(s any) bool { return s == any(&errb) },
	}
	code = e.run()
	return out.String(), errb.String(), code
}

// upload's progress bar on a terminal of TERM=dumb, which shows escape
// sequences as text: each redraw ended with the erase-line escape
// ESC[K, shown as "^[[K" (colour was already off there). The bar is
// drawn with \r alone, a shorter line padded with blanks.
func TestUploadProgressDumbTerminal_script16(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	file := writeFile(t, "photo.jpg", sampleJPEG)
	stdout, stderr, code := runDumbTTY(t, strings.NewReader(""), "upload", url, "ByteArray.saveSnapshot", file)
	if code != 0 || !strings.Contains(stdout, `"name":"snapshot_`) {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "\ramfcall: uploading "+file) || !strings.HasSuffix(stderr, "\n") {
		t.Fatalf("no progress bar on the dumb terminal: %q", stderr)
	}
	if strings.Contains(stderr, "\x1b") {
		t.Fatalf("escape sequence on a TERM=dumb terminal: %q", stderr)
	}
	// stdin from a pipe is read first, with a bar of its own.
	_, stderr, code = runDumbTTY(t, bytes.NewReader(sampleJPEG), "upload", url, "ByteArray.saveSnapshot", "-", `"jpg"`)
	if code != 0 || !strings.Contains(stderr, "\ramfcall: reading stdin") || strings.Contains(stderr, "\x1b") {
		t.Fatalf("stdin: exit %d\n%q", code, stderr)
	}
}

// A dumb terminal's bar blanks what a longer line before it left.
func TestProgressBarDumbPads_script16(t *testing.T) {
	var b bytes.Buffer
	now := time.Unix(0, 0)
	p := newProgressBar(&b, "uploading x", 1000)
	p.dumb = true
	p.now = func() time.Time { return now }
	p.start = now
	now = now.Add(time.Second)
	p.add(500) // with a rate and ETA
	long := b.Len()
	p.done = 1000
	b.Reset()
	p.draw() // no ETA: shorter
	line := b.String()
	if len(line) != long || !strings.HasSuffix(line, "/s      ") {
		t.Fatalf("shorter line %q (%d bytes) does not cover the %d before", line, len(line), long)
	}
}

// changingGateway is a gateway that, when a request's head has come and
// before it reads the body, calls change (which truncates or extends the
// file being uploaded), then reads the body: to its end, answered 400,
// or to where the client cut it off, the connection closed.
// The file is larger than the socket buffers can hold, so that most of
// it is still to be read when it changes.
func changingGateway(t *testing.T, change func()) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		change()
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			// The upload was cut off: closing the connection at once
			// spares the server's half-second wait for a client that
			// is gone (rstAvoidanceDelay).
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				c.Close()
			}
			return
		}
		http.Error(w, "no", http.StatusBadRequest)
	}))
	t.Cleanup(func() {
		// The connection of an upload cut off is still open: its
		// handler waits for the rest of the body.
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv.URL + "/"
}

// An upload whose file changes while it is sent (a script uploading
// what another process still writes) fails, exit 2; the message said
// "the file ended after N bytes..." without naming the file, so that a
// script uploading several could not tell which one.
func TestUploadFileChangedNamesIt_script16(t *testing.T) {
	t.Parallel()
	const size = 32 << 20 // a sparse file: no disk, no time to write
	for _, tc := range []struct {
		name   string
		change func(string) error
		want   string
	}{
		{"shrank", func(p string) error { return os.Truncate(p, 1000) }, ": the file ended after "},
		{"grew", func(p string) error {
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, err = f.Write(make([]byte, 100))
			return errors.Join(err, f.Close())
		}, ": the file grew past the 33554432 bytes"},
	} {
		file := filepath.Join(t.TempDir(), "data.bin")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(f.Truncate(size), f.Close()); err != nil {
			t.Fatal(err)
		}
		url := changingGateway(t, func() {
			if err := tc.change(file); err != nil {
				t.Error(err)
			}
		})
		stdout, stderr, code := runCLI(t, nil, "upload", url, "files.store", file)
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: "+file+tc.want) ||
			!strings.Contains(stderr, "(did it change?)") || !strings.Contains(stderr, "hint: upload the file once it is written whole") {
			t.Fatalf("%s: exit %d\nstdout %q\nstderr %q", tc.name, code, stdout, stderr)
		}
	}
}

// -q is upload's --query, where wget, apt and grep read -q as quiet. A
// script that wrote it for quiet had -q take the next word as its PATH:
// with AMFCALL_URL set, "upload -q ByteArray.saveSnapshot photo.jpg" was
// told "photo.jpg is a file, given where the TARGET goes: name the
// method first, e.g. amfcall upload ByteArray.saveSnapshot photo.jpg",
// what it had written; a -q at the end got "flag -q needs a value" and
// nothing about --quiet. Both now say what -q took, or lacks, and that
// --quiet is the flag. Nothing is sent.
func TestUploadQuietFlagMistaken_script16(t *testing.T) {
	t.Parallel()
	url, requests := countingGateway(t)
	file := writeFile(t, "photo.jpg", sampleJPEG)
	withURL := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_URL": url}
	const quiet = "amfcall: hint: -q is --query here; --quiet draws no progress bar\n"
	const usage = "amfcall: hint: usage: amfcall upload URL TARGET FILE [ARG...]\n"
	const help = "amfcall: hint: run \"amfcall upload --help\" for the flags\n"
	took := func(flag, word string) string {
		return "amfcall: error: amfcall upload: missing an argument: the flag " + flag + " took " + strconv.Quote(word) + " as its PATH\n" + quiet + usage
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"upload", "-q", "ByteArray.saveSnapshot", file}, withURL, took("-q", "ByteArray.saveSnapshot")},
		{[]string{"upload", url, "-q", "ByteArray.saveSnapshot", file}, nil, took("-q", "ByteArray.saveSnapshot")},
		{[]string{"upload", url, "ByteArray.saveSnapshot", "--query", file}, nil, took("--query", file)},
		{[]string{"upload", url, "ByteArray.saveSnapshot", file, "-q"}, nil, "amfcall: error: flag -q needs a value\n" + quiet + help},
		{[]string{"upload", url, "ByteArray.saveSnapshot", file, "-kq"}, nil, "amfcall: error: flag -kq needs a value\n" + quiet + help},
		// -q given its PATH, the TARGET forgotten: the hint about the
		// TARGET stays.
		{[]string{"upload", "-q", "url", url, file}, nil, "amfcall: error: amfcall upload: missing FILE\n" +
			"amfcall: hint: " + file + " is a file, given where the TARGET goes: name the method first, e.g. amfcall upload " + url + " ByteArray.saveSnapshot " + file + "\n"},
	} {
		stdout, stderr, code := run(t, tc.args, "", tc.env, false)
		if code != exitUsage || stdout != "" || stderr != tc.want {
			t.Errorf("%q: exit %d\nstdout %q\nstderr %s\nwant   %s", tc.args, code, stdout, stderr, tc.want)
		}
	}
	// call has no --quiet: its -q lacking a value says nothing of it.
	_, stderr, _ := run(t, []string{"call", url, "echo.echo", "-q"}, "", nil, false)
	if strings.Contains(stderr, "--quiet") {
		t.Errorf("call: %q", stderr)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// call --save-response, --save-request or --session FILE in a folder
// that takes no file: the call was made (a saveSnapshot saved its
// image), its result printed on stdout, and only then the write failed,
// exit 2, so that a script could not tell whether the call had run. A
// read-only FILE was refused before anything was sent; its folder now
// is too.
func TestSaveIntoReadOnlyDirBeforeSending_script16(t *testing.T) {
	t.Parallel()
	dir := readOnlyDir(t)
	url, requests := countingGateway(t)
	for _, flag := range []string{"--save-response", "--save-request", "--session"} {
		path := filepath.Join(dir, "out.amf")
		stdout, stderr, code := runCLI(t, nil, "call", flag, path, url, "echo.echo", "1")
		want := "amfcall: error: " + flag + " " + path + ": cannot create a file in " + dir + ": "
		if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, want) ||
			!strings.HasSuffix(stderr, "amfcall: hint: choose a folder you can write to; nothing was sent\n") {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q", flag, code, stdout, stderr)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	// A folder that takes files keeps no trace of the check.
	ok := t.TempDir()
	checkOutputPath("--save-response", filepath.Join(ok, "r.amf"))
	if names := dirNames(t, ok); len(names) != 0 {
		t.Fatalf("the check left %q", names)
	}
}

// An output file its owner may write but we may not (another user's:
// one root made in a shared folder) was said to be read-only, with the
// hint "chmod u+w FILE", which fails for anyone but its owner.
func TestOutputFileOfAnotherUser_script16(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a user other than root, on Unix")
	}
	const path = "/etc/hosts" // root's, 0644
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o200 == 0 {
		t.Skip("no /etc/hosts writable by its owner")
	}
	url, requests := countingGateway(t)
	stdout, stderr, code := runCLI(t, nil, "call", "--save-response", path, url, "echo.echo", "1")
	want := "amfcall: error: --save-response /etc/hosts: permission denied: the file is not writable by you (its owner can write it)\n" +
		"amfcall: hint: choose another file, or ask its owner to let you write it; nothing was sent\n"
	if code != exitUsage || stdout != "" || stderr != want || requests.Load() != 0 {
		t.Fatalf("exit %d, %d requests\nstdout %q\nstderr %s", code, requests.Load(), stdout, stderr)
	}
}

// upload reads a pipe into a temporary file first. With TMPDIR a folder
// that is gone (a CI job's), the error said only "spooling stdin: open
// /x/amfcall-upload-123: no such file or directory": it now says why a
// temporary file is made and what to do.
func TestUploadSpoolTMPDIRGone_script16(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("TMPDIR is Unix's")
	}
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "gone"))
	url, requests := countingGateway(t)
	stdout, stderr, code := runCLI(t, bytes.NewReader(sampleJPEG), "upload", url, "ByteArray.saveSnapshot", "-", `"jpg"`)
	if code != exitUsage || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: spooling stdin: ") ||
		!strings.HasSuffix(stderr, "amfcall: hint: stdin is copied to a temporary file first, as its size goes before its bytes: set TMPDIR to a folder you can write to, or give a regular FILE\n") ||
		requests.Load() != 0 {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
}

// -o naming the file stdout goes to (-o /dev/stdout with stdout
// redirected to a file, here that file's own name): the file was replaced
// whole, as any -o FILE is, so that "{ echo head; amfcall convert -o
// /dev/stdout; echo tail; } > log" and "... >> log" lost what the shell
// wrote before, and what it wrote after went to the file replaced. It is
// written through stdout, at its offset.
func TestOutputIsStdoutFile_script16(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "log.txt")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("head\n")
	var errb bytes.Buffer
	e := &runEnv{
		args:       []string{"amfcall", "convert", "--to", "hex:amf3", "-o", path},
		stdin:      strings.NewReader(`{"a": 1}`),
		stdout:     f,
		stderr:     &errb,
		getenv:     func(k string) string { return plainEnv[k] },
		isTerminal: func(any) bool { return false },
	}
	if code := e.run(); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	f.WriteString("tail\n")
	got, _ := os.ReadFile(path)
	if want := "head\n0a0b010361040101\ntail\n"; string(got) != want {
		t.Fatalf("the file holds %q, want %q", got, want)
	}
}

// The folder of a file written through a symbolic link is the link
// target's: --save-response LINK, LINK in a folder that takes no new
// file and its target in one that does, is written (the check of the
// folder, made before sending, looked at the link's).
func TestSaveThroughLinkFolderChecked_script16(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	base := t.TempDir()
	real := filepath.Join(base, "real.amf")
	os.WriteFile(real, nil, 0o600)
	ro := filepath.Join(base, "ro")
	os.Mkdir(ro, 0o755)
	link := filepath.Join(ro, "reply.amf")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	os.Chmod(ro, 0o555)
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	if err := checkOutputPath("--save-response", link); err != nil {
		t.Fatalf("refused: %v", err)
	}
}

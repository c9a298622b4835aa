//go:build unix

package commands

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/amfcall/amfcall/client/gateway"
)

// Ctrl-C (SIGINT) or SIGTERM while dump -o writes, or while upload
// spools stdin, removes the temporary file: the -o target keeps its old
// content, nothing else is left in its directory or in $TMPDIR, and the
// process still dies by the signal (the shell's 130 or 143).
func TestSignalRemovesTemporaryFiles(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	flvHead, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sig  syscall.Signal
		args func(dir string) []string
	}{
		{"dump -o, SIGINT", syscall.SIGINT, func(dir string) []string { return []string{"dump", "-o", filepath.Join(dir, "out.txt")} }},
		{"dump -o, SIGTERM", syscall.SIGTERM, func(dir string) []string { return []string{"dump", "-o", filepath.Join(dir, "out.txt")} }},
		{"upload from stdin, SIGINT", syscall.SIGINT, func(string) []string {
			return []string{"upload", "http://127.0.0.1:1/", "ByteArray.saveSnapshot", "-", `"jpg"`}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "out.txt")
			if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(exe, tc.args(dir)...)
			// $TMPDIR is dir too, for the upload's spool.
			cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH"), "TMPDIR=" + dir}
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr syncBuffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			// The FLV header, then nothing: stdin stays open, the dump
			// (or the spool) waits for more with its file open.
			if _, err := stdin.Write(flvHead[:13]); err != nil {
				t.Fatal(err)
			}
			for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
				if len(dirNames(t, dir)) > 1 {
					break
				}
				if time.Since(start) > 20*time.Second {
					t.Fatalf("no temporary file appeared in %s: %v; stderr %q", dir, dirNames(t, dir), stderr.String())
				}
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
			if !ok || !ws.Signaled() || ws.Signal() != tc.sig {
				t.Errorf("the process did not die by %v: %v; stderr %q", tc.sig, err, stderr.String())
			}
			if names := dirNames(t, dir); !slices.Equal(names, []string{"out.txt"}) {
				t.Errorf("left in the directory: %v (want only out.txt)", names)
			}
			if b, _ := os.ReadFile(target); string(b) != "old\n" {
				t.Errorf("the target holds %q, want its old content", b)
			}
		})
	}
}

// Ctrl-C during snapshots --download drops the image under way (its
// temporary file in DIR, which the killed process left there), keeps
// the list on stdout and ends with status 130 and one line saying so.
func TestSnapshotsDownloadInterrupted(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(gateway.Options{ImagesDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	os.WriteFile(filepath.Join(g.ImagesDir(), "slow.jpg"), sampleJPEG, 0o644)
	// The image comes in part, then nothing until the client goes.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			g.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Length", "1000000")
		w.Write(sampleJPEG)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()

	dir := filepath.Join(t.TempDir(), "shots")
	cmd := exec.Command(exe, "snapshots", "--download", dir, srv.URL+"/")
	cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	var stdout, stderr syncBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for start := time.Now(); ; time.Sleep(10 * time.Millisecond) {
		if names, _ := os.ReadDir(dir); len(names) > 0 {
			break
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("no temporary file appeared in %s; stderr %q", dir, stderr.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit status %d, want 130", code)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Errorf("left in %s: %v", dir, names)
	}
	if want := "amfcall: error: interrupted: the download under way was dropped; the images downloaded before it are kept\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if !strings.HasPrefix(stdout.String(), `[{"name":"slow.jpg","url":"`+srv.URL+`/images/slow.jpg"`) {
		t.Errorf("stdout %q", stdout.String())
	}
}

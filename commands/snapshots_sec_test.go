package commands

import (
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// snapshotServer is a gateway whose getSnapshots announces types and
// lists names, and whose images are served by image (nil: sampleJPEG).
// It counts the requests it gets.
func snapshotServer(t *testing.T, types []any, ns []string, image http.HandlerFunc) (string, *atomic.Int32) {
	t.Helper()
	return snapshotGateway(t, func(base string) any { return []any{base, types, names(ns...)} }, image)
}

func dlNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

// A gateway chose which files of DIR to replace (Makefile, run.sh, or
// any file of another size), and a replaced file lost its mode (review
// F-N). Now a file already in DIR is never replaced (skipped with a
// warning naming it and saying what to do), and only plain image names
// of the announced types are downloaded.
func TestSnapshotsNeverReplaceAndImageNamesOnly(t *testing.T) {
	t.Parallel()
	url, _ := snapshotServer(t, []any{"jpg"}, []string{"Makefile", "run.sh", "good.jpg", "x.png", "$(touch pwned).jpg",
		"-rf.jpg", "a b;c.jpg", "GOOD2.JPG", "new.jpg", "new.jpg"}, nil)
	dir := t.TempDir()
	mine := map[string]string{"Makefile": "all:\n\techo mine\n", "good.jpg": "MY OWN PRECIOUS FILE"}
	for n, s := range mine {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stdout, stderr, code := runCLI(t, nil, "snapshots", "--download", dir, url)
	if code != exitInput || !strings.Contains(stderr, "refused 6 of 10 snapshot names (not plain image file names in "+dir+")") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	for _, want := range []string{
		`warning: refusing to download "Makefile": not a file of the image types downloaded (jpg)`,
		`warning: refusing to download "run.sh": not a file of the image types downloaded (jpg)`,
		`warning: refusing to download "x.png": not a file of the image types downloaded (jpg)`,
		`warning: refusing to download "$(touch pwned).jpg": the name holds '$'`,
		`warning: refusing to download "-rf.jpg": a name that starts with -`,
		`warning: refusing to download "a b;c.jpg": the name holds ';'`,
		"warning: good.jpg: not downloaded: " + filepath.Join(dir, "good.jpg") + " exists, and amfcall never replaces a file; remove it, or download into another folder",
		"GOOD2.JPG: downloaded 314 bytes",
		"new.jpg: downloaded 314 bytes",
		"new.jpg: skipped, listed before",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if !strings.Contains(stdout, `"name":"good.jpg","url":"`) || !strings.Contains(stdout, `"status":"skipped: `) {
		t.Errorf("stdout %s", stdout)
	}
	for n, s := range mine {
		got, _ := os.ReadFile(filepath.Join(dir, n))
		st, _ := os.Stat(filepath.Join(dir, n))
		if string(got) != s || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o644) {
			t.Errorf("%s: %q, mode %v: replaced", n, got, st.Mode())
		}
	}
	if got, want := dlNames(t, dir), []string{"GOOD2.JPG", "Makefile", "good.jpg", "new.jpg"}; !slices.Equal(got, want) {
		t.Errorf("DIR holds %q, want %q (no temporary file left)", got, want)
	}
}

// With no type announced, the fixed list of image types applies; types
// that are not images are not taken from the gateway.
func TestSnapshotsDefaultImageTypes(t *testing.T) {
	t.Parallel()
	shURL, _ := snapshotServer(t, []any{"sh", "JPG"}, []string{"run.sh", "x.jpg"}, nil)
	shDir := t.TempDir()
	_, stderr, code := runCLI(t, nil, "snapshots", "--download", shDir, shURL)
	if code != exitInput || !strings.Contains(stderr, `refusing to download "run.sh": not a file of the image types downloaded (jpg)`) {
		t.Errorf("sh announced: exit %d\n%s", code, stderr)
	}
	if got := dlNames(t, shDir); !slices.Equal(got, []string{"x.jpg"}) {
		t.Errorf("DIR holds %q", got)
	}
	shURL, _ = snapshotServer(t, []any{"sh"}, []string{"run.sh"}, nil)
	_, stderr, _ = runCLI(t, nil, "snapshots", "--download", shDir, shURL)
	if !strings.Contains(stderr, `refusing to download "run.sh": the gateway announces no image type that amfcall downloads (jpg, jpeg,`) {
		t.Errorf("only sh announced: %s", stderr)
	}

	url, _ := snapshotServer(t, []any{}, []string{"a.jpeg", "b.txt", "c.PNG", "d"}, nil)
	dir := t.TempDir()
	_, stderr, code = runCLI(t, nil, "snapshots", "--download", dir, url)
	if code != exitInput || !strings.Contains(stderr, `refusing to download "b.txt": not a file of the image types downloaded (jpg, jpeg, png,`) {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got, want := dlNames(t, dir), []string{"a.jpeg", "c.PNG"}; !slices.Equal(got, want) {
		t.Errorf("DIR holds %q, want %q", got, want)
	}
}

// A file that appears under the name while its image downloads is kept:
// the download takes its name only if that name is still free.
func TestSnapshotsNameTakenDuringDownload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	url, _ := snapshotServer(t, []any{"jpg"}, []string{"a.jpg"}, func(w http.ResponseWriter, r *http.Request) {
		os.WriteFile(filepath.Join(dir, "a.jpg"), []byte("theirs"), 0o644)
		w.Write(sampleJPEG)
	})
	_, stderr, code := runCLI(t, nil, "snapshots", "--download", dir, url)
	if code != 0 || !strings.Contains(stderr, "warning: a.jpg: not downloaded: "+filepath.Join(dir, "a.jpg")+" appeared while it downloaded") {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a.jpg")); string(got) != "theirs" {
		t.Errorf("a.jpg replaced: %q", got)
	}
	if got := dlNames(t, dir); !slices.Equal(got, []string{"a.jpg"}) {
		t.Errorf("DIR holds %q", got)
	}
}

// --download FILE called the gateway, printed the listing, then failed
// (review P12): a usage error before any request, nothing on stdout.
func TestSnapshotsDownloadIntoFile(t *testing.T) {
	t.Parallel()
	url, hits := snapshotServer(t, []any{"jpg"}, []string{"a.jpg"}, nil)
	file := filepath.Join(t.TempDir(), "afile")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, dir := range []string{file, filepath.Join(file, "sub")} {
		stdout, stderr, code := runCLI(t, nil, "snapshots", "--download", dir, url)
		if code != exitUsage || stdout != "" || hits.Load() != 0 || !strings.HasPrefix(stderr, "amfcall: error: --download "+dir+": not a directory") {
			t.Errorf("--download %s: exit %d, %d requests\nstdout %q\nstderr %q", dir, code, hits.Load(), stdout, stderr)
		}
	}
}

// An image over the 1 GiB a single image may be: the cap is named, not
// called what is "left to download" of a 20G --max-download (review F-F).
func TestSnapshotsPerImageCapNamed(t *testing.T) {
	t.Parallel()
	url, _ := snapshotServer(t, []any{"jpg"}, []string{"big.jpg"}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10000000000")
		w.WriteHeader(200)
	})
	stdout, stderr, code := runCLI(t, nil, "snapshots", "--max-download", "20G", "--download", t.TempDir(), url)
	want := "big.jpg declares 10000000000 bytes, larger than the 1 GiB (1073741824 bytes) a single image may be"
	if code != exitNetwork || !strings.Contains(stderr, want) || !strings.Contains(stdout, `"status":"failed: `+want+`"`) {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	_, stderr, code = runCLI(t, nil, "snapshots", "--max-download", "100K", "--download", t.TempDir(), url)
	if want := "amfcall: warning: big.jpg declares 10000000000 bytes, more than the 102400 bytes left of the download limit of 102400 bytes: 1 of 1 snapshots not downloaded; raise --max-download to fetch them all\n"; code != 0 || stderr != want {
		t.Errorf("100K: exit %d\n%s\nwant %s", code, stderr, want)
	}
}

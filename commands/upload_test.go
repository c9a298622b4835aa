package commands

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
	"github.com/amfcall/amfcall/convert"
)

// runCLI runs amfcall in-process with buffers for its streams.
func runCLI(t *testing.T, stdin io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errb bytes.Buffer
	code = Run(append([]string{"amfcall"}, args...), stdin, &out, &errb)
	return out.String(), errb.String(), code
}

// runTTY runs amfcall with stderr (and stdout) taken for terminals.
func runTTY(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &runEnv{
		args:       append([]string{"amfcall"}, args...),
		stdin:      strings.NewReader(""),
		stdout:     &out,
		stderr:     &errb,
		getenv:     func(k string) string { return map[string]string{"NO_COLOR": "1"}[k] },
		isTerminal: func(any) bool { return true },
	}
	code = e.run()
	return out.String(), errb.String(), code
}

// startGateway runs the embedded gateway on 127.0.0.1 for a test.
func startGateway(t *testing.T, opt gateway.Options) (*gateway.Gateway, string) {
	t.Helper()
	if opt.ImagesDir == "" {
		opt.ImagesDir = t.TempDir()
	}
	g, err := gateway.New(opt)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(func() {
		srv.Close()
		g.Close()
	})
	return g, srv.URL + "/"
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func decodeJSONResult(t *testing.T, stdout string) *amf.Object {
	t.Helper()
	v, err := convert.FromJSON([]byte(stdout))
	if err != nil {
		t.Fatalf("stdout %q is not JSON: %v", stdout, err)
	}
	o, ok := v.(*amf.Object)
	if !ok {
		t.Fatalf("stdout %q is not an object", stdout)
	}
	return o
}

func TestUploadSaveSnapshot(t *testing.T) {
	t.Parallel()
	g, url := startGateway(t, gateway.Options{})
	jpg := writeFile(t, "Photo.JPG", sampleJPEG)
	png := writeFile(t, "shot.png", append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 70000)...))
	for _, tc := range []struct {
		name  string
		args  []string
		stdin io.Reader
		want  []byte
	}{
		{"amf0 jpg", []string{"upload", url, "ByteArray.saveSnapshot", jpg}, nil, sampleJPEG},
		{"amf3 png", []string{"upload", "--amf3", url, "ByteArray.saveSnapshot", png}, nil, mustReadFile(t, png)},
		{"stdin with type", []string{"upload", url, "ByteArray.saveSnapshot", "-", `"jpg"`}, bytes.NewReader(sampleJPEG), sampleJPEG},
		{"flags after args", []string{"upload", url, "ByteArray.saveSnapshot", jpg, "--amf3", "--quiet"}, nil, sampleJPEG},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, tc.stdin, tc.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			o := decodeJSONResult(t, stdout)
			name, _ := o.Get("name")
			u, _ := o.Get("url")
			if u != url+"images/"+name.(string) {
				t.Fatalf("url %v for name %v", u, name)
			}
			saved, err := os.ReadFile(filepath.Join(g.ImagesDir(), name.(string)))
			if err != nil || !bytes.Equal(saved, tc.want) {
				t.Fatalf("saved image differs (%v)", err)
			}
		})
	}
}

func mustReadFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUploadArgsAndErrors(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	data := writeFile(t, "data.bin", []byte{1, 2, 3})
	noExt := writeFile(t, "picture", sampleJPEG)

	// Any target gets exactly the ARGs given, after the ByteArray.
	stdout, stderr, code := runCLI(t, nil, "upload", "--typed", url, "echo.echo", data, `"x"`, `{"n": 1}`)
	if code != 0 {
		t.Fatalf("echo: exit %d %s", code, stderr)
	}
	if want := `[{"$amf3":{"$bytes":"AQID"}},"x",{"n":1.0}]` + "\n"; stdout != want {
		t.Fatalf("echo: stdout %s, want %s", stdout, want)
	}
	// echo.echo with only the file: the ByteArray comes back.
	stdout, _, _ = runCLI(t, nil, "upload", "--typed", url, "echo.echo", data)
	if stdout != `{"$bytes":"AQID"}`+"\n" {
		t.Fatalf("echo one arg: %s", stdout)
	}

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"fault", []string{"upload", url, "ByteArray.saveSnapshot", data, `"png"`}, 1,
			`{"code":"Snapshot.ContentMismatch","description":"the bytes are not a PNG image (not a known image type)","details":null,"level":"error","type":"ValueError"}` + "\n",
			"Snapshot.ContentMismatch: the bytes are not a PNG image (not a known image type)"},
		{"no extension", []string{"upload", url, "ByteArray.saveSnapshot", noExt}, 2, "",
			"ByteArray.saveSnapshot needs the image type, and " + noExt + " has no file extension"},
		{"bad json arg", []string{"upload", url, "echo.echo", data, "jpg"}, 4, "", "argument 1: json:"},
		{"missing file", []string{"upload", url, "echo.echo", filepath.Join(t.TempDir(), "nope")}, 2, "", "no such file"},
		{"directory", []string{"upload", url, "echo.echo", t.TempDir()}, 2, "", "is a directory"},
		{"too few args", []string{"upload", url, "echo.echo"}, 2, "", "missing FILE"},
		{"bad url", []string{"upload", "ftp://x/", "echo.echo", data}, 2, "", "invalid gateway URL"},
		{"refused", []string{"upload", "http://127.0.0.1:1/", "echo.echo", data}, 3, "", "refused"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, nil, tc.args...)
			stderr = osText(stderr)
			if code != tc.code || stdout != tc.stdout || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
			if strings.Count(stderr, "amfcall: error:") != 1 {
				t.Errorf("want exactly one error line, got %q", stderr)
			}
		})
	}
}

// TestUploadRefusesTooLarge: a file over the ByteArray limit is refused
// before anything is sent.
func TestUploadRefusesTooLarge(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	name := filepath.Join(t.TempDir(), "big.jpg")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxByteArray + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, stderr, code := runCLI(t, nil, "upload", srv.URL, "ByteArray.saveSnapshot", name)
	if code != 2 || !strings.Contains(stderr, "is 268435456 bytes; an AMF3 ByteArray holds at most 268435455 bytes") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if hits.Load() != 0 {
		t.Fatal("the gateway was contacted")
	}
}

// TestBuildStreamed checks the streamed request byte for byte against the
// packet the codec writes with the whole ByteArray in it, at the sizes
// where the U29 length grows a byte.
func TestBuildStreamed(t *testing.T) {
	t.Parallel()
	sizes := []int64{0, 1, 63, 64, 8191, 8192, 1<<20 - 1, 1 << 20, 1<<21 + 5}
	for _, amf3 := range []bool{false, true} {
		for _, size := range sizes {
			content := make([]byte, size)
			for i := range content {
				content[i] = byte(i * 7)
			}
			rest := []any{"jpg", amf.Int(5), &amf.Object{Members: []amf.Member{{Name: "k", Value: "jpg"}}}}
			mk := func() *client.Client {
				c, err := client.New("http://127.0.0.1:1/", client.Config{AMF3: amf3})
				if err != nil {
					t.Fatal(err)
				}
				c.SetCredentials("alice", "wonderland")
				return c
			}
			sp, err := buildStreamed(mk(), "ByteArray.saveSnapshot", bytes.NewReader(content), size, rest)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(sp.body())
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(got)) != sp.Len() {
				t.Fatalf("Len %d, built %d", sp.Len(), len(got))
			}
			p := mk().BuildPacket([]client.Call{{Target: "ByteArray.saveSnapshot", Args: append([]any{&amf.ByteArray{Data: content}}, rest...)}})
			want, err := amf.MarshalPacket(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("amf3=%v size %d: streamed request differs from the encoded packet", amf3, size)
			}
			if sp.response != "/1" {
				t.Fatalf("response %q", sp.response)
			}
		}
	}
}

func TestUploadProgressBar(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	jpg := writeFile(t, "a.jpg", sampleJPEG)
	_, stderr, code := runTTY(t, "upload", "--compact", url, "ByteArray.saveSnapshot", jpg)
	if code != 0 || !strings.Contains(stderr, "\ramfcall: uploading "+jpg+"  314 B / 314 B  100%") || !strings.HasSuffix(stderr, "\n") || !strings.Contains(stderr, "done in") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	_, stderr, _ = runTTY(t, "upload", "--quiet", url, "ByteArray.saveSnapshot", jpg)
	if stderr != "" {
		t.Fatalf("--quiet: stderr %q", stderr)
	}
	_, stderr, _ = runCLI(t, nil, "upload", url, "ByteArray.saveSnapshot", jpg)
	if stderr != "" {
		t.Fatalf("not a terminal: stderr %q", stderr)
	}
}

func TestProgressFormat(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	clock := time.Unix(0, 0)
	p := newProgressBar(&b, "uploading x", 200<<20)
	p.now = func() time.Time { return clock }
	p.start = clock
	clock = clock.Add(2 * time.Second)
	p.add(50 << 20)
	if got, want := b.String(), "\ramfcall: uploading x  50.0 MiB / 200.0 MiB   25%  25.0 MiB/s  ETA 6s\x1b[K"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1024, "1.0 KiB"}, {5 << 30, "5.0 GiB"}} {
		if got := fmtBytes(tc.n); got != tc.want {
			t.Errorf("fmtBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if fmtETA(3725*time.Second) != "1h02m" || fmtETA(125*time.Second) != "2m05s" {
		t.Error("fmtETA")
	}
}

// raceEnabled is set when the race detector runs (upload_race_test.go).
var raceEnabled bool

// largeUploadSize is the file the memory test streams.
const largeUploadSize = 200 << 20

// BenchmarkUploadLarge streams a 200 MB file to a loopback server and
// measures the peak resident memory of the uploading process, a child
// running "amfcall upload" (this test binary, re-executed): memory must
// stay flat whatever the file's size. The server parses the packet as it
// arrives and checks the bytes' SHA-256. It is a benchmark, not a test,
// so that "go test ./..." does not write and send 200 MB; run it with
//
//	go test ./commands -run '^$' -bench UploadLarge -benchtime 1x
func BenchmarkUploadLarge(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads the child's peak RSS from Linux rusage")
	}
	b.SetBytes(largeUploadSize)
	for range b.N {
		uploadLarge(b)
	}
}

func uploadLarge(t *testing.B) {
	t.StopTimer()
	dir := t.TempDir()
	name := filepath.Join(dir, "big.jpg")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	w := io.MultiWriter(f, h)
	rng := rand.NewChaCha8([32]byte{1})
	block := make([]byte, 1<<20)
	for written := 0; written < largeUploadSize; written += len(block) {
		rng.Read(block)
		if written == 0 {
			copy(block, sampleJPEG[:4])
		}
		w.Write(block)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	wantSum := h.Sum(nil)

	var gotSum []byte
	var gotSize int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		size, sum, err := readStreamedSnapshot(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		gotSize, gotSum = size, sum
		reply, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null",
			Value: &amf.Object{Members: []amf.Member{{Name: "url", Value: "http://x/images/big.jpg"}, {Name: "name", Value: "big.jpg"}}}}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	defer srv.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestUploadChild$")
	cmd.Env = append(os.Environ(), "AMFCALL_UPLOAD_CHILD="+srv.URL+"/ "+name)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	t.StartTimer()
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s", err, out.String())
	}
	t.StopTimer()
	elapsed := time.Since(start)
	if !bytes.Equal(gotSum, wantSum) || gotSize != largeUploadSize {
		t.Fatalf("server got %d bytes, sha256 %x; want %d, %x", gotSize, gotSum, largeUploadSize, wantSum)
	}
	if !strings.Contains(out.String(), `{"url":"http://x/images/big.jpg","name":"big.jpg"}`) {
		t.Fatalf("child output: %s", out.String())
	}
	rss, ok := childPeakRSS(cmd.ProcessState)
	if !ok {
		t.Logf("uploaded %d MB in %v; this system does not report the child's peak RSS", largeUploadSize>>20, elapsed.Round(time.Millisecond))
		return
	}
	t.Logf("uploaded %d MB in %v (%.0f MB/s); peak RSS of the uploading process %.1f MB",
		largeUploadSize>>20, elapsed.Round(time.Millisecond), float64(largeUploadSize)/1e6/elapsed.Seconds(), float64(rss)/1e6)
	t.ReportMetric(float64(rss)/1e6, "peak-RSS-MB")
	if rss > 64<<20 && !raceEnabled {
		t.Fatalf("peak RSS %d bytes, want under 64 MiB", rss)
	}
}

// TestUploadChild is the uploading process of BenchmarkUploadLarge; it
// passes at once in a plain run.
func TestUploadChild(t *testing.T) {
	t.Parallel()
	spec := os.Getenv("AMFCALL_UPLOAD_CHILD")
	if spec == "" {
		return
	}
	url, file, _ := strings.Cut(spec, " ")
	os.Exit(Run([]string{"amfcall", "upload", url, "ByteArray.saveSnapshot", file}, os.Stdin, os.Stdout, os.Stderr))
}

// readStreamedSnapshot reads a saveSnapshot request as it arrives,
// checking every length against the bytes, and returns the ByteArray's
// size and SHA-256.
func readStreamedSnapshot(r *http.Request) (int64, []byte, error) {
	br := bufio.NewReader(r.Body)
	var total int64
	read := func(n int) ([]byte, error) {
		b := make([]byte, n)
		_, err := io.ReadFull(br, b)
		total += int64(n)
		return b, err
	}
	u16 := func() int { b, _ := read(2); return int(binary.BigEndian.Uint16(b)) }
	if v := u16(); v != 0 {
		return 0, nil, fmt.Errorf("version %d", v)
	}
	if n := u16(); n != 0 {
		return 0, nil, fmt.Errorf("%d headers", n)
	}
	if n := u16(); n != 1 {
		return 0, nil, fmt.Errorf("%d messages", n)
	}
	target, _ := read(u16())
	resp, _ := read(u16())
	lb, _ := read(4)
	valueLen := int64(binary.BigEndian.Uint32(lb))
	valueStart := total
	head, err := read(7)
	if err != nil || string(target) != "ByteArray.saveSnapshot" || string(resp) != "/1" ||
		!bytes.Equal(head, []byte{0x0A, 0, 0, 0, 2, 0x11, 0x0C}) {
		return 0, nil, fmt.Errorf("unexpected framing %q %q %x (%v)", target, resp, head, err)
	}
	var u29 uint32
	for i := 0; i < 4; i++ {
		b, _ := br.ReadByte()
		total++
		if i == 3 {
			u29 = u29<<8 | uint32(b)
			break
		}
		u29 = u29<<7 | uint32(b&0x7F)
		if b&0x80 == 0 {
			break
		}
	}
	if u29&1 != 1 {
		return 0, nil, fmt.Errorf("ByteArray reference")
	}
	size := int64(u29 >> 1)
	h := sha256.New()
	n, err := io.CopyN(h, br, size)
	total += n
	if err != nil {
		return 0, nil, err
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		return 0, nil, err
	}
	total += int64(len(rest))
	var typ any
	if err := amf.Unmarshal(rest, amf.AMF0, &typ); err != nil || typ != "jpg" {
		return 0, nil, fmt.Errorf("second argument %v (%v)", typ, err)
	}
	if total-valueStart != valueLen || total != r.ContentLength {
		return 0, nil, fmt.Errorf("value length %d, read %d; Content-Length %d, read %d", valueLen, total-valueStart, r.ContentLength, total)
	}
	return size, h.Sum(nil), nil
}

// A file that ends before the size it had when the upload began (it
// shrank while being sent) fails with a message that says so, not with
// the codec's words, and not by sending a short body.
func TestUploadFileShrank(t *testing.T) {
	_, u := startGateway(t, gateway.Options{})
	cl, err := client.New(u, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	src := bytes.NewReader([]byte("\xff\xd8\xff only part of it"))
	_, err = uploadStream(context.Background(), cl, "ByteArray.saveSnapshot", src, 1000, []any{"jpg"}, nil, nil)
	want := "the file ended after 19 bytes, 981 short of its size when the upload began (did it change?)"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

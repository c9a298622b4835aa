package commands

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// childAmfcall is the test binary as amfcall in a child process, in a
// clean environment that asks it to report its peak RSS on stderr.
func childAmfcall(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = []string{"AMFCALL_TEST_AS_AMFCALL=1", "AMFCALL_TEST_PEAK_RSS=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}
	return cmd
}

// asAmfcall runs the test binary as amfcall in a child process, with env
// added to a clean environment.
func asAmfcall(t *testing.T, stdin []byte, env []string, args ...string) (stdout, stderr []byte, err error) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append([]string{"AMFCALL_TEST_AS_AMFCALL=1", "NO_COLOR=1", "PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

var gcLine = regexp.MustCompile(`(?m)^gc \d+ @`)

// TestConvertPostponesGC: a conversion whose memory fits in gcHeadroom
// runs no garbage collection (gctrace prints none), unless GOGC or
// GOMEMLIMIT in the environment say otherwise; the output is the same.
func TestConvertPostponesGC(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child process over 11 MB of input")
	}
	in := filepath.Join(t.TempDir(), "w1.amf3")
	data, err := amf.Marshal(amftest.W1(200000), amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var want []byte
	for _, tc := range []struct {
		env     []string
		wantGCs bool
	}{
		{nil, false},
		{[]string{"GOGC=100"}, true},
		{[]string{"GOMEMLIMIT=1GiB"}, true},
	} {
		env := append([]string{"GODEBUG=gctrace=1"}, tc.env...)
		out, stderr, err := asAmfcall(t, nil, env, "convert", in)
		if err != nil {
			t.Fatalf("%v convert: %v\n%s", tc.env, err, stderr)
		}
		if want == nil {
			want = out
		} else if !bytes.Equal(out, want) {
			t.Errorf("%v: output differs from the first run's", tc.env)
		}
		if n := len(gcLine.FindAll(stderr, -1)); (n > 0) != tc.wantGCs {
			t.Errorf("%v: %d collections, want some: %v\n%s", tc.env, n, tc.wantGCs, stderr)
		}
	}
	if !bytes.HasPrefix(want, []byte(`[{"`)) {
		t.Errorf("output starts %q", want[:min(len(want), 20)])
	}
}

// TestProfileHook: AMFCALL_CPUPROFILE and AMFCALL_MEMPROFILE write
// profiles (gzip-compressed protocol buffers) and change nothing else; a
// profile that cannot be written is a warning, not a failure.
func TestProfileHook(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	env := map[string]string{"NO_COLOR": "1", "AMFCALL_CPUPROFILE": cpu, "AMFCALL_MEMPROFILE": mem}
	stdout, stderr, code := run(t, []string{"convert", "--from", "hex", "-"}, "0a0b010361040101", env, false)
	if code != 0 || stdout != "{\"a\":1}\n" || stderr != "" {
		t.Fatalf("got %d %q %q", code, stdout, stderr)
	}
	for _, f := range []string{cpu, mem} {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
			t.Errorf("%s: %v, starts % x", f, err, b[:min(len(b), 2)])
		}
	}
	env["AMFCALL_CPUPROFILE"] = filepath.Join(dir, "missing", "cpu.prof")
	delete(env, "AMFCALL_MEMPROFILE")
	stdout, stderr, code = run(t, []string{"convert", "--from", "hex", "-"}, "0a0b010361040101", env, false)
	if code != 0 || stdout != "{\"a\":1}\n" || !strings.HasPrefix(stderr, "amfcall: warning: profile: open ") {
		t.Fatalf("got %d %q %q", code, stdout, stderr)
	}
}

// TestReadAtMost: every byte of a file or a stream, whatever its size
// against the chunk sizes, and a usage error past the limit.
func TestReadAtMost(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, readChunkMin - 1, readChunkMin, readChunkMin + 1, 3*readChunkMin + 7, readChunkMax + readChunkMin*5 + 3} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7 / 3)
		}
		name := filepath.Join(dir, "in")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		inputs := map[string]io.Reader{"file": f, "stream": iotest.HalfReader(bytes.NewReader(data))}
		for kind, r := range inputs {
			got, err := readAtMost(r, maxInput)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s of %d bytes: read %d bytes, %v", kind, size, len(got), err)
			}
		}
		f.Close()
		if size == 0 {
			continue
		}
		for kind, r := range map[string]io.Reader{"exact": bytes.NewReader(data), "over": bytes.NewReader(append(data, 0))} {
			got, err := readAtMost(struct{ io.Reader }{r}, int64(size))
			want := fmt.Sprintf("input is larger than %d bytes", size)
			if kind == "exact" && (err != nil || !bytes.Equal(got, data)) {
				t.Errorf("%d bytes, limit %d: read %d bytes, %v", size, size, len(got), err)
			}
			if kind == "over" && (err == nil || err.Error() != want) {
				t.Errorf("%d bytes, limit %d: %v, want %q", size+1, size, err, want)
			}
		}
	}
}

// TestConvertStdinFile: a file on stdin (a shell's "< FILE") converts as
// the file named does, an FLV (streamed) and bare AMF3 (read in one call
// of the file's size) alike, from where the file stands.
func TestConvertStdinFile(t *testing.T) {
	dir := t.TempDir()
	amf3 := filepath.Join(dir, "v.amf3")
	if err := os.WriteFile(amf3, append([]byte("skip"), mustHexCmd(t, "0a0b010361040101")...), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		skip int64
		want string
	}{
		{"../testdata/flv/ffmpeg-lavf58-head.flv", 0, ""},
		{amf3, 4, "{\"a\":1}\n"},
	} {
		if tc.want == "" {
			want, err := os.ReadFile(strings.TrimSuffix(tc.path, ".flv") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			tc.want = string(want)
		}
		f, err := os.Open(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Seek(tc.skip, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		e := &runEnv{args: []string{"amfcall", "convert", "--compact"}, stdin: f, stdout: &out, stderr: &errb,
			getenv: func(k string) string { return plainEnv[k] }, isTerminal: func(any) bool { return false }}
		if code := e.run(); code != 0 || out.String() != tc.want {
			t.Errorf("%s on stdin: exit %d, stdout %q, stderr %q; want %q", tc.path, code, out.String(), errb.String(), tc.want)
		}
	}
}

func mustHexCmd(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMappedInputCutShort: a named file of mapMin bytes or more is
// mapped; when it is cut short while it is read, reading past its new
// end is an input error (exit 4), not a crash. A test command reads the
// input, truncates the file, then touches the input's last byte.
func TestMappedInputCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.amf3")
	if err := os.WriteFile(path, bytes.Repeat([]byte{1}, mapMin+12345), 0o644); err != nil {
		t.Fatal(err)
	}
	var mapped bool
	touch := &cli.Command{Name: "touch", Action: func(c *cli.Context) error {
		data, _, err := readInput(c, c.Args().First())
		if err != nil {
			return err
		}
		mapped = len(envOf(c).mapped) > 0
		if err := os.Truncate(path, 0); err != nil {
			return err
		}
		if data[len(data)-1] != 1 {
			return fmt.Errorf("last byte %d", data[len(data)-1])
		}
		return nil
	}}
	var out, errb bytes.Buffer
	e := &runEnv{args: []string{"amfcall", "touch", path}, stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return plainEnv[k] }, isTerminal: func(any) bool { return false },
		commands: []*cli.Command{touch}}
	code := e.run()
	debug.SetPanicOnFault(false)
	if !mapped {
		t.Skip("the file was read, not mapped (no mmap here)")
	}
	if code != exitInput || !strings.HasPrefix(errb.String(), "amfcall: error: the input file was cut short while it was read (") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// TestConvertStdinFileMapped: a large file on stdin, not at its start,
// converts from where it stands, and is left at its end.
func TestConvertStdinFileMapped(t *testing.T) {
	data, err := amf.Marshal(amftest.W1(20000), amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < mapMin {
		t.Fatalf("%d bytes: not mapped", len(data))
	}
	want, _, code := run(t, []string{"convert", "--from", "hex", "--compact"}, hex.EncodeToString(data), nil, false)
	if code != 0 {
		t.Fatal(code)
	}
	path := filepath.Join(t.TempDir(), "in")
	if err := os.WriteFile(path, append([]byte("junk!"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Seek(5, io.SeekStart)
	var out, errb bytes.Buffer
	e := &runEnv{args: []string{"amfcall", "convert", "--compact"}, stdin: f, stdout: &out, stderr: &errb,
		getenv: func(k string) string { return plainEnv[k] }, isTerminal: func(any) bool { return false }}
	mappable := runtime.GOOS != "windows" && runtime.GOOS != "plan9" && runtime.GOOS != "js" && runtime.GOOS != "wasip1"
	if code := e.run(); code != 0 || out.String() != want || mappable && len(e.mapped) != 1 {
		t.Errorf("exit %d, %d bytes out (want %d), stderr %q, %d inputs mapped", code, out.Len(), len(want), errb.String(), len(e.mapped))
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != int64(len(data)+5) {
		t.Errorf("stdin left at %d, want its end %d", pos, len(data)+5)
	}
}

// TestReadReserved: a pipe read into reserved address space gives every
// byte, whatever its size against the read sizes, and a usage error past
// the limit; where there is no such reservation, nothing is read.
func TestReadReserved(t *testing.T) {
	for _, size := range []int{0, 1, 4095, 4096, 65537, readChunkMax + 3} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 5 / 7)
		}
		for _, limit := range []int64{maxInput, int64(size), int64(size) - 1} {
			if limit < 0 {
				continue
			}
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				w.Write(data)
				w.Close()
			}()
			got, ok, err := readReserved(r, limit)
			r.Close()
			if !ok {
				t.Skipf("no reserved reads here (%s)", runtime.GOOS)
			}
			switch {
			case int64(size) > limit:
				if want := fmt.Sprintf("input is larger than %d bytes", limit); err == nil || err.Error() != want {
					t.Errorf("%d bytes, limit %d: %v, want %q", size, limit, err, want)
				}
			case err != nil || !bytes.Equal(got, data):
				t.Errorf("%d bytes, limit %d: read %d bytes, %v", size, limit, len(got), err)
			}
		}
	}
}

// runPeak runs amfcall args in a child process (within a minute) and
// returns its output (stdout then stderr) and exit status; its peak RSS
// (VmHWM, Linux) is logged and must stay under limitMB, except under the
// race detector.
func runPeak(t *testing.T, limitMB int, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base := childAmfcall(t, args...)
	cmd := exec.CommandContext(ctx, base.Path, args...)
	cmd.Env = base.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Run()
	if m := hwmLine.FindSubmatch(stderr.Bytes()); m != nil {
		kb, _ := strconv.Atoi(string(m[1]))
		t.Logf("%s: peak RSS %.1f MB", args[0], float64(kb)/1024)
		if kb > limitMB<<10 && !raceEnabled {
			t.Errorf("%q: peak RSS %d MB, want under %d MB", args, kb>>10, limitMB)
		}
	}
	return stdout.String() + stderr.String(), cmd.ProcessState.ExitCode()
}

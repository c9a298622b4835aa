package commands

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// writeBigFLV writes an FLV file of n video tags of 1 MiB each, with a
// script tag (onMetaData) first and one after every 100 video tags.
func writeBigFLV(t *testing.T, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.Write([]byte{'F', 'L', 'V', 1, 5, 0, 0, 0, 9})
	prev := uint32(0)
	tag := func(typ byte, body []byte, ms uint32) {
		binary.Write(w, binary.BigEndian, prev)
		h := []byte{typ, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body)), byte(ms >> 16), byte(ms >> 8), byte(ms), byte(ms >> 24), 0, 0, 0}
		w.Write(h)
		w.Write(body)
		prev = uint32(11 + len(body))
	}
	// "onMetaData", {"duration": 1.5} as AMF0.
	meta := []byte("\x02\x00\x0aonMetaData\x03\x00\x08duration\x00\x3f\xf8\x00\x00\x00\x00\x00\x00\x00\x00\x09")
	video := bytes.Repeat([]byte{0x17, 0x01, 0x00, 0x00, 0x00, 0xAB, 0xCD, 0xEF}, 1<<17)
	tag(18, meta, 0)
	for i := 0; i < n; i++ {
		tag(9, video, uint32(i*40))
		if i%100 == 99 {
			tag(18, meta, uint32(i*40))
		}
	}
	binary.Write(w, binary.BigEndian, prev)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

var hwmLine = regexp.MustCompile(`(?m)^peak RSS (\d+) kB$`)

// TestDumpBigFLVFlatMemory: "amfcall dump" of a 300 MB FLV file, text
// and JSON, named, on stdin and (text) from a pipe, peaks under 64 MB
// resident (measured by
// the child itself, VmHWM); it held the whole file before. Opt-in (it
// writes 300 MB and dumps them six times): AMFCALL_BIG_TESTS=1.
func TestDumpBigFLVFlatMemory(t *testing.T) {
	bigTest(t, "writes and dumps a 300 MB FLV")
	path := filepath.Join(t.TempDir(), "big.flv")
	writeBigFLV(t, path, 300)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin bool
	}{
		{"text", []string{"dump", path}, false},
		{"json", []string{"dump", "--format", "json", path}, false},
		{"text stdin", []string{"dump"}, true},
		{"text pipe", []string{"dump"}, true},
		{"text --all pipe", []string{"dump", "--all"}, true},
		{"text --all", []string{"dump", "--all", path}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin string
			if tc.stdin {
				stdin = path
			}
			out, kb := runForPeakRSS(t, tc.args, stdin, strings.HasSuffix(tc.name, "pipe"))
			t.Logf("%d bytes in, %d bytes of dump out, peak RSS %.1f MB", st.Size(), out.n, float64(kb)/1024)
			if kb > 64<<10 {
				t.Errorf("peak RSS %d kB, want under 64 MB", kb)
			}
			if out.n < 1000 || !bytes.Contains(out.last, []byte("\n")) {
				t.Errorf("%d bytes of output", out.n)
			}
		})
	}
}

// runForPeakRSS runs amfcall with args in a child process that reports
// its peak RSS, its standard input the file stdin (none if ""), given as
// a pipe rather than a file when pipe is set; it returns what was written
// to standard output and the peak in kB, and fails the test if the child
// fails or reports no peak.
func runForPeakRSS(t *testing.T, args []string, stdin string, pipe bool) (*countWriter, int) {
	t.Helper()
	cmd := childAmfcall(t, args...)
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
		if pipe {
			cmd.Stdin = struct{ io.Reader }{f} // not a file: exec passes a pipe
		}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out := &countWriter{}
	cmd.Stdout = out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.Bytes())
	}
	m := hwmLine.FindSubmatch(stderr.Bytes())
	if m == nil {
		t.Fatalf("no peak RSS in:\n%s", stderr.Bytes())
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return out, kb
}

// bigTest skips t, a test of a child's peak memory on big input (what it
// does, for the message), unless AMFCALL_BIG_TESTS is set, and where the
// peak cannot be read (/proc, Linux).
func bigTest(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("AMFCALL_BIG_TESTS") == "" {
		t.Skip("set AMFCALL_BIG_TESTS=1 to run (" + what + ")")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak RSS from /proc")
	}
}

// countWriter counts what is written and keeps the last piece.
type countWriter struct {
	n    int64
	last []byte
}

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.last = append(w.last[:0], p[max(0, len(p)-4096):]...)
	return len(p), nil
}

// TestDumpFLVFileAndPipe: an FLV file named (explained as it is read)
// and the same bytes from a pipe (text: explained as they come, of a
// size not known until the end; JSON: read whole) give the same dump,
// the same error and the same exit status, whole, cut short or broken,
// told it is FLV or not, showing long ranges in part or whole.
func TestDumpFLVFileAndPipe(t *testing.T) {
	good, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Clone(good)
	broken[0x81] = 0x7F // the marker of "framerate"'s value
	dir := t.TempDir()
	for name, data := range map[string][]byte{"whole": good, "cut": good[:len(good)-7], "broken": broken} {
		path := filepath.Join(dir, name+".flv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"--format", "text"}, {"--format", "json"}, {"--all"}} {
			fileOut, fileErr, fileCode := run(t, append([]string{"dump", path}, args...), "", nil, false)
			for _, from := range [][]string{{"--from", "flv"}, nil} {
				pipeOut, pipeErr, pipeCode := run(t, append(append([]string{"dump"}, from...), args...), string(data), nil, false)
				pipeErr = strings.ReplaceAll(pipeErr, "stdin", path)
				if fileOut != pipeOut || fileErr != pipeErr || fileCode != pipeCode {
					t.Errorf("%s %q %q: file gives %d %q (%d bytes of dump), pipe %d %q (%d bytes)", name, args, from,
						fileCode, fileErr, len(fileOut), pipeCode, pipeErr, len(pipeOut))
				}
			}
			if wantCode := map[string]int{"whole": 0, "cut": 4, "broken": 4}[name]; fileCode != wantCode {
				t.Errorf("%s %q: exit %d, want %d: %s", name, args, fileCode, wantCode, fileErr)
			}
		}
	}
}

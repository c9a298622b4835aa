package commands

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// bigDumpInputs are inputs over mapMin (so that dump copies them from a
// pipe to a temporary file) that dump quickly: a large ByteArray or
// string is one range. Each is given whole, cut short and broken.
func bigDumpInputs(t *testing.T) map[string][]byte {
	t.Helper()
	blob := bytes.Repeat([]byte("0123456789abcdef"), (mapMin+4096)/16)
	obj := &amf.Object{Members: []amf.Member{{Name: "bytes", Value: blob}, {Name: "name", Value: "blob"}}}
	vals, err := amf.Marshal([]any{obj, obj, "name", 1.5}, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	pkt, err := amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{
		{Target: "/1/onResult", Response: "null", Value: []any{string(blob), &amf.Object{Members: []amf.Member{{Name: "a", Value: 1.0}}}}},
		{Target: "/2/onResult", Response: "null", Value: amf.AVMPlus{Value: []any{obj, obj}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	sol, err := amf.MarshalSOL(&amf.SOL{Name: "big", Version: amf.AMF3, Members: []amf.Member{
		{Name: "a", Value: obj}, {Name: "b", Value: obj}, {Name: "c", Value: "name"}}})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string][]byte{}
	// (Names that say no version: a file called .amf3 is not given the
	// pipe's hint that AMF3 is the default.) The broken byte is the last
	// value's marker.
	for name, b := range map[string][]byte{"values.bin": vals, "packet.amf": pkt, "big.sol": sol} {
		if len(b) <= mapMin {
			t.Fatalf("%s: %d bytes, want over %d", name, len(b), mapMin)
		}
		in[name] = b
		in["cut-"+name] = b[:len(b)-5]
		broken := bytes.Clone(b)
		broken[len(b)-map[string]int{"values.bin": 9, "packet.amf": 2, "big.sol": 3}[name]] = 0x7F
		in["broken-"+name] = broken
	}
	return in
}

// TestDumpPipeSpooled: from a pipe, an input over mapMin is copied to a
// temporary file and dumped from there; the dump, the error and the exit
// status are those of the same bytes in a named file, text and JSON
// (whose "size" comes first), whole, cut short or broken, guessed or
// told what it is; and nothing is left in $TMPDIR.
func TestDumpPipeSpooled(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dir := t.TempDir()
	for name, data := range bigDumpInputs(t) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		from := "packet"
		switch {
		case strings.HasSuffix(name, ".bin"):
			from = "amf3"
		case strings.HasSuffix(name, ".sol"):
			from = "sol"
		}
		for _, args := range [][]string{{"--format", "text"}, {"--format", "json"}, {"--from", from, "--format", "json"}, {"--all"}} {
			fileOut, fileErr, fileCode := run(t, append([]string{"dump", path}, args...), "", nil, false)
			pipeOut, pipeErr, pipeCode := run(t, append([]string{"dump"}, args...), string(data), nil, false)
			pipeErr = strings.ReplaceAll(pipeErr, "stdin", path)
			if fileOut != pipeOut || fileErr != pipeErr || fileCode != pipeCode {
				t.Errorf("%s %q: file gives %d %q (%d bytes of dump), pipe %d %q (%d bytes)", name, args,
					fileCode, fileErr, len(fileOut), pipeCode, pipeErr, len(pipeOut))
			}
			want := 0
			if strings.HasPrefix(name, "cut-") || strings.HasPrefix(name, "broken-") {
				want = 4
			}
			if fileCode != want {
				t.Errorf("%s %q: exit %d, want %d: %s", name, args, fileCode, want, fileErr)
			}
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in $TMPDIR: %v", left)
	}
}

// TestDumpPipeNoSpool: where no temporary file can be made ($TMPDIR is
// missing) or written (a read-only file), the pipe is read into memory
// and dumped the same.
func TestDumpPipeNoSpool(t *testing.T) {
	in := bigDumpInputs(t)
	data := in["packet.amf"]
	wantOut, wantErr, wantCode := run(t, []string{"dump", "--format", "json"}, string(data), nil, false)
	if wantCode != 0 || wantErr != "" {
		t.Fatalf("exit %d: %s", wantCode, wantErr)
	}
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	// Pages given back every millisecond: the input read into memory
	// was given back too (MADV_DONTNEED zeroes such pages), and the dump
	// read zeros: "unexpected EOF" or "trailing data" at some offset, 3
	// runs in 100 at the usual 50 ms.
	defer func(d time.Duration) { dumpReleaseEvery = d }(dumpReleaseEvery)
	dumpReleaseEvery = time.Millisecond
	out, errs, code := run(t, []string{"dump", "--format", "json"}, string(data), nil, false)
	if out != wantOut || errs != wantErr || code != wantCode {
		t.Errorf("no $TMPDIR: exit %d %q, %d bytes of dump, want the same as spooled", code, errs, len(out))
	}
	// A file that takes no writes: what it did not take is read from
	// the pipe's bytes held.
	ro, err := os.Open(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	got, mapped, err := spoolTo(ro, data[:mapMin], bytes.NewReader(data[mapMin:]))
	if err != nil || !bytes.Equal(got, data) || mapped {
		t.Errorf("read-only spool: %v, %d bytes (mapped %v), want the %d of the input, in memory", err, len(got), mapped, len(data))
	}
}

// TestDumpPipeHostile: a length of 4 GB at the start of a pipe of 10
// bytes, or of 2 MiB (copied to a temporary file first), fails at once,
// naming its offset, as from a file.
func TestDumpPipeHostile(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{5, 2 << 20} {
		data := append([]byte{0x0c, 0xff, 0xff, 0xff, 0xff}, make([]byte, n)...)
		path := filepath.Join(dir, "hostile.amf0")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, args := range [][]string{{"--from", "amf0"}, {"--from", "amf0", "--format", "json"}} {
			out, errs, code := run(t, append([]string{"dump"}, args...), string(data), nil, false)
			fileOut, fileErr, fileCode := run(t, append([]string{"dump", path}, args...), "", nil, false)
			if code != 4 || !strings.Contains(errs, "length 4294967295 exceeds the limit of 268435455 bytes at offset 1") {
				t.Errorf("%d bytes %q: exit %d %q", len(data), args, code, errs)
			}
			if out != fileOut || strings.ReplaceAll(errs, "stdin", path) != fileErr || code != fileCode {
				t.Errorf("%d bytes %q: pipe and file differ: %q against %q", len(data), args, errs, fileErr)
			}
		}
	}
}

// TestMaxOutputFileAndPipe: convert --max-output stops at the same
// place, with the same message and exit status, whether the input is
// named or piped, plain or typed, frames or bare values.
func TestMaxOutputFileAndPipe(t *testing.T) {
	for _, path := range []string{"../testdata/socket/bytearray-node-server.frames", "../testdata/socket/amfcall-client.frames"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		full, _, code := run(t, []string{"convert", path}, "", nil, false)
		if code != 0 {
			t.Fatalf("%s: exit %d", path, code)
		}
		for _, typed := range [][]string{nil, {"--typed"}} {
			for limit := 1; limit <= len(full)+1; limit += 1 + limit/8 {
				args := append([]string{"convert", "--max-output", strconv.Itoa(limit)}, typed...)
				fo, fe, fc := run(t, append(args, path), "", nil, false)
				po, pe, pc := run(t, args, string(data), nil, false)
				pe = strings.ReplaceAll(pe, "stdin", path)
				if fo != po || fe != pe || fc != pc {
					t.Errorf("%s %q limit %d: file %d %q, pipe %d %q", path, typed, limit, fc, fe, pc, pe)
				}
				if fc != 0 && fc != 4 {
					t.Errorf("%s %q limit %d: exit %d: %s", path, typed, limit, fc, fe)
				}
			}
		}
	}
}

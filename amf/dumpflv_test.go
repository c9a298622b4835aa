package amf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// dumpFLVBothWays dumps data as an FLV file held whole and read as a
// stream (in small pieces), as text (both lengths) and JSON, and fails
// where the two differ in output or error.
func dumpFLVBothWays(t *testing.T, data []byte) {
	t.Helper()
	m := defaultDecMode
	same := func(what string, held, streamed []byte, errH, errS error) {
		t.Helper()
		if fmt.Sprint(errH) != fmt.Sprint(errS) {
			t.Fatalf("%s: error held %v, streamed %v", what, errH, errS)
		}
		if !bytes.Equal(held, streamed) {
			t.Fatalf("%s differs:\nheld:\n%s\nstreamed:\n%s", what, held, streamed)
		}
	}
	for _, all := range []bool{false, true} {
		var h, s bytes.Buffer
		errH := m.WriteDumpText(&h, data, DumpFLV, nil, all)
		errS := m.WriteFLVDumpText(&s, iotest.HalfReader(bytes.NewReader(data)), int64(len(data)), nil, all)
		same(fmt.Sprintf("text (all %v)", all), h.Bytes(), s.Bytes(), errH, errS)
		// A pipe: the size is not known, the text is the same.
		var u bytes.Buffer
		errU := m.WriteFLVDumpText(&u, iotest.HalfReader(bytes.NewReader(data)), -1, nil, all)
		same(fmt.Sprintf("text of unknown size (all %v)", all), h.Bytes(), u.Bytes(), errH, errU)
	}
	for _, lines := range []bool{false, true} {
		var h, s bytes.Buffer
		errH := m.WriteDumpJSON(&h, data, DumpFLV, lines)
		errS := m.WriteFLVDumpJSON(&s, iotest.HalfReader(bytes.NewReader(data)), int64(len(data)), lines)
		same(fmt.Sprintf("JSON (lines %v)", lines), h.Bytes(), s.Bytes(), errH, errS)
	}
}

// TestDumpFLVStream: the streamed dump of an FLV file is the dump of
// the file held whole, for real files, files cut anywhere, and faults
// in the header, a tag and a script value (with bytes left unread).
func TestDumpFLVStream(t *testing.T) {
	var inputs [][]byte
	for _, name := range []string{"ffmpeg-lavf58-head.flv", "go2rtc-amf0-payloads.flv"} {
		b, err := os.ReadFile(filepath.Join("../testdata/flv", name))
		if err != nil {
			t.Fatal(err)
		}
		for cut := 0; cut <= len(b); cut++ {
			if sampled(cut, len(b)+1) {
				inputs = append(inputs, b[:cut])
			}
		}
		// A value that does not decode, then a long rest.
		bad := bytes.Clone(b)
		bad[len(b)/2] = 0x7F
		inputs = append(inputs, append(bad, bytes.Repeat([]byte{0xAB}, 200<<10)...))
	}
	inputs = append(inputs,
		mustHex(`"FLV" 01 05 00 00 00 0C 01 02 03  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09  00 00 00 20`),
		mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 0B 00 00 00 00 00 00 00  02 00 01 "a" 03 00 00 09 07 00 00  00 00 00 16`),
		mustHex(`"FLV" 01 05 00 00 00 04 00 00`),
		mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  08 00 01 00 00 00 00 00 00 00 00`),
		mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 03 00 00 00 00 00 00 00  05 05 05  00 00 00 0E`),
		append(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  09 00 40 00 00 00 00 00 00 00 00`), make([]byte, 0x4000)...),
	)
	for i, data := range inputs {
		t.Run(fmt.Sprint(i), func(t *testing.T) { dumpFLVBothWays(t, data) })
	}
}

// FuzzDumpFLVStream: whatever the bytes, the streamed FLV dump is the
// dump of the bytes held whole (which FuzzDump checks covers the input).
func FuzzDumpFLVStream(f *testing.F) {
	for _, name := range []string{"ffmpeg-lavf58-head.flv", "go2rtc-amf0-payloads.flv"} {
		if b, err := os.ReadFile(filepath.Join("../testdata/flv", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09  00 00 00 20`))
	f.Add(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 0B 00 00 00 00 00 00 00  02 00 01 "a" 03 00 00 09 07 00 00  00 00 00 16`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		dumpFLVBothWays(t, data)
	})
}

// TestDumpFLVPipeFaultFlat: after a fault in an FLV read from a pipe
// (size unknown), the bytes not read are counted without being held:
// 64 MiB of them allocate well under 64 MiB, and the text says how many
// there were and shows the first 32.
func TestDumpFLVPipeFaultFlat(t *testing.T) {
	head := mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 03 00 00 00 00 00 00 00  05 05 05  00 00 00 0E`)
	const rest = 64 << 20
	src := io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, rest))
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := defaultDecMode.WriteFLVDumpText(&out, src, -1, nil, false)
	runtime.ReadMemStats(&after)
	if err == nil || !isFault(err) {
		t.Fatalf("error %v, want the script tag's fault", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("allocated %d bytes for %d unread ones", got, rest)
	}
	// The fault is at the script value (offset 0x19): 6 bytes of the
	// file, then the long rest, are not read.
	unread := len(head) - 0x19 + rest
	want := fmt.Sprintf("00000019  05 05 00 00 00 0e 00 00  %d bytes not read", unread)
	if !strings.Contains(out.String(), want) {
		t.Errorf("dump does not say %q:\n%s", want, out.String())
	}
	if !strings.Contains(out.String(), "00000039  ... "+fmt.Sprint(unread-32)+" more bytes\n") {
		t.Errorf("dump does not show the first 32 unread bytes:\n%s", out.String())
	}
}

// TestDumpFLVPipeFaultAllBounded: with every byte shown (--all), the
// unread end of a pipe is held to be shown, up to maxDumpTail: past it
// the dump shows what it holds and says the rest was not read.
func TestDumpFLVPipeFaultAllBounded(t *testing.T) {
	defer func(n int64) { maxDumpTail = n }(maxDumpTail)
	maxDumpTail = 2 << 20
	head := mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 03 00 00 00 00 00 00 00  05 05 05  00 00 00 0E`)
	src := io.MultiReader(bytes.NewReader(head), io.LimitReader(zeros{}, 64<<20))
	var out bytes.Buffer
	err := defaultDecMode.WriteFLVDumpText(&out, src, -1, nil, true)
	if err == nil || !isFault(err) {
		t.Fatalf("error %v, want the script tag's fault", err)
	}
	// What the FLV reader had read past the fault, then 2 MiB.
	m := regexp.MustCompile(`(?m)^00000019  05 05 00 00 00 0e 00 00  (\d+) bytes not read\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no unread range at the fault:\n%s", out.Bytes()[:min(out.Len(), 2000)])
	}
	held, _ := strconv.Atoi(m[1])
	if held < 2<<20 || held > 2<<20+len(head) {
		t.Errorf("%d bytes shown, want 2 MiB and the few read past the fault", held)
	}
	// Every byte held is shown, then the note.
	if n := strings.Count(out.String(), "\n"); n != 8+1+(held+7)/8+1 {
		t.Errorf("%d lines, want the 9 up to the fault, %d of hex and the note", n, (held+7)/8)
	}
	want := fmt.Sprintf("%08x                           error: the input goes on past the %d bytes shown; the rest was not read\n", 0x19+held, held)
	if !strings.HasSuffix(out.String(), want) {
		t.Errorf("dump does not end with %q; it ends:\n%s", want, out.Bytes()[max(0, out.Len()-400):])
	}
}

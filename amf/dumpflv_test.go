package amf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
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
			inputs = append(inputs, b[:cut])
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

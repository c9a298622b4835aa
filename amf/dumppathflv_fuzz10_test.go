package amf_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// FuzzDumpFLVPaths: for any bytes read as an FLV file, the JSON dump is
// valid JSON whose ranges cover the input in order, the dump read as
// the file streams is the same, every path is a
// JSON pointer under /flv/, and when convert writes JSON of the same
// file, each path not cut at amf.MaxPath names a value of it, as a
// user following a path from the dump into convert's output would
// (names that are not UTF-8 decoded as convert decodes them, its
// default charset given to the dump as amfcall dump gives its
// --charset: testdata/fuzz/FuzzDumpFLVPaths/69d1a3c3236a9c74 is one).
func FuzzDumpFLVPaths(f *testing.F) {
	for _, name := range []string{"ffmpeg-lavf58-head.flv", "go2rtc-amf0-payloads.flv"} {
		if b, err := os.ReadFile("../testdata/flv/" + name); err == nil && len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add(flvFile(
		mustHexT(f, `12 02000a "onMetaData" 08 00000002 0001 "a" 00 3ff0000000000000 0001 "b" 0a 00000001 02 0001 "x" 000009`),
		mustHexT(f, `08 af 01 02`),
		mustHexT(f, `12 02000a "onCuePoint" 00 4014000000000000 03 0001 "t" 0101 000009 000009`),
		mustHexT(f, `12 020003 "onX" 03 0001 "y" 05`),
	))
	f.Add(flvFile(mustHexT(f, `12 020001 "a" 11 0a 0b 01 03 61 06 03 62 01`)))
	m, err := amf.DecOptions{}.DecMode()
	if err != nil {
		f.Fatal(err)
	}
	dec, err := convert.NameDecoder("")
	if err != nil {
		f.Fatal(err)
	}
	names := amf.DumpNames(dec)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		var held bytes.Buffer
		errH := amf.WriteDumpJSON(&held, data, amf.DumpFLV, false, names)
		// The JSON dump of a stream needs its size (it comes first).
		var s bytes.Buffer
		errS := m.WriteFLVDumpJSON(&s, iotest.HalfReader(bytes.NewReader(data)), int64(len(data)), false, names)
		if (errH == nil) != (errS == nil) || !bytes.Equal(held.Bytes(), s.Bytes()) {
			t.Fatalf("held (%v) and streamed (%v) differ:\n%s\n%s", errH, errS, held.Bytes(), s.Bytes())
		}
		var doc struct {
			Size   int64
			Ranges []pathRange
		}
		if err := json.Unmarshal(held.Bytes(), &doc); err != nil {
			t.Fatalf("invalid JSON (%v):\n%s", err, held.Bytes())
		}
		pos := int64(0)
		var paths []string
		for _, r := range doc.Ranges {
			if r.Offset != pos || r.Length < 0 {
				t.Fatalf("range %+v, want it at %d", r, pos)
			}
			pos += r.Length
			if r.Path == nil {
				continue
			}
			if !strings.HasPrefix(*r.Path, "/flv/") {
				t.Fatalf("range at %d: path %q is not under /flv/", r.Offset, *r.Path)
			}
			paths = append(paths, *r.Path)
		}
		if pos != int64(len(data)) {
			t.Fatalf("ranges cover %d bytes of %d", pos, len(data))
		}
		if errH != nil || len(paths) == 0 {
			return
		}
		var out bytes.Buffer
		if _, err := convert.WriteFLVJSON(&out, bytes.NewReader(data), "f.flv", &convert.Options{}); err != nil {
			return
		}
		var whole any
		if err := json.Unmarshal(out.Bytes(), &whole); err != nil {
			t.Fatalf("convert's JSON does not read back (%v):\n%s", err, out.Bytes())
		}
		for _, p := range paths {
			if len(p) >= amf.MaxPath || strings.HasSuffix(p, "...") {
				continue
			}
			if !pointerIn(whole, p) {
				t.Fatalf("path %s is not in convert's JSON:\n%.2000s", p, out.Bytes())
			}
		}
	})
}

package amf_test

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// u29 encodes n as an AMF3 U29.
func u29(n int) []byte {
	switch {
	case n < 0x80:
		return []byte{byte(n)}
	case n < 0x4000:
		return []byte{byte(n>>7) | 0x80, byte(n & 0x7f)}
	case n < 0x200000:
		return []byte{byte(n>>14) | 0x80, byte(n>>7)&0x7f | 0x80, byte(n & 0x7f)}
	}
	return []byte{byte(n>>22) | 0x80, byte(n>>15)&0x7f | 0x80, byte(n>>8)&0x7f | 0x80, byte(n)}
}

// nestedNameBomb is depth dynamic objects, each the only member of the
// one before, all under the member name name: sent once, then named by a
// 1-byte string reference at each level.
func nestedNameBomb(name string, depth int) []byte {
	b := []byte{0x0a, 0x0b, 0x01}
	b = append(b, u29(len(name)<<1|1)...)
	b = append(b, name...)
	for range depth - 1 {
		b = append(b, 0x0a, 0x01, 0x00) // traits ref 0, name ref 0
	}
	b = append(b, 0x01) // null
	return append(b, bytes.Repeat([]byte{0x01}, depth)...)
}

// TestDumpJSONPathCut: a member name sent once and named again by
// reference at every level made each range's path hold it once per
// level. A 66 KB input of 100 levels wrote 986 MB of JSON and held
// 648 MB; 1 MB ran out of memory. Paths are now cut at MaxPath bytes
// (at a character boundary, ending in "..."), and the paths under a cut
// one are that path.
func TestDumpJSONPathCut(t *testing.T) {
	name := strings.Repeat("é", 32<<10) // 64 KiB, 2-byte characters
	data := nestedNameBomb(name, 100)
	var buf bytes.Buffer
	if err := amf.WriteDumpJSON(&buf, data, amf.DumpAMF3, false); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 2<<20 {
		t.Errorf("the JSON dump of %d bytes is %d bytes", len(data), buf.Len())
	}
	rs := dumpPaths(t, data, amf.DumpAMF3)
	cut := 0
	for _, r := range rs {
		if r.Path == nil {
			continue
		}
		p := *r.Path
		if len(p) > amf.MaxPath+len("...") || !utf8.ValidString(p) {
			t.Fatalf("offset %d: a path of %d bytes (valid UTF-8: %v)", r.Offset, len(p), utf8.ValidString(p))
		}
		if strings.HasSuffix(p, "...") {
			cut++
			if !strings.HasPrefix(p, "/"+name[:100]) {
				t.Errorf("offset %d: the cut path %.40q does not start with the name", r.Offset, p)
			}
		}
	}
	if cut < 100 {
		t.Errorf("%d cut paths, want one for each level's ranges", cut)
	}
	// Short names are not cut.
	short := nestedNameBomb("ab", 3)
	var got []string
	for _, r := range dumpPaths(t, short, amf.DumpAMF3) {
		if r.Path != nil {
			got = append(got, *r.Path)
		}
	}
	if want := "/ab/ab/ab"; !strings.Contains(strings.Join(got, " "), want) || strings.Contains(strings.Join(got, " "), "...") {
		t.Errorf("paths of a short name: %q, want %q among them, none cut", got, want)
	}
}

// TestDumpLongStringRefs: the dump shows the first 60 bytes of a string
// at each reference to it, but decoded the whole string each time: a
// 1.5 MB input of 500,000 references to one 512 KiB string did not end
// in 120 s. Now only the head shown is decoded. Checked by the bytes
// allocated (2,000 references to a 64 KiB string allocated 131 MB).
func TestDumpLongStringRefs(t *testing.T) {
	name := strings.Repeat("x", 64<<10)
	const refs = 2000
	data := []byte{0x09}
	data = append(data, u29((refs+1)<<1|1)...)
	data = append(data, 0x01, 0x06)
	data = append(data, u29(len(name)<<1|1)...)
	data = append(data, name...)
	for range refs {
		data = append(data, 0x06, 0x00)
	}
	for _, format := range []string{"text", "json"} {
		var out countWriter
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var err error
		if format == "text" {
			err = amf.WriteDumpText(&out, data, amf.DumpAMF3, nil, false)
		} else {
			err = amf.WriteDumpJSON(&out, data, amf.DumpAMF3, false)
		}
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
			t.Errorf("%s: allocated %d bytes for %d references to a %d-byte string", format, got, refs, len(name))
		}
		if out.n < refs*60 {
			t.Errorf("%s: %d bytes of dump", format, out.n)
		}
	}
	// The head shown is the string's first 60 bytes, as before.
	var buf bytes.Buffer
	amf.WriteDumpText(&buf, data, amf.DumpAMF3, nil, false)
	if want := `string "` + name[:60] + `..." (U29 00: reference → strings[0])`; !strings.Contains(buf.String(), want) {
		t.Errorf("the dump does not show %q", want)
	}
}

type countWriter struct{ n int }

func (w *countWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

// TestErrorPathCut: a decoding error names the path of the value it is
// in, and that path held the member name once per level: 500 levels
// under one 1 MiB name made a 500 MB Path, and convert and dump of the
// 1 MB file ran out of memory (4 GB of address space). The Path is now
// cut at MaxPath bytes, the same by every entry point.
func TestErrorPathCut(t *testing.T) {
	name := strings.Repeat("n", 8<<10)
	b := nestedNameBomb(name, 200)
	data := append(b[:len(b)-201], 0x04) // an integer with no bytes, 200 levels down
	want := "/" + name[:amf.MaxPath-1] + "..."
	check := func(what string, err error) {
		t.Helper()
		var se *amf.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%s: %v, want a *SyntaxError", what, err)
		}
		if se.Path != want {
			t.Errorf("%s: Path of %d bytes (%.20q...), want %d bytes", what, len(se.Path), se.Path, len(want))
		}
		if se.Offset != int64(len(data)) {
			t.Errorf("%s: offset %d, want %d", what, se.Offset, len(data))
		}
	}
	var v any
	check("Unmarshal", amf.Unmarshal(data, amf.AMF3, &v))
	r := amf.NewReader(data, amf.AMF3)
	var err error
	for err == nil {
		_, err = r.ReadToken()
	}
	check("Reader", err)
	check("Dump", amf.WriteDumpText(io.Discard, data, amf.DumpAMF3, nil, false))
}

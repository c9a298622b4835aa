package amf_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// flvFile builds an FLV file of the given tags (type, data), each with
// its previous tag size.
func flvFile(tags ...[]byte) []byte {
	b := []byte("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00")
	for _, t := range tags {
		typ, data := t[0], t[1:]
		n := len(data)
		b = append(b, typ, byte(n>>16), byte(n>>8), byte(n), 0, 0, 0, 0, 0, 0, 0)
		b = append(b, data...)
		b = binary.BigEndian.AppendUint32(b, uint32(11+n))
	}
	return b
}

// flvPaths is the JSON dump of an FLV file, held whole and read as a
// stream (which must agree), as "offset path" per range ("-": none).
func flvPaths(t *testing.T, data []byte) []string {
	t.Helper()
	var held, streamed bytes.Buffer
	errH := amf.WriteDumpJSON(&held, data, amf.DumpFLV, false)
	m, err := amf.DecOptions{}.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	errS := m.WriteFLVDumpJSON(&streamed, iotest.HalfReader(bytes.NewReader(data)), int64(len(data)), false)
	if errH != nil || errS != nil {
		t.Fatalf("held: %v, streamed: %v", errH, errS)
	}
	if !bytes.Equal(held.Bytes(), streamed.Bytes()) {
		t.Fatalf("held and streamed differ:\n%s\n%s", held.Bytes(), streamed.Bytes())
	}
	js, err := json.Marshal(amf.NewDump(data, amf.DumpFLV))
	if err != nil || !bytes.Equal(append(js, '\n'), held.Bytes()) {
		t.Errorf("MarshalJSON differs from WriteDumpJSON (%v):\n%s\n%s", err, js, held.Bytes())
	}
	var doc struct{ Ranges []pathRange }
	if err := json.Unmarshal(held.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range doc.Ranges {
		p := "-"
		if r.Path != nil {
			p = *r.Path
		}
		got = append(got, strconv.FormatInt(r.Offset, 10)+" "+p)
	}
	return got
}

// pointerIn reports whether the JSON pointer p names a value of doc.
func pointerIn(doc any, p string) bool {
	if p == "" {
		return true
	}
	for _, seg := range strings.Split(p[1:], "/") {
		seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
		switch v := doc.(type) {
		case map[string]any:
			x, ok := v[seg]
			if !ok {
				return false
			}
			doc = x
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v) {
				return false
			}
			doc = v[i]
		default:
			return false
		}
	}
	return true
}

// TestDumpJSONPathsOfFLV: the JSON dump gave no range of an FLV file a
// "path". The values of script tags now have the pointer that convert's
// JSON of the file has for them: "/flv/K/name", "/flv/K/value/...",
// "/flv/K/extra/N/...", K counting script tags only (an audio tag
// between two does not count); the file's and tags' headers, audio
// data and the 00 00 09 some writers add have none, and a value whose
// end marker the tag's data leaves out has its paths to the end.
func TestDumpJSONPathsOfFLV(t *testing.T) {
	data := flvFile(
		// onMetaData, ECMA array {a: 1, b: strict array ["x"]}
		mustHexT(t, `12 02000a "onMetaData" 08 00000002 0001 "a" 00 3ff0000000000000 0001 "b" 0a 00000001 02 0001 "x" 000009`),
		mustHexT(t, `08 af 01 02`), // audio
		// onCuePoint, 5, {t: true}, then 00 00 09
		mustHexT(t, `12 02000a "onCuePoint" 00 4014000000000000 03 0001 "t" 0101 000009 000009`),
		// onX, {y: null} without its end marker
		mustHexT(t, `12 020003 "onX" 03 0001 "y" 05`),
	)
	got := flvPaths(t, data)
	want := []string{
		"0 -", "3 -", "4 -", "5 -", "9 -",
		"13 -", // tag 0's header
		"24 /flv/0/name", "37 /flv/0/value",
		"42 /flv/0/value/a", "45 /flv/0/value/a",
		"54 /flv/0/value/b", "57 /flv/0/value/b", "62 /flv/0/value/b/0",
		"66 /flv/0/value",
		"69 -", "73 -", "84 -", // tag 1 (audio): size, header, data
		"87 -", "91 -", // tag 2
		"102 /flv/1/name", "115 /flv/1/value", "124 /flv/1/extra/0",
		"125 /flv/1/extra/0/t", "128 /flv/1/extra/0/t", "130 /flv/1/extra/0",
		"133 -", // the 00 00 09 after the values
		"136 -", "140 -",
		"151 /flv/2/name", "157 /flv/2/value", "158 /flv/2/value/y", "161 /flv/2/value/y",
		"162 /flv/2/value", // the note on the missing end marker
		"162 -",            // the last previous tag size
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Each path names a value of convert's JSON of the file.
	var out bytes.Buffer
	if _, err := convert.WriteFLVJSON(&out, bytes.NewReader(data), "t.flv", &convert.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, g := range got {
		p := g[strings.IndexByte(g, ' ')+1:]
		if p != "-" && !pointerIn(doc, p) {
			t.Errorf("%s: not in convert's JSON %s", g, out.Bytes())
		}
	}
}

// TestDumpJSONPathsOfFLVFiles: in the FLV files of testdata, every
// range of a script tag's value has a path that names a value of
// convert's JSON of the file, and the first and last are the tags'.
func TestDumpJSONPathsOfFLVFiles(t *testing.T) {
	for _, name := range []string{"ffmpeg-lavf58-head.flv", "go2rtc-amf0-payloads.flv"} {
		data, err := os.ReadFile("../testdata/flv/" + name)
		if err != nil {
			t.Fatal(err)
		}
		got := flvPaths(t, data)
		var out bytes.Buffer
		if _, err := convert.WriteFLVJSON(&out, bytes.NewReader(data), name, &convert.Options{}); err != nil {
			t.Fatal(err)
		}
		var doc struct{ FLV []any }
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var whole any
		json.Unmarshal(out.Bytes(), &whole)
		named := 0
		for _, g := range got {
			p := g[strings.IndexByte(g, ' ')+1:]
			if p == "-" {
				continue
			}
			named++
			if !pointerIn(whole, p) {
				t.Errorf("%s: %s not in convert's JSON", name, g)
			}
		}
		if named < 10 || !strings.Contains(strings.Join(got, "\n"), " /flv/"+strconv.Itoa(len(doc.FLV)-1)+"/name") {
			t.Errorf("%s: %d ranges with paths, the last tag's name not among them:\n%s", name, named, strings.Join(got, "\n"))
		}
	}
}

// mustHexT reads hex digits and "quoted text" (for tests and fuzz seeds).
func mustHexT(t testing.TB, s string) []byte {
	t.Helper()
	var out []byte
	// Hex digits and "quoted text", spaces between.
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == ' ':
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			out = append(out, s[i+1:i+1+j]...)
			i += j + 2
		default:
			v, err := strconv.ParseUint(s[i:i+2], 16, 8)
			if err != nil {
				t.Fatalf("mustHexT(%q): %v", s, err)
			}
			out = append(out, byte(v))
			i += 2
		}
	}
	return out
}

// BenchmarkDumpFLVJSONSmallTags: the streamed JSON dump of an FLV file
// of 20,000 small script tags, paths included (walked a tag at a time).
func BenchmarkDumpFLVJSONSmallTags(b *testing.B) {
	tag := []byte("\x12\x02\x00\x03onX\x00\x3f\xf0\x00\x00\x00\x00\x00\x00")
	tags := make([][]byte, 20000)
	for i := range tags {
		tags[i] = tag
	}
	data := flvFile(tags...)
	m, err := amf.DecOptions{}.DecMode()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := m.WriteFLVDumpJSON(io.Discard, bytes.NewReader(data), int64(len(data)), false); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDumpJSONPathsOfFLVBigTag: a script tag over the size whose marks
// the streamed dump holds is walked as the ranges ask, with the same
// paths as the file held whole (flvPaths checks both).
func TestDumpJSONPathsOfFLVBigTag(t *testing.T) {
	tag := append([]byte{0x12}, mustHexT(t, `02000a "onMetaData" 03 0004 "keys" 0a 00000bb8`)...)
	for range 3000 {
		tag = append(tag, 0, 0x40, 0x45, 0, 0, 0, 0, 0, 0)
	}
	tag = append(tag, 0, 0, 9)
	small := mustHexT(t, `12 020003 "onX" 05`)
	got := flvPaths(t, flvFile(small, tag, small))
	if len(tag) <= 4<<10 {
		t.Fatalf("the tag is %d bytes", len(tag))
	}
	text := strings.Join(got, "\n")
	for _, want := range []string{"\n24 /flv/0/name\n", "\n30 /flv/0/value\n", "\n46 /flv/1/name\n", "\n59 /flv/1/value\n",
		"\n60 /flv/1/value/keys\n", "\n66 /flv/1/value/keys\n", "\n71 /flv/1/value/keys/0\n", "\n27062 /flv/1/value/keys/2999\n",
		"\n27071 /flv/1/value\n", "\n27074 -\n", "\n27078 -\n", "\n27089 /flv/2/name\n", "\n27095 /flv/2/value\n"} {
		if !strings.Contains(text+"\n", want) {
			t.Errorf("no %q in\n...%s", strings.TrimSpace(want), text[max(0, len(text)-300):])
		}
	}
}

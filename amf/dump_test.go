package amf

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateDump = flag.Bool("update", false, "rewrite the golden dumps in testdata/dump")

// checkCover fails unless the dump's ranges cover data exactly, in order,
// with no gap, no overlap and nothing left unexplained, and unless a
// fault is reported exactly when Err is set.
func checkCover(t *testing.T, name string, data []byte, dm *Dump) {
	t.Helper()
	var pos int64
	faults := 0
	for i, r := range dm.Ranges {
		if r.Offset != pos {
			t.Fatalf("%s: range %d (%q) starts at %d, want %d (gap or overlap)", name, i, r.Text, r.Offset, pos)
		}
		if r.Length < 0 {
			t.Fatalf("%s: range %d has length %d", name, i, r.Length)
		}
		if r.Text == "unexplained bytes" || r.Text == "" {
			t.Fatalf("%s: range %d at %d (%d bytes) is not explained", name, i, r.Offset, r.Length)
		}
		if r.Class == "fault" && r.Length == 0 {
			faults++
		}
		pos += r.Length
	}
	if pos != int64(len(data)) {
		t.Fatalf("%s: ranges cover %d bytes of %d", name, pos, len(data))
	}
	if (dm.Err != nil) != (faults == 1) {
		t.Fatalf("%s: Err = %v but %d fault ranges", name, dm.Err, faults)
	}
}

// TestDumpCoversCorpus dumps every AMF file under testdata (the PyAMF
// captures and vectors, copies of /work/shared's, and whatever else is
// there: .amf packets, .amf0 and .amf3 values, .sol and .flv files, AMF
// Socket .frames captures). The
// ranges must cover each input exactly, and the dump must fail exactly
// where the decoder does. Every prefix of the smaller files must be
// covered too; a prefix of a packet must end in a fault.
func TestDumpCoversCorpus(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../testdata", func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		var in DumpInput
		var decode func([]byte) error
		switch filepath.Ext(path) {
		case ".amf":
			in, decode = DumpPacket, func(b []byte) error { _, err := UnmarshalPacket(b); return err }
		case ".amf0":
			in, decode = DumpAMF0, func(b []byte) error { _, err := UnmarshalAll(b, AMF0); return err }
		case ".amf3":
			in, decode = DumpAMF3, func(b []byte) error { _, err := UnmarshalAll(b, AMF3); return err }
		case ".sol":
			in, decode = DumpSOL, func(b []byte) error { _, err := UnmarshalSOL(b); return err }
		case ".flv":
			in = DumpFLV
		case ".frames":
			in, decode = DumpFrames, func(b []byte) error {
				fr := NewFrameReader(bytes.NewReader(b))
				for {
					var v any
					if err := fr.Decode(&v); err != nil {
						if err == io.EOF {
							return nil
						}
						return err
					}
				}
			}
		default:
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		dm := NewDump(data, in)
		checkCover(t, path, data, dm)
		if decode != nil {
			if derr := decode(data); (derr == nil) != (dm.Err == nil) {
				t.Errorf("%s: dump error %v, decoder error %v", path, dm.Err, derr)
			}
		}
		if len(data) > 1000 {
			return nil
		}
		for k := 0; k < len(data); k++ {
			dm := NewDump(data[:k], in)
			checkCover(t, path+" prefix", data[:k], dm)
			if in == DumpPacket && dm.Err == nil {
				t.Errorf("%s: the first %d bytes dump without a fault", path, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 250 {
		t.Fatalf("only %d files dumped", n)
	}
	t.Logf("%d files dumped", n)
}

// dumpCase is bytes dumped as in, the lines the text form must contain
// and the error the dump ends with ("" for none).
type dumpCase struct {
	name    string
	in      DumpInput
	hex     string
	want    []string
	wantErr string
}

func runDumpCases(t *testing.T, cases []dumpCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			dm := NewDump(data, tc.in)
			checkCover(t, tc.name, data, dm)
			var b bytes.Buffer
			if err := dm.WriteText(&b, nil, false); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("dump lacks %q:\n%s", w, b.String())
				}
			}
			got := ""
			if dm.Err != nil {
				got = dm.Err.Error()
			}
			if got != tc.wantErr {
				t.Errorf("Err = %q, want %q\n%s", got, tc.wantErr, b.String())
			}
		})
	}
}

func TestDumpSOLAndFLV(t *testing.T) {
	cases := []dumpCase{
		{"sol amf3 string reference", DumpSOL, `00 BF 00 00 00 1C 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 03 03 "a" 06 03 "x" 00 03 "b" 06 02 00`,
			[]string{`member "a" (U29 03: inline, 1 byte → strings[0])`, `string "x" (U29 03: inline, 1 byte → strings[1])`,
				`string "x" (U29 02: reference → strings[1])`, "end of member (00)"}, ""},
		{"sol amf0: reference 0 is the data object", DumpSOL,
			`00 BF 00 00 00 36 "TCSO" 00 04 00 00 00 00 00 07 "selfref" 00 00 00 00
			00 03 "foo" 03 00 01 "n" 00 3F F0 00 00 00 00 00 00 00 04 "self" 07 00 01 00 00 09 00`,
			[]string{"values are AMF0; reference 0 is the shared object's data object",
				"00000022  03                         object → refs[1]\n",
				"reference → refs[1] (the object at 0x22)"}, ""},
		{"sol bad length", DumpSOL, `00 BF 00 00 00 99 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 00`,
			[]string{"length 153, but 17 bytes follow it", "values are AMF0"},
			"amf: the .sol header gives a length of 153 bytes but 17 follow it at offset 2"},
		{"flv script tag", DumpFLV, `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09  00 00 00 20`,
			[]string{`signature "FLV"`, "flags: audio, video", "tag 0: script data, 21 bytes, timestamp 0 ms",
				`handler name: string "onMetaData" (u16 length 10)`, "ecma array, u32 count 0 (the members decide)", "object end (empty name 00 00, marker 09)", "previous tag size 32"}, ""},
		{"flv audio tag, then script data with two values", DumpFLV, `"FLV" 01 04 00 00 00 09  00 00 00 00
			08 00 00 03 00 00 10 00 00 00 00  AF 01 02  00 00 00 0E
			12 00 00 0F 00 00 20 01 00 00 00  02 00 03 "cue" 00 40 00 00 00 00 00 00 00  00 00 00 1A`,
			[]string{"flags: audio", "tag 0: audio, 3 bytes, timestamp 16 ms", "audio data, 3 bytes",
				"tag 1: script data, 15 bytes, timestamp 16777248 ms", `handler name: string "cue" (u16 length 3)`, "number 2", "previous tag size 26"}, ""},
		{"flv string longer than its tag", DumpFLV, `"FLV" 01 04 00 00 00 09  00 00 00 00
			12 00 00 05 00 00 00 00 00 00 00  02 00 03 "cu"  00 00 00 10  "more bytes after"`,
			[]string{"tag 0: script data, 5 bytes", "handler name: string, u16 length: 3 bytes, but only 2 left",
				"error: amf0: length 3 exceeds the 2 bytes left: unexpected EOF at offset 25"},
			"amf0: length 3 exceeds the 2 bytes left: unexpected EOF at offset 25"},
		{"flv truncated tag", DumpFLV, `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 19 00`,
			[]string{"previous tag size 0", "error: flv: unexpected EOF"}, "flv: unexpected EOF at offset 13"},
	}
	runDumpCases(t, cases)
}

func TestDumpValues(t *testing.T) {
	cases := []dumpCase{
		{"amf3 object traits and references", DumpAMF3,
			`09 05 01 0A 13 07 "Foo" 03 "a" 04 01 0A 01 04 02 0A 04`,
			[]string{"array: U29 05 = inline, 2 dense items → objects[0]",
				"empty name (U29 01): no associative part",
				`object: U29 13 = inline object, inline traits, not dynamic, 1 sealed members → traits[0] → objects[1]`,
				`class name "Foo" (U29 07: inline, 3 bytes → strings[0])`,
				`sealed member 1 "a" (U29 03: inline, 1 byte → strings[1])`,
				`"a": integer 1 (U29 01)`,
				`object: U29 01 = inline object, traits reference → traits[0] (class "Foo", 1 sealed) → objects[2]`,
				"object: U29 04 = reference → objects[2] (the object at 0xd)",
			}, ""},
		{"amf3 mixed array", DumpAMF3, `09 03 03 "k" 04 05 01 06 01`,
			[]string{`name "k" (U29 03: inline, 1 byte → strings[0])`,
				"empty name (U29 01): end of the associative part, then 1 dense item",
				`string "" (U29 01: the empty string, never in the table)`}, ""},
		{"amf3 string too long", DumpAMF3, `06 0B "ab"`,
			[]string{"string (U29 0b: inline, 5 bytes, but only 2 left)", "error: amf3: length 5 exceeds the 2 bytes left", "2 bytes not read"},
			"amf3: length 5 exceeds the 2 bytes left: unexpected EOF at offset 1"},
		{"amf3 bad reference", DumpAMF3, `06 03 "x" 06 04`,
			[]string{`string "x"`, "00000003  06 04                    string → strings[2] (not in the table: it has 1 entry)\n",
				"00000005                           error: amf3: invalid string reference 2 (table has 1)"},
			"amf3: invalid string reference 2 (table has 1) at offset 4"},
		{"amf0 switch and refs", DumpAMF0, `0A 00 00 00 02 03 00 01 "a" 05 00 00 09 07 00 01 11 04 7F`,
			[]string{"strict array, u32 count 2 items → refs[0]", "object → refs[1]", `name "a" (u16 length 1)`, "null",
				"object end (empty name 00 00, marker 09)", "reference → refs[1] (the object at 0x5)",
				"avm+ switch (0x11): the next value is AMF3", "integer 127 (U29 7f)"}, ""},
		{"small message flags", DumpAMF3, `0A 07 07 "DSK" 01 04 05 00 00`,
			[]string{`class name "DSK"`, "flags (group 1, byte 1): body", `"body": integer 5 (U29 05)`,
				"flags (group 2, byte 1): none", "flags (group 3, byte 1): none"}, ""},
		{"vectors and a dictionary", DumpAMF3, `0D 05 00 00 00 00 01 FF FF FF FF 11 05 00 06 03 61 04 01 0A 0B 01 01 04 02 10 03 00 07 "Foo" 01`,
			[]string{"vector<int>: U29 05 = inline, 2 items → objects[0]", "fixed length: no", "item 2: -1",
				"dictionary: U29 05 = inline, 2 entries → objects[1]", "weak keys: no", `key: string "a"`, "value: integer 1",
				"key: object: U29 0b", "value: integer 2", `item type "Foo" (U29 07: inline, 3 bytes → strings[1])`}, ""},
		{"terminal escapes in a hostile string are quoted", DumpAMF3, `06 07 1B 5B 32`,
			[]string{`string "\x1b[2" (U29 07: inline, 3 bytes → strings[0])`}, ""},
		{"amf0 reference out of the table", DumpAMF0, `0A 00 00 00 01 07 00 01`,
			[]string{"00000005  07 00 01                   reference → refs[1] (not in the table: it has 1 entry)\n"},
			`amf0: invalid object reference 1 (table has 1) within "/0" at offset 6`},
		{"unknown externalizable class", DumpAMF3, `0A 07 07 "x.Y" 04 01`,
			[]string{"object: U29 07 = inline object, inline traits, externalizable → traits[0]\n", "6 bytes not read"},
			`amf3: unknown externalizable class "x.Y" at offset 1`},
		{"amf0 bad marker", DumpAMF0, `05 04 05`,
			[]string{"null", "error: amf0: unknown or invalid marker 0x04"}, "amf0: unknown or invalid marker 0x04 (movieclip is reserved) at offset 1"},
	}
	runDumpCases(t, cases)
}

func TestDumpJSON(t *testing.T) {
	data := mustHex(`06 0B "ab"`)
	out, err := json.Marshal(NewDump(data, DumpAMF3))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Input  string
		Size   int
		Ranges []struct {
			Offset, Length int64
			Class, Hex     string
		}
		Error *struct {
			Offset  int64
			Message string
		}
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Input != "amf3" || doc.Size != 4 || doc.Error == nil || doc.Error.Offset != 1 {
		t.Fatalf("got %s", out)
	}
	var hex string
	for _, r := range doc.Ranges {
		hex += r.Hex
	}
	if hex != "060b6162" {
		t.Errorf("the ranges' hex is %q, want the input", hex)
	}
}

// TestDumpGolden compares the text dump of a few files a user would read
// with testdata/dump/*.dump (-update rewrites them).
func TestDumpGolden(t *testing.T) {
	files := []struct {
		path string
		in   DumpInput
	}{
		{"../testdata/pyamf/captures/default-flex_remoting.request.amf", DumpPacket},
		{"../testdata/pyamf/captures/default-batch.response.amf", DumpPacket},
		{"../testdata/pyamf/captures/default-credentials.request.amf", DumpPacket},
		{"../testdata/pyamf/vectors/arraycollection_items.amf3", DumpAMF3},
	}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := NewDump(data, f.in).WriteText(&b, nil, false); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "dump", filepath.Base(f.path)+".dump")
		if *updateDump {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s:\n%s", f.path, golden, b.String())
		}
	}
}

func TestDumpPalette(t *testing.T) {
	data := mustHex(`06 0B "ab"`)
	var b bytes.Buffer
	red := func(s string) string { return "<" + s + ">" }
	if err := NewDump(data, DumpAMF3).WriteText(&b, &DumpPalette{Fault: red}, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "<error: amf3: length 5") {
		t.Errorf("the fault is not painted:\n%s", b.String())
	}
	if strings.Count(b.String(), "<") != 1 {
		t.Errorf("only the fault should be painted:\n%s", b.String())
	}
}

// FuzzDump: never panics, and the ranges always cover the input exactly.
func FuzzDump(f *testing.F) {
	for _, dir := range []string{"../testdata/pyamf/captures", "../testdata/pyamf/vectors"} {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if b, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil && len(b) < 4096 {
				f.Add(b, uint8(0))
			}
		}
	}
	f.Add(mustHex(`00 BF 00 00 00 1C 54 43 53 4F 00 04 00 00 00 00 00 01 "s" 00 00 00 03 03 "a" 06 03 "x" 00 03 "b" 06 02 00`), uint8(DumpSOL))
	// Other projects' files (testdata/external), each as what it is.
	for pattern, in := range map[string]DumpInput{"*.amf0": DumpAMF0, "*.amf": DumpPacket, "*.sol": DumpSOL} {
		files, _ := filepath.Glob(filepath.Join("../testdata/external/*", pattern))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 4096 {
				f.Add(b, uint8(in))
			}
		}
	}
	f.Add(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09  00 00 00 20`), uint8(DumpFLV))
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		for _, in := range []DumpInput{DumpInput(kind % 6), DumpPacket, DumpAMF3} {
			dm := NewDump(data, in)
			checkCover(t, in.String(), data, dm)
			if _, err := json.Marshal(dm); err != nil {
				t.Fatal(err)
			}
			if err := dm.WriteText(&bytes.Buffer{}, nil, false); err != nil {
				t.Fatal(err)
			}
			var se *SyntaxError
			var te *TrailingDataError
			if dm.Err != nil && !errors.As(dm.Err, &se) && !errors.As(dm.Err, &te) {
				t.Fatalf("%s: error %T %v is not a SyntaxError", in, dm.Err, dm.Err)
			}
		}
	})
}

// TestDumpPyAMFNumbering: a request whose reference points at the
// argument array is read with PyAMF's numbering, as the decoder reads it
// (the vectors of TestUnregisteredArgs); DecOptions.UnregisteredArgs asks
// for it; a reply keeps Flash's.
func TestDumpPyAMFNumbering(t *testing.T) {
	detect := mustHex(`00 00 00 00 00 01 00 04 "echo" 00 02 "/1" 00 00 00 16
		0A 00 00 00 02 03 00 01 "x" 00 3F F0 00 00 00 00 00 00 00 00 09 07 00 00`)
	asked := mustHex(`00 00 00 00 00 01 00 04 "echo" 00 02 "/1" 00 00 00 1B
		0A 00 00 00 01 0A 00 00 00 02 03 00 01 "x" 00 3F F0 00 00 00 00 00 00 00 00 09 07 00 01`)
	reply := mustHex(`00 00 00 00 00 01 00 0B "/1/onResult" 00 04 "null" 00 00 00 0F
		0A 00 00 00 02 03 00 01 "x" 00 3F F0 00 00 00 00 00 00 00 00 09 07 00 00`)
	pyamf, _ := DecOptions{UnregisteredArgs: true}.DecMode()
	cases := []struct {
		name string
		m    *DecMode
		data []byte
		want []string
	}{
		{"detected", defaultDecMode, detect, []string{
			"value (PyAMF numbering: the argument array takes no reference slot): strict array, u32 count 2 items\n",
			"object → refs[0]", "reference → refs[0] (the object at 0x19)", "value length 22, but the value takes 24 bytes (readers go by the value)"}},
		{"asked for", pyamf, asked, []string{
			"PyAMF numbering", "strict array, u32 count 2 items → refs[0]", "reference → refs[1] (the object at 0x1e)"}},
		// Flash's numbering would make the inner list contain itself: the
		// decoder, and so the dump, take PyAMF's.
		{"default", defaultDecMode, asked, []string{
			"PyAMF numbering", "strict array, u32 count 2 items → refs[0]", "reference → refs[1] (the object at 0x1e)"}},
		{"reply", defaultDecMode, reply, []string{
			"value: strict array, u32 count 2 items → refs[0]", "reference → refs[0] (the strict array at 0x1d)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.m.WriteDumpText(&b, tc.data, DumpPacket, nil, false); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("dump lacks %q:\n%s", w, b.String())
				}
			}
		})
	}
}

// Deep nesting indents up to a bound, then names the depth: hostile input
// cannot make the text form hundreds of times its size.
func TestDumpIndentBound(t *testing.T) {
	data := mustHex(strings.Repeat("09 03 01 ", 40) + "01")
	var b bytes.Buffer
	if err := WriteDumpText(&b, data, DumpAMF3, nil, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	want := "00000078  01" + strings.Repeat(" ", 23) + strings.Repeat("  ", dumpMaxIndent) + "(depth 40) null"
	if last != want {
		t.Errorf("last line\n%q, want\n%q", last, want)
	}
	for _, l := range lines {
		if len(l) > 200 {
			t.Errorf("line of %d bytes: %q", len(l), l)
		}
	}
}

type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(p), nil
}

// A write error stops the dump and is returned, whatever the input.
func TestDumpWriteError(t *testing.T) {
	big := mustHex(`0A 07 07 "DSK" ` + strings.Repeat("FF ", 40) + "01")
	for _, data := range [][]byte{big, mustHex(`06 07 "abc"`)} {
		err := WriteDumpText(&failAfter{0}, data, DumpAMF3, nil, false)
		if err == nil || err.Error() != "disk full" {
			t.Errorf("WriteDumpText = %v, want the write error", err)
		}
		if err := WriteDumpJSON(&failAfter{0}, data, DumpAMF3, false); err == nil || err.Error() != "disk full" {
			t.Errorf("WriteDumpJSON = %v, want the write error", err)
		}
	}
	// Stopped inside a small message's flag bytes, which are explained
	// one range each.
	for _, data := range [][]byte{big} {
		n := 0
		err := defaultDecMode.DumpFunc(data, DumpAMF3, func(DumpRange) error {
			n++
			if n == 3 {
				return errors.New("stop")
			}
			return nil
		})
		if err == nil || err.Error() != "stop" || n != 3 {
			t.Errorf("DumpFunc = %v after %d ranges, want stop after 3", err, n)
		}
	}
}

// The JSON form with a line per range is the same document.
func TestDumpJSONLines(t *testing.T) {
	data := mustHex(`0A 0B 01 09 61 04`)
	var compact, lines bytes.Buffer
	e1 := WriteDumpJSON(&compact, data, DumpAMF3, false)
	e2 := WriteDumpJSON(&lines, data, DumpAMF3, true)
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Fatalf("errors %v, %v", e1, e2)
	}
	var a, b any
	if err := json.Unmarshal(compact.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(lines.Bytes(), &b); err != nil {
		t.Fatal(err)
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) || strings.Count(compact.String(), "\n") != 1 || strings.Count(lines.String(), "\n") != 12 {
		t.Errorf("compact:\n%s\nlines:\n%s", compact.String(), lines.String())
	}
	dm := NewDump(data, DumpAMF3)
	m, err := json.Marshal(dm)
	if err != nil || string(m)+"\n" != compact.String() {
		t.Errorf("MarshalJSON:\n%s\nWriteDumpJSON:\n%s", m, compact.String())
	}
}

// TestDumpFaultOffset holds the error line of a dump to the offset its
// text and the JSON form's "error" give (issue 7): the line stands where
// reading stopped, after the last range explained, and where the failing
// item starts elsewhere (a string's length field, a reference read
// whole), its text names both.
func TestDumpFaultOffset(t *testing.T) {
	cases := []struct {
		name       string
		in         DumpInput
		hex        string
		item, stop int64
	}{
		{"amf3 string too long", DumpAMF3, `06 0B "ab"`, 1, 2},
		{"amf3 member string too long", DumpAMF3, `0A 0B 01 09 "name" 06 07 "abc" 09 "rest" 06 0B "he"`, 19, 20},
		{"amf3 bad reference", DumpAMF3, `06 03 "x" 06 04`, 4, 5},
		{"flv string longer than its tag", DumpFLV, `"FLV" 01 04 00 00 00 09  00 00 00 00
			12 00 00 05 00 00 00 00 00 00 00  02 00 03 "cu"  00 00 00 10  "more bytes after"`, 25, 27},
		{"amf0 bad marker", DumpAMF0, `05 04 05`, 1, 1},
		{"packet truncated", DumpPacket, `00 03 00 00 00 01 00 0B "/1/onResult" 00 04 "null" 00 00 00 09 02 00 05 "ab"`, 30, 32},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(tc.hex)
			dm := NewDump(data, tc.in)
			if dm.Err == nil {
				t.Fatal("no error")
			}
			var fault *DumpRange
			for i := range dm.Ranges {
				if dm.Ranges[i].Class == "fault" && dm.Ranges[i].Length == 0 {
					fault = &dm.Ranges[i]
					break
				}
			}
			if fault == nil {
				t.Fatalf("no error line: %+v", dm.Ranges)
			}
			out, err := json.Marshal(dm)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct{ Error struct{ Offset int64 } }
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			item, stop := doc.Error.Offset, fault.Offset
			if item != tc.item || stop != tc.stop {
				t.Errorf("item at %d, line at %d; want %d and %d\n%s", item, stop, tc.item, tc.stop, fault.Text)
			}
			both := fmt.Sprintf("; item at %d (%#x), reading stopped at %d (%#x)", item, item, stop, stop)
			if item != stop && !strings.HasSuffix(fault.Text, both) {
				t.Errorf("the error line at %d does not name the item at %d: %q", stop, item, fault.Text)
			}
			if item == stop && strings.Contains(fault.Text, "reading stopped") {
				t.Errorf("the error line names one offset twice: %q", fault.Text)
			}
			if !strings.Contains(fault.Text, dm.Err.Error()) {
				t.Errorf("the error line %q lacks the error %q", fault.Text, dm.Err)
			}
		})
	}
}

package amf_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

type pathRange struct {
	Offset int64
	Length int64
	Class  string
	Text   string
	Path   *string
}

func dumpPaths(t *testing.T, data []byte, in amf.DumpInput) []pathRange {
	t.Helper()
	var buf bytes.Buffer
	amf.WriteDumpJSON(&buf, data, in, false)
	var doc struct{ Ranges []pathRange }
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	// The same from Dump.MarshalJSON.
	js, err := json.Marshal(amf.NewDump(data, in))
	if err != nil || !bytes.Equal(append(js, '\n'), buf.Bytes()) {
		t.Errorf("MarshalJSON differs from WriteDumpJSON (%v):\n%s\n%s", err, js, buf.Bytes())
	}
	return doc.Ranges
}

// TestDumpJSONPaths: each range of dump's JSON names the value its bytes
// belong to with the JSON pointer errors use; the bytes of no value
// (the fault, what follows it) have no path.
func TestDumpJSONPaths(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   amf.DumpInput
		file string // a PyAMF vector or capture, or
		hex  string
		want []string // "offset path" per range, "offset -" for none
	}{
		{name: "packet", in: amf.DumpPacket, file: "../testdata/pyamf/captures/default-batch.request.amf",
			want: []string{"0 /version", "2 /headers", "4 /messages",
				"6 /messages/0", "6 /messages/0/target", "17 /messages/0/response", "21 /messages/0/length",
				"25 /messages/0/value", "30 /messages/0/value/0",
				"38 /messages/1", "38 /messages/1/target", "49 /messages/1/response", "53 /messages/1/length",
				"57 /messages/1/value", "62 /messages/1/value/0",
				"71 /messages/2", "71 /messages/2/target", "85 /messages/2/response", "89 /messages/2/length",
				"93 /messages/2/value"}},
		{name: "header", in: amf.DumpPacket, hex: "0000" + "0001" + "0002" + "6964" + "01" + "00000002" + "0101" + "0000",
			want: []string{"0 /version", "2 /headers", "4 /headers/0", "4 /headers/0/name", "8 /headers/0/mustUnderstand",
				"9 /headers/0/length", "13 /headers/0/value", "15 /messages"}},
		{name: "small message flags belong to the message", in: amf.DumpAMF3, file: "../testdata/pyamf/vectors/flex_small_ack_DSK.amf3",
			want: []string{"0 ", "2 ", "6 ", "7 ", "8 /body", "12 /clientIdBytes", "14 /clientIdBytes",
				"30 /messageIdBytes", "32 /messageIdBytes", "48 ", "49 /correlationId", "53 "}},
		{name: "collection wrapper", in: amf.DumpAMF3, file: "../testdata/pyamf/vectors/arraycollection_items.amf3",
			want: []string{"0 ", "2 ", "36 /source", "38 /source", "39 /source/0", "41 /source/1", "46 /source/2",
				"48 /source/2", "49 /source/2/three", "55 /source/2/three", "57 /source/2"}},
		{name: "dictionary entries", in: amf.DumpAMF3, file: "../testdata/pyamf/vectors/dec_dictionary.amf3",
			want: []string{"0 ", "2 ", "3 /0", "6 /0"}},
		{name: "avm+ switch", in: amf.DumpAMF0, file: "../testdata/pyamf/vectors/dec_amf0_avmplus_object.amf0",
			want: []string{"0 ", "1 ", "3 ", "4 /a", "6 /a", "8 "}},
		{name: "names escaped as pointers", in: amf.DumpAMF0, hex: "03" + "0003612f62" + "0101" + "00017e" + "0100" + "000009",
			want: []string{"0 ", "1 /a~1b", "6 /a~1b", "8 /~0", "11 /~0", "13 "}},
		{name: "mixed array", in: amf.DumpAMF3, hex: "0903" + "036b" + "060376" + "01" + "0401",
			want: []string{"0 ", "2 /k", "4 /k", "7 ", "8 /0"}},
		{name: "the fault and the bytes after it have none", in: amf.DumpAMF3, hex: "0a0b0109610402",
			want: []string{"0 ", "2 ", "3 -", "4 -", "4 -"}},
		// A .sol file: TestDumpJSONPathsOfSOL (its header has none, its members theirs).
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := hex.DecodeString(tc.hex)
			if tc.file != "" {
				data, err = os.ReadFile(tc.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range dumpPaths(t, data, tc.in) {
				p := "-"
				if r.Path != nil {
					p = *r.Path
				}
				if tc.want == nil && r.Path != nil {
					t.Errorf("%d %q has the path %q", r.Offset, r.Text, p)
				}
				got = append(got, strings.TrimSpace(itoa(r.Offset)+" "+p))
			}
			if tc.want == nil {
				return
			}
			for i := range tc.want {
				tc.want[i] = strings.TrimSpace(tc.want[i])
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestDumpJSONPathsEverywhere: in every PyAMF capture and vector that
// dumps without a fault, every range has a path (the bytes of a value
// all belong to some value), and a range's path goes only as deep as
// its own.
func TestDumpJSONPathsEverywhere(t *testing.T) {
	var files []string
	for _, g := range []string{"../testdata/pyamf/captures/*.amf", "../testdata/pyamf/vectors/*.amf0", "../testdata/pyamf/vectors/*.amf3"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	if len(files) < 100 {
		t.Fatalf("only %d files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in := amf.DumpPacket
		switch {
		case strings.HasSuffix(f, ".amf0"):
			in = amf.DumpAMF0
		case strings.HasSuffix(f, ".amf3"):
			in = amf.DumpAMF3
		}
		if amf.NewDump(data, in).Err != nil {
			continue
		}
		for _, r := range dumpPaths(t, data, in) {
			if r.Path == nil {
				t.Errorf("%s: %d %q has no path", filepath.Base(f), r.Offset, r.Text)
				break
			}
		}
	}
}

func itoa(i int64) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// BenchmarkDumpJSON streams the JSON form of the W1 result packet as
// amfcall dump --format json does, paths included.
func BenchmarkDumpJSON(b *testing.B) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.MarshalPacket(benchW1Packet(ver))
		if err != nil {
			b.Fatal(err)
		}
		b.Run("W1/"+ver.String(), func(b *testing.B) {
			runtime.GC()
			b.SetBytes(int64(len(data)))
			loop(b, func() error { return amf.WriteDumpJSON(io.Discard, data, amf.DumpPacket, false) })
		})
	}
}

// FuzzDumpJSONPaths: for any input, read as a packet and as bare AMF0
// and AMF3, the JSON dump never panics, is valid JSON whose ranges cover
// the input, and when the dump has no fault every range has a path.
func FuzzDumpJSONPaths(f *testing.F) {
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, c := range caps {
		if b, err := os.ReadFile(c); err == nil && len(b) < 2048 {
			f.Add(b)
		}
	}
	f.Add([]byte("\x0a\x07\x07DSK\x81\x03\x06\x05ok"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		for _, in := range []amf.DumpInput{amf.DumpPacket, amf.DumpAMF0, amf.DumpAMF3} {
			var buf bytes.Buffer
			err := amf.WriteDumpJSON(&buf, data, in, false)
			var doc struct {
				Size   int
				Ranges []pathRange
			}
			if jerr := json.Unmarshal(buf.Bytes(), &doc); jerr != nil {
				t.Fatalf("%v: invalid JSON %v:\n%s", in, jerr, buf.String())
			}
			want := amf.NewDump(data, in).Ranges
			if len(want) != len(doc.Ranges) {
				t.Fatalf("%v: %d ranges, the dump has %d", in, len(doc.Ranges), len(want))
			}
			pos := int64(0)
			for i, r := range doc.Ranges {
				if w := want[i]; r.Text != w.Text || r.Class != w.Class || r.Offset != w.Offset || r.Length != w.Length {
					t.Fatalf("%v: range %d reads back as %+v, want %+v", in, i, r, w)
				}
				if r.Offset != pos {
					t.Fatalf("%v: range at %d, want %d", in, r.Offset, pos)
				}
				pos += r.Length
				if err == nil && r.Path == nil {
					t.Fatalf("%v: %d %q has no path", in, r.Offset, r.Text)
				}
				if r.Path != nil && *r.Path != "" && (*r.Path)[0] != '/' {
					t.Fatalf("%v: path %q is not a JSON pointer", in, *r.Path)
				}
			}
			if pos != int64(len(data)) {
				t.Fatalf("%v: ranges end at %d of %d", in, pos, len(data))
			}
		}
	})
}

package convert

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// flvFile is an FLV file (audio and video flags set) of the given tags:
// each is a tag type and its data.
func flvFile(tags ...flvTestTag) []byte {
	b := []byte("FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00")
	for _, t := range tags {
		start := len(b)
		b = append(b, t.kind, byte(len(t.data)>>16), byte(len(t.data)>>8), byte(len(t.data)))
		b = append(b, byte(t.ts>>16), byte(t.ts>>8), byte(t.ts), byte(t.ts>>24), 0, 0, 0)
		b = append(b, t.data...)
		b = binary.BigEndian.AppendUint32(b, uint32(len(b)-start))
	}
	return b
}

type flvTestTag struct {
	kind byte
	ts   uint32
	data []byte
}

// script is the data of a script tag: the name, then the values, AMF0.
func script(t testing.TB, name string, vs ...any) []byte {
	b, err := amf.Marshal(name, amf.AMF0)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		x, err := amf.Marshal(v, amf.AMF0)
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, x...)
	}
	return b
}

// flvCases are FLV files for the streamed writer: the files of
// testdata/flv, and made ones with what the JSON writer treats apart
// (values shared within a tag, a cycle, AMF3 objects with traits in two
// tags, extra values, a timestamp past the AMF3 integer range, a string
// that is not UTF-8, no script tag, a file cut short).
func flvCases(t testing.TB) map[string][]byte {
	cases := map[string][]byte{}
	files, _ := filepath.Glob("../testdata/flv/*.flv")
	if len(files) < 2 {
		t.Fatalf("found %d FLV files in testdata/flv, want 2 or more", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(f)] = b
	}
	shared := &amf.Object{Members: []amf.Member{{Name: "k", Value: "v"}}}
	self := &amf.Object{Members: []amf.Member{{Name: "n", Value: 1.0}}}
	self.Members = append(self.Members, amf.Member{Name: "self", Value: self})
	typed := func(x float64) any {
		return amf.AVMPlus{Value: &amf.Object{Class: "a.B", Traits: &amf.Traits{Class: "a.B", Sealed: []string{"x"}}, Members: []amf.Member{{Name: "x", Value: x}}}}
	}
	video := flvTestTag{kind: 9, data: []byte{0x17, 0, 0, 0, 0}}
	many := []flvTestTag{video}
	for i := range 300 {
		many = append(many, flvTestTag{kind: 18, ts: uint32(i) * 40, data: script(t, "onMetaData", nil)})
	}
	cases["made"] = flvFile(
		flvTestTag{kind: 18, data: script(t, "onMetaData", &amf.ECMAArray{Members: []amf.Member{{Name: "duration", Value: 12.5}, {Name: "a", Value: shared}, {Name: "b", Value: shared}}})},
		video,
		flvTestTag{kind: 18, ts: 40, data: script(t, "onCuePoint", self, "extra", 2.0)},
		flvTestTag{kind: 18, ts: 1 << 30, data: script(t, "onX", typed(1))},
		flvTestTag{kind: 8, ts: 41, data: []byte{0xaf, 1}},
		flvTestTag{kind: 18, ts: 0xFFFFFFFF, data: script(t, "onX", typed(2), "caf\xe9")},
	)
	cases["many"] = flvFile(many...)
	cases["no script"] = flvFile(video, video)
	cases["empty"] = flvFile()
	cases["cut"] = cases["made"][:len(cases["made"])-9]
	return cases
}

// WriteFLVJSON writes, one tag at a time, the bytes Render writes for
// the whole file, plain and typed, compact and indented, with the same
// warnings; the same error for a file cut short (nothing written: the
// output is below the 8 MiB held) and past the output limit.
func TestFLVJSONStreamedSame(t *testing.T) {
	for name, data := range flvCases(t) {
		checkFLVJSON(t, name, data)
	}
}

// FuzzFLVJSON: whatever the file, WriteFLVJSON writes what Render
// writes, or fails as it does.
func FuzzFLVJSON(f *testing.F) {
	for _, data := range flvCases(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8192 {
			return
		}
		checkFLVJSON(t, "fuzz", data)
	})
}

func checkFLVJSON(t *testing.T, name string, data []byte) {
	t.Helper()
	for _, o := range []Options{{}, {Typed: true}, {Indent: "  "}, {Typed: true, Indent: "\t"}, {MaxOutput: 200}, {Typed: true, MaxOutput: 3000}} {
		label := fmt.Sprintf("%s, %+v", name, o)
		var wantWarn, gotWarn []string
		ow := o
		ow.Warn = func(m string) { wantWarn = append(wantWarn, m) }
		var want []byte
		src, err := Load(data, "in.flv", InSpec{Kind: KindFLV, KindSet: true})
		if err == nil {
			want, err = src.Render(Target{Format: "json"}, &ow)
		}
		ow.Warn = func(m string) { gotWarn = append(gotWarn, m) }
		var got bytes.Buffer
		n, gerr := WriteFLVJSON(&got, bytes.NewReader(data), "in.flv", &ow)
		if err != nil && gerr != nil && o.MaxOutput > 0 && strings.Contains(gerr.Error(), "output exceeds") {
			// Both fail: read whole, an error of the file comes first;
			// streamed, the limit when it is met first in the file.
			continue
		}
		if (err == nil) != (gerr == nil) || err != nil && err.Error() != gerr.Error() {
			t.Errorf("%s: Render error %v, WriteFLVJSON error %v", label, err, gerr)
			continue
		}
		if err != nil {
			if got.Len() > 0 {
				t.Errorf("%s: %d bytes written before the error %v", label, got.Len(), gerr)
			}
			continue
		}
		if n != int64(len(data)) {
			t.Errorf("%s: %d bytes read, want %d", label, n, len(data))
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s:\nstreamed %s\nwhole    %s", label, got.Bytes(), want)
		}
		if strings.Join(gotWarn, "\n") != strings.Join(wantWarn, "\n") {
			t.Errorf("%s: warnings %q, want %q", label, gotWarn, wantWarn)
		}
	}
}

// An output limit passed once output is out (o.Discardable: written as
// it grows) is the same error, after what was written.
func TestFLVJSONLimitWhileWriting(t *testing.T) {
	var tags []flvTestTag
	for range 20000 {
		tags = append(tags, flvTestTag{kind: 18, data: script(t, "onMetaData", nil)})
	}
	data := flvFile(tags...)
	var out bytes.Buffer
	_, err := WriteFLVJSON(&out, bytes.NewReader(data), "in.flv", &Options{MaxOutput: 500 << 10, Discardable: true})
	if err == nil || !strings.Contains(err.Error(), "in.flv: json: plain output exceeds 512000 bytes") {
		t.Fatalf("error %v, want the output limit's", err)
	}
	if out.Len() == 0 || out.Len() > 500<<10 {
		t.Errorf("%d bytes written before the limit error, want some, at most 512000", out.Len())
	}
}

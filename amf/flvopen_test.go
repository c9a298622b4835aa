package amf

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
)

// flvOneScript is an FLV file of one script tag holding data.
func flvOneScript(data []byte) []byte {
	b := []byte("FLV\x01\x01\x00\x00\x00\x09\x00\x00\x00\x00\x12\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	b[14], b[15], b[16] = byte(len(data)>>16), byte(len(data)>>8), byte(len(data))
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, uint32(11+len(data)))
}

// TestFLVScriptUnterminated: a script tag whose ECMA array or object runs
// to the end of its data without the end marker 00 00 09 (JT1078.Flv's
// writer; FFmpeg reads it) is read, and said to be; anything else cut
// short stays an error at its offset.
func TestFLVScriptUnterminated(t *testing.T) {
	name := "02000a6f6e4d65746144617461" // "onMetaData"
	cases := []struct {
		what, data string
		open       bool
		value      string // the value, as %v prints it
		err        string
	}{
		{what: "ECMA array with its marker", data: name + "08 00000001 0001 61 0040000000 00000000 000009",
			value: "ecma{a:2}"},
		{what: "ECMA array without", data: name + "08 00000001 0001 61 0040000000 00000000", open: true,
			value: "ecma{a:2}"},
		{what: "object without", data: name + "03 0001 61 0101", open: true, value: "object{a:true}"},
		{what: "empty ECMA array without", data: name + "08 00000000", open: true, value: "ecma{}"},
		{what: "cut inside a key", data: name + "08 00000001 0001",
			err: "amf0: length 1 exceeds the 0 bytes left: unexpected EOF at offset 42"},
		{what: "cut inside a member's value", data: name + "08 00000001 0001 61 00400000",
			err: "amf0: unexpected EOF within \"/a\" at offset 49"},
		{what: "nested object open too", data: name + "03 0001 61 03 0001 62 0101",
			err: "amf0: unexpected EOF within \"/a\" at offset 47"},
		{what: "strict array cut", data: name + "0a 00000002 0101",
			err: "amf0: unexpected EOF within \"/1\" at offset 44"},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			data, err := hex.DecodeString(strings.ReplaceAll(tc.data, " ", ""))
			if err != nil {
				t.Fatal(err)
			}
			fr := NewFLVReader(flvOneScript(data))
			if _, err := fr.Next(); err != nil {
				t.Fatal(err)
			}
			s, err := fr.Script()
			if tc.err != "" {
				if err == nil || err.Error() != tc.err {
					t.Fatalf("error %v, want %s", err, tc.err)
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) {
					t.Errorf("error %v does not wrap io.ErrUnexpectedEOF", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Name != "onMetaData" || s.Unterminated != tc.open || len(s.Extra) != 0 {
				t.Errorf("got name %q unterminated %v extra %v", s.Name, s.Unterminated, s.Extra)
			}
			if got := fmtValue(s.Value); got != tc.value {
				t.Errorf("value %s, want %s", got, tc.value)
			}
		})
	}
}

// TestFLVScriptUnterminatedFile: the JT1078 file of testdata/public, over
// bytes and over a stream.
func TestFLVScriptUnterminatedFile(t *testing.T) {
	data, err := os.ReadFile("../testdata/public/jt1078/jt1078-onmetadata-size156.flv")
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range []*FLVReader{NewFLVReader(data), NewFLVStreamReader(strings.NewReader(string(data)))} {
		if _, err := fr.Next(); err != nil {
			t.Fatal(err)
		}
		s, err := fr.Script()
		if err != nil || !s.Unterminated {
			t.Fatalf("Script: %v, unterminated %v", err, s.Unterminated)
		}
		arr, ok := s.Value.(*ECMAArray)
		if !ok || arr.Count != nil || fmtValue(arr) != "ecma{duration:7.221 filesize:2.005421e+06 framerate:29.16667 height:960 videocodecid:7 videodatarate:0 width:544}" {
			t.Fatalf("value %s, want the 7 members JT1078's test wrote", fmtValue(s.Value))
		}
		if _, err := fr.Next(); err != io.EOF {
			t.Errorf("after the tag: %v, want EOF", err)
		}
	}
}

// fmtValue prints an object or ECMA array of scalars as kind{name:value ...}.
func fmtValue(v any) string {
	var kind string
	var ms []Member
	switch v := v.(type) {
	case *ECMAArray:
		kind, ms = "ecma", v.Members
	case *Object:
		kind, ms = "object", v.Members
	default:
		return fmt.Sprintf("%T %v", v, v)
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s:%v", m.Name, m.Value)
	}
	return kind + "{" + strings.Join(parts, " ") + "}"
}

// TestDumpFLVUnterminated: the dump explains such a tag as Script reads
// it, with a note where the end marker is missing and no error, over
// bytes and over a stream; a value cut short elsewhere stays the error
// Script gives.
func TestDumpFLVUnterminated(t *testing.T) {
	name := "02000a6f6e4d65746144617461"
	for _, tc := range []struct{ data, err string }{
		{data: name + "08 00000001 0001 61 0040000000 00000000"},
		{data: name + "03 0001 61 0101"},
		{data: name + "03 0001 61 03 0001 62 0101", err: "amf0: unexpected EOF within \"/a\" at offset 47"},
		// Only the first value after the name: Script reads no other so.
		{data: name + "00 0000000000000000 03 0001 61 0101", err: "amf0: unexpected EOF at offset 52"},
	} {
		data, err := hex.DecodeString(strings.ReplaceAll(tc.data, " ", ""))
		if err != nil {
			t.Fatal(err)
		}
		file := flvOneScript(data)
		dm := NewDump(file, DumpFLV)
		checkCover(t, tc.data, file, dm)
		if fmt.Sprint(dm.Err) != fmt.Sprint(errOrNil(tc.err)) { // errOrNil: flv_test.go
			t.Fatalf("%s: dump error %v, want %v", tc.data, dm.Err, tc.err)
		}
		note := false
		for _, r := range dm.Ranges {
			note = note || strings.Contains(r.Text, "without its end marker 00 00 09")
		}
		if note != (tc.err == "") {
			t.Errorf("%s: note of the missing end marker %v, want %v", tc.data, note, tc.err == "")
		}
		if got := readBothWays(t, file); fmt.Sprint(got.Err) != fmt.Sprint(dm.Err) {
			t.Errorf("%s: reader error %v, dump error %v", tc.data, got.Err, dm.Err)
		}
		dumpFLVBothWays(t, file)
	}
}

package amf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

// flvRead is what an FLVReader gave for a file: each tag and, for
// script tags, its content, then the error that ended it (nil at a clean
// end).
type flvRead struct {
	Tags    []FLVTag
	Scripts []FLVScript
	Err     error
}

func readAllFLV(fr *FLVReader) flvRead {
	var out flvRead
	for {
		tag, err := fr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			out.Err = err
			return out
		}
		out.Tags = append(out.Tags, *tag)
		if tag.IsScript() {
			s, err := fr.Script()
			if err != nil {
				out.Err = err
				return out
			}
			out.Scripts = append(out.Scripts, s)
		}
	}
}

// readBothWays reads data over bytes and over a stream that gives one
// byte per Read, and fails unless both give the same.
func readBothWays(t testing.TB, data []byte) flvRead {
	t.Helper()
	a := readAllFLV(NewFLVReader(data))
	b := readAllFLV(NewFLVStreamReader(iotest.OneByteReader(bytes.NewReader(data))))
	if fmt.Sprint(a.Err) != fmt.Sprint(b.Err) || !reflect.DeepEqual(a.Tags, b.Tags) || !reflect.DeepEqual(a.Scripts, b.Scripts) {
		t.Fatalf("FLV % x:\nover bytes:  %+v\nover stream: %+v", data, a, b)
	}
	return a
}

// TestFLVReaderFiles reads the FLV files in testdata/flv (see its
// README for where they come from) and checks what players and the
// projects that recorded them say they hold.
func TestFLVReaderFiles(t *testing.T) {
	t.Run("ffmpeg lavf58 head", func(t *testing.T) {
		data, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
		if err != nil {
			t.Fatal(err)
		}
		fr := NewFLVReader(data)
		h, err := fr.Header()
		if err != nil || h != (FLVHeader{Version: 1, Flags: 1, Size: 9}) {
			t.Fatalf("Header() = %+v, %v, want version 1, video only, size 9", h, err)
		}
		got := readBothWays(t, data)
		want := []FLVTag{
			{Index: 0, Offset: 13, PrevSize: 0, Type: FLVTagScript, Size: 164},
			{Index: 1, Offset: 192, PrevSize: 175, Type: FLVTagVideo, Size: 46},
		}
		if got.Err != nil || !reflect.DeepEqual(got.Tags, want) {
			t.Fatalf("tags = %+v, %v, want %+v", got.Tags, got.Err, want)
		}
		s := got.Scripts[0]
		meta, ok := s.Value.(*ECMAArray)
		if s.Name != "onMetaData" || !ok || s.Extra != nil {
			t.Fatalf("script = %+v, want onMetaData and one ECMA array", s)
		}
		for name, want := range map[string]any{"width": 1920.0, "height": 1080.0, "videocodecid": 7.0, "encoder": "Lavf58.58.100"} {
			if v := member(meta.Members, name); v != want {
				t.Errorf("onMetaData %s = %v, want %v", name, v, want)
			}
		}
	})
	t.Run("go2rtc payloads", func(t *testing.T) {
		data, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
		if err != nil {
			t.Fatal(err)
		}
		got := readBothWays(t, data)
		if got.Err != nil || len(got.Tags) != 19 || len(got.Scripts) != 19 {
			t.Fatalf("%d tags, %d scripts, %v; want 19 script tags", len(got.Tags), len(got.Scripts), got.Err)
		}
		var names []string
		for _, s := range got.Scripts {
			names = append(names, s.Name)
		}
		wantNames := "onMetaData onMetaData _result _result onStatus |RtmpSampleAccess onMetaData @setDataFrame _result _result " +
			"onStatus onStatus onStatus onStatus connect releaseStream @setDataFrame _result _result"
		if strings.Join(names, " ") != wantNames {
			t.Errorf("handler names = %s\nwant %s", strings.Join(names, " "), wantNames)
		}
		// OBS: @setDataFrame, then "onMetaData" and its ECMA array.
		obs := got.Scripts[16]
		meta, _ := obs.Extra[0].(*ECMAArray)
		if obs.Value != "onMetaData" || meta == nil || len(meta.Members) != 20 {
			t.Fatalf("obs script = %+v", obs)
		}
		if v := member(meta.Members, "encoder"); v != "obs-output module (libobs version 29.0.0-62-g9001211f8)" {
			t.Errorf("obs encoder = %v", v)
		}
		// |RtmpSampleAccess true true
		if s := got.Scripts[5]; s.Value != true || !reflect.DeepEqual(s.Extra, []any{true}) {
			t.Errorf("RtmpSampleAccess script = %+v", s)
		}
	})
}

func TestFLVReaderErrors(t *testing.T) {
	script := `12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09`
	tests := []struct {
		name    string
		hex     string
		tags    int // tags read before the error
		wantErr string
	}{
		{"not flv", `"FLW" 01 05 00 00 00 09`, 0, `flv: missing "FLV" signature at offset 0`},
		{"short header", `"FLV" 01 05 00 00`, 0, `flv: missing "FLV" signature at offset 0`},
		{"header size 8", `"FLV" 01 05 00 00 00 08  00 00 00 00`, 0, "flv: invalid header size 8 at offset 5"},
		{"header size past the end", `"FLV" 01 05 00 00 00 20  00 00 00 00`, 0, "flv: invalid header size 32 at offset 5"},
		{"ends after the header", `"FLV" 01 05 00 00 00 09`, 0, ""},
		{"ends after a previous tag size", `"FLV" 01 05 00 00 00 09  00 00 00 00`, 0, ""},
		{"short previous tag size", `"FLV" 01 05 00 00 00 09  00 00`, 0, "flv: unexpected EOF at offset 9"},
		{"short tag header", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00`, 0, "flv: unexpected EOF at offset 13"},
		{"script data cut", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMeta"`, 0,
			"flv: tag 0: data size 21 exceeds the 9 bytes left: unexpected EOF at offset 14"},
		{"video data cut", `"FLV" 01 05 00 00 00 09  00 00 00 00  09 FF FF FF 00 00 00 00 00 00 00  17 00`, 0,
			"flv: tag 0: data size 16777215 exceeds the 2 bytes left: unexpected EOF at offset 14"},
		{"second tag cut", `"FLV" 01 05 00 00 00 09  00 00 00 00 ` + script + ` 00 00 00 20  08 00 00 05 00 00 00 00 00 00 00 AF`, 1,
			"flv: tag 1: data size 5 exceeds the 1 bytes left: unexpected EOF at offset 50"},
		{"bad marker", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 05 00 00 00 00 00 00 00  02 00 01 "a" 42`, 1,
			"amf0: unknown or invalid marker 0x42 at offset 28"},
		{"no handler name", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 09 00 00 00 00 00 00 00  00 40 00 00 00 00 00 00 00`, 1,
			"flv: script tag does not start with a handler name at offset 24"},
		{"empty script data", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 00 00 00 00 00 00 00 00`, 1,
			"amf0: unexpected EOF at offset 24"},
		{"encrypted script is skipped", `"FLV" 01 05 00 00 00 09  00 00 00 00  32 00 00 02 00 00 00 00 00 00 00  FF FF`, 1, ""},
		{"object end after the values", `"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 10 00 00 00 00 00 00 00  02 00 01 "a" 00 40 00 00 00 00 00 00 00  00 00 09`, 1, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := readBothWays(t, mustHex(tc.hex))
			if fmt.Sprint(got.Err) != fmt.Sprint(errOrNil(tc.wantErr)) || len(got.Tags) != tc.tags {
				t.Fatalf("read %d tags, error %v; want %d tags, error %q", len(got.Tags), got.Err, tc.tags, tc.wantErr)
			}
			var se *SyntaxError
			if got.Err != nil && !errors.As(got.Err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", got.Err)
			}
			if got.Err != nil && strings.Contains(tc.wantErr, "unexpected EOF") && !errors.Is(got.Err, io.ErrUnexpectedEOF) {
				t.Fatalf("error %v does not wrap io.ErrUnexpectedEOF", got.Err)
			}
		})
	}
}

func errOrNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// TestFLVReaderReferences: each script tag is its own AMF0 reference
// context, so a reference in the second tag to an object of the first
// is an error, and one within a tag resolves.
func TestFLVReaderReferences(t *testing.T) {
	data := mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00
		12 00 00 0B 00 00 00 00 00 00 00  02 00 01 "a" 03 00 00 09 07 00 00  00 00 00 16
		12 00 00 07 00 00 00 00 00 00 00  02 00 01 "b" 07 00 00  00 00 00 12`)
	got := readBothWays(t, data)
	if len(got.Scripts) != 1 || got.Scripts[0].Extra[0] != got.Scripts[0].Value {
		t.Fatalf("first tag: %+v, want an object and a reference to it", got.Scripts)
	}
	if want := "amf0: invalid object reference 0 (table has 0) at offset 55"; fmt.Sprint(got.Err) != want {
		t.Fatalf("error = %v, want %s", got.Err, want)
	}
}

// TestFLVStreamMemory: over a stream, audio and video data are read past
// without being held, and a script tag that claims more than it holds
// costs what came, not what it claims.
func TestFLVStreamMemory(t *testing.T) {
	const videoTags = 40 // 40 tags of 16 MiB - 1: 640 MiB of "video"
	var parts []io.Reader
	parts = append(parts, bytes.NewReader(mustHex(`"FLV" 01 05 00 00 00 09`)))
	for i := 0; i < videoTags; i++ {
		parts = append(parts, bytes.NewReader(mustHex(`00 00 00 00  09 FF FF FF 00 00 00 00 00 00 00`)),
			io.LimitReader(zeros{}, 0xFFFFFF))
	}
	parts = append(parts, bytes.NewReader(mustHex(`00 00 00 00  12 FF FF FF 00 00 00 00 00 00 00  02 00 01 "a"`)))
	fr := NewFLVStreamReader(io.MultiReader(parts...))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	got := readAllFLV(fr)
	runtime.ReadMemStats(&after)
	if len(got.Tags) != videoTags {
		t.Fatalf("read %d tags, want %d", len(got.Tags), videoTags)
	}
	want := fmt.Sprintf("flv: tag %d: data size 16777215 exceeds the 4 bytes left: unexpected EOF at offset %d", videoTags, 9+videoTags*(15+0xFFFFFF)+4+1)
	if fmt.Sprint(got.Err) != want {
		t.Fatalf("error = %v, want %s", got.Err, want)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 2<<20 {
		t.Errorf("reading %d MiB of video allocated %d bytes, want under 2 MiB", videoTags*16, n)
	}
}

func member(ms []Member, name string) any {
	for _, m := range ms {
		if m.Name == name {
			return m.Value
		}
	}
	return nil
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// FuzzFLVReader: the reader never panics, reads the same over bytes and
// over a stream, returns only *SyntaxError values, and the dump of the
// same bytes ends with the same error (a wrong PreviousTagSize before it
// noted after it).
func FuzzFLVReader(f *testing.F) {
	for _, name := range []string{"flv/ffmpeg-lavf58-head.flv", "flv/go2rtc-amf0-payloads.flv", "public/jt1078/jt1078-onmetadata.flv", "public/jt1078/jt1078-onmetadata-size156.flv"} {
		if b, err := os.ReadFile(filepath.Join("../testdata", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 15 00 00 00 00 00 00 00  02 00 0A "onMetaData" 08 00 00 00 00 00 00 09  00 00 00 20`))
	f.Add(mustHex(`"FLV" 01 05 00 00 00 09  00 00 00 00  12 00 00 0B 00 00 00 00 00 00 00  02 00 01 "a" 03 00 00 09 07 00 00  00 00 00 16`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		got := readBothWays(t, data)
		var se *SyntaxError
		if got.Err != nil && !errors.As(got.Err, &se) {
			t.Fatalf("error %T %v is not a *SyntaxError", got.Err, got.Err)
		}
		dm := NewDump(data, DumpFLV)
		checkCover(t, "flv", data, dm)
		// The dump's error is the reader's, or, when the tag before had
		// a PreviousTagSize that is not its size, the reader's error
		// followed by the note that says so (as convert words it),
		// still wrapping the reader's *SyntaxError.
		if d, r := fmt.Sprint(dm.Err), fmt.Sprint(got.Err); d != r {
			var dse *SyntaxError
			if !strings.HasPrefix(d, r+"; its PreviousTagSize ") || !errors.As(dm.Err, &dse) || dse.Error() != r {
				t.Fatalf("dump error %v, reader error %v", dm.Err, got.Err)
			}
		}
	})
}

// TestFLVStreamReadError: a stream that fails (a disk, a connection) is
// reported with its own error, not as a file cut short; and the header
// stays readable after the last tag.
func TestFLVStreamReadError(t *testing.T) {
	data, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("input/output error")
	for _, cut := range []int{5, 11, 30, 200, 220} {
		fr := NewFLVStreamReader(io.MultiReader(bytes.NewReader(data[:cut]), iotest.ErrReader(boom)))
		got := readAllFLV(fr)
		if !errors.Is(got.Err, boom) {
			t.Errorf("cut at %d: error %v, want %v", cut, got.Err, boom)
		}
	}
	fr := NewFLVStreamReader(bytes.NewReader(data))
	if got := readAllFLV(fr); got.Err != nil || len(got.Tags) != 2 {
		t.Fatalf("read %d tags, %v", len(got.Tags), got.Err)
	}
	if h, err := fr.Header(); err != nil || h.Size != 9 {
		t.Errorf("Header() after the last tag = %+v, %v", h, err)
	}
	if _, err := fr.Next(); err != io.EOF {
		t.Errorf("Next() after the end = %v, want io.EOF", err)
	}
}

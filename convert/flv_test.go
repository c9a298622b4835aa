package convert

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/amfcall/amfcall/amf"
)

// FuzzFLVFromJSON: FLVFromJSON never panics, and what it writes reads
// back as an FLV with as many script tags; its error names a place in
// the input, and the FLV's typed JSON converts back to the same bytes
// (checkFLVPromises).
func FuzzFLVFromJSON(f *testing.F) {
	f.Add([]byte(`{"flv":[{"tag":0,"timestamp":0,"name":"onMetaData","value":{"duration":12.5}},{"timestamp":1500,"name":"c","value":null,"extra":[1,"x"]}]}`))
	f.Add([]byte(`{"flv":[]}`))
	f.Add([]byte(`{"flv":[{"name":"a","timestamp":4294967295}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		checkFLVPromises(t, data)
		out, err := FLVFromJSON(data)
		if err != nil {
			return
		}
		tags, err := ReadFLV(out)
		if err != nil {
			t.Fatalf("FLVFromJSON(%q) wrote an FLV that does not read: %v", data, err)
		}
		v, _ := FromJSON(data)
		list, _ := v.(*amf.Object).Get("flv")
		if n := len(list.(*amf.Array).Dense); len(tags) != n {
			t.Fatalf("FLVFromJSON(%q): %d tags read back, want %d", data, len(tags), n)
		}
	})
}

// TestReadFLVFiles converts the FLV files of testdata/flv (real data:
// see testdata/flv/README.md) to JSON and compares with the .json file
// beside each (written by the converter that read FLV before the
// FLVReader, so it also checks that nothing changed), over bytes and over
// a stream.
func TestReadFLVFiles(t *testing.T) {
	files, _ := filepath.Glob("../testdata/flv/*.flv")
	if len(files) < 2 {
		t.Fatalf("found %d FLV files in testdata/flv, want 2 or more", len(files))
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(strings.TrimSuffix(file, ".flv") + ".json")
			if err != nil {
				t.Fatal(err)
			}
			tags, err := ReadFLV(data)
			if err != nil {
				t.Fatal(err)
			}
			got, err := AppendValue(nil, flvValue(tags), nil)
			if err != nil {
				t.Fatal(err)
			}
			if got = append(got, '\n'); !bytes.Equal(got, want) {
				t.Errorf("JSON of %s:\n%s\nwant\n%s", file, got, want)
			}
			streamed, err := ReadFLVFrom(iotest.HalfReader(bytes.NewReader(data)))
			if err != nil || !reflect.DeepEqual(streamed, tags) {
				t.Errorf("ReadFLVFrom = %v, %v; ReadFLV = %v", streamed, err, tags)
			}
		})
	}
}

// TestReadFLVFromErrors: over a stream, the errors are ReadFLV's.
func TestReadFLVFromErrors(t *testing.T) {
	data := mustHex(t, flvExample)
	for _, in := range [][]byte{
		data[:40], data[:20], data[:8], data[:len(data)-4], data[:13],
		append([]byte("FLV\x02"), data[4:]...),
		append(append([]byte{}, data[:5]...), 0, 0, 0, 3, 0, 0, 0, 0),
		append(append([]byte{}, data[:5]...), 0, 0, 1, 0, 0, 0, 0, 0),
		append(append(append([]byte{}, data[:13+11+13]...), 0x42), data[13+11+14:]...),
	} {
		want, wantErr := ReadFLV(in)
		got, err := ReadFLVFrom(bytes.NewReader(in))
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Errorf("FLV %x: ReadFLVFrom = %v, %v; ReadFLV = %v, %v", in, got, err, want, wantErr)
		}
	}
}

// TestFLVTypedRoundTrip: an FLV of script tags only (real payloads)
// goes to typed JSON and back to the same bytes.
func TestFLVTypedRoundTrip(t *testing.T) {
	data, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
	if err != nil {
		t.Fatal(err)
	}
	tags, err := ReadFLV(data)
	if err != nil {
		t.Fatal(err)
	}
	js, err := AppendValue(nil, flvValue(tags), &Options{Typed: true})
	if err != nil {
		t.Fatal(err)
	}
	back, err := FLVFromJSON(js)
	if err != nil {
		t.Fatalf("FLVFromJSON(%s): %v", js, err)
	}
	if !bytes.Equal(back, data) {
		t.Fatalf("typed round trip differs:\n% x\nwant\n% x", back, data)
	}
}

// TestFLVTypedWarnsLeftOut: the typed JSON of an FLV with a video tag
// (FFmpeg's head: onMetaData, then the AVC sequence header) says, once,
// what it leaves out, read whole (Load) and as a stream (LoadFLV); the
// JSON converted back is the script tag alone, as the warning says. An
// FLV of script tags only, and the plain form, give no warning.
func TestFLVTypedWarnsLeftOut(t *testing.T) {
	head, err := os.ReadFile("../testdata/flv/ffmpeg-lavf58-head.flv")
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := os.ReadFile("../testdata/flv/go2rtc-amf0-payloads.flv")
	if err != nil {
		t.Fatal(err)
	}
	const want = "x.flv: the JSON holds the script data tags only, not 1 other tag (1 video, 46 bytes of data): an FLV file written from it has no audio or video"
	for _, tc := range []struct {
		name  string
		data  []byte
		typed bool
		want  []string
	}{
		{"video, typed", head, true, []string{want}},
		{"video, plain", head, false, nil},
		{"script tags only, typed", scripts, true, nil},
	} {
		load := map[string]func() (*Source, error){
			"Load": func() (*Source, error) { return Load(bytes.Clone(tc.data), "x.flv", InSpec{}) },
			"LoadFLV": func() (*Source, error) {
				src, _, err := LoadFLV(bytes.NewReader(tc.data), "x.flv", false)
				return src, err
			},
		}
		for how, f := range load {
			src, err := f()
			if err != nil {
				t.Fatal(tc.name, how, err)
			}
			var warns []string
			out, err := src.Render(Target{Format: "json"}, &Options{Typed: tc.typed, Warn: func(m string) { warns = append(warns, m) }})
			if err != nil {
				t.Fatal(tc.name, how, err)
			}
			if strings.Join(warns, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("%s (%s): warnings %q, want %q", tc.name, how, warns, tc.want)
			}
			if tc.typed && len(tc.want) > 0 {
				back, err := FLVFromJSON(out)
				if err != nil {
					t.Fatal(err)
				}
				// The header, the script tag (164 bytes of data and 11 of
				// header) and the sizes before and after it.
				if len(back) != 9+4+11+164+4 || len(tags(t, back)) != 1 {
					t.Errorf("%s (%s): %d bytes back", tc.name, how, len(back))
				}
			}
		}
	}
}

func tags(t *testing.T, data []byte) []FLVTag {
	t.Helper()
	ts, err := ReadFLV(data)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

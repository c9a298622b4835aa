package convert

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func encodeAll(vs []any, ver amf.Version) ([]byte, error) {
	var buf bytes.Buffer
	enc := amf.NewEncoder(&buf, ver)
	for _, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./convert -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n got %s\nwant %s", path, got, want)
	}
}

// TestVectorsJSON pins the plain and typed JSON of every PyAMF vector and
// checks that AMF -> typed JSON -> AMF gives back the same bytes.
func TestVectorsJSON(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf[03]")
	if len(files) < 100 {
		t.Fatalf("found only %d vectors", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			ver := amf.AMF0
			if strings.HasSuffix(name, ".amf3") {
				ver = amf.AMF3
			}
			vs, err := amf.UnmarshalAll(data, ver)
			golden := filepath.Join("../testdata/golden", name)
			if err != nil {
				checkGolden(t, golden+".err", []byte(err.Error()+"\n"))
				return
			}
			plain, err := AppendValues(nil, vs, &Options{})
			if err != nil {
				t.Fatalf("plain: %v", err)
			}
			checkGolden(t, golden+".json", plain)
			direct, err := AppendAMF(nil, data, ver, &Options{})
			if err != nil || !bytes.Equal(direct, plain) {
				t.Errorf("AppendAMF = %s, %v; want %s", direct, err, plain)
			}
			typed, err := AppendValues(nil, vs, &Options{Typed: true})
			if err != nil {
				t.Fatalf("typed: %v", err)
			}
			checkGolden(t, golden+".typed.json", typed)

			back, err := FromJSONLines(typed)
			if err != nil {
				t.Fatalf("reading typed JSON back: %v", err)
			}
			out, err := encodeAll(back, ver)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("AMF -> typed JSON -> AMF differs:\n got %x\nwant %x\njson %s", out, data, typed)
			}
		})
	}
}

// TestPacketsJSON does the same for whole remoting packets: the PyAMF
// envelope vectors and the recorded gateway exchanges.
func TestPacketsJSON(t *testing.T) {
	files, _ := filepath.Glob("../testdata/pyamf/vectors/env_*.amf")
	caps, _ := filepath.Glob("../testdata/pyamf/captures/*.amf")
	for _, f := range append(files, caps...) {
		name := filepath.Base(f)
		if strings.Contains(name, "garbage") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(f)
			p, err := amf.UnmarshalPacket(data)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("../testdata/golden", strings.TrimSuffix(name, ".amf"))
			plain, err := AppendPacket(nil, p, &Options{Indent: "  "})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, golden+".json", append(plain, '\n'))
			typed, err := AppendPacket(nil, p, &Options{Typed: true, Indent: "  "})
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, golden+".typed.json", append(typed, '\n'))
			back, err := PacketFromJSON(typed)
			if err != nil {
				t.Fatalf("reading typed JSON back: %v", err)
			}
			out, err := amf.MarshalPacket(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, data) {
				t.Errorf("AMF -> typed JSON -> AMF differs:\n got %x\nwant %x\njson %s", out, data, typed)
			}
		})
	}
}

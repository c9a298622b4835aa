package convert

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// checkTyped holds the direct typed writer to the value path (decode
// with amf.UnmarshalAll, write with AppendValues): the same bytes, or
// the same error. It reports whether the direct writer took the input.
func checkTyped(t *testing.T, data []byte, ver amf.Version, o *Options) bool {
	t.Helper()
	model, merr := appendAMFModel(nil, data, ver, o)
	var buf bytes.Buffer
	ok, derr := writeTypedDirect(&buf, data, ver, o)
	if !ok {
		if buf.Len() > 0 {
			t.Fatalf("%v %x: the direct writer wrote %q and then left the input to the value path", ver, data, buf.Bytes())
		}
		if merr == nil && (ver != amf.AMF0 || !traitsClash(data)) {
			t.Fatalf("%v %x: the direct writer did not take input that the value path converts", ver, data)
		}
		return false
	}
	if merr != nil || derr != nil {
		if merr == nil || derr == nil || merr.Error() != derr.Error() {
			t.Fatalf("%v %x: direct: %v; value path: %v", ver, data, derr, merr)
		}
		return true
	}
	if !bytes.Equal(buf.Bytes(), model) {
		t.Fatalf("%v %x:\ndirect %s\nmodel  %s", ver, data, buf.Bytes(), model)
	}
	return true
}

// corpusInputs returns the inputs a file holds: the []byte values of a
// Go fuzz corpus file, or the file's bytes.
func corpusInputs(data []byte) [][]byte {
	if !bytes.HasPrefix(data, []byte("go test fuzz v1\n")) {
		return [][]byte{data}
	}
	var out [][]byte
	for _, line := range strings.Split(string(data), "\n")[1:] {
		if s, ok := strings.CutPrefix(line, "[]byte("); ok && strings.HasSuffix(s, ")") {
			if b, err := strconv.Unquote(strings.TrimSuffix(s, ")")); err == nil {
				out = append(out, []byte(b))
			}
		}
	}
	return out
}

// typedOptions are the forms the differential tests compare: compact,
// --pretty, coloured, and an output limit that some inputs reach.
var typedOptions = []struct {
	name string
	o    Options
}{
	{"compact", Options{Typed: true}},
	{"pretty", Options{Typed: true, Indent: "  "}},
	{"color", Options{Typed: true, Palette: DefaultPalette}},
	{"limit", Options{Typed: true, MaxOutput: 200}},
}

// TestTypedDirectDifferential converts every file under testdata/ (the
// golden files, the PyAMF vectors and captures, the fuzz corpora), and
// the shared PyAMF vectors and captures where present, as bare AMF0 and
// AMF3 values through both paths.
func TestTypedDirectDifferential(t *testing.T) {
	roots := []string{"../testdata", "testdata", "../amf/testdata", "/work/shared/vectors/pyamf", "/work/shared/captures/pyamf"}
	files, taken := 0, 0
	for _, root := range roots {
		if _, err := os.Stat(root); err != nil && !strings.HasPrefix(root, "..") && root != "testdata" {
			continue // the shared folders exist only on the build machine
		}
		tree, err := readTree(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range tree {
			if strings.Contains(f.path, "/bench/") || len(f.data) > 1<<20 {
				continue
			}
			files++
			for _, in := range corpusInputs(f.data) {
				for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
					for _, tc := range typedOptions {
						o := tc.o
						if checkTyped(t, in, ver, &o) && tc.name == "compact" {
							taken++
						}
					}
				}
			}
		}
	}
	t.Logf("%d files, %d inputs converted by the direct writer", files, taken)
	if taken < atLeast(800) {
		t.Errorf("only %d inputs taken by the direct writer", taken)
	}
}

// TestTypedDirectRender goes through the pipeline as "amfcall convert
// --typed" does: Load, then RenderTo (the direct writer), against Render
// (the value path), on every file the guess takes for bare values.
func TestTypedDirectRender(t *testing.T) {
	files, taken := 0, 0
	for _, pattern := range []string{"../testdata/pyamf/vectors/*", "../testdata/golden/*.amf*", "../testdata/pyamf/captures/*"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, tc := range typedOptions {
				o := tc.o
				src, err := Load(bytes.Clone(data), name, InSpec{})
				if err != nil || src.Kind != KindValue {
					continue
				}
				tg := Target{Format: "json"}
				var buf bytes.Buffer
				ok, derr := src.RenderTo(&buf, tg, &o)
				src2, _ := Load(bytes.Clone(data), name, InSpec{})
				want, merr := src2.Render(tg, &o)
				if !ok {
					if buf.Len() > 0 {
						t.Fatalf("%s: RenderTo wrote %q and reported false", name, buf.Bytes())
					}
					continue
				}
				if tc.name == "compact" {
					taken++
				}
				if (derr == nil) != (merr == nil) || derr != nil && derr.Error() != merr.Error() {
					t.Fatalf("%s (%s): RenderTo: %v; Render: %v", name, tc.name, derr, merr)
				}
				if derr == nil && !bytes.Equal(buf.Bytes(), want) {
					t.Fatalf("%s (%s):\nRenderTo %s\nRender   %s", name, tc.name, buf.Bytes(), want)
				}
			}
		}
	}
	t.Logf("%d files, %d rendered by the direct writer", files, taken)
	if taken < 90 {
		t.Errorf("only %d files rendered by the direct writer", taken)
	}
}

// TestTypedDirectCases: hand-made inputs for what the files may lack.
func TestTypedDirectCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  amf.Version
		hex  string
		want string // the compact typed JSON
	}{
		{"shared object across values", amf.AMF3, "0a0b010361040301" + "0a00", `{"$id":1,"a":3}` + "\n" + `{"$ref":1}` + "\n"},
		{"cycle", amf.AMF3, "0a0b0103610a0001", `{"$id":1,"a":{"$ref":1}}` + "\n"},
		{"shared dense array", amf.AMF3, "09050104010402" + "0900", `{"$id":1,"$assoc":{},"$dense":[1,2]}` + "\n" + `{"$ref":1}` + "\n"},
		{"mixed array", amf.AMF3, "0903036b0601010401", `{"$assoc":{"k":""},"$dense":[1]}` + "\n"},
		{"mixed array without dense items", amf.AMF3, "0901036b040701", `{"$assoc":{"k":7},"$dense":[]}` + "\n"},
		{"latin1 string and name", amf.AMF3, "0a0b0103e906056ce901", `{"$latin1:é":{"$latin1":"lé"}}` + "\n"},
		{"dollar name", amf.AMF3, "0a0b01052461040101", `{"$$a":1}` + "\n"},
		{"sealed typed object", amf.AMF3, "0a13034303610401", `{"$class":"C","a":1}` + "\n"},
		{"dynamic typed object", amf.AMF3, "0a0b034303620402" + "01", `{"$class":"C","$traits":{"sealed":[],"dynamic":true},"b":2}` + "\n"},
		{"same traits again inline", amf.AMF3, "0a13034303610401" + "0a130002" + "0402", `{"$class":"C","a":1}` + "\n" + `{"$class":"C","$traits":{"sealed":["a"],"dynamic":false,"inline":true},"a":2}` + "\n"},
		{"ecma array count", amf.AMF0, "0800000005000161004000000000000000000009", `{"$ecma":{"a":2.0},"$count":5}` + "\n"},
		{"amf0 shared strict array", amf.AMF0, "0a00000002" + "05" + "070000", `{"$id":1,"$assoc":{},"$dense":[null,{"$ref":1}]}` + "\n"},
		{"amf0 date tz", amf.AMF0, "0b4277003326800000ff88", `{"$date":"2020-02-02T00:00:00.000Z","$tz":-120}` + "\n"},
		{"undefined, NaN, -0", amf.AMF3, "00" + "057ff8000000000000" + "058000000000000000", `{"$undefined":true}` + "\n" + `{"$double":"NaN"}` + "\n" + `-0.0` + "\n"},
		{"vector of objects", amf.AMF3, "1003000343" + "0a0b0101", `{"$vector":"object","type":"C","fixed":false,"items":[{}]}` + "\n"},
		{"dictionary", amf.AMF3, "1103000401" + "0402", `{"$dictionary":[[1,2]],"weakKeys":false}` + "\n"},
		{"bytearray shared", amf.AMF3, "0905010c05ff00" + "0c02", `[{"$id":1,"$bytes":"/wA="},{"$ref":1}]` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(t, tc.hex)
			var buf bytes.Buffer
			ok, err := writeTypedDirect(&buf, data, tc.ver, &Options{Typed: true})
			if !ok || err != nil {
				t.Fatalf("writeTypedDirect(0x%x) = %v, %v", data, ok, err)
			}
			if buf.String() != tc.want {
				t.Errorf("writeTypedDirect(0x%x) = %s, want %s", data, buf.Bytes(), tc.want)
			}
			checkTyped(t, data, tc.ver, &Options{Typed: true})
			checkTyped(t, data, tc.ver, &Options{Typed: true, Indent: "\t"})
		})
	}
}

// FuzzTypedDirect: on any bytes, the direct typed writer gives the value
// path's bytes or error, or leaves the input to it.
func FuzzTypedDirect(f *testing.F) {
	addSeeds(f, "../testdata/pyamf/vectors/*.amf3")
	addSeeds(f, "../testdata/pyamf/vectors/*.amf0")
	for _, h := range []string{"0a00000002110401110c03ff", "110a0b010361040101110a00", "03000009110a0b0101",
		"100001430001610040000000000000000000" + "09" + "110a13034303610401", "1000014300016111" + "0a0b0101" + "000009"} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzTables(t, data)
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			checkTyped(t, data, ver, &Options{Typed: true, MaxOutput: 1 << 20})
			checkTyped(t, data, ver, &Options{Typed: true, Indent: " ", MaxOutput: 1 << 20})
		}
		// The same bytes as two AMF Socket frames.
		k := len(data) / 2
		checkFramesTyped(t, frames(data[:k], data[k:]), Options{Typed: true, MaxOutput: 1 << 20})
		checkFramesTyped(t, data, Options{Typed: true, MaxOutput: 1 << 20})
	})
}

// TestAppendTypedDouble holds appendTypedDouble to appendDouble's typed
// form.
func TestAppendTypedDouble(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 5, 1e15 - 1, 1e15, -1e15, 1e21, 123456789.5, 0.1, 2.5, -3.25, 1.0001,
		0.00001, 1e-7, 999999999.9999, 1e9 + 0.5, math.MaxFloat64, math.SmallestNonzeroFloat64, 1 << 53, -(1 << 62)} {
		got := string(appendTypedDouble(nil, x))
		want := string(appendDouble(nil, x, true))
		if got != want {
			t.Errorf("appendTypedDouble(%v) = %s, want %s", x, got, want)
		}
	}
}

// TestTypedDirectSwitch: AMF0 values with AMF3 ones inside (0x11), as the
// value path writes them: the {"$amf3": ...} wrapper, references across
// switches, and the traits rule that mixes AMF0 objects' canonical traits
// with the AMF3 objects' own; an AMF3 object inside an AMF0 typed object
// is left to the value path.
func TestTypedDirectSwitch(t *testing.T) {
	for _, tc := range []struct {
		name string
		hex  string
		want string // the compact typed JSON; "" when left to the value path
	}{
		{"switched integer", "110405", `{"$amf3":5}` + "\n"},
		{"in a strict array", "0a00000002" + "110401" + "110c03ff", `[{"$amf3":1},{"$amf3":{"$bytes":"/w=="}}]` + "\n"},
		{"reference across switches", "110a0b010361040101" + "110a00", `{"$amf3":{"$id":1,"a":1}}` + "\n" + `{"$amf3":{"$ref":1}}` + "\n"},
		{"anonymous traits after an AMF0 object", "03000009" + "110a0b0101", `{}` + "\n" + `{"$amf3":{"$traits":{"sealed":[],"dynamic":true,"inline":true}}}` + "\n"},
		{"after an AMF0 typed object", "100001430001610040000000000000000000" + "09" + "110a1303430361" + "0401",
			`{"$class":"C","a":2.0}` + "\n" + `{"$amf3":{"$class":"C","$traits":{"sealed":["a"],"dynamic":false,"inline":true},"a":1}}` + "\n"},
		{"inside an AMF0 typed object", "1000014300016111" + "0a0b0101" + "000009", ""},
		{"switched object in an AMF0 object", "0300016111" + "0a0b010362" + "0402" + "01" + "000009", `{"a":{"$amf3":{"$traits":{"sealed":[],"dynamic":true,"inline":true},"b":2}}}` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := mustHex(t, tc.hex)
			var buf bytes.Buffer
			ok, err := writeTypedDirect(&buf, data, amf.AMF0, &Options{Typed: true})
			if err != nil || ok != (tc.want != "") {
				t.Fatalf("writeTypedDirect(0x%x) = %v, %v", data, ok, err)
			}
			if buf.String() != tc.want {
				t.Errorf("writeTypedDirect(0x%x) = %s, want %s", data, buf.Bytes(), tc.want)
			}
			checkTyped(t, data, amf.AMF0, &Options{Typed: true})
			checkTyped(t, data, amf.AMF0, &Options{Typed: true, Indent: "  "})
		})
	}
}

// TestTypedDirectDates: dates of one day and of others (the writer keeps
// the last day's text), 1970-01-01 (day 0) first, before 1970, and ones
// typed JSON writes as numbers, in AMF3 and AMF0.
func TestTypedDirectDates(t *testing.T) {
	var items []any
	for _, ms := range []float64{0, 1, 86399999, 86400000, -1, -86400001, 1.5e12, 1.5e12 + 3600000, 1.5e12 + 86400000*400, 0.5, math.NaN(), 253402300800000, -62167219200001} {
		items = append(items, &amf.Date{Ms: ms})
	}
	for _, ver := range []amf.Version{amf.AMF3, amf.AMF0} {
		data, err := amf.Marshal(&amf.Array{Dense: items}, ver)
		if err != nil {
			t.Fatal(err)
		}
		if !checkTyped(t, data, ver, &Options{Typed: true}) {
			t.Fatalf("%v: the direct writer did not take the dates", ver)
		}
		checkTyped(t, data, ver, &Options{Typed: true, Indent: " "})
	}
}

// TestTypedDirectLong: a ByteArray and strings over bigOut, written to
// the output in pieces, and a long string that is not UTF-8.
func TestTypedDirectLong(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789\"\\\n\u00e9\u2028"), 3<<20/16)
	latin := bytes.Repeat([]byte{'a', 0xe9}, 1<<20)
	var every []byte // every byte but 0xED, which may start CESU-8
	for len(every) < 2<<20 {
		for c := range 256 {
			if c != 0xED {
				every = append(every, byte(c))
			}
		}
	}
	v := &amf.Array{Dense: []any{&amf.ByteArray{Data: big[:3<<20+1]}, string(big), string(latin), &amf.XML{Text: string(big)},
		string(every), &amf.XML{Text: string(every)}}}
	data, err := amf.Marshal(v, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{Typed: true}, {Typed: true, Indent: "  "}} {
		if !checkTyped(t, data, amf.AMF3, &o) {
			t.Fatal("the direct writer did not take the input")
		}
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		return 0, errors.New("disk full")
	}
	f.n -= len(p)
	return len(p), nil
}

// TestTypedDirectWriteError: an error writing the output, in the middle
// of a long string written in pieces or between values, is returned.
func TestTypedDirectWriteError(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	for _, v := range []any{big, &amf.Array{Dense: []any{big, 1}}} {
		data, err := amf.Marshal(v, amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := writeTypedDirect(&failWriter{n: 1 << 20}, data, amf.AMF3, &Options{Typed: true})
		if !ok || err == nil || err.Error() != "disk full" {
			t.Fatalf("writeTypedDirect to a failing writer = %v, %v", ok, err)
		}
	}
}

// checkFramesTyped holds the direct typed writer of AMF Socket frames to
// the value path (framesJSON): the same bytes, warnings and error, or
// the input left to the value path with nothing written. It reports
// whether the direct writer took the input.
func checkFramesTyped(t *testing.T, data []byte, o Options) bool {
	t.Helper()
	var mw, dw []string
	mo, do := o, o
	mo.Warn = func(s string) { mw = append(mw, s) }
	do.Warn = func(s string) { dw = append(dw, s) }
	src := &Source{Name: "in", Kind: KindSocket, Data: data}
	model, merr := src.framesJSON(&mo)
	var buf bytes.Buffer
	ok, derr := src.renderFramesTypedTo(&buf, &do)
	if !ok {
		if buf.Len() > 0 || len(dw) > 0 {
			t.Fatalf("%x: the direct writer wrote %q, warned %q and left the input to the value path", data, buf.Bytes(), dw)
		}
		if merr == nil {
			t.Fatalf("%x: the direct writer did not take frames that the value path converts", data)
		}
		return false
	}
	if strings.Join(dw, "\n") != strings.Join(mw, "\n") {
		t.Fatalf("%x: direct warns %q; value path %q", data, dw, mw)
	}
	if merr != nil || derr != nil {
		if merr == nil || derr == nil || merr.Error() != derr.Error() {
			t.Fatalf("%x: direct: %v; value path: %v", data, derr, merr)
		}
		return true
	}
	if !bytes.Equal(buf.Bytes(), model) {
		t.Fatalf("%x:\ndirect %s\nmodel  %s", data, buf.Bytes(), model)
	}
	return true
}

// frames makes a capture of AMF Socket frames of the payloads.
func frames(payloads ...[]byte) []byte {
	var out []byte
	for _, p := range payloads {
		out = binary.BigEndian.AppendUint32(out, uint32(len(p)))
		out = append(out, p...)
	}
	return out
}

// TestTypedDirectFrames: captures of frames made of the AMF3 vectors
// (three a capture, the middle one with bytes after its value), the
// socket test data, and frames that do not decode.
func TestTypedDirectFrames(t *testing.T) {
	names, _ := filepath.Glob("../testdata/pyamf/vectors/*.amf3")
	captures, _ := filepath.Glob("../testdata/socket/*.frames")
	var payloads [][]byte
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		payloads = append(payloads, data)
	}
	taken := 0
	for i := 0; i+2 < len(payloads); i++ {
		in := frames(payloads[i], append(bytes.Clone(payloads[i+1]), 0x01, 0x02), payloads[i+2])
		for _, tc := range typedOptions {
			if checkFramesTyped(t, in, tc.o) && tc.name == "compact" {
				taken++
			}
		}
	}
	for _, name := range captures {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range typedOptions {
			if !checkFramesTyped(t, data, tc.o) {
				t.Errorf("%s: the direct writer did not take the capture", name)
			}
		}
	}
	for _, in := range [][]byte{frames([]byte{0x0a}), frames([]byte{0x04, 0x01}, []byte{0x09}), {0, 0, 0, 0}, {0, 0, 0, 2, 4}, frames([]byte{0x0a, 0x0b, 0x01, 0x01}, []byte{0x0a, 0x00})} {
		checkFramesTyped(t, in, Options{Typed: true})
	}
	t.Logf("%d captures, %d taken by the direct writer", len(payloads)-2+len(captures), taken)
	if taken < 90 {
		t.Errorf("only %d captures taken by the direct writer", taken)
	}
}

// stringRefBomb is an AMF3 array of one n-byte string and k references
// to it: 2k+n bytes that are about k*n bytes of JSON, typed or plain,
// since typed JSON marks shared objects but writes strings out.
func stringRefBomb(n, k int) []byte {
	u29 := func(v int) []byte { // v < 2^21
		switch {
		case v < 0x80:
			return []byte{byte(v)}
		case v < 0x4000:
			return []byte{byte(v>>7) | 0x80, byte(v & 0x7f)}
		}
		return []byte{byte(v>>14) | 0x80, byte(v>>7) | 0x80, byte(v & 0x7f)}
	}
	out := append([]byte{0x09}, u29((k+1)<<1|1)...)
	out = append(out, 0x01, 0x06)
	out = append(out, u29(n<<1|1)...)
	out = append(out, bytes.Repeat([]byte("A"), n)...)
	for range k {
		out = append(out, 0x06, 0x00)
	}
	return out
}

// TestTypedOutputLimitStringRefs: typed output is bounded by MaxOutput
// inside a value too, on the direct writer, the value path and in a
// packet (a 100 kB string referenced 20,000 times was 2 GB of typed
// JSON, held in memory whole by the value path).
func TestTypedOutputLimitStringRefs(t *testing.T) {
	data := stringRefBomb(100_000, 20_000)
	o := &Options{Typed: true, MaxOutput: 1 << 20}
	want := "json: typed output exceeds 1048576 bytes (strings sent by reference are written out at each use)"
	check := func(what string, err error) {
		t.Helper()
		var te *TypedOutputLimitError
		var le *OutputLimitError
		if !errors.As(err, &te) || !errors.As(err, &le) || le.Limit != 1<<20 || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%s: err = %v, want a TypedOutputLimitError %q", what, err, want)
		}
	}
	_, err := appendAMFModel(nil, data, amf.AMF3, o)
	check("value path", err)
	var buf bytes.Buffer
	ok, err := writeTypedDirect(&buf, data, amf.AMF3, o)
	if !ok {
		t.Fatal("the direct writer did not take the input")
	}
	check("direct", err)
	if buf.Len() > 2<<20 {
		t.Errorf("direct: %d bytes written past a limit of 1 MiB", buf.Len())
	}
	// In a packet, which goes through the value model.
	pkt := []byte{0, 3, 0, 0, 0, 1, 0, 11}
	pkt = append(pkt, "/1/onResult"...)
	pkt = append(pkt, 0, 4, 'n', 'u', 'l', 'l')
	pkt = binary.BigEndian.AppendUint32(pkt, uint32(len(data)+1))
	pkt = append(append(pkt, 0x11), data...)
	src, err := Load(pkt, "in", InSpec{})
	if err != nil || src.Kind != KindPacket {
		t.Fatalf("Load: %v, kind %v", err, src.Kind)
	}
	tg, err := src.Target(OutSpec{Format: "json"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = src.Render(tg, o)
	check("packet", err)
	// The plain form keeps its own error.
	_, err = appendAMFModel(nil, data, amf.AMF3, &Options{MaxOutput: 1 << 20})
	var te *TypedOutputLimitError
	if le := new(*OutputLimitError); !errors.As(err, le) || errors.As(err, &te) {
		t.Errorf("plain: err = %v, want an OutputLimitError", err)
	}
}

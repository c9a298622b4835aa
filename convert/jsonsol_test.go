package convert

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// checkSOLPaths is checkPacketPaths for the JSON form of a .sol file.
func checkSOLPaths(t *testing.T, name string, in []byte) bool {
	t.Helper()
	var mk, dk dupKeys // keys given twice: the same warning by every path
	want, werr := appendSOLModel(nil, in, &mk)
	got, gerr := appendSOLJSON(nil, in, &dk)
	comparePaths(t, name+" (append)", want, werr, got, gerr)
	sameDups(t, name+" (append)", in, &mk, &dk)
	var buf bytes.Buffer
	dk = dupKeys{}
	gerr = writeSOLJSON(&buf, in, &dk)
	sameDups(t, name+" (write)", in, &mk, &dk)
	if gerr != nil && buf.Len() > 0 {
		t.Errorf("%s (write): %d bytes written before the error %v", name, buf.Len(), gerr)
	}
	comparePaths(t, name+" (write)", want, werr, buf.Bytes(), gerr)

	defer func(n int) { onePassSOL = n }(onePassSOL)
	onePassSOL = 0
	buf.Reset()
	dk = dupKeys{}
	gerr = writeSOLJSON(&buf, in, &dk)
	if gerr != nil && buf.Len() > 0 {
		t.Errorf("%s (counted): %d bytes written before the error %v", name, buf.Len(), gerr)
	}
	sameDups(t, name+" (counted)", in, &mk, &dk)
	comparePaths(t, name+" (counted)", want, werr, buf.Bytes(), gerr)
	_, took, _ := solDirect(nil, &buf, in, nil)
	return took
}

// TestSOLJSONPaths: the JSON of every file under testdata/ and of every
// .sol and packet there and in the shared vectors and captures, plain
// and typed, as AMF0 and AMF3 files (the packet's JSON as a .sol's
// data), to a .sol through the value model and the direct paths.
func TestSOLJSONPaths(t *testing.T) {
	files, inputs, taken := 0, 0, 0
	for _, root := range sharedRoots {
		if _, err := os.Stat(root); err != nil && strings.HasPrefix(root, "/work/") {
			continue
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
			for k, in := range jsonInputs(f.data) {
				for v, variant := range solVariants(in) {
					inputs++
					if checkSOLPaths(t, fmt.Sprintf("%s #%d/%d", f.path, k, v), variant) {
						taken++
					}
				}
			}
		}
	}
	t.Logf("%d files, %d inputs, %d taken by the direct path", files, inputs, taken)
	if taken < atLeast(500) {
		t.Errorf("only %d inputs taken by the direct path", taken)
	}
}

// solVariants returns in and, for the JSON of a .sol, the same in the
// other version; any other JSON object becomes a .sol's data, AMF0 and
// AMF3.
func solVariants(in []byte) [][]byte {
	out := [][]byte{in}
	if IsSOLJSON(in) {
		for _, r := range [][2]string{{`"version":0`, `"version":3`}, {`"version":3`, `"version":0`}} {
			if v := bytes.ReplaceAll(in, []byte(r[0]), []byte(r[1])); !bytes.Equal(v, in) {
				out = append(out, v)
			}
		}
		return out
	}
	if t := bytes.TrimSpace(in); len(t) > 0 && t[0] == '{' {
		for _, ver := range []string{"0", "3"} {
			out = append(out, []byte(`{"sol":"x","version":`+ver+`,"data":`+string(t)+`}`))
		}
	}
	return out
}

// TestSOLJSONCases: the envelope, references to the data object and
// between entries, and errors, through both paths.
func TestSOLJSONCases(t *testing.T) {
	cases := []string{
		`{"sol":"a","version":0,"data":{}}`,
		`{"sol":"a","data":{"x":1}}`,
		`{"sol":"a","version":0}`,
		`{"sol":"a","version":0,"data":{"$id":1,"self":{"$ref":1},"o":{"$id":2,"a":1},"p":{"$ref":2}}}`,
		`{"sol":"a","version":3,"data":{"$id":1,"self":{"$ref":1}}}`,
		`{"sol":"a","version":0,"data":{"self":{"$ref":1},"$id":1}}`,
		`{"sol":"a","version":0,"data":{"self":{"$ref":"/data"}}}`,
		`{"sol":"a","version":0,"data":{"d":{"$date":0},"x":{"$xmldoc":"<a/>"},"o":{"$id":1,"a":1},"p":{"$ref":1}}}`,
		`{"sol":"a","version":0,"data":{"a":{"$amf3":{"k":"s"}},"b":{"$amf3":{"k":"s"}},"c":{"$bytes":"AA=="}}}`,
		`{"sol":"a","version":3,"data":{"a":{"k":"s"},"b":{"k":"s"},"k":"s","v":{"$vector":"int","items":[1]}}}`,
		`{"sol":"a","version":3,"data":{"":1}}`,
		`{"sol":"a","version":0,"data":{"":1}}`,
		`{"sol":"\u0041","version":0,"data":{"$$k":1,"\u0024id":2}}`,
		`{"sol":"a","version":0,"data":{"$id":0}}`,
		`{"sol":"a","version":1,"data":{}}`,
		`{"sol":1,"data":{}}`,
		`{"sol":"a","data":[]}`,
		`{"sol":"a","data":{},"x":1}`,
		`{"sol":"a","sol":"b","data":{}}`,
		`{"sol":"a","data":{}} 1`,
		`{"sol":"a","data":{"x":[1,}}`,
		`{"sol":"` + strings.Repeat("x", 70000) + `","data":{}}`,
		`{"sol":"a","data":{"` + strings.Repeat("x", 70000) + `":1}}`,
		`{"sol":"a","version":0,"data":{"a":` + strings.Repeat("[", 510) + strings.Repeat("]", 510) + `}}`,
		`{"sol":"a","version":0,"data":{"a":` + strings.Repeat("[", 511) + strings.Repeat("]", 511) + `}}`,
	}
	for i, c := range cases {
		if took := checkSOLPaths(t, fmt.Sprintf("case %d", i), []byte(c)); testing.Verbose() {
			t.Logf("case %d: direct %v", i, took)
		}
	}
}

// TestSOLJSONRender goes through the pipeline as "amfcall convert --to
// sol" does: RenderTo against Render.
func TestSOLJSONRender(t *testing.T) {
	for _, in := range []string{`{"sol":"a","version":0,"data":{"x":[1,"s"]}}`, `{"sol":"a","version":2,"data":{}}`, `{"sol":"a","data":{"x":}}`} {
		for _, enc := range []Encoding{Raw, Hex} {
			src := &Source{Name: "in.json", Kind: KindJSON, Data: []byte(in)}
			tg := Target{Format: "sol", Encoding: enc}
			want, werr := src.Render(tg, &Options{})
			var buf bytes.Buffer
			ok, gerr := src.RenderTo(&buf, tg, &Options{})
			if !ok {
				t.Fatalf("%s: RenderTo did not take a .sol", in)
			}
			comparePaths(t, in, want, werr, buf.Bytes(), gerr)
		}
	}
}

// TestSOLJSONLarge: a .sol holding W1(20000), AMF0 and AMF3, plain and
// typed JSON, counted first and streamed; the typed round trip
// byte-exact.
func TestSOLJSONLarge(t *testing.T) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		orig, err := amf.MarshalSOL(&amf.SOL{Name: "big", Version: ver, Members: []amf.Member{{Name: "list", Value: amftest.W1(20000)}, {Name: "n", Value: amf.Int(1)}}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := amf.UnmarshalSOL(orig)
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []bool{false, true} {
			j, err := AppendSOL(nil, s, &Options{Typed: typed})
			if err != nil {
				t.Fatal(err)
			}
			if !checkSOLPaths(t, fmt.Sprintf("%v typed %v", ver, typed), j) {
				t.Errorf("%v typed %v: not taken by the direct path", ver, typed)
			}
			if typed {
				var buf bytes.Buffer
				defer func(n int) { onePassSOL = n }(onePassSOL)
				onePassSOL = 0
				if err := WriteSOLJSON(&buf, j); err != nil || !bytes.Equal(buf.Bytes(), orig) {
					t.Errorf("%v typed round trip: %v, %d bytes, want %d", ver, err, buf.Len(), len(orig))
				}
			}
		}
	}
}

// TestSOLJSONEncodePaths: what cannot be written into a .sol names
// where it is in the JSON the user wrote: the file's name is "sol"
// there (amf's own path for it is "/name"), its members are under
// "data" (a member called "name" among them); by every path. (A long
// path is cut short in the message: for those the start is checked.)
func TestSOLJSONEncodePaths(t *testing.T) {
	long := strings.Repeat("k", 70000)
	const unenc = `: value cannot be encoded: a member or class name longer than 65535 bytes within `
	for _, tc := range []struct{ in, want string }{
		{`{"sol":"` + long + `","version":3,"data":{"a":1}}`, `in: amf0` + unenc + `"/sol", at line 1, column 8 (offset 7)`},
		{`{"sol":"` + long + `","version":0,"data":{}}`, `in: amf0` + unenc + `"/sol", at line 1, column 8 (offset 7)`},
		{`{"sol":"s","version":0,"data":{"name":{"` + long + `":1}}}`, `in: amf0` + unenc + `"/data/name/kkkk`},
		{`{"sol":"s","version":0,"data":{"a":1,"` + long + `":2}}`, `in: amf0` + unenc + `"/data/kkkk`},
	} {
		src := &Source{Name: "in", Kind: KindJSON, Data: []byte(tc.in)}
		tg := Target{Format: "sol"}
		_, herr := src.Render(tg, &Options{})
		var buf bytes.Buffer
		ok, serr := src.RenderTo(&buf, tg, &Options{})
		if !ok || buf.Len() > 0 {
			t.Fatalf("%.60s: RenderTo took it %v, wrote %d bytes", tc.in, ok, buf.Len())
		}
		_, aerr := AppendSOLJSON(nil, []byte(tc.in))
		for _, err := range []error{herr, serr, fmt.Errorf("in: %w", aerr)} {
			if got := fmt.Sprint(err); got != tc.want && !(strings.HasSuffix(tc.want, "kkkk") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("%.60s:\n got %v\nwant %s", tc.in, err, tc.want)
			}
		}
	}
}

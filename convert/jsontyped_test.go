package convert

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/tidwall/gjson"
)

// typedDiff runs data (JSON, plain or typed) through the direct path
// (AppendJSONAsAMF, WriteJSONAsAMF, and WriteJSONAsAMF made to hold
// little and count top-level arrays, so that its dry run and counting
// run) and through the value model, in AMF0 and AMF3: the bytes, or the
// errors, must be the same. It reports whether the scanner wrote the
// AMF3 itself (no value model).
func typedDiff(t *testing.T, name string, data []byte) bool {
	t.Helper()
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		want, werr := modelAMF(data, ver)
		var mk, dk dupKeys // keys given twice, "$tz" dropped...: the same warnings by every path
		appendModel(nil, data, ver, &mk)
		same := func(how string, got []byte, err error) {
			t.Helper()
			if err == nil && warningsOf(&dk, data) != warningsOf(&mk, data) {
				t.Fatalf("%s %v %s: warns %q; the model %q\n%s", name, ver, how, warningsOf(&dk, data), warningsOf(&mk, data), shortText(data))
			}
			dk = dupKeys{}
			if (werr == nil) != (err == nil) || werr != nil && werr.Error() != err.Error() {
				t.Fatalf("%s %v %s: error %v; the model: %v\n%s", name, ver, how, err, werr, shortText(data))
			}
			if err == nil && !bytes.Equal(got, want) {
				t.Fatalf("%s %v %s: %d bytes, the model %d; first difference at %d\n%s", name, ver, how, len(got), len(want), firstDiff(got, want), shortText(data))
			}
			if err != nil && len(got) > 0 {
				t.Fatalf("%s %v %s: %d bytes written before the error %v", name, ver, how, len(got), err)
			}
		}
		got, err := appendJSONAsAMF([]byte("x"), data, ver, &dk)
		if err == nil {
			got = got[1:]
		}
		same("AppendJSONAsAMF", got, err)
		var out bytes.Buffer
		err = writeJSONAsAMF(&out, data, ver, &dk)
		same("WriteJSONAsAMF", out.Bytes(), err)
		for _, dry := range []int{0, 1 << 30} {
			func() {
				defer func(h, c, d int) { holdAMFOutput, countFrom, dryRunFrom = h, c, d }(holdAMFOutput, countFrom, dryRunFrom)
				holdAMFOutput, countFrom, dryRunFrom = 16, 0, dry
				out.Reset()
				err = writeJSONAsAMF(&out, data, ver, &dk)
				same(fmt.Sprintf("WriteJSONAsAMF (held 16 bytes, counted, dry run from %d)", dry), out.Bytes(), err)
			}()
		}
	}
	for _, look := range []bool{false, true} {
		j := newTypedJSONAMF(amf.AppendWriter(nil, amf.AMF3), data, amf.AMF3, look)
		if j.run() {
			return true
		}
		if !j.surprise {
			break
		}
	}
	return false
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func shortText(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// annotationsLast rewrites valid JSON with every object's "$" members
// moved after its data members, as someone editing typed JSON by hand
// may leave them.
func annotationsLast(res gjson.Result) string {
	var b strings.Builder
	switch {
	case res.IsObject():
		var first, last []string
		res.ForEach(func(k, v gjson.Result) bool {
			m := k.Raw + ":" + annotationsLast(v)
			if strings.HasPrefix(k.Str, "$") {
				last = append(last, m)
			} else {
				first = append(first, m)
			}
			return true
		})
		b.WriteString("{" + strings.Join(append(first, last...), ",") + "}")
	case res.IsArray():
		var items []string
		res.ForEach(func(_, v gjson.Result) bool {
			items = append(items, annotationsLast(v))
			return true
		})
		b.WriteString("[" + strings.Join(items, ",") + "]")
	default:
		b.WriteString(res.Raw)
	}
	return b.String()
}

// typedOfAMF returns the typed JSON of the values an AMF file holds (a
// packet's header and message values, a .sol file's data object, bare
// values), one document per value, and all of them as JSON lines.
func typedOfAMF(name string, data []byte) [][]byte {
	var vs []any
	if p, err := amf.UnmarshalPacket(data); err == nil {
		for _, h := range p.Headers {
			vs = append(vs, h.Value)
		}
		for _, m := range p.Messages {
			vs = append(vs, m.Value)
		}
	} else if sol, err := amf.UnmarshalSOL(data); err == nil {
		vs = append(vs, &amf.Object{Members: sol.Members})
	} else {
		for _, ver := range []amf.Version{amf.AMF3, amf.AMF0} {
			if strings.HasSuffix(name, ".amf0") && ver == amf.AMF3 {
				continue
			}
			if all, err := amf.UnmarshalAll(data, ver); err == nil {
				vs = all
				break
			}
		}
	}
	var docs [][]byte
	for _, v := range vs {
		if js, err := AppendValue(nil, v, &Options{Typed: true}); err == nil {
			docs = append(docs, js)
		}
	}
	if len(vs) > 1 {
		if js, err := AppendValues(nil, vs, &Options{Typed: true}); err == nil {
			docs = append(docs, js)
		}
	}
	return docs
}

// TestTypedJSONAgrees is the differential test of issue 7: every JSON
// file under testdata/, and the typed JSON (as convert --typed writes
// it) of every AMF file there, written by the direct path and by the
// value model, in AMF0 and AMF3, plain and with annotations moved last:
// the same bytes, or the same error.
func TestTypedJSONAgrees(t *testing.T) {
	var files []string
	for _, root := range []string{"testdata", "../testdata", "../amf/testdata"} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				if d != nil && d.IsDir() && (d.Name() == "fuzz" || d.Name() == "bench") {
					return filepath.SkipDir
				}
				return nil
			}
			files = append(files, path)
			return nil
		})
	}
	if dir := os.Getenv("AMFCALL_SHARED_PYAMF"); dir != "" {
		// By hand: AMFCALL_SHARED_PYAMF=/work/shared go test -run TestTypedJSONAgrees
		for _, sub := range []string{"vectors/pyamf", "captures/pyamf"} {
			m, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
			files = append(files, m...)
		}
	}
	var docs, direct, typed int
	check := func(name string, js []byte) {
		docs++
		if typedDiff(t, name, js) {
			direct++
			if bytes.Contains(js, []byte(`"$`)) {
				typed++
			}
		}
		if gjson.ValidBytes(js) && bytes.Contains(js, []byte(`"$`)) {
			var lines []string
			gjson.ForEachLine(string(js), func(line gjson.Result) bool {
				lines = append(lines, annotationsLast(line))
				return true
			})
			docs++
			typedDiff(t, name+" (annotations last)", []byte(strings.Join(lines, "\n")))
		}
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		switch ext := filepath.Ext(f); ext {
		case ".json", ".jsonl":
			if IsPacketJSON(data) || IsSOLJSON(data) || IsFLVJSON(data) {
				continue // not bare values
			}
			check(f, data)
		case ".amf", ".amf0", ".amf3", ".sol":
			for i, js := range typedOfAMF(f, data) {
				check(f+"#"+string(rune('0'+i%10)), js)
			}
		}
	}
	t.Logf("%d documents; the scanner wrote %d as AMF3 itself, %d of them typed", docs, direct, typed)
	if typed < 50 {
		t.Errorf("only %d typed documents written by the scanner", typed)
	}
}

var typedCases = []string{
	`{"$id":1,"a":{"$ref":1}}`, `[{"$id":1,"a":1},{"$ref":1}]`, `[{"a":1,"$id":1},{"$ref":1}]`,
	`{"$class":"com.example.T","a":1,"b":"x"}`, `[{"$class":"T","a":1},{"$class":"T","a":2},{"$class":"T","b":2}]`,
	`{"a":1,"$class":"T"}`, `[{"x":1},{"x":2,"$class":"T"}]`,
	`{"$class":"T","$traits":{"sealed":["a"],"dynamic":true},"a":1,"b":2}`,
	`[{"$class":"T","$traits":{"sealed":["a"]},"a":1},{"$class":"T","a":2},{"$class":"T","$traits":{"sealed":["a"]},"a":3}]`,
	`[{"$class":"T","a":2},{"$class":"T","$traits":{"sealed":["a"]},"a":3},{"$class":"T","$traits":{"sealed":["a"],"inline":true},"a":4}]`,
	`{"$class":"T","$traits":{"sealed":["b","a"]},"a":1,"b":2}`, `{"$class":"T","$traits":{"sealed":["a"]},"a":1,"b":2}`,
	`{"$traits":{"sealed":[],"dynamic":true},"a":1}`, `[{"a":1},{"$traits":{"sealed":[],"dynamic":true},"a":1},{"b":2}]`,
	`{"$date":"2023-11-14T22:13:20.123Z"}`, `{"$date":1.5,"$tz":-60}`, `[{"$tz":5,"$date":1},{"$amf3":{"$date":2,"$tz":-5}},{"$date":3,"$tz":0}]`,
	`{"a":{"$id":1,"$date":"2023-11-14T22:13:20Z","$tz":60},"b":{"$ref":1},"c":{"$amf3":{"$ref":1}}}`, `{"$vector":"object","items":[{"$date":1,"$tz":1}]}`, `{"$class":"flex.messaging.io.ArrayCollection","foo":{"$date":1,"$tz":5}}`,
	`{"$class":"flex.messaging.io.ArrayCollection","source":[{"$date":1,"$tz":5}]}`, `{"$class":"flex.messaging.io.ObjectProxy","object":{"d":{"$date":1,"$tz":5}}}`, `{"$class":"DSK","body":[{"$date":1,"$tz":5}]}`, `{"$class":"DSK","bodyx":{"$date":1,"$tz":5}}`,
	`{"$class":"flex.messaging.io.ArrayCollection","x":[1,{"$class":"flex.messaging.io.ObjectProxy","object":{"d":{"$date":1,"$tz":5}}}]}`, `{"$date":{"$double":"NaN"}}`, `{"$date":"x"}`, `{"$date":1,"$tz":99999}`,
	`[{"$id":1,"$date":5},{"$ref":1}]`, `[{"$id":1,"$bytes":"AAE="},{"$ref":1},{"$amf3":{"$ref":1}}]`,
	`{"$bytes":"AAE="}`, `{"$bytes":"!"}`, `{"$xml":"<a/>"}`, `{"$xmldoc":"<a/>"}`, `{"$xml":{"$latin1":"caf\u00e9"}}`,
	`[{"$id":1,"$xml":"<a/>"},{"$ref":1}]`, `[{"$id":1,"$xmldoc":"<a/>"},{"$ref":1}]`,
	`{"$double":"NaN"}`, `{"$double":"0x7FF4000000000001"}`, `{"$double":"Infinity"}`, `{"$double":-0.0}`, `{"$double":"y"}`,
	`{"$undefined":true}`, `{"$unsupported":true}`, `{"$latin1":"caf\u00e9"}`, `{"$latin1":"\u0100"}`,
	`{"$$class":1,"$latin1:caf\u00e9":2,"$foo":3}`, `[{"a":1},{"a":1,"$$x":2}]`,
	`{"$amf3":{"a":1}}`, `[{"$amf3":{"$id":1,"a":1}},{"$amf3":{"$ref":1}},{"$ref":1}]`, `[{"$id":1,"a":1},{"$amf3":{"$ref":1}}]`,
	`{"$amf3":[1,{"$bytes":""}]}`, `{"$id":1,"$amf3":1}`,
	`{"$ref":1}`, `{"$ref":"/"}`, `{"$id":0}`, `{"$id":1.5,"a":1}`, `[{"$id":1},{"$id":1}]`, `{"$id":1,"$id":2}`,
	`{"$class":"T","$date":1}`, `{"$date":1,"$bytes":""}`, `{"$date":1,"x":1}`, `{"$class":1}`,
	`{"$class":"flex.messaging.io.ArrayCollection","source":[1,2]}`,
	`{"$ecma":{"a":1}}`, `{"$assoc":{"a":1},"$dense":[1]}`, `{"$vector":"int","items":[1]}`, `{"$dictionary":[[1,2]]}`,
	`{"$id":1,"a":1}` + "\n" + `{"$ref":1}`, `{"a":""}`, `{"$class":"T","":1}`, `{"$traits":{"sealed":[],"dynamic":true},"":1}`,
	`{"\u0024id":1,"a":{"$ref":1}}`, `{"a":{"\u0024ref":1},"$id":1}`,
	`{"$ecma":{"0":1,"a":"x"},"$count":5}`, `{"$ecma":{},"$count":-1}`, `{"$ecma":[]}`, `{"$ecma":{"":1}}`, `{"$count":2,"$ecma":{"a":{"b":[1,{"$date":0}]}}}`,
	`[{"$id":1,"$ecma":{"a":1}},{"$ref":1},{"$amf3":{"$ref":1}}]`, `[{"$amf3":{"$id":1,"$ecma":{"a":1}}},{"$ref":1}]`,
	`{"$dense":[1,2]}`, `{"$dense":[],"$assoc":{}}`, `{"$assoc":{"a":1}}`, `{"$dense":[1,{"x":2}],"$assoc":{"k":"v","k2":[3]}}`,
	`{"$assoc":{"":1},"$dense":[]}`, `{"$assoc":[],"$dense":[]}`, `{"$assoc":{},"$dense":{}}`, `{"$assoc":{"a":1},"$dense":[1],"x":1}`,
	`[{"$id":1,"$dense":[1]},{"$ref":1},{"$id":2,"$assoc":{"a":1}},{"$ref":2},{"$amf3":{"$ref":2}}]`,
	`{"$dense":[{"$id":5,"a":1}],"$assoc":{"r":{"$ref":5}}}`, `{"$assoc":{"r":{"$id":5,"a":1}},"$dense":[{"$ref":5}]}`,
	`[{"a":[1,2]},{"$assoc":{"a":{"$assoc":{"b":1},"$dense":[2]}},"$dense":[[3]]}]`,
	`{"$vector":"int","fixed":true,"items":[1,-2147483648,2147483647]}`, `{"$vector":"uint","items":[0,4294967295]}`, `{"$vector":"uint","items":[-1]}`,
	`{"$vector":"double","items":[1.5,{"$double":"NaN"},"Infinity",2]}`, `{"$vector":"object","type":"com.T","items":["a",{"x":1},null]}`,
	`{"$vector":"object","type":5,"items":[]}`, `{"$vector":"int"}`, `{"$vector":"x","items":[]}`, `{"$vector":"int","items":{}}`, `{"$vector":"int","items":[1.5]}`,
	`[{"$id":1,"$vector":"object","items":[{"$ref":1}]},{"$ref":1},{"$amf3":{"$ref":1}}]`, `{"$vector":"int","items":[1],"items":[2,3],"fixed":true,"fixed":false}`,
	`{"$dictionary":[[1,2],["k",{"a":1}],[{"$id":1,"a":1},{"$ref":1}]],"weakKeys":true}`, `{"$dictionary":[]}`, `{"$dictionary":[[1]]}`, `{"$dictionary":[1]}`,
	`{"$dictionary":{}}`, `[{"$id":1,"$dictionary":[[{"$ref":1},2]]},{"$ref":1}]`, `{"$dictionary":[[1,2],[3,4,5]]}`, `{"$date":1,"$tz":1,"$tz":2}`, `{"$ecma":{},"$count":1,"$count":2}`,
	`{"$assoc":{"a":1},"$dense":[1],"$assoc":{"b":2}}`,
	`[{"$class":"flex.messaging.io.ArrayCollection","source":[1,{"$class":"flex.messaging.io.ArrayCollection","source":[]}]},{"$class":"flex.messaging.io.ArrayList","source":[]},{"$class":"flex.messaging.io.ObjectProxy","object":{"a":1}}]`,
	`[{"$id":1,"$class":"flex.messaging.io.ArrayCollection","source":[{"$ref":1}]},{"$ref":1},{"$amf3":{"$ref":1}}]`,
	`{"source":[1],"$class":"flex.messaging.io.ArrayCollection"}`, `{"$class":"flex.messaging.io.ArrayCollection","list":[1]}`,
	`{"$class":"flex.messaging.io.ArrayCollection","source":[1],"x":2}`, `{"$class":"flex.messaging.io.ArrayCollection"}`,
	`{"$class":"flex.messaging.io.ObjectProxy","$traits":{"externalizable":true},"object":{}}`,
	`{"$class":"DSK","body":1}`, `{"$class":"flex.messaging.messages.AcknowledgeMessage","body":1}`,
	`{"$amf3":{"$class":"flex.messaging.io.ArrayCollection","source":[{"$class":"T","a":1}]}}`,
}

func TestTypedJSONCases(t *testing.T) {
	for _, c := range typedCases {
		typedDiff(t, c, []byte(c))
	}
	// Objects of more members than the scanner keeps in a list.
	members := func(n int, extra string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, `,"m%d":%d`, i, i)
		}
		return b.String() + extra
	}
	for _, c := range []string{
		`[{"$id":1` + members(40, `,"self":{"$ref":1}`) + `},{"$ref":1}]`,
		`[{"$class":"T"` + members(40, "") + `},{"$class":"T"` + members(40, "") + `},{"$class":"T"` + members(39, "") + `}]`,
		`{"$class":"T","$traits":{"sealed":["m0","m1"],"dynamic":true}` + members(30, "") + `}`,
		`{"$class":"T","$traits":{"sealed":["m1","m0"],"dynamic":true}` + members(30, "") + `}`,
		`{"$id":1` + members(30, `,"":1`) + `}`, `{"$id":1` + members(30, `,"$$class":"x","$latin1:café":2`) + `}`,
		`{"$date":1` + members(30, "") + `}`, `{"$vector":"int"` + strings.Repeat(`,"fixed":true`, 20) + `}`,
		`{"$id":1` + members(30, `,"$class":"T"`) + `}`, `{"$ecma":{` + members(40, "")[1:] + `}}`,
		`{"m0":1` + members(30, `,"$id":1,"x":{"$ref":1}`) + `}`,
	} {
		typedDiff(t, c, []byte(c))
	}
	// Past 65,535 AMF0 references: a $ref to an object there is written
	// in full again by the encoder (the value model's, here).
	var many strings.Builder
	many.WriteString(`[{"$id":1,"a":1}`)
	for range 70000 {
		many.WriteString(`,{}`)
	}
	many.WriteString(`,{"$id":2,"b":2},{"$ref":2},{"$ref":1}]`)
	typedDiff(t, "70000 objects", []byte(many.String()))

	// ByteArrays long enough to be decoded as they are written.
	raw := make([]byte, 100<<10)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	b64 := base64.StdEncoding.EncodeToString(raw)
	for _, c := range []string{
		`{"$bytes":"` + b64 + `"}`, `[{"$id":1,"$bytes":"` + b64 + `"},{"$ref":1},{"$amf3":{"$ref":1}}]`,
		`{"a":[{"$bytes":"` + b64 + `"}],"b":{"$bytes":"` + b64[:len(b64)-4] + `"}}`,
		`{"$bytes":"` + b64[:len(b64)-1] + `"}`, `{"$bytes":"` + b64[:1000] + `\n` + b64[1000:] + `"}`,
		`{"$bytes":"` + b64[:1000] + "!" + b64[1001:] + `"}`, `{"$bytes":"` + strings.TrimRight(b64, "=") + `"}`,
		`[1,{"$bytes":"` + b64 + `"}]` + "\n" + `{"$bytes":"` + b64 + `"}`,
	} {
		typedDiff(t, c, []byte(c))
	}
}

// FuzzTypedJSON holds the direct path to the value model on typed JSON:
// the same bytes or the same error, in AMF0 and AMF3.
func FuzzTypedJSON(f *testing.F) {
	for _, c := range typedCases {
		f.Add([]byte(c))
	}
	for _, c := range jsonScanCases {
		f.Add([]byte(c))
	}
	// Keys given twice (the same warning by every path).
	f.Add([]byte(`[{"$class":"a.B","x":1,"x":2},{"$ecma":{"k":1,"k":2}},{"$assoc":{"$$k":1,"$k":2}},{"a":1,"a":2},{"a":1,"b":1,"a":2}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 4096 {
			return
		}
		typedDiff(t, "fuzz", data)
	})
}

// TestTypedJSONLongStringPath is TestJSONAsAMFLongStringPath on typed
// JSON: a string too long for AMF3 fails as soon as its length is
// known, at its offset, with the path of the document (annotated
// objects and $amf3 included). It needs 270 MB: AMFCALL_BIG_TESTS=1.
func TestTypedJSONLongStringPath(t *testing.T) {
	if os.Getenv("AMFCALL_BIG_TESTS") == "" {
		t.Skip("set AMFCALL_BIG_TESTS=1 to run (270 MB)")
	}
	for _, tc := range []struct{ prefix, suffix, path string }{
		{`{"$id":1,"a":[1,{"$class":"T","b~/":"`, `"}]}`, "/a/1/b~0~1"},
		{`[{"$amf3":{"$ecma":{"k":{"$assoc":{"x":"`, `"}}}}}]`, "/0/$amf3/$ecma/k/$assoc/x"},
	} {
		data := make([]byte, 0, len(tc.prefix)+amf.MaxInt+16)
		data = append(data, tc.prefix...)
		data = append(data, bytes.Repeat([]byte("x"), amf.MaxInt+1)...)
		data = append(data, tc.suffix...)
		for _, ver := range []amf.Version{amf.AMF3} {
			err := WriteJSONAsAMF(io.Discard, data, ver)
			var je *Error
			if !errors.As(err, &je) || je.Path != tc.path || je.Offset != int64(len(tc.prefix)-1) {
				t.Errorf("%s: error %v (%#v), want one at offset %d, path %s", tc.prefix, err, je, len(tc.prefix)-1, tc.path)
			}
		}
	}
}

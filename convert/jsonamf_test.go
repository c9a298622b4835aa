package convert

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// modelAMF is JSON -> AMF through the value model alone: the bytes (or
// the error) the direct path must give.
func modelAMF(data []byte, ver amf.Version) ([]byte, error) {
	vs, err := FromJSONLines(data)
	if err != nil {
		return nil, locate(err, data)
	}
	if len(vs) == 0 {
		return nil, locate(&Error{Offset: int64(len(data)), Err: errors.New("no JSON value in the input")}, data)
	}
	var out []byte
	enc := amf.NewEncoder(bytesWriter{&out}, ver)
	for i, v := range vs {
		if err := enc.Encode(v); err != nil {
			return nil, encodeAtValue(err, data, i)
		}
	}
	return out, nil
}

// jsonNesting is the deepest nesting of arrays and objects in a valid
// JSON text, by encoding/json's tokens.
func jsonNesting(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// checkJSONScan holds the one-pass scanner of the direct JSON -> AMF3
// path to encoding/json's verdict and to splitValues (which the path
// relies on for its errors), and the path's bytes and errors to the
// value model's.
func checkJSONScan(t *testing.T, data []byte) {
	t.Helper()
	w := amf.AppendWriter(nil, amf.AMF3)
	j := newJSONAMF(w, data, amf.AMF3)
	ok := j.run()
	spans, serr := splitValues(data)
	if ok && serr != nil {
		t.Fatalf("%q: the scanner accepts it, splitValues says %v", data, serr)
	}
	stoppedValid := j.bail || j.err != nil || w.Err() != nil
	if !ok && !stoppedValid && serr == nil && len(spans) > 0 {
		t.Fatalf("%q: the scanner refuses it, splitValues accepts it", data)
	}
	if ok {
		for _, sp := range spans {
			if !json.Valid(data[sp.start:sp.end]) {
				t.Fatalf("%q: the scanner accepts %q, encoding/json does not", data, data[sp.start:sp.end])
			}
		}
	}
	// A lone surrogate (\ud800) is valid JSON that no UTF-8 string can
	// hold: refused (review2 F9).
	if json.Valid(data) && utf8.Valid(data) && jsonNesting(data) <= MaxJSONDepth && loneSurrogate(data) < 0 && !ok && !stoppedValid {
		t.Fatalf("%q: encoding/json accepts it, the scanner does not", data)
	}

	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		want, werr := modelAMF(data, ver)
		got, gerr := AppendJSONAsAMF([]byte("x"), data, ver)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("%q %v: AppendJSONAsAMF: %x, %v; the model: %x, %v", data, ver, got, gerr, want, werr)
		}
		if gerr == nil && !bytes.Equal(got[1:], want) {
			t.Fatalf("%q %v:\ndirect %x\nmodel  %x", data, ver, got[1:], want)
		}
	}
	want, _ := modelAMF(data, amf.AMF3)
	_, gerr := AppendJSONAsAMF(nil, data, amf.AMF3)
	var out bytes.Buffer
	err := WriteJSONAsAMF(&out, data, amf.AMF3)
	if (err == nil) != (gerr == nil) || err != nil && err.Error() != gerr.Error() {
		t.Fatalf("%q: WriteJSONAsAMF: %v; AppendJSONAsAMF: %v", data, err, gerr)
	}
	if err != nil && out.Len() > 0 {
		t.Fatalf("%q: WriteJSONAsAMF wrote %x before its error %v", data, out.Bytes(), err)
	}
	if err == nil && !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("%q:\nWriteJSONAsAMF %x\nmodel          %x", data, out.Bytes(), want)
	}
}

var jsonScanCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `-0.0`, `1`, `-1`, `1.5`, `1e3`, `1E+3`, `1e-3`, `-1.25e-7`,
	`123456789012345`, `1234567890123456`, `9007199254740992`, `9007199254740993`, `1e400`, `-1e400`,
	`0.30000000000000004`, `268435455`, `268435456`, `-268435456`, `-268435457`,
	`true`, `false`, `null`, `tru`, `nul`, `fals`, `truefalse`, `true false`, `nullx`,
	`1 2`, `1"a"`, `"a"1`, `{}1`, `1{}`, `[]{}`, `{}[]`, `1[2]`, `"a""b"`, `[1]2`, `{"a":1}{"b":2}`,
	"1\n2\n", " \t\r\n[1]\n", "", " ", "\n\n",
	`-`, `--1`, `+1`, `01`, `-01`, `00`, `1.`, `.5`, `1.e3`, `1e`, `1e+`, `1ee3`, `0x10`, `1.2.3`, `NaN`, `Infinity`,
	`[01]`, `[1,]`, `[,1]`, `[1 2]`, `[1,,2]`, `[`, `]`, `[1`, `{`, `}`, `{"a"}`, `{"a":}`, `{"a" 1}`,
	`{"a":1,}`, `{,}`, `{1:2}`, `{"a":1 "b":2}`, `{"a":1]`, `[1}`, `[[[]]]`, `[{"a":[{"b":{}}]}]`,
	`{"a":"x","b":"x","a":"y"}`, `{"":1}`, `{"$id":1,"a":1}`, `{"$":1}`, `{"a$":1}`, `{"\u0024id":1}`, `{"a":{"$ref":1}}`,
	`"\u0000"`, `"\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00x"`, `"\u00e9"`, `"\u00E9"`, `"\u00g9"`, `"\u00e"`,
	`"\"\\\/\b\f\n\r\t"`, `"\a"`, `"\'"`, `"\`, `"a`, `"a\"`, "\"\x01\"", "\"\x7f\"", "\"\t\"",
	"\"é\"", "\"\xe9\"", "\"\xed\xa0\x80\"", "\"\xef\xbf\xbd\"", "\"\xc0\x80\"", "[\"é\", \"\xff\"]", "\xef\xbb\xbf{}", "é",
	`{"name":"x","name2":"x","o":{"name":"x"}}`, `[{"a":1,"b":2},{"a":3,"b":4},{"b":5,"a":6}]`,
	`{"a~b/c":[1,2,{"d":null}]}`, `[1.5, -2.25, 3e2, 4E-2, 0.1, 123.456]`,
	`  {  "a"  :  [  1  ,  2  ]  ,  "b"  :  {  }  }  `,
	// Names met again where the last object at the same depth had them.
	`[{"a":1,"bc":2},{"a":3,"bc":4},{"ab":5,"b":6},{"a":7,"bcd":8},{"a":9,"b\"":1}]`,
	`[{"a":1},{"\u0061":2},{"a":3},{"a\u0062":4},{"ab":5}]`, `[{"a":1},{"a" :2},{"a"`, `[{"a":1},{"a`, `[{"a":1},{"a"`,
	`[{"é":1},{"é":2},{"éé":3}]`, `[{"x":{"a":1}},{"x":{"a":2,"b":3}},{"y":{"b":1,"a":2}}]`,
	`[{"a":1},{"$a":2}]`, `[{"a":1},{"":2}]`, `{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"i":9,"j":10,"k":11,"l":12,"m":13,"n":14,"o":15,"p":16,"q":17,"r":18}`,
	`[[[[[[[[[[{"a":1}]]]]]]]]],[[[[[[[[[{"a":2}]]]]]]]]]]`,
	`[{"abcdefg":1,"abcdefgh":2,"abcdefghijklmno":3,"abcdefghijklmnop":4},{"abcdefg":1,"abcdefgh":2,"abcdefghijklmno":3,"abcdefghijklmnop":4},{"abcdefgx":1,"abcdefghx":2,"abcdefghijklmnx":3,"abcdefghijklmnopx":4},{"abcdefg":1}]`,
	`[{"a":1},{"a":2}]`, `[{"ab":1},{"ab"}]`, `[{"abcdefgh":1},{"abcdefgh":2}]`, `[{"abcdefgh":1},{"abcdefg\"":2}]`, `[{"é":1},{"é":2}]`,
	// Strings around the eight-byte steps of the scanner.
	`["1234567","12345678","123456789","123456\"","1234567\"","12345678\u0041","1234567é","12345678é"]`,
	"[\"1234567\x01\"]", "[\"12345678\x7f\x1f\"]", "\"abcdefghijklmnopqrstuvwxyz\"", "\"abcdefghijklmnopq", "\"abcdefgh\\",
}

func TestJSONScanAgrees(t *testing.T) {
	for _, c := range jsonScanCases {
		checkJSONScan(t, []byte(c))
	}
	deep := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + strings.Repeat("]", n))
	}
	// AMF0 long strings and names past a U16 length (the model's error).
	long := strings.Repeat("x", 70000)
	checkJSONScan(t, []byte(`["`+long+`", {"a": "`+long+`"}]`))
	checkJSONScan(t, []byte(`{"`+long+`": 1}`))
	checkJSONScan(t, []byte(`[{"a":1}, {"`+long+`": 1}]`))
	checkJSONScan(t, []byte("["+strings.Repeat("1,", 70000)+"1]"))
	checkJSONScan(t, deep(MaxJSONDepth))
	checkJSONScan(t, deep(MaxJSONDepth+1))
	checkJSONScan(t, []byte(strings.Repeat(`{"a":`, MaxJSONDepth)+"1"+strings.Repeat("}", MaxJSONDepth)))
	checkJSONScan(t, []byte(strings.Repeat(`{"a":`, MaxJSONDepth+1)+"1"+strings.Repeat("}", MaxJSONDepth+1)))
}

// TestJSONScanErrors: the direct path's errors are the ones the text
// check and the value model give, with line and column.
func TestJSONScanErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"[1,\n 2,]", "json: invalid character ']' looking for beginning of value at line 2, column 4 (offset 7)"},
		{"{\"a\": 1}\n{\"b\" 2}", "json: invalid character '2' after object key at line 2, column 6 (offset 14)"},
		{"[\"\xff\"]", "json: invalid UTF-8 (JSON text must be UTF-8) at line 1, column 3 (offset 2)"},
		{"[9007199254740993]", "json: integer 9007199254740993 is outside ±2^53 and cannot be represented exactly (write it as a string, or as a double with a fraction or exponent) at \"/0\", line 1, column 2 (offset 1)"},
		{"\n\n", "json: no JSON value in the input at line 3, column 1 (offset 2)"},
	} {
		_, err := AppendJSONAsAMF(nil, []byte(tc.in), amf.AMF3)
		if err == nil || err.Error() != tc.want {
			t.Errorf("AppendJSONAsAMF(%q) = %v, want %s", tc.in, err, tc.want)
		}
		var out bytes.Buffer
		err = WriteJSONAsAMF(&out, []byte(tc.in), amf.AMF3)
		if err == nil || err.Error() != tc.want || out.Len() > 0 {
			t.Errorf("WriteJSONAsAMF(%q) = %v, wrote %d bytes, want %s", tc.in, err, out.Len(), tc.want)
		}
	}
}

// TestWriteJSONAsAMFHold: output is held until the text is checked;
// past the hold limit the whole text is checked first, so a syntax error
// at the end still writes nothing, and valid text streams.
func TestWriteJSONAsAMFHold(t *testing.T) {
	defer func(n int) { holdAMFOutput = n }(holdAMFOutput)
	holdAMFOutput = 64
	var lines bytes.Buffer
	for i := range 20000 {
		lines.WriteString(`{"id":` + strings.Repeat("1", 1+i%9) + `,"name":"product"}` + "\n")
	}
	valid := lines.Bytes()
	want, err := AppendJSONAsAMF(nil, valid, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	cw := &countingWriter{}
	if err := WriteJSONAsAMF(cw, valid, amf.AMF3); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(cw.b, want) {
		t.Fatalf("WriteJSONAsAMF wrote %d bytes, want the %d of AppendJSONAsAMF", len(cw.b), len(want))
	}
	if cw.writes < 2 {
		t.Errorf("WriteJSONAsAMF wrote in %d calls: the output was held whole", cw.writes)
	}

	bad := append(append([]byte{}, valid...), `{"a" 1}`...)
	cw = &countingWriter{}
	err = WriteJSONAsAMF(cw, bad, amf.AMF3)
	if err == nil || !strings.Contains(err.Error(), "line 20001, column 6") {
		t.Fatalf("WriteJSONAsAMF of a text with a late syntax error: %v", err)
	}
	if len(cw.b) > 0 {
		t.Fatalf("WriteJSONAsAMF wrote %d bytes before its error %v", len(cw.b), err)
	}
}

type countingWriter struct {
	b      []byte
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.b = append(c.b, p...)
	c.writes++
	return len(p), nil
}

var _ io.Writer = (*countingWriter)(nil)

// FuzzJSONScan: the one-pass scanner accepts what encoding/json and
// splitValues accept, and the direct path gives the model's bytes or its
// error (WriteJSONAsAMF writing nothing then), an error that names a
// place in the input (checkJSONScanWhere).
func FuzzJSONScan(f *testing.F) {
	for _, c := range jsonScanCases {
		f.Add([]byte(c))
	}
	addSeeds(f, "../testdata/golden/*.amf3.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkJSONScan(t, data)
		checkJSONScanWhere(t, data)
	})
}

// checkCheckSpans holds checkSpans to splitValuesSlow: the same verdict
// and the same spans.
func checkCheckSpans(t *testing.T, data []byte) {
	t.Helper()
	got, ok := checkSpans(data)
	want, err := splitValuesSlow(data)
	if ok != (err == nil) {
		t.Fatalf("%q: checkSpans says %v, splitValuesSlow %v", data, ok, err)
	}
	if ok && fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%q: checkSpans finds %v, splitValuesSlow %v", data, got, want)
	}
}

func TestCheckSpans(t *testing.T) {
	for _, c := range jsonScanCases {
		checkCheckSpans(t, []byte(c))
	}
	for _, n := range []int{MaxJSONDepth, MaxJSONDepth + 1} {
		checkCheckSpans(t, []byte(strings.Repeat("[", n)+strings.Repeat("]", n)))
		checkCheckSpans(t, []byte(strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n)))
		checkCheckSpans(t, []byte(strings.Repeat(`[{"a":`, n)+"1"+strings.Repeat("}]", n)))
	}
}

// FuzzCheckSpans: the one-pass check of JSON text agrees with
// splitValuesSlow (UTF-8, bracket scan, gjson.ValidBytes), and its spans
// are JSON values with only white space around them
// (checkSpansPromises).
func FuzzCheckSpans(f *testing.F) {
	for _, c := range jsonScanCases {
		f.Add([]byte(c))
	}
	addSeeds(f, "../testdata/golden/*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkCheckSpans(t, data)
		checkSpansPromises(t, data)
	})
}

// stringWriter records how a long string reaches it.
type stringWriter struct {
	bytes.Buffer
	strings int
}

func (s *stringWriter) WriteString(p string) (int, error) {
	s.strings++
	return s.Buffer.WriteString(p)
}

// TestWriteJSONAsAMFLongString: once output streams, a long string goes
// to the destination's WriteString (no copy of it is made for Write).
func TestWriteJSONAsAMFLongString(t *testing.T) {
	defer func(n int) { holdAMFOutput = n }(holdAMFOutput)
	holdAMFOutput = 64
	in := []byte(`"` + strings.Repeat("a", 200<<10) + `"`)
	var out stringWriter
	if err := WriteJSONAsAMF(&out, in, amf.AMF3); err != nil {
		t.Fatal(err)
	}
	want, _ := AppendJSONAsAMF(nil, in, amf.AMF3)
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatalf("WriteJSONAsAMF wrote %d bytes, want %d", out.Len(), len(want))
	}
	if out.strings != 1 {
		t.Errorf("the string reached the destination through %d WriteString calls, want 1", out.strings)
	}
}

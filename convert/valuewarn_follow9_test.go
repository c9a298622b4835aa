package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// valueWarnings runs the paths that write JSON of a stream of bare AMF
// values (the JSON lines convert prints) and returns each one's
// warnings.
func valueWarnings(t *testing.T, data []byte, ver amf.Version) map[string][]string {
	t.Helper()
	file := "x.amf0"
	if ver == amf.AMF3 {
		file = "x.amf3"
	}
	collect := func(o *Options) (*[]string, *Options) {
		var warns []string
		o.Warn = func(m string) { warns = append(warns, m) }
		return &warns, o
	}
	got := map[string][]string{}
	for name, o := range map[string]Options{"streamed": {}, "pretty": {Indent: "  "}, "typed": {Typed: true}} {
		warns, o := collect(&o)
		if _, err := AppendAMF(nil, data, ver, o); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name] = *warns
	}
	warns, o := collect(&Options{})
	if _, err := appendAMFModel(nil, data, ver, o); err != nil {
		t.Fatalf("model: %v", err)
	}
	got["model"] = *warns
	for _, typed := range []bool{false, true} {
		_, warns, err := publicJSON(data, file, typed)
		if err != nil {
			t.Fatalf("render (typed %v): %v", typed, err)
		}
		got[map[bool]string{false: "render", true: "render typed"}[typed]] = warns
		src, err := Load(data, file, InSpec{})
		if err != nil {
			t.Fatal(err)
		}
		tg, err := src.Target(OutSpec{Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		ws, o := collect(&Options{Typed: typed})
		var out bytes.Buffer
		if _, err := src.RenderTo(&out, tg, o); err != nil {
			t.Fatalf("render to (typed %v): %v", typed, err)
		}
		got[map[bool]string{false: "render to", true: "render to typed"}[typed]] = *ws
	}
	return got
}

// TestValueStreamWarningsNameTheValue: converting a stream of several
// bare AMF values (convert prints a JSON line each), the warnings named
// the place of the first string not UTF-8, date past year 9999, member
// name given twice or cycle by its JSON Pointer in its value, but not
// which value: "/s" of which line? They now say "in value K of N" (a
// stream of one value says nothing more), in every path. The far date's
// pointer was also wrong in the streamed writer when the member before
// it was read in a batch: "/s" or "/" for "/d".
func TestValueStreamWarningsNameTheValue(t *testing.T) {
	lines := `{"x": 1}
{"s": {"$latin1": "café"}, "d": {"$date": -99999999999999}}
{"a": 1, "a": 2}
`
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		to := map[amf.Version]string{amf.AMF0: "amf0", amf.AMF3: "amf3"}[ver]
		data := renderAs(t, []byte(lines), "in.json", to)
		for path, warns := range valueWarnings(t, data, ver) {
			typed := strings.Contains(path, "typed")
			want := []string{
				`1 string is not UTF-8 (the first at "/s" in value 2 of 3)`,
				`1 date is outside years 0000-9999 (the first at "/d" in value 2 of 3)`,
				`1 member name is given twice in its object (at "/a" in value 3 of 3)`,
			}
			if typed {
				// The typed form keeps the bytes and the date, and
				// names the member (it keeps no paths).
				want = []string{`1 member name is given twice in its object (named "a" in value 3 of 3)`}
			}
			if len(warns) != len(want) {
				t.Errorf("%v %s: warnings %q, want %d", ver, path, warns, len(want))
				continue
			}
			for i, w := range want {
				if !strings.HasPrefix(warns[i], w) {
					t.Errorf("%v %s: %q, want it to begin %q", ver, path, warns[i], w)
				}
			}
		}
		// One value: no value number.
		one := renderAs(t, []byte(strings.Split(lines, "\n")[1]), "in.json", to)
		for path, warns := range valueWarnings(t, one, ver) {
			for _, w := range warns {
				if strings.Contains(w, " in value ") || !strings.Contains(w, `"/`) {
					t.Errorf("%v %s, one value: %q", ver, path, w)
				}
			}
		}
	}
}

// TestValueStreamCycleNamesTheValue: a cycle in the second of two AMF3
// values, {"s": <itself>}, was said to be at "" (the first value's top
// too); it now says which value.
func TestValueStreamCycleNamesTheValue(t *testing.T) {
	data := []byte("\x0a\x0b\x01\x03x\x04\x01\x01" + "\x0a\x0b\x01\x03s\x0a\x02\x01")
	got := valueWarnings(t, data, amf.AMF3)
	for path, warns := range got {
		if strings.Contains(path, "typed") {
			if len(warns) != 0 {
				t.Errorf("%s: %q, want none (the typed form keeps the cycle)", path, warns)
			}
			continue
		}
		if len(warns) != 1 || !strings.HasPrefix(warns[0], `cycle: the value at "" in value 2 of 2 contains itself`) {
			t.Errorf("%s: %q, want the cycle in value 2 of 2", path, warns)
		}
	}
}

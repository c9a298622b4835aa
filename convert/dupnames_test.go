package convert

import (
	"strconv"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
)

// dupNameCases are AMF values whose JSON has (or has not) one key twice
// in one object: typed JSON, which writes every member it is given, in
// order, made into AMF0 and AMF3; want is the JSON Pointer the warning
// names first ("" for no warning) and n how many names it counts.
var dupNameCases = []struct {
	name, typed string
	want        string
	n           int
}{
	{"flat", `{"a":1,"b":2,"a":3}`, "/a", 1},
	{"distinct", `{"a":1,"b":2,"c":3}`, "", 0},
	{"child has the name", `{"a":1,"b":{"a":2}}`, "", 0},
	{"again after a child that has it", `{"a":1,"b":{"a":2},"a":3}`, "/a", 1},
	{"again after a grandchild that has it", `{"a":1,"b":{"c":{"a":2,"x":{"a":3}}},"a":4}`, "/a", 1},
	{"in a child", `[{"x":1},{"y":{"q":1,"q":2}}]`, "/1/y/q", 1},
	{"siblings", `[{"a":1,"b":2},{"a":3,"b":4},{"b":5,"a":6}]`, "", 0},
	{"three times", `{"a":1,"a":2,"a":3}`, "/a", 2},
	{"two names", `{"a":1,"b":2,"b":3,"a":4}`, "/b", 2},
	{"empty name", `{"":1,"x":{"":2},"":3}`, "/", 1},
	{"many members", `{"m0":0,"m1":1,"m2":2,"m3":3,"m4":4,"m5":5,"m6":6,"m7":7,"m8":8,"m9":9,"m10":10,"m11":11,"m12":12,"m13":13,"m14":14,"m15":15,"m16":16,"m7":17}`, "/m7", 1},
	{"ecma array", `{"$ecma":{"a":1,"a":2}}`, "/a", 1},
	{"same name in a list of objects inside", `{"a":[{"a":1},{"a":2}],"b":{"a":3},"a":4}`, "/a", 1},
}

// TestDupNamesWarned: a member name given twice in one AMF object, which
// JSON prints as one key twice (jq keeps the last), is said once, naming
// the first, in every path that writes JSON of AMF: streamed plain
// (compact and pretty), the value model's plain and typed writers, and
// the streamed typed writer (Render of a file); a name given again in
// another object, a child or a sibling, is not.
func TestDupNamesWarned(t *testing.T) {
	for _, tc := range dupNameCases {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			if ver == amf.AMF3 && (strings.Contains(tc.typed, "$ecma") || strings.Contains(tc.typed, `""`)) {
				continue // AMF3 has no ECMA array, and writes no empty member name
			}
			t.Run(tc.name+"/"+ver.String(), func(t *testing.T) {
				to, file := "amf0", "x.amf0"
				if ver == amf.AMF3 {
					to, file = "amf3", "x.amf3"
				}
				data := renderAs(t, []byte(tc.typed), "in.json", to)
				plain := func(o *Options) ([]string, error) {
					var warns []string
					o.Warn = func(m string) { warns = append(warns, m) }
					_, err := AppendAMF(nil, data, ver, o)
					return warns, err
				}
				paths := map[string]func() ([]string, error){
					"streamed": func() ([]string, error) { return plain(&Options{}) },
					"pretty":   func() ([]string, error) { return plain(&Options{Indent: "  "}) },
					"typed":    func() ([]string, error) { return plain(&Options{Typed: true}) },
					"model": func() ([]string, error) {
						var warns []string
						_, err := appendAMFModel(nil, data, ver, &Options{Warn: func(m string) { warns = append(warns, m) }})
						return warns, err
					},
					"render": func() ([]string, error) {
						_, warns, err := publicJSON(data, file, false)
						return warns, err
					},
					"render typed": func() ([]string, error) {
						_, warns, err := publicJSON(data, file, true)
						return warns, err
					},
				}
				for name, run := range paths {
					warns, err := run()
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					var dups []string
					for _, w := range warns {
						if strings.Contains(w, "member name") && strings.Contains(w, " given twice in ") {
							dups = append(dups, w)
						}
					}
					typed := strings.Contains(name, "typed")
					switch {
					case tc.want == "" && len(dups) != 0:
						t.Errorf("%s: warned %q, want no warning", name, dups)
					case tc.want != "" && len(dups) != 1:
						t.Errorf("%s: warnings %q, want one about names given twice", name, warns)
					case tc.want != "":
						what := "1 member name is"
						if tc.n > 1 {
							what = strconv.Itoa(tc.n) + " member names are"
						}
						first := `at "` + tc.want + `"`
						if typed {
							first = `named "` + tc.want[strings.LastIndexByte(tc.want, '/')+1:] + `"`
						}
						in := " given twice in its object ("
						if tc.n > 1 {
							in = " given twice in their object (the first "
						}
						if !strings.HasPrefix(dups[0], what+in+first+")") {
							t.Errorf("%s: %q, want it to begin %q", name, dups[0], what+in+first+")")
						}
					}
				}
			})
		}
	}
}

// TestDupNamesWrittenAgainInFull: an AMF3 writer may send a name in full
// a second time (a new string-table entry of the same text) instead of
// by reference: the two keys are the same in JSON, and warned as such.
// Hand-made bytes: {a: 1, a: 2}, "a" inline twice, and {a: 1, b: {a: 5},
// a: 2} with "a" inline, then by reference.
func TestDupNamesWrittenAgainInFull(t *testing.T) {
	for _, tc := range []struct{ name, data, json string }{
		{"inline twice", "\x0a\x0b\x01\x03a\x04\x01\x03a\x04\x02\x01", `{"a":1,"a":2}`},
		{"by reference after a child", "\x0a\x0b\x01\x03a\x04\x01\x03b\x0a\x01\x00\x04\x05\x01\x00\x04\x02\x01", `{"a":1,"b":{"a":5},"a":2}`},
	} {
		for _, typed := range []bool{false, true} {
			var warns []string
			out, err := AppendAMF(nil, []byte(tc.data), amf.AMF3, &Options{Typed: typed, Warn: func(m string) { warns = append(warns, m) }})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(out)); got != tc.json {
				t.Errorf("%s: %s, want %s (both members, in order)", tc.name, got, tc.json)
			}
			if len(warns) != 1 || !strings.Contains(warns[0], "1 member name is given twice in its object") || !strings.Contains(warns[0], "jq keep only one") {
				t.Errorf("%s (typed %v): warnings %q, want one about the name given twice", tc.name, typed, warns)
			}
		}
	}
}

// TestDupNamesDenseIndex: an AMF3 array whose associative part has a
// member "0" beside a dense item 0 prints as one object with the key
// "0" twice; "1" beside one dense item does not clash.
func TestDupNamesDenseIndex(t *testing.T) {
	for _, tc := range []struct {
		data, json string
		warn       bool
	}{
		{"\x09\x03\x030\x04\x07\x01\x04\x01", `{"0":1,"0":7}`, true},
		{"\x09\x03\x031\x04\x07\x01\x04\x01", `{"0":1,"1":7}`, false},
		{"\x09\x03\x0501\x04\x07\x01\x04\x01", `{"0":1,"01":7}`, false},
	} {
		for _, model := range []bool{false, true} {
			var warns []string
			o := &Options{Warn: func(m string) { warns = append(warns, m) }}
			var out []byte
			var err error
			if model {
				out, err = appendAMFModel(nil, []byte(tc.data), amf.AMF3, o)
			} else {
				out, err = AppendAMF(nil, []byte(tc.data), amf.AMF3, o)
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(out)); got != tc.json {
				t.Errorf("%s", got)
			}
			if got := len(warns) == 1 && strings.Contains(warns[0], `(at "/0")`); got != tc.warn {
				t.Errorf("%s (model %v): warnings %q, want a warning: %v", tc.json, model, warns, tc.warn)
			}
		}
	}
}

// TestDupNamesNoneInW1: W1 (1,000 objects of the same 8 names, each
// with a child object) warns of nothing, in AMF0 and AMF3, plain and
// typed.
func TestDupNamesNoneInW1(t *testing.T) {
	for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
		data, err := amf.Marshal(amftest.W1(1000), ver)
		if err != nil {
			t.Fatal(err)
		}
		for _, typed := range []bool{false, true} {
			var warns []string
			if _, err := AppendAMF(nil, data, ver, &Options{Typed: typed, Warn: func(m string) { warns = append(warns, m) }}); err != nil {
				t.Fatal(err)
			}
			if len(warns) != 0 {
				t.Errorf("%v typed %v: %q", ver, typed, warns)
			}
		}
	}
}

// TestDupNamesInFrames: AMF Socket frames say it per frame, naming the
// frame, in the plain and typed forms (each frame is a document of its
// own).
func TestDupNamesInFrames(t *testing.T) {
	frame := "\x00\x00\x00\x0b\x0a\x0b\x01\x03a\x04\x01\x00\x04\x02\x01" // {a: 1, a: 2}
	ok := "\x00\x00\x00\x0c\x0a\x0b\x01\x03a\x04\x01\x03b\x04\x02\x01"   // {a: 1, b: 2}
	data := []byte(frame + ok + frame)
	for _, typed := range []bool{false, true} {
		src, err := Load(data, "x.frames", InSpec{Kind: KindSocket, KindSet: true})
		if err != nil {
			t.Fatal(err)
		}
		tg, err := src.Target(OutSpec{Format: "json"})
		if err != nil {
			t.Fatal(err)
		}
		var warns []string
		out, err := src.Render(tg, &Options{Typed: typed, Warn: func(m string) { warns = append(warns, m) }})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(out), `"a":1,"a":2`); got != 2 {
			t.Errorf("typed %v: %s, want both members in frames 1 and 3", typed, out)
		}
		if len(warns) != 2 || !strings.HasPrefix(warns[0], "frame 1: 1 member name is given twice") || !strings.HasPrefix(warns[1], "frame 3: 1 member name is given twice") {
			t.Errorf("typed %v: warnings %q, want one for frame 1 and one for frame 3", typed, warns)
		}
	}
}

// TestDupNamesStreamed: written to an io.Writer, the output is passed on
// each flushAt bytes, where the fast writer leaves a member to the token
// writer after noting its name: W1 of 20,000 objects (about 3 MB of
// JSON) warns of nothing, and a name given twice in its last object is
// found.
func TestDupNamesStreamed(t *testing.T) {
	w1 := amftest.W1(20000)
	for _, dup := range []bool{false, true} {
		if dup {
			last := w1.Dense[len(w1.Dense)-1].(*amf.Object)
			last.Members = append(last.Members, amf.Member{Name: "price", Value: 1.5})
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			data, err := amf.Marshal(w1, ver)
			if err != nil {
				t.Fatal(err)
			}
			var warns []string
			var out strings.Builder
			if err := WriteAMF(&out, data, ver, &Options{Warn: func(m string) { warns = append(warns, m) }}); err != nil {
				t.Fatal(err)
			}
			if out.Len() < 2*flushAt {
				t.Fatalf("%d bytes of output: too few to pass flushAt", out.Len())
			}
			want := 0
			if dup {
				want = 1
			}
			if len(warns) != want || dup && !strings.Contains(warns[0], `(at "/19999/price")`) {
				t.Errorf("%v, a name given twice %v: warnings %q", ver, dup, warns)
			}
		}
	}
}

// TestDupNamesValueThenName: a string of the AMF3 table met first as a
// value, then as a member name (cached for the fast writer before it has
// a name's number), is checked as a name like any other.
func TestDupNamesValueThenName(t *testing.T) {
	var items []any
	// 100 strings as values first (the table's first entries), then
	// objects that use them as names: the last gives "s7" twice.
	for i := range 100 {
		items = append(items, "s"+strconv.Itoa(i))
	}
	for i := range 100 {
		items = append(items, &amf.Object{Members: []amf.Member{{Name: "s" + strconv.Itoa(i), Value: 1}, {Name: "s" + strconv.Itoa((i+1)%100), Value: 2}}})
	}
	items = append(items, &amf.Object{Members: []amf.Member{{Name: "s7", Value: 1}, {Name: "s8", Value: 1}, {Name: "s7", Value: 2}}})
	data, err := amf.Marshal(&amf.Array{Dense: items}, amf.AMF3)
	if err != nil {
		t.Fatal(err)
	}
	var warns []string
	if _, err := AppendAMF(nil, data, amf.AMF3, &Options{Warn: func(m string) { warns = append(warns, m) }}); err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], `1 member name is given twice in its object (at "/200/s7")`) {
		t.Errorf("warnings %q, want one naming /200/s7", warns)
	}
}

package convert

import (
	"bytes"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestAMF3WrapperRedundant: {"$amf3": V} written as AMF3 (bare AMF3
// values, AMF Socket frames) is V, and one warning names where the first
// wrapper is, with the count; by every path (held and streamed, the
// direct writer and the value model). Where the wrapper means a switch
// (AMF0 values, a packet) nothing is said, and a wrapper in a wrapper
// stays an error.
func TestAMF3WrapperRedundant(t *testing.T) {
	for _, tc := range []struct {
		name, in, bare string // bare: the same values without wrappers
		want           string // "" for no warning
	}{
		{"top", `{"$amf3": {"a": 1}}`, `{"a": 1}`, `{"$amf3": ...} at line 1, column 3 is redundant: the output is AMF3 already`},
		{"nested", "1\n{\"x\": {\"$amf3\": [1, 2]}, \"y\": {\"$amf3\": \"s\"}}\n", "1\n{\"x\": [1, 2], \"y\": \"s\"}\n",
			`2 {"$amf3": ...} wrappers are redundant (the first at line 2, column 9)`},
		// The value model writes $unsupported (the direct writer leaves
		// it).
		{"model", `[{"$amf3": {"$unsupported": true}}]`, `[{"$unsupported": true}]`,
			`{"$amf3": ...} at line 1, column 4 is redundant`},
		{"typed", `{"$class": "T", "v": {"$amf3": {"$date": "2009-12-26T14:08:15.023Z"}}}`, `{"$class": "T", "v": {"$date": "2009-12-26T14:08:15.023Z"}}`,
			`{"$amf3": ...} at line 1, column 24 is redundant`},
		{"none", `{"a": {"$$amf3": 1}}`, `{"a": {"$$amf3": 1}}`, ""},
	} {
		for _, format := range []string{"amf3", "socket"} {
			want, err := Load([]byte(tc.bare), "in", InSpec{})
			if err != nil {
				t.Fatal(err)
			}
			wantOut, err := want.Render(Target{Format: format}, &Options{})
			if err != nil {
				t.Fatalf("%s %s: %v", tc.name, format, err)
			}
			for _, streamed := range []bool{false, true} {
				src, err := Load([]byte(tc.in), "in", InSpec{})
				if err != nil {
					t.Fatal(err)
				}
				var warns []string
				o := &Options{Warn: func(m string) { warns = append(warns, m) }}
				var out []byte
				if streamed {
					var buf bytes.Buffer
					ok, err := src.RenderTo(&buf, Target{Format: format}, o)
					if !ok || err != nil {
						t.Fatalf("%s %s streamed: %v %v", tc.name, format, ok, err)
					}
					out = buf.Bytes()
				} else if out, err = src.Render(Target{Format: format}, o); err != nil {
					t.Fatalf("%s %s: %v", tc.name, format, err)
				}
				if !bytes.Equal(out, wantOut) {
					t.Errorf("%s %s streamed=%v: % x, want the value without the wrapper, % x", tc.name, format, streamed, out, wantOut)
				}
				switch {
				case tc.want == "" && len(warns) > 0:
					t.Errorf("%s %s streamed=%v: warned %q", tc.name, format, streamed, warns)
				case tc.want != "" && (len(warns) != 1 || !strings.HasPrefix(warns[0], tc.want)):
					t.Errorf("%s %s streamed=%v: warnings %q, want one starting %q", tc.name, format, streamed, warns, tc.want)
				}
			}
		}
	}
	// The wrapper means a switch: no warning.
	for _, tc := range []struct{ in, format string }{
		{`{"$amf3": {"a": 1}}`, "amf0"},
		{`{"version": 3, "messages": [{"target": "a", "response": "/1", "value": {"$amf3": {"a": 1}}}]}`, "packet"},
		{`{"version": 0, "messages": [{"target": "a", "response": "/1", "value": [{"$amf3": {"$vector": "int", "fixed": false, "items": [1]}}]}]}`, "packet"},
	} {
		for _, streamed := range []bool{false, true} {
			src, err := Load([]byte(tc.in), "in", InSpec{})
			if err != nil {
				t.Fatal(err)
			}
			var warns []string
			o := &Options{Warn: func(m string) { warns = append(warns, m) }}
			if streamed {
				_, err = src.RenderTo(&bytes.Buffer{}, Target{Format: tc.format}, o)
			} else {
				_, err = src.Render(Target{Format: tc.format}, o)
			}
			if err != nil || len(warns) > 0 {
				t.Errorf("%s to %s streamed=%v: %v, warned %q", tc.in, tc.format, streamed, err, warns)
			}
		}
	}
	// A wrapper in a wrapper is still an error, in AMF3 as in AMF0.
	for _, ver := range []amf.Version{amf.AMF3, amf.AMF0} {
		if _, err := AppendJSONAsAMF(nil, []byte(`{"$amf3": {"$amf3": 1}}`), ver); err == nil || !strings.Contains(err.Error(), "$amf3 inside $amf3") {
			t.Errorf("AMF%d: a wrapper in a wrapper: %v", ver, err)
		}
	}
}

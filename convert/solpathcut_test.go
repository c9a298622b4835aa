package convert

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// TestSOLEncodeErrorPathCut: the path of an error encoding a .sol file
// from JSON ("/data/member...") is cut at amf.MaxPath as every other
// path is: "/data" was put before the path amf had cut, 5 bytes over.
func TestSOLEncodeErrorPathCut(t *testing.T) {
	long := strings.Repeat("é~/", 1<<14) // over AMF0's 65535-byte names
	for _, tc := range []struct {
		json, prefix string
	}{
		{`{"sol":"s","version":0,"data":{"a":{"` + long + `":1}}}`, "/data/a/é~0~1"},
		{`{"sol":"s","version":0,"data":{"` + long + `":1}}`, "/data/é~0~1"},
		{`{"sol":"s","version":0,"data":{"a":{"b":{"` + strings.Repeat("x", 70000) + `":1}}}}`, "/data/a/b/xxx"},
	} {
		for _, f := range []func([]byte) error{
			func(b []byte) error { _, err := AppendSOLJSON(nil, b); return err },
			func(b []byte) error { return WriteSOLJSON(discard{}, b) },
		} {
			err := f([]byte(tc.json))
			var ee *amf.EncodeError
			if !errors.As(err, &ee) || !errors.Is(err, amf.ErrUnencodable) {
				t.Fatalf("%.40s: %v, want an *amf.EncodeError", tc.json, err)
			}
			if len(ee.Path) > amf.MaxPath+3 || len(ee.Path) < amf.MaxPath || !strings.HasPrefix(ee.Path, tc.prefix) ||
				!strings.HasSuffix(ee.Path, "...") || !utf8.ValidString(ee.Path) {
				t.Errorf("%.40s: Path of %d bytes (%.30q...%q), want at most %d starting %q", tc.json, len(ee.Path), ee.Path, ee.Path[max(0, len(ee.Path)-8):], amf.MaxPath+3, tc.prefix)
			}
		}
	}
	// A short path is whole, under /data.
	_, err := AppendSOLJSON(nil, []byte(`{"sol":"s","version":0,"data":{"a/b":{"`+strings.Repeat("x", 70000)+`":1}}}`))
	var ee *amf.EncodeError
	if !errors.As(err, &ee) || !strings.HasPrefix(ee.Path, "/data/a~1b/xxx") {
		t.Errorf("%v", err)
	}
}

type discard struct{}

func (discard) Write(b []byte) (int, error) { return len(b), nil }

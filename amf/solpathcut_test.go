package amf_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestEncodeErrorUnder: an encoding error's Path put under other
// segments is cut at MaxPath once, with them in it, as joinPath cuts
// every path: the same bytes as encoding the value under them gives.
func TestEncodeErrorUnder(t *testing.T) {
	long := strings.Repeat("é~/", 1<<14)
	member := func(name string) *amf.Object {
		return &amf.Object{Members: []amf.Member{{Name: name, Value: 1.0}}}
	}
	for _, name := range []string{long, strings.Repeat("x", 70000)} {
		_, err := amf.MarshalSOL(&amf.SOL{Name: "s", Members: []amf.Member{{Name: "a", Value: member(name)}}})
		var ee *amf.EncodeError
		if !errors.As(err, &ee) {
			t.Fatalf("%v", err)
		}
		// The same place one level down, named "data".
		_, err = amf.MarshalSOL(&amf.SOL{Name: "s", Members: []amf.Member{{Name: "data", Value: &amf.Object{Members: []amf.Member{{Name: "a", Value: member(name)}}}}}})
		var want *amf.EncodeError
		if !errors.As(err, &want) {
			t.Fatalf("%v", err)
		}
		got := ee.Under("data")
		if got.Path != want.Path || got.Version != ee.Version || got.Err != ee.Err || len(got.Path) > amf.MaxPath+3 {
			t.Errorf("Under: Path of %d bytes (%.20q), want %d (%.20q)", len(got.Path), got.Path, len(want.Path), want.Path)
		}
	}
	e := &amf.EncodeError{Version: "amf0", Path: "/a~1b/c~0d", Err: amf.ErrUnencodable}
	if got := e.Under("data", "x/y").Path; got != "/data/x~1y/a~1b/c~0d" {
		t.Errorf("Under of a short path: %q", got)
	}
	if got := (&amf.EncodeError{Version: "amf0", Err: amf.ErrUnencodable}).Under("sol").Path; got != "/sol" {
		t.Errorf("Under of no path: %q", got)
	}
}

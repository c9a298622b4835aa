package amf_test

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// nestedObjects is depth objects, each the only member of the one
// before, all named name, with leaf at the bottom.
func nestedObjects(name string, depth int, leaf any) any {
	v := leaf
	for range depth {
		v = &amf.Object{Members: []amf.Member{{Name: name, Value: v}}}
	}
	return v
}

// TestEncodeErrorPathCut: an encoding error's Path is cut at MaxPath
// as a decoding error's is, the same bytes for the same place: 500
// levels under one 1 MiB name made a Path of 500 MiB. Marshal, the
// token Writer, a packet and a .sol file all give it.
func TestEncodeErrorPathCut(t *testing.T) {
	name := strings.Repeat("é~/", 1<<18) // 1 MiB, escaped and 2-byte characters
	// The decoding error of the same place: a value cut short under 200
	// levels of the name.
	b := nestedNameBomb(name, 200)
	data := append(b[:len(b)-201], 0x04)
	var v any
	derr := amf.Unmarshal(data, amf.AMF3, &v)
	var se *amf.SyntaxError
	if !errors.As(derr, &se) || len(se.Path) > amf.MaxPath+3 || !strings.HasSuffix(se.Path, "...") {
		t.Fatalf("decoding: %v", derr)
	}
	check := func(what string, err error) {
		t.Helper()
		var ee *amf.EncodeError
		if !errors.As(err, &ee) || !errors.Is(err, amf.ErrUnencodable) {
			t.Fatalf("%s: %v, want an *EncodeError", what, err)
		}
		if ee.Path != se.Path {
			t.Errorf("%s: Path of %d bytes (%.30q...), want the %d bytes decoding gives (%.30q...)", what, len(ee.Path), ee.Path, len(se.Path), se.Path)
		}
	}
	// A path under a prefix: cut as well, at a character boundary.
	checkUnder := func(what string, err error, prefix string) {
		t.Helper()
		var ee *amf.EncodeError
		if !errors.As(err, &ee) {
			t.Fatalf("%s: %v, want an *EncodeError", what, err)
		}
		if !strings.HasPrefix(ee.Path, prefix+"/é~0~1") || !strings.HasSuffix(ee.Path, "...") ||
			len(ee.Path) > amf.MaxPath+3 || len(ee.Path) < amf.MaxPath+1 || !utf8.ValidString(ee.Path) {
			t.Errorf("%s: %v (Path of %d bytes)", what, err, len(ee.Path))
		}
	}
	deep := nestedObjects(name, 500, make(chan int))
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	_, err := amf.Marshal(deep, amf.AMF3)
	runtime.ReadMemStats(&ms)
	check("Marshal", err)
	if got := ms.TotalAlloc - before; got > 64<<20 {
		t.Errorf("Marshal allocated %d MB for its error", got>>20)
	}
	check("Writer", amf.NewWriter(io.Discard, amf.AMF3).WriteValue(deep))
	// In a packet and a .sol file, under their own path (AMF0 writes
	// the name at each level: fewer of them).
	_, err = amf.MarshalPacket(&amf.Packet{Version: 3, Messages: []amf.Message{{Target: "t", Response: "/1", Value: nestedObjects(name, 3, make(chan int))}}})
	checkUnder("MarshalPacket", err, "/messages/0/value")
	_, err = amf.MarshalSOL(&amf.SOL{Name: "s", Version: 3, Members: nestedObjects(name, 3, make(chan int)).(*amf.Object).Members})
	checkUnder("MarshalSOL", err, "")
	// Short paths are not cut.
	_, err = amf.Marshal(nestedObjects("a/b", 3, make(chan int)), amf.AMF0)
	var ee *amf.EncodeError
	if !errors.As(err, &ee) || ee.Path != "/a~1b/a~1b/a~1b" {
		t.Errorf("a short path: %v", err)
	}
}

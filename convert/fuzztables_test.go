package convert

import (
	"testing"
	_ "unsafe" // go:linkname

	"github.com/amfcall/amfcall/amf"
)

// The token Reader's thresholds past which its string and traits tables
// take chunked entries (amf.strFast, amf.traitFast), which fuzzTables
// lowers.
//
//go:linkname amfStrFast github.com/amfcall/amfcall/amf.strFast
var amfStrFast int

//go:linkname amfTraitFast github.com/amfcall/amfcall/amf.traitFast
var amfTraitFast int

// fuzzTables is amf's fuzzStrFast for the fuzz targets here: for half
// the inputs (by their length) the Reader's string and traits tables
// turn chunked after 2 entries, so that small inputs reach the traits
// the Reader reads again (amf.Token.TraitsIndex, traitDups; dupPart
// lowered too) and the chunked string table.
func fuzzTables(t *testing.T, data []byte) {
	old, oldT, oldP := amfStrFast, amfTraitFast, dupPart
	if len(data)&1 == 0 {
		amfStrFast, amfTraitFast, dupPart = 2, 2, 2
	}
	t.Cleanup(func() { amfStrFast, amfTraitFast, dupPart = old, oldT, oldP })
}

// TestFuzzTablesHook: the hook reaches the Reader's thresholds (else
// the fuzz targets would run with the defaults, and say nothing).
func TestFuzzTablesHook(t *testing.T) {
	if amfStrFast != 1<<16 || amfTraitFast != 1<<12 {
		t.Fatalf("strFast %d, traitFast %d: not the Reader's", amfStrFast, amfTraitFast)
	}
	// Three objects of inline traits, the third past 2 and equal to the
	// first.
	data := []byte{0x09, 0x07, 0x01, 0x0a, 0x13, 0x01, 0x03, 'a', 0x01, 0x0a, 0x13, 0x01, 0x03, 'b', 0x01, 0x0a, 0x13, 0x01, 0x03, 'a', 0x01}
	t.Run("lowered", func(t *testing.T) {
		fuzzTables(t, data[:20])
		if amfTraitFast != 2 {
			t.Fatal("not lowered")
		}
		if !checkTyped(t, data, amf.AMF3, &Options{Typed: true}) {
			t.Fatal("the direct writer did not take the input")
		}
	})
	if amfTraitFast != 1<<12 {
		t.Fatal("not restored")
	}
}

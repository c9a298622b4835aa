package convert

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// AMF0 values written as AMF3 values or AMF Socket frames lose their
// dates' time-zone field, which AMF3 has no room for: a warning says so,
// as it does for a typed "$tz" written as AMF3. It was dropped unsaid.
func TestAMF0ZoneDroppedWarns(t *testing.T) {
	// undefined; a date of zone -100; [a date of zone 1]; a date of
	// zone 2, twice the same object in an ECMA array (counted once).
	in, _ := hex.DecodeString("06" + "0b0000000000000000ff9c" + "0a000000010b00000000000000000001" +
		"0800000002" + "00016103" + "0001640b00000000000000000002" + "000009" + "000162070002" + "000009")
	for _, to := range []string{"amf3", "socket"} {
		src, err := Load(in, "in", InSpec{Kind: KindValue, KindSet: true, Version: amf.AMF0})
		if err != nil {
			t.Fatal(err)
		}
		var warns []string
		o := &Options{Warn: func(m string) { warns = append(warns, m) }}
		tg, err := src.Target(OutSpec{Format: to})
		if err != nil {
			t.Fatal(err)
		}
		out, err := src.Render(tg, o)
		if err != nil || len(out) == 0 {
			t.Fatalf("--to %s: %v", to, err)
		}
		want := "3 AMF0 dates have a time-zone field (the first in value 2), which AMF3 dates have no room for: each is dropped"
		if len(warns) != 1 || warns[0] != want {
			t.Errorf("--to %s: warnings %q, want %q", to, warns, want)
		}
	}
	// AMF0 written as AMF0 keeps the field: no warning; nor for dates of
	// zone 0.
	for _, c := range []struct{ hex, to string }{{"0b0000000000000000ff9c", "amf0"}, {"0b00000000000000000000", "amf3"}, {"0b00000000000000000000", "socket"}} {
		in, _ := hex.DecodeString(c.hex)
		src, err := Load(in, "in", InSpec{Kind: KindValue, KindSet: true, Version: amf.AMF0})
		if err != nil {
			t.Fatal(err)
		}
		tg, _ := src.Target(OutSpec{Format: c.to})
		var warns []string
		if _, err := src.Render(tg, &Options{Warn: func(m string) { warns = append(warns, m) }}); err != nil || len(warns) > 0 {
			t.Errorf("%s --to %s: %v, warnings %q", c.hex, c.to, err, strings.Join(warns, "; "))
		}
	}
}

package convert

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Two names given twice, each in an object of its own, were warned of
// as "2 member names are given twice in one object": a reader looks for
// one object holding both. The warning says each is in its own object,
// and "the first" only when there are several.
func TestDupNameWarningWordingConv8(t *testing.T) {
	one := "0a0b01" + "036104 01" + "036104 02" + "01"                              // {"a":1,"a":2}
	two := "090501" + "0a0b01036104010361040201" + "0a0103620401036304010362040201" // [{"a":1,"a":2},{"b":1,"c":1,"b":2}]
	for _, c := range []struct {
		name, hex string
		typed     bool
		want      string
	}{
		{"one plain", one, false, `1 member name is given twice in its object (at "/a"): both members are printed`},
		{"one typed", one, true, `1 member name is given twice in its object (named "a"): both members are printed`},
		{"two plain", two, false, `2 member names are given twice in their object (the first at "/0/a"): both members are printed`},
		{"two typed", two, true, `2 member names are given twice in their object (the first named "a"): both members are printed`},
	} {
		var warns []string
		_, err := AppendAMF(nil, mustHex(t, strings.ReplaceAll(c.hex, " ", "")), amf.AMF3, &Options{Typed: c.typed, Warn: func(m string) { warns = append(warns, m) }})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(warns) != 1 || !strings.HasPrefix(warns[0], c.want) || strings.Contains(warns[0], "one object") {
			t.Errorf("%s: warnings %q, want one beginning %q", c.name, warns, c.want)
		}
		if len(warns) == 1 && !strings.HasSuffix(warns[0], "(most keep the last)") {
			t.Errorf("%s: %q, want it to end (most keep the last)", c.name, warns[0])
		}
	}
}

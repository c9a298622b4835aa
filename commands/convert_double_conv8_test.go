package commands

import (
	"strings"
	"testing"
)

// jq 1.6 prints a typed double 5.0 as 5, which converts back as an AMF3
// integer: the help says so and offers {"$double": 5}, which jq prints
// as it is. What it promises holds: 5 is an integer, 5.0 and
// {"$double": 5} doubles, and the double reads back as 5.0.
func TestConvertDoubleAsJQPrintsItConv8(t *testing.T) {
	for _, c := range []struct{ in, hex string }{
		{`{"p":5}`, "0a0b0103700405" + "01"},
		{`{"p":5.0}`, "0a0b010370054014000000000000" + "01"},
		{`{"p":{"$double":5}}`, "0a0b010370054014000000000000" + "01"},
	} {
		out, stderr, code := run(t, []string{"convert", "--to", "hex:amf3"}, c.in, nil, false)
		if code != 0 || strings.TrimSpace(out) != c.hex {
			t.Errorf("%s: exit %d, %q, want %s; stderr %s", c.in, code, out, c.hex, stderr)
		}
	}
	back, stderr, code := run(t, []string{"convert", "--typed", "--from", "hex:amf3"}, "0a0b010370054014000000000000"+"01", nil, false)
	if code != 0 || strings.TrimSpace(back) != `{"p":5.0}` {
		t.Errorf("the double back: exit %d, %q; stderr %s", code, back, stderr)
	}
	help, _, _ := run(t, []string{"convert", "--help"}, "", nil, false)
	if !strings.Contains(help, `jq '.price = {"$double": 5}'`) || !strings.Contains(help, "jq 1.6") {
		t.Errorf("convert --help does not say how jq 1.6 prints 5.0, or what to write instead:\n%s", help)
	}
}

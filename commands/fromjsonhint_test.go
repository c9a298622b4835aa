package commands

import (
	"strings"
	"testing"
)

// TestFromJSONNoHexHint: input of an odd number of hex digits that is
// no JSON ("12e", a number cut in its exponent) got "if this is hex, it
// has an odd number of digits" even with --from json, where the user
// said what it is. Guessed, the hint stays.
func TestFromJSONNoHexHint(t *testing.T) {
	const want = "amfcall: error: stdin: json: invalid character '\\n' in exponent of numeric literal at line 1, column 4 (offset 3)\n"
	for _, from := range []string{"json", "JSON"} {
		stdout, stderr, code := run(t, []string{"convert", "--from", from, "--to", "amf3"}, "12e\n", nil, false)
		if code != exitInput || stdout != "" || stderr != want {
			t.Errorf("--from %s: exit %d, stdout %q, stderr %q, want %q", from, code, stdout, stderr, want)
		}
	}
	_, stderr, code := run(t, []string{"convert", "--to", "amf3"}, "12e\n", nil, false)
	if code != exitInput || !strings.Contains(stderr, "hint: if this is hex, it has an odd number of digits (3)") {
		t.Errorf("guessed: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = run(t, []string{"convert", "--from", "hex:json"}, "12e\n", nil, false)
	if code != exitInput || !strings.Contains(stderr, "odd number of hex digits") {
		t.Errorf("--from hex:json: exit %d, stderr %q", code, stderr)
	}
}

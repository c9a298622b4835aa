package commands

import (
	"strings"
	"testing"
)

// An empty --packet file is named as convert and dump name an empty
// input (rv17a: it said "json: a packet is one JSON object; the input
// has no JSON value at line 1, column 1").
func TestPacketEmptyInput(t *testing.T) {
	for _, in := range []string{"", " \n\t"} {
		_, stderr, code := run(t, []string{"call", "--packet", "-", "http://127.0.0.1:1/gateway"}, in, nil, false)
		if code != exitInput || !strings.Contains(stderr, "--packet stdin: the input is empty") || strings.Contains(stderr, "json:") {
			t.Errorf("%q: exit %d, stderr:\n%s", in, code, stderr)
		}
	}
}

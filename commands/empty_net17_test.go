package commands

import (
	"strings"
	"testing"
)

// An empty input is malformed input (exit 4, "the input is empty") for
// convert and dump alike, whatever --from says: --from packet, sol or
// flv made dump say "output exceeds 0 bytes ... raise --max-output",
// dump --from frames printed nothing and exited 0, and convert said
// "unexpected EOF within /version", "missing FLV signature", "no JSON
// value". (jq takes an empty input for no JSON texts, exit 0; an AMF
// input is one value, packet or file, and a reply saved empty is an
// error to see, not an empty success.)
func TestEmptyInputEveryForm_net17(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"convert"}, {"dump"},
		{"convert", "--from", "packet"}, {"dump", "--from", "packet"},
		{"convert", "--from", "sol"}, {"dump", "--from", "sol"},
		{"convert", "--from", "flv"}, {"dump", "--from", "flv"},
		{"convert", "--from", "frames"}, {"dump", "--from", "frames"},
		{"convert", "--from", "json"}, {"convert", "--from", "har"},
		{"convert", "--from", "amf0"}, {"dump", "--from", "amf3"},
	} {
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 4 || stdout != "" || !strings.HasPrefix(stderr, "amfcall: error: stdin: the input is empty\n") {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, code, stdout, stderr)
		}
	}
}

package commands

import (
	"slices"
	"strings"
	"testing"
)

// -o x.frames writes AMF Socket frames and the docs call them frames:
// --to frames and --from frames (as bare words or after hex:/base64:)
// name them as socket does; they were refused (exit 2).
func TestConvertFramesName(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		stdin  string
		stdout string
	}{
		{[]string{"convert", "--to", "hex:frames"}, "1\n", "000000020401\n"},
		{[]string{"convert", "--to", "frames", "-o", "-"}, "1\n", "\x00\x00\x00\x02\x04\x01"},
		{[]string{"convert", "--to", "FRAMES", "-o", "-"}, "1\n", "\x00\x00\x00\x02\x04\x01"},
		{[]string{"convert", "--to", "hex:socket"}, "1\n", "000000020401\n"},
		{[]string{"convert", "--from", "frames"}, "\x00\x00\x00\x02\x04\x01", "1\n"},
		{[]string{"convert", "--from", "hex:frames"}, "000000020401", "1\n"},
		{[]string{"convert", "--from", "socket"}, "\x00\x00\x00\x02\x04\x01", "1\n"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 0 || stdout != tc.stdout || stderr != "" {
			t.Errorf("amfcall %s: code %d, stdout %q, stderr %q; want 0, %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.stdout)
		}
	}
	stdout, stderr, code := run(t, []string{"dump", "--from", "hex:frames"}, "000000020401", nil, false)
	if code != 0 || !strings.Contains(stdout, "frame") || stderr != "" {
		t.Errorf("dump --from frames: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	_, stderr, code = run(t, []string{"convert", "--to", "framez"}, "1\n", nil, false)
	if code != exitUsage || !strings.Contains(stderr, "socket") {
		t.Errorf("--to framez: code %d, stderr %q", code, stderr)
	}
	for _, f := range []string{"from", "dump.from", "to"} {
		for _, w := range []string{"frames", "hex:frames", "base64:frames"} {
			if !slices.Contains(flagChoices[f], w) {
				t.Errorf("completion of --%s does not offer %s", f, w)
			}
		}
	}
}

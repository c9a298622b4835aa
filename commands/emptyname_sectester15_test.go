package commands

import (
	"strings"
	"testing"
)

// An empty file name (a shell variable unset) is a usage error, as call
// refuses it: probe --wordlist ” guessed the built-in list, silently,
// exit 0; list, describe and probe dropped --cacert ”; dump -o ” wrote
// to stdout and dump ” read stdin ("stdin: the input is empty", exit 4).
// Port 1 refuses: without the check each run reached the network (exit 3).
func TestEmptyFileNameSectester15(t *testing.T) {
	const gw = "http://127.0.0.1:1/gw"
	for _, tc := range []struct {
		args  []string
		stdin string
		said  string
	}{
		{[]string{"probe", "--wordlist", "", gw}, "", "--wordlist: the file name is empty"},
		{[]string{"probe", "--cacert", "", gw}, "", "--cacert: the file name is empty"},
		{[]string{"list", "--cacert", "", gw}, "", "--cacert: the file name is empty"},
		{[]string{"describe", "--cacert", "", gw, "echo"}, "", "--cacert: the file name is empty"},
		{[]string{"dump", "-o", ""}, "0a0b0101", "--output: the file name is empty"},
		{[]string{"dump", ""}, "0a0b0101", "FILE: the file name is empty"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.said) {
			t.Errorf("%q: exit %d, want 2 and %q\n%s%s", tc.args, code, tc.said, stdout, stderr)
		}
	}
	// - (or nothing) is still stdin.
	if stdout, stderr, code := run(t, []string{"dump", "-"}, "0a0b0101", nil, false); code != 0 || !strings.Contains(stdout, "object") {
		t.Errorf("dump -: exit %d\n%s%s", code, stdout, stderr)
	}
}

package commands

import (
	"strings"
	"testing"
)

// Every command's file flag given an empty value (a shell variable
// unset) is a usage error, checked once for all commands: polish15 and
// rv15 had added the check to call, the Flex commands, bench and
// snapshots one by one, and demo --sample "" still said "open : no
// such file", probe --wordlist "" ran without its wordlist, convert and
// dump -o "" wrote to stdout.
func TestEveryEmptyFileFlagRefused(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"demo", "--sample", ""},
		{"convert", "-o", "", "x.amf"},
		{"dump", "-o", "", "x.amf"},
		{"probe", "--wordlist", "", "http://127.0.0.1:1/"},
		{"call", "--session", "", "http://127.0.0.1:1/", "a.b"},
		{"bench", "--session", "", "http://127.0.0.1:1/", "a.b"},
	} {
		_, stderr, code := run(t, args, "", nil, false)
		if code != 2 || !strings.Contains(stderr, ": the file name is empty") || !strings.Contains(stderr, "was a shell variable empty?") {
			t.Errorf("%q: exit %d\n%s", args, code, stderr)
		}
	}
}

// A gateway URL of an AMF Socket server (socket://, tcp://) or of RTMP:
// call said only "want an http:// or https:// URL" with an example.
func TestSocketOrRTMPURLHint(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{
		"socket://127.0.0.1:9000":    "amfcall socket call 127.0.0.1:9000 COMMAND [PARAMS] talks to it",
		"TCP://127.0.0.1:9000/x":     "amfcall socket call 127.0.0.1:9000 COMMAND [PARAMS] talks to it",
		"rtmp://127.0.0.1/live":      "not RTMP: give the gateway's http:// or https:// URL",
		"rtmpt://127.0.0.1:80/a/b?c": "not RTMP",
	} {
		_, stderr, code := run(t, []string{"call", url, "echo.echo", "1"}, "", nil, false)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("call %s: exit %d\n%s", url, code, stderr)
		}
	}
}

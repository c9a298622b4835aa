package commands

import (
	"strings"
	"testing"
)

// A text dump that cuts long ranges to their first 32 bytes of hex says
// once, on stderr, that --all shows every byte; with --all, or when
// nothing was cut, it says nothing.
func TestDumpCutHint(t *testing.T) {
	long := "\x06\x81\x11" + strings.Repeat("a", 72) // a string of 72 bytes: 75 bytes
	stdout, stderr, code := run(t, []string{"dump", "--from", "amf3"}, long, nil, false)
	if code != 0 || !strings.Contains(stdout, "... 43 more bytes") ||
		stderr != "amfcall: 1 range longer than 32 bytes shows its first 32 bytes of hex (\"... N more bytes\"): --all shows every byte\n" {
		t.Fatalf("code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Two cut ranges (the value and the bytes not read after a fault).
	_, stderr, code = run(t, []string{"dump", "--from", "amf3"}, long+"\x3f"+strings.Repeat("b", 40), nil, false)
	if code != 4 || !strings.HasPrefix(stderr, "amfcall: 2 ranges longer than 32 bytes show their first 32 bytes of hex (\"... N more bytes\"): --all shows every byte\n") {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}
	for _, args := range [][]string{{"dump", "--all", "--from", "amf3"}, {"dump", "--format", "json", "--from", "amf3"}} {
		if _, stderr, code := run(t, args, long, nil, false); code != 0 || stderr != "" {
			t.Fatalf("%v: code %d, stderr:\n%s", args, code, stderr)
		}
	}
	if _, stderr, code := run(t, []string{"dump", "--from", "amf3"}, "\x06\x07abc", nil, false); code != 0 || stderr != "" {
		t.Fatalf("short: code %d, stderr:\n%s", code, stderr)
	}
}

// An FLV file (streamed, tag by tag) gets the same note.
func TestDumpCutHintFLV(t *testing.T) {
	video := strings.Repeat("\x17", 40)
	flv := "FLV\x01\x05\x00\x00\x00\x09" + "\x00\x00\x00\x00" + "\x09\x00\x00\x28\x00\x00\x00\x00\x00\x00\x00" + video + "\x00\x00\x00\x33"
	_, stderr, code := run(t, []string{"dump"}, flv, nil, false)
	if code != 0 || !strings.Contains(stderr, "1 range longer than 32 bytes shows its first 32 bytes of hex") {
		t.Fatalf("code %d, stderr:\n%s", code, stderr)
	}
}

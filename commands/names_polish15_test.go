package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A --session file (edited by hand) whose header name is over 65535
// bytes: the call failed with the packet encoder's error alone,
// `within "/headers/0/name"`, naming neither the file nor the place in
// it. It now names both, as for a header value AMF cannot write.
func TestSessionLongHeaderNamePlaced(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	session := filepath.Join(t.TempDir(), "s.json")
	long := strings.Repeat("N", 70000)
	text := "{\n  \"version\": 1,\n  \"gateway\": \"" + gw + "\",\n  \"headers\": [\n    {\"name\": \"Tok\", \"value\": 1},\n    {\"name\": \"" + long + "\", \"value\": 2}\n  ]\n}\n"
	if err := os.WriteFile(session, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"call", "--session", session, gw, "echo.echo", "1"},
		{"call", "--offline", "--session", session, gw, "echo.echo", "1"},
	} {
		_, stderr, code := run(t, args, "", nil, false)
		want := "--session " + session + `: the session file is not valid: header 1: its name "` + long[:40] + `..." is 70000 bytes, more than the 65535 AMF can write, at line 6, column 14;` // the quote that opens it
		if code != 4 || !strings.Contains(stderr, want) || len(stderr) > 1000 {
			t.Errorf("%q: exit %d; want 4 and %q; stderr:\n%.600s", args, code, want, stderr)
		}
	}
}

// --amf-header NAME=JSON with a NAME over 65535 bytes: the encoder's path
// said "/headers/0/name" whatever the header's place in the packet. It
// is now the place the client writes it at: after -u's Credentials (not
// a header with --flex), after the names before it, one given twice
// counted once.
func TestAMFHeaderLongNameIndex(t *testing.T) {
	long := strings.Repeat("N", 70000)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--amf-header", long + "=1"}, `--amf-header 1 (its NAME, 70000 bytes): amf0: value cannot be encoded: a member or class name longer than 65535 bytes within "/headers/0/name"`},
		{[]string{"--amf-header", "A=1", "--amf-header", "B=2", "--amf-header", "A=3", "--amf-header", long + "=1"}, `--amf-header 4 (its NAME, 70000 bytes): amf0: value cannot be encoded: a member or class name longer than 65535 bytes within "/headers/2/name"`},
		{[]string{"-u", "bob:pw", "--amf-header", "A=1", "--amf-header", long + "=1"}, `within "/headers/2/name"`},
		{[]string{"--flex", "-u", "bob:pw", "--amf-header", "A=1", "--amf-header", long + "=1"}, `within "/headers/1/name"`},
	} {
		args := append([]string{"call", "--offline", "http://127.0.0.1:1/", "x.echo"}, tc.args...)
		_, stderr, code := run(t, args, "", nil, false)
		if code != 4 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%.120q: exit %d; want 4 and %q; stderr:\n%.300s", tc.args, code, tc.want, stderr)
		}
	}
}

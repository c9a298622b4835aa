package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// JSON that starts with a UTF-8 byte order mark (Notepad, PowerShell 5,
// or "$(cat file)" of such a file): the positions in errors were 3 bytes
// short (the mark was cut before parsing), or, given on the command line,
// the text was refused at its first byte ("invalid character 'ï' ...
// offset 0"). Positions are now the user's own bytes, as convert gives
// them: the mark is blanked, not cut.
func TestJSONPositionsAfterBOM(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	const bom = "\xef\xbb\xbf"
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := bom + "[1,\n 2,, 3]" // the second ',' of line 2: file offset 10
	args := write("args.json", bad)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"-d @FILE", []string{"call", gw, "echo.echo", "-d", "@" + args}, "", "-d " + args + ": json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"-d -", []string{"call", gw, "echo.echo", "-d", "-"}, bad, "-d -: json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"-d TEXT", []string{"call", gw, "echo.echo", "-d", bad}, "", "-d: json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"ARG", []string{"call", gw, "echo.echo", bad}, "", "argument 1: json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"upload ARG", []string{"upload", gw, "echo.echo", write("a.bin", "x"), bad}, "", "argument 1: json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"--amf-header", []string{"call", "--amf-header", "H=" + bad, gw, "echo.echo"}, "", "--amf-header H: json: invalid character ',' looking for beginning of value at line 2, column 4 (offset 10)"},
		{"--batch", []string{"call", "--batch", write("b.jsonl", bom+`{"target": "echo.echo", "args": [1,,2]}`+"\n"), gw}, "", "line 1, column 39: json: invalid character ','"},
		{"--session", []string{"call", "--session", write("s.json", bom+`{"version": 1, "headers": [,]}`), gw, "echo.echo"}, "", "invalid character ',' looking for beginning of value at line 1, column 31;"},
		{"--packet", []string{"call", "--packet", write("p.json", bom+`{"version": 0, "headers": [], "messages": [{"target": "echo.echo", "response": "/1", "value": [1,,2]}]}`), gw}, "", "at line 1, column 101 (offset 100)"},
		{"encode error", []string{"call", gw, "echo.echo", "-d", "@" + write("long.json", bom+`[{"`+strings.Repeat("k", 70000)+`": 1}]`)}, "", `...", at line 1, column 6 (offset 5)`},
	} {
		_, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if code != 4 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%s: exit %d; want 4 and %q; stderr:\n%.600s", tc.name, code, tc.want, stderr)
		}
	}
}

// A session file with a byte order mark (saved again by an editor): its
// mark is blanked when it is read, and the file on disk, read again
// before it is saved, must not look changed by another command (it did:
// "--session s.json was changed by another command while this one ran").
func TestSessionWithBOMNotChangedByOther(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{})
	session := filepath.Join(t.TempDir(), "s.json")
	if _, stderr, code := run(t, []string{"call", "--session", session, gw, "login", `"bob"`, `"pw"`}, "", nil, false); code != 0 {
		t.Fatalf("login: exit %d, stderr:\n%s", code, stderr)
	}
	data, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(session, append([]byte("\xef\xbb\xbf"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(t, []string{"call", "--session", session, gw, "session.whoami"}, "", nil, false)
	if code != 0 || stdout != `"bob"`+"\n" || stderr != "" {
		t.Errorf("exit %d, stdout %q; want 0, \"bob\" and nothing on stderr; stderr:\n%s", code, stdout, stderr)
	}
}

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// checkReadOnlyOutput: -o, --save-request and --save-response replaced a
// file its owner had made read-only, which "> FILE" refuses: the rename
// of the atomic write does not look at the file's mode. They refuse it
// now, leave it as it was, and a call sends nothing; the hint names the
// command that makes it writable (undo: chmod u+w, or attrib -r on
// Windows, where os.Chmod 0o444 sets the read-only attribute).
func checkReadOnlyOutput(t *testing.T, undo string) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "keep.json")
	if err := os.WriteFile(ro, []byte("old\n"), 0o444); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o644) }) // else, on Windows, TempDir's removal fails
	if st, err := os.Stat(ro); err != nil || st.Mode().Perm()&0o200 != 0 {
		t.Fatalf("the file is not read-only: %v %v", st.Mode(), err)
	}
	u, sent := countingGateway(t)
	hint := "amfcall: hint: make it writable (" + undo + " " + shellWord(ro) + ") to replace it, or choose another file"
	for _, tc := range []struct {
		args  []string
		flag  string
		extra string
	}{
		{[]string{"convert", "-o", ro}, "-o", ""},
		{[]string{"convert", "--to", "amf3", "-o", ro}, "-o", ""},
		{[]string{"dump", "--from", "hex", "-o", ro}, "-o", ""},
		{[]string{"call", "--offline", "--save-request", ro, u, "a.b"}, "--save-request", "; nothing was sent"},
		{[]string{"call", "--save-request", ro, u, "a.b"}, "--save-request", "; nothing was sent"},
		{[]string{"call", "--save-response", ro, u, "a.b"}, "--save-response", "; nothing was sent"},
	} {
		stdin := `{"a": 1}`
		if tc.args[0] == "dump" {
			stdin = "0401"
		}
		checkCase(t, cliCase{args: tc.args, stdin: stdin, code: exitUsage,
			stderr: "amfcall: error: " + tc.flag + " " + ro + ": permission denied: the file is read-only\n" + hint + tc.extra + "\n"})
		if b, _ := os.ReadFile(ro); string(b) != "old\n" {
			t.Errorf("%s: the read-only file now holds %q", strings.Join(tc.args, " "), b)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
	// Made writable, as the hint says, it is replaced.
	if err := os.Chmod(ro, 0o644); err != nil {
		t.Fatal(err)
	}
	checkCase(t, cliCase{args: []string{"convert", "-o", ro}, stdin: `{"a": 1}`})
	if b, _ := os.ReadFile(ro); string(b) != "{\"a\":1}\n" {
		t.Errorf("after %s: %q", undo, b)
	}
}

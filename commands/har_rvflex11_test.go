package commands

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestConvertHARMethodIsJSON: convert of a HAR writes one JSON object a
// line, but the request's method was quoted as Go quotes a string: a
// method holding a NUL or DEL (a HAR edited by hand, or written by a
// tool that kept the bytes it saw) came out as "PO\x00ST\x7f", which no
// JSON reader takes, and the whole stream failed to parse. The method is
// now a JSON string like the URL beside it, control characters and
// those a terminal acts on (U+009B) escaped (DEL, which JSON allows and
// terminals ignore, stays).
func TestConvertHARMethodIsJSON(t *testing.T) {
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	const method = "PO\u0000ST\u007f\u009b2J"
	har := strings.Replace(string(data), `"method": "POST"`, `"method": "PO\u0000ST\u007f\u009b2J"`, 1)
	if har == string(data) {
		har = strings.Replace(string(data), `"method":"POST"`, `"method":"PO\u0000ST\u007f\u009b2J"`, 1)
	}
	if har == string(data) {
		t.Fatalf("%s holds no POST method to change", harFile)
	}
	stdout, stderr, _ := run(t, []string{"convert", "-"}, har, nil, false)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines; stdout:\n%s\nstderr:\n%s", len(lines), stdout, stderr)
	}
	for i, line := range lines {
		var v struct{ Method string }
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Errorf("line %d is not JSON (%v): %s", i+1, err, line)
			continue
		}
		if i == 0 && v.Method != method {
			t.Errorf("line 1's method is %q, want %q", v.Method, method)
		}
	}
	if !strings.Contains(lines[0], `"method":"PO\u0000ST`+"\x7f"+`\u009b2J"`) {
		t.Errorf("line 1 does not write the method with JSON escapes: %s", lines[0])
	}
}

// TestFromHARHintsQuoteTheFile: the hints of --from-har FILE without #N
// (or with an N past the file's requests) named the command that lists
// the requests with the file's name as it is: "amfcall convert my
// session.har" converts two files, "my" and "session.har". The name is
// now a shell word, as the other hints write file names; stdin's hint
// names no "-", which would read a stdin already read.
func TestFromHARHintsQuoteTheFile(t *testing.T) {
	data, err := os.ReadFile(harFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "my session.har")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	q := shellWord(name)
	for _, tc := range []cliCase{
		{name: "no N", args: []string{"call", "--from-har", name}, code: exitUsage,
			stderr: "amfcall: error: --from-har " + name + ": the file holds 4 AMF requests; say which with " + q + "#N\n" +
				"amfcall: hint: list them with: amfcall convert " + q + "\n"},
		{name: "N too large", args: []string{"call", "--from-har", name + "#9"}, code: exitUsage,
			stderr: "amfcall: error: --from-har " + name + "#9: the file holds 4 AMF requests\n" +
				"amfcall: hint: N counts the AMF requests from 1; list them with: amfcall convert " + q + "\n"},
		{name: "stdin", args: []string{"call", "--from-har", "-"}, stdin: string(data), code: exitUsage,
			stderr: "amfcall: error: --from-har stdin: the file holds 4 AMF requests; say which with -#N\n" +
				"amfcall: hint: list them with: amfcall convert, given the same HAR on stdin\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	// The hint's command, run as printed by a shell, lists the requests.
	if sh, err := exec.LookPath("sh"); err == nil && runtime.GOOS != "windows" {
		bin, _ := completionDirs(t)
		cmd := exec.Command(sh, "-c", "amfcall convert "+q+" | wc -l")
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1")
		out, _ := cmd.Output()
		if strings.TrimSpace(string(out)) != "4" {
			t.Errorf("the hint's command printed %q lines, want 4", out)
		}
	}
}

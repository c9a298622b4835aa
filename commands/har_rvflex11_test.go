package commands

import (
	"encoding/json"
	"os"
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

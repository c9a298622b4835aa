package commands

import (
	"encoding/base64"
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
			stderr: "amfcall: error: --from-har stdin: the file holds 4 AMF requests; say which with " + shellWord("-") + "#N\n" +
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

// TestFromHARBadURL: with no URL given, call --from-har sends the
// request to the URL the HAR holds. One that is not an http(s) URL was
// told as the user's own ("invalid gateway URL ...", hint: "write the
// gateway URL with its scheme"), and a request with no URL at all went
// to the placeholder of --offline: amfcall looked up the host
// offline.invalid and said "host not found (http://offline.invalid/)".
// Each now names the HAR's request, exit 4 (its input), with the hint to
// give a URL, before any request; a URL given, or --offline, still
// works (--offline failed on such a URL too, which it never contacts).
func TestFromHARBadURL(t *testing.T) {
	pkt, _, code := run(t, []string{"call", "--offline", "http://h/", "echo.echo", "1"}, "", nil, false)
	if code != 0 {
		t.Fatal("call --offline failed")
	}
	raw, _, code := run(t, []string{"convert", "--to", "packet", "-"}, pkt, nil, false)
	if code != 0 {
		t.Fatal("convert failed")
	}
	body := base64.StdEncoding.EncodeToString([]byte(raw))
	har := func(url string) string {
		return `{"log":{"entries":[{"request":{"method":"POST","url":` + jsonString(t, url) + `,"headers":[],` +
			`"postData":{"mimeType":"application/x-amf","text":"` + body + `","encoding":"base64"}},` +
			`"response":{"status":200,"content":{"mimeType":"application/x-amf","size":0}}}]}}`
	}
	dir := t.TempDir()
	hint := "amfcall: hint: give the gateway URL to send it to: amfcall call --from-har " + shellWord(filepath.Join(dir, "r.har")+"#1") + " URL\n"
	for _, tc := range []struct{ url, why string }{
		{"", "the request has no URL in the HAR file"},
		{"file:///etc/passwd", `the request's URL "file:///etc/passwd" is not an http:// or https:// URL`},
		{"http://bob:s3cret@h/\x1b[2J", `the request's URL "http://bob:xxxxx@h/\x1b[2J" does not parse: net/url: invalid control character in URL`},
		{"http:///gateway", `the request's URL "http:///gateway" has no host`},
	} {
		name := filepath.Join(dir, "r.har")
		if err := os.WriteFile(name, []byte(har(tc.url)), 0o644); err != nil {
			t.Fatal(err)
		}
		checkCase(t, cliCase{name: tc.url, args: []string{"call", "--from-har", name}, code: exitInput,
			stderr: "amfcall: error: --from-har " + name + "#1: " + tc.why + "\n" + hint})
		// --offline sends nothing: no URL is needed.
		if _, stderr, code := run(t, []string{"call", "--offline", "--from-har", name}, "", nil, false); code != 0 {
			t.Errorf("%q --offline: exit %d, %s", tc.url, code, stderr)
		}
	}
	// A URL given is where it goes.
	u := serveGateway(t)
	name := filepath.Join(dir, "r.har")
	if stdout, stderr, code := run(t, []string{"call", "--from-har", name, u}, "", nil, false); code != 0 || !strings.Contains(stdout, `"value":1`) {
		t.Errorf("with a URL: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// jsonString is s as a JSON string.
func jsonString(t *testing.T, s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

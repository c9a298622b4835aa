package commands

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// The tests in this file come from the second rvuser review: amfcall
// used as a new user would, against --help, the README, the man page and
// the contract (cli.md).

// fullWriter takes room bytes, then fails as a full disk does.
type fullWriter struct{ room int }

func (w *fullWriter) Write(p []byte) (int, error) {
	if len(p) <= w.room {
		w.room -= len(p)
		return len(p), nil
	}
	n := w.room
	w.room = 0
	// What a write to a full disk returns through *os.File.
	return n, &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// TestConvertOutputFullIsNotMalformedInput: converting a large AMF3 file
// to JSON on a full disk said the input was malformed (exit 4) and hinted
// at --from, on the path that writes JSON as it goes; a small file, or
// AMF0, said it was the output (exit 2). Each now names the output, with
// exit 2, however much was written before the write failed.
func TestConvertOutputFullIsNotMalformedInput(t *testing.T) {
	t.Parallel()
	var doc strings.Builder
	doc.WriteString("[")
	for i := 0; i < 10000; i++ {
		if i > 0 {
			doc.WriteString(",")
		}
		doc.WriteString(`{"i":1,"name":"snapshot.jpg"}`)
	}
	doc.WriteString("]")
	amf3, stderr, code := run(t, []string{"convert", "--to", "amf3", "-o", "-"}, doc.String(), nil, false)
	if code != 0 {
		t.Fatalf("convert --to amf3: %d %s", code, stderr)
	}
	amf0, stderr, code := run(t, []string{"convert", "--to", "amf0", "-o", "-"}, doc.String(), nil, false)
	if code != 0 {
		t.Fatalf("convert --to amf0: %d %s", code, stderr)
	}
	for _, tc := range []struct {
		name  string
		input string
		args  []string
	}{
		{"amf3 plain", amf3, []string{"convert"}},
		{"amf3 typed", amf3, []string{"convert", "--typed"}},
		{"amf3 from", amf3, []string{"convert", "--from", "amf3"}},
		{"amf0 plain", amf0, []string{"convert"}},
		{"json to amf3", doc.String(), []string{"convert", "--to", "amf3", "-o", "-"}},
	} {
		for _, room := range []int{0, 100, 70000} {
			var errb bytes.Buffer
			e := &runEnv{
				args:       append([]string{"amfcall"}, tc.args...),
				stdin:      strings.NewReader(tc.input),
				stdout:     &fullWriter{room: room},
				stderr:     &errb,
				getenv:     func(k string) string { return plainEnv[k] },
				isTerminal: func(any) bool { return false },
			}
			code := e.run()
			stderr := errb.String()
			if code != 2 || !strings.Contains(stderr, "amfcall: error: writing stdout: no space left on device\n") ||
				strings.Contains(stderr, "--from") {
				t.Errorf("%s, room for %d bytes: exit %d, stderr:\n%s\nwant exit 2, the error naming stdout, no --from hint", tc.name, room, code, stderr)
			}
		}
	}
}

// TestCompleteDoubleDash: "amfcall call --<TAB>" offered nothing in
// every shell, the word being completed ("--") being taken for the end
// of the flags. It lists the long flags, as "-<TAB>" does; a "--" before
// the word still ends them (file names only).
func TestCompleteDoubleDash(t *testing.T) {
	t.Parallel()
	complete := func(words ...string) []string {
		stdout, stderr, code := run(t, append(words, "--generate-bash-completion"), "", nil, false)
		if code != 0 || stderr != "" {
			t.Fatalf("complete %q: code %d, stderr %q", words, code, stderr)
		}
		return strings.Fields(stdout)
	}
	for _, cmd := range []string{"call", "convert", "upload", "dump", "bench", "snapshots"} {
		var want []string
		for _, w := range complete(cmd, "-") {
			if strings.HasPrefix(w, "--") {
				want = append(want, w)
			}
		}
		got := complete(cmd, "--")
		if len(got) < 2 || strings.Join(got, " ") != strings.Join(want, " ") || !slices.Contains(got, "--help") {
			t.Errorf("complete %q: got %q, want the long flags %q", cmd+" --", got, want)
		}
		if got := complete(cmd, "--", "--"); len(got) != 0 {
			t.Errorf("complete %q: got %q, want nothing (file names) after --", cmd+" -- --", got)
		}
	}
	if got := complete("--"); !slices.Contains(got, "--version") || !slices.Contains(got, "--color") {
		t.Errorf(`complete "--": got %q, want the global flags`, got)
	}
}

// TestBenchHelpExitStatus: bench --help said 0 "faults included" and 4
// when no reply decoded; a run whose every answer is a fault exits 1,
// and one whose replies are not AMF exits 3. Each run's exit status is
// the one the help gives for it.
func TestBenchHelpExitStatus(t *testing.T) {
	t.Parallel()
	help, _, _ := run(t, []string{"bench", "--help"}, "", nil, false)
	_, status, ok := strings.Cut(strings.Join(strings.Fields(help), " "), "Exit status: ")
	if !ok {
		t.Fatalf("no exit status in bench --help:\n%s", help)
	}
	status, _, _ = strings.Cut(status, "Examples:")
	_, u := startGateway(t, gateway.Options{})
	junk := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write([]byte("\x00\x00\x00\x00\x00\x01\x00\x0b/1/onResult\x00\x04null\xff\xff\xff\xff\x0b"))
	}))
	defer junk.Close()
	for _, tc := range []struct {
		args []string
		says string // what the help says of this exit status
	}{
		{[]string{u, "echo.echo", "1"}, "0 when calls were answered with results"},
		{[]string{u, "echo.fail", `"x"`}, "1 when every answer was a fault"},
		{[]string{junk.URL, "a.b"}, "3 when no call was answered"},
		{[]string{"--bogus", u, "a.b"}, "2 for usage errors"},
	} {
		_, stderr, code := run(t, append([]string{"bench", "-n", "4", "-c", "2"}, tc.args...), "", nil, false)
		if !strings.Contains(status, tc.says) || !strings.HasPrefix(tc.says, fmt.Sprint(code)) {
			t.Errorf("bench %q: exit %d (%s); the help says: %s\nwant it to say %q", tc.args, code, stderr, status, tc.says)
		}
	}
	if regexp.MustCompile(`\b4\b`).MatchString(status) { // not the 4 of 143
		t.Errorf("bench --help gives an exit status 4 that no run has: %s", status)
	}
}

// TestManPageFlagValues: the man page wrote every value flag as
// urfave/cli's default does, --data, -d="": ... (194 of them), which
// reads as an empty default and hides the value's name that --help
// shows (--data JSON, -d JSON); its SYNOPSIS gave "socket [OPTIONS]"
// without socket call and socket listen. The shipped page now names
// each value as --help does, and every command line.
func TestManPageFlagValues(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../doc/amfcall.1")
	if err != nil {
		t.Fatal(err)
	}
	man := string(b)
	if n := strings.Count(man, `="":`); n > 0 {
		t.Errorf("doc/amfcall.1 writes %d flags as --flag=\"\":", n)
	}
	for _, want := range []string{
		`\fB--data\fP \fIJSON\fP, \fB-d\fP \fIJSON\fP: `,
		`\fB--header\fP \fI\&'NAME: VALUE'\fP, \fB-H\fP \fI\&'NAME: VALUE'\fP: `,
		`\fB--timeout\fP \fIDURATION\fP: `,
		`\fB--color\fP \fIWHEN\fP: `,
		`\fB--typed, -x\fP: `, // a boolean flag takes no value
		`\fBsocket call\fP [\fIOPTIONS\fP] HOST:PORT [COMMAND [PARAMS]]`,
		`\fBsocket listen\fP [\fIOPTIONS\fP] HOST:PORT`,
	} {
		if !strings.Contains(man, want) {
			t.Errorf("doc/amfcall.1 has no %q", want)
		}
	}
	// Each value flag of call's --help is in the page with its value.
	help, _, _ := run(t, []string{"call", "--help"}, "", nil, false)
	for _, m := range regexp.MustCompile(`(?m)^   (--[a-z-]+) ([A-Z][A-Z:=_-]*)(,|  )`).FindAllStringSubmatch(help, -1) {
		if want := `\fB` + m[1] + `\fP \fI` + m[2] + `\fP`; !strings.Contains(man, want) {
			t.Errorf("doc/amfcall.1 has no %q (call --help: %s %s)", want, m[1], m[2])
		}
	}
}

// TestOutputFlagHint: "call -o out.json", as curl is used, was an unknown
// flag with no word on what to do; it now says that the result is on
// stdout (and, for call, that --save-response keeps the reply's bytes).
// Nothing is sent and no file is made.
func TestOutputFlagHint(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	out := filepath.Join(t.TempDir(), "out.json")
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"call", "-o", out, srv.URL, "echo.echo", "1"}, "amfcall: hint: amfcall call writes its output on stdout: redirect it with > FILE, or keep the reply's AMF bytes with --save-response FILE\n"},
		{[]string{"call", srv.URL, "echo.echo", "1", "--output", out}, "amfcall: hint: amfcall call writes its output on stdout: redirect it with > FILE, or keep the reply's AMF bytes with --save-response FILE\n"},
		{[]string{"upload", srv.URL, "a.b", "-", "-o", out}, "amfcall: hint: amfcall upload writes its output on stdout: redirect it with > FILE\n"},
		{[]string{"snapshots", "-o", out, srv.URL}, "amfcall: hint: amfcall snapshots writes its output on stdout: redirect it with > FILE\n"},
	} {
		stdout, stderr, code := run(t, tc.args, "x", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.hint) {
			t.Errorf("amfcall %q: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", tc.args, code, stdout, stderr, tc.hint)
		}
	}
	if _, err := os.Stat(out); err == nil || hits.Load() != 0 {
		t.Errorf("a file was made (%v) or a request sent (%d)", err, hits.Load())
	}
	// serve's data is not on stdout: no such hint.
	if _, stderr, _ := run(t, []string{"serve", "-o", out}, "", nil, false); strings.Contains(stderr, "stdout") {
		t.Errorf("serve -o: %s", stderr)
	}
}

// TestHelpVersionDemoOnFullDisk: --help, --version and demo written to
// a full disk (> /dev/full) exited 0 with nothing said, as if the text
// had been written; they now exit 2 naming stdout, as the other
// commands do.
func TestHelpVersionDemoOnFullDisk(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"call", "--help"}, {"help", "convert"}, {"--version"}, {"demo"}} {
		for _, room := range []int{0, 10} {
			var errb bytes.Buffer
			e := &runEnv{
				args:       append([]string{"amfcall"}, args...),
				stdin:      strings.NewReader(""),
				stdout:     &fullWriter{room: room},
				stderr:     &errb,
				getenv:     func(k string) string { return plainEnv[k] },
				isTerminal: func(any) bool { return false },
			}
			if code := e.run(); code != 2 || errb.String() != "amfcall: error: writing stdout: no space left on device\namfcall: hint: check that there is room where the output goes\n" {
				t.Errorf("amfcall %q with room for %d bytes: exit %d, stderr %q; want 2 and the write error", args, room, code, errb.String())
			}
		}
	}
	// With room, each is a success.
	for _, args := range [][]string{{"--help"}, {"--version"}} {
		if stdout, stderr, code := run(t, args, "", nil, false); code != 0 || stderr != "" || stdout == "" {
			t.Errorf("amfcall %q: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// TestDumpPacketAfterText: a reply saved with --save-response keeps a
// PHP notice before the packet, and convert warns that it skips it; dump
// skipped it without a word, its offsets 79 bytes off the file's. It now
// warns with the text and where the packet starts.
func TestDumpPacketAfterText(t *testing.T) {
	t.Parallel()
	pkt, err := os.ReadFile("../testdata/pyamf/captures/default-fail.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	notice := "<br />\n<b>Notice</b>:  Undefined index: name in /var/www/gw.php on line 3<br />\n"
	file := filepath.Join(t.TempDir(), "reply.amf")
	if err := os.WriteFile(file, append([]byte(notice), pkt...), 0o600); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("amfcall: warning: %s: %d bytes before the AMF packet, skipped: %q; the offsets below count from the packet's first byte, at offset %d (0x%x) of the input\n",
		file, len(notice), strings.ReplaceAll(notice, "\n", `\x0a`), len(notice), len(notice))
	want = strings.ReplaceAll(want, `\\x0a`, `\x0a`)
	for _, format := range []string{"text", "json"} {
		stdout, stderr, code := run(t, []string{"dump", "--format", format, file}, "", nil, false)
		if code != 0 || osText(stderr) != want || !strings.Contains(stdout, "echo.fail") {
			t.Errorf("dump --format %s: exit %d, stderr:\n%s\nwant:\n%s", format, code, stderr, want)
		}
	}
	// The packet alone: no warning.
	if _, stderr, code := run(t, []string{"dump", "../testdata/pyamf/captures/default-fail.request.amf"}, "", nil, false); code != 0 || stderr != "" {
		t.Errorf("dump of the packet alone: exit %d, stderr %q", code, stderr)
	}
}

// TestCompleteTargetFromEnvURL: with AMFCALL_URL set, "call <TAB>" (the
// URL left out, as --help allows) completed no target, while "call URL
// <TAB>" completed those "amfcall list" had found. It completes them for
// AMFCALL_URL's gateway; a URL given still wins.
func TestCompleteTargetFromEnvURL(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	if _, stderr, code := run(t, []string{"list", u}, "", nil, false); code != 0 {
		t.Fatalf("list: %d %s", code, stderr)
	}
	env := map[string]string{"NO_COLOR": "1", "AMFCALL_URL": u}
	for _, tc := range []struct {
		words []string
		env   map[string]string
		want  string
	}{
		{[]string{"call", "echo."}, env, "echo.echo\necho.fail\n"},
		{[]string{"call", "--amf3", "echo."}, env, "echo.echo\necho.fail\n"},
		{[]string{"bench", "-c", "2", "echo."}, env, "echo.echo\necho.fail\n"},
		{[]string{"upload", "Byte"}, env, "ByteArray.getSnapshots\nByteArray.saveSnapshot\n"},
		{[]string{"call", "echo.echo", ""}, env, ""}, // an ARG, not a target
		{[]string{"call", u, "echo."}, map[string]string{"AMFCALL_URL": "http://127.0.0.1:1/"}, "echo.echo\necho.fail\n"},
		{[]string{"call", "echo."}, nil, ""},
	} {
		stdout, stderr, code := run(t, append(tc.words, "--generate-bash-completion"), "", tc.env, false)
		if code != 0 || stderr != "" || stdout != tc.want {
			t.Errorf("complete %q (AMFCALL_URL %q): %q (code %d, stderr %q), want %q", tc.words, tc.env["AMFCALL_URL"], stdout, code, stderr, tc.want)
		}
	}
}

// TestCompleteAtFile: "call URL TARGET @pho<TAB>" completed nothing, in
// every shell: the shells complete file names for words without an @.
// call and bench (whose ARGs and -d take @FILE) now list the files and
// folders that complete the word, each with its @.
func TestCompleteAtFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, name := range []string{"photo.jpg", "photo.png", "args.json", ".hidden", "shots/a.jpg"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	at := "@" + dir + string(filepath.Separator)
	for _, tc := range []struct {
		words []string
		want  []string
	}{
		{[]string{"call", "http://h/", "a.b", at + "pho"}, []string{at + "photo.jpg", at + "photo.png"}},
		{[]string{"call", "http://h/", "a.b", at}, []string{at + "args.json", at + "photo.jpg", at + "photo.png", at + "shots/"}},
		{[]string{"call", "http://h/", "a.b", at + "."}, []string{at + ".hidden"}},
		{[]string{"call", "-d", at + "a"}, []string{at + "args.json"}},
		{[]string{"call", "http://h/", "a.b", "--data", at + "a"}, []string{at + "args.json"}},
		{[]string{"bench", "-c", "2", "http://h/", "a.b", at + "sh"}, []string{at + "shots/"}},
		{[]string{"call", "-H", at + "a"}, nil}, // a header is no file
		{[]string{"convert", at + "a"}, nil},    // convert reads FILE, without @
		{[]string{"call", "http://h/", "a.b", "@" + dir + "/nope/x"}, nil},
	} {
		stdout, stderr, code := run(t, append(tc.words, "--generate-bash-completion"), "", nil, false)
		if got := strings.Fields(stdout); code != 0 || stderr != "" || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("complete %q: %q (code %d, stderr %q), want %q", tc.words, got, code, stderr, tc.want)
		}
	}
}

// TestUploadCallOnlyFlags: upload --help said its other flags were
// call's, but --session, --flex, --destination, -d were unknown flags
// with no word on what to do (a file to a Flex destination, or within a
// login session). The help says which it lacks, and the error names
// call with an @FILE argument. Nothing is sent.
func TestUploadCallOnlyFlags(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "photo.jpg")
	if err := os.WriteFile(file, sampleJPEG, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, flag := range [][]string{{"--session", "s.json"}, {"--flex"}, {"--destination", "images"}, {"-d", "[1]"}, {"--batch", "b.jsonl"}} {
		args := append(append([]string{"upload"}, flag...), srv.URL, "ByteArray.saveSnapshot", file)
		_, stderr, code := run(t, args, "", nil, false)
		want := "amfcall: hint: upload does not take " + flag[0] + "; amfcall call URL TARGET @FILE [ARG...] does, and sends the file as a ByteArray (read whole, up to 256 MiB - 1)\n"
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("amfcall %q: exit %d, stderr:\n%s\nwant 2 and %q", args, code, stderr, want)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests were sent", hits.Load())
	}
	help, _, _ := run(t, []string{"upload", "--help"}, "", nil, false)
	if !strings.Contains(strings.Join(strings.Fields(help), " "), "upload has no session, Flex or batch flags") {
		t.Errorf("upload --help does not say which of call's flags it lacks:\n%s", help)
	}
}

// TestBenchTimeoutHintUnit: the hint of a run whose replies timed out
// repeated the flag as typed, "--timeout (1)"; a plain number of seconds
// is now shown with its unit.
func TestBenchTimeoutHintUnit(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accepts, reads, never answers
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go io.Copy(io.Discard, c)
		}
	}()
	_, stderr, code := run(t, []string{"bench", "-n", "1", "-c", "1", "--timeout", "0.2", "http://" + ln.Addr().String() + "/", "a.b"}, "", nil, false)
	want := "amfcall: hint: no reply came within --timeout (0.2s) or --idle-timeout (60s); raise them if the gateway is only slow (0 is no limit)\n"
	if code != 3 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant 3 and %q", code, stderr, want)
	}
}

// TestJSONFilesWithBOM: JSON saved by Notepad or PowerShell 5 starts with
// a UTF-8 byte order mark. convert read such files, but call's -d @FILE,
// --batch, --packet, --from-har and --session refused them with "invalid
// character 'ï'" (and -d hinted at quoting a string). They read them now.
func TestJSONFilesWithBOM(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	dir := t.TempDir()
	bom := "\xef\xbb\xbf"
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(bom+text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	har, err := os.ReadFile("../testdata/har/pyamf.har")
	if err != nil {
		t.Fatal(err)
	}
	session := filepath.Join(dir, "s.json")
	if _, stderr, code := run(t, []string{"call", "--session", session, u, "login", `"bob"`, `"pw"`}, "", nil, false); code != 0 {
		t.Fatalf("login: %d %s", code, stderr)
	}
	s, _ := os.ReadFile(session)
	write("s.json", string(s))
	for _, tc := range []struct {
		args  []string
		stdin string
		want  string
	}{
		{[]string{"call", "-d", "@" + write("args.json", `["a", 1]`), u, "echo.echo"}, "", `["a",1]` + "\n"},
		{[]string{"call", "-d", "-", u, "echo.echo"}, bom + `["b"]`, `"b"` + "\n"},
		{[]string{"call", "--batch", write("b.jsonl", `{"target": "echo.echo", "args": [2]}`+"\n"), u}, "", `{"target":"echo.echo","result":2}` + "\n"},
		{[]string{"call", "--packet", write("p.json", `{"version": 0, "headers": [], "messages": [{"target": "echo.echo", "response": "/1", "value": [3]}]}`), u, "-q", "messages.0.value"}, "", "3\n"},
		{[]string{"call", "--from-har", write("s.har", string(har)) + "#1", u, "-q", "messages.0.value.code", "-r"}, "", "Service.ResourceNotFound\n"},
		{[]string{"call", "--session", session, u, "session.whoami"}, "", `"bob"` + "\n"},
	} {
		stdout, stderr, code := run(t, tc.args, tc.stdin, nil, false)
		if stdout != tc.want || strings.Contains(stderr, "invalid character") || code > 1 {
			t.Errorf("amfcall %q: exit %d, stdout %q, stderr:\n%s\nwant stdout %q", tc.args, code, stdout, stderr, tc.want)
		}
	}
}

// TestConvertHARWithBOM: a HAR file saved with a byte order mark converts
// as the same file without it (it failed with "invalid character 'ï'
// ... offset 0", though JSON with a mark converted).
func TestConvertHARWithBOM(t *testing.T) {
	t.Parallel()
	har, err := os.ReadFile("../testdata/har/pyamf.har")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "s.har")
	if err := os.WriteFile(p, append([]byte("\xef\xbb\xbf"), har...), 0o600); err != nil {
		t.Fatal(err)
	}
	wantOut, wantErr, wantCode := run(t, []string{"convert", "../testdata/har/pyamf.har"}, "", nil, false)
	stdout, stderr, code := run(t, []string{"convert", p}, "", nil, false)
	wantErr = strings.ReplaceAll(wantErr, "../testdata/har/pyamf.har", p)
	if stdout != wantOut || stderr != wantErr || code != wantCode || !strings.HasPrefix(stdout, `{"n":1,`) {
		t.Errorf("convert of the HAR with a byte order mark: exit %d, stdout %.200q, stderr:\n%s\nwant exit %d, the stdout and stderr of the file without it:\n%s", code, stdout, stderr, wantCode, wantErr)
	}
}

package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// The tests in this file come from using amfcall as a new user would:
// the help's own examples, typos and wrong paths.

// TestShortFlagGroups: "-vv" (in call's help and the contract) and other
// groups of one-letter flags read as getopt reads them.
func TestShortFlagGroups(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	stdout, stderr, code := run(t, []string{"call", "-vv", gw.URL, "getSnapshots"}, "", nil, false)
	if code != 0 || !strings.Contains(stderr, "< HTTP/1.1 200 OK\n") || !strings.Contains(stderr, "* request packet:\n") {
		t.Errorf("-vv: code %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	stdout, _, code = run(t, []string{"call", gw.URL, "getSnapshots", "-xr", "-q", "0"}, "", nil, false)
	if code != 0 || !strings.HasPrefix(stdout, "http://") || strings.Contains(stdout, `"`) {
		t.Errorf("-xr: code %d stdout %q", code, stdout)
	}
	_, stderr, code = run(t, []string{"call", "-qr", "a", gw.URL, "getSnapshots"}, "", nil, false)
	if code != 2 || stderr != "amfcall: error: -qr: -q takes a value, so it can only end a group of one-letter flags\n"+
		"amfcall: hint: write it on its own, e.g. -q VALUE\n" {
		t.Errorf("-qr: code %d stderr %s", code, stderr)
	}
}

// TestOutputPathsCheckedBeforeSending: a --save-request, --save-response
// or --session path that cannot be written fails before the call is sent,
// naming its own flag.
func TestOutputPathsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	gw := newCallReplay(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing", "f")
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--save-request", missing},
			"amfcall: error: --save-request " + missing + ": the directory " + filepath.Dir(missing) + " does not exist\n" +
				"amfcall: hint: create it first (mkdir -p " + filepath.Dir(missing) + "), or choose another file; nothing was sent\n"},
		{[]string{"--save-response", dir},
			"amfcall: error: --save-response " + dir + ": is a directory\namfcall: hint: give a file name\n"},
		{[]string{"--session", missing},
			"amfcall: error: --session " + missing + ": the directory " + filepath.Dir(missing) + " does not exist\n" +
				"amfcall: hint: create it first (mkdir -p " + filepath.Dir(missing) + "), or choose another file; nothing was sent\n"},
		{[]string{"--session", filepath.Join(notDir, "s.json")},
			"amfcall: error: --session " + filepath.Join(notDir, "s.json") + ": " + notDir + " is not a directory\n" +
				"amfcall: hint: choose another file; nothing was sent\n"},
	} {
		before := len(gw.requests())
		args := append(append([]string{"call"}, tc.args...), gw.URL, "echo.echo", "1")
		stdout, stderr, code := run(t, args, "", nil, false)
		if code != 2 || stdout != "" || stderr != tc.stderr {
			t.Errorf("%v: code %d stdout %q\nstderr:\n%s\nwant:\n%s", tc.args, code, stdout, stderr, tc.stderr)
		}
		if n := len(gw.requests()) - before; n != 0 {
			t.Errorf("%v: %d requests sent", tc.args, n)
		}
	}
}

// TestInputErrorsNameTheirSource: a file given with @FILE, -d @FILE or
// --batch FILE that cannot be read says which one it was and how that
// input is read from stdin; a directory says so once.
func TestInputErrorsNameTheirSource(t *testing.T) {
	t.Parallel()
	u := "http://127.0.0.1:1/"
	dir := t.TempDir()
	for _, tc := range []cliCase{
		{name: "arg", args: []string{"call", u, "svc.m", "1", "@/nonexistent/x"}, code: 2,
			stderr: "amfcall: error: argument 2: open /nonexistent/x: no such file or directory\n" +
				"amfcall: hint: check the file name; use @- for stdin\n"},
		{name: "arg dir", args: []string{"call", u, "svc.m", "@" + dir}, code: 2,
			stderr: "amfcall: error: argument 1: " + dir + " is a directory\namfcall: hint: give a file\n"},
		{name: "data", args: []string{"call", "-d", "@/nonexistent/x", u, "svc.m"}, code: 2,
			stderr: "amfcall: error: -d: open /nonexistent/x: no such file or directory\n" +
				"amfcall: hint: check the file name; use -d - for stdin\n"},
		{name: "batch", args: []string{"call", "--batch", "/nonexistent/x", u}, code: 2,
			stderr: "amfcall: error: --batch: open /nonexistent/x: no such file or directory\n" +
				"amfcall: hint: check the file name; use --batch - for stdin\n"},
		{name: "batch dir", args: []string{"call", "--batch", dir, u}, code: 2,
			stderr: "amfcall: error: --batch: " + dir + " is a directory\namfcall: hint: give a file\n"},
		{name: "convert dir", args: []string{"convert", dir}, code: 2,
			stderr: "amfcall: error: " + dir + " is a directory\namfcall: hint: give a file\n"},
		{name: "stdin twice", args: []string{"call", u, "svc.m", "@-", "@-"}, stdin: "x", code: 2,
			stderr: "amfcall: error: argument 2: stdin is already read by argument 1\n" +
				"amfcall: hint: only one input can come from stdin; give the others as files\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { checkCase(t, tc) })
	}
	// upload: a directory is reported as such before its (missing)
	// extension is.
	_, stderr, code := run(t, []string{"upload", u, "ByteArray.saveSnapshot", dir}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, "is a directory") || strings.Contains(stderr, "extension") {
		t.Errorf("upload dir: code %d stderr %s", code, stderr)
	}
}

// TestSnapshotsDefaultURL: snapshots, like call and upload, takes its URL
// from AMFCALL_URL when none is given.
func TestSnapshotsDefaultURL(t *testing.T) {
	t.Parallel()
	_, url := startGateway(t, gateway.Options{})
	env := map[string]string{"NO_COLOR": "1", "AMFCALL_URL": url}
	stdout, stderr, code := run(t, []string{"snapshots", "--format", "json"}, "", env, false)
	if code != 0 || stdout != "[]\n" {
		t.Errorf("AMFCALL_URL: code %d stdout %q stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = run(t, []string{"snapshots"}, "", nil, false)
	want := "amfcall: error: amfcall snapshots: missing URL\n" +
		"amfcall: hint: usage: amfcall snapshots URL\n" +
		"amfcall: hint: AMFCALL_URL gives a default gateway URL\n"
	if code != 2 || stdout != "" || stderr != want {
		t.Errorf("no URL: code %d stdout %q stderr:\n%s", code, stdout, stderr)
	}
}

// TestNoArgumentCommands: a command that takes no arguments says so
// plainly, with a usage line free of trailing blanks.
func TestNoArgumentCommands(t *testing.T) {
	t.Parallel()
	checkCase(t, cliCase{args: []string{"demo", "now"}, code: 2,
		stderr: "amfcall: error: amfcall demo takes no arguments (got \"now\")\namfcall: hint: usage: amfcall demo\n"})
}

// TestFishCompletion runs the fish script in fish against this test binary
// standing in for amfcall: like the other shells', it completes flag
// values and completion's shells, and falls back to file names.
func TestFishCompletion(t *testing.T) {
	t.Parallel()
	fish, err := exec.LookPath("fish")
	if err != nil {
		t.Skip("no fish")
	}
	bin, files := completionDirs(t)
	script, _ := filepath.Abs("../completions/amfcall.fish")
	for _, tc := range []struct{ line, want string }{
		{"amfcall conv", "convert"},
		{"amfcall convert --ty", "--typed"},
		{"amfcall --color ", "always auto never"},
		{"amfcall convert --to hex:amf", "hex:amf0 hex:amf3"},
		{"amfcall convert --to=base64:", "--to=base64:amf0 --to=base64:amf3 --to=base64:flv --to=base64:packet --to=base64:socket --to=base64:sol"},
		{"amfcall convert --col", "--color"},
		{"amfcall completion f", "fish"},
		{"amfcall call -vv http://h/ echo.echo -", strings.Join([]string{"-H", "-d", "-h", "-k", "-q", "-r", "-u", "-v", "-x"}, " ")},
		{"amfcall convert in", "in.amf"},
		{"amfcall snapshots --format 'j", "json"}, // inside a quote
		{`amfcall convert --to hex\:so`, "hex:socket hex:sol"},
	} {
		got := fishComplete(t, fish, script, bin, files, tc.line)
		if tc.line == "amfcall call -vv http://h/ echo.echo -" {
			// Only the short flags are checked here: the long ones are
			// TestCompleteCandidates' business.
			var short []string
			for _, g := range got {
				if len(g) == 2 {
					short = append(short, g)
				}
			}
			got = short
			sort.Strings(got) // fish's own order depends on the locale
		}
		if s := strings.Join(got, " "); s != tc.want {
			t.Errorf("fish completion of %q = %q, want %q", tc.line, s, tc.want)
		}
	}
}

// TestConvertHexDumpHint: a pasted xxd or hexdump -C listing (offsets
// and an ASCII column) is not hex text; the error says how to get there.
func TestConvertHexDumpHint(t *testing.T) {
	t.Parallel()
	hint := "amfcall: hint: this looks like a hex dump with offsets (xxd, hexdump -C): give the hex digits only (xxd -p FILE), or the bytes (xxd -r FILE)\n"
	for name, dump := range map[string]string{
		"xxd":        "00000000: 0003 0000 0001 000b 2f31 2f6f 6e52 6573  ......../1/onRes\n",
		"hexdump -C": "00000000  00 03 00 00 00 01 00 0b  2f 31 2f 6f 6e 52 65 73  |......../1/onRes|\n",
	} {
		stdout, stderr, code := run(t, []string{"convert"}, dump, nil, false)
		if code != exitInput || stdout != "" || !strings.HasSuffix(stderr, hint) {
			t.Errorf("%s: code %d, stdout %q, stderr:\n%s", name, code, stdout, stderr)
		}
	}
}

// fishComplete runs fish's complete -C on line with the script loaded, in
// files, with amfcall (this test binary) first on PATH, and returns the
// candidates without their descriptions.
func fishComplete(t *testing.T, fish, script, bin, files, line string) []string {
	t.Helper()
	cmd := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, line)
	cmd.Dir = files
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%q: %v\n%s", line, err, out)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			got = append(got, strings.SplitN(l, "\t", 2)[0])
		}
	}
	return got
}

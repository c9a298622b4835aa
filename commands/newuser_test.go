package commands

import (
	"bytes"
	"fmt"
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
		{"amfcall convert --to=base64:", "--to=base64:amf0 --to=base64:amf3 --to=base64:flv --to=base64:frames --to=base64:packet --to=base64:socket --to=base64:sol"},
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
// The hint named "xxd -p FILE" (which needs the bytes the user does not
// have) and "xxd -r FILE", which misreads hexdump -C; dump said only
// "this is text". convert and dump now name a command for each listing,
// with the file's name; the hexdump -C one, done here as cut does it,
// and the xxd one, where xxd is installed, give back the packet.
func TestConvertHexDumpHint(t *testing.T) {
	skipPOSIXHint(t)
	t.Parallel()
	pkt := captureBytes(t, "default-fail.request.amf")
	var xxd, hd strings.Builder
	for off := 0; off < len(pkt); off += 16 {
		line := pkt[off:min(off+16, len(pkt))]
		fmt.Fprintf(&xxd, "%08x: ", off)
		fmt.Fprintf(&hd, "%08x  ", off)
		for i := 0; i < 16; i++ {
			switch {
			case i < len(line):
				fmt.Fprintf(&xxd, "%02x", line[i])
				fmt.Fprintf(&hd, "%02x ", line[i])
			default:
				xxd.WriteString("  ")
				hd.WriteString("   ")
			}
			if i%2 == 1 {
				xxd.WriteString(" ")
			}
			if i == 7 {
				hd.WriteString(" ")
			}
		}
		fmt.Fprintf(&xxd, " %s\n", strings.Map(func(r rune) rune {
			if r < 0x20 || r > 0x7e {
				return '.'
			}
			return r
		}, string(line)))
		fmt.Fprintf(&hd, " |%s|\n", strings.Map(func(r rune) rune {
			if r < 0x20 || r > 0x7e {
				return '.'
			}
			return r
		}, string(line)))
	}
	fmt.Fprintf(&hd, "%08x\n", len(pkt))
	dir := t.TempDir()
	xxdFile, hdFile := filepath.Join(dir, "req.xxd"), filepath.Join(dir, "req.hd")
	for f, text := range map[string]string{xxdFile: xxd.String(), hdFile: hd.String()} {
		if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, cmd := range []string{"convert", "dump"} {
		for file, undo := range map[string]string{xxdFile: "xxd -r " + shellWord(xxdFile), hdFile: "cut -c 11-59 " + shellWord(hdFile)} {
			hint := "amfcall: hint: this looks like a hex dump with offsets (xxd, hexdump -C): " + undo + " | amfcall " + cmd + " reads its bytes\n"
			stdout, stderr, code := run(t, []string{cmd, file}, "", nil, false)
			if code != exitInput || stdout != "" || !strings.HasSuffix(stderr, hint) {
				t.Errorf("%s %s: code %d, stdout %q, stderr:\n%s", cmd, file, code, stdout, stderr)
			}
		}
	}
	// cut -c 11-59: the hex columns of each line.
	var cols strings.Builder
	for _, l := range strings.SplitAfter(hd.String(), "\n") {
		cols.WriteString(l[min(10, len(l)):min(59, len(l))] + "\n")
	}
	want, _, _ := run(t, []string{"convert", captures + "default-fail.request.amf"}, "", nil, false)
	if got, stderr, code := run(t, []string{"convert"}, cols.String(), nil, false); code != 0 || got != want {
		t.Errorf("cut -c 11-59 | convert: exit %d, %q, want %q\n%s", code, got, want, stderr)
	}
	if path, err := exec.LookPath("xxd"); err == nil {
		bin, err := exec.Command(path, "-r", xxdFile).Output()
		if err != nil || !bytes.Equal(bin, pkt) {
			t.Errorf("xxd -r: %v, %x, want %x", err, bin, pkt)
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

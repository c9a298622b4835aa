package commands

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// runStdinFile runs amfcall with stdin open on the file path, as a
// shell's "< path" gives it.
func runStdinFile(t *testing.T, path string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out, errb bytes.Buffer
	e := &runEnv{
		args: append([]string{"amfcall"}, args...), stdin: f, stdout: &out, stderr: &errb,
		getenv: func(k string) string { return plainEnv[k] }, isTerminal: func(any) bool { return false },
		stdinFile: true,
	}
	if st, err := f.Stat(); err == nil {
		e.stdinStat = st
	}
	code = e.run()
	return out.String(), errb.String(), code
}

// dump FILE -o FILE, and convert or dump -o FILE < FILE, replaced the
// captured request with its dump or its JSON (exit 0, nothing said).
// They are usage errors now, and the file is left as it was.
func TestOutputOntoInputFile(t *testing.T) {
	orig, err := os.ReadFile("../testdata/pyamf/captures/default-batch.response.amf")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "reply.amf")
	reset := func() {
		if err := os.WriteFile(in, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what, stdout, stderr string, code int, want string) {
		t.Helper()
		if code != 2 || stdout != "" || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and %q", what, code, stderr, want)
		}
		if got, _ := os.ReadFile(in); !bytes.Equal(got, orig) {
			t.Errorf("%s: the input was changed", what)
		}
	}
	reset()
	stdout, stderr, code := run(t, []string{"dump", in, "-o", in}, "", nil, false)
	check("dump FILE -o FILE", stdout, stderr, code, "-o "+in+" is the input file: the dump output would replace it")
	for _, cmd := range []string{"dump", "convert"} {
		reset()
		stdout, stderr, code = runStdinFile(t, in, cmd, "-o", in)
		check(cmd+" -o FILE < FILE", stdout, stderr, code, "-o "+in+" is the file on standard input")
	}
	// stdin from a file is still read, and written to another file.
	out := filepath.Join(dir, "reply.txt")
	if _, stderr, code := runStdinFile(t, in, "dump", "-o", out); code != 0 {
		t.Errorf("dump -o another file < FILE: exit %d: %s", code, stderr)
	} else if b, _ := os.ReadFile(out); !bytes.Contains(b, []byte("packet version")) {
		t.Errorf("dump -o another file < FILE wrote %.80q", b)
	}
}

// call --save-request/--save-response onto the file the call reads
// (-d @FILE, --packet) replaced it with the request or the reply, and
// the two saves onto one file kept only the reply. Each is a usage
// error before anything is sent; nothing is changed.
func TestCallSavesNotOntoInputs(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits++ }))
	defer srv.Close()
	dir := t.TempDir()
	args := filepath.Join(dir, "args.json")
	pkt := filepath.Join(dir, "req.amf")
	origArgs := []byte("[1,2]\n")
	origPkt, err := os.ReadFile("../testdata/pyamf/captures/default-echo_amf3_rich.request.amf")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(args, origArgs, 0o644)
	os.WriteFile(pkt, origPkt, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"call", "-d", "@" + args, "--save-request", args, srv.URL, "echo.echo"},
			"--save-request " + args + " is the file -d reads"},
		{[]string{"call", "-d", "@" + args, "--save-response", filepath.Join(dir, ".", "args.json"), srv.URL, "echo.echo"},
			"is the file -d reads"},
		{[]string{"call", "--packet", pkt, "--save-response", pkt, srv.URL},
			"--save-response " + pkt + " is the file --packet reads"},
		{[]string{"call", "--save-request", filepath.Join(dir, "x.amf"), "--save-response", filepath.Join(dir, "x.amf"), srv.URL, "echo.echo"},
			"--save-request and --save-response name the same file"},
		{[]string{"call", "--session", filepath.Join(dir, "s.json"), "--save-response", filepath.Join(dir, "s.json"), srv.URL, "echo.echo"},
			"is the file --session reads"},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, false)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
	if b, _ := os.ReadFile(args); !bytes.Equal(b, origArgs) {
		t.Errorf("the -d file was changed: %q", b)
	}
	if b, _ := os.ReadFile(pkt); !bytes.Equal(b, origPkt) {
		t.Error("the --packet file was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "x.amf")); err == nil {
		t.Error("x.amf was written")
	}
	if hits != 0 {
		t.Errorf("the gateway was called %d times", hits)
	}
	// -d @- with stdin from the file it would save onto.
	stdout, stderr, code := runStdinFile(t, args, "call", "-d", "@-", "--save-request", args, srv.URL, "echo.echo")
	if code != 2 || stdout != "" || !strings.Contains(stderr, "is the file -d reads (standard input's file)") {
		t.Errorf("-d @- < FILE --save-request FILE: exit %d, stderr %q", code, stderr)
	}
}

// --packet and --from-har send the packet as it is: the flags that would
// change it are refused, as -u and --amf3 were. --debug-events,
// --destination, --source, --endpoint and --remote-user were ignored
// (and --debug-events then said the gateway ignores amf_server_debug).
func TestWholePacketRefusesPacketFlags(t *testing.T) {
	pkt := "../testdata/pyamf/captures/default-fail.request.amf"
	for _, f := range [][]string{{"--debug-events"}, {"--destination", "echo"}, {"--source", "x"},
		{"--endpoint", "e"}, {"--remote-user", "a:b"}, {"--must-understand"}} {
		args := append([]string{"call", "--packet", pkt}, f...)
		args = append(args, "http://127.0.0.1:1/")
		_, stderr, code := run(t, args, "", nil, false)
		if code != 2 || !strings.Contains(stderr, "--packet can't be used with "+f[0]) {
			t.Errorf("%v: exit %d, %q", f, code, stderr)
		}
	}
}

// bench against a method that only faults (a wrong password) exited 0:
// a script could not tell a run where nothing succeeded. It exits 1, as
// call does for a fault, after its summary.
func TestBenchAllFaults(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		p := &amf.Packet{}
		for _, m := range req.Messages {
			p.Messages = append(p.Messages, amf.Message{Target: m.Response + "/onStatus", Response: "null",
				Value: &amf.Object{Members: []amf.Member{{Name: "code", Value: "AuthenticationError"}, {Name: "description", Value: "bad"}}}})
		}
		out, _ := amf.MarshalPacket(p)
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	defer srv.Close()
	stdout, stderr, code := run(t, []string{"bench", "-n", "3", "-c", "1", srv.URL, "secure.whoami"}, "", nil, false)
	if code != 1 || !strings.Contains(stderr, "every call answered with a fault (3 faults; the commonest AuthenticationError)") || !strings.Contains(stdout, "AuthenticationError") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

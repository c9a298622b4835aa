package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// upload's faults had no hint at all, where call's have one: a method
// that wants credentials, credentials refused, a method or service name
// not found. They now come from the same code as call's (targetHint).
func TestUploadFaultHints(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{User: "bob", Password: "pw"})
	file := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff, 0xe0})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", gw, "secure.echo", file}, "the method wants credentials: add -u USER:PASSWORD"},
		{[]string{"upload", "-u", "bob:nope", gw, "secure.echo", file}, "the gateway refused the credentials given with -u"},
		{[]string{"upload", gw, "ByteArray.saveSnapshott", file}, "amfcall describe " + gw + " ByteArray shows the service's methods"},
		{[]string{"upload", gw, "BytArray.saveSnapshot", file}, "amfcall list " + gw + " shows the services"},
	} {
		stdout, stderr, code := run(t, tc.args, "", nil, false)
		if code != 1 || !strings.Contains(stderr, "hint: "+tc.want) || !strings.Contains(stdout, `"code"`) {
			t.Errorf("%q: exit %d, stdout %q; want exit 1, the fault on stdout and the hint %q; stderr:\n%s", tc.args, code, stdout, tc.want, stderr)
		}
	}
}

// authFaultGateway answers every call with an authentication fault.
func authFaultGateway(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		fault := &amf.Object{Members: []amf.Member{
			{Name: "code", Value: "Client.Authentication"},
			{Name: "description", Value: "Authentication failed"},
			{Name: "level", Value: "error"},
		}}
		b, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onStatus", Response: "null", Value: fault}}})
		if err != nil {
			t.Error(err)
			return
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// snapshots after a redirect to another host that wants credentials: -u's
// were held back there (the client's warning says so), and the fault had
// no hint; it now has call's (small14's Fault.CredentialsNotSentTo),
// from the same code. Without -u, the hint to add it; with a gateway
// that refused them, the hint to check them.
func TestSnapshotsAuthHints(t *testing.T) {
	gw := authFaultGateway(t)
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, gw.URL+"/gateway", http.StatusPermanentRedirect)
	}))
	defer a.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"snapshots", "-u", "bob:pw", a.URL + "/"}, "the gateway redirected to another host (" + gw.URL + "/gateway) and the credentials given with -u were not sent there"},
		{[]string{"snapshots", "-u", "bob:pw", gw.URL + "/"}, "the gateway refused the credentials given with -u"},
		{[]string{"snapshots", gw.URL + "/"}, "the method wants credentials: add -u USER:PASSWORD"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 1 || !strings.Contains(stderr, "hint: "+tc.want) {
			t.Errorf("%q: exit %d; want 1 and the hint %q; stderr:\n%s", tc.args, code, tc.want, stderr)
		}
	}
}

// upload URL photo.jpg ByteArray.saveSnapshot (TARGET and FILE the other
// way round) said "open ByteArray.saveSnapshot: no such file" with the
// hint "check the file name"; upload URL photo.jpg said "missing FILE"
// with the usage. Both now say that the file was given as the TARGET,
// with the command line in the right order.
func TestUploadFileGivenAsTarget(t *testing.T) {
	file := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff, 0xe0})
	gw := "http://127.0.0.1:1/gateway"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"upload", gw, file, "ByteArray.saveSnapshot"}, "is a file, given where the TARGET goes: TARGET comes first, then FILE: amfcall upload " + gw + " ByteArray.saveSnapshot " + file},
		{[]string{"upload", gw, file}, "is a file, given where the TARGET goes: name the method first, e.g. amfcall upload " + gw + " ByteArray.saveSnapshot " + file},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 2 || !strings.Contains(stderr, "hint: "+shellWord(file)+" "+tc.want) {
			t.Errorf("%q: exit %d; want 2 and the hint %q; stderr:\n%s", tc.args, code, tc.want, stderr)
		}
	}
}

// "amfcall login" (logout is a command): it was "unknown command" and
// the list of commands, which has no login. It now says how to log in.
func TestLoginCommandHint(t *testing.T) {
	_, stderr, code := run(t, []string{"login", "--session", "s.json", "-u", "bob:pw", "http://127.0.0.1:1/gateway"}, "", nil, false)
	if code != 2 || !strings.Contains(stderr, `unknown command "login"`) || !strings.Contains(stderr, "hint: a login is made by a call: amfcall call --session FILE -u USER:PASSWORD --destination DEST URL OPERATION") {
		t.Errorf("exit %d; want 2 and the hint to log in with call; stderr:\n%s", code, stderr)
	}
}

// call URL photo.jpg ByteArray.saveSnapshot '"jpg"': the method, taken
// for a JSON argument, got the hint to quote it as a string. The hint
// now says that the file was given as the TARGET, with the command in
// order (@FILE for its bytes). The exit status stays 4 (JSON).
func TestCallFileGivenAsTarget(t *testing.T) {
	file := writeFile(t, "a.jpg", []byte{0xff, 0xd8, 0xff, 0xe0})
	gw := "http://127.0.0.1:1/gateway"
	_, stderr, code := run(t, []string{"call", gw, file, "ByteArray.saveSnapshot", `"jpg"`}, "", nil, false)
	want := "hint: " + shellWord(file) + ", given as the TARGET, is a file: the TARGET (the method) comes first, and a file's bytes go as @FILE: amfcall call " + gw + " ByteArray.saveSnapshot " + atWord(file) + ` '"jpg"'`
	if code != 4 || !strings.Contains(stderr, want) || strings.Contains(stderr, "write a string with its quotes") {
		t.Errorf("exit %d; want 4 and %q; stderr:\n%s", code, want, stderr)
	}
}

// call URL login '"bob"' '"wrong"' (the ByteArray example's login, whose
// arguments are the credentials): the hint said to add -u (the AMF
// Credentials header), which that method does not read. It now says
// that the login's arguments were refused.
func TestLoginMethodRefusedHint(t *testing.T) {
	_, gw := startGateway(t, gateway.Options{User: "bob", Password: "pw"})
	_, stderr, code := run(t, []string{"call", gw, "login", `"bob"`, `"wrong"`}, "", nil, false)
	if code != 1 || !strings.Contains(stderr, "hint: the gateway refused the login: check the user name and password given as its arguments") || strings.Contains(stderr, "add -u") {
		t.Errorf("exit %d; want 1 and the hint about login's arguments; stderr:\n%s", code, stderr)
	}
}

// A file name left empty ("@$FILE", "$FILE" with FILE unset): call's
// "@" and "-d @" read stdin (in a script, an empty ByteArray sent, exit
// 0), and upload's "" said "open : no such file or directory". Each is
// now a usage error that says the name is empty, with nothing read or
// sent.
func TestEmptyFileName(t *testing.T) {
	gw := "http://127.0.0.1:1/gateway"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"call", gw, "echo.echo", "@"}, "argument 1: @: no file name after the @"},
		{[]string{"call", gw, "echo.echo", "-d", "@"}, "-d @: no file name after the @"},
		{[]string{"upload", gw, "ByteArray.saveSnapshot", ""}, "amfcall upload: the FILE argument is empty: no file name"},
	} {
		_, stderr, code := run(t, tc.args, "[1]", nil, false)
		if code != 2 || !strings.Contains(stderr, "error: "+tc.want) || !strings.Contains(stderr, "hint: was a shell variable empty?") {
			t.Errorf("%q: exit %d; want 2 and %q; stderr:\n%s", tc.args, code, tc.want, stderr)
		}
	}
}

// A file flag given an empty value (--session "$S" with S unset) was
// taken as not given: the call ran without its session (exit 0, a login
// saved nowhere), or without --cacert; --batch "" said "missing
// TARGET". Each is now a usage error naming the flag.
func TestEmptyFileFlag(t *testing.T) {
	gw := "http://127.0.0.1:1/gateway"
	for _, args := range [][]string{
		{"call", "--session", "", gw, "echo.echo", "1"},
		{"call", "--session=", gw, "echo.echo", "1"},
		{"call", "--batch", "", gw},
		{"call", "--cacert", "", gw, "echo.echo"},
		{"upload", "--cacert", "", gw, "ByteArray.saveSnapshot", "x.jpg"},
		{"logout", "--session", "", gw},
	} {
		_, stderr, code := run(t, args, "", nil, false)
		flag := strings.TrimSuffix(args[1], "=")
		if code != 2 || !strings.Contains(stderr, "error: "+flag+": the file name is empty") {
			t.Errorf("%q: exit %d; want 2 and %q; stderr:\n%s", args, code, flag+": the file name is empty", stderr)
		}
	}
}

// A gateway URL whose scheme is mistyped: "http//host/gw" got the hint
// "write the gateway URL with its scheme: http://http//host/gw";
// "http:/host/gw" and "htp://host/gw" an example URL. The hint now
// gives the URL with its scheme written right (exit 2 as before).
func TestMistypedSchemeHint(t *testing.T) {
	file := writeFile(t, "x.jpg", []byte{0xff, 0xd8})
	for _, tc := range []struct{ url, want string }{
		{"http//127.0.0.1:1/gw", "http://127.0.0.1:1/gw"},
		{"https//127.0.0.1:1/gw", "https://127.0.0.1:1/gw"},
		{"http:/127.0.0.1:1/gw", "http://127.0.0.1:1/gw"},
		{"htp://127.0.0.1:1/gw", "http://127.0.0.1:1/gw"},
		{"http//bob:pw@127.0.0.1:1/gw", "http://bob:xxxxx@127.0.0.1:1/gw (with the password in place of xxxxx)"},
	} {
		for _, cmd := range []string{"call", "upload"} {
			args := []string{cmd, tc.url, "echo.echo", "1"}
			if cmd == "upload" {
				args[3] = file
			}
			_, stderr, code := run(t, args, "", nil, false)
			if code != 2 || !strings.Contains(stderr, "hint: the scheme is mistyped: write "+tc.want+"\n") {
				t.Errorf("%q: exit %d; want 2 and the hint to write %s; stderr:\n%s", args, code, tc.want, stderr)
			}
		}
	}
}

// A trailing comma ([1, 2,], {"a": 1,}), as JavaScript and Python write
// it: the error named the bracket after it, with no hint. The hint now
// says where the comma is: its column on the error's line (a --batch
// line counts as the file's line), or its line and column.
func TestTrailingCommaHint(t *testing.T) {
	args := writeFile(t, "args.json", []byte("\xef\xbb\xbf[1,\n 2,\n]"))
	batch := writeFile(t, "b.jsonl", []byte("{\"target\": \"echo.echo\", \"args\": [1]}\n{\"target\": \"echo.echo\", \"args\": [1,]}\n"))
	gw := "http://127.0.0.1:1/gateway"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"call", gw, "echo.echo", "[1,2,]"}, "JSON takes no comma before ]: remove the one at column 5"},
		{[]string{"call", gw, "echo.echo", "{\"a\": 1,\n}"}, "JSON takes no comma before }: remove the one at line 1, column 8"},
		{[]string{"call", gw, "echo.echo", "-d", "@" + args}, "JSON takes no comma before ]: remove the one at line 2, column 3"},
		{[]string{"call", "--batch", batch, gw}, "JSON takes no comma before ]: remove the one at column 35"},
		{[]string{"call", "--amf-header", "A=[1,]", gw, "echo.echo"}, "JSON takes no comma before ]: remove the one at column 3"},
		{[]string{"call", gw, "echo.echo", `["a]\"{",]`}, "JSON takes no comma before ]: remove the one at column 9"},
	} {
		_, stderr, code := run(t, tc.args, "", nil, false)
		if code != 4 || !strings.Contains(stderr, "hint: "+tc.want+"\n") {
			t.Errorf("%q: exit %d; want 4 and the hint %q; stderr:\n%s", tc.args, code, tc.want, stderr)
		}
	}
	// The comma is not to blame where the bracket closes another
	// container: {"a": [1, } leaves the array open.
	if _, stderr, code := run(t, []string{"call", gw, "echo.echo", `{"a": [1, }`}, "", nil, false); code != 4 || strings.Contains(stderr, "no comma") {
		t.Errorf(`{"a": [1, }: exit %d; want 4 and no comma hint; stderr:\n%s`, code, stderr)
	}
}

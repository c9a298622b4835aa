package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client/gateway"
)

// runHintCommand runs line, a command printed in a hint, in shell (sh,
// bash) with this test binary as amfcall, and returns its output.
func runHintCommand(t *testing.T, shell, line string) (string, error) {
	t.Helper()
	path, err := exec.LookPath(shell)
	if err != nil || runtime.GOOS == "windows" {
		t.Skipf("no %s here", shell)
	}
	bin, _ := completionDirs(t)
	cmd := exec.Command(path, "-c", line)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1", "LC_ALL=C.UTF-8")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// hintLine is the text of the first hint line of stderr that holds
// marker, from marker on.
func hintLine(t *testing.T, stderr, marker string) string {
	t.Helper()
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "amfcall: hint: ") {
			if i := strings.Index(l, marker); i >= 0 {
				return l[i:]
			}
		}
	}
	t.Fatalf("no hint with %q in stderr:\n%s", marker, stderr)
	return ""
}

// TestLoginHintAfterLogout: a call to a secured destination with a
// --session that a logout emptied said "add -u USER:PASSWORD (with
// --session FILE, later calls stay logged in)", though --session was
// given. It now names the session file, quoted, and the command built
// from the hint (the user and password put in) runs and logs in.
func TestLoginHintAfterLogout(t *testing.T) {
	_, u := startGateway(t, gateway.Options{User: "alice", Password: "wonderland"})
	sess := filepath.Join(t.TempDir(), "my session's.json")
	checkCase(t, cliCase{name: "login", args: []string{"call", "--session", sess, "-u", "alice:wonderland", "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"})
	checkCase(t, cliCase{name: "logout", args: []string{"logout", "--session", sess, u}})
	_, stderr, code := run(t, []string{"call", "--session", sess, "--destination", "secure", u, "whoami"}, "", nil, false)
	want := "amfcall: hint: the destination wants a login, and the session " + shellWord(sess) + " holds none (none was made with it, or a logout ended it): add -u USER:PASSWORD with the same --session " + shellWord(sess) + ", and later calls with it stay logged in\n"
	if code != exitFault || !strings.HasSuffix(stderr, want) {
		t.Fatalf("exit %d, stderr\n%s\nwant it to end with\n%s", code, stderr, want)
	}
	h := hintLine(t, stderr, "add -u ")
	word := strings.TrimSuffix(h[strings.Index(h, "--session ")+len("--session "):], ", and later calls with it stay logged in")
	out, err := runHintCommand(t, "sh", "amfcall call -u alice:wonderland --session "+word+" --destination secure "+u+" whoami")
	if err != nil || out != "\"alice\"\n" {
		t.Errorf("the hint's command, run by sh: %v\n%s", err, out)
	}
	// The login is in the file the hint named.
	checkCase(t, cliCase{name: "logged in again", args: []string{"call", "--session", sess, "--destination", "secure", u, "whoami"}, stdout: `"alice"` + "\n"})
}

// TestDidYouMeanHostileName: describe's "did you mean NAME? amfcall
// describe URL NAME" wrote a service name holding control characters
// with "?" in their place, so the command printed named another
// service. The name is now written with $'...' escapes, which bash runs
// as printed, and no control character reaches the terminal.
func TestDidYouMeanHostileName(t *testing.T) {
	evil := "evil\x1b]0;owned\x07svc"
	services := &amf.Array{Dense: []any{
		&amf.Object{Members: []amf.Member{{Name: "name", Value: evil}, {Name: "methods", Value: &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{{Name: "name", Value: "detonate"}}}}}}}},
		&amf.Object{Members: []amf.Member{{Name: "name", Value: "it's here"}, {Name: "methods", Value: &amf.Array{Dense: []any{
			&amf.Object{Members: []amf.Member{{Name: "name", Value: "found"}}}}}}}},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onResult", Response: "null", Value: services}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	u := srv.URL + "/gateway.php?a=1&b=2"
	for _, tc := range []struct {
		shell, asked, method string
	}{
		{"bash", "evil]0;ownedsvc", "detonate"},
		{"sh", "its here", "found"},
	} {
		_, stderr, code := run(t, []string{"describe", u, tc.asked}, "", nil, false)
		if code != exitUsage || strings.ContainsAny(stderr, "\x1b\x07") {
			t.Fatalf("describe %q: exit %d, stderr %q", tc.asked, code, stderr)
		}
		if runtime.GOOS == "windows" && tc.shell == "bash" {
			// cmd.exe and PowerShell have no quotes that hold a control
			// character: no command is printed for such a name.
			if strings.Contains(stderr, "amfcall describe ") {
				t.Errorf("describe %q: a command for a name with control characters on Windows: %q", tc.asked, stderr)
			}
			continue
		}
		line := hintLine(t, stderr, "amfcall describe ")
		out, err := runHintCommand(t, tc.shell, line)
		if err != nil || !strings.Contains(out, tc.method) {
			t.Errorf("describe %q: the hint %q, run by %s: %v\n%s", tc.asked, line, tc.shell, err, out)
		}
	}
}

package commands

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// Two shells, one --session file: a subscribe left running in one, a
// login in the other. The session file is read when a command starts
// and written when it ends, and subscribe, ending last, wrote back the
// session it had read (none), so the login's cookie and SessionToken
// header were gone: the next call was answered Session.Required. Now a
// command that finds the file changed since it read it keeps what it did
// not change as the other wrote it, and says so.
func TestSessionSharedByTwoCommands(t *testing.T) {
	t.Parallel()
	log := &syncBuffer{}
	_, u := startGateway(t, gateway.Options{Log: log})
	session := filepath.Join(t.TempDir(), "s.json")
	sub := startSubscriber(t, "--session", session, "--count", "1", "--interval", "20ms", "--for", "20s", u, "shared")
	waitLog(t, log, "CommandMessage subscribe shared", 1)
	checkCase(t, cliCase{args: []string{"call", "--session", session, u, "login", `"bob"`, `"secret"`},
		stdout: `{"user":"bob","session":"started"}` + "\n"})
	checkCase(t, cliCase{args: []string{"publish", u, "shared", `"bye"`}})
	if code := sub.wait(t); code != 0 {
		t.Fatalf("subscriber: code %d stderr %q", code, sub.stderr.String())
	}
	want := "amfcall: warning: --session " + session + " was changed by another command while this one ran: what this one did not change is kept as the other wrote it\n"
	if got := sub.stderr.String(); got != want {
		t.Errorf("subscriber's stderr:\n%s\nwant:\n%s", got, want)
	}
	// Still logged in, and the subscriber's Flex client id kept too.
	checkCase(t, cliCase{args: []string{"call", "--session", session, u, "session.whoami"}, stdout: `"bob"` + "\n"})
	data, err := os.ReadFile(session)
	if err != nil || !strings.Contains(string(data), `"dsid": "`) || !strings.Contains(string(data), `"name": "AMFSESSIONID"`) {
		t.Errorf("session file (%v):\n%s", err, data)
	}
	// One command at a time: the file is written as before, no warning.
	checkCase(t, cliCase{args: []string{"call", "--session", session, u, "logout"}, stdout: "true\n"})
	checkCase(t, cliCase{args: []string{"call", "--session", session, u, "session.whoami"}, code: 1,
		stdout: `{"code":"Session.Required","description":"no session: call login(user, password) first","details":null,"level":"error","type":""}` + "\n",
		stderr: "amfcall: error: Session.Required: no session: call login(user, password) first\n"})
}

// --session given a file that is no session (a curl user's cookie jar,
// the -d arguments file): "the session file is not valid: invalid
// character '#' ...; delete it to start a new session" told the user to
// delete their own file. It now says what the file is, that a new name
// starts a session, and for a cookie jar how to send one of its cookies.
// The file is left as it was, and nothing is sent.
func TestSessionNotASessionFile(t *testing.T) {
	t.Parallel()
	u, sent := countingGateway(t)
	jarText := "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tAMFSESSIONID\tabc\n"
	jar := writeFile(t, "cookies.txt", []byte(jarText))
	args := writeFile(t, "args.json", []byte(`[1, "x"]`))
	own := "amfcall: hint: give --session a file of amfcall's own: a new name starts a new session\n"
	checkCase(t, cliCase{args: []string{"call", "--session", jar, u, "echo.echo"}, code: 4,
		stderr: "amfcall: error: --session " + jar + ": the file is not a session file amfcall wrote: it is a Netscape cookie file (as curl -c writes one)\n" +
			own + "amfcall: hint: to send a cookie of the jar, -H 'Cookie: NAME=VALUE'\n"})
	checkCase(t, cliCase{args: []string{"subscribe", "--session", args, u, "chat"}, code: 4,
		stderr: "amfcall: error: --session " + args + ": the file is not a session file amfcall wrote: it is not a JSON object\n" + own})
	if data, err := os.ReadFile(jar); err != nil || string(data) != jarText {
		t.Errorf("the cookie file was changed: %q %v", data, err)
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// A session made with http://HOST:PORT, used with http://HOST:PORT/ (the
// same URL; curl and browsers write either): the session counted them as
// two gateways, warned, and left its AMF headers and Flex login unused.
func TestSessionGatewayURLSpelling(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{}) // u ends in "/"
	session := filepath.Join(t.TempDir(), "s.json")
	checkCase(t, cliCase{args: []string{"call", "--session", session, strings.TrimSuffix(u, "/"), "login", `"bob"`, `"x"`},
		stdout: `{"user":"bob","session":"started"}` + "\n"})
	for _, spelt := range []string{u, strings.Replace(u, "http://", "HTTP://", 1)} {
		stdout, stderr, code := run(t, []string{"call", "-v", "--session", session, spelt, "session.whoami"}, "", nil, false)
		if code != 0 || stdout != `"bob"`+"\n" || strings.Contains(stderr, "warning") || !strings.Contains(stderr, `"name":"SessionToken"`) {
			t.Errorf("%s: code %d stdout %q\nstderr:\n%s", spelt, code, stdout, stderr)
		}
	}
}

// logout --session with a misspelt name: it logged out a new Flex client,
// said the session "holds none: it is new or empty", and left a new file
// of the misspelt name behind (the real session still logged in). It
// now writes none, and (rvflex7) is a usage error that sends nothing.
func TestLogoutMissingSessionFile(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	typo := filepath.Join(t.TempDir(), "sesion.json")
	checkCase(t, cliCase{args: []string{"logout", "--session", typo, u}, code: 2,
		stderr: "amfcall: error: logout --session " + typo + ": there is no such file, so no login to end\n" +
			"amfcall: hint: give the file that the call with -u and --session wrote (nothing was sent)\n"})
	if _, err := os.Stat(typo); !os.IsNotExist(err) {
		t.Errorf("logout left %s behind (%v)", typo, err)
	}
}

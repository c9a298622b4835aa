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

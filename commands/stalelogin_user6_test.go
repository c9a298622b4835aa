package commands

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A --session file that logged in (call --session s.json -u alice:...
// --destination secure), used after the gateway forgot that login (it
// restarted, or the login timed out; here another copy of the session
// logged out): the hint said "the destination wants a login: add -u
// USER:PASSWORD (with --session FILE, later calls stay logged in)",
// which is what the user had done. It now says that the session's login
// is no longer known, and following it logs in again.
func TestStaleSessionLoginHint(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{User: "alice", Password: "wonderland"})
	dir := t.TempDir()
	session := filepath.Join(dir, "s.json")
	checkCase(t, cliCase{args: []string{"call", "--session", session, "-u", "alice:wonderland", "--destination", "secure", u, "whoami"},
		stdout: `"alice"` + "\n"})
	data, err := os.ReadFile(session)
	if err != nil {
		t.Fatal(err)
	}
	other := writeFile(t, "other.json", data)
	checkCase(t, cliCase{args: []string{"logout", "--session", other, u}})

	fault := `{"faultCode":"AuthenticationError","faultString":"Authentication failed","faultDetail":"","rootCause":{"message":"Authentication failed","name":"AuthenticationError"},"extendedData":null}` + "\n"
	hint := "amfcall: hint: the session " + shellWord(session) + " holds a login as alice that the gateway no longer knows (it restarted, or the login timed out): log in again with -u alice and the same --session\n"
	checkCase(t, cliCase{args: []string{"call", "--session", session, "--destination", "secure", u, "whoami"}, code: 1,
		stdout: fault, stderr: "amfcall: error: AuthenticationError: Authentication failed\n" + hint})
	// Followed: logged in again.
	checkCase(t, cliCase{args: []string{"call", "--session", session, "-u", "alice:wonderland", "--destination", "secure", u, "whoami"},
		stdout: `"alice"` + "\n"})
	// A session with no login keeps the hint to log in.
	fresh := filepath.Join(dir, "fresh.json")
	checkCase(t, cliCase{args: []string{"call", "--session", fresh, "--destination", "secure", u, "whoami"}, code: 1,
		stdout: fault, stderr: "amfcall: error: AuthenticationError: Authentication failed\n" +
			"amfcall: hint: the destination wants a login, and the session " + shellWord(fresh) + " holds none (none was made with it, or a logout ended it): add -u USER:PASSWORD with the same --session " + shellWord(fresh) + ", and later calls with it stay logged in\n"})
}

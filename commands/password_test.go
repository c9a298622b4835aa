package commands

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// TestUserWithoutPassword: -u USER with no ":PASSWORD" takes the password
// from $AMFCALL_PASSWORD, so that it stays out of ps and shell history;
// with neither that nor a terminal to ask on, call, the Flex login and
// list all say how to give it (one parse for the three).
func TestUserWithoutPassword(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{User: "alice", Password: "wonderland"})
	withPass := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_PASSWORD": "wonderland"}
	wrongPass := map[string]string{"NO_COLOR": "1", "TERM": "xterm", "AMFCALL_PASSWORD": "nope"}
	noTTY := "amfcall: error: -u alice has no password, and there is no " + passwordTTY + " to ask for it on\n" +
		"amfcall: hint: set AMFCALL_PASSWORD to the password, or give -u alice:PASSWORD\n"
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		stdout string
		stderr string
	}{
		{name: "call, env", args: []string{"call", "-u", "alice", u, "secure.whoami"}, env: withPass, stdout: `"alice"` + "\n"},
		{name: "call, the URL's password wins", args: []string{"call", "-u", "alice:wonderland", u, "secure.whoami"}, env: wrongPass, stdout: `"alice"` + "\n"},
		{name: "flex login, env", args: []string{"call", "--destination", "secure", "-u", "alice", u, "whoami"}, env: withPass, stdout: `"alice"` + "\n"},
		{name: "call, no terminal", args: []string{"call", "-u", "alice", u, "secure.whoami"}, code: 2, stderr: noTTY},
		{name: "flex login, no terminal", args: []string{"call", "--destination", "secure", "-u", "alice", u, "whoami"}, code: 2, stderr: noTTY},
		{name: "list, no terminal", args: []string{"list", "-u", "alice", u}, code: 2, stderr: noTTY},
		{name: "bench, no terminal", args: []string{"bench", "-n", "1", "-u", "alice", u, "secure.whoami"}, code: 2, stderr: noTTY},
		{name: "no name", args: []string{"call", "-u", ":x", u, "secure.whoami"}, code: 2,
			stderr: "amfcall: error: -u/--user wants USER or USER:PASSWORD, not \":x\"\namfcall: hint: for example -u alice, which asks for the password\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.args, "", tc.env, false)
			if code != tc.code || stderr != tc.stderr || (tc.code == 0 && stdout != tc.stdout) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
			if strings.Contains(stderr, "wonderland") {
				t.Errorf("the password is on stderr: %q", stderr)
			}
		})
	}
}

package commands

import (
	"net/http"
	"strings"
	"testing"
)

// faultEverything runs a gateway that answers every call with the fault
// code and description, under the call's response number.
func faultEverything(t *testing.T, code, description string) string {
	t.Helper()
	return faultAnswers(t, http.StatusOK, "application/x-amf", code, description)
}

// TestListFaultForEveryCallCLI: "amfcall list" of a gateway that answers
// every call with one fault said "the gateway refused amfcall.discover"
// and sent the user to log in to a discovery service (amfcall serve's)
// that the gateway does not have. It says now that every discovery
// target got the same fault, and points to probe; exit 1 (a fault).
func TestListFaultForEveryCallCLI(t *testing.T) {
	u := faultEverything(t, "Server.Denied", "Access denied")
	msg := "amfcall: error: the gateway answered amfcall.discover, AmfphpDiscoveryService.discover and amfphp.DiscoveryService.getServices " +
		"with the same fault (Server.Denied: Access denied), as it may answer any call: it does not say whether it has one of them\n"
	hints := "amfcall: hint: if every call needs a login, give -u USER:PASSWORD, or -H 'Cookie: ...' of a logged-in session\n" +
		"amfcall: hint: amfcall probe " + u + " tells what the gateway is\n"
	checkCase(t, cliCase{name: "list", args: []string{"list", u}, code: exitFault, stderr: msg + hints})
	checkCase(t, cliCase{name: "describe", args: []string{"describe", u, "UserService"}, code: exitFault, stderr: msg + hints})
}

// TestDescribeHintsFollowedLiterally: "describe URL .echo" hinted
// "amfcall describe URL  lists its methods", the service being the
// empty name of the methods called without one: pasted, that line is a
// usage error (missing SERVICE). It is a quoted empty word now. A service named in
// another case or mistyped ("ECHO", "sesion") got only "amfcall list
// shows every service"; the name meant is now offered, as a command.
func TestDescribeHintsFollowedLiterally(t *testing.T) {
	u := serveGateway(t)
	checkCase(t, cliCase{name: ".echo", args: []string{"describe", u, ".echo"}, code: exitUsage,
		stderr: "amfcall: error: service \"\" has no method \"echo\" in what the gateway's discovery service (amfcall) says\n" +
			"amfcall: hint: amfcall describe " + u + " " + shellWord("") + " lists its methods\n"})
	// The hint, followed, shows the methods called without a service.
	checkCase(t, cliCase{name: "''", args: []string{"describe", u, ""},
		stdout: "(methods called without a service): methods called without a service name, as the ByteArray example's client does\n" +
			"  getSnapshots() -> Array\n      lists the saved snapshots: [base URL, [types], ArrayCollection of {name}]\n" +
			"  login(user: String, password: String) -> String\n      starts a session: sets the cookie AMFSESSIONID and asks for a persistent SessionToken AMF header\n" +
			"  logout() -> Boolean\n      ends the session that login started\n"})
	for name, want := range map[string]string{"ECHO": "echo", "sesion": "session", "GETSNAPSHOTS": "getSnapshots"} {
		_, stderr, code := run(t, []string{"describe", u, name}, "", nil, false)
		hint := "amfcall: hint: did you mean " + want + "? amfcall describe " + u + " " + want + "\n"
		if code != exitUsage || !strings.Contains(stderr, hint) {
			t.Errorf("describe %s: %d %q, want the hint %q", name, code, stderr, hint)
		}
	}
}

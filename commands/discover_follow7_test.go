package commands

import (
	"net/http"
	"testing"
)

// TestListFaultWithStatus500: a gateway that answers each call it cannot
// serve with HTTP 500 and an AMF fault (as some PHP gateways do) made
// list and describe fail at the first discovery target with "unexpected
// HTTP status" (exit 3), though call and probe could read its faults.
// They read them too now, and say what the gateway answered (exit 1).
func TestListFaultWithStatus500(t *testing.T) {
	u := faultAnswers(t, http.StatusInternalServerError, "application/x-amf", "Server.Denied", "Access denied")
	warn := "amfcall: warning: the gateway answered HTTP 500 Internal Server Error with an AMF reply; it is read all the same (said once)\n"
	msg := "amfcall: error: the gateway answered amfcall.discover, AmfphpDiscoveryService.discover and amfphp.DiscoveryService.getServices " +
		"with the same fault (Server.Denied: Access denied), as it may answer any call: it does not say whether it has one of them\n"
	hints := "amfcall: hint: if every call needs a login, give -u USER:PASSWORD, or -H 'Cookie: ...' of a logged-in session\n" +
		"amfcall: hint: amfcall probe " + u + " tells what the gateway is\n"
	checkCase(t, cliCase{name: "list", args: []string{"list", u}, code: exitFault, stderr: warn + msg + hints})
	checkCase(t, cliCase{name: "describe", args: []string{"describe", u, "UserService"}, code: exitFault, stderr: warn + msg + hints})
	checkCase(t, cliCase{name: "call", args: []string{"call", u, "UserService.get"}, code: exitFault,
		stderr: warn + "amfcall: error: Server.Denied: Access denied\n",
		stdout: "{\"faultCode\":\"Server.Denied\",\"faultString\":\"Access denied\"}\n"})
}

// TestDescribeTrailingDot: "describe URL echo." showed the service echo
// without a word, as if the dot were not there (the empty method after
// it was dropped). It is now a name the gateway does not list (exit 2),
// with the name meant offered as a command.
func TestDescribeTrailingDot(t *testing.T) {
	u := serveGateway(t)
	checkCase(t, cliCase{name: "echo.", args: []string{"describe", u, "echo."}, code: exitUsage,
		stderr: "amfcall: error: \"echo.\" is not in what the gateway's discovery service (amfcall) lists; it lists the services ByteArray, amfcall, echo, secure, session, and methods called without a service: getSnapshots, login, logout\n" +
			"amfcall: hint: did you mean echo? amfcall describe " + u + " echo\n" +
			"amfcall: hint: amfcall list " + u + " shows every service\n"})
	// The method form still works.
	checkCase(t, cliCase{name: "echo.echo", args: []string{"describe", u, "echo.echo"}, code: 0,
		stdout: "echo.echo(value: *) -> *\n    returns its argument (several come back as an array, none as null)\n"})
}

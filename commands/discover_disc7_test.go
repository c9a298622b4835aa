package commands

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// faultEverything runs a gateway that answers every call with the fault
// code and description, under the call's response number.
func faultEverything(t *testing.T, code, description string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req, err := amf.UnmarshalPacket(body)
		if err != nil || len(req.Messages) == 0 {
			http.Error(w, "bad request", 400)
			return
		}
		fault := &amf.Object{Members: []amf.Member{{Name: "faultCode", Value: code}, {Name: "faultString", Value: description}}}
		out, _ := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: req.Messages[0].Response + "/onStatus", Response: "null", Value: fault}}})
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	return srv.URL + "/gateway"
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

package commands

import (
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A method name with a typo (echo.ehco) got "amfcall describe URL echo
// shows the service's methods", and with --destination no hint at all.
// The names "amfcall list" kept for completion now give the nearest one;
// without them, or with no near one, the describe hint stays, and
// --destination gets it too.
func TestMethodTypoHint(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	_, u := startGateway(t, gateway.Options{})
	fault := "amfcall: error: Service.MethodNotFound: Unknown method echo.ehco\n"
	describe := "amfcall: hint: amfcall describe " + u + " echo shows the service's methods, where the gateway says\n"
	plain := []string{"call", u, "echo.ehco", "1"}
	dest := []string{"call", "--destination", "echo", u, "ehco", "1"}
	check := func(what string, args []string, want string) {
		t.Helper()
		_, stderr, code := run(t, args, "", nil, false)
		if code != 1 || stderr != want {
			t.Errorf("%s: code %d, stderr:\n%s\nwant:\n%s", what, code, stderr, want)
		}
	}
	check("plain, nothing listed", plain, fault+describe)
	check("--destination, nothing listed", dest, fault+describe)
	if _, stderr, code := run(t, []string{"list", u}, "", nil, false); code != 0 {
		t.Fatalf("list: code %d, %s", code, stderr)
	}
	check("plain, listed", plain, fault+"amfcall: hint: did you mean echo.echo? (amfcall list found it at this gateway)\n"+describe)
	check("--destination, listed", dest, fault+"amfcall: hint: did you mean the operation echo? (amfcall list found it at this gateway)\n"+describe)
	check("nothing near", []string{"call", u, "echo.qqqqqqqq", "1"},
		"amfcall: error: Service.MethodNotFound: Unknown method echo.qqqqqqqq\n"+describe)
}

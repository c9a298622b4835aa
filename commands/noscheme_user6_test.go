package commands

import (
	"testing"

	"github.com/amfcall/amfcall/client/gateway"
)

// A gateway URL without its scheme (curl takes 127.0.0.1:8000/gw as
// http://): the hint was an example, http://localhost:8000/gateway, to
// adapt. It now writes the user's own URL with http:// in front (a
// password masked, and said so), and that URL, as given, is answered.
func TestNoSchemeHintWritesTheURL(t *testing.T) {
	t.Parallel()
	_, u := startGateway(t, gateway.Options{})
	bare := u[len("http://"):]
	for _, cmd := range [][]string{{"call", bare, "echo.echo", "1"}, {"list", bare}, {"bench", "-n", "1", bare, "echo.echo"}, {"subscribe", bare, "chat"}} {
		checkCase(t, cliCase{args: cmd, code: 2,
			stderr: "amfcall: error: invalid gateway URL \"" + bare + "\": want an http:// or https:// URL\n" +
				"amfcall: hint: write the gateway URL with its scheme: " + u + " (or https://)\n"})
	}
	checkCase(t, cliCase{args: []string{"call", "bob:s3cret@" + bare, "echo.echo"}, code: 2,
		stderr: "amfcall: error: invalid gateway URL \"bob:xxxxx@" + bare + "\": want an http:// or https:// URL\n" +
			"amfcall: hint: write the gateway URL with its scheme: http://bob:xxxxx@" + bare + " (or https://; with the password in place of xxxxx)\n"})
	// Followed.
	checkCase(t, cliCase{args: []string{"call", u, "echo.echo", "1"}, stdout: "1\n"})
}

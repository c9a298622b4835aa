package commands

import (
	"strings"
	"testing"
)

// The Flex ping's warning in the commands with no --charset (publish,
// login, send...) decodes a Latin-1 fault as their JSON output does,
// with the default charset: it showed "ung\xfcltige" where subscribe's,
// which has the flag, showed "ungültige".
func TestFlexPingWarningDefaultCharsetRvlast16(t *testing.T) {
	t.Parallel()
	fault := dvFault(dvString("Server.Processing"), "Fehler: ung\xfcltige Eingabe")
	url := deviantGateway(t, map[string]deviantReply{"ping": dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", fault)))})
	for _, args := range [][]string{
		{"publish", url + "/ping", "chat", `"x"`},
		{"subscribe", "--count", "1", "--retry-for", "0s", url + "/ping", "chat"},
	} {
		_, stderr, _ := run(t, args, "", nil, false)
		// The call's own fault line too (the gateway answers every
		// request with that fault): the client decodes a fault's texts.
		if !strings.Contains(stderr, "did not acknowledge the Flex ping (Server.Processing: Fehler: ungültige Eingabe)") ||
			!strings.Contains(stderr, "amfcall: error: Server.Processing: Fehler: ungültige Eingabe") || strings.Contains(stderr, `\xfc`) {
			t.Errorf("amfcall %s: stderr:\n%s", strings.Join(args, " "), stderr)
		}
	}
}

package commands

import (
	"strings"
	"testing"
)

// The warning of a Flex ping the gateway refused with a fault in Latin-1
// (PHP and ColdFusion gateways) decodes its text with --charset, as the
// call's own fault line does: it showed "ung\xfcltige".
func TestFlexPingWarningCharset(t *testing.T) {
	t.Parallel()
	fault := dvFault(dvString("Server.Processing"), "Fehler: ung\xfcltige Eingabe")
	url := deviantGateway(t, map[string]deviantReply{"ping": dvReply(dvPacket(0, 0, nil, 1, dvBody("/1/onStatus", fault)))})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "Fehler: ungültige Eingabe"}, // windows-1252, the default
		{[]string{"--charset", "windows-1251"}, "Fehler: ungьltige Eingabe"},
	} {
		args := append(append([]string{"call", "--flex"}, tc.args...), url+"/ping", "Users.get")
		_, stderr, _ := run(t, args, "", nil, false)
		var line string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, "did not acknowledge the Flex ping") {
				line = l
			}
		}
		if !strings.Contains(line, "(Server.Processing: "+tc.want+")") {
			t.Errorf("amfcall %s: the ping's warning is %q, want it to hold %q; stderr:\n%s", strings.Join(args, " "), line, tc.want, stderr)
		}
	}
}

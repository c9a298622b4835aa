package commands

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestDiscoveryHintsQuoteTheURL: the hints that name a command with the
// gateway URL (list's and describe's "amfcall list URL shows every
// service", call's "amfcall list URL ..." and "amfcall describe URL
// SERVICE ..." after a not-found fault) wrote the URL as it is: a PHP
// gateway's "gateway.php?a=1&b=2", pasted, ran "amfcall list
// .../gateway.php?a=1" in the background and "b=2" as a command. The URL
// is now a shell word, as subscribe's and the file hints write theirs;
// the hint, run by sh as printed, lists the gateway.
func TestDiscoveryHintsQuoteTheURL(t *testing.T) {
	u := serveGateway(t) + "?a=1&b=2"
	q := shellWord(u)
	if q == u {
		t.Fatalf("shellWord(%q) quotes nothing", u)
	}
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"describe", u, "nope"}, "amfcall: hint: amfcall list " + q + " shows every service\n"},
		{[]string{"describe", u}, "amfcall: hint: amfcall list " + q + " shows the services\n"},
		{[]string{"call", u, "nosuch.m"}, "amfcall: hint: amfcall list " + q + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + q + " guesses names\n"},
		{[]string{"call", u, "echo.nope"}, "amfcall describe " + q + " echo shows the service's methods"},
	} {
		_, stderr, _ := run(t, tc.args, "", nil, false)
		if !strings.Contains(stderr, tc.hint) {
			t.Errorf("%q: stderr\n%s\nwant it to hold %q", tc.args, stderr, tc.hint)
		}
	}
	sh, err := exec.LookPath("sh")
	if err != nil || runtime.GOOS == "windows" {
		return
	}
	bin, _ := completionDirs(t)
	cmd := exec.Command(sh, "-c", "amfcall list "+q)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "AMFCALL_TEST_AS_AMFCALL=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "echo\n") {
		t.Errorf("the hint's command, run by sh: %v\n%s", err, out)
	}
}

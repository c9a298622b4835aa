package commands

import (
	"net"
	"os"
	"testing"
)

// TestSubscribeInterruptedBeforeSubscribed: Ctrl-C (or SIGTERM) while
// subscribe still pings, logs in or subscribes ended it with status 0
// and no word, as a Ctrl-C that ends a subscription does: a script could
// not tell "stopped after listening" from "never subscribed" (a gateway
// that does not answer, a wrong URL). It is now "interrupted", 130, as
// socket listen's Ctrl-C while connecting is; once subscribed, Ctrl-C
// stays the normal end, 0.
func TestSubscribeInterruptedBeforeSubscribed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // accepts (the kernel's backlog) and never answers
	subscribeStarted = func(interrupt func(os.Signal)) { interrupt(os.Interrupt) }
	defer func() { subscribeStarted = nil }()
	url := "http://" + ln.Addr().String() + "/"
	stdout, stderr, code := run(t, []string{"subscribe", "--timeout", "5s", url, "chat"}, "", nil, false)
	want := "amfcall: error: interrupted by SIGINT before the subscription to chat at " + url + " was made (no message was received)\n"
	if code != exitInterrupted || stdout != "" || stderr != want {
		t.Errorf("exit %d\nstdout %q\nstderr %q\nwant exit %d and stderr %q", code, stdout, stderr, exitInterrupted, want)
	}
}

// TestSubscribeEmptySelector: an empty --selector (a variable left
// empty) was not sent, and subscribe printed every message of the
// destination, unfiltered, with no word; it is now a usage error before
// any request, as an empty --subtopic is.
func TestSubscribeEmptySelector(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/"
	ln.Close() // a request would be exit 3
	for _, sel := range []string{"", "  "} {
		checkCase(t, cliCase{name: "selector " + sel, args: []string{"subscribe", "--selector", sel, "--for", "1s", url, "chat"}, code: exitUsage,
			stderr: "amfcall: error: --selector is empty\n" +
				"amfcall: hint: give the selector expression, e.g. --selector \"priority > 4\", or leave --selector out for every message\n"})
	}
}

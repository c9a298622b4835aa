package commands

import (
	"strings"
	"testing"
)

// A typo in a method called without a service (getSnapshot for
// getSnapshots, as the ByteArray example's client calls it) got the
// fault and no hint at all; a typo in the service (ech.echo) got only
// "amfcall list URL shows the services". Once amfcall list has run, the
// names it found (kept for completion) now give "did you mean", as they
// did for a method of a known service; before it, the hint names list.
func TestNearTargetHint(t *testing.T) {
	u := serveGateway(t) // the list cache in a temporary folder
	fault := func(code, what string) string {
		return `{"code":"` + code + `","description":"` + what + `","details":null,"level":"error","type":""}` + "\n"
	}
	listMethods := "amfcall: hint: amfcall list " + u + " shows the services and methods the gateway's discovery service offers\n"
	listServices := "amfcall: hint: amfcall list " + u + " shows the services the gateway's discovery service offers; amfcall probe --wordlist FILE " + u + " guesses names\n"
	// Before amfcall list: where to look.
	checkCase(t, cliCase{args: []string{"call", u, "getSnapshot"}, code: 1,
		stdout: fault("Service.MethodNotFound", "Unknown method getSnapshot"),
		stderr: "amfcall: error: Service.MethodNotFound: Unknown method getSnapshot\n" + listMethods})
	stdout, _, code := run(t, []string{"list", u}, "", nil, false)
	if code != 0 || stdout == "" {
		t.Fatalf("list: code %d\n%s", code, stdout)
	}
	checkCase(t, cliCase{args: []string{"call", u, "getSnapshot"}, code: 1,
		stdout: fault("Service.MethodNotFound", "Unknown method getSnapshot"),
		stderr: "amfcall: error: Service.MethodNotFound: Unknown method getSnapshot\n" +
			"amfcall: hint: did you mean getSnapshots? (amfcall list found it at this gateway)\n" + listMethods})
	checkCase(t, cliCase{args: []string{"call", u, "ech.echo", "1"}, code: 1,
		stdout: fault("Service.ResourceNotFound", "Unknown service ech.echo"),
		stderr: "amfcall: error: Service.ResourceNotFound: Unknown service ech.echo\n" +
			"amfcall: hint: did you mean echo.echo? (amfcall list found it at this gateway)\n" + listServices})
	// Nothing near: no guess.
	checkCase(t, cliCase{args: []string{"call", u, "nosuch.thing"}, code: 1,
		stdout: fault("Service.ResourceNotFound", "Unknown service nosuch.thing"),
		stderr: "amfcall: error: Service.ResourceNotFound: Unknown service nosuch.thing\n" + listServices})
	// The suggestion, followed, is answered.
	checkCase(t, cliCase{args: []string{"call", u, "echo.echo", "1"}, stdout: "1\n"})
}

// A typo in a Flex destination (--destination ehco) got only the hint to
// route by --source, which is for AMFPHP; once amfcall list has run, the
// nearest destination it found comes first.
func TestNearDestinationHint(t *testing.T) {
	u := serveGateway(t)
	if _, _, code := run(t, []string{"list", u}, "", nil, false); code != 0 {
		t.Fatalf("list: code %d", code)
	}
	fault := `{"faultCode":"Service.ResourceNotFound","faultString":"Unknown service ehco.echo","faultDetail":null,"rootCause":{"message":"Unknown service ehco.echo","name":"UnknownServiceError"},"extendedData":null}` + "\n"
	source := "amfcall: hint: gateways such as AMFPHP route Flex calls by source (the service class), not destination: try --source CLASS\n"
	checkCase(t, cliCase{args: []string{"call", "--destination", "ehco", u, "echo", `"x"`}, code: 1, stdout: fault,
		stderr: "amfcall: error: Service.ResourceNotFound: Unknown service ehco.echo\n" +
			"amfcall: hint: did you mean --destination echo? (amfcall list found it at this gateway)\n" + source})
	checkCase(t, cliCase{args: []string{"call", "--flex", u, "ehco.echo", `"x"`}, code: 1, stdout: fault,
		stderr: "amfcall: error: Service.ResourceNotFound: Unknown service ehco.echo\n" +
			"amfcall: hint: did you mean echo.echo? (amfcall list found it at this gateway)\n" + source})
	checkCase(t, cliCase{args: []string{"call", "--destination", "echo", u, "echo", `"x"`}, stdout: `"x"` + "\n"})
}

// --batch: each call of an unknown name near one amfcall list found gets
// its "did you mean" (they were printed with the fault line only), at
// most five, then a count.
func TestNearTargetHintInBatch(t *testing.T) {
	u := serveGateway(t)
	if _, _, code := run(t, []string{"list", u}, "", nil, false); code != 0 {
		t.Fatalf("list: code %d", code)
	}
	lines := `{"target": "echo.echo", "args": [1]}` + "\n" + `{"target": "echo.ehco", "args": [1]}` + "\n" + `{"target": "getSnapshot"}` + "\n" + `{"target": "nosuch.thing"}` + "\n"
	_, stderr, code := run(t, []string{"call", "--batch", "-", u}, lines, nil, false)
	want := "amfcall: error: 3 of 4 calls answered with a fault\n" +
		"amfcall: hint: echo.ehco (/2): did you mean echo.echo? (amfcall list found it at this gateway)\n" +
		"amfcall: hint: getSnapshot (/3): did you mean getSnapshots? (amfcall list found it at this gateway)\n"
	if code != 1 || !strings.HasSuffix(stderr, want) {
		t.Errorf("code %d, stderr:\n%s\nwant it to end with:\n%s", code, stderr, want)
	}
	many := strings.Repeat(`{"target": "echo.ehco"}`+"\n", 7)
	_, stderr, code = run(t, []string{"call", "--batch", "-", u}, many, nil, false)
	if code != 1 || strings.Count(stderr, "did you mean echo.echo?") != 5 ||
		!strings.HasSuffix(stderr, "amfcall: hint: and 2 more calls of names near those amfcall list found\n") {
		t.Errorf("7 typos: code %d, stderr:\n%s", code, stderr)
	}
}

// describe URL echo.ech: the service's listing is at hand, and the
// method nearest the one asked for is now named; followed, it is
// described.
func TestDescribeNearMethod(t *testing.T) {
	u := serveGateway(t)
	checkCase(t, cliCase{args: []string{"describe", u, "echo.ech"}, code: 2,
		stderr: `amfcall: error: service "echo" has no method "ech" in what the gateway's discovery service (amfcall) says` + "\n" +
			"amfcall: hint: did you mean echo.echo?\n" +
			"amfcall: hint: amfcall describe " + u + " echo lists its methods\n"})
	stdout, _, code := run(t, []string{"describe", u, "echo.echo"}, "", nil, false)
	if code != 0 || !strings.HasPrefix(stdout, "echo.echo(") {
		t.Errorf("describe echo.echo: code %d\n%s", code, stdout)
	}
}
